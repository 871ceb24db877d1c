// Live policy change (the kernel's sysfs `policy`) and cooling devices shared between zones.
#include <array>
#include <catch2/catch.hpp>
#include <string_view>

#include "governors_support.hpp"
#include "thermo/control/governors/governors.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {
const std::array<thermal_trip, 3> trips{thermal_trip{mc(65000), millikelvin_delta{2000}, trip_type::passive},
                                        thermal_trip{mc(75000), millikelvin_delta{2000}, trip_type::passive},
                                        thermal_trip{mc(95000), millikelvin_delta{0}, trip_type::critical}};

std::string_view last_gov_change(const event_log<512>& log) {
  for (std::size_t i = log.ring.size(); i > 0; --i) {
    if (log.ring[i - 1].type == event_type::tz_gov_change) {
      return log.ring[i - 1].name.view();
    }
  }
  return {};
}
}  // namespace

TEST_CASE("a running zone's governor can be swapped, each swap sends TZ_GOV_CHANGE, and a failed bind keeps the old one",
          "[governors][policy]") {
  step_wise<> sw;
  bang_bang<> bb;
  fair_share fs;
  user_space us;
  power_allocator<4> pa;
  linear_actor a;
  linear_actor b;
  plain_cdev fan{1};
  thermal_cooling_device ca;
  thermal_cooling_device cb;
  thermal_cooling_device cfan;
  zone_rig<> r;
  REQUIRE(ca.setup(0, "a", a).ok());
  REQUIRE(cb.setup(1, "b", b).ok());
  REQUIRE(cfan.setup(2, "fan", fan).ok());
  REQUIRE(r.setup(trips, governor_ref(sw), 1000ms, 100ms).ok());
  REQUIRE(r.tz.bind(1, ca).has_value());
  REQUIRE(r.tz.bind(1, cb).has_value());
  REQUIRE(r.tz.bind(0, cfan).has_value());
  REQUIRE(r.at(76000, 0).status == update_status::updated);
  REQUIRE(r.at(78000, 100).status == update_status::updated);
  CHECK(a.state == 2U);  // step_wise: two raising samples
  CHECK(fan.state == 1U);

  // The fan on the switch-on trip is not a power actor, but it is not on trip_max either.
  errc e = errc::ok;
  THERMO_REQUIRE_NO_HEAP(e = r.tz.set_governor(governor_ref(pa)));
  REQUIRE(e == errc::ok);
  CHECK(r.tz.governor().name() == "power_allocator");
  CHECK(last_gov_change(r.log) == "power_allocator");
  REQUIRE(r.at(78000, 200).status == update_status::updated);
  CHECK(pa.last_round().allocated);
  // No sustainable power: estimated at this first round as Σ state2power(upper) = 2 x 200 mW,
  // and the gains re-estimated from it.
  CHECK(r.tz.params().sustainable_power == 400);
  CHECK(r.tz.params().k_po == (400 << 10) / 10000);
  const cooling_state ipa_a = a.state;

  // To bang_bang: instances are initialised already, so nothing moves until a crossing.
  REQUIRE(r.tz.set_governor(governor_ref(bb)) == errc::ok);
  CHECK(last_gov_change(r.log) == "bang_bang");
  REQUIRE(r.at(78000, 300).status == update_status::updated);
  CHECK(a.state == ipa_a);
  REQUIRE(r.at(72000, 400).status == update_status::updated);  // trip 1 released: targets 0
  CHECK(a.state == 0U);
  CHECK(fan.state == 1U);

  // user_space releases nothing; fair_share takes over from the next sample.
  REQUIRE(r.tz.set_governor(governor_ref(us)) == errc::ok);
  REQUIRE(r.tz.set_governor(governor_ref(fs)) == errc::ok);
  CHECK(last_gov_change(r.log) == "fair_share");
  REQUIRE(r.at(80000, 500).status == update_status::updated);
  CHECK(a.state == 0U);  // level 1: 1 x 4 states / (3 trips x 2 instances) = 0
  REQUIRE(r.at(96000, 600).status == update_status::updated);
  CHECK(a.state == 1U);  // level 2 (the critical trip counts): 2 x 4 / 6 = 1

  // A plain device on the control trip: the allocator refuses, fair_share stays, the event is sent.
  REQUIRE(r.tz.unbind(1, cb) == errc::ok);
  REQUIRE(r.tz.bind(1, cfan).has_value());
  CHECK(r.tz.set_governor(governor_ref(pa)) == errc::invalid_argument);
  CHECK(r.tz.governor().name() == "fair_share");
  CHECK(last_gov_change(r.log) == "power_allocator");
  CHECK(r.log.count(event_type::tz_gov_change) == 5U);
  CHECK(r.tz.pending_critical_action() == critical_action::shutdown);  // from the 96 °C sample
}

TEST_CASE("two zones sharing a cooling device: the device follows the higher vote of both governors",
          "[governors][shared]") {
  step_wise<> sw;
  fair_share fs;
  plain_cdev dev{6};
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(0, "shared", dev).ok());
  zone_rig<> cpu;
  zone_rig<> gpu;
  const std::array<thermal_trip, 3> gpu_trips{thermal_trip{mc(60000), millikelvin_delta{0}, trip_type::passive},
                                              thermal_trip{mc(70000), millikelvin_delta{0}, trip_type::passive},
                                              thermal_trip{mc(100000), millikelvin_delta{0}, trip_type::critical}};
  REQUIRE(cpu.setup(trips, governor_ref(sw), 0ms, 0ms, 0, "cpu").ok());
  REQUIRE(gpu.setup(gpu_trips, governor_ref(fs), 0ms, 0ms, 1, "gpu").ok());
  REQUIRE(cpu.tz.bind(1, cdev).has_value());
  REQUIRE(gpu.tz.bind(1, cdev).has_value());
  CHECK(cdev.instance_count() == 2U);

  REQUIRE(cpu.at(60000, 0).status == update_status::updated);
  REQUIRE(gpu.at(75000, 0).status == update_status::updated);  // level 1: 6 / 3 = 2
  CHECK(gpu.target(0) == 2U);
  CHECK(dev.state == 2U);
  REQUIRE(cpu.at(76000, 100).status == update_status::updated);  // step_wise: cur 2 + 1
  CHECK(cpu.target(0) == 3U);
  CHECK(dev.state == 3U);
  REQUIRE(cpu.at(80000, 200).status == update_status::updated);
  CHECK(dev.state == 4U);
  REQUIRE(gpu.at(75000, 200).status == update_status::updated);  // fair_share rewrites 2: max still 4
  CHECK(dev.state == 4U);
  REQUIRE(cpu.at(70000, 300).status == update_status::updated);  // cpu releases its vote
  CHECK(cpu.target(0) == no_target);
  CHECK(dev.state == 2U);  // the gpu's vote remains
  REQUIRE(gpu.at(50000, 400).status == update_status::updated);
  CHECK(dev.state == 0U);
}

TEST_CASE("two power-allocator zones share an actor through the max rule", "[governors][shared][power_allocator]") {
  power_allocator<2> pa1;
  power_allocator<2> pa2;
  linear_actor act;
  thermal_cooling_device c;
  REQUIRE(c.setup(0, "actor", act).ok());
  zone_rig<> z1;
  zone_rig<> z2;
  REQUIRE(z1.setup(trips, governor_ref(pa1), 1000ms, 100ms, 0, "z1").ok());
  REQUIRE(z2.setup(trips, governor_ref(pa2), 1000ms, 100ms, 1, "z2").ok());
  REQUIRE(z1.tz.bind(1, c).has_value());
  REQUIRE(z2.tz.bind(1, c).has_value());
  REQUIRE(set_sustainable_power(z1.tz, milliwatts(400)).ok());
  REQUIRE(set_sustainable_power(z2.tz, milliwatts(900)).ok());
  // At the control temperature err = 0: the budget is the sustainable power itself.
  REQUIRE(z1.at(75000, 0).status == update_status::updated);
  REQUIRE(z2.at(75000, 0).status == update_status::updated);
  CHECK(pa1.last_round().pid.power_range == 400U);
  CHECK(pa2.last_round().pid.power_range == 900U);
  CHECK(z1.target(0) == 3U);  // 400 mW -> 1000 - 3 x 200
  CHECK(z2.target(0) == 1U);  // 900 mW -> state 1
  CHECK(act.state == 3U);
}
