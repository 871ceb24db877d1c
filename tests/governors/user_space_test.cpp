// user_space: one uevent per crossing with NAME, TEMP, TRIP and EVENT, and no control at all.
#include <array>
#include <catch2/catch.hpp>

#include "governors_support.hpp"
#include "thermo/control/governors/user_space.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {
struct uevent_log {
  std::array<thermal_uevent, 16> items{};
  std::size_t n{0};
  static void push(void* ctx, const thermal_uevent& e) noexcept {
    auto* self = static_cast<uevent_log*>(ctx);
    if (self->n < self->items.size()) {
      self->items[self->n++] = e;
    }
  }
  [[nodiscard]] uevent_sink sink() noexcept { return uevent_sink(&push, this); }
};
}  // namespace

TEST_CASE("user_space sends a uevent for every passive or active crossing and controls nothing",
          "[user_space][zone]") {
  uevent_log log;
  user_space gov(log.sink());
  plain_cdev dev{3};
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(0, "cdev", dev).ok());
  zone_rig<> r;
  const std::array<thermal_trip, 3> trips{thermal_trip{mc(60000), millikelvin_delta{2000}, trip_type::passive},
                                          thermal_trip{mc(80000), millikelvin_delta{0}, trip_type::hot},
                                          thermal_trip{mc(95000), millikelvin_delta{0}, trip_type::critical}};
  REQUIRE(r.setup(trips, governor_ref(gov), 0ms, 0ms, 7, "gpu-thermal").ok());
  CHECK(gov.binds() == 1U);
  REQUIRE(r.tz.bind(0, cdev).has_value());
  THERMO_REQUIRE_NO_HEAP(static_cast<void>(r.at(50000, 0)));
  CHECK(log.n == 0U);
  THERMO_REQUIRE_NO_HEAP(static_cast<void>(r.at(85000, 100)));  // passive up + hot up: one uevent
  REQUIRE(log.n == 1U);
  CHECK(log.items[0].name.view() == "gpu-thermal");
  CHECK(log.items[0].tz_id == 7);
  CHECK(log.items[0].temperature == mc(85000));
  CHECK(log.items[0].trip == 0);
  CHECK(log.items[0].event == notify_event::unspecified);
  CHECK(log.items[0].up);
  CHECK(dev.state == 0U);
  CHECK(r.target(0) == no_target);
  // A trip change runs the update with EVENT = TRIP_CHANGED (3).
  REQUIRE(r.tz.set_trip_temperature(at_ms(200), 0, mc(90000)).has_value());
  REQUIRE(log.n == 2U);
  CHECK(log.items[1].trip == 0);
  CHECK_FALSE(log.items[1].up);
  CHECK(log.items[1].event == notify_event::trip_changed);
  CHECK(static_cast<int>(log.items[1].event) == 3);
  CHECK(gov.sent() == 2U);
}

TEST_CASE("user_space without a sink still counts its uevents", "[user_space][zone]") {
  user_space gov;
  zone_rig<> r;
  const std::array<thermal_trip, 1> trips{thermal_trip{mc(60000), millikelvin_delta{0}, trip_type::active}};
  REQUIRE(r.setup(trips, governor_ref(gov)).ok());
  REQUIRE(r.at(70000, 0).status == update_status::updated);
  CHECK(gov.sent() == 1U);
}
