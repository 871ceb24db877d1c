/// @file types.hpp
/// Vocabulary of the control half shared by zones, trips, instances and cooling devices:
/// cooling states and the kernel's special values (`THERMAL_NO_LIMIT`, `THERMAL_NO_TARGET`,
/// `THERMAL_TEMP_INVALID`, `THERMAL_TEMP_INIT`), zone modes, trends and notify events.
///
/// Everything here mirrors `include/linux/thermal.h` of Linux 6.12 (values included), restated in
/// our own words. See docs/reference/control.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#include "thermo/core/units.hpp"

namespace thermo::control {

/// A cooling state: 0 = no cooling, `max_state` = the most cooling (kernel `unsigned long`).
using cooling_state = std::uint32_t;

/// `THERMAL_NO_LIMIT`: a cooling-map limit meaning "0" (lower) or "max_state" (upper).
inline constexpr cooling_state no_limit = 0xFFFF'FFFFU;
/// `THERMAL_NO_TARGET`: an instance that does not vote in the max rule.
inline constexpr cooling_state no_target = 0xFFFF'FFFFU;
/// `THERMAL_WEIGHT_DEFAULT`: the weight of an instance whose map has no `contribution`.
inline constexpr std::uint32_t weight_default = 0;

/// `THERMAL_TEMP_INVALID` (−274 °C): "no valid value". A trip at this temperature is disabled.
inline constexpr millicelsius temp_invalid{-274'000};
/// `THERMAL_TEMP_INIT` (INT_MIN): a zone's temperature before its first valid sample.
inline constexpr millicelsius temp_init{std::numeric_limits<std::int32_t>::min()};

/// `THERMAL_NAME_LENGTH`: zone and governor names hold at most 19 characters.
inline constexpr std::size_t name_length = 20;

/// Room for a cooling-device type, NUL included: 31 characters. The kernel does not cut a
/// cooling device's type to THERMAL_NAME_LENGTH: since 5.13 `thermal_cooling_device::type` is a
/// `const char *` holding a copy of the whole string (`kstrdup_const` in 6.12), and the drivers
/// name their devices after the device they cool — "cpufreq-cpu0", "devfreq-ff9a0000.gpu" (20
/// characters), "pwm-fan". thermo keeps the type in place (no heap), so it needs a bound; 31
/// characters hold "devfreq-" and a 23-character device name. A longer type is refused at setup
/// with an error, never cut.
inline constexpr std::size_t cdev_type_length = 32;

/// A name of at most `Capacity − 1` characters, stored in place (no heap), NUL-terminated.
template <std::size_t Capacity>
struct basic_fixed_name {
  static_assert(Capacity > 1, "room for one character and the NUL");
  std::array<char, Capacity> chars{};

  /// Copies `s`; returns false (and stores nothing) when `s` does not fit.
  constexpr bool assign(std::string_view s) noexcept {
    if (s.size() >= Capacity) {
      return false;
    }
    chars = {};
    for (std::size_t i = 0; i < s.size(); ++i) {
      chars[i] = s[i];
    }
    return true;
  }
  /// The stored characters.
  [[nodiscard]] constexpr std::string_view view() const noexcept {
    std::size_t n = 0;
    while (n < Capacity && chars[n] != '\0') {
      ++n;
    }
    return {chars.data(), n};
  }
  friend constexpr bool operator==(const basic_fixed_name&, const basic_fixed_name&) noexcept = default;
};

/// A zone or governor name (`THERMAL_NAME_LENGTH`: 19 characters).
using fixed_name = basic_fixed_name<name_length>;
/// A cooling-device type (31 characters, see `cdev_type_length`).
using cdev_type_name = basic_fixed_name<cdev_type_length>;

/// `enum thermal_device_mode`.
enum class thermal_device_mode : std::uint8_t {
  disabled = 0,
  enabled = 1,
};

/// `enum thermal_trend` (used by step_wise).
enum class thermal_trend : std::uint8_t {
  stable = 0,    ///< temperature unchanged
  raising = 1,   ///< temperature going up
  dropping = 2,  ///< temperature going down
};

/// `enum thermal_notify_event`: why a zone update runs (stored as the zone's `notify_event`,
/// reported by the user_space governor) and, for the last four, the reason passed to a
/// governor's `update_tz`. Values are the kernel's.
enum class notify_event : std::uint8_t {
  unspecified = 0,
  temp_sample = 1,
  trip_violated = 2,
  trip_changed = 3,
  device_down = 4,
  device_up = 5,
  device_power_capability_changed = 6,
  table_changed = 7,
  keep_alive = 8,
  tz_bind_cdev = 9,
  tz_unbind_cdev = 10,
  instance_weight_changed = 11,
  tz_resume = 12,
  tz_add_threshold = 13,     ///< [≥6.13] user threshold added
  tz_del_threshold = 14,     ///< [≥6.13] user threshold deleted
  tz_flush_thresholds = 15,  ///< [≥6.13] user thresholds flushed
};

/// What the default critical handler asks the system to do (DT `critical-action`).
enum class critical_action : std::uint8_t {
  none = 0,      ///< nothing requested
  shutdown = 1,  ///< `hw_protection_shutdown` (the kernel default)
  reboot = 2,    ///< `hw_protection_reboot` (DT `critical-action = "reboot"`)
};

}  // namespace thermo::control
