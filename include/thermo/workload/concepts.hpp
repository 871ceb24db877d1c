/// @file concepts.hpp
/// The contract between a workload and the simulation that runs it.
///
/// A workload runs on one perf domain (a CPU cluster or a GPU) and is *piecewise constant*:
/// between two of its own events (an inference completes, the next one arrives, a trace row
/// starts) the utilisation it asks of each core does not change, so the plant's power is constant
/// and the simulation can advance the thermal network exactly. The simulation owns time and the
/// domain's frequency; the workload owns its progress.
///
/// Utilisation is *frequency-invariant*, as the Linux scheduler's: `u` is the share of one core's
/// capacity **at the domain's maximum frequency** the work needs. A compute-bound job (an
/// inference thread) asks u = 1: it keeps its core busy at any frequency. At frequency f, with a
/// share `run_fraction` of time left by idle injection, a core with demand u is busy
///
///     busy(u, f) = run_fraction · min(1, u · f_max / f)
///
/// of the time, and its dynamic power is busy · C·V²·f (models.md §2). The simulation picks the
/// frequency (schedutil-like, capped by cooling) from the largest u of the domain.
///
/// Call order the simulation guarantees for each workload, with `state` constant in between:
///   1. `utilization(now, out)` after every event that may change it;
///   2. `next_event(now, state)` whenever `state` changes or after `on_event`;
///   3. `advance(now, dt, state)` to move progress from `now` to `now + dt` (dt ≥ 0), always up to
///      the instant of any event or state change, never across `next_event`;
///   4. `on_event(now, state)` exactly at the time `next_event` returned.
/// Implementations keep all storage they need from construction on: no heap use during a run.
#pragma once

#include <concepts>
#include <cstddef>
#include <span>

#include "thermo/core/time.hpp"

namespace thermo::workload {

/// What a workload sees of the domain it runs on, constant between two simulation events.
struct domain_state {
  double frequency_hz = 0.0;      ///< current frequency of the domain [Hz], > 0
  double max_frequency_hz = 0.0;  ///< the domain's highest OPP [Hz]
  double run_fraction = 1.0;      ///< share of time not taken by idle injection, (0, 1]
};


/// Fraction of time a core with frequency-invariant demand `u` is busy at state `s`.
[[nodiscard]] constexpr double busy_fraction(double u, const domain_state& s) noexcept {
  if (!(u > 0.0) || !(s.frequency_hz > 0.0)) {
    return 0.0;
  }
  const double need = u * s.max_frequency_hz / s.frequency_hz;
  return s.run_fraction * (need < 1.0 ? need : 1.0);
}

/// A workload (see the file comment for the call protocol).
///
/// * `domain()` — index of the perf domain it runs on (the simulation's numbering).
/// * `cores()` — how many cores of that domain it may use (its threads); `utilization` writes
///   that many values.
/// * `utilization(now, out)` — frequency-invariant demand per core, each in [0, 1].
/// * `next_event(now, state)` — absolute time of its next own event if `state` stays constant,
///   `never` if none; must be ≥ now.
/// * `advance(now, dt, state)` — make progress over [now, now + dt].
/// * `on_event(now, state)` — handle the event due at `now` (completion, arrival, phase).
template <class W>
concept Workload = requires(W& w, const W& cw, sim_time now, sim_duration dt, const domain_state& s,
                            std::span<double> out) {
  { cw.domain() } noexcept -> std::convertible_to<std::size_t>;
  { cw.cores() } noexcept -> std::convertible_to<std::size_t>;
  { cw.utilization(now, out) } noexcept;
  { cw.next_event(now, s) } noexcept -> std::same_as<sim_time>;
  { w.advance(now, dt, s) } noexcept;
  { w.on_event(now, s) } noexcept;
};

}  // namespace thermo::workload
