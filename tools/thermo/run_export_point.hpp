// One run of a scenario with its --ftrace / --perfetto exports and nothing else: what `thermo
// sweep --export-point N` runs for point N (the point's scenario text, as the sweep ran it).
// Host code.
#pragma once

#include <ostream>
#include <string>

#include "run_export_sim.hpp"
#include "simulate.hpp"

namespace thermo::cli {

/// Runs scenario `scn` on `src` once, to its duration, with its exports into `ftrace_out` and
/// `perfetto_out` (one may be null): what `thermo sweep --export-point` does with one point.
/// "" or what went wrong (a build error naming the scenario line, a run that used up its
/// event budget); the caller writes the outputs only on "".
[[nodiscard]] inline std::string run_exported(const io::scenario& scn, const system_source& src, std::ostream* ftrace_out,
                                              std::ostream* perfetto_out) {
  run_outputs exports(ftrace_out, perfetto_out, &scn);
  auto bundle = build_simulation(scn, src, nullptr, [&](sim_bundle& nb) { exports.attach(nb); });
  if (!bundle) {
    return bundle.message();
  }
  sim_bundle& b = **bundle;
  struct discard final : sim::row_sink {
    void write(const sim::recorder&) noexcept override {}
  } none;
  b.rec.set_sink(exports.perfetto() != nullptr ? static_cast<sim::row_sink*>(exports.perfetto()) : &none);
  // in simulate_main's 200 steps, so that the run is bit for bit the one `simulate --set` makes
  // (each step ends with the plant advanced to its end, which rounds differently from one step)
  const std::int64_t chunks = 200;
  const sim_duration::rep d = scn.duration.count();
  for (std::int64_t k = 1; k <= chunks; ++k) {
    if (b.sim.run_until(sim_time{sim_duration{d / chunks * k + d % chunks * k / chunks}}) != sim::run_status::running) {
      break;
    }
  }
  b.rec.flush();
  b.rec.set_sink(nullptr);
  if (b.sim.status() == sim::run_status::budget_exhausted) {
    std::string m = detail::at_line(scn, scn.duration_line);
    m += "the run stopped at ";
    m += io::format_number(to_seconds(b.sim.now()), 6);
    m += " s: it used up its budget of ";
    m += std::to_string(io::scenario_limits::max_run_events);
    m += " events";
    return m;
  }
  return exports.finish();
}

}  // namespace thermo::cli
