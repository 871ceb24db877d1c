// Forbidden: adding two absolute temperatures (an affine point has no point + point).
#include "thermo/core/units.hpp"

thermo::millikelvin_delta spread(thermo::millicelsius a, thermo::millicelsius b) {
#ifdef THERMO_COMPILE_FAIL
  static_cast<void>(a + b);
#endif
  return a - b;  // the allowed form: point − point → delta
}
