// inference_rk3399: the flagship simulation — MobileNet inference on a passively cooled RK3399
// under the power allocator (IPA), burst vs sustained throughput, with temperatures and
// frequencies.
//
//   inference_rk3399 [--minutes N] [--model NAME] [--framework tvm|tflite] [--cluster big|little]
//                    [--csv FILE.csv] [--plot FILE.svg]
//                    [--ambient DEGC]
//   defaults: 20 minutes, 35 °C (a board in a closed case), Mobilenet_V1_1.0_224_quant, tvm (a
//             thread per core), big, inference_rk3399.csv, inference_rk3399.svg
//
// The board (examples/rk3399_inference_rig.hpp) is the RK3399 preset as Linux 6.12 builds it —
// cpufreq/devfreq cooling, the cpu-thermal zone with sustainable power 1550 mW and trips at 65,
// 75 and 95 °C — on a five-node thermal model (sim::rk3399_board). The workload runs inferences
// back to back from a cold start (the whole board at ambient). Prints a summary (burst and
// sustained throughput, when and how hard the cluster was throttled, latencies, temperatures,
// energy), writes per-second means of the simulation's 100 ms trace (temperatures, frequencies,
// power, throughput) as CSV and plots them. Exit codes: 0 ok, 1 a file could not be written or the
// run failed, 2 bad usage.
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
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
    "usage: inference_rk3399 [--minutes N] [--model NAME] [--framework tvm|tflite]\n"
    "                        [--cluster big|little] [--ambient DEGC] [--csv FILE.csv]\n"
    "                        [--plot FILE.svg]\n"
    "MobileNet inference on the simulated RK3399 under the power allocator, burst vs sustained.\n"
    "  --minutes N             simulated minutes, 1 ... 1440 (default 20)\n"
    "  --model NAME            a preset model (default Mobilenet_V1_1.0_224_quant)\n"
    "  --framework tvm|tflite  a thread per core, or one thread (default tvm)\n"
    "  --cluster big|little    where it runs (default big)\n"
    "  --ambient DEGC          ambient temperature, -40 ... 60 degC (default 35)\n"
    "  --csv FILE.csv          per-second means of the trace (default inference_rk3399.csv)\n"
    "  --plot FILE.svg         the trace as a plot (default inference_rk3399.svg)\n";

int usage(const std::string& problem) {
  return example_cli::bad_usage("inference_rk3399", problem, usage_text);
}

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  long minutes = 20;
  double ambient = 35.0;
  std::string model = "Mobilenet_V1_1.0_224_quant";
  schema::framework fw = schema::framework::tvm;
  std::size_t domain = rig::big_domain;
  std::string csv_path = "inference_rk3399.csv";
  std::string plot_path = "inference_rk3399.svg";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) {
      return usage(example_cli::missing_value(a, {"--minutes", "--ambient", "--model", "--framework",
                                                "--cluster", "--csv", "--plot"}));
    }
    const std::string_view v = argv[++i];
    if (a == "--minutes") {
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), minutes);
      if (ec != std::errc{} || p != v.data() + v.size() || minutes <= 0 || minutes > 24 * 60) {
        return usage("bad --minutes '" + std::string(v) + "' (1 … 1440)");
      }
    } else if (a == "--ambient") {
      const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), ambient);
      if (ec != std::errc{} || p != v.data() + v.size() || ambient < -40.0 || ambient > 60.0) {
        return usage("bad --ambient '" + std::string(v) + "' (-40 … 60 degC)");
      }
    } else if (a == "--model") {
      model = v;
    } else if (a == "--framework" && (v == "tvm" || v == "tflite")) {
      fw = v == "tvm" ? schema::framework::tvm : schema::framework::tflite;
    } else if (a == "--cluster" && (v == "big" || v == "little")) {
      domain = v == "big" ? rig::big_domain : rig::little_domain;
    } else if (a == "--csv") {
      csv_path = v;
    } else if (a == "--plot") {
      plot_path = v;
    } else {
      return usage("bad argument '" + std::string(a) + " " + std::string(v) + "'");
    }
  }

  // [run]
  const auto cfg = rig::back_to_back(model, fw, domain);
  if (!cfg) {
    return usage("model '" + model + "': " + cfg.error().what);
  }
  auto b =
      rig::make_board(rig::policy::power_allocator, *cfg, ambient, std::chrono::milliseconds(100));
  if (!b) {
    return 1;
  }
  const sim_time end{std::chrono::minutes(minutes)};
  const sim::run_status status = b->sim.run_until(end);
  // [run]
  const auto& w = *b->work;
  const auto metrics = b->sim.metrics();
  const auto& cl = presets::rk3399.clusters[domain];

  // Trace columns.
  const sim::recorder& rec = b->rec;
  const std::size_t c_big = rec.find("T_big");
  const std::size_t c_little = rec.find("T_little");
  const std::size_t c_soc = rec.find("T_soc");
  const std::size_t c_board = rec.find("T_board");
  const std::size_t c_f = rec.find(std::string("f_") + std::string(cl.name));
  const std::size_t c_f_other = rec.find(domain == rig::big_domain ? "f_little" : "f_big");
  const std::size_t c_p = rec.find(std::string("P_") + std::string(cl.name));
  if (c_f == rec.columns() || c_big == rec.columns()) {
    std::fprintf(stderr, "inference_rk3399: trace columns missing\n");
    return 1;
  }
  // The cluster's cpufreq cooling device (its state > 0 means IPA capped it).
  std::string cdev_column;
  for (const auto& c : presets::rk3399.cooling_devices) {
    if (c.type == schema::cooling_device_type::cpufreq &&
        static_cast<std::size_t>(c.domain) == domain) {
      cdev_column = "state_" + std::string(c.name);
    }
  }
  const std::size_t c_state = rec.find(cdev_column);
  double first_cap_s = -1.0;
  for (std::size_t r = 0; r < rec.rows() && c_state < rec.columns(); ++r) {
    if (rec.value(r, c_state) > 0.0) {
      first_cap_s = to_seconds(rec.time(r));
      break;
    }
  }
  // Burst: the first minute; sustained: the last minute.
  const double end_s = to_seconds(end);
  auto mean_over = [&](std::size_t column, double from, double to) {
    double sum = 0.0;
    std::size_t n = 0;
    for (std::size_t r = 0; r < rec.rows(); ++r) {
      const double at = to_seconds(rec.time(r));
      if (at > from && at <= to) {
        sum += rec.value(r, column);
        ++n;
      }
    }
    return n > 0 ? sum / static_cast<double>(n) : 0.0;
  };
  const auto windows = w.windows();
  const double width = to_seconds(w.window_width());
  auto window_stats = [&](double from, double to) {
    std::uint64_t done = 0;
    double latency = 0.0;
    for (std::size_t i = 0; i < windows.size(); ++i) {
      const double a = static_cast<double>(i) * width;
      if (a >= from - 1e-9 && a + width <= to + 1e-9) {
        done += windows[i].completed;
        latency += windows[i].latency_sum_s;
      }
    }
    return std::pair{static_cast<double>(done) / (to - from),
                     done > 0 ? latency / static_cast<double>(done) : 0.0};
  };
  const double span = std::min(60.0, end_s / 2.0);
  const auto [burst, burst_latency] = window_stats(0.0, span);
  const auto [sustained, sustained_latency] = window_stats(end_s - span, end_s);

  std::printf(
      "%.*s inference on the RK3399 %s cluster (%zu x %.*s), %s, %zu thread%s, power_allocator\n",
      static_cast<int>(model.size()), model.data(), std::string(cl.name).c_str(), cl.cpu_ids.size(),
      static_cast<int>(cl.compatible.size()), cl.compatible.data(),
      fw == schema::framework::tvm ? "TVM-style" : "TFLite-style", w.cores(),
      w.cores() > 1 ? "s" : "");
  // run_until says `running` when it reached `end` (the simulation could go on): this run is
  // complete. Otherwise a critical trip stopped it (`shutdown` or `reboot`).
  const std::string outcome = status == sim::run_status::running ? std::string("completed")
                                                                 : std::string(to_string(status));
  std::printf(
      "%ld simulated minutes from a cold start at %.0f degC ambient, back to back; run status: "
      "%s\n\n",
      minutes, ambient, outcome.c_str());
  std::printf("  %-34s %10s %10s\n", "", "burst", "sustained");
  std::printf("  %-34s %10s %10s\n", "", "(first min)", "(last min)");
  std::printf("  %-34s %10.2f %10.2f   %.0f %% of burst\n", "throughput (inferences/s)", burst,
              sustained, burst > 0 ? 100.0 * sustained / burst : 0.0);
  std::printf("  %-34s %10.1f %10.1f\n", "latency, mean (ms)", 1e3 * burst_latency,
              1e3 * sustained_latency);
  std::printf("  %-34s %10.0f %10.0f\n", (std::string(cl.name) + " frequency, mean (MHz)").c_str(),
              mean_over(c_f, 0.0, span), mean_over(c_f, end_s - span, end_s));
  std::printf("  %-34s %10.2f %10.2f\n",
              (std::string(cl.name) + " cluster power, mean (W)").c_str(),
              mean_over(c_p, 0.0, span), mean_over(c_p, end_s - span, end_s));
  std::printf("  %-34s %10.1f %10.1f\n", "big hot spot, mean (degC)", mean_over(c_big, 0.0, span),
              mean_over(c_big, end_s - span, end_s));
  if (first_cap_s >= 0.0) {
    std::printf("\n  first capped by the power allocator at %.0f s (%.1f min)", first_cap_s,
                first_cap_s / 60.0);
  } else {
    std::printf("\n  never capped by the power allocator");
  }
  std::printf("; %.0f %% of the demanded work was done (work ratio)\n",
              100.0 * metrics.domains[domain].work_ratio());
  std::printf(
      "  latency over the run: p50 %.1f ms, p99 %.1f ms (min %.1f, max %.1f), %llu inferences\n",
      1e3 * w.latency_percentile(0.5).value_or(0.0), 1e3 * w.latency_percentile(0.99).value_or(0.0),
      1e3 * w.latency_min_s(), 1e3 * w.latency_max_s(),
      static_cast<unsigned long long>(w.completed()));
  std::printf("  temperatures at the end: big %.1f, little %.1f, soc %.1f, board %.1f degC\n",
              b->sim.temperature(0), b->sim.temperature(1), b->sim.temperature(3),
              b->sim.temperature(4));
  std::printf(
      "  cpu-thermal peak %.1f degC; time above the 75 degC control trip %.1f s; energy %.0f J (%s "
      "cluster)\n",
      metrics.zones[0].peak_c,
      metrics.zones[0].trips.size() > 1 ? metrics.zones[0].trips[1].time_above_s : 0.0,
      metrics.domains[domain].energy_j, std::string(cl.name).c_str());

  // Per-second means of the 100 ms samples: IPA moves the frequency every 100 ms and often
  // dithers between two OPPs, so a plot of point samples would alias.
  const auto seconds = static_cast<std::size_t>(end_s);
  std::vector<double> t;
  for (std::size_t i = 0; i < seconds; ++i) {
    t.push_back(static_cast<double>(i));
  }
  struct column {
    const char* name;
    std::size_t index;
  };
  const std::array<column, 7> columns{
      {{"T_big_C", c_big},
       {"T_little_C", c_little},
       {"T_soc_C", c_soc},
       {"T_board_C", c_board},
       {domain == rig::big_domain ? "f_big_MHz" : "f_little_MHz", c_f},
       {domain == rig::big_domain ? "f_little_MHz" : "f_big_MHz", c_f_other},
       {domain == rig::big_domain ? "P_big_W" : "P_little_W", c_p}}};
  std::vector<std::vector<double>> means;
  for (const column& c : columns) {
    means.push_back(rig::bin_means(rec, c.index, 1.0, seconds));
  }
  {
    example_cli::output_file f_file(csv_path);
    std::ostream& f = f_file.stream();
    f << "time_s";
    for (const column& c : columns) {
      f << ',' << c.name;
    }
    f << ",inferences_per_s\n";
    for (std::size_t i = 0; i < seconds; ++i) {
      f << i;
      for (const auto& m : means) {
        f << ',' << m[i];
      }
      const auto window = static_cast<std::size_t>(static_cast<double>(i) / width);
      f << ',' << w.throughput(window) << '\n';
    }
    if (const std::string e = f_file.commit(); !e.empty()) {
      std::fprintf(stderr, "inference_rk3399: %s\n", e.c_str());
      return 1;
    }
  }
  io::svg_figure fig(model + " on the RK3399 " + std::string(cl.name) + " cluster, power_allocator",
                     960, 300);
  auto& tp = fig.add_panel("time (s)", "temperature (°C)");
  const std::array<const char*, 4> node_names{"big", "little", "soc", "board"};
  for (std::size_t k = 0; k < node_names.size(); ++k) {
    tp.add({.name = node_names[k], .x = t, .y = means[k]});
  }
  tp.add_hline("switch-on 65 °C", 65.0, "#999999");
  tp.add_hline("control 75 °C", 75.0);
  auto& fp = fig.add_panel("time (s)", "frequency, mean per second (MHz)");
  fp.add({.name = std::string(cl.name), .x = t, .y = means[4]});
  fp.add({.name = domain == rig::big_domain ? "little" : "big", .x = t, .y = means[5]});
  auto& qp = fig.add_panel("time (s)", "inferences per second");
  std::vector<double> wx;
  std::vector<double> wy;
  for (std::size_t i = 0; i < windows.size(); ++i) {
    wx.push_back(static_cast<double>(i) * width);
    wy.push_back(w.throughput(i));
  }
  qp.add({.name = "per " + std::to_string(static_cast<int>(width)) + " s window",
          .x = wx,
          .y = wy,
          .step = true});
  qp.y_range(0.0, 1.1 * std::max(burst, sustained));
  qp.add_hline("sustained (last min)", sustained, "#2ca02c");
  if (fig.save(plot_path) != errc::ok) {
    std::fprintf(stderr, "inference_rk3399: cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("\nCSV (per-second means) written to %s, plot to %s\n", csv_path.c_str(),
              plot_path.c_str());
  return status == sim::run_status::running ? 0 : 1;
}
