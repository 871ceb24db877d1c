// step_wise: the decision table of every selectable kernel variant, and traces derived from the
// spec (§2.1 and part E) run through a zone.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>

#include "governors_support.hpp"
#include "thermo/control/governors/step_wise.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {
constexpr auto raising = thermal_trend::raising;
constexpr auto dropping = thermal_trend::dropping;
constexpr auto stable = thermal_trend::stable;
constexpr step_wise_variant all_variants[] = {step_wise_variant::v6_12_117, step_wise_variant::v6_12_58,
                                              step_wise_variant::v6_10, step_wise_variant::v6_9};

// lower 1, upper 4
constexpr cooling_state tgt(step_wise_variant v, bool init, cooling_state target, cooling_state cur, bool thr,
                            thermal_trend t) {
  return step_wise_target(v, init, target, 1, 4, cur, thr, t);
}
}  // namespace

TEST_CASE("step_wise rows shared by every variant", "[step_wise]") {
  for (const step_wise_variant v : all_variants) {
    INFO("variant " << static_cast<int>(v));
    CHECK(tgt(v, false, no_target, 0, true, stable) == 1);  // clamp(cur+1, lower, upper)
    CHECK(tgt(v, false, no_target, 3, true, dropping) == 4);
    CHECK(tgt(v, false, no_target, 4, true, raising) == 4);
    CHECK(tgt(v, false, 3, 3, false, raising) == no_target);
    CHECK(tgt(v, true, 2, 2, true, raising) == 3);
    CHECK(tgt(v, true, 4, 4, true, raising) == 4);
    CHECK(tgt(v, true, 3, 3, true, stable) == 3);
    CHECK(tgt(v, true, 3, 3, false, stable) == 3);
    CHECK(tgt(v, true, 3, 3, false, raising) == 3);  // not throttling but rising: keep
    CHECK(tgt(v, true, 1, 1, false, dropping) == no_target);  // cur <= lower: release
  }
}

TEST_CASE("step_wise 6.12.117 steps down while throttling and releases the vote when the trip is left",
          "[step_wise]") {
  constexpr auto v = step_wise_variant::v6_12_117;
  CHECK(tgt(v, true, 3, 3, true, dropping) == 2);
  CHECK(tgt(v, true, 2, 2, true, dropping) == 2);  // never below lower + 1 while throttling
  CHECK(tgt(v, true, 3, 3, false, dropping) == no_target);
  // lower == upper: the floor lower + 1 is capped at upper.
  CHECK(step_wise_target(v, true, 2, 2, 2, 2, true, dropping) == 2);
  // The kernel's unsigned corner: cur = 0 while throttling and dropping wraps to upper.
  CHECK(step_wise_target(v, true, 1, 0, 3, 0, true, dropping) == 3);
}

TEST_CASE("earlier step_wise variants keep their own dropping rules", "[step_wise]") {
  // 6.12.58: steps down while throttling, but goes to `lower` first when the trip is left.
  CHECK(tgt(step_wise_variant::v6_12_58, true, 3, 3, true, dropping) == 2);
  CHECK(tgt(step_wise_variant::v6_12_58, true, 3, 3, false, dropping) == 1);
  // 6.10: keeps the target while throttling, straight to lower afterwards.
  CHECK(tgt(step_wise_variant::v6_10, true, 3, 3, true, dropping) == 3);
  CHECK(tgt(step_wise_variant::v6_10, true, 3, 3, false, dropping) == 1);
  // 6.9: keeps while throttling, one step at a time afterwards.
  CHECK(tgt(step_wise_variant::v6_9, true, 3, 3, true, dropping) == 3);
  CHECK(tgt(step_wise_variant::v6_9, true, 3, 3, false, dropping) == 2);
  CHECK(tgt(step_wise_variant::v6_9, true, 2, 2, false, dropping) == 1);
}

TEST_CASE("step_wise throttles on the hysteresis threshold, 6.9 on the bare trip temperature", "[step_wise]") {
  thermal_trip_desc td;
  td.trip = thermal_trip{mc(75000), millikelvin_delta{2000}, trip_type::passive};
  td.threshold = mc(73000);  // reached
  CHECK(step_wise_throttle(step_wise_variant::v6_12_117, td, mc(74000)));
  CHECK(step_wise_throttle(step_wise_variant::v6_10, td, mc(73000)));
  CHECK_FALSE(step_wise_throttle(step_wise_variant::v6_12_117, td, mc(72999)));
  CHECK_FALSE(step_wise_throttle(step_wise_variant::v6_9, td, mc(74000)));
  CHECK(step_wise_throttle(step_wise_variant::v6_9, td, mc(75000)));
}

namespace {

/// One passive trip at 70 °C (hysteresis 2 °C), one device (max 6) bound with limits <2 5>.
template <step_wise_variant V>
std::array<cooling_state, 8> trace(std::array<cooling_state, 8>& targets) {
  step_wise<V> gov;
  plain_cdev dev{6};
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(0, "cdev", dev).ok());
  zone_rig<> r;
  const std::array<thermal_trip, 1> trips{thermal_trip{mc(70000), millikelvin_delta{2000}, trip_type::passive}};
  REQUIRE(r.setup(trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(0, cdev, cooling_spec{2, 5, 0}).has_value());
  constexpr std::array<std::int32_t, 8> temps{60000, 72000, 74000, 74000, 73000, 69000, 67000, 66000};
  std::array<cooling_state, 8> states{};
  for (std::size_t s = 0; s < temps.size(); ++s) {
    THERMO_REQUIRE_NO_HEAP(static_cast<void>(r.at(temps[s], static_cast<std::int64_t>(s) * 100)));
    targets[s] = r.target(0);
    states[s] = dev.state;
  }
  return states;
}

}  // namespace

TEST_CASE("a step_wise trace through a zone: up one state per raising sample, down per variant", "[step_wise][zone]") {
  constexpr cooling_state nt = no_target;
  std::array<cooling_state, 8> t{};
  // T: 60 72 74 74 73 69 67 66 °C (trip 70, release below 68)
  CHECK(trace<step_wise_variant::v6_12_117>(t) == std::array<cooling_state, 8>{0, 2, 3, 3, 3, 3, 0, 0});
  CHECK(t == std::array<cooling_state, 8>{nt, 2, 3, 3, 3, 3, nt, nt});
  CHECK(trace<step_wise_variant::v6_12_58>(t) == std::array<cooling_state, 8>{0, 2, 3, 3, 3, 3, 2, 0});
  CHECK(t == std::array<cooling_state, 8>{nt, 2, 3, 3, 3, 3, 2, nt});
  CHECK(trace<step_wise_variant::v6_10>(t) == std::array<cooling_state, 8>{0, 2, 3, 3, 3, 3, 2, 0});
  CHECK(trace<step_wise_variant::v6_9>(t) == std::array<cooling_state, 8>{0, 2, 3, 3, 3, 2, 0, 0});
  CHECK(t == std::array<cooling_state, 8>{nt, 2, 3, 3, 3, 2, nt, nt});
}

TEST_CASE("two instances of one device step from the device's state, and only changed devices are updated",
          "[step_wise][zone]") {
  step_wise<> gov;
  plain_cdev dev{6};
  plain_cdev idle_dev{6};
  thermal_cooling_device cdev;
  thermal_cooling_device cidle;
  zone_rig<> r;
  REQUIRE(cdev.setup(0, "cdev", dev, r.log.sink()).ok());
  REQUIRE(cidle.setup(1, "idle", idle_dev, r.log.sink()).ok());
  const std::array<thermal_trip, 3> trips{thermal_trip{mc(60000), millikelvin_delta{0}, trip_type::passive},
                                          thermal_trip{mc(70000), millikelvin_delta{0}, trip_type::passive},
                                          thermal_trip{mc(90000), millikelvin_delta{0}, trip_type::passive}};
  REQUIRE(r.setup(trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(0, cdev).has_value());
  REQUIRE(r.tz.bind(1, cdev).has_value());
  REQUIRE(r.tz.bind(2, cidle).has_value());
  REQUIRE(r.at(72000, 0).status == update_status::updated);  // both instances: clamp(0 + 1) = 1
  CHECK(r.target(0) == 1U);
  CHECK(r.target(1) == 1U);
  CHECK(dev.state == 1U);
  REQUIRE(r.at(74000, 100).status == update_status::updated);
  CHECK(dev.state == 2U);
  r.log.ring.clear();
  REQUIRE(r.at(74000, 200).status == update_status::updated);  // stable: nothing changes
  CHECK(r.log.count(event_type::cdev_state_update) == 0U);
  REQUIRE(r.at(75000, 300).status == update_status::updated);  // only the throttled device
  CHECK(r.log.count(event_type::cdev_state_update) == 1U);
  CHECK(dev.state == 3U);
  CHECK(idle_dev.sets == 1U);  // its first NO_TARGET vote at enable only
}

TEST_CASE("step_wise ignores hot, critical and disabled trips", "[step_wise][zone]") {
  step_wise<> gov;
  plain_cdev dev{6};
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(0, "cdev", dev).ok());
  zone_rig<> r;
  const std::array<thermal_trip, 3> trips{thermal_trip{mc(60000), millikelvin_delta{0}, trip_type::hot},
                                          thermal_trip{mc(70000), millikelvin_delta{0}, trip_type::critical},
                                          thermal_trip{temp_invalid, millikelvin_delta{0}, trip_type::passive}};
  REQUIRE(r.setup(trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(0, cdev).has_value());
  REQUIRE(r.tz.bind(1, cdev).has_value());
  REQUIRE(r.tz.bind(2, cdev).has_value());
  REQUIRE(r.at(80000, 0).status == update_status::updated);
  for (const thermal_instance& i : r.tz.instances()) {
    CHECK(i.target == no_target);
    CHECK_FALSE(i.initialized);
  }
  CHECK(dev.state == 0U);
}
