// Forbidden: arithmetic across dimensions (milliwatts + kilohertz).
#include "thermo/core/units.hpp"

thermo::milliwatts total(thermo::milliwatts p, thermo::kilohertz f) {
#ifdef THERMO_COMPILE_FAIL
  return p + f;
#else
  static_cast<void>(f);
  return p + p;  // the allowed form: same unit
#endif
}
