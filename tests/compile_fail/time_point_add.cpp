// Forbidden: adding two instants of the simulation clock (sim_time is an affine point).
#include "thermo/core/time.hpp"

thermo::sim_duration between(thermo::sim_time a, thermo::sim_time b) {
#ifdef THERMO_COMPILE_FAIL
  static_cast<void>(a + b);
#endif
  return b - a;  // the allowed form: point − point → duration
}
