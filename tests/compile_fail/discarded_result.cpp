// Forbidden (with thermo's -Werror): ignoring a returned error (result and errc are [[nodiscard]]).
#include "thermo/core/static_vector.hpp"

bool add(thermo::static_vector<int, 2>& v, int x) {
#ifdef THERMO_COMPILE_FAIL
  v.push_back(x);
  return true;
#else
  return v.push_back(x) == thermo::errc::ok;  // the allowed form: look at the error
#endif
}
