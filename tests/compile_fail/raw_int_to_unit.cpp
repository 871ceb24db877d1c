// Forbidden: a raw number becoming a unit implicitly.
#include <cstdint>

#include "thermo/core/units.hpp"

thermo::milliwatts budget(std::int32_t raw) {
#ifdef THERMO_COMPILE_FAIL
  thermo::milliwatts p = raw;
  return p;
#else
  return thermo::milliwatts(raw);  // the allowed form: explicit construction
#endif
}
