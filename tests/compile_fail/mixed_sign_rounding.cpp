// Forbidden: the kernel's rounding division with mixed signedness (the macro is undefined there:
// C would turn -7 into a huge unsigned number).
#include "thermo/core/fixed_point.hpp"

unsigned per_actor(int total, unsigned actors) {
#ifdef THERMO_COMPILE_FAIL
  return thermo::div_round_closest(total, actors);
#else
  return thermo::div_round_closest(static_cast<unsigned>(total), actors);  // explicit
#endif
}
