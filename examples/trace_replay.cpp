// trace_replay: replay a per-CPU utilisation trace (CSV) on the simulated RK3399 and see what the
// throttled chip delivers of it.
//
//   trace_replay --trace FILE.csv [--cluster big|little] [--minutes N] [--ambient DEGC]
//                [--governor power_allocator|step_wise|fair_share] [--csv FILE.csv] [--plot
//                FILE.svg]
//   defaults: big, 20 minutes, 35 °C, power_allocator, trace_replay.csv, trace_replay.svg
//
// The trace (io/utilization_csv.hpp format: `time_s,cpu4,cpu5` then rows) is repeated for the
// whole run on the chosen cluster of the board of examples/rk3399_inference_rig.hpp. Its values
// are frequency-invariant utilisation, so the simulated cpufreq picks the frequency from them
// (schedutil-like) and the cooling caps it. Prints what the run did — how much of the trace's
// demanded work was executed, peak temperature, energy — writes per-second means (temperature,
// frequency, utilisation, power) as CSV and plots them. `examples/data/bursty_ui_trace.csv` is a
// small synthetic trace to start from. Exit codes: 0 ok, 1 a run or a file failed, 2 bad usage
// or a malformed trace (the message names the file and line).
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "example_cli.hpp"
#include "rk3399_inference_rig.hpp"
#include "thermo/io/svg_plot.hpp"
#include "thermo/io/utilization_csv.hpp"
#include "thermo/workload/utilization_trace.hpp"

namespace {

using namespace thermo;

constexpr std::string_view usage_text =
    "usage: trace_replay --trace FILE.csv [--cluster big|little] [--minutes N]\n"
    "                    [--ambient DEGC] [--governor power_allocator|step_wise|fair_share]\n"
    "                    [--csv FILE.csv] [--plot FILE.svg]\n"
    "Replays a per-CPU utilisation trace on the simulated RK3399: what does the throttled\n"
    "chip deliver of it?\n"
    "  --trace FILE.csv      time_s,cpu<N>... rows, repeated for the whole run (required)\n"
    "  --cluster big|little  where it runs (default big)\n"
    "  --minutes N           simulated minutes, 1 ... 1440 (default 20)\n"
    "  --ambient DEGC        ambient temperature, -40 ... 60 degC (default 35)\n"
    "  --governor NAME       power_allocator, step_wise or fair_share (default power_allocator)\n"
    "  --csv FILE.csv        per-second means (default trace_replay.csv)\n"
    "  --plot FILE.svg       the run as a plot (default trace_replay.svg)\n";

int usage(const std::string& problem) {
  return example_cli::bad_usage("trace_replay", problem, usage_text);
}

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string trace_path;
  std::size_t domain = rig::big_domain;
  long minutes = 20;
  double ambient = 35.0;
  rig::policy policy = rig::policy::power_allocator;
  std::string csv_path = "trace_replay.csv";
  std::string plot_path = "trace_replay.svg";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) {
      return usage(example_cli::missing_value(a, {"--trace", "--cluster", "--minutes", "--ambient",
                                                "--governor", "--csv", "--plot"}));
    }
    const std::string_view v = argv[++i];
    if (a == "--trace") {
      trace_path = v;
    } else if (a == "--cluster" && (v == "big" || v == "little")) {
      domain = v == "big" ? rig::big_domain : rig::little_domain;
    } else if (a == "--minutes") {
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), minutes);
      if (ec != std::errc{} || p != v.data() + v.size() || minutes <= 0 || minutes > 24 * 60) {
        return usage("bad --minutes '" + std::string(v) + "' (1 … 1440)");
      }
    } else if (a == "--ambient") {
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), ambient);
      if (ec != std::errc{} || p != v.data() + v.size() || ambient < -40.0 || ambient > 60.0) {
        return usage("bad --ambient '" + std::string(v) + "' (-40 … 60 degC)");
      }
    } else if (a == "--governor" &&
               (v == "power_allocator" || v == "step_wise" || v == "fair_share")) {
      policy = v == "step_wise"    ? rig::policy::step_wise
               : v == "fair_share" ? rig::policy::fair_share
                                   : rig::policy::power_allocator;
    } else if (a == "--csv") {
      csv_path = v;
    } else if (a == "--plot") {
      plot_path = v;
    } else {
      return usage("bad argument '" + std::string(a) + " " + std::string(v) + "'");
    }
  }
  if (trace_path.empty()) {
    return usage("--trace is required");
  }

  // [replay]
  io::utilization_table table;
  if (const io::csv_error e = io::read_utilization_csv(trace_path, table); !e.ok()) {
    std::fprintf(stderr, "trace_replay: %s\n", e.message.c_str());
    return 2;
  }
  // The trace repeats; its last row lasts as long as the one before it (1 s for a one-row trace).
  workload::utilization_trace_config tc;
  tc.domain = domain;
  tc.at_end = workload::trace_end::repeat;
  const std::size_t n = table.rows();
  const sim_duration last_row =
      n > 1 ? table.times[n - 1] - table.times[n - 2] : std::chrono::seconds(1);
  tc.duration = table.times.back() + last_row;
  auto made = io::make_utilization_trace<1024, 8>(table, tc);
  if (!made) {
    std::fprintf(stderr, "trace_replay: %s: %s (row %d, core %d)\n", trace_path.c_str(),
                 made.error().what, made.error().index, made.error().index2);
    return 2;
  }
  auto trace = std::make_unique<workload::utilization_trace<1024, 8>>(*made);
  auto b = rig::make_board_with(policy, ambient, std::chrono::milliseconds(100),
                                [&](rig::board& bd) -> error {
                                  if (auto w = bd.sim.add_workload(*trace); !w) {
                                    return w.error();
                                  }
                                  return {};
                                });
  if (!b) {
    return 1;
  }
  const sim_time end{std::chrono::minutes(minutes)};
  if (b->sim.run_until(end) != sim::run_status::running) {
    std::fprintf(stderr, "trace_replay: the run stopped: %s\n",
                 std::string(to_string(b->sim.status())).c_str());
    return 1;
  }
  const auto metrics = b->sim.metrics();
  // [replay]

  const auto& cl = presets::rk3399.clusters[domain];
  const sim::recorder& rec = b->rec;
  const std::string name(cl.name);
  const std::size_t c_t = rec.find("T_" + name);
  const std::size_t c_f = rec.find("f_" + name);
  const std::size_t c_u = rec.find("u_" + name);
  const std::size_t c_p = rec.find("P_" + name);
  const auto seconds = static_cast<std::size_t>(to_seconds(end));
  const auto temp = rig::bin_means(rec, c_t, 1.0, seconds);
  const auto freq = rig::bin_means(rec, c_f, 1.0, seconds);
  const auto util = rig::bin_means(rec, c_u, 1.0, seconds);
  const auto power = rig::bin_means(rec, c_p, 1.0, seconds);
  const auto& dm = metrics.domains[domain];
  std::printf(
      "Trace %s (%zu rows x %zu CPUs, repeating every %.1f s) on the RK3399 %s cluster,\n"
      "%s, %ld minutes from a cold start at %.0f degC\n\n",
      trace_path.c_str(), table.rows(), table.cores(), to_seconds(tc.duration), name.c_str(),
      std::string(rig::to_string(policy)).c_str(), minutes, ambient);
  std::printf("  repetitions of the trace          %llu\n",
              static_cast<unsigned long long>(trace->repetitions()));
  std::printf(
      "  work executed / demanded          %.1f %%  (what an unthrottled cluster would have run)\n",
      100.0 * dm.work_ratio());
  std::printf("  time capped by cooling            %.0f s of %ld min\n", dm.time_capped_s, minutes);
  std::printf("  cpu-thermal peak                  %.1f degC at %.0f s\n", metrics.zones[0].peak_c,
              to_seconds(metrics.zones[0].peak_time));
  std::printf("  %s cluster energy                %.0f J (mean %.2f W)\n", name.c_str(),
              dm.energy_j, dm.energy_j / to_seconds(end));
  double f_first = 0.0;
  double f_last = 0.0;
  for (std::size_t i = 0; i < 60 && i < seconds; ++i) {
    f_first += freq[i] / 60.0;
    f_last += freq[seconds - 1 - i] / 60.0;
  }
  std::printf("  mean %s frequency                first minute %.0f MHz, last minute %.0f MHz\n",
              name.c_str(), f_first, f_last);

  {
    example_cli::output_file f_file(csv_path);
    std::ostream& f = f_file.stream();
    f << "time_s,T_" << name << "_C,f_" << name << "_MHz,u_" << name << ",P_" << name << "_W\n";
    for (std::size_t i = 0; i < seconds; ++i) {
      f << i << ',' << temp[i] << ',' << freq[i] << ',' << util[i] << ',' << power[i] << '\n';
    }
    if (const std::string e = f_file.commit(); !e.empty()) {
      std::fprintf(stderr, "trace_replay: %s\n", e.c_str());
      return 1;
    }
  }
  std::vector<double> t;
  for (std::size_t i = 0; i < seconds; ++i) {
    t.push_back(static_cast<double>(i));
  }
  // The first and the last minute at the recorder's 100 ms, on a common 0…60 s axis.
  auto minute = [&](std::size_t column, double from) {
    std::pair<std::vector<double>, std::vector<double>> xy;
    for (std::size_t r = 0; r < rec.rows(); ++r) {
      const double at = to_seconds(rec.time(r));
      if (at > from && at <= from + 60.0) {
        xy.first.push_back(at - from);
        xy.second.push_back(rec.value(r, column));
      }
    }
    return xy;
  };
  const double last_from = to_seconds(end) - 60.0;
  io::svg_figure fig("Utilisation trace replayed on the RK3399 " + name + " cluster", 960, 300);
  auto& tp = fig.add_panel("time (s)", name + " hot spot, mean per second (°C)");
  tp.add({.name = std::string(rig::to_string(policy)), .x = t, .y = temp});
  tp.add_hline("control 75 °C", 75.0);
  auto& fp = fig.add_panel("time within the minute (s)", name + " frequency (MHz)");
  auto& pp = fig.add_panel("time within the minute (s)", name + " power (W) and utilisation");
  for (const auto& [label, from] : {std::pair{"first minute", 0.0}, {"last minute", last_from}}) {
    auto [fx, fy] = minute(c_f, from);
    fp.add({.name = label, .x = std::move(fx), .y = std::move(fy), .step = true});
    auto [px, py] = minute(c_p, from);
    pp.add({.name = std::string("power, ") + label,
            .x = std::move(px),
            .y = std::move(py),
            .step = true});
  }
  auto [ux, uy] = minute(c_u, last_from);
  pp.add({.name = "utilisation (max core)",
          .x = std::move(ux),
          .y = std::move(uy),
          .step = true,
          .dashed = true});
  if (fig.save(plot_path) != errc::ok) {
    std::fprintf(stderr, "trace_replay: cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("\nCSV (per-second means) written to %s, plot to %s\n", csv_path.c_str(),
              plot_path.c_str());
  return 0;
}
