/// @file crossing_observer.hpp
/// The metrics' view of each zone: when its sensed temperature (the probe's continuous value)
/// really crossed each trip and release temperature, so that every detection by the zone can be
/// timed against the physical crossing it reports (docs/explanation/simulation.md#metrics).
///
/// Each zone's trip and release temperatures form an ascending list of levels; the observer
/// keeps where the sensed temperature sits among them and schedules its next crossing exactly
/// (crossing_search.hpp), or checks at every step in fixed-step mode. It also keeps, per trip,
/// the time above it, the time the zone considered it reached, peaks and overshoots.
/// Observers are passive: they never change the trajectory.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "thermo/control/trip.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/sim/config.hpp"
#include "thermo/sim/crossing_search.hpp"
#include "thermo/sim/metrics.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/timers.hpp"
#include "thermo/sim/zone_ports.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// The crossing observers of the zones of a `simulation<Limits>`.
template <class Limits>
class crossing_observer : public search_marks<Limits::zones> {
 public:
  using timers = timer_layout<Limits::zones, Limits::workloads>;
  using metrics_type = metrics_of<Limits>;

  /// Rebuilds zone `z`'s levels from the trips of `zone` and places the sensed temperature
  /// `sensed` among them (after a trip change, and at start). A trip it starts above counts as
  /// crossed now.
  template <class Zone>
  void reset(std::size_t z, const Zone& zone, double sensed, sim_time now, metrics_type& metrics) noexcept {
    entry& s = state_[z];
    s.levels.clear();
    const std::size_t n = std::min(zone.num_trips(), Limits::trips);
    std::array<double, 2 * Limits::trips> raw{};
    std::size_t m = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const control::thermal_trip& t = zone.trip(i).trip;
      s.trip_valid[i] = t.temperature != control::temp_invalid;
      if (s.trip_valid[i]) {
        raw[m++] = static_cast<double>(t.temperature.count()) / 1000.0;
        raw[m++] = static_cast<double>((t.temperature - t.hysteresis).count()) / 1000.0;
      }
    }
    for (std::size_t a = 1; a < m; ++a) {  // insertion sort: at most 2·trips values
      for (std::size_t b = a; b > 0 && raw[b] < raw[b - 1]; --b) {
        std::swap(raw[b], raw[b - 1]);
      }
    }
    for (std::size_t k = 0; k < m; ++k) {
      if (s.levels.empty() || raw[k] != s.levels.back()) {
        static_cast<void>(s.levels.push_back(raw[k]));
      }
    }
    const auto level_of = [&](double v) {
      std::size_t k = 0;
      while (k < s.levels.size() && s.levels[k] != v) {
        ++k;
      }
      return k;
    };
    s.pos = 0;
    while (s.pos < s.levels.size() && sensed >= s.levels[s.pos]) {
      ++s.pos;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!s.trip_valid[i]) {
        s.above[i] = false;
        continue;
      }
      const control::thermal_trip& t = zone.trip(i).trip;
      metrics.zones[z].trips[i].temperature = t.temperature;
      metrics.zones[z].trips[i].hysteresis = t.hysteresis;
      s.up_level[i] = level_of(static_cast<double>(t.temperature.count()) / 1000.0);
      s.down_level[i] = level_of(static_cast<double>((t.temperature - t.hysteresis).count()) / 1000.0);
      const bool above = s.pos > s.up_level[i];
      if (above && !s.above[i]) {  // starts (or becomes) above: count it as a crossing now
        s.above_since[i] = now;
        s.crossed_up[i] = now;
        s.pending_detection[i] = true;
        ++metrics.zones[z].trips[i].crossings;
      } else if (!above && s.above[i]) {
        metrics.zones[z].trips[i].time_above_s += to_seconds(now - s.above_since[i]);
      }
      s.above[i] = above;
    }
    this->mark(z);
  }

  /// Schedules zone `z`'s next crossing of a level in [now, until] (with expansion `ex` of its
  /// sensor `sensor`), or cancels it. `track`: crossings are tracked at all.
  template <class Queue>
  void search(std::size_t z, typename crossing_search<Limits>::expansion& ex, sim_time until, std::size_t sensor,
              const plant<Limits>& p, crossing_search<Limits>& finder, sim_time now, bool track, double tolerance,
              std::uint64_t& searches, Queue& q) noexcept {
    entry& s = state_[z];
    this->begin(z);
    const std::size_t timer = timers::zone(z, timers::observer);
    if (!track || s.levels.empty()) {
      q.cancel(timer);
      return;
    }
    typename crossing_search<Limits>::found best{never, false};
    int dir = 0;
    if (s.pos < s.levels.size()) {
      const auto f = finder.find(ex, p, sensor, s.levels[s.pos], crossing_direction::rising, now, until, tolerance,
                                 searches);
      best.possible = f.possible;
      if (f.time < best.time) {
        best.time = f.time;
        dir = +1;
      }
    }
    if (s.pos > 0) {
      const double level = s.levels[s.pos - 1];
      const auto f = finder.find(ex, p, sensor, level - crossing_search<Limits>::band(ex, level),
                                 crossing_direction::falling, now, until, tolerance, searches);
      best.possible = best.possible || f.possible;
      if (f.time < best.time) {
        best.time = f.time;
        dir = -1;
      }
    }
    s.direction = dir;
    if (best.time != never) {
      // Guard: a level can be crossed at most once per direction at one instant; more means the
      // representation cannot resolve it (see `band`), so look again a nanosecond later.
      if (best.time == now && s.fired_at == now && s.fired_count > 2 * s.levels.size()) {
        best.time = now + sim_duration{1};
      }
      q.schedule(timer, best.time);
    } else {
      q.cancel(timer);
      if (best.possible) {
        this->holds_until(z, until);  // nothing up to `until`: look again from there
      }
    }
  }

  /// Zone `z`'s observer event: the crossing it scheduled happens now.
  template <class Zone>
  void event(std::size_t z, const Zone& zone, sim_time now, metrics_type& metrics) noexcept {
    entry& s = state_[z];
    s.fired_count = s.fired_at == now ? s.fired_count + 1 : 1;
    s.fired_at = now;
    cross(z, s.direction, zone, now, metrics);
    this->mark(z);
  }

  /// Fixed-step mode: zone `z`'s crossings of the levels between the last step and `sensed`.
  template <class Zone>
  void step(std::size_t z, const Zone& zone, double sensed, sim_time now, metrics_type& metrics) noexcept {
    entry& s = state_[z];
    while (s.pos < s.levels.size() && sensed >= s.levels[s.pos]) {
      cross(z, +1, zone, now, metrics);
    }
    while (s.pos > 0 && sensed < s.levels[s.pos - 1]) {
      cross(z, -1, zone, now, metrics);
    }
  }

  /// Zone `z` reported trip `i` crossed up (`up`) or down now, with its sensed temperature at
  /// `sensed`: a detection timed against the physical crossing, or a false alarm.
  void detection(std::size_t z, std::size_t i, bool up, double sensed, sim_time now, metrics_type& metrics) noexcept {
    entry& s = state_[z];
    trip_metrics& tm = metrics.zones[z].trips[i];
    crossing_record rec;
    rec.zone = static_cast<std::uint16_t>(z);
    rec.trip = static_cast<std::uint16_t>(i);
    rec.up = up;
    rec.detected = now;
    rec.temperature_c = sensed;
    const double trip_c = static_cast<double>(tm.temperature.count()) / 1000.0;
    const double release_c = static_cast<double>((tm.temperature - tm.hysteresis).count()) / 1000.0;
    if (up) {
      rec.overshoot_c = sensed - trip_c;
      rec.physical = s.trip_valid[i] && s.pos > s.up_level[i];
      if (rec.physical) {
        rec.crossed = s.crossed_up[i];
        rec.latency_s = to_seconds(now - rec.crossed);
        s.pending_detection[i] = false;
        ++tm.detections;
        s.latency_sum[i] += rec.latency_s;
        tm.latency_max_s = std::max(tm.latency_max_s, rec.latency_s);
        tm.overshoot_at_detection_max_c = std::max(tm.overshoot_at_detection_max_c, rec.overshoot_c);
      } else {
        ++tm.false_alarms;
      }
    } else {
      rec.overshoot_c = release_c - sensed;
      rec.physical = s.trip_valid[i] && s.pos <= s.down_level[i];
      if (rec.physical) {
        rec.crossed = s.crossed_down[i];
        rec.latency_s = to_seconds(now - rec.crossed);
        ++tm.releases;
        s.release_sum[i] += rec.latency_s;
        tm.release_latency_max_s = std::max(tm.release_latency_max_s, rec.latency_s);
      } else {
        ++tm.false_alarms;
      }
    }
    if (metrics.crossings.push_back(rec) != errc::ok) {
      ++metrics.crossings_dropped;
    }
  }

  /// After an update of zone `z`: the time each trip was considered reached by the zone.
  template <class Zone>
  void update_reached(std::size_t z, const Zone& zone, sim_time now, metrics_type& metrics) noexcept {
    entry& s = state_[z];
    for (std::size_t i = 0; i < zone.num_trips() && i < Limits::trips; ++i) {
      const bool now_reached = zone.trip_reached(i);
      if (now_reached != s.reached[i]) {
        if (now_reached) {
          s.reached_since[i] = now;
        } else {
          metrics.zones[z].trips[i].time_reached_s += to_seconds(now - s.reached_since[i]);
        }
        s.reached[i] = now_reached;
      }
    }
  }

  /// Zone `z`'s peak and overshoots for its sensed temperature `t` at time `at`.
  void observe_peak(std::size_t z, double t, sim_time at, metrics_type& metrics) const noexcept {
    const entry& s = state_[z];
    zone_metrics<Limits::trips>& m = metrics.zones[z];
    if (t > m.peak_c) {
      m.peak_c = t;
      m.peak_time = at;
    }
    for (std::size_t i = 0; i < m.trips.size(); ++i) {
      if (s.above[i]) {
        const double over = t - static_cast<double>(m.trips[i].temperature.count()) / 1000.0;
        m.trips[i].max_overshoot_c = std::max(m.trips[i].max_overshoot_c, over);
      }
    }
  }

  /// Every zone's peak and overshoots for the sensors' values `sensed` at time `at`.
  void observe_peaks(const zone_ports<Limits>& ports, const double* sensed, sim_time at,
                     metrics_type& metrics) const noexcept {
    for (std::size_t z = 0; z < ports.zone_count(); ++z) {
      observe_peak(z, sensed[ports.sensor_of(z)], at, metrics);
    }
  }

  /// Zone `z`'s open intervals closed at `now`, and its mean latencies, in a copy of the metrics.
  void close_intervals(std::size_t z, sim_time now, metrics_type& m) const noexcept {
    const entry& s = state_[z];
    for (std::size_t i = 0; i < m.zones[z].trips.size(); ++i) {
      trip_metrics& t = m.zones[z].trips[i];
      if (s.above[i]) {
        t.time_above_s += to_seconds(now - s.above_since[i]);
      }
      if (s.reached[i]) {
        t.time_reached_s += to_seconds(now - s.reached_since[i]);
      }
      t.latency_mean_s = t.detections != 0 ? s.latency_sum[i] / t.detections : 0.0;
      t.release_latency_mean_s = t.releases != 0 ? s.release_sum[i] / t.releases : 0.0;
    }
  }

 private:
  // Ascending unique levels (trip and release temperatures, °C); levels[0, pos) are at or below
  // the sensed temperature. Per trip: its levels, whether the sensed temperature is above it
  // (and since when), its last crossings each way, a crossing not yet detected, whether the
  // zone considers it reached (and since when), and the sums behind the mean latencies.
  struct entry {
    static_vector<double, 2 * Limits::trips> levels{};
    std::size_t pos{0};
    int direction{0};  // of the scheduled crossing: +1 rising, −1 falling
    sim_time fired_at{sim_duration{-1}};
    std::size_t fired_count{0};
    std::array<std::size_t, Limits::trips> up_level{};
    std::array<std::size_t, Limits::trips> down_level{};
    std::array<bool, Limits::trips> trip_valid{};
    std::array<bool, Limits::trips> above{};
    std::array<sim_time, Limits::trips> above_since{};
    std::array<sim_time, Limits::trips> crossed_up{};
    std::array<sim_time, Limits::trips> crossed_down{};
    std::array<bool, Limits::trips> pending_detection{};
    std::array<bool, Limits::trips> reached{};
    std::array<sim_time, Limits::trips> reached_since{};
    std::array<double, Limits::trips> latency_sum{};
    std::array<double, Limits::trips> release_sum{};
  };

  /// The sensed temperature of zone `z` crossed level pos (dir +1) or pos − 1 (dir −1) now.
  template <class Zone>
  void cross(std::size_t z, int dir, const Zone& zone, sim_time now, metrics_type& metrics) noexcept {
    entry& s = state_[z];
    const std::size_t level = dir > 0 ? s.pos : s.pos - 1;
    s.pos = dir > 0 ? s.pos + 1 : s.pos - 1;
    const std::size_t n = std::min(zone.num_trips(), Limits::trips);
    for (std::size_t i = 0; i < n; ++i) {
      if (!s.trip_valid[i]) {
        continue;
      }
      trip_metrics& tm = metrics.zones[z].trips[i];
      if (s.up_level[i] == level) {
        if (dir > 0) {
          s.above[i] = true;
          s.above_since[i] = now;
          s.crossed_up[i] = now;
          s.pending_detection[i] = true;
          ++tm.crossings;
        } else if (s.above[i]) {
          s.above[i] = false;
          tm.time_above_s += to_seconds(now - s.above_since[i]);
        }
      }
      if (s.down_level[i] == level && dir < 0) {
        s.crossed_down[i] = now;
        if (s.pending_detection[i]) {
          s.pending_detection[i] = false;
          ++tm.missed;
        }
      }
    }
  }

  std::array<entry, Limits::zones> state_{};
};

}  // namespace thermo::sim
