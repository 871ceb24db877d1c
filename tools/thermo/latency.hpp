// `thermo latency`: the detection-latency analysis (analysis/detection_latency.hpp) — how long
// after the temperature crosses a trip the zone acts, polling against interrupt, analytic and
// (with --simulate) measured by the simulation. Periods can come from a zone of a preset or a
// device tree (its polling-delay and polling-delay-passive).
#pragma once

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "system_source.hpp"
#include "thermo/analysis/detection_latency.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/scenario.hpp"

namespace thermo::cli {

inline constexpr std::string_view latency_help = R"(usage: thermo latency [--mode polling|interrupt|both] [--period LIST] [--ramp C/S]
                      [--resolution MC] [--conversion T] [--irq-latency T]
                      [--comparator-period T] [--trip MC] [--simulate] [--phases N]
                      [(--soc PRESET | --dtb FILE) --zone NAME] [--csv FILE]

Detection latency of a trip: the time from the temperature crossing it (rising at --ramp °C/s)
to the zone's update that reports it, and the overshoot by then — for a polled zone (one row per
polling period) and for an interrupt-driven one (a sensor comparator).

  --mode M              polling, interrupt or both (default both)
  --period LIST         polling periods, e.g. "100 ms,250 ms,1 s" (default 100 ms,250 ms,1 s)
  --ramp C/S            temperature rise rate, 0.001..1000 (default 20)
  --resolution MC       sensor resolution, m°C (default 1000)
  --conversion T        sensor conversion time (default 0)
  --irq-latency T       comparator trip to handler (default 0)
  --comparator-period T comparator sampling period, 0 = continuous (default 0)
  --trip MC             trip temperature, a multiple of the resolution (default 75000)
  --simulate            also measure with the simulation (--phases crossing phases, default 16)
  --soc/--dtb, --zone   take the periods from that zone (polling 0 = interrupt driven)
  --csv FILE            also write the table as CSV (written whole or not at all)
Durations: 100 ms, 1 s, 250 us … (a bare number is milliseconds), at most 1 h.
)";

/// The documented ranges of `thermo latency`'s numbers (docs/reference/cli.md): outside them a
/// table cell would print inf or hundreds of digits.
struct latency_ranges {
  static constexpr double min_ramp_c_per_s = 0.001;
  static constexpr double max_ramp_c_per_s = 1000.0;
  /// --period, --conversion, --irq-latency, --comparator-period: at most one hour.
  static constexpr sim_duration max_duration{std::int64_t{3600} * 1'000'000'000};
};

namespace detail {
/// A duration with a unit, or a bare number of milliseconds; nullopt when negative, malformed or
/// above `latency_ranges::max_duration`.
inline std::optional<sim_duration> duration_or_ms(std::string_view s) {
  std::optional<sim_duration> d;
  if (const auto ms = io::parse_double(s, io::exact)) {
    if (*ms >= 0.0 && *ms <= 3.6e6) {
      d = sim_duration(static_cast<std::int64_t>(*ms * 1e6 + 0.5));
    }
  } else {
    d = parse_duration(s);
  }
  if (d && *d > latency_ranges::max_duration) {
    d.reset();
  }
  return d;
}
}  // namespace detail

/// `latency --simulate`: the polls (or comparator samples) all its simulated runs may take to
/// reach the trip (docs/reference/limits-and-errors.md, "Simulation runs"); each run's simulated
/// time is bounded by io::scenario_limits::max_duration.
inline constexpr double latency_max_sim_events = 1e7;

/// `thermo latency …`.
inline int latency_main(std::vector<std::string_view> argv, std::ostream& err) {
  args a("latency", std::move(argv));
  if (a.wants_help()) {
    std::cout << latency_help;
    return exit_ok;
  }
  failure f;
  const auto mode = a.take("--mode", f);
  const auto periods = a.take("--period", f);
  const auto ramp = a.take("--ramp", f);
  const auto resolution = a.take("--resolution", f);
  const auto conversion = a.take("--conversion", f);
  const auto irq = a.take("--irq-latency", f);
  const auto comparator = a.take("--comparator-period", f);
  const auto trip = a.take("--trip", f);
  const auto phases = a.take("--phases", f);
  const bool simulate = a.flag("--simulate");
  const auto soc = a.take("--soc", f);
  const auto dtb = a.take("--dtb", f);
  const auto zone = a.take("--zone", f);
  const auto csv_file = a.take("--csv", f);
  a.finish(f);
  const auto usage = [&](const std::string& m) {
    if (f.message.empty()) {
      f = {"latency: " + m, exit_usage};
    }
  };
  analysis::latency_case base;
  if (ramp) {
    const auto r = io::parse_double(*ramp, io::exact);
    r && *r >= latency_ranges::min_ramp_c_per_s && *r <= latency_ranges::max_ramp_c_per_s
        ? static_cast<void>(base.ramp_c_per_s = *r)
        : usage("bad --ramp " + io::quoted(*ramp) + " (°C/s, 0.001..1000)");
  }
  if (resolution) {
    const auto r = io::parse_int(*resolution, 1, 100'000, io::exact);
    r ? static_cast<void>(base.resolution = millikelvin_delta(static_cast<std::int32_t>(*r)))
      : usage("bad --resolution " + io::quoted(*resolution) + " (m°C, 1..100000)");
  }
  if (trip) {
    const auto t = io::parse_int(*trip, -273'000, 200'000, io::exact);
    t ? static_cast<void>(base.trip = millicelsius(static_cast<std::int32_t>(*t)))
      : usage("bad --trip " + io::quoted(*trip) + " (m°C, -273000..200000)");
  }
  for (const auto& [opt, dst, name] : {std::tuple{conversion, &base.conversion, "--conversion"},
                                       std::tuple{irq, &base.irq_latency, "--irq-latency"},
                                       std::tuple{comparator, &base.comparator_period, "--comparator-period"}}) {
    if (opt) {
      const auto d = detail::duration_or_ms(*opt);
      d ? static_cast<void>(*dst = *d) : usage(std::string("bad ") + name + " " + io::quoted(*opt) + " (a duration, 0..1 h)");
    }
  }
  std::size_t n_phases = 16;
  if (phases) {
    const auto p = io::parse_int(*phases, 1, 1000, io::exact);
    p ? static_cast<void>(n_phases = static_cast<std::size_t>(*p)) : usage("bad --phases " + io::quoted(*phases) + " (1..1000)");
  }
  bool polling = true;
  bool interrupt = true;
  if (mode) {
    if (*mode == "polling") {
      interrupt = false;
    } else if (*mode == "interrupt") {
      polling = false;
    } else if (*mode != "both") {
      usage("bad --mode " + io::quoted(*mode) + " (polling, interrupt or both)");
    }
  }
  std::vector<sim_duration> list;
  if (periods) {
    for (const std::string_view p : split_csv(*periods)) {
      const auto d = detail::duration_or_ms(p);
      if (!d || d->count() == 0) {
        usage("bad --period " + io::quoted(p) + " (a duration, > 0 and at most 1 h)");
        break;
      }
      list.push_back(*d);
    }
  }
  if ((soc || dtb) && !zone) {
    usage("--zone NAME goes with --soc or --dtb");
  }
  if (soc && dtb) {
    usage("give one of --soc and --dtb");
  }
  if (zone && !soc && !dtb) {
    usage("--zone needs --soc PRESET or --dtb FILE");
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  std::string origin;
  if (zone) {
    auto src = dtb ? load_dtb(std::string(*dtb)) : load_preset(*soc);
    if (!src) {
      err << "thermo latency: " << src.message() << '\n';
      return dtb ? exit_failure : exit_usage;
    }
    const schema::thermal_zone_desc* zd = src->description().find_zone(*zone);
    if (zd == nullptr) {
      err << "thermo latency: no thermal zone " << io::quoted(*zone) << "\n";
      return exit_usage;
    }
    list.clear();
    polling = zd->polling_delay.count() != 0;
    interrupt = !polling;
    if (polling) {
      list.push_back(zd->polling_delay);
      if (zd->polling_delay_passive.count() != 0 && zd->polling_delay_passive != zd->polling_delay) {
        list.push_back(zd->polling_delay_passive);
      }
    }
    origin = " (zone " + std::string(*zone) + ")";
  }
  if (list.empty()) {
    list = {std::chrono::milliseconds(100), std::chrono::milliseconds(250), std::chrono::seconds(1)};
  }
  std::vector<analysis::latency_case> cases;
  if (polling) {
    for (const sim_duration p : list) {
      analysis::latency_case c = base;
      c.mode = analysis::detection_mode::polling;
      c.period = p;
      cases.push_back(c);
    }
  }
  if (interrupt) {
    analysis::latency_case c = base;
    c.mode = analysis::detection_mode::interrupt;
    cases.push_back(c);
  }
  if (simulate) {
    // Each simulated run starts at 25 °C and rises at --ramp to the trip: bound its simulated
    // time, and the polls (or comparator samples) of all the runs, before running any.
    double events = 0.0;
    std::string why;
    for (const analysis::latency_case& c : cases) {
      const double rise = (std::abs(static_cast<double>(c.trip.count()) / 1000.0 - 25.0) + static_cast<double>(c.resolution.count()) / 1000.0) /
                          c.ramp_c_per_s;
      const double period = to_seconds(c.mode == analysis::detection_mode::polling ? c.period + c.conversion : c.comparator_period);
      events += period > 0.0 ? rise / period * static_cast<double>(n_phases * 4) : 0.0;  // 4 grid phases per phase
      if (!(rise <= to_seconds(io::scenario_limits::max_duration)) && why.empty()) {
        why = "a run would simulate " + io::format_number(rise, 3) + " s to reach the trip, above the limit of 1000 h (io::scenario_limits::max_duration)";
      }
    }
    if (why.empty() && events > latency_max_sim_events) {
      why = "its runs would take about " + io::format_number(events, 3) + " polls to reach the trip, above the limit of " +
            io::format_number(latency_max_sim_events, 3) + " (cli::latency_max_sim_events)";
    }
    if (!why.empty()) {
      err << "thermo latency: --simulate with --ramp " << io::format_number(base.ramp_c_per_s, 6) << ": " << why
          << "; raise --ramp or drop --simulate\n";
      return exit_usage;
    }
  }
  // each line formatted at the length it needs (io::format_printf never cuts one)
  std::string out = io::format_printf("ramp %.3g °C/s, resolution %d m°C, trip %d m°C%s\n", base.ramp_c_per_s,
                                      base.resolution.count(), base.trip.count(), origin.c_str());
  out += io::format_printf("%-10s %10s %9s %9s %9s %11s %11s%s\n", "mode", "period ms", "best ms", "mean ms", "worst ms",
                           "over mean C", "over worst C", simulate ? "   sim mean ms  sim worst ms" : "");
  std::ostringstream csv_text;
  io::csv_writer csv(csv_text);
  csv.row({"mode", "period_s", "best_s", "mean_s", "worst_s", "overshoot_mean_c", "overshoot_worst_c", "sim_mean_s", "sim_worst_s"});
  progress prog("thermo latency");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const analysis::latency_case& c = cases[k];
    const auto r = analysis::analytic_latency(c);
    if (!r) {
      err << "thermo latency: " << r.error().what << " (" << to_string(r.error().code) << ")\n";
      return exit_usage;
    }
    std::optional<analysis::latency_summary> sim;
    if (simulate) {
      auto s = analysis::simulate_latency(c, n_phases);
      if (!s) {
        err << "thermo latency: simulation: " << s.error().what << " (" << to_string(s.error().code) << ")\n";
        return exit_failure;
      }
      sim = *s;
    }
    const bool poll = c.mode == analysis::detection_mode::polling;
    const double period_ms = poll ? to_seconds(c.period) * 1e3 : 0.0;
    if (sim) {
      out += io::format_printf("%-10s %10.1f %9.2f %9.2f %9.2f %11.3f %11.3f %14.2f %13.2f\n", poll ? "polling" : "interrupt",
                               period_ms, r->best_s * 1e3, r->mean_s * 1e3, r->worst_s * 1e3, r->overshoot_mean_c,
                               r->overshoot_worst_c, sim->mean_s * 1e3, sim->worst_s * 1e3);
    } else {
      out += io::format_printf("%-10s %10.1f %9.2f %9.2f %9.2f %11.3f %11.3f\n", poll ? "polling" : "interrupt", period_ms,
                               r->best_s * 1e3, r->mean_s * 1e3, r->worst_s * 1e3, r->overshoot_mean_c, r->overshoot_worst_c);
    }
    csv.cell(std::string_view(poll ? "polling" : "interrupt")).cell(period_ms / 1e3).cell(r->best_s).cell(r->mean_s).cell(r->worst_s);
    csv.cell(r->overshoot_mean_c).cell(r->overshoot_worst_c);
    if (sim) {
      csv.cell(sim->mean_s).cell(sim->worst_s);
    } else {
      csv.cell(std::string_view{}).cell(std::string_view{});
    }
    csv.end_row();
    prog.update(static_cast<double>(k + 1) / static_cast<double>(cases.size()));
  }
  prog.done();
  std::cout << out;
  if (csv_file) {
    if (const std::string e = write_file_atomically(std::string(*csv_file), csv_text.str(), {std::string(dtb.value_or("-"))}); !e.empty()) {
      err << "thermo latency: " << e << '\n';
      return exit_failure;
    }
  }
  return exit_ok;
}

}  // namespace thermo::cli
