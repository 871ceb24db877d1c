// Forbidden: scaling an integer unit by a floating factor (the factor would be truncated).
#include "thermo/core/units.hpp"

thermo::milliwatts scaled(thermo::milliwatts p) {
#ifdef THERMO_COMPILE_FAIL
  return p * 1.5;
#else
  return p * 3 / 2;  // the allowed form: an integer ratio
#endif
}
