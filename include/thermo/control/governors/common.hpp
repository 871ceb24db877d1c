/// @file common.hpp
/// Small helpers shared by the governors.
#pragma once

#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"

namespace thermo::control {

/// True for trips every Linux governor skips: disabled (`temp_invalid`), hot and critical.
[[nodiscard]] constexpr bool governor_skips_trip(const thermal_trip& t) noexcept {
  return t.temperature == temp_invalid || t.type == trip_type::hot || t.type == trip_type::critical;
}

}  // namespace thermo::control
