/// @file trip.hpp
/// Trip points: `thermal_trip` (what a device tree or driver declares) and `thermal_trip_desc`
/// (the zone's per-trip bookkeeping: the reached / not-reached threshold of Linux 6.12).
///
/// A trip is *reached* when the zone temperature T ≥ `temperature` and *released* when
/// T < `temperature − hysteresis` (strict). While not reached the threshold is `temperature`;
/// while reached it is `temperature − hysteresis`. A trip at `temp_invalid` is disabled.
/// See docs/explanation/thermal-zones.md.
#pragma once

#include <cstdint>
#include <limits>

#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// `enum thermal_trip_type` (values are the kernel's).
enum class trip_type : std::uint8_t {
  active = 0,    ///< fans etc.; handled by the governor, no passive polling
  passive = 1,   ///< throttling; while reached the zone polls at `passive_delay`
  hot = 2,       ///< calls the zone's optional `hot` hook on the upward crossing
  critical = 3,  ///< calls the `critical` hook (default: shutdown request) on the upward crossing
};

/// Trip flags (sysfs writability in the kernel; kept for completeness).
inline constexpr std::uint8_t trip_flag_rw_temp = 1U << 0;
inline constexpr std::uint8_t trip_flag_rw_hyst = 1U << 1;

/// A trip point (`struct thermal_trip`).
struct thermal_trip {
  millicelsius temperature{temp_invalid};  ///< m°C; `temp_invalid` disables the trip
  millikelvin_delta hysteresis{0};         ///< m°C, ≥ 0, relative to `temperature`
  trip_type type{trip_type::passive};
  std::uint8_t flags{trip_flag_rw_temp};  ///< `trip_flag_rw_*`

  friend constexpr bool operator==(const thermal_trip&, const thermal_trip&) noexcept = default;
};

/// Lowest and highest trip temperature accepted (the DT binding's range, m°C).
inline constexpr millicelsius trip_temperature_min{-273'000};
inline constexpr millicelsius trip_temperature_max{200'000};

/// Checks one trip: a valid type, hysteresis ≥ 0, temperature either `temp_invalid` or within
/// [`trip_temperature_min`, `trip_temperature_max`], and a release temperature
/// (temperature − hysteresis) above `temp_invalid`. The error names the rule and carries `index`.
[[nodiscard]] constexpr error validate_trip(const thermal_trip& t, std::int32_t index) noexcept {
  if (static_cast<std::uint8_t>(t.type) > static_cast<std::uint8_t>(trip_type::critical)) {
    return {errc::invalid_argument, "trip type", index};
  }
  if (t.hysteresis.count() < 0) {
    return {errc::negative, "trip hysteresis", index};
  }
  if (t.temperature == temp_invalid) {
    return {};
  }
  if (t.temperature < trip_temperature_min || t.temperature > trip_temperature_max) {
    return {errc::out_of_range, "trip temperature", index};
  }
  // The kernel's sysfs rule: temp must be above hyst + THERMAL_TEMP_INVALID.
  if (static_cast<std::int64_t>(t.temperature.count()) - t.hysteresis.count() <= temp_invalid.count()) {
    return {errc::out_of_range, "trip hysteresis larger than temperature allows", index};
  }
  return {};
}

/// A trip and the zone's state for it (`struct thermal_trip_desc`, Linux 6.12).
struct thermal_trip_desc {
  thermal_trip trip{};
  /// `temperature` while not reached, `temperature − hysteresis` while reached; starts (and
  /// stays, for a disabled trip) at INT_MAX.
  millicelsius threshold{std::numeric_limits<std::int32_t>::max()};
  /// The value a crossing is sorted by: `temperature` (up) or `temperature − hysteresis` (down).
  millicelsius notify_temp{std::numeric_limits<std::int32_t>::max()};

  /// True while the trip is valid (not at `temp_invalid`).
  [[nodiscard]] constexpr bool valid() const noexcept { return trip.temperature != temp_invalid; }
};

}  // namespace thermo::control
