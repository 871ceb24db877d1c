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
