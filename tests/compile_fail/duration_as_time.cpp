// Forbidden: a duration where an instant is expected (no implicit conversion: say which instant).
#include <chrono>

#include "thermo/core/time.hpp"

thermo::sim_time deadline() {
#ifdef THERMO_COMPILE_FAIL
  const thermo::sim_time t = std::chrono::seconds(5);
  return t;
#endif
  return thermo::sim_time{std::chrono::seconds(5)};  // the allowed form: 5 s after the start
}
