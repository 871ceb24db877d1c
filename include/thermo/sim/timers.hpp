/// @file timers.hpp
/// The simulation's timers: one per event source, laid out in one fixed table so that the
/// event queue (event_queue.hpp) needs no allocation and an event's source is its timer index.
///
///     0 scenario · 1 leakage · 2 fixed-step tick ·
///     then per zone z: poll, interrupt, read completion, comparator, observer ·
///     then one per workload.
///
/// Each timer has a fixed `event_kind`, the tie-break among events at one instant.
#pragma once

#include <cstddef>
#include <cstdint>

#include "thermo/sim/types.hpp"

namespace thermo::sim {

/// The first multiple of `step` after `t` (a fixed-step tick, a comparator's sampling instant).
/// Precondition: step > 0, t ≥ 0.
[[nodiscard]] constexpr sim_time next_grid(sim_time t, sim_duration step) noexcept {
  return sim_time{sim_duration{(t.time_since_epoch().count() / step.count() + 1) * step.count()}};
}

/// Timer indices of a simulation with `Zones` zones and `Workloads` workloads at most.
template <std::size_t Zones, std::size_t Workloads>
struct timer_layout {
  static constexpr std::size_t scenario = 0;
  static constexpr std::size_t leakage = 1;
  static constexpr std::size_t tick = 2;
  static constexpr std::size_t first_zone = 3;

  /// A zone's timers, in this order within its block.
  enum zone_timer : std::size_t { poll = 0, irq = 1, read = 2, comparator = 3, observer = 4, per_zone = 5 };

  static constexpr std::size_t first_workload = first_zone + per_zone * Zones;
  /// Timers in all (the event queue's capacity).
  static constexpr std::size_t count = first_workload + Workloads;

  [[nodiscard]] static constexpr std::size_t zone(std::size_t z, zone_timer which) noexcept {
    return first_zone + z * per_zone + which;
  }
  [[nodiscard]] static constexpr std::size_t workload(std::size_t w) noexcept { return first_workload + w; }

  /// A zone's timer (poll, interrupt, read, comparator, observer)?
  [[nodiscard]] static constexpr bool is_zone(std::size_t timer) noexcept {
    return timer >= first_zone && timer < first_workload;
  }
  /// The zone of a zone timer, and which of its timers it is.
  [[nodiscard]] static constexpr std::size_t zone_of(std::size_t timer) noexcept {
    return (timer - first_zone) / per_zone;
  }
  [[nodiscard]] static constexpr zone_timer which(std::size_t timer) noexcept {
    return static_cast<zone_timer>((timer - first_zone) % per_zone);
  }

  /// The index the recorder shows as an event's source: the zone or workload, else 0.
  [[nodiscard]] static constexpr std::uint32_t source_of(std::size_t timer) noexcept {
    if (timer >= first_workload) {
      return static_cast<std::uint32_t>(timer - first_workload);
    }
    if (timer >= first_zone) {
      return static_cast<std::uint32_t>(zone_of(timer));
    }
    return 0;
  }

  /// Gives every timer of `zones` zones and `workloads` workloads its event kind.
  template <class Queue>
  static constexpr void set_kinds(Queue& q, std::size_t zones, std::size_t workloads) noexcept {
    q.set_kind(scenario, static_cast<std::uint8_t>(event_kind::scenario));
    q.set_kind(leakage, static_cast<std::uint8_t>(event_kind::leakage));
    q.set_kind(tick, static_cast<std::uint8_t>(event_kind::tick));
    for (std::size_t z = 0; z < zones; ++z) {
      q.set_kind(zone(z, poll), static_cast<std::uint8_t>(event_kind::poll));
      q.set_kind(zone(z, irq), static_cast<std::uint8_t>(event_kind::interrupt));
      q.set_kind(zone(z, read), static_cast<std::uint8_t>(event_kind::read_complete));
      q.set_kind(zone(z, comparator), static_cast<std::uint8_t>(event_kind::comparator));
      q.set_kind(zone(z, observer), static_cast<std::uint8_t>(event_kind::observer));
    }
    for (std::size_t w = 0; w < workloads; ++w) {
      q.set_kind(workload(w), static_cast<std::uint8_t>(event_kind::workload));
    }
  }
};

}  // namespace thermo::sim
