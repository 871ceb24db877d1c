// Forbidden: a static_vector with no room at all.
#include "thermo/core/static_vector.hpp"

#ifdef THERMO_COMPILE_FAIL
thermo::static_vector<int, 0> empty_forever;
#else
thermo::static_vector<int, 1> one_slot;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)
#endif
