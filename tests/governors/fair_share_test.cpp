// fair_share: the trip level with the 6.12 "- 1", the weighted share, and its kernel corners.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "governors_support.hpp"
#include "thermo/control/governors/fair_share.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

TEST_CASE("fair_share's trip level counts reached thresholds minus one", "[fair_share]") {
  std::array<thermal_trip_desc, 3> t{};
  t[0].threshold = mc(66000);  // reached (68 °C trip, hysteresis 2 °C)
  t[1].threshold = mc(80000);
  t[2].threshold = mc(115000);
  CHECK(fair_share_level(t, mc(60000)) == 0);
  CHECK(fair_share_level(t, mc(70000)) == 0);  // one trip reached: level 0
  CHECK(fair_share_level(t, mc(80000)) == 1);
  CHECK(fair_share_level(t, mc(120000)) == 2);
  t[1].threshold = mc(std::numeric_limits<std::int32_t>::max());  // disabled
  CHECK(fair_share_level(t, mc(120000)) == 1);
}

TEST_CASE("fair_share divides level x max_state by trips x weights, or by the instance count", "[fair_share]") {
  // MT8183 at 116 °C: level 2, 15 states, weights 3072/1024, 3 trips.
  CHECK(fair_share_target(2, 15, 3072, 4096, 3, 2) == 7);
  CHECK(fair_share_target(2, 15, 1024, 4096, 3, 2) == 2);
  CHECK(fair_share_target(1, 15, 3072, 4096, 3, 2) == 3);
  // No weights: split by the number of instances.
  CHECK(fair_share_target(2, 15, 0, 0, 3, 2) == 5);
  CHECK(fair_share_target(0, 15, 0, 0, 3, 2) == 0);
  // A divisor that wraps to 0 in u32 gives 0 (arm64) instead of a division by zero.
  CHECK(fair_share_target(1, 10, 1, 0x8000'0000U, 2, 1) == 0);
}

TEST_CASE("fair_share ignores the instance limits and updates every device each round", "[fair_share][zone]") {
  fair_share gov;
  plain_cdev dev{6};
  thermal_cooling_device cdev;
  zone_rig<> r;
  REQUIRE(cdev.setup(0, "cdev", dev, r.log.sink()).ok());
  const std::array<thermal_trip, 3> trips{thermal_trip{mc(50000), millikelvin_delta{0}, trip_type::passive},
                                          thermal_trip{mc(60000), millikelvin_delta{0}, trip_type::passive},
                                          thermal_trip{mc(90000), millikelvin_delta{0}, trip_type::critical}};
  REQUIRE(r.setup(trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(1, cdev, cooling_spec{0, 1, 0}).has_value());
  REQUIRE(r.at(40000, 0).status == update_status::updated);
  CHECK(r.target(0) == 0U);
  REQUIRE(r.at(55000, 100).status == update_status::updated);
  CHECK(r.target(0) == 0U);  // one trip reached: level 0
  REQUIRE(r.at(61000, 200).status == update_status::updated);
  CHECK(r.target(0) == 2U);  // 1 x 6 / 3, above upper = 1
  CHECK(dev.state == 2U);
  r.log.ring.clear();
  REQUIRE(r.at(61000, 300).status == update_status::updated);
  CHECK(r.log.count(event_type::cdev_state_update) == 1U);  // written again although unchanged
}
