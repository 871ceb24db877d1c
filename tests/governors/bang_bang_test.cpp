// bang_bang: crossings switch the fan, manage only initialises new instances (spec §2.2, part E).
#include <array>
#include <catch2/catch.hpp>

#include "governors_support.hpp"
#include "thermo/control/governors/bang_bang.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {
const std::array<thermal_trip, 2> fan_trips{thermal_trip{mc(60000), millikelvin_delta{5000}, trip_type::active},
                                            thermal_trip{mc(100000), millikelvin_delta{0}, trip_type::critical}};
}

TEST_CASE("bang_bang turns the fan on at the trip and off below trip - hysteresis", "[bang_bang][zone]") {
  bang_bang<> gov;
  plain_cdev fan{1};
  thermal_cooling_device cfan;
  zone_rig<> r;
  REQUIRE(cfan.setup(0, "fan", fan, r.log.sink()).ok());
  REQUIRE(r.setup(fan_trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(0, cfan).has_value());
  REQUIRE(r.at(50000, 0).status == update_status::updated);  // first manage: target 0, device written
  CHECK(r.target(0) == 0U);
  CHECK(r.tz.instances()[0].initialized);
  CHECK(gov.initialized_zone(r.tz));
  CHECK(r.log.count(event_type::cdev_state_update) == 1U);
  REQUIRE(r.at(61000, 100).status == update_status::updated);
  CHECK(fan.state == 1U);
  r.log.ring.clear();
  REQUIRE(r.at(56000, 200).status == update_status::updated);  // still reached (release below 55 °C)
  CHECK(fan.state == 1U);
  CHECK(r.log.count(event_type::cdev_state_update) == 0U);  // manage does nothing any more
  REQUIRE(r.at(55000, 300).status == update_status::updated);
  CHECK(fan.state == 1U);
  REQUIRE(r.at(54999, 400).status == update_status::updated);
  CHECK(fan.state == 0U);
  CHECK(r.target(0) == 0U);
}

TEST_CASE("bang_bang ignores the instance limits and re-initialises after a new binding or a resume",
          "[bang_bang][zone]") {
  bang_bang<> gov;
  plain_cdev fan{6};
  plain_cdev fan2{1};
  thermal_cooling_device cfan;
  thermal_cooling_device cfan2;
  REQUIRE(cfan.setup(0, "fan", fan).ok());
  REQUIRE(cfan2.setup(1, "fan2", fan2).ok());
  zone_rig<> r;
  REQUIRE(r.setup(fan_trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(0, cfan, cooling_spec{2, 6, 0}).has_value());
  REQUIRE(r.at(70000, 0).status == update_status::updated);  // above the trip at the first update
  CHECK(r.target(0) == 1U);  // 1, not clamped to lower = 2
  CHECK(fan.state == 1U);
  // A device bound later is initialised by the next manage (BIND_CDEV resets the flag).
  REQUIRE(r.tz.bind(0, cfan2).has_value());
  CHECK_FALSE(gov.initialized_zone(r.tz));
  REQUIRE(r.at(70000, 100).status == update_status::updated);
  CHECK(r.target(1) == 1U);
  CHECK(fan2.state == 1U);
  // Resume: every instance uninitialised, initialised again from the temperature.
  r.tz.suspend();
  fan.state = 0;
  r.sensor.set(mc(40000));
  REQUIRE(r.tz.resume(at_ms(200)).status == update_status::updated);
  CHECK(r.target(0) == 0U);
  CHECK(r.target(1) == 0U);
}

TEST_CASE("one bang_bang object serves several zones, each with its own flag, up to its capacity",
          "[bang_bang][zone]") {
  bang_bang<2> gov;
  zone_rig<> a;
  zone_rig<> b;
  zone_rig<> c;
  REQUIRE(a.setup(fan_trips, governor_ref(gov), 0ms, 0ms, 1, "a").ok());
  REQUIRE(b.setup(fan_trips, governor_ref(gov), 0ms, 0ms, 2, "b").ok());
  CHECK(c.setup(fan_trips, governor_ref(gov), 0ms, 0ms, 3, "c").code == errc::capacity_exceeded);
  REQUIRE(a.at(50000, 0).status == update_status::updated);
  CHECK(gov.initialized_zone(a.tz));
  CHECK_FALSE(gov.initialized_zone(b.tz));
  a.tz.unregister_zone();
  CHECK_FALSE(gov.initialized_zone(a.tz));
  CHECK(c.setup(fan_trips, governor_ref(gov), 0ms, 0ms, 3, "c").ok());
}
