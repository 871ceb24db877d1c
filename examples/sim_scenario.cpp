// A scenario built step by step (the tutorial docs/tutorials/build-a-scenario.md walks through
// it): a phone-sized SoC — the RK3399's big cluster on a die, a package and a board with a fan —
// runs MobileNet inferences back to back; a thermal zone with an interrupt-capable sensor and the
// step_wise governor caps the cluster's frequency, a second zone turns the fan on; after 60 s
// the room warms up and at 120 s the fan dies. Prints what happened and writes the trace
// (CSV, JSON lines) and a plot (SVG).
//
//   sim_scenario [--csv FILE] [--jsonl FILE] [--plot FILE.svg] [--seconds N]

// [includes]
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "thermo/control/governors/bang_bang.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/io/run_plot.hpp"
#include "thermo/io/trace.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/workload/inference.hpp"
// [includes]

#include "example_cli.hpp"  // --help and usage errors, shared by the examples

namespace {

using namespace std::chrono_literals;

int fail(const char* what, const thermo::error& e) {
  std::fprintf(stderr, "sim_scenario: %s: %s (%s)\n", what, e.what, std::string(thermo::to_string(e.code)).c_str());
  return 2;
}

// [limits]
// Capacities: everything lives inside the simulation object, sized here.
struct limits : thermo::sim::default_limits {
  static constexpr std::size_t nodes = 3;
  static constexpr std::size_t edges = 4;
  static constexpr std::size_t domains = 1;
  static constexpr std::size_t sensors = 2;
  static constexpr std::size_t zones = 2;
  static constexpr std::size_t cooling_devices = 2;
  static constexpr std::size_t networks = 8;  // fan configurations kept factorised
  static constexpr std::size_t workloads = 1;
};
using simulation = thermo::sim::simulation<limits>;
// [limits]

constexpr std::string_view usage_text =
    "usage: sim_scenario [--csv FILE] [--jsonl FILE] [--plot FILE.svg] [--seconds N]\n"
    "The scenario of docs/tutorials/build-a-scenario.md: a fan, two zones, inference, and\n"
    "things going wrong.\n"
    "  --csv FILE       the trace as CSV (default: none)\n"
    "  --jsonl FILE     the trace as JSON lines (default: none)\n"
    "  --plot FILE.svg  the trace as a plot (default: none)\n"
    "  --seconds N      simulated seconds (default 180)\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string csv_path;
  std::string jsonl_path;
  std::string plot_path;
  int seconds = 180;
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--csv" && i + 1 < args.size()) {
      csv_path = std::string(args[++i]);
    } else if (args[i] == "--jsonl" && i + 1 < args.size()) {
      jsonl_path = std::string(args[++i]);
    } else if (args[i] == "--plot" && i + 1 < args.size()) {
      plot_path = std::string(args[++i]);
    } else if (args[i] == "--seconds" && i + 1 < args.size()) {
      seconds = std::atoi(std::string(args[++i]).c_str());
      if (seconds <= 0) {
        return example_cli::bad_usage("sim_scenario", "--seconds needs a positive number",
                                      usage_text);
      }
    } else {
      return example_cli::bad_usage(
          "sim_scenario",
          example_cli::missing_value(args[i], {"--csv", "--jsonl", "--plot", "--seconds"}),
          usage_text);
    }
  }
  using namespace thermo;
  auto sim = std::make_unique<simulation>();  // ~35 KB: allocated once, before the run

  // [plant]
  // 1. The plant: heat capacities in J/K, conductances in W/K. The fan will add its own
  //    conductance from the board to the air, so the board's passive path is weak.
  simulation::builder_type plant;
  const auto die = plant.add_node(0.04);
  const auto package = plant.add_node(0.5, 0.005);
  const auto board = plant.add_node(4.0, 0.02);
  if (!die || !package || !board) {
    return fail("nodes", die ? (package ? board.error() : package.error()) : die.error());
  }
  if (const error e = plant.connect(*die, *package, 0.8); !e.ok()) {
    return fail("die-package", e);
  }
  if (const error e = plant.connect(*package, *board, 0.25); !e.ok()) {
    return fail("package-board", e);
  }
  if (const error e = sim->set_plant(plant); !e.ok()) {
    return fail("plant", e);
  }
  static constexpr std::array<std::string_view, 3> node_names{"die", "package", "board"};
  sim->set_node_names(node_names);
  // [plant]

  // [domain]
  // 2. A power domain: the RK3399's two Cortex-A72 cores (OPPs and power coefficient from the
  //    device tree), all of their heat into the die.
  const auto& a72 = presets::rk3399.clusters[1];
  static constexpr std::array<sim::heat_share, 1> on_die{{{0, 1.0}}};
  sim::domain_config cluster;
  cluster.power = {"big", a72.opps, static_cast<double>(a72.dynamic_power_coefficient), a72.cpu_ids.size(), {},
                   watts<double>(0.0)};
  cluster.heat = on_die;
  cluster.cpu_capacity = a72.cpu_capacity;
  const auto big = sim->add_domain(cluster);
  if (!big) {
    return fail("domain", big.error());
  }
  // [domain]

  // [sensors]
  // 3. Sensors: one on the die (0.5 °C steps, a little noise, an interrupt comparator with
  //    200 µs latency), one on the board (1 °C steps, polled).
  static constexpr std::array<weighted_node<double>, 1> at_die{{{0, 1.0}}};
  static constexpr std::array<weighted_node<double>, 1> at_board{{{2, 1.0}}};
  sensor_params die_sensor;
  die_sensor.resolution = millikelvin_delta(500);
  die_sensor.noise_stddev_mc = 100.0;
  die_sensor.interrupt = true;
  die_sensor.irq_latency = 200us;
  sensor_params board_sensor;
  board_sensor.resolution = millikelvin_delta(1000);
  const auto s_die = sim->add_sensor({"die", at_die, die_sensor});
  const auto s_board = sim->add_sensor({"board", at_board, board_sensor});
  if (!s_die || !s_board) {
    return fail("sensor", s_die ? s_board.error() : s_die.error());
  }
  // [sensors]

  // [cooling]
  // 4. Cooling devices: a cpufreq cap on the cluster, and a 4-speed PWM fan that adds up to
  //    0.25 W/K between the board and the air.
  const auto cpufreq = sim->add_cpufreq_cooling(*big, "cpufreq-cpu4");
  static constexpr std::array<std::uint32_t, 4> fan_levels{0, 100, 180, 255};
  static constexpr std::array<sim::fan_path, 1> fan_paths{{{2, sim::fan_path::ambient, 0.0, 0.25, 0.8}}};
  sim::fan_config fan_cfg;
  fan_cfg.levels = fan_levels;
  fan_cfg.paths = fan_paths;
  fan_cfg.initial_state = 0;
  const auto fan = sim->add_fan(fan_cfg);
  if (!cpufreq || !fan) {
    return fail("cooling device", cpufreq ? fan.error() : cpufreq.error());
  }
  // [cooling]

  // [zones]
  // 5. Thermal zones, as a device tree would describe them. The CPU zone is interrupt driven
  //    (no polling) and throttles from 70 °C with step_wise; the board zone polls every second
  //    and runs the fan with bang_bang above 40 °C; both have a critical trip.
  static constexpr std::array<control::thermal_trip, 2> cpu_trips{{
      {millicelsius(70'000), millikelvin_delta(2'000), control::trip_type::passive},
      {millicelsius(95'000), millikelvin_delta(0), control::trip_type::critical},
  }};
  static constexpr std::array<control::thermal_trip, 1> board_trips{{
      {millicelsius(40'000), millikelvin_delta(3'000), control::trip_type::active},
  }};
  control::step_wise<> step_wise;
  control::bang_bang<1> bang_bang;
  sim::zone_setup cpu_zone;
  cpu_zone.config.type = "cpu-thermal";
  cpu_zone.config.passive_delay = 100ms;  // while throttling, also poll every 100 ms
  cpu_zone.trips = cpu_trips;
  cpu_zone.sensor = *s_die;
  cpu_zone.governor = control::governor_ref(step_wise);
  sim::zone_setup board_zone;
  board_zone.config.type = "board-thermal";
  board_zone.config.polling_delay = 1000ms;
  board_zone.trips = board_trips;
  board_zone.sensor = *s_board;
  board_zone.governor = control::governor_ref(bang_bang);
  const auto z_cpu = sim->add_zone(cpu_zone);
  const auto z_board = sim->add_zone(board_zone);
  if (!z_cpu || !z_board) {
    return fail("zone", z_cpu ? z_board.error() : z_cpu.error());
  }
  if (const auto b = sim->bind(*z_cpu, 0, *cpufreq); !b) {
    return fail("bind cpufreq", b.error());
  }
  if (const auto b = sim->bind(*z_board, 0, *fan, {3, 3, 0}); !b) {  // on = top speed
    return fail("bind fan", b.error());
  }
  // [zones]

  // [workload]
  // 6. The workload: MobileNet V1 (quantised) under TVM on both A72 cores, back to back.
  const auto work = presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, a72.compatible, 2);
  if (!work) {
    return fail("inference preset", work.error());
  }
  workload::inference_config infer;
  infer.domain = *big;
  infer.work = *work;
  using inference_type = workload::inference<2, 1024, 64>;
  const auto made = inference_type::make(infer);
  if (!made) {
    return fail("inference", made.error());
  }
  auto inference = std::make_unique<inference_type>(*made);
  if (const auto w = sim->add_workload(*inference); !w) {
    return fail("workload", w.error());
  }
  // [workload]

  // [scenario]
  // 7. The script: the room warms from 25 to 32 °C at 60 s; the fan dies at 120 s.
  for (const auto& e : {sim::scenario_event::ambient(sim_time{60s}, 32.0), sim::scenario_event::fan_failure(sim_time{120s}, *fan)}) {
    if (const error err = sim->add_event(e); !err.ok()) {
      return fail("scenario", err);
    }
  }
  // [scenario]

  // [run]
  // 8. Record every 200 ms, start, run.
  sim::sim_options options;
  options.record_interval = 200ms;
  if (const error e = sim->set_options(options); !e.ok()) {
    return fail("options", e);
  }
  sim::recorder trace(static_cast<std::size_t>(seconds) * 5 + 10);
  sim->set_recorder(&trace);
  if (const error e = sim->start(); !e.ok()) {
    return fail("start", e);
  }
  const sim::run_status status = sim->run_until(sim_time{std::chrono::seconds(seconds)});
  // `running`: the end was reached and the run could go on; else a critical trip stopped it.
  const std::string outcome = status == sim::run_status::running ? std::string("completed")
                                                                 : std::string(sim::to_string(status));
  std::printf("run: %s at %.3f s, %zu trace rows\n", outcome.c_str(),
              to_seconds(sim->now()), trace.rows());
  // [run]

  // [metrics]
  // 9. What happened.
  const auto m = sim->metrics();
  std::printf("cpu-thermal: peak %.2f °C, %u interrupts, %u updates\n", m.zones[0].peak_c, m.zones[0].interrupts,
              m.zones[0].updates);
  const sim::trip_metrics& passive = m.zones[0].trips[0];
  std::printf("  trip 70 °C: crossed %u times, %.1f s above, detection latency mean %.3f ms max %.3f ms, "
              "overshoot at detection max %.3f °C\n",
              passive.crossings, passive.time_above_s, passive.latency_mean_s * 1e3, passive.latency_max_s * 1e3,
              passive.overshoot_at_detection_max_c);
  std::printf("board-thermal: peak %.2f °C; fan switched %u times\n", m.zones[1].peak_c, m.cooling[*fan].transitions);
  std::printf("cluster: %.1f J, work done %.1f %% of an unthrottled run, capped %.1f s\n", m.domains[0].energy_j,
              100.0 * m.domains[0].work_ratio(), m.domains[0].time_capped_s);
  std::printf("inference: %llu completed, mean latency %.1f ms, p99 %.1f ms\n",
              static_cast<unsigned long long>(inference->completed()), inference->latency_mean_s() * 1e3,
              inference->latency_percentile(0.99) ? *inference->latency_percentile(0.99) * 1e3 : 0.0);
  // [metrics]

  // [output]
  // 10. The trace as CSV / JSON lines, and a plot.
  if (!csv_path.empty() && io::save_csv(trace, csv_path) != errc::ok) {
    std::fprintf(stderr, "sim_scenario: cannot write %s\n", csv_path.c_str());
    return 2;
  }
  if (!jsonl_path.empty() && io::save_jsonl(trace, jsonl_path) != errc::ok) {
    std::fprintf(stderr, "sim_scenario: cannot write %s\n", jsonl_path.c_str());
    return 2;
  }
  if (!plot_path.empty()) {
    io::run_plot_options po;
    po.title = "MobileNet on 2×A72: step_wise cap, bang-bang fan; room warms at 60 s, fan fails at 120 s";
    po.node_temperatures = true;
    const auto fig = io::plot_run(trace, io::trip_lines(*sim), po, io::event_marks(*sim));
    if (fig.save(plot_path) != errc::ok) {
      std::fprintf(stderr, "sim_scenario: cannot write %s\n", plot_path.c_str());
      return 2;
    }
  }
  // [output]
  return 0;
}
