// SCP-firmware thermal_mgmt (spec part B): the integer PI(D), the two-pass distribution with
// carry-over and activity factors, the slow/fast loops with synchronous and asynchronous
// sensors, protection, configuration errors, and the zone-governor form.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <string>

#include "governors_support.hpp"
#include "thermo/control/governors/scp_thermal_mgmt.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {

/// Arm's TC2 example: switch-on 50, control 60, cutoff 0, integral_max 100, gains 1/1/1,
/// TDP 10, cold-state power 11.
scp::pid_config tc2_pid() {
  scp::pid_config c;
  c.switch_on_temperature = 50;
  c.control_temperature = 60;
  c.integral_cutoff = 0;
  c.integral_max = 100;
  c.k_p_undershoot = 1;
  c.k_p_overshoot = 1;
  c.k_integral = 1;
  return c;
}

/// Power model only: level n costs n power units, and back.
struct model_only {
  [[nodiscard]] std::uint32_t level_to_power(std::size_t, std::uint32_t level) noexcept { return level; }
  [[nodiscard]] std::uint32_t power_to_level(std::size_t, std::uint32_t power) noexcept { return power; }
};

/// Power model plus a sensor, activity factors and protection callbacks.
struct full_platform {
  result<std::uint32_t> reading{std::uint32_t{40}};
  std::array<result<std::uint16_t>, 4> activity{std::uint16_t{1024}, std::uint16_t{1024}, std::uint16_t{1024},
                                                std::uint16_t{1024}};
  std::uint32_t reads{0};
  std::uint32_t warnings{0};
  std::uint32_t criticals{0};
  [[nodiscard]] std::uint32_t level_to_power(std::size_t, std::uint32_t level) noexcept { return level; }
  [[nodiscard]] std::uint32_t power_to_level(std::size_t, std::uint32_t power) noexcept { return power; }
  [[nodiscard]] result<std::uint32_t> read_temperature() noexcept {
    ++reads;
    return reading;
  }
  [[nodiscard]] result<std::uint16_t> get_activity_factor(std::size_t k) noexcept { return activity[k]; }
  void warning() noexcept { ++warnings; }
  void critical() noexcept { ++criticals; }
};
static_assert(scp::ScpPlatform<model_only>);
static_assert(scp::ScpPlatform<full_platform>);

scp::domain_config config(std::span<const scp::actor_config> actors, std::uint16_t tdp) {
  scp::domain_config c;
  c.tdp = tdp;
  c.cold_state_power = 11;
  c.pid = tc2_pid();
  c.actors = actors;
  return c;
}

}  // namespace

TEST_CASE("the SCP PI(D) is plain integer arithmetic with a TDP feed-forward and a cold-state budget", "[scp]") {
  const scp::pid_config c = tc2_pid();
  std::int32_t integral = 0;
  std::int32_t prev = 0;
  CHECK(scp::pid_step(c, 10, 11, 40, integral, prev) == 11U);  // below switch-on
  CHECK(scp::pid_step(c, 10, 11, 55, integral, prev) == 15U);  // err 5: 1 x 5 + TDP
  CHECK(integral == 0);                                       // err >= cutoff 0: no integration
  CHECK(prev == 5);
  CHECK(scp::pid_step(c, 10, 11, 65, integral, prev) == 0U);  // -5 - 5 + 10 = 0, not > 0
  CHECK(integral == -5);
  CHECK(scp::pid_step(c, 10, 11, 62, integral, prev) == 1U);  // -2 - 7 + 10
  CHECK(integral == -7);
  for (int k = 0; k < 100; ++k) {
    static_cast<void>(scp::pid_step(c, 10, 11, 100, integral, prev));
  }
  CHECK(integral == -7 - 100 * 40);  // no lower bound on the integral
  CHECK(scp::pid_step(c, 10, 11, 49, integral, prev) == 11U);
  CHECK(integral == 0);
  CHECK(prev == 0);

  SECTION("the integral stops at integral_max and never overflows") {
    scp::pid_config d = c;
    d.integral_cutoff = 10;
    d.integral_max = 8;
    std::int32_t i = 0;
    std::int32_t p = 0;
    static_cast<void>(scp::pid_step(d, 10, 11, 55, i, p));
    CHECK(i == 5);
    static_cast<void>(scp::pid_step(d, 10, 11, 55, i, p));
    CHECK(i == 5);  // 10 would not be < 8
    i = std::numeric_limits<std::int32_t>::min() + 1;
    static_cast<void>(scp::pid_step(d, 10, 11, 65, i, p));
    CHECK(i == std::numeric_limits<std::int32_t>::min() + 1);
  }
  SECTION("the derivative acts on the raw difference per slow loop") {
    scp::pid_config d = c;
    d.k_derivative = 2;
    d.k_integral = 0;
    std::int32_t i = 0;
    std::int32_t p = 0;
    CHECK(scp::pid_step(d, 10, 11, 58, i, p) == 2U + 4U + 10U);   // err 2, deriv 2
    CHECK(scp::pid_step(d, 10, 11, 59, i, p) == 1U - 2U + 10U);   // err 1, deriv -1
  }
  SECTION("a negative reading passes the u32 switch-on test and then counts as its signed value") {
    std::int32_t i = 0;
    std::int32_t p = 0;
    CHECK(scp::pid_step(c, 10, 11, static_cast<std::uint32_t>(-5), i, p) == 10U + 65U);
  }
}

TEST_CASE("SCP distribution: weighted first pass capped at demand, spare re-divided by deficit", "[scp]") {
  model_only m;
  SECTION("shares in proportion to weight x demand, limits lowered where demand is unmet") {
    const std::array<scp::actor_config, 2> actors{scp::actor_config{0, 100, false}, scp::actor_config{1, 100, false}};
    scp::thermal_domain<4> d;
    REQUIRE(d.configure(config(actors, 6)).ok());
    const std::array<std::uint32_t, 2> req{8, 4};
    std::array<std::uint32_t, 2> lim{10, 10};
    THERMO_REQUIRE_NO_HEAP(REQUIRE(d.perf_update(m, req, lim) == scp::status::success));
    CHECK(d.actor(0).granted_power == 4U);
    CHECK(d.actor(1).granted_power == 2U);
    CHECK(d.actor(0).power_deficit == 4U);
    CHECK(lim == std::array<std::uint32_t, 2>{4, 2});
    CHECK(d.last_total_weighted_demand() == 1200U);
  }
  SECTION("an over-served actor's spare goes to the others' deficits") {
    const std::array<scp::actor_config, 2> actors{scp::actor_config{0, 400, false}, scp::actor_config{1, 100, false}};
    scp::thermal_domain<4> d;
    REQUIRE(d.configure(config(actors, 10)).ok());
    const std::array<std::uint32_t, 2> req{6, 4};
    std::array<std::uint32_t, 2> lim{10, 10};
    REQUIRE(d.perf_update(m, req, lim) == scp::status::success);
    CHECK(d.actor(0).granted_power == 6U);
    CHECK(d.actor(0).spare_power == 2U);
    CHECK(d.actor(1).granted_power == 1U + 2U);
    CHECK(lim == std::array<std::uint32_t, 2>{10, 3});  // a satisfied actor is not limited
  }
  SECTION("what the second pass over-gives is carried over to the next tick") {
    const std::array<scp::actor_config, 2> actors{scp::actor_config{0, 1000, false}, scp::actor_config{1, 1, false}};
    scp::thermal_domain<4> d;
    REQUIRE(d.configure(config(actors, 20)).ok());
    const std::array<std::uint32_t, 2> req{1, 10};
    std::array<std::uint32_t, 2> lim{10, 10};
    REQUIRE(d.perf_update(m, req, lim) == scp::status::success);
    CHECK(d.actor(0).spare_power == 18U);
    CHECK(d.actor(1).granted_power == 10U);
    CHECK(d.carry_over_power() == 8U);
    REQUIRE(d.perf_update(m, req, lim) == scp::status::success);
    CHECK(d.last_total_spare() == 26U);
    CHECK(d.carry_over_power() == 16U);
    CHECK(lim == std::array<std::uint32_t, 2>{10, 10});
  }
  SECTION("the request is first capped by the limit other plugins already placed") {
    const std::array<scp::actor_config, 1> actors{scp::actor_config{0, 1, false}};
    scp::thermal_domain<4> d;
    REQUIRE(d.configure(config(actors, 100)).ok());
    const std::array<std::uint32_t, 1> req{50};
    std::array<std::uint32_t, 1> lim{20};
    REQUIRE(d.perf_update(m, req, lim) == scp::status::success);
    CHECK(d.actor(0).demand_power == 20U);
  }
  SECTION("no demand at all gives everybody 0 instead of dividing by zero") {
    const std::array<scp::actor_config, 2> actors{scp::actor_config{0, 1, false}, scp::actor_config{1, 1, false}};
    scp::thermal_domain<4> d;
    REQUIRE(d.configure(config(actors, 100)).ok());
    const std::array<std::uint32_t, 2> req{0, 0};
    std::array<std::uint32_t, 2> lim{10, 10};
    REQUIRE(d.perf_update(m, req, lim) == scp::status::success);
    CHECK(d.actor(0).granted_power == 0U);
    CHECK(lim == std::array<std::uint32_t, 2>{10, 10});
  }
  SECTION("an actor outside the perf arrays is a parameter error") {
    const std::array<scp::actor_config, 1> actors{scp::actor_config{5, 1, false}};
    scp::thermal_domain<4> d;
    REQUIRE(d.configure(config(actors, 100)).ok());
    const std::array<std::uint32_t, 2> req{1, 1};
    std::array<std::uint32_t, 2> lim{1, 1};
    CHECK(d.perf_update(m, req, lim) == scp::status::param);
  }
}

TEST_CASE("SCP activity factors add the idle part of the last grant, and a failed read drops the actor from the total",
          "[scp]") {
  full_platform p;
  p.reading = errc::try_again;  // no reading: the budget stays at the TDP
  const std::array<scp::actor_config, 2> actors{scp::actor_config{0, 100, true}, scp::actor_config{1, 100, false}};
  scp::thermal_domain<4> d;
  REQUIRE(d.configure(config(actors, 6)).ok());
  const std::array<std::uint32_t, 2> req{8, 4};
  std::array<std::uint32_t, 2> lim{10, 10};
  p.activity[0] = std::uint16_t{512};
  REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
  CHECK(d.actor(0).granted_power == 4U);  // nothing granted before: no idle power yet
  lim = {10, 10};
  REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
  CHECK(d.allocatable_power() == 6U + 2U);  // 4 granted, half of it idle
  CHECK(d.actor(0).granted_power == 5U);
  CHECK(d.actor(1).granted_power == 2U);
  SECTION("a failed activity read") {
    p.activity[0] = errc::hardware_fault;
    lim = {10, 10};
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    CHECK(d.last_total_weighted_demand() == 400U);  // actor 0 left out
    CHECK(d.actor(0).granted_power == 8U);           // 800 x 6 / 400 = 12, capped at demand
    CHECK(d.actor(1).granted_power == 4U);
  }
  SECTION("an activity above 1024 counts as a failed read") {
    p.activity[0] = std::uint16_t{2000};
    lim = {10, 10};
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    CHECK(d.last_total_weighted_demand() == 400U);
  }
}

TEST_CASE("SCP slow loop: the PID runs every slow_loop_mult + 1 ticks, async readings one tick later",
          "[scp]") {
  const std::array<scp::actor_config, 1> actors{scp::actor_config{0, 1, false}};
  const std::array<std::uint32_t, 1> req{100};
  std::array<std::uint32_t, 1> lim{100};
  SECTION("synchronous sensor") {
    full_platform p;
    scp::domain_config c = config(actors, 10);
    c.slow_loop_mult = 2;
    scp::thermal_domain<2> d;
    REQUIRE(d.configure(c).ok());
    CHECK(d.thermal_allocatable_power() == 10U);  // TDP until the first PID run
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    CHECK(p.reads == 0U);
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    CHECK(p.reads == 1U);
    CHECK(d.thermal_allocatable_power() == 11U);  // 40 < switch-on: cold-state power
    for (int k = 0; k < 3; ++k) {
      REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    }
    CHECK(p.reads == 2U);
  }
  SECTION("asynchronous sensor") {
    full_platform p;
    p.reading = errc::try_again;
    scp::domain_config c = config(actors, 10);
    c.slow_loop_mult = 1;
    scp::thermal_domain<2> d;
    REQUIRE(d.configure(c).ok());
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);  // read started
    CHECK(p.reads == 1U);
    d.on_temperature(40);
    CHECK(d.control_needs_update());
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    CHECK(d.thermal_allocatable_power() == 11U);
    CHECK_FALSE(d.control_needs_update());
  }
  SECTION("an async reading not consumed before the next slow tick is a panic") {
    full_platform p;
    p.reading = errc::try_again;
    scp::thermal_domain<2> d;
    REQUIRE(d.configure(config(actors, 10)).ok());  // slow_loop_mult 0: every tick is slow
    REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
    d.on_temperature(40);
    CHECK(d.perf_update(p, req, lim) == scp::status::panic);
  }
  SECTION("a sensor that cannot start a read is a device error and nothing is distributed") {
    full_platform p;
    p.reading = errc::hardware_fault;
    scp::thermal_domain<2> d;
    REQUIRE(d.configure(config(actors, 10)).ok());
    lim = {100};
    CHECK(d.perf_update(p, req, lim) == scp::status::device);
    CHECK(d.actor(0).demand_power == 0U);
  }
}

TEST_CASE("SCP protection calls warning or critical on every slow loop above the thresholds", "[scp]") {
  full_platform p;
  scp::domain_config c;
  c.protection = scp::protection_config{true, 70, 80};
  c.pid = tc2_pid();
  scp::thermal_domain<2> d;
  REQUIRE(d.configure(c).ok());  // protection only, no actors
  const std::array<std::uint32_t, 1> req{1};
  std::array<std::uint32_t, 1> lim{1};
  p.reading = std::uint32_t{75};
  REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
  REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
  CHECK(p.warnings == 2U);
  p.reading = std::uint32_t{85};
  REQUIRE(d.perf_update(p, req, lim) == scp::status::success);
  CHECK(p.criticals == 1U);
  CHECK(p.warnings == 2U);
  CHECK(d.criticals() == 1U);
  CHECK(d.thermal_allocatable_power() == 0U);  // no actors: the PID never runs
}

TEST_CASE("SCP configurations that make no sense are rejected with the field named", "[scp][errors]") {
  const std::array<scp::actor_config, 3> three{};
  scp::thermal_domain<2> d;
  CHECK(d.configure(config(three, 10)).code == errc::capacity_exceeded);
  scp::domain_config c;
  c.pid = tc2_pid();
  CHECK(d.configure(c).code == errc::empty);
  const std::array<scp::actor_config, 1> one{};
  c = config(one, 10);
  c.pid.k_integral = -1;
  CHECK(std::string(d.configure(c).what) == "k_integral");
  c = config(one, 10);
  c.pid.k_p_overshoot = -1;
  CHECK(d.configure(c).code == errc::negative);
  c = config(one, 10);
  c.pid.k_derivative = -1;
  CHECK(d.configure(c).code == errc::negative);
  c = config(one, 10);
  c.pid.switch_on_temperature = 70;
  CHECK(d.configure(c).code == errc::invalid_argument);
  c = config(one, 10);
  c.protection = scp::protection_config{true, 90, 80};
  CHECK(d.configure(c).code == errc::invalid_argument);
  CHECK_FALSE(d.configured());
}

TEST_CASE("scp_thermal_mgmt as a zone governor limits power actors from the zone temperature",
          "[scp][zone]") {
  scp::domain_config c;
  c.tdp = 1000;
  c.cold_state_power = 3000;
  c.pid.switch_on_temperature = 65000;
  c.pid.control_temperature = 75000;
  scp_thermal_mgmt<4> gov(c);
  linear_actor a;
  linear_actor b;
  thermal_cooling_device ca;
  thermal_cooling_device cb;
  REQUIRE(ca.setup(0, "a", a).ok());
  REQUIRE(cb.setup(1, "b", b).ok());
  zone_rig<> r;
  const std::array<thermal_trip, 2> trips{thermal_trip{mc(65000), millikelvin_delta{2000}, trip_type::passive},
                                          thermal_trip{mc(75000), millikelvin_delta{2000}, trip_type::passive}};
  REQUIRE(r.setup(trips, governor_ref(gov), 1000ms, 100ms).ok());
  REQUIRE(r.tz.bind(1, ca, cooling_spec{no_limit, no_limit, 1}).has_value());
  REQUIRE(r.tz.bind(1, cb, cooling_spec{no_limit, no_limit, 1}).has_value());
  CHECK(gov.domain().num_actors() == 2U);
  // Gains 0: the budget is the TDP, 500 mW each of 1000 requested -> state 3 (400 mW).
  THERMO_REQUIRE_NO_HEAP(static_cast<void>(r.at(70000, 0)));
  CHECK(gov.domain().thermal_allocatable_power() == 1000U);
  CHECK(gov.domain().actor(0).granted_power == 500U);
  CHECK(r.target(0) == 3U);
  CHECK(a.state == 3U);
  CHECK(b.state == 3U);
  // Below switch-on the cold-state budget (3000) covers both demands: no limit, state 0.
  REQUIRE(r.at(60000, 100).status == update_status::updated);
  CHECK(gov.domain().thermal_allocatable_power() == 3000U);
  CHECK(r.target(0) == 0U);
  CHECK(a.state == 0U);
  SECTION("a weight that does not fit the firmware's u16 is refused") {
    REQUIRE(r.tz.set_instance_weight(r.tz.instances()[0].id, 70000) == errc::ok);
    CHECK(gov.last_error() == errc::invalid_argument);
  }
  SECTION("a second zone is refused") {
    zone_rig<> other;
    CHECK(other.setup(trips, governor_ref(gov)).code == errc::already_exists);
  }
  SECTION("bad controller settings are refused at bind") {
    scp::domain_config bad = c;
    bad.pid.k_integral = -3;
    scp_thermal_mgmt<4> g2(bad);
    zone_rig<> other;
    CHECK(other.setup(trips, governor_ref(g2)).code == errc::negative);
  }
}
