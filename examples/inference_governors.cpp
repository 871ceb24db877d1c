// inference_governors: one inference workload under step_wise, power_allocator and fair_share,
// side by side, on the simulated RK3399.
//
//   inference_governors [--minutes N] [--ambient DEGC] [--csv FILE.csv] [--plot FILE.svg]
//   defaults: 20 minutes, 35 °C, inference_governors.csv, inference_governors.svg
//
// The same board (examples/rk3399_inference_rig.hpp) and the same workload — MobileNet V1 (int8)
// back to back, TVM-style on both A72 cores — three times, with only the cpu-thermal zone's
// governor changed. Linux 6.12 semantics for all three (control/governors/). Prints a table of
// what each did (throughput burst and sustained, peak temperature, time above the 75 °C control
// trip, mean frequency, energy per inference, p99 latency, cooling-state changes), writes the
// three runs' big-cluster temperature, frequency and power (means over each second of 100 ms
// samples: the governors change the frequency every 100 ms) as one CSV, and plots them.
// Exit codes: 0 ok, 1 a run or a file failed, 2 bad usage.
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

namespace {

using namespace thermo;

constexpr std::string_view usage_text =
    "usage: inference_governors [--minutes N] [--ambient DEGC] [--csv FILE.csv]\n"
    "                           [--plot FILE.svg]\n"
    "One inference workload on the simulated RK3399 under step_wise, power_allocator and\n"
    "fair_share.\n"
    "  --minutes N      simulated minutes, 2 ... 1440 (default 20)\n"
    "  --ambient DEGC   ambient temperature, -40 ... 60 degC (default 35)\n"
    "  --csv FILE.csv   the three runs, per second (default inference_governors.csv)\n"
    "  --plot FILE.svg  temperature, frequency and power (default inference_governors.svg)\n";

int usage(const std::string& problem) {
  return example_cli::bad_usage("inference_governors", problem, usage_text);
}

struct series {
  std::vector<double> t, temp, freq, power;
  std::vector<double> wt, throughput;
};

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  long minutes = 20;
  double ambient = 35.0;
  std::string csv_path = "inference_governors.csv";
  std::string plot_path = "inference_governors.svg";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) {
      return usage(example_cli::missing_value(a, {"--minutes", "--ambient", "--csv", "--plot"}));
    }
    const std::string_view v = argv[++i];
    if (a == "--minutes") {
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), minutes);
      if (ec != std::errc{} || p != v.data() + v.size() || minutes < 2 || minutes > 24 * 60) {
        return usage("bad --minutes '" + std::string(v) + "' (2 … 1440)");
      }
    } else if (a == "--ambient") {
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), ambient);
      if (ec != std::errc{} || p != v.data() + v.size() || ambient < -40.0 || ambient > 60.0) {
        return usage("bad --ambient '" + std::string(v) + "' (-40 … 60 degC)");
      }
    } else if (a == "--csv") {
      csv_path = v;
    } else if (a == "--plot") {
      plot_path = v;
    } else {
      return usage(example_cli::unknown_argument(a));
    }
  }

  const auto cfg =
      rig::back_to_back("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, rig::big_domain);
  if (!cfg) {
    return 1;
  }
  const std::array<rig::policy, 3> policies{rig::policy::step_wise, rig::policy::power_allocator,
                                            rig::policy::fair_share};
  const sim_time end{std::chrono::minutes(minutes)};
  const double end_s = to_seconds(end);
  std::array<series, 3> runs;
  std::printf(
      "MobileNet V1 (int8), TVM-style on both A72 cores of the RK3399, back to back for %ld "
      "minutes from a\n"
      "cold start at %.0f degC; cpu-thermal trips 65 / 75 / 95 degC, sustainable power 1550 "
      "mW.\n\n",
      minutes, ambient);
  std::printf("  %-16s %8s %8s %8s %9s %8s %8s %8s %9s %8s\n", "governor", "burst", "sustain",
              "peak", "above 75", "f last", "energy", "p99", "work", "cooling");
  std::printf("  %-16s %8s %8s %8s %9s %8s %8s %8s %9s %8s\n", "", "inf/s", "inf/s", "degC", "s",
              "MHz", "mJ/inf", "ms", "ratio", "changes");
  for (std::size_t k = 0; k < policies.size(); ++k) {
    // [run]
    auto b = rig::make_board(policies[k], *cfg, ambient, std::chrono::milliseconds(100));
    if (!b || b->sim.run_until(end) != sim::run_status::running) {
      std::fprintf(stderr, "inference_governors: the %s run failed\n",
                   std::string(rig::to_string(policies[k])).c_str());
      return 1;
    }
    const auto m = b->sim.metrics();
    // [run]
    const auto& w = *b->work;
    const sim::recorder& rec = b->rec;
    const std::size_t c_t = rec.find("T_big");
    const std::size_t c_f = rec.find("f_big");
    const std::size_t c_p = rec.find("P_big");
    series& s = runs[k];
    const auto seconds = static_cast<std::size_t>(end_s);
    s.temp = rig::bin_means(rec, c_t, 1.0, seconds);
    s.freq = rig::bin_means(rec, c_f, 1.0, seconds);
    s.power = rig::bin_means(rec, c_p, 1.0, seconds);
    for (std::size_t i = 0; i < seconds; ++i) {
      s.t.push_back(static_cast<double>(i));
    }
    double f_last = 0.0;
    std::size_t n_last = 0;
    for (std::size_t r = 0; r < rec.rows(); ++r) {
      if (to_seconds(rec.time(r)) > end_s - 60.0) {
        f_last += rec.value(r, c_f);
        ++n_last;
      }
    }
    const auto windows = w.windows();
    const double width = to_seconds(w.window_width());
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const double a = static_cast<double>(i) * width;
      s.wt.push_back(a);
      s.throughput.push_back(w.throughput(i));
      if (a + width <= 60.0 + 1e-9) {
        first += windows[i].completed;
      }
      if (a >= end_s - 60.0 - 1e-9) {
        last += windows[i].completed;
      }
    }
    const auto& zone = m.zones[0];
    const auto& big = m.domains[rig::big_domain];
    const auto& cdev = m.cooling[b->parts.cooling[1]];  // cpufreq-cpu4, the A72 cluster's
    std::printf("  %-16s %8.2f %8.2f %8.1f %9.1f %8.0f %8.1f %8.1f %9.3f %8u\n",
                std::string(rig::to_string(policies[k])).c_str(), static_cast<double>(first) / 60.0,
                static_cast<double>(last) / 60.0, zone.peak_c,
                zone.trips.size() > 1 ? zone.trips[1].time_above_s : 0.0,
                n_last > 0 ? f_last / static_cast<double>(n_last) : 0.0,
                w.completed() > 0 ? 1e3 * big.energy_j / static_cast<double>(w.completed()) : 0.0,
                1e3 * w.latency_percentile(0.99).value_or(0.0), big.work_ratio(), cdev.transitions);
  }
  std::printf(
      "\n  burst = first minute, sustain = last minute; f last = mean A72 frequency over the last "
      "minute;\n"
      "  work ratio = cycles executed / cycles an unthrottled cluster would have executed.\n");

  // CSV: the three runs side by side, one row per second (means over [t, t + 1 s)).
  {
    example_cli::output_file f_file(csv_path);
    std::ostream& f = f_file.stream();
    f << "time_s";
    for (const rig::policy p : policies) {
      const std::string n(rig::to_string(p));
      f << ",T_big_" << n << "_C,f_big_" << n << "_MHz,P_big_" << n << "_W";
    }
    f << '\n';
    const std::size_t rows = std::min({runs[0].t.size(), runs[1].t.size(), runs[2].t.size()});
    for (std::size_t r = 0; r < rows; ++r) {
      f << runs[0].t[r];
      for (const series& s : runs) {
        f << ',' << s.temp[r] << ',' << s.freq[r] << ',' << s.power[r];
      }
      f << '\n';
    }
    if (const std::string e = f_file.commit(); !e.empty()) {
      std::fprintf(stderr, "inference_governors: %s\n", e.c_str());
      return 1;
    }
  }
  io::svg_figure fig("One inference workload, three governors (RK3399, A72 cluster)", 960, 300);
  auto& tp = fig.add_panel("time (s)", "A72 hot spot (°C)");
  auto& fp = fig.add_panel("time (s)", "A72 frequency, mean per second (MHz)");
  auto& qp = fig.add_panel("time (s)", "inferences per second");
  for (std::size_t k = 0; k < policies.size(); ++k) {
    const std::string n(rig::to_string(policies[k]));
    tp.add({.name = n, .x = runs[k].t, .y = runs[k].temp});
    fp.add({.name = n, .x = runs[k].t, .y = runs[k].freq});
    qp.add({.name = n, .x = runs[k].wt, .y = runs[k].throughput, .step = true});
  }
  tp.add_hline("control 75 °C", 75.0);
  tp.add_hline("switch-on 65 °C", 65.0, "#999999");
  if (fig.save(plot_path) != errc::ok) {
    std::fprintf(stderr, "inference_governors: cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("\nCSV written to %s, plot to %s\n", csv_path.c_str(), plot_path.c_str());
  return 0;
}
