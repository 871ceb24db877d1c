// `thermo latency`: the detection-latency analysis (analysis/detection_latency.hpp) — how long
// after the temperature crosses a trip the zone acts, polling against interrupt, analytic and
// (with --simulate) measured by the simulation. Periods can come from a zone of a preset or a
// device tree (its polling-delay and polling-delay-passive).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "system_source.hpp"
#include "thermo/analysis/detection_latency.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/output.hpp"
#include "thermo/io/scenario.hpp"
#include "thermo/io/svg_plot.hpp"

namespace thermo::cli {

inline constexpr std::string_view latency_help = R"(usage: thermo latency [--mode polling|interrupt|both] [--period LIST] [--ramp C/S]
                      [--resolution MC] [--conversion T] [--irq-latency T]
                      [--comparator-period T] [--trip MC] [--simulate] [--phases N]
                      [(--soc PRESET | --dtb FILE) --zone NAME] [--csv FILE] [--plot FILE.svg]

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
  --csv FILE            also write the table as CSV
  --plot FILE.svg       also plot latency and overshoot against the polling period
Output files are written whole or not at all.
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

/// One row of the latency table: its case, the analytic figures and, with --simulate, the
/// simulation's.
struct latency_row {
  analysis::latency_case c;
  analysis::latency_summary analytic;
  std::optional<analysis::latency_summary> sim;
};

/// The plot of `thermo latency --plot`: mean and worst detection latency (top) and mean and
/// worst overshoot (bottom) against the polling period (log axis), the analytic curves over a
/// range around the rows' periods, the simulated means as dots, the interrupt-driven figure as a
/// labelled line.
[[nodiscard]] inline std::string latency_plot(const std::string& title, const analysis::latency_case& base,
                                              const std::vector<sim_duration>& periods, const std::vector<latency_row>& rows) {
  double lo = 1e300;
  double hi = 0.0;
  for (const sim_duration p : periods) {
    lo = std::min(lo, to_seconds(p));
    hi = std::max(hi, to_seconds(p));
  }
  lo = std::max(lo / 4.0, 1e-6);
  hi = std::min(hi * 4.0, to_seconds(latency_ranges::max_duration));
  if (!(lo < hi)) {
    hi = lo * 10.0;
  }
  // latency mean, worst; overshoot mean, worst (the best case is the conversion time: the table has it)
  std::array<io::line_series, 4> curves;
  for (std::size_t i = 0; i < curves.size(); ++i) {
    curves[i].name = i % 2 == 0 ? "polling mean" : "polling worst";
    curves[i].color = i % 2 == 0 ? "#1f77b4" : "#d62728";
  }
  constexpr int points = 121;
  for (int i = 0; i < points; ++i) {
    analysis::latency_case c = base;
    c.mode = analysis::detection_mode::polling;
    const double period_s = std::pow(10.0, std::log10(lo) + (std::log10(hi) - std::log10(lo)) * static_cast<double>(i) / (points - 1));
    c.period = sim_duration(std::max<std::int64_t>(1, static_cast<std::int64_t>(std::llround(period_s * 1e9))));
    const auto r = analysis::analytic_latency(c);
    if (!r) {
      continue;
    }
    const double x = to_seconds(c.period) * 1e3;
    const std::array<double, 4> y{r->mean_s * 1e3, r->worst_s * 1e3, r->overshoot_mean_c, r->overshoot_worst_c};
    for (std::size_t k = 0; k < y.size(); ++k) {
      curves[k].x.push_back(x);
      curves[k].y.push_back(y[k]);
    }
  }
  io::line_series sim_lat;
  sim_lat.name = "simulated mean";
  sim_lat.markers = true;
  sim_lat.color = "#2ca02c";
  io::line_series sim_over = sim_lat;
  const latency_row* irq = nullptr;
  for (const latency_row& r : rows) {
    if (r.c.mode == analysis::detection_mode::interrupt) {
      irq = &r;
    } else if (r.sim) {
      sim_lat.x.push_back(to_seconds(r.c.period) * 1e3);
      sim_lat.y.push_back(r.sim->mean_s * 1e3);
      sim_over.x.push_back(to_seconds(r.c.period) * 1e3);
      sim_over.y.push_back(r.sim->overshoot_mean_c);
    }
  }
  // the measured periods in ascending order, joined by a dashed line (only the dots are measured)
  for (io::line_series* m : {&sim_lat, &sim_over}) {
    std::vector<std::pair<double, double>> pts;
    for (std::size_t k = 0; k < m->x.size(); ++k) {
      pts.emplace_back(m->x[k], m->y[k]);
    }
    std::sort(pts.begin(), pts.end());
    for (std::size_t k = 0; k < pts.size(); ++k) {
      m->x[k] = pts[k].first;
      m->y[k] = pts[k].second;
    }
    m->dashed = true;
  }
  io::svg_figure fig(title, 960, 320);
  auto& lat = fig.add_panel("polling period (ms, log scale)", "detection latency (ms)");
  lat.log_x();
  lat.add(std::move(curves[0])).add(std::move(curves[1]));
  auto& over = fig.add_panel("polling period (ms, log scale)", "overshoot at detection (°C)");
  over.log_x();
  over.add(std::move(curves[2])).add(std::move(curves[3]));
  if (!sim_lat.x.empty()) {
    lat.add(std::move(sim_lat));
    over.add(std::move(sim_over));
  }
  if (irq != nullptr) {
    lat.add_hline("interrupt worst " + io::format_number(irq->analytic.worst_s * 1e3, 4) + " ms", irq->analytic.worst_s * 1e3, "#555555");
    over.add_hline("interrupt worst " + io::format_number(irq->analytic.overshoot_worst_c, 4) + " °C", irq->analytic.overshoot_worst_c,
                   "#555555");
  }
  return fig.render();
}

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
  const auto plot_file = a.take("--plot", f);
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
  // The outputs are opened before any run, so a name that cannot be written is refused first;
  // they appear together after the runs, or not at all (io/output.hpp).
  io::output_set outputs;
  if (dtb) {
    outputs.add_input(std::string(*dtb));
  }
  std::ostream* csv_out = nullptr;
  std::ostream* plot_out = nullptr;
  if (!open_outputs(outputs, {{csv_file, &csv_out}, {plot_file, &plot_out}}, "latency", err)) {
    return exit_failure;
  }
  std::vector<latency_row> rows;
  progress prog("thermo latency");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    const analysis::latency_case& c = cases[k];
    const auto r = analysis::analytic_latency(c);
    if (!r) {
      err << "thermo latency: " << r.error().what << " (" << to_string(r.error().code) << ")\n";
      return exit_usage;
    }
    latency_row row{c, *r, std::nullopt};
    if (simulate) {
      auto sim = analysis::simulate_latency(c, n_phases);
      if (!sim) {
        err << "thermo latency: simulation: " << sim.error().what << " (" << to_string(sim.error().code) << ")\n";
        return exit_failure;
      }
      row.sim = *sim;
    }
    rows.push_back(row);
    prog.update(static_cast<double>(k + 1) / static_cast<double>(cases.size()));
  }
  prog.done();
  // each line formatted at the length it needs (io::format_printf never cuts one)
  std::string out = io::format_printf("ramp %.3g °C/s, resolution %d m°C, trip %d m°C%s\n", base.ramp_c_per_s,
                                      base.resolution.count(), base.trip.count(), origin.c_str());
  out += io::format_printf("%-10s %10s %9s %9s %9s %11s %11s%s\n", "mode", "period ms", "best ms", "mean ms", "worst ms",
                           "over mean C", "over worst C", simulate ? "   sim mean ms  sim worst ms" : "");
  for (const latency_row& row : rows) {
    const bool poll = row.c.mode == analysis::detection_mode::polling;
    const double period_ms = poll ? to_seconds(row.c.period) * 1e3 : 0.0;
    const analysis::latency_summary& r = row.analytic;
    out += io::format_printf("%-10s %10.1f %9.2f %9.2f %9.2f %11.3f %11.3f", poll ? "polling" : "interrupt", period_ms, r.best_s * 1e3,
                             r.mean_s * 1e3, r.worst_s * 1e3, r.overshoot_mean_c, r.overshoot_worst_c);
    out += row.sim ? io::format_printf(" %14.2f %13.2f\n", row.sim->mean_s * 1e3, row.sim->worst_s * 1e3) : std::string("\n");
  }
  if (csv_out != nullptr) {
    io::csv_writer csv(*csv_out);
    csv.row({"mode", "period_s", "best_s", "mean_s", "worst_s", "overshoot_mean_c", "overshoot_worst_c", "sim_mean_s", "sim_worst_s"});
    for (const latency_row& row : rows) {
      const bool poll = row.c.mode == analysis::detection_mode::polling;
      const analysis::latency_summary& r = row.analytic;
      csv.cell(std::string_view(poll ? "polling" : "interrupt")).cell(poll ? to_seconds(row.c.period) : 0.0);
      csv.cell(r.best_s).cell(r.mean_s).cell(r.worst_s).cell(r.overshoot_mean_c).cell(r.overshoot_worst_c);
      if (row.sim) {
        csv.cell(row.sim->mean_s).cell(row.sim->worst_s);
      } else {
        csv.cell(std::string_view{}).cell(std::string_view{});
      }
      csv.end_row();
    }
  }
  if (plot_out != nullptr) {
    const std::string title = io::format_printf("Detection latency of a %.6g °C trip, rising at %.3g °C/s%s",
                                                static_cast<double>(base.trip.count()) / 1000.0, base.ramp_c_per_s, origin.c_str());
    *plot_out << latency_plot(title, base, list, rows);
  }
  if (const io::file_error e = outputs.commit(); !e.ok()) {
    err << "thermo latency: " << e.message << '\n';
    return exit_failure;
  }
  std::cout << out;
  return std::cout ? exit_ok : exit_failure;
}

}  // namespace thermo::cli
