/// @file comparators.hpp
/// Sensor interrupts, exactly timed. An interrupt-capable zone programs a window (low, high) on
/// its sensor after each update (zone_ports.hpp); the sensor's comparator trips at the first
/// instant its quantised reading leaves the window — found by a crossing search of the
/// continuous temperature against the window's edges in reading space (crossing_search.hpp),
/// snapped to the comparator's sampling period when it has one — and its IRQ handler then runs
/// after the IRQ latency, never sooner than `min_irq_interval` after the previous one. The
/// comparator waits for the zone to re-arm it (the next update programs a new window).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "thermo/control/types.hpp"
#include "thermo/core/time.hpp"
#include "thermo/sim/crossing_search.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/timers.hpp"
#include "thermo/sim/zone_ports.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// The comparators of the zones of a `simulation<Limits>`.
template <class Limits>
class comparators : public search_marks<Limits::zones> {
 public:
  using timers = timer_layout<Limits::zones, Limits::workloads>;

  /// Zone `z` was updated: its comparator is armed when the zone is active and has programmed a
  /// window, and must be searched again.
  void arm(std::size_t z, bool armed) noexcept {
    state_[z].armed = armed;
    this->mark(z);
  }
  [[nodiscard]] bool armed(std::size_t z) const noexcept { return state_[z].armed; }
  /// Zone `z`'s interrupt handler runs now.
  void on_irq(std::size_t z, sim_time now) noexcept { state_[z].last_irq = now; }

  /// Whether zone `z`'s comparator sees its reading outside the window now.
  [[nodiscard]] static bool tripped(std::size_t z, const zone_ports<Limits>& ports, const plant<Limits>& p) noexcept {
    const sensor_model& sm = ports.sensor_of_zone(z);
    const auto& port = ports.port(z);
    if (!sm.comparator_active() || !port.programmed) {
      return false;
    }
    const millicelsius q = sm.quantise(p.sensed(ports.sensor_of(z)));
    const millicelsius lo = port.low;
    const millicelsius hi = port.high;
    const bool strict = lo == hi;
    const bool rise = hi != control::window_high_none && (strict ? q > hi : q >= hi);
    const bool fall = lo != control::window_low_none && q < lo;
    return rise || fall;
  }

  /// Schedules zone `z`'s comparator event at the first instant in [now, until] its reading
  /// leaves the window (with expansion `ex` of its sensor), or cancels it.
  template <class Queue>
  void search(std::size_t z, typename crossing_search<Limits>::expansion& ex, sim_time until,
              const zone_ports<Limits>& ports, const plant<Limits>& p, crossing_search<Limits>& finder,
              sim_time now, double tolerance, std::uint64_t& searches, Queue& q) noexcept {
    entry& s = state_[z];
    this->begin(z);
    const std::size_t timer = timers::zone(z, timers::comparator);
    const sensor_model& sm = ports.sensor_of_zone(z);
    const auto& port = ports.port(z);
    if (!ports.interrupt(z) || !s.armed || !ports.active(z) || !sm.comparator_active() || !port.programmed) {
      q.cancel(timer);
      return;
    }
    const std::size_t sensor = ports.sensor_of(z);
    const bool strict = port.low == port.high;
    const double up_edge = sm.rising_threshold(port.high, strict);
    const double down_edge = sm.falling_threshold(port.low);
    using search = crossing_search<Limits>;
    const double up = up_edge + search::band(ex, std::isfinite(up_edge) ? up_edge : 0.0);
    const double down = down_edge - search::band(ex, std::isfinite(down_edge) ? down_edge : 0.0);
    const auto r = finder.find(ex, p, sensor, up, crossing_direction::rising, now, until, tolerance, searches);
    const auto f = finder.find(ex, p, sensor, down, crossing_direction::falling, now, until, tolerance, searches);
    sim_time best = std::min(r.time, f.time);
    if (best == never) {
      q.cancel(timer);
      if (r.possible || f.possible) {
        this->holds_until(z, until);  // the window holds up to `until`: look again from there
      }
      return;
    }
    const sim_duration period = sm.params().comparator_period;
    if (period.count() > 0 && best.time_since_epoch().count() % period.count() != 0) {
      best = next_grid(best, period);
    }
    if (s.failed_at == now) {
      best = std::max(best, now + microseconds{1});
    }
    q.schedule(timer, best);
  }

  /// Zone `z`'s comparator event: it trips if the reading is outside the window; else (it came
  /// back before a sampling instant, or a rounding hair short) it is searched again. True when
  /// it tripped.
  template <class Queue>
  bool event(std::size_t z, const zone_ports<Limits>& ports, const plant<Limits>& p, sim_time now,
             sim_duration min_irq_interval, Queue& q) noexcept {
    if (tripped(z, ports, p)) {
      fire(z, ports, now, min_irq_interval, q);
      return true;
    }
    state_[z].failed_at = now;
    this->mark(z);
    return false;
  }

  /// The comparator tripped: the IRQ handler runs after the latency (and not sooner than
  /// `min_irq_interval` after the previous one); the comparator waits for the zone to re-arm it.
  template <class Queue>
  void fire(std::size_t z, const zone_ports<Limits>& ports, sim_time now, sim_duration min_irq_interval,
            Queue& q) noexcept {
    entry& s = state_[z];
    s.armed = false;
    q.cancel(timers::zone(z, timers::comparator));
    const sim_duration lat = ports.sensor_of_zone(z).params().irq_latency;
    const sim_time at = std::max(now + lat, s.last_irq + min_irq_interval);
    if (!q.armed(timers::zone(z, timers::irq))) {
      q.schedule(timers::zone(z, timers::irq), at);
    }
  }

 private:
  struct entry {
    bool armed{false};
    sim_time last_irq{sim_duration{std::numeric_limits<std::int64_t>::min() / 2}};
    sim_time failed_at{sim_duration{-1}};
  };
  std::array<entry, Limits::zones> state_{};
};

}  // namespace thermo::sim
