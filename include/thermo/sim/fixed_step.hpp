/// @file fixed_step.hpp
/// One grid point of the fixed-step mode (`sim_options::mode = fixed_step`), split out of
/// simulation.hpp: the crossing observers and the interrupt comparators are checked only here,
/// and leakage is re-evaluated at every step. The simulation schedules the next tick. No heap.
#pragma once

#include <cstddef>

#include "thermo/core/time.hpp"
#include "thermo/sim/comparators.hpp"
#include "thermo/sim/config.hpp"
#include "thermo/sim/crossing_observer.hpp"
#include "thermo/sim/metrics.hpp"
#include "thermo/sim/operating_point.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/zone_ports.hpp"

namespace thermo::sim {

/// The work of one fixed-step tick at `now`: per zone, the observer's step (if crossings are
/// tracked) and an armed comparator that has tripped fires (scheduling its interrupt on
/// `queue`); then a leaky plant is marked for re-evaluation.
template <class Limits, class Queue>
void fixed_step_tick(zone_ports<Limits>& ports, const plant<Limits>& p, operating_point<Limits>& ops,
                     comparators<Limits>& cmp, crossing_observer<Limits>& observer, metrics_of<Limits>& metrics,
                     const sim_options& opt, sim_time now, Queue& queue) noexcept {
  for (std::size_t z = 0; z < ports.zone_count(); ++z) {
    if (opt.track_crossings) {
      observer.step(z, ports.zone(z), p.sensed(ports.sensor_of(z)), now, metrics);
    }
    if (ports.interrupt(z) && cmp.armed(z) && comparators<Limits>::tripped(z, ports, p)) {
      cmp.fire(z, ports, now, opt.min_irq_interval, queue);
    }
  }
  if (ops.leaks()) {
    ops.mark_leaky();
  }
}

}  // namespace thermo::sim
