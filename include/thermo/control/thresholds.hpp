/// @file thresholds.hpp
/// User thresholds (Linux ≥ 6.13, `thermal_thresholds.c`), an opt-in feature of a zone
/// (`thermal_zone<…, MaxThresholds>` with MaxThresholds > 0).
///
/// A threshold is a temperature with a direction mask (`way_up`, `way_down`). Thresholds do not
/// drive governors; they narrow the interrupt window and produce THRESHOLD_UP / THRESHOLD_DOWN
/// events. The rules, restated from the mainline code:
/// * window: `high := min(t : T < t, way_up)`, `low := max(t : t < T, way_down)` (only
///   narrowing the trip window);
/// * one THRESHOLD_UP when T > T_last and some `way_up` t has T_last < t ≤ T;
/// * one THRESHOLD_DOWN when T < T_last and some `way_down` t has T ≤ t < T_last;
/// * nothing when T == T_last or when T_last is `temp_invalid`. Note: the kernel compares with
///   THERMAL_TEMP_INVALID, while a zone's first sample follows THERMAL_TEMP_INIT; so a first
///   sample *can* report THRESHOLD_UP — we reproduce the code, not the comment above it.
#pragma once

#include <cstdint>
#include <limits>
#include <span>

#include "thermo/control/types.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// Direction bits of a user threshold (`THERMAL_THRESHOLD_WAY_UP` / `_WAY_DOWN`).
inline constexpr std::uint8_t threshold_way_up = 0x1;
inline constexpr std::uint8_t threshold_way_down = 0x2;

/// One user threshold.
struct user_threshold {
  millicelsius temperature{0};
  std::uint8_t direction{0};  ///< `threshold_way_up` | `threshold_way_down`
  friend constexpr bool operator==(const user_threshold&, const user_threshold&) noexcept = default;
};

/// Narrows (low, high) with the thresholds (sorted ascending) around temperature `t`.
constexpr void threshold_window(std::span<const user_threshold> ts, millicelsius t, millicelsius& low,
                                millicelsius& high) noexcept {
  for (const user_threshold& u : ts) {
    if (t < u.temperature && (u.direction & threshold_way_up) != 0 && high > u.temperature) {
      high = u.temperature;
    }
  }
  for (auto it = ts.rbegin(); it != ts.rend(); ++it) {
    if (t > it->temperature && (it->direction & threshold_way_down) != 0 && low < it->temperature) {
      low = it->temperature;
    }
  }
}

/// Which threshold event a change from `last` to `t` produces: +1 (THRESHOLD_UP), −1
/// (THRESHOLD_DOWN) or 0.
[[nodiscard]] constexpr int threshold_crossing(std::span<const user_threshold> ts, millicelsius t,
                                               millicelsius last) noexcept {
  if (last == temp_invalid || last == t) {
    return 0;
  }
  if (t > last) {
    for (const user_threshold& u : ts) {
      if ((u.direction & threshold_way_up) != 0 && t >= u.temperature && last < u.temperature) {
        return 1;
      }
    }
    return 0;
  }
  for (auto it = ts.rbegin(); it != ts.rend(); ++it) {
    if ((it->direction & threshold_way_down) != 0 && t <= it->temperature && last > it->temperature) {
      return -1;
    }
  }
  return 0;
}

}  // namespace thermo::control
