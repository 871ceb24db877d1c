// Scripted scenario events: ambient and node power, sensor faults (try-again, hard error, stuck),
// zones enabled/disabled and trip temperatures written at run time.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "sim_support.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

constexpr std::array<control::thermal_trip, 2> trips{{
    {millicelsius(60'000), millikelvin_delta(2'000), control::trip_type::passive},
    {millicelsius(100'000), millikelvin_delta(0), control::trip_type::critical},
}};

struct rig {
  std::unique_ptr<small_sim> s = std::make_unique<small_sim>();
  std::unique_ptr<workload::constant_demand<4>> w;
  std::size_t sensor = 0;
};

void make(rig& r, sensor_params sp = {}, milliseconds polling = 1000ms, bool enabled = true, double u = 1.0) {
  REQUIRE(r.s->set_plant(test::die_board()).ok());
  REQUIRE(r.s->add_domain(test::cpu_domain()));
  auto sens = r.s->add_sensor({"die", test::die_probe, sp});
  REQUIRE(sens);
  r.sensor = *sens;
  sim::zone_setup zs;
  zs.config.type = "cpu-thermal";
  zs.config.polling_delay = polling;
  zs.trips = trips;
  zs.sensor = r.sensor;
  zs.enabled = enabled;
  REQUIRE(r.s->add_zone(zs));
  r.w = std::make_unique<workload::constant_demand<4>>(*workload::constant_demand<4>::make(0, 2, u));
  REQUIRE(r.s->add_workload(*r.w));
}

}  // namespace

TEST_CASE("an ambient step shifts the steady state and does not make temperatures jump", "[sim][scenario]") {
  rig r;
  make(r, {}, 1000ms, true, 0.0);
  REQUIRE(r.s->add_event(sim::scenario_event::ambient(sim_time{10s}, 35.0)).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{10s} - sim_duration{1});
  const double before = r.s->temperature(1);
  r.s->run_until(sim_time{10s});
  CHECK(r.s->ambient() == 35.0);
  CHECK(std::fabs(r.s->temperature(1) - before) < 1e-6);
  r.s->run_until(sim_time{3000s});
  // Idle domain (no idle power): everything settles at the new ambient.
  CHECK(r.s->temperature(0) == Approx(35.0).margin(1e-6));
}

TEST_CASE("extra node power heats the node it is put on", "[sim][scenario]") {
  rig r;
  make(r, {}, 1000ms, true, 0.0);
  REQUIRE(r.s->add_event(sim::scenario_event::node_power(sim_time{1s}, 1, 0.5)).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{5000s});
  CHECK(r.s->node_power(1) == 0.5);
  CHECK(r.s->temperature(1) == Approx(25.0 + 0.5 / 0.05).epsilon(1e-9));
}

TEST_CASE("a sensor that asks to try again is re-read every 250 ms until it recovers", "[sim][scenario][faults]") {
  rig r;
  make(r);
  REQUIRE(r.s->add_event(sim::scenario_event::sensor_failure(sim_time{2500ms}, 0, {sensor_fault_kind::try_again})).ok());
  REQUIRE(r.s->add_event(sim::scenario_event::sensor_restore(sim_time{4100ms}, 0)).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{10s});
  const auto m = r.s->metrics();
  // Polls at 0, 1, 2, 3 (fails) then re-checks at 3.25, 3.5, 3.75, 4.0 (fail), 4.25 (reads),
  // then every second: 5.25 … 9.25.
  CHECK(m.zones[0].read_failures == 5);
  CHECK(m.zones[0].updates == 3 + 5 + 1 + 5);
  CHECK(r.s->zone(0).next_update() == sim_time{10250ms});
}

TEST_CASE("a hard sensor failure backs off and finally disables the zone", "[sim][scenario][faults]") {
  rig r;
  make(r);
  REQUIRE(r.s->add_event(sim::scenario_event::sensor_failure(sim_time{500ms}, 0, {sensor_fault_kind::hard_error})).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{600s});
  const auto m = r.s->metrics();
  CHECK(r.s->zone(0).mode() == control::thermal_device_mode::disabled);
  CHECK(m.zones[0].read_failures == 16);  // 250, 375 … 109 323 ms, then disabled
  CHECK_FALSE(r.s->zone(0).next_update().has_value());
}

TEST_CASE("a stuck interrupt sensor never interrupts, and the missed crossing shows in the metrics", "[sim][scenario][faults]") {
  rig r;
  sensor_params sp;
  sp.interrupt = true;
  make(r, sp, 0ms);
  REQUIRE(r.s->add_event(sim::scenario_event::sensor_failure(sim_time{1s}, 0, {sensor_fault_kind::stuck})).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{400s});
  const auto m = r.s->metrics();
  CHECK(m.zones[0].interrupts == 0);
  CHECK(m.zones[0].trips[0].crossings == 1);
  CHECK(m.zones[0].trips[0].detections == 0);
  CHECK(m.zones[0].trips[0].time_above_s > 100.0);
  CHECK(r.s->temperature(0) > 65.0);
}

TEST_CASE("a zone enabled late starts polling then, and a disabled zone stops", "[sim][scenario]") {
  rig r;
  make(r, {}, 1000ms, false);
  REQUIRE(r.s->add_event(sim::scenario_event::zone_enable(sim_time{5s}, 0)).ok());
  REQUIRE(r.s->add_event(sim::scenario_event::zone_disable(sim_time{10500ms}, 0)).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{4s});
  CHECK(r.s->metrics().zones[0].updates == 0);
  r.s->run_until(sim_time{30s});
  CHECK(r.s->metrics().zones[0].updates == 6);  // 5, 6, 7, 8, 9, 10 s
  CHECK(r.s->zone(0).mode() == control::thermal_device_mode::disabled);
}

TEST_CASE("writing a trip temperature below the current one crosses it at once", "[sim][scenario]") {
  rig r;
  make(r);
  REQUIRE(r.s->add_event(sim::scenario_event::trip_temperature(sim_time{3500ms}, 0, 0, millicelsius(27'000))).ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{5s});
  REQUIRE(r.s->temperature(0) > 27.0);
  const auto m = r.s->metrics();
  CHECK(m.zones[0].trips[0].temperature == millicelsius(27'000));
  REQUIRE(m.crossings.size() == 1);
  CHECK(m.crossings[0].detected == sim_time{3500ms});
  CHECK(m.crossings[0].physical);
  CHECK(m.crossings[0].latency_s == 0.0);  // the level moved under the temperature: crossed now
}

TEST_CASE("a callback can change a workload's demand, and power follows at that instant", "[sim][scenario]") {
  rig r;
  make(r, {}, 1000ms, true, 1.0);
  REQUIRE(r.s->add_event(sim::scenario_event::callback(
                             sim_time{2s},
                             [](void* p, sim_time) noexcept {
                               static_cast<void>(static_cast<workload::constant_demand<4>*>(p)->set_demand(0.1));
                             },
                             r.w.get()))
              .ok());
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{2s} - sim_duration{1});
  CHECK(r.s->frequency(0) == 2e9);
  r.s->run_until(sim_time{2s});
  CHECK(r.s->frequency(0) == 5e8);  // 1.25 · 2 GHz · 0.1 = 250 MHz → lowest OPP
}
