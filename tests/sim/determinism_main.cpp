// A rich scenario whose trace fingerprint must be the same bit for bit on every run and for
// every compiler (see tests/sim/extra.cmake: this file is built by the project's compiler and by
// the other one — clang++-19 for a gcc build, g++ for a clang build — and the outputs compared).
//
// Prints the recorder's hash and a few metrics as hexadecimal bit patterns.
#include <bit>
#include <cinttypes>
#include <cstdio>
#include <memory>

#include "sim_support.hpp"
#include "thermo/control/governors/bang_bang.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/workload/inference.hpp"

using namespace thermo;
using namespace std::chrono_literals;

namespace {
constexpr std::array<control::thermal_trip, 2> cpu_trips{{
    {millicelsius(38'000), millikelvin_delta(1'000), control::trip_type::passive},
    {millicelsius(95'000), millikelvin_delta(0), control::trip_type::critical},
}};
constexpr std::array<control::thermal_trip, 1> fan_trips{{
    {millicelsius(30'000), millikelvin_delta(1'000), control::trip_type::active},
}};
constexpr std::array<weighted_node<double>, 2> board_probe{{{1, 0.8}, {0, 0.2}}};
constexpr std::array<std::uint32_t, 3> fan_levels{0, 128, 255};
constexpr std::array<sim::fan_path, 1> fan_paths{{{1, sim::fan_path::ambient, 0.0, 0.3, 0.8}}};

int fail(const char* what) {
  std::fprintf(stderr, "determinism: %s\n", what);
  return 2;
}
}  // namespace

int main() {
  auto s = std::make_unique<test::small_sim>();
  control::step_wise<> step;
  control::bang_bang<2> bang;
  sim::recorder rec(40000);
  sim::sim_options o;
  o.record_interval = 10ms;
  o.record_events = true;
  if (!s->set_plant(test::die_board()).ok() || !s->set_options(o).ok()) {
    return fail("plant");
  }
  auto d = test::cpu_domain(2);
  d.power.leakage = {true, 0.01, 0.02, celsius<double>(25.0)};
  sensor_params noisy;
  noisy.noise_stddev_mc = 150.0;
  noisy.resolution = millikelvin_delta(250);
  noisy.conversion_time = 2ms;
  noisy.try_again_probability = 0.02;
  noisy.seed = 2024;
  sensor_params irq;
  irq.interrupt = true;
  irq.irq_latency = 200us;
  if (!s->add_domain(d)) {
    return fail("domain");
  }
  auto die = s->add_sensor({"die", test::die_probe, noisy});
  auto board = s->add_sensor({"board", board_probe, irq});
  auto cpufreq = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
  auto idle = s->add_idle_injection(0, "idle-0");
  sim::fan_config fc;
  fc.levels = fan_levels;
  fc.paths = fan_paths;
  fc.initial_state = 0;
  auto fan = s->add_fan(fc);
  if (!die || !board || !cpufreq || !idle || !fan) {
    return fail("sensors or cooling devices");
  }
  sim::zone_setup zc;
  zc.config.type = "cpu-thermal";
  zc.config.polling_delay = 1000ms;
  zc.config.passive_delay = 100ms;
  zc.trips = cpu_trips;
  zc.sensor = *die;
  zc.governor = control::governor_ref(step);
  sim::zone_setup zf;
  zf.config.type = "board-thermal";
  zf.trips = fan_trips;
  zf.sensor = *board;
  zf.governor = control::governor_ref(bang);
  if (!s->add_zone(zc) || !s->add_zone(zf) || !s->bind(0, 0, *cpufreq) || !s->bind(0, 0, *idle, {0, 50, 0}) ||
      !s->bind(1, 0, *fan)) {
    return fail("zones");
  }
  auto work = presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, "arm,cortex-a72", 2);
  if (!work) {
    return fail("inference preset");
  }
  workload::inference_config ic;
  ic.work = *work;
  ic.arrivals = workload::arrival_mode::periodic;
  ic.period = 50ms;
  auto inf = workload::inference<2, 64, 16>::make(ic);
  if (!inf) {
    return fail("inference");
  }
  auto inference = std::make_unique<workload::inference<2, 64, 16>>(*inf);
  if (!s->add_workload(*inference) || !s->add_event(sim::scenario_event::ambient(sim_time{20s}, 30.0)).ok() ||
      !s->add_event(sim::scenario_event::fan_failure(sim_time{30s}, *fan)).ok() ||
      !s->add_event(sim::scenario_event::fan_restore(sim_time{40s}, *fan)).ok()) {
    return fail("workload or events");
  }
  s->set_recorder(&rec);
  if (!s->start().ok()) {
    return fail("start");
  }
  s->run_until(sim_time{60s});
  const auto m = s->metrics();
  std::printf("trace %016" PRIx64 " rows %zu\n", rec.hash(), rec.rows());
  std::printf("events %" PRIu64 " searches %" PRIu64 "\n", m.events, m.searches);
  std::printf("energy %016" PRIx64 "\n", std::bit_cast<std::uint64_t>(m.energy_j));
  std::printf("die %016" PRIx64 "\n", std::bit_cast<std::uint64_t>(s->temperature(0)));
  std::printf("inferences %" PRIu64 "\n", inference->completed());
  std::printf("crossings %zu interrupts %u\n", m.crossings.size(), m.zones[1].interrupts);
  return 0;
}
