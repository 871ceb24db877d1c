// inference_tour: the inference workload without a thermal model — calibrated models on the
// RK3399's clusters, and one workload driven through a frequency drop by hand.
//
//   inference_tour
//
// Prints (1) one-inference latencies of a few calibrated models on the RK3399's Cortex-A72 and
// Cortex-A53 clusters at their top OPPs, TFLite-style (one thread) and TVM-style (all cores),
// and (2) a 4 frame/s MobileNet stream on one LITTLE core whose clock drops from 1416 to 600 MHz
// after 5 s (233 ms per frame become 550 ms, so the queue grows): latency percentiles and
// throughput per second. The simulation (sim/) drives
// workloads the same way, with the frequency chosen by cpufreq and the thermal governors.
// See docs/explanation/inference-workloads.md.
#include <array>
#include <cstdio>
#include <memory>
#include <string_view>

#include "example_cli.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/workload/inference.hpp"

namespace {

using namespace thermo;
using namespace thermo::workload;

constexpr std::string_view usage_text =
    "usage: inference_tour\n"
    "The inference workload without a thermal model: calibrated models on the RK3399's\n"
    "clusters, and one stream driven through a frequency drop by hand. No options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  if (argc > 1) {
    return example_cli::bad_usage("inference_tour", example_cli::unknown_argument(argv[1]),
                                  usage_text);
  }
  const auto& soc = presets::rk3399;
  const auto* big = soc.find_cluster("big");
  const auto* little = soc.find_cluster("little");
  if (big == nullptr || little == nullptr) {
    std::fprintf(stderr, "inference_tour: the RK3399 preset has no big/little cluster\n");
    return 1;
  }
  const double big_hz = static_cast<double>(big->opps.back().frequency.count()) * 1e3;
  const double little_hz = static_cast<double>(little->opps.back().frequency.count()) * 1e3;

  std::printf("1. One inference on the RK3399 at the top OPPs (A72 %.0f MHz, A53 %.0f MHz), ms\n\n",
              big_hz / 1e6, little_hz / 1e6);
  std::printf("   %-28s %12s %12s %12s %12s\n", "model", "A72 TFLite", "A72 TVM x2", "A53 TFLite",
              "A53 TVM x4");
  for (const std::string_view model : {"Mobilenet_V1_1.0_224_quant", "Mobilenet_V2_1.0_224_quant",
                                       "Inception_V3_quant", "efficientnet-lite0"}) {
    std::printf("   %-28.*s", static_cast<int>(model.size()), model.data());
    for (const auto* cl : {big, little}) {
      const double f = cl == big ? big_hz : little_hz;
      for (const auto fw : {schema::framework::tflite, schema::framework::tvm}) {
        // [preset-work]
        const auto w = presets::preset_work(model, fw, cl->compatible, cl->cpu_ids.size());
        const auto t = w ? inference_seconds(*w, f) : result<double, error>(w.error());
        // [preset-work]
        if (!t) {
          std::fprintf(stderr, "inference_tour: %s: %s\n", std::string(model).c_str(),
                       t.error().what);
          return 1;
        }
        std::printf(" %12.1f", *t * 1e3);
      }
    }
    std::printf("\n");
  }

  // [stream]
  inference_config cfg;
  cfg.domain = 0;  // the LITTLE cluster
  cfg.work = *presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tflite,
                          little->compatible, little->cpu_ids.size());
  cfg.arrivals = arrival_mode::periodic;
  cfg.period = std::chrono::milliseconds(250);  // 4 frames/s
  cfg.overload = overload_policy::queue;
  cfg.window = std::chrono::seconds(1);
  auto made = inference<>::make(cfg);  // large (sample store): copy it to the heap at set-up
  auto w = std::make_unique<inference<>>(*made);
  static_assert(Workload<inference<>>);

  // The simulation's call protocol, by hand: the state changes once, at 5 s.
  domain_state s{little_hz, little_hz, 1.0};
  const domain_state throttled{600e6, little_hz, 1.0};
  const sim_time drop{std::chrono::seconds(5)};
  const sim_time end{std::chrono::seconds(10)};
  sim_time now{};
  while (now < end) {
    const sim_time next = w->next_event(now, s);
    const sim_time stop = now < drop && drop < next ? drop : (next < end ? next : end);
    w->advance(now, stop - now, s);
    now = stop;
    if (now == drop && s.frequency_hz != throttled.frequency_hz) {
      s = throttled;  // progress so far is kept; the running inference just slows down
    } else if (now == next) {
      w->on_event(now, s);
    }
  }
  // [stream]

  std::printf(
      "\n2. MobileNet V1 (TFLite, 1 thread) at 4 frames/s on one A53; %.0f MHz, 600 MHz from 5 "
      "s\n\n",
      little_hz / 1e6);
  std::printf("   completed %llu of %llu frames, backlog %llu at 10 s\n",
              static_cast<unsigned long long>(w->completed()),
              static_cast<unsigned long long>(w->arrivals()),
              static_cast<unsigned long long>(w->backlog()));
  std::printf("   latency: min %.1f ms, p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              w->latency_min_s() * 1e3, *w->latency_percentile(0.5) * 1e3,
              *w->latency_percentile(0.99) * 1e3, w->latency_max_s() * 1e3);
  std::printf("   %-10s %12s %16s\n", "second", "frames/s", "max latency ms");
  for (std::size_t i = 0; i < w->windows().size(); ++i) {
    std::printf("   %-10zu %12.0f %16.1f\n", i, w->throughput(i),
                w->windows()[i].latency_max_s * 1e3);
  }
  return 0;
}
