/// @file zone_types.hpp
/// What a thermal zone is set up with and what its updates report (Linux 6.12): the zone's
/// configuration (`thermal_zone_params`, `zone_config`), the kernel's re-check delays and
/// window edges, and `update_result`. The zone itself is control/zone.hpp.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string_view>

#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// `THERMAL_RECHECK_DELAY`: first re-check delay after a failed read (and the fixed one for
/// `try_again`).
inline constexpr milliseconds recheck_delay_initial{250};
/// `THERMAL_MAX_RECHECK_DELAY`: once the back-off exceeds this the zone is disabled.
inline constexpr milliseconds recheck_delay_max{120'000};

/// Window edges before any trip narrows them (−INT_MAX, INT_MAX).
inline constexpr millicelsius window_low_none{-std::numeric_limits<std::int32_t>::max()};
inline constexpr millicelsius window_high_none{std::numeric_limits<std::int32_t>::max()};

/// Zone parameters (`struct thermal_zone_params`) the core stores for governors. The core itself
/// does not use them (slope/offset are for sensor drivers).
struct thermal_zone_params {
  std::int32_t sustainable_power{0};  ///< mW (DT `sustainable-power`), 0 = estimate (IPA)
  std::int32_t k_po{0};
  std::int32_t k_pu{0};
  std::int32_t k_i{0};
  std::int32_t k_d{0};
  std::int32_t integral_cutoff{0};
  std::int32_t slope{1};   ///< DT `coefficients` first value
  std::int32_t offset{0};  ///< DT `coefficients` second value
  bool no_hwmon{true};
};

/// What `thermal_zone_device::setup` needs (the arguments of
/// `thermal_zone_device_register_with_trips`).
struct zone_config {
  std::int32_t id{0};
  std::string_view type{};               ///< name, 1..19 characters (e.g. "cpu-thermal")
  milliseconds polling_delay{0};         ///< 0 = interrupt driven
  milliseconds passive_delay{0};         ///< 0 = use polling_delay while passive
  thermal_zone_params tzp{};
  critical_action on_critical{critical_action::shutdown};  ///< DT `critical-action`
};

/// Outcome of one zone update.
enum class update_status : std::uint8_t {
  updated,               ///< a valid sample was processed (trips, window, governor)
  no_valid_temperature,  ///< the sensor returned ≤ `temp_invalid`: only polling re-armed
  read_failed,           ///< the sensor failed: a re-check is scheduled
  broken,                ///< the back-off passed 120 s: the zone was disabled (TZ_DISABLE sent)
  not_ready,             ///< not set up, disabled or suspended: nothing happened
  skipped,               ///< the request changed nothing (mode already set, equal value …)
};

/// What one update (or an operation that ran one) did. `next_update` is the time of the pending
/// poll / re-check, if any — the caller should call `update` then.
struct update_result {
  update_status status{update_status::not_ready};
  errc error{errc::ok};                  ///< the sensor's (or change_mode's) error, if any
  std::optional<sim_time> next_update{};  ///< when the poll timer fires (none = interrupt only)
  millicelsius low{window_low_none};     ///< window computed by this update (status updated)
  millicelsius high{window_high_none};
  bool window_programmed{false};         ///< `set_trips` was called with (low, high)
  std::uint8_t crossings_up{0};
  std::uint8_t crossings_down{0};
  std::uint8_t hot_calls{0};
  std::uint8_t critical_calls{0};
  critical_action critical{critical_action::none};  ///< requested by the default handler
};

}  // namespace thermo::control
