// No heap during a run: every feature at once — two zones (polled step_wise on a cpufreq cap,
// interrupt-driven bang_bang on a fan), idle injection, leakage, sensor noise and faults, a fan
// failure, ambient steps, callbacks, an inference workload and back-to-back jobs, a recorder
// with rows at every event — and the run never calls operator new.
#include <catch2/catch.hpp>

#include <memory>

#include "sim_support.hpp"
#include "support/heap_guard.hpp"
#include "thermo/control/governors/bang_bang.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/workload/inference.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

constexpr std::array<control::thermal_trip, 2> cpu_trips{{
    {millicelsius(38'000), millikelvin_delta(1'000), control::trip_type::passive},
    {millicelsius(95'000), millikelvin_delta(0), control::trip_type::critical},
}};
constexpr std::array<control::thermal_trip, 1> fan_trips{{
    {millicelsius(30'000), millikelvin_delta(1'000), control::trip_type::active},
}};
constexpr std::array<weighted_node<double>, 2> board_probe{{{1, 0.8}, {0, 0.2}}};
constexpr std::array<std::uint32_t, 2> fan_levels{0, 255};
constexpr std::array<sim::fan_path, 1> fan_paths{{{1, sim::fan_path::ambient, 0.0, 0.3, 0.8}}};

}  // namespace

TEST_CASE("a run with every feature never touches the heap", "[sim][heap]") {
  auto s = std::make_unique<small_sim>();
  control::step_wise<> step;
  control::bang_bang<2> bang;
  sim::recorder rec(20000);
  sim::sim_options o;
  o.record_interval = 10ms;
  o.record_events = true;
  REQUIRE(s->set_plant(test::die_board()).ok());
  REQUIRE(s->set_options(o).ok());
  auto d = test::cpu_domain(2);
  d.power.leakage = {true, 0.01, 0.02, celsius<double>(25.0)};
  d.power.idle_power = watts<double>(0.05);
  REQUIRE(s->add_domain(d));
  sensor_params noisy;
  noisy.noise_stddev_mc = 150.0;
  noisy.resolution = millikelvin_delta(250);
  noisy.conversion_time = 2ms;
  noisy.try_again_probability = 0.02;
  sensor_params irq;
  irq.interrupt = true;
  irq.irq_latency = 200us;
  irq.comparator_period = 1ms;
  auto die = s->add_sensor({"die", test::die_probe, noisy});
  auto board = s->add_sensor({"board", board_probe, irq});
  REQUIRE(die);
  REQUIRE(board);
  auto cpufreq = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
  auto idle = s->add_idle_injection(0, "idle-0");
  sim::fan_config fc;
  fc.levels = fan_levels;
  fc.paths = fan_paths;
  fc.initial_state = 0;
  auto fan = s->add_fan(fc);
  REQUIRE(cpufreq);
  REQUIRE(idle);
  REQUIRE(fan);
  sim::zone_setup zc;
  zc.config.type = "cpu-thermal";
  zc.config.polling_delay = 1000ms;
  zc.config.passive_delay = 100ms;
  zc.trips = cpu_trips;
  zc.sensor = *die;
  zc.governor = control::governor_ref(step);
  REQUIRE(s->add_zone(zc));
  REQUIRE(s->bind(0, 0, *cpufreq));
  REQUIRE(s->bind(0, 0, *idle, {0, 50, control::weight_default}));
  sim::zone_setup zf;
  zf.config.type = "board-thermal";
  zf.trips = fan_trips;
  zf.sensor = *board;
  zf.governor = control::governor_ref(bang);
  REQUIRE(s->add_zone(zf));
  REQUIRE(s->bind(1, 0, *fan));
  auto work = presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, "arm,cortex-a72", 2);
  REQUIRE(work);
  workload::inference_config ic;
  ic.work = *work;
  ic.arrivals = workload::arrival_mode::periodic;
  ic.period = 50ms;
  auto inf = std::make_unique<workload::inference<2, 64, 16>>(*workload::inference<2, 64, 16>::make(ic));
  REQUIRE(s->add_workload(*inf));
  auto jobs = workload::cycle_jobs<4>::make({0, 1, 3e7, 0, sim_time{5s}});
  REQUIRE(jobs);
  REQUIRE(s->add_workload(*jobs, 1));
  REQUIRE(s->add_event(sim::scenario_event::ambient(sim_time{20s}, 30.0)).ok());
  REQUIRE(s->add_event(sim::scenario_event::fan_failure(sim_time{30s}, *fan)).ok());
  REQUIRE(s->add_event(sim::scenario_event::fan_restore(sim_time{40s}, *fan)).ok());
  REQUIRE(s->add_event(sim::scenario_event::sensor_failure(sim_time{45s}, *die, {sensor_fault_kind::hard_error})).ok());
  REQUIRE(s->add_event(sim::scenario_event::sensor_restore(sim_time{47s}, *die)).ok());
  REQUIRE(s->add_event(sim::scenario_event::node_power(sim_time{50s}, 1, 0.2)).ok());
  REQUIRE(s->add_event(sim::scenario_event::trip_temperature(sim_time{55s}, 1, 0, millicelsius(32'000))).ok());
  s->set_recorder(&rec);
  REQUIRE(s->start().ok());  // set-up may allocate (the recorder's storage)

  THERMO_REQUIRE_NO_HEAP(s->run_until(sim_time{60s}));

  const auto m = s->metrics();
  CHECK(s->status() == sim::run_status::running);
  CHECK(m.zones[0].updates > 100);
  CHECK(m.zones[1].interrupts >= 1);
  CHECK(m.zones[0].read_failures > 0);
  CHECK(m.cooling[2].transitions >= 1);  // the fan switched
  CHECK(inf->completed() > 100);
  CHECK(jobs->completed() > 10);
  CHECK(rec.rows() > 6000);
  CHECK(rec.dropped() == 0);
}
