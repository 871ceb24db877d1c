/// @file types.hpp
/// Vocabulary shared by the simulation, its recorder and its metrics: event kinds (and their
/// fixed order at one instant), run status, options.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "thermo/core/enum_names.hpp"
#include "thermo/core/time.hpp"

namespace thermo::sim {

/// What an event is. The numeric order is the tie-break at one instant: inputs change first,
/// then the passive observers see the plant, then the control code runs, then the recorder
/// samples the result.
enum class event_kind : std::uint8_t {
  scenario = 0,       ///< a scripted scenario event
  workload = 1,       ///< a workload's own event (completion, arrival, phase)
  tick = 2,           ///< fixed-step mode: a step boundary (crossing checks, leakage)
  observer = 3,       ///< the sensed temperature crossed a trip level (metrics only)
  comparator = 4,     ///< a sensor comparator saw its reading leave the window
  interrupt = 5,      ///< the sensor's IRQ handler runs: a read starts
  poll = 6,           ///< a zone's poll (or re-check) timer fires: a read starts
  read_complete = 7,  ///< a conversion finished: the zone update runs
  leakage = 8,        ///< periodic leakage re-evaluation
  sample = 9,         ///< a recorder sample
  start = 10,         ///< the initial state (recorded once by `start`); last (`to_string`)
};

/// Lower-case name of an event kind ("poll", "interrupt" …).
[[nodiscard]] constexpr std::string_view to_string(event_kind k) noexcept {
  constexpr std::array<std::string_view, 11> names{
      "scenario", "workload",      "tick",    "observer", "comparator", "interrupt",
      "poll",     "read_complete", "leakage", "sample",   "start"};
  return enum_name<event_kind::start>(k, names, "unknown");
}

/// How a run ended (so far).
enum class run_status : std::uint8_t {
  not_started,  ///< `start` not called yet
  running,      ///< reached the requested time; can continue
  shutdown,     ///< a critical trip requested a shutdown (the run stops)
  reboot,       ///< a critical trip requested a reboot (the run stops)
  /// The run processed `sim_options::max_events` events and stopped (`now()` is where); last
  /// (`to_string`).
  budget_exhausted,
};

[[nodiscard]] constexpr std::string_view to_string(run_status s) noexcept {
  constexpr std::array<std::string_view, 5> names{"not started", "running", "shutdown", "reboot", "budget exhausted"};
  return enum_name<run_status::budget_exhausted>(s, names, "unknown");
}

/// The default run budget (`sim_options::max_events`): events one simulation processes before
/// it stops with `run_status::budget_exhausted` (a 24 h run stepped every 100 µs fits; about
/// minutes of host time).
inline constexpr std::uint64_t default_max_events = 1'000'000'000;

/// The explicit fixed-step integrators are stable for steps h with h·λ_max below this (the
/// real-axis stability bound of classic RK4, 2.7853…, rounded down); λ_max: the fastest mode of
/// the network (`rc_network::eigenvalue`).
inline constexpr double rk4_stability_bound = 2.785;

/// How time advances.
enum class time_mode : std::uint8_t {
  event_driven,  ///< exact: from event to event, crossings found by root search (default)
  fixed_step,    ///< reference: the plant is stepped on a fixed grid, crossings checked at steps
};

/// How the plant is integrated in fixed-step mode.
enum class fixed_step_integrator : std::uint8_t {
  exact,  ///< the modal zero-order-hold solution over each step (only the event timing is gridded)
  rk4,    ///< classic fourth-order Runge–Kutta (what HotSpot does), one step per grid step
};

/// Options of a run (see docs/reference/sim.md for the defaults' rationale).
struct sim_options {
  time_mode mode{time_mode::event_driven};
  sim_duration fixed_step{std::chrono::milliseconds(1)};   ///< fixed-step mode: step h (> 0)
  fixed_step_integrator integrator{fixed_step_integrator::rk4};
  /// Leakage is held between re-evaluations; it is re-evaluated at every event that changes an
  /// input and at least this often (> 0). Ignored when no domain has leakage.
  sim_duration leakage_interval{std::chrono::milliseconds(10)};
  /// Recorder interval (0 = no periodic samples). Samples are passive: they never change the
  /// trajectory.
  sim_duration record_interval{std::chrono::milliseconds(10)};
  bool record_events{false};    ///< also record a row after every event
  bool apply_cooling{true};     ///< false: governors run but the plant ignores them (unthrottled reference)
  bool track_crossings{true};   ///< watch each zone's sensed temperature against its trips (metrics)
  double schedutil_headroom{1.25};  ///< f = lowest OPP ≥ headroom · f_max · max u (≥ 1)
  /// Tolerance of the exact crossing searches (s, > 0); event times are then rounded up to ns.
  double crossing_tolerance{1e-9};
  /// Crossing searches look this far ahead; beyond it they are repeated (> 0).
  sim_duration search_horizon{std::chrono::seconds(3600)};
  /// Minimum time between two interrupts of one sensor (a level-triggered comparator whose
  /// reading stays outside an unchanged window would otherwise interrupt forever), ≥ 0.
  sim_duration min_irq_interval{std::chrono::milliseconds(1)};
  /// The run budget: after this many events `run_until` stops with
  /// `run_status::budget_exhausted` instead of running on (> 0).
  std::uint64_t max_events{default_max_events};
};

}  // namespace thermo::sim
