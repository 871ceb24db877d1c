/// @file fwd.hpp
/// Forward declarations of thermo's main types, for headers that only name them (a function
/// taking a `control::thermal_zone<4, 8>&`, a pointer to an `rc_network<>`) and need not
/// include their definitions. Include the area headers, or thermo/thermo.hpp, to use them.
///
/// **Default template arguments are declared once**, in the area's own `fwd.hpp` (as
/// nlohmann's json_fwd.hpp does for `basic_json`): a default may be given by only one
/// declaration, and a forward declaration without it is of little use (`power_allocator<>`).
/// The definitions include their area's `fwd.hpp` and show the defaults in a comment only. Each
/// area keeps its own file so that including, say, model/rc_network.hpp declares no names of
/// other areas (model/'s names live in `thermo` itself, where a new name such as `power` could
/// clash with a user's under `using namespace thermo`).
///
/// The core vocabulary every signature uses — `errc`, `error`, `result<T, E = errc>`, the unit
/// types — is included whole: those headers are small, freestanding and firmware-safe, and
/// already own their defaults. Not forward-declared, with the reason in the area file:
/// `control::cpufreq_cooling`, `control::devfreq_cooling` (constrained by a concept),
/// `control::step_wise`'s default, model/'s other templates.
///
/// tests/static/fwd_static.cpp pins the defaults with only this file included;
/// tests/core/umbrella_test.cpp checks them against the complete types.
#pragma once

#include "thermo/control/fwd.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/model/fwd.hpp"
#include "thermo/power/fwd.hpp"
#include "thermo/sim/fwd.hpp"
#include "thermo/workload/fwd.hpp"
