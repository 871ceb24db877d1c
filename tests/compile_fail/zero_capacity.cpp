// Forbidden: a static_vector with no room at all.
#include "thermo/core/static_vector.hpp"

int slots() {
#ifdef THERMO_COMPILE_FAIL
  const thermo::static_vector<int, 0> empty_forever;
#else
  const thermo::static_vector<int, 1> empty_forever;  // the allowed form: capacity >= 1
#endif
  return static_cast<int>(empty_forever.capacity());
}
