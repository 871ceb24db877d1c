// inference_threads: all cores (TVM-style) vs one thread (TFLite-style) — relative inference time
// for several models on the RK3399's A72 cluster, cold and after ten minutes of throttling.
//
//   inference_threads [--ambient DEGC] [--csv FILE.csv] [--plot FILE.svg]
//   defaults: 35 °C, inference_threads.csv, inference_threads.svg
//
// For each model, two simulations of the same board (examples/rk3399_inference_rig.hpp, power
// allocator): the model's calibrated TVM profile on both A72 cores, and its TFLite profile on one.
// Both run back to back from a cold start for the same time: until the TVM run has been throttled
// for ten minutes (its first cap by the power allocator + 10 min). "Cold" is the first
// inference's latency, "throttled" the mean latency over the last minute. The ratio TVM / TFLite
// below 1 means all cores win. Prints the table, writes it as CSV, and plots the ratios and
// MobileNet V1's latency over time. Exit codes: 0 ok, 1 a run or a file failed, 2 bad usage.
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
    "usage: inference_threads [--ambient DEGC] [--csv FILE.csv] [--plot FILE.svg]\n"
    "All cores vs one thread on the simulated RK3399, cold and after ten minutes throttled.\n"
    "  --ambient DEGC   ambient temperature, -40 ... 60 degC (default 35)\n"
    "  --csv FILE.csv   the table as CSV (default inference_threads.csv)\n"
    "  --plot FILE.svg  the ratios and MobileNet V1's latency (default inference_threads.svg)\n";

int usage(const std::string& problem) {
  return example_cli::bad_usage("inference_threads", problem, usage_text);
}

// One run's figures.
struct run_result {
  double cold_ms = 0.0;
  double throttled_ms = 0.0;
  double first_cap_s = -1.0;          // < 0: never capped
  double f_last_mhz = 0.0;            // mean big-cluster frequency over the last minute
  std::vector<double> t, latency_ms;  // latency per throughput window
};

// First time the big cluster's cpufreq cooling device was in a state > 0.
double first_cap(const sim::recorder& rec) {
  const std::size_t c = rec.find("state_cpufreq-cpu4");
  for (std::size_t r = 0; c < rec.columns() && r < rec.rows(); ++r) {
    if (rec.value(r, c) > 0.0) {
      return to_seconds(rec.time(r));
    }
  }
  return -1.0;
}

// Runs `model` under `fw` for `duration` (or, when `duration` is 0, until 10 min after the first
// cap, at most 60 min); returns the figures, or false.
bool run(std::string_view model, schema::framework fw, double ambient, sim_duration duration,
         run_result& out) {
  const auto cfg = rig::back_to_back(model, fw, rig::big_domain);
  if (!cfg) {
    std::fprintf(stderr, "inference_threads: %.*s: %s\n", static_cast<int>(model.size()),
                 model.data(), cfg.error().what);
    return false;
  }
  auto b = rig::make_board(rig::policy::power_allocator, *cfg, ambient);
  if (!b) {
    return false;
  }
  // [protocol]
  sim_time end{duration};
  if (duration.count() == 0) {  // the TVM run: find the first cap, then run ten more minutes
    const sim_time limit{std::chrono::minutes(60)};
    sim_time t{std::chrono::minutes(1)};
    while (t <= limit && first_cap(b->rec) < 0.0) {
      if (b->sim.run_until(t) != sim::run_status::running) {
        return false;
      }
      t += std::chrono::minutes(1);
    }
    const double cap = first_cap(b->rec);
    end = (cap < 0.0 ? limit
                     : sim_time{std::chrono::duration_cast<sim_duration>(std::chrono::duration<double>(cap))}) +
          std::chrono::minutes(10);
  }
  if (b->sim.run_until(end) != sim::run_status::running) {
    return false;
  }
  // [protocol]
  const auto& w = *b->work;
  const auto samples = w.windows();
  const double width = to_seconds(w.window_width());
  const double end_s = to_seconds(end);
  double done = 0.0;
  double latency = 0.0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const double a = static_cast<double>(i) * width;
    if (samples[i].completed > 0) {
      out.t.push_back(a);
      out.latency_ms.push_back(1e3 * samples[i].latency_sum_s /
                               static_cast<double>(samples[i].completed));
    }
    if (a >= end_s - 60.0 - 1e-9 && a + width <= end_s + 1e-9) {
      done += static_cast<double>(samples[i].completed);
      latency += samples[i].latency_sum_s;
    }
  }
  out.cold_ms = 1e3 * w.latency_min_s();  // the first inferences are the fastest (cold, top OPP)
  out.throttled_ms = done > 0.0 ? 1e3 * latency / done : 0.0;
  out.first_cap_s = first_cap(b->rec);
  const std::size_t cf = b->rec.find("f_big");
  double fsum = 0.0;
  std::size_t n = 0;
  for (std::size_t r = 0; r < b->rec.rows(); ++r) {
    if (to_seconds(b->rec.time(r)) > end_s - 60.0) {
      fsum += b->rec.value(r, cf);
      ++n;
    }
  }
  out.f_last_mhz = n > 0 ? fsum / static_cast<double>(n) : 0.0;
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  double ambient = 35.0;
  std::string csv_path = "inference_threads.csv";
  std::string plot_path = "inference_threads.svg";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc) {
      return usage(example_cli::missing_value(a, {"--ambient", "--csv", "--plot"}));
    }
    const std::string_view v = argv[++i];
    if (a == "--ambient") {
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

  const std::array<std::string_view, 5> models{
      "Mobilenet_V1_1.0_224_quant", "Mobilenet_V2_1.0_224_quant", "MobileNetV3_Large_1.0_8bit",
      "efficientnet-lite0", "Inception_V3_quant"};
  const std::array<std::string_view, 5> short_names{
      "MobileNet V1", "MobileNet V2", "MobileNet V3-L", "EfficientNet-lite0", "Inception V3"};
  std::printf(
      "All cores (TVM-style, 2 x A72) vs one thread (TFLite-style, 1 x A72) on the RK3399,\n"
      "power allocator, %.0f degC ambient, back to back from a cold start. Each pair runs until "
      "the\n"
      "TVM run has been throttled for 10 minutes; 'after' = mean latency over the last minute.\n\n",
      ambient);
  std::printf("  %-28s %9s %9s %7s  %9s %9s %7s  %8s %8s\n", "model", "TFLite", "TVM", "ratio",
              "TFLite", "TVM", "ratio", "TVM cap", "TVM f");
  std::printf("  %-28s %9s %9s %7s  %9s %9s %7s  %8s %8s\n", "", "cold ms", "cold ms", "cold",
              "after ms", "after ms", "after", "at min", "MHz");
  example_cli::output_file csv_file(csv_path);
  std::ostream& csv = csv_file.stream();
  csv << "model,tflite_cold_ms,tvm_cold_ms,ratio_cold,tflite_after_ms,tvm_after_ms,ratio_after,tvm_"
         "first_cap_s,"
         "run_s,tvm_f_last_min_mhz,tflite_f_last_min_mhz\n";
  std::vector<double> idx;  // model number, 1-based
  std::vector<double> cold_ratio;
  std::vector<double> after_ratio;
  run_result mobilenet_tvm;
  run_result mobilenet_tfl;
  for (std::size_t m = 0; m < models.size(); ++m) {
    run_result tvm;
    run_result tfl;
    if (!run(models[m], schema::framework::tvm, ambient, sim_duration{0}, tvm)) {
      return 1;
    }
    const double run_s = (tvm.first_cap_s < 0.0 ? 3600.0 : tvm.first_cap_s) + 600.0;
    const auto run_time =
        std::chrono::duration_cast<sim_duration>(std::chrono::duration<double>(run_s));
    if (!run(models[m], schema::framework::tflite, ambient, run_time, tfl)) {
      return 1;
    }
    const double rc = tvm.cold_ms / tfl.cold_ms;
    const double ra = tvm.throttled_ms / tfl.throttled_ms;
    std::printf("  %-28.*s %9.1f %9.1f %7.2f  %9.1f %9.1f %7.2f  %8.1f %8.0f\n",
                static_cast<int>(models[m].size()), models[m].data(), tfl.cold_ms, tvm.cold_ms, rc,
                tfl.throttled_ms, tvm.throttled_ms, ra, tvm.first_cap_s / 60.0, tvm.f_last_mhz);
    csv << models[m] << ',' << tfl.cold_ms << ',' << tvm.cold_ms << ',' << rc << ','
        << tfl.throttled_ms << ',' << tvm.throttled_ms << ',' << ra << ',' << tvm.first_cap_s << ','
        << run_s << ',' << tvm.f_last_mhz << ',' << tfl.f_last_mhz << '\n';
    idx.push_back(static_cast<double>(m + 1));
    cold_ratio.push_back(rc);
    after_ratio.push_back(ra);
    if (m == 0) {
      mobilenet_tvm = tvm;
      mobilenet_tfl = tfl;
    }
  }
  if (const std::string e = csv_file.commit(); !e.empty()) {
    std::fprintf(stderr, "inference_threads: %s\n", e.c_str());
    return 1;
  }
  std::printf("\n  models on the plot's x axis: ");
  for (std::size_t m = 0; m < models.size(); ++m) {
    std::printf("%zu %.*s%s", m + 1, static_cast<int>(models[m].size()), models[m].data(),
                m + 1 < models.size() ? ", " : "\n");
  }

  io::svg_figure fig("All cores (TVM-style) vs one thread (TFLite-style) on the RK3399 A72 cluster",
                     960, 320);
  // One vertical segment per model: from its cold ratio (lower dot) to its throttled ratio.
  auto& rp = fig.add_panel("model number (cold: lower dot, after 10 min throttled: upper dot)",
                           "latency TVM / TFLite");
  for (std::size_t m = 0; m < models.size(); ++m) {
    rp.add({.name = std::to_string(m + 1) + " " + std::string(short_names[m]),
            .x = {idx[m], idx[m]},
            .y = {cold_ratio[m], after_ratio[m]},
            .markers = true});
  }
  rp.add_hline("equal", 1.0, "#999999");
  rp.y_range(0.0, 1.2);
  auto& lp = fig.add_panel("time (s)", "MobileNet V1 latency (ms)");
  lp.add({.name = "TVM, 2 threads",
          .x = mobilenet_tvm.t,
          .y = mobilenet_tvm.latency_ms,
          .step = true});
  lp.add({.name = "TFLite, 1 thread",
          .x = mobilenet_tfl.t,
          .y = mobilenet_tfl.latency_ms,
          .step = true});
  if (fig.save(plot_path) != errc::ok) {
    std::fprintf(stderr, "inference_threads: cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("\nCSV written to %s, plot to %s\n", csv_path.c_str(), plot_path.c_str());
  return 0;
}
