// The simulation: composition, cooling acting on the plant, events, errors.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "sim_support.hpp"
#include "support/heap_guard.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

struct one_zone {
  std::unique_ptr<small_sim> s = std::make_unique<small_sim>();
  control::step_wise<> gov;
  std::size_t domain = 0;
  std::size_t sensor = 0;
  std::size_t cdev = 0;
  std::size_t zone = 0;
};

std::array<control::thermal_trip, 2> trips{{
    {millicelsius(60'000), millikelvin_delta(2'000), control::trip_type::passive},
    {millicelsius(90'000), millikelvin_delta(0), control::trip_type::critical},
}};

void build(one_zone& z, sensor_params sp = {}, milliseconds polling = 1000ms, milliseconds passive = 100ms) {
  REQUIRE(z.s->set_plant(test::die_board()).ok());
  auto d = z.s->add_domain(test::cpu_domain());
  REQUIRE(d);
  z.domain = *d;
  auto s = z.s->add_sensor({"die", test::die_probe, sp});
  REQUIRE(s);
  z.sensor = *s;
  auto c = z.s->add_cpufreq_cooling(z.domain, "cpufreq-cpu0");
  REQUIRE(c);
  z.cdev = *c;
  sim::zone_setup zs;
  zs.config.type = "cpu-thermal";
  zs.config.polling_delay = polling;
  zs.config.passive_delay = passive;
  zs.trips = trips;
  zs.sensor = z.sensor;
  zs.governor = control::governor_ref(z.gov);
  auto zi = z.s->add_zone(zs);
  REQUIRE(zi);
  z.zone = *zi;
  REQUIRE(z.s->bind(z.zone, 0, z.cdev));
}

}  // namespace

TEST_CASE("a throttled domain settles near its passive trip", "[sim]") {
  one_zone z;
  build(z);
  auto w = workload::constant_demand<4>::make(0, 2, 1.0);
  REQUIRE(w);
  REQUIRE(z.s->add_workload(*w));
  REQUIRE(z.s->start().ok());
  CHECK(z.s->frequency(0) == 2e9);
  const auto st = z.s->run_until(sim_time{std::chrono::seconds(300)});
  CHECK(st == sim::run_status::running);
  const double t = z.s->temperature(0);
  INFO(t);
  CHECK(t > 55.0);
  CHECK(t < 65.0);
  CHECK(z.s->metrics().domains[0].time_capped_s > 30.0);
  const auto m = z.s->metrics();
  CHECK(m.zones[0].trips[0].crossings >= 1);
  CHECK(m.zones[0].trips[0].detections >= 1);
  CHECK(m.domains[0].work_ratio() < 1.0);
}

namespace {

// Sets cooling device `c` to state `s` from a scenario callback.
struct set_state {
  small_sim* sim;
  std::size_t c;
  control::cooling_state s;
  static void call(void* p, sim_time now) noexcept {
    auto* x = static_cast<set_state*>(p);
    static_cast<void>(x->sim->cooling_device(x->c).set_cur_state(now, x->s));
  }
};

}  // namespace

TEST_CASE("idle injection removes utilisation: run fraction, power and work scale with it", "[sim][cooling]") {
  auto s = std::make_unique<small_sim>();
  REQUIRE(s->set_plant(test::die_board()).ok());
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  auto c = s->add_idle_injection(0, "thermal-idle-0", microseconds{4000});
  REQUIRE(c);
  auto w = workload::constant_demand<4>::make(0, 2, 1.0);
  REQUIRE(w);
  REQUIRE(s->add_workload(*w));
  set_state half{s.get(), *c, 50};
  set_state all{s.get(), *c, 100};
  REQUIRE(s->add_event(sim::scenario_event::callback(sim_time{1s}, &set_state::call, &half)).ok());
  REQUIRE(s->add_event(sim::scenario_event::callback(sim_time{2s}, &set_state::call, &all)).ok());
  REQUIRE(s->start().ok());
  const double full = s->domain_power(0).dynamic.count();
  s->run_until(sim_time{1500ms});
  CHECK(s->run_fraction(0) == 0.5);  // run = 4000·100/50 − 4000 = 4000 µs per 8000 µs cycle
  CHECK(s->domain_power(0).dynamic.count() == Approx(full / 2).epsilon(1e-14));
  CHECK(s->frequency(0) == 2e9);  // idle injection does not touch the frequency
  s->run_until(sim_time{3s});
  CHECK(s->run_fraction(0) == 0.0);
  CHECK(s->domain_power(0).dynamic.count() == 0.0);
  const auto m = s->metrics();
  // 1 s at 2 cores × 2 GHz, 1 s at half of it, 1 s of nothing.
  CHECK(m.domains[0].executed_cycles == Approx(6e9).epsilon(1e-12));
  CHECK(m.domains[0].demanded_cycles == Approx(12e9).epsilon(1e-12));
  CHECK(m.domains[0].work_ratio() == Approx(0.5).epsilon(1e-12));
  CHECK(m.domains[0].time_injected_s == Approx(2.0).epsilon(1e-12));
  CHECK(m.cooling[0].transitions == 2);
  CHECK(m.cooling[0].max_state == 100);
  CHECK(m.cooling[0].time_active_s == Approx(2.0).epsilon(1e-12));
}

TEST_CASE("a fan changes the convection conductance, and each configuration is factorised once", "[sim][cooling][fan]") {
  auto s = std::make_unique<small_sim>();
  REQUIRE(s->set_plant(test::die_board()).ok());
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  static constexpr std::array<std::uint32_t, 3> levels{0, 128, 255};
  static constexpr std::array<sim::fan_path, 1> paths{{{1, sim::fan_path::ambient, 0.0, 0.5, 0.8}}};
  sim::fan_config f;
  f.levels = levels;
  f.paths = paths;
  auto fan = s->add_fan(f);
  REQUIRE(fan);
  auto w = workload::constant_demand<4>::make(0, 2, 1.0);
  REQUIRE(w);
  REQUIRE(s->add_workload(*w));
  set_state mid{s.get(), *fan, 1};
  REQUIRE(s->add_event(sim::scenario_event::callback(sim_time{10s}, &set_state::call, &mid)).ok());
  REQUIRE(s->add_event(sim::scenario_event::fan_failure(sim_time{20s}, *fan)).ok());
  REQUIRE(s->add_event(sim::scenario_event::fan_restore(sim_time{30s}, *fan)).ok());
  REQUIRE(s->start().ok());
  CHECK(s->network().ambient_conductance(1) == Approx(0.55).epsilon(1e-15));  // pwm-fan starts at full speed
  CHECK(s->metrics().network_builds == 3);  // every state, at start
  s->run_until(sim_time{15s});
  CHECK(s->network().ambient_conductance(1) == Approx(0.05 + 0.5 * std::pow(128.0 / 255.0, 0.8)).epsilon(1e-14));
  s->run_until(sim_time{20s} - sim_duration{1});
  const double before = s->temperature(0);
  s->run_until(sim_time{20s});
  CHECK(s->network().ambient_conductance(1) == Approx(0.05).epsilon(1e-15));
  CHECK(std::fabs(s->temperature(0) - before) < 1e-6);  // no jump at the switch
  const double at_failure = s->temperature(1);
  s->run_until(sim_time{30s});
  CHECK(s->temperature(1) > at_failure + 1.0);  // the board heats up without the fan
  CHECK(s->metrics().network_builds == 4);      // + the failed configuration
  s->run_until(sim_time{31s});
  CHECK(s->network().ambient_conductance(1) == Approx(0.05 + 0.5 * std::pow(128.0 / 255.0, 0.8)).epsilon(1e-14));
  CHECK(s->metrics().network_builds == 4);  // back to a cached one
}

TEST_CASE("a critical trip stops the run and says which zone and when", "[sim][critical]") {
  one_zone z;
  REQUIRE(z.s->set_plant(test::die_board()).ok());
  REQUIRE(z.s->add_domain(test::cpu_domain()));
  auto sens = z.s->add_sensor({"die", test::die_probe, {}});
  REQUIRE(sens);
  static constexpr std::array<control::thermal_trip, 1> crit{{{millicelsius(50'000), millikelvin_delta(0), control::trip_type::critical}}};
  sim::zone_setup zs;
  zs.config.type = "cpu-thermal";
  zs.config.polling_delay = 250ms;
  zs.trips = crit;
  zs.sensor = *sens;
  REQUIRE(z.s->add_zone(zs));
  auto w = workload::constant_demand<4>::make(0, 2, 1.0);
  REQUIRE(w);
  REQUIRE(z.s->add_workload(*w));
  REQUIRE(z.s->start().ok());
  CHECK(z.s->status() == sim::run_status::running);
  CHECK(z.s->run_until(sim_time{600s}) == sim::run_status::shutdown);
  const sim_time stop = z.s->now();
  const auto m = z.s->metrics();
  REQUIRE(m.crossings.size() == 1);
  CHECK(m.crossings[0].detected == stop);
  CHECK(stop.time_since_epoch().count() % 250'000'000 == 0);  // at a poll
  CHECK(z.s->stopped_by() == 0);
  CHECK(z.s->temperature(0) >= 50.0);
  CHECK(z.s->run_until(sim_time{700s}) == sim::run_status::shutdown);
  CHECK(z.s->now() == stop);  // nothing runs after a shutdown
}

TEST_CASE("leakage feeds back, runs away, and the critical trip stops it", "[sim][leakage]") {
  for (const bool leaky : {false, true}) {
    auto s = std::make_unique<small_sim>();
    REQUIRE(s->set_plant(test::die_board()).ok());
    auto d = test::cpu_domain(2);
    if (leaky) {
      d.power.leakage = {true, 0.05, 0.04, celsius<double>(25.0)};
    }
    REQUIRE(s->add_domain(d));
    auto sens = s->add_sensor({"die", test::die_probe, {}});
    REQUIRE(sens);
    static constexpr std::array<control::thermal_trip, 1> crit{{{millicelsius(95'000), millikelvin_delta(0), control::trip_type::critical}}};
    sim::zone_setup zs;
    zs.config.type = "cpu-thermal";
    zs.config.polling_delay = 100ms;
    zs.trips = crit;
    zs.sensor = *sens;
    REQUIRE(s->add_zone(zs));
    auto w = workload::constant_demand<4>::make(0, 2, 1.0);
    REQUIRE(w);
    REQUIRE(s->add_workload(*w));
    REQUIRE(s->start().ok());
    const auto st = s->run_until(sim_time{3600s});
    INFO("leaky " << leaky << " T " << s->temperature(0));
    if (leaky) {
      CHECK(st == sim::run_status::shutdown);
      CHECK(s->domain_power(0).leakage.count() > 1.0);
    } else {
      CHECK(st == sim::run_status::running);
      CHECK(s->temperature(0) < 70.0);
    }
  }
}
