/// @file instance.hpp
/// `thermal_instance`: one binding of a cooling device to a trip of a zone, with the
/// cooling-map limits, the weight and the governor's vote (`target`).
///
/// Instances live inside their zone (fixed capacity) and are chained, through `cdev_next`,
/// into the list of every instance of their cooling device across all zones — which is what
/// the max rule walks. Governors read `lower`, `upper`, `weight`, `initialized` and write
/// `target` / `initialized`, as kernel governors do; the other fields belong to the core.
#pragma once

#include <cstdint>

#include "thermo/control/types.hpp"

namespace thermo::control {

class thermal_zone_device;
class thermal_cooling_device;

/// A (zone, trip, cooling device) binding (`struct thermal_instance`, Linux 6.12).
struct thermal_instance {
  std::int32_t id{-1};                  ///< per-zone id (lowest free, like the kernel's ida)
  thermal_zone_device* tz{nullptr};     ///< owning zone
  std::int32_t trip{-1};                ///< index of the trip in the zone's trip table
  thermal_cooling_device* cdev{nullptr};
  cooling_state lower{0};               ///< lowest state a vote may ask for
  cooling_state upper{0};               ///< highest state a vote may ask for (≤ max_state)
  cooling_state target{no_target};      ///< the governor's vote, or `no_target`
  std::uint32_t weight{weight_default}; ///< DT `contribution` (1024 ≙ 1.0 for IPA)
  bool upper_no_limit{false};           ///< upper was `no_limit` (follows max_state changes)
  bool initialized{false};              ///< the governor has voted since bind / resume

  // ---- core-private ----
  thermal_instance* cdev_next{nullptr};               ///< next instance of the same cdev
  void (*release)(thermal_instance*) noexcept{nullptr};  ///< zone hook: unbind this instance
};

/// A cooling-map entry as `bind` takes it (`struct cooling_spec`): limits in cooling states,
/// `no_limit` meaning 0 (lower) or max_state (upper), and the weight.
struct cooling_spec {
  cooling_state lower{no_limit};
  cooling_state upper{no_limit};
  std::uint32_t weight{weight_default};
};

}  // namespace thermo::control
