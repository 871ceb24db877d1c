/// @file fair_share.hpp
/// The fair_share governor (Linux 6.12, kernel-reference.md §2.3): every cooling device bound to
/// a trip gets a share of its states proportional to how many trips are reached and to its
/// instance weight.
///
///     level  = (number of trips with threshold ≤ T) − 1, or 0 when none is reached
///     target = ⌊level · max_state · weight / (num_trips · Σweights)⌋   (Σweights > 0)
///     target = ⌊level · max_state / (num_trips · n_instances)⌋         (all weights 0)
///
/// `num_trips` counts every trip of the zone (hot and critical included); the "− 1" means one
/// reached trip gives target 0 (6.12 and current mainline; ≤ 6.9 had no "− 1"). Instance limits
/// are ignored, as in the kernel. Each instance's device is updated at once (max rule).
///
/// Stateless: one object may serve any number of zones. No heap, exceptions, RTTI, globals.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/cooling_device.hpp"
#include "thermo/control/governors/common.hpp"
#include "thermo/control/instance.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// `get_trip_level`: (number of trips whose threshold ≤ t) − 1, or 0 when there is none.
/// Disabled trips never count (their threshold stays INT_MAX). O(trips).
[[nodiscard]] constexpr std::int32_t fair_share_level(std::span<const thermal_trip_desc> trips,
                                                      millicelsius t) noexcept {
  std::int32_t level = -1;
  for (const thermal_trip_desc& td : trips) {
    if (td.threshold <= t) {
      ++level;
    }
  }
  return level < 0 ? 0 : level;
}

/// One instance's target: `level · max_state [· weight]` (u64) over
/// `num_trips · (total_weight or n_instances)` (u32, wrapping like the kernel's), truncated.
/// A zero divisor (only reachable through u32 wrap-around) gives 0, as arm64's udiv does. O(1).
[[nodiscard]] constexpr cooling_state fair_share_target(std::int32_t level, cooling_state max_state,
                                                        std::uint32_t weight, std::uint32_t total_weight,
                                                        std::uint32_t num_trips,
                                                        std::uint32_t n_instances) noexcept {
  std::uint64_t dividend = static_cast<std::uint64_t>(level < 0 ? 0 : level) * max_state;
  std::uint32_t divisor = num_trips;
  if (total_weight != 0) {
    dividend *= weight;
    divisor *= total_weight;
  } else {
    divisor *= n_instances;
  }
  if (divisor == 0) {
    return 0;
  }
  return static_cast<cooling_state>(dividend / divisor);
}

/// The fair_share governor.
class fair_share {
 public:
  [[nodiscard]] static constexpr std::string_view name() noexcept { return "fair_share"; }

  /// `fair_share_manage`: for each valid, non-hot, non-critical trip, every instance gets
  /// `fair_share_target` and its device is updated. O(trips · instances).
  void manage(thermal_zone_device& tz) noexcept {
    const std::span<const thermal_trip_desc> trips = tz.trips();
    const std::int32_t level = fair_share_level(trips, tz.temperature());
    const auto num_trips = static_cast<std::uint32_t>(trips.size());
    for (std::size_t k = 0; k < trips.size(); ++k) {
      if (governor_skips_trip(trips[k].trip)) {
        continue;
      }
      const auto id = static_cast<std::int32_t>(k);
      std::uint32_t total_weight = 0;
      std::uint32_t n = 0;
      for (const thermal_instance& i : tz.instances()) {
        if (i.trip == id) {
          total_weight += i.weight;
          ++n;
        }
      }
      for (thermal_instance& i : tz.instances()) {
        if (i.trip != id || i.cdev == nullptr) {
          continue;
        }
        i.target = fair_share_target(level, i.cdev->max_state(), i.weight, total_weight, num_trips, n);
        i.cdev->update_nocheck(tz.now());
      }
    }
  }
};

}  // namespace thermo::control
