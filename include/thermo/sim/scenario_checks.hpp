/// @file scenario_checks.hpp
/// The checks `simulation::add_event` makes on a scripted event against the parts it names
/// (the node, fan, sensor or zone of its `target`), split out of simulation.hpp: one concern,
/// no state. No heap.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

#include "thermo/core/errc.hpp"
#include "thermo/sim/operating_point.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/scenario.hpp"
#include "thermo/sim/types.hpp"
#include "thermo/sim/zone_ports.hpp"

namespace thermo::sim {

/// Whether scripted event `e` can run on these parts: `negative` "event time"; `out_of_range`
/// "event target" (node, fan, sensor or zone index); `not_finite` "event value";
/// `invalid_argument` "event callback" (call without a function) / "fan" (target is not a fan).
/// The capacity and the started state are the simulation's to check. O(1).
template <class Limits>
[[nodiscard]] error check_scenario_event(const scenario_event& e, const plant<Limits>& p, const operating_point<Limits>& ops,
                                         const zone_ports<Limits>& ports) noexcept {
  const auto idx = [](std::size_t i) {
    return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
  };
  if (e.at < sim_time{}) {
    return {errc::negative, "event time"};
  }
  const auto bad_target = error{errc::out_of_range, "event target", idx(e.target)};
  switch (e.action) {
    case scenario_action::set_ambient:
      if (!std::isfinite(e.value)) {
        return {errc::not_finite, "event value"};
      }
      break;
    case scenario_action::set_node_power:
      if (!p.has_node(e.target)) {
        return bad_target;
      }
      if (!std::isfinite(e.value)) {
        return {errc::not_finite, "event value"};
      }
      break;
    case scenario_action::fan_failure:
    case scenario_action::fan_restore:
      if (e.target >= ops.cooling_count()) {
        return bad_target;
      }
      if (ops.kind(e.target) != cooling_kind::fan) {
        return {errc::invalid_argument, "fan", idx(e.target)};
      }
      break;
    case scenario_action::sensor_fault:
    case scenario_action::sensor_restore:
      if (e.target >= ports.sensor_count()) {
        return bad_target;
      }
      break;
    case scenario_action::zone_enable:
    case scenario_action::zone_disable:
    case scenario_action::set_trip_temperature:
      if (e.target >= ports.zone_count()) {
        return bad_target;
      }
      break;
    case scenario_action::call:
      if (e.fn == nullptr) {
        return {errc::invalid_argument, "event callback"};
      }
      break;
  }
  return {};
}

}  // namespace thermo::sim
