// The RK3399 board of the benchmark, from its device tree: the preset's clusters, GPU, cooling
// devices and the two thermal zones under the power allocator (sustainable power 1550 mW,
// control temperature 75 °C, 100 ms passive polling) on the five-node reference plant. MobileNet
// inferences run back to back on both A72 cores (TVM), the LITTLE cores and the GPU carry a
// light load. The same scenario runs twice: with the governor, and with cooling ignored (the
// unthrottled reference: same inputs, the plant never sees a cap).
//
//   sim_rk3399 [--plot FILE.svg] [--seconds N] [--record-ms N]
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "example_cli.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/io/run_plot.hpp"
#include "thermo/io/trace.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "thermo/workload/inference.hpp"
#include "thermo/workload/synthetic.hpp"

namespace {

using namespace std::chrono_literals;

struct limits : thermo::sim::default_limits {
  static constexpr std::size_t nodes = 5;
  static constexpr std::size_t edges = 8;
  static constexpr std::size_t domains = 3;
  static constexpr std::size_t cores = 4;
  static constexpr std::size_t opps = 8;
  static constexpr std::size_t sensors = 2;
  static constexpr std::size_t zones = 2;
  static constexpr std::size_t trips = 4;
  static constexpr std::size_t instances = 4;
  static constexpr std::size_t cooling_devices = 3;
  static constexpr std::size_t networks = 1;
  static constexpr std::size_t workloads = 3;
  static constexpr std::size_t channels = 1;
};
using simulation = thermo::sim::simulation<limits>;
using inference_type = thermo::workload::inference<2, 1024, 64>;

struct board {
  std::unique_ptr<simulation> sim = std::make_unique<simulation>();
  thermo::control::power_allocator<4> cpu_gov;
  thermo::control::power_allocator<4> gpu_gov;
  std::unique_ptr<inference_type> inference;
  std::unique_ptr<thermo::workload::constant_demand<4>> little;
  std::unique_ptr<thermo::workload::constant_demand<4>> gpu;
  thermo::sim::recorder trace;
  thermo::sim::soc_parts<8> parts;
  thermo::error error{};

  board(bool apply_cooling, std::size_t rows, int record_ms) : trace(rows) { error = build(apply_cooling, record_ms); }

  thermo::error build(bool apply_cooling, int record_ms) {
    using namespace thermo;
    // [preset]
    simulation::builder_type plant;
    if (const auto e = sim::rk3399_board(plant); !e.ok()) {
      return e;
    }
    if (const auto e = sim->set_plant(plant); !e.ok()) {
      return e;
    }
    sim->set_node_names(sim::rk3399_node_names);
    sim::sim_options o;
    o.record_interval = std::chrono::milliseconds(record_ms);
    o.apply_cooling = apply_cooling;
    if (const auto e = sim->set_options(o); !e.ok()) {
      return e;
    }
    static constexpr std::array<weighted_node<double>, 2> cpu_probe{{{0, 0.7}, {1, 0.3}}};  // tsadc channel 0
    static constexpr std::array<weighted_node<double>, 1> gpu_probe{{{2, 1.0}}};              // tsadc channel 1
    sensor_params tsadc;
    tsadc.resolution = millikelvin_delta(100);
    const auto s_cpu = sim->add_sensor({"cpu", cpu_probe, tsadc});
    const auto s_gpu = sim->add_sensor({"gpu", gpu_probe, tsadc});
    if (!s_cpu || !s_gpu) {
      return s_cpu ? s_gpu.error() : s_cpu.error();
    }
    static constexpr std::array<std::size_t, 2> cluster_nodes{1, 0};  // little → node 1, big → node 0
    static constexpr std::array<std::size_t, 1> gpu_nodes{2};
    const std::array<std::size_t, 2> sensors{*s_cpu, *s_gpu};
    const std::array<control::governor_ref, 2> governors{control::governor_ref(cpu_gov), control::governor_ref(gpu_gov)};
    const auto p = sim::add_soc(*sim, presets::rk3399, {cluster_nodes, gpu_nodes, sensors, governors, {}});
    if (!p) {
      return p.error();
    }
    parts = *p;
    // [preset]
    // [channel]
    // A custom trace channel: the power budget the CPU zone's allocator granted in its last round.
    const auto budget = [](const void* g) noexcept {
      const auto* ipa = static_cast<const control::power_allocator<4>*>(g);
      return static_cast<double>(ipa->last_round().pid.power_range) / 1000.0;
    };
    if (const auto e = sim->add_channel({"ipa_budget_cpu", "W", budget, &cpu_gov}); !e.ok()) {
      return e;
    }
    // [channel]
    const auto work = presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm,
                                            presets::rk3399.clusters[1].compatible, 2);
    if (!work) {
      return work.error();
    }
    workload::inference_config ic;
    ic.domain = parts.cluster_domain[1];
    ic.work = *work;
    const auto inf = inference_type::make(ic);
    const auto l = workload::constant_demand<4>::make(parts.cluster_domain[0], 4, 0.15);
    const auto g = workload::constant_demand<4>::make(parts.device_domain[0], 1, 0.3);
    if (!inf || !l || !g) {
      return errc::invalid_argument;
    }
    inference = std::make_unique<inference_type>(*inf);
    little = std::make_unique<workload::constant_demand<4>>(*l);
    gpu = std::make_unique<workload::constant_demand<4>>(*g);
    for (const auto& r : {sim->add_workload(*inference), sim->add_workload(*little), sim->add_workload(*gpu)}) {
      if (!r) {
        return r.error();
      }
    }
    sim->set_recorder(&trace);
    return sim->start();
  }
};

constexpr std::string_view usage_text =
    "usage: sim_rk3399 [--plot FILE.svg] [--seconds N] [--record-ms N]\n"
    "The RK3399 board under the power allocator, and the same run without cooling.\n"
    "  --plot FILE.svg  both runs as a plot (default: none)\n"
    "  --seconds N      simulated seconds (default 1200)\n"
    "  --record-ms N    trace sampling period in ms (default 100)\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string plot_path;
  int seconds = 1200;
  int record_ms = 100;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--plot" && i + 1 < args.size()) {
      plot_path = std::string(args[++i]);
    } else if (args[i] == "--seconds" && i + 1 < args.size()) {
      seconds = std::atoi(std::string(args[++i]).c_str());
      if (seconds <= 0) {
        return example_cli::bad_usage("sim_rk3399", "--seconds needs a positive number",
                                      usage_text);
      }
    } else if (args[i] == "--record-ms" && i + 1 < args.size()) {
      record_ms = std::atoi(std::string(args[++i]).c_str());
      if (record_ms <= 0) {
        return example_cli::bad_usage("sim_rk3399", "--record-ms needs a positive number",
                                      usage_text);
      }
    } else {
      return example_cli::bad_usage(
          "sim_rk3399", example_cli::missing_value(args[i], {"--plot", "--seconds", "--record-ms"}),
          usage_text);
    }
  }
  const auto rows = static_cast<std::size_t>(seconds) * 1000 / static_cast<std::size_t>(record_ms) + 10;
  board governed(true, rows, record_ms);
  board reference(false, rows, record_ms);
  for (const board* b : {&governed, &reference}) {
    if (!b->error.ok()) {
      std::fprintf(stderr, "sim_rk3399: %s (%s)\n", b->error.what, std::string(thermo::to_string(b->error.code)).c_str());
      return 2;
    }
  }
  const auto end = thermo::sim_time{std::chrono::seconds(seconds)};
  for (board* b : {&governed, &reference}) {
    // `running` once `end` is reached (the run could go on); else a critical trip stopped it.
    const thermo::sim::run_status status = b->sim->run_until(end);
    const std::string outcome = status == thermo::sim::run_status::running
                                    ? std::string("completed")
                                    : std::string(thermo::sim::to_string(status));
    const auto m = b->sim->metrics();
    std::printf("%s: %s at %.1f s\n", b == &governed ? "power allocator" : "unthrottled reference",
                outcome.c_str(), to_seconds(b->sim->now()));
    std::printf("  cpu-thermal peak %.2f °C, time above 75 °C %.1f s; gpu-thermal peak %.2f °C\n", m.zones[0].peak_c,
                m.zones[0].trips[1].time_above_s, m.zones[1].peak_c);
    std::printf("  big cluster: %.1f J, work %.1f %% of demand, capped %.1f s; %llu inferences, mean %.1f ms\n",
                m.domains[governed.parts.cluster_domain[1]].energy_j,
                100.0 * m.domains[governed.parts.cluster_domain[1]].work_ratio(),
                m.domains[governed.parts.cluster_domain[1]].time_capped_s,
                static_cast<unsigned long long>(b->inference->completed()), b->inference->latency_mean_s() * 1e3);
    std::printf("  %llu events (%.1f per simulated second), %llu crossing searches\n",
                static_cast<unsigned long long>(m.events),
                static_cast<double>(m.events) / std::chrono::duration<double>(m.duration).count(),
                static_cast<unsigned long long>(m.searches));
  }
  if (!plot_path.empty()) {
    thermo::io::run_plot_options po;
    po.title = "RK3399, MobileNet on 2×A72: power allocator (1550 mW sustainable, 75 °C control)";
    auto fig = thermo::io::plot_run(governed.trace, thermo::io::trip_lines(*governed.sim), po);
    // The unthrottled reference's CPU temperature for comparison, and the allocator's budget.
    const std::size_t ref = reference.trace.find("sensed_cpu");
    fig.panels()[0].add({.name = "sensed_cpu, unthrottled", .x = reference.trace.times_s(),
                         .y = reference.trace.column(ref), .dashed = true});
    const std::size_t budget = governed.trace.find("ipa_budget_cpu");
    fig.panels()[2].add({.name = "IPA budget (cpu-thermal)", .x = governed.trace.times_s(),
                         .y = governed.trace.column(budget), .step = true, .dashed = true});
    if (fig.save(plot_path) != thermo::errc::ok) {
      std::fprintf(stderr, "sim_rk3399: cannot write %s\n", plot_path.c_str());
      return 2;
    }
  }
  return 0;
}
