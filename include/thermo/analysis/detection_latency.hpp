/// @file detection_latency.hpp
/// Detection latency — the time from the temperature crossing a trip to the thermal zone acting
/// on it — for a polled zone and for an interrupt-driven one, analytically and by simulation
/// (models.md §3).
///
/// The situation: the sensed temperature ramps through the trip at r °C/s; the sensor truncates
/// to a resolution q and its grid sits anywhere relative to the trip (uniform phase), so the
/// reading reaches the trip a delay Q ∈ [0, q/r) after the temperature does. Then:
///
/// * **polling**, period p, conversion time c: reads start every p + c (the kernel re-arms its
///   timer after the update, which comes c after the read started) at a phase uniform relative
///   to the crossing; the zone acts c after the first read that starts past it:
///   L = Q + W + c, W ~ U(0, p + c]. Mean q/(2r) + (p + c)/2 + c, best c, worst q/r + p + 2c
///   (for c = 0, q → 0: mean p/2, worst p — the classic figures).
/// * **interrupt**, comparator sampling period s (0 = continuous), IRQ latency i: the comparator
///   trips at its first sample past the reading's crossing, the handler runs i later and reads:
///   L = Q + S + i + c, S ~ U[0, s). Mean q/(2r) + s/2 + i + c, independent of any polling
///   period.
/// * overshoot at detection = r·L on a linear ramp (mean r·mean L, worst r·worst L).
///
/// `simulate_latency` measures the same with the simulation: a one-node plant heated at a
/// constant rate (time constant 10⁶ s, so linear to 1e-6), one sensor, one zone with the trip,
/// run once per (poll phase, grid phase) on an evenly spaced grid of phases; the latency and
/// overshoot of each run come from the run's crossing record (exact crossing instant, zone update
/// instant). The two agree to the phase grid's resolution (tests/analysis). Host-side.
/// See docs/explanation/simulation.md and examples/detection_latency.cpp.
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>

#include "thermo/control/trip.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/model/sensor.hpp"
#include "thermo/sim/simulation.hpp"

namespace thermo::analysis {

/// How the zone learns about the temperature.
enum class detection_mode : std::uint8_t {
  polling,    ///< a read every `period`
  interrupt,  ///< the sensor's comparator interrupts when the reading leaves the window
};

/// One configuration to analyse.
struct latency_case {
  detection_mode mode{detection_mode::polling};
  sim_duration period{std::chrono::milliseconds(100)};  ///< polling period p (> 0; polling mode)
  double ramp_c_per_s{20.0};                           ///< r, °C/s (> 0); 0.02 °C/ms = 20 °C/s
  millikelvin_delta resolution{1000};                  ///< q, m°C (≥ 1)
  sim_duration conversion{0};                          ///< c (≥ 0)
  sim_duration irq_latency{0};                         ///< i (≥ 0; interrupt mode)
  sim_duration comparator_period{0};                   ///< s (≥ 0; interrupt mode; 0 = continuous)
  millicelsius trip{75'000};                           ///< trip temperature (a multiple of q)
};

/// Latency and overshoot statistics.
struct latency_summary {
  double best_s{0.0};
  double mean_s{0.0};
  double worst_s{0.0};
  double overshoot_mean_c{0.0};
  double overshoot_worst_c{0.0};
  std::size_t runs{0};    ///< simulated runs (0 for the analytic figures)
  std::size_t missed{0};  ///< runs in which the zone never reported the crossing
};

/// `errc::ok` or what is wrong: `non_positive` "period" (polling), "ramp", "resolution";
/// `negative` "conversion", "irq latency", "comparator period"; `invalid_argument` "trip not a
/// multiple of the resolution"; `not_finite` "ramp".
[[nodiscard]] inline error validate(const latency_case& c) noexcept {
  if (c.mode == detection_mode::polling && c.period.count() <= 0) {
    return {errc::non_positive, "period"};
  }
  if (!std::isfinite(c.ramp_c_per_s)) {
    return {errc::not_finite, "ramp"};
  }
  if (!(c.ramp_c_per_s > 0.0)) {
    return {errc::non_positive, "ramp"};
  }
  if (c.resolution.count() <= 0) {
    return {errc::non_positive, "resolution"};
  }
  if (c.conversion.count() < 0) {
    return {errc::negative, "conversion"};
  }
  if (c.irq_latency.count() < 0) {
    return {errc::negative, "irq latency"};
  }
  if (c.comparator_period.count() < 0) {
    return {errc::negative, "comparator period"};
  }
  if (c.trip.count() % c.resolution.count() != 0) {
    return {errc::invalid_argument, "trip not a multiple of the resolution"};
  }
  return {};
}

namespace detail {
[[nodiscard]] inline double secs(sim_duration d) noexcept { return std::chrono::duration<double>(d).count(); }
}  // namespace detail

/// The analytic latency and overshoot (see the file comment). Errors: those of `validate`.
[[nodiscard]] inline result<latency_summary, error> analytic_latency(const latency_case& c) noexcept {
  if (const error e = validate(c); !e.ok()) {
    return e;
  }
  const double q = static_cast<double>(c.resolution.count()) / 1000.0 / c.ramp_c_per_s;  // worst Q
  const double conv = detail::secs(c.conversion);
  latency_summary s;
  if (c.mode == detection_mode::polling) {
    const double period = detail::secs(c.period) + conv;
    s.best_s = conv;
    s.mean_s = q / 2.0 + period / 2.0 + conv;
    s.worst_s = q + period + conv;
  } else {
    const double fixed = detail::secs(c.irq_latency) + conv;
    const double grid = detail::secs(c.comparator_period);
    s.best_s = fixed;
    s.mean_s = q / 2.0 + grid / 2.0 + fixed;
    s.worst_s = q + grid + fixed;
  }
  s.overshoot_mean_c = c.ramp_c_per_s * s.mean_s;
  s.overshoot_worst_c = c.ramp_c_per_s * s.worst_s;
  return s;
}

namespace detail {

struct one_node_limits : sim::default_limits {
  static constexpr std::size_t nodes = 1;
  static constexpr std::size_t edges = 1;
  static constexpr std::size_t domains = 1;
  static constexpr std::size_t cores = 1;
  static constexpr std::size_t opps = 1;
  static constexpr std::size_t heat_nodes = 1;
  static constexpr std::size_t sensors = 1;
  static constexpr std::size_t probe_terms = 1;
  static constexpr std::size_t zones = 1;
  static constexpr std::size_t trips = 1;
  static constexpr std::size_t instances = 1;
  static constexpr std::size_t cooling_devices = 1;
  static constexpr std::size_t fans = 1;
  static constexpr std::size_t networks = 1;
  static constexpr std::size_t workloads = 1;
  static constexpr std::size_t scenario_events = 1;
  static constexpr std::size_t crossings = 2;
  static constexpr std::size_t channels = 1;
};

/// One simulated run; `phase` ∈ (0, 1) places the crossing within a poll (or comparator)
/// period, `grid_mc` ∈ [0, q) places the sensor's quantisation grid relative to the trip.
/// Returns {latency, overshoot} or `not_found` when the zone never reported it.
struct run_result {
  double latency_s{0.0};
  double overshoot_c{0.0};
};
[[nodiscard]] inline result<run_result, error> simulate_once(const latency_case& c, double phase, std::int32_t grid_mc) noexcept {
  using sim_type = sim::simulation<one_node_limits>;
  constexpr double capacitance = 1.0;  // J/K
  // W/K: a 10⁶ s time constant, straight to 1e-6 over the runs, yet a steady state (r/λ) the
  // network still resolves to ~1e-7 °C.
  constexpr double g = 1e-6;
  constexpr double ambient = 25.0;
  const double r = c.ramp_c_per_s;
  const double trip_c = static_cast<double>(c.trip.count()) / 1000.0;
  // The reading reaches the trip when the temperature reaches trip + grid (offset −grid).
  const double effective = trip_c + static_cast<double>(grid_mc) / 1000.0;
  const double conv = secs(c.conversion);
  const double rise = (effective - ambient) / r;  // time from ambient to the effective level
  double t_cross = 0.0;
  if (c.mode == detection_mode::polling) {
    // Reads start at p, 2p + c, 3p + 2c … (the update at enable reads at once): place the
    // effective crossing `phase` of a period before a read start, at least `rise` in.
    const double p = secs(c.period);
    double start = p;
    while (start - phase * (p + conv) < rise || start < 2.0 * p) {
      start += p + conv;
    }
    t_cross = start - phase * (p + conv);
  } else {
    const double s = secs(c.comparator_period);
    if (s > 0.0) {
      double grid = std::ceil(rise / s) * s;
      while (grid - phase * s < rise) {
        grid += s;
      }
      t_cross = grid - phase * s;
    } else {
      t_cross = rise;
    }
  }
  // T(t) = T_amb + (T0 − T_amb)·e^{−λt} + (P/g)(1 − e^{−λt}), λ = g/C; choose T0 so that
  // T(t_cross) = effective exactly.
  const double power = r * capacitance;
  const double decay = std::exp(-g / capacitance * t_cross);
  const double t0 = ambient + (effective - ambient - power / g * -std::expm1(-g / capacitance * t_cross)) / decay;

  auto sim = std::make_unique<sim_type>();
  sim_type::builder_type b;
  if (const auto n = b.add_node(capacitance, g); !n) {
    return n.error();
  }
  static_cast<void>(b.set_ambient(ambient));
  if (const error e = sim->set_plant(b); !e.ok()) {
    return e;
  }
  sim::sim_options o;
  o.record_interval = sim_duration{0};
  if (const error e = sim->set_options(o); !e.ok()) {
    return e;
  }
  const std::array<double, 1> init{t0};
  if (const error e = sim->set_initial_temperatures(init); !e.ok()) {
    return e;
  }
  const std::array<weighted_node<double>, 1> probe{{{0, 1.0}}};
  sensor_params sp;
  sp.resolution = c.resolution;
  sp.offset = millikelvin_delta(-grid_mc);
  sp.conversion_time = c.conversion;
  sp.interrupt = c.mode == detection_mode::interrupt;
  sp.irq_latency = c.irq_latency;
  sp.comparator_period = c.comparator_period;
  const auto sensor = sim->add_sensor({"probe", probe, sp});
  if (!sensor) {
    return sensor.error();
  }
  const std::array<control::thermal_trip, 1> trips{{{c.trip, millikelvin_delta(0), control::trip_type::passive}}};
  sim::zone_setup zs;
  zs.config.type = "latency";
  zs.config.polling_delay = c.mode == detection_mode::polling
                                ? std::chrono::duration_cast<milliseconds>(c.period)
                                : milliseconds{0};
  zs.trips = trips;
  zs.sensor = *sensor;
  if (const auto z = sim->add_zone(zs); !z) {
    return z.error();
  }
  if (const error e = sim->add_event(sim::scenario_event::node_power(sim_time{}, 0, power)); !e.ok()) {
    return e;
  }
  if (const error e = sim->start(); !e.ok()) {
    return e;
  }
  const double horizon = t_cross + 2.0 * (secs(c.period) + conv) + secs(c.irq_latency) + secs(c.comparator_period) + 1.0;
  sim->run_until(sim_time{std::chrono::duration_cast<sim_duration>(std::chrono::duration<double>(horizon))});
  const auto m = sim->metrics();
  for (const sim::crossing_record& rec : m.crossings) {
    if (rec.up && rec.physical) {
      return run_result{rec.latency_s, rec.overshoot_c};
    }
  }
  return error{errc::not_found, "detection"};
}

}  // namespace detail

/// Simulates `c` over `phases` evenly spaced crossing phases (within a poll period, or a
/// comparator period; one phase suffices for a continuous comparator) × `grid_phases` evenly
/// spaced quantisation-grid positions, and summarises the measured latency and overshoot.
/// Errors: those of `validate`; `non_positive` "phases". Cost: phases × grid_phases small runs.
[[nodiscard]] inline result<latency_summary, error> simulate_latency(const latency_case& c, std::size_t phases = 16,
                                                                     std::size_t grid_phases = 4) noexcept {
  if (const error e = validate(c); !e.ok()) {
    return e;
  }
  if (phases == 0 || grid_phases == 0) {
    return error{errc::non_positive, "phases"};
  }
  latency_summary s;
  s.best_s = std::numeric_limits<double>::infinity();
  double sum = 0.0;
  double over_sum = 0.0;
  for (std::size_t i = 0; i < phases; ++i) {
    const double phase = (static_cast<double>(i) + 0.5) / static_cast<double>(phases);
    for (std::size_t j = 0; j < grid_phases; ++j) {
      const auto grid = static_cast<std::int32_t>(std::floor((static_cast<double>(j) + 0.5) *
                                                             static_cast<double>(c.resolution.count()) /
                                                             static_cast<double>(grid_phases)));
      const auto r = detail::simulate_once(c, phase, grid);
      ++s.runs;
      if (!r) {
        if (r.error().code != errc::not_found) {
          return r.error();
        }
        ++s.missed;
        continue;
      }
      s.best_s = std::min(s.best_s, r->latency_s);
      s.worst_s = std::max(s.worst_s, r->latency_s);
      s.overshoot_worst_c = std::max(s.overshoot_worst_c, r->overshoot_c);
      sum += r->latency_s;
      over_sum += r->overshoot_c;
    }
  }
  const std::size_t n = s.runs - s.missed;
  if (n > 0) {
    s.mean_s = sum / static_cast<double>(n);
    s.overshoot_mean_c = over_sum / static_cast<double>(n);
  } else {
    s.best_s = 0.0;
  }
  return s;
}

}  // namespace thermo::analysis
