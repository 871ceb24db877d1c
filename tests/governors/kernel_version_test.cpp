// control/kernel_version.hpp and what it selects: the version parser (good and bad strings),
// `kernel_behaviour_of` at every boundary of the table, the power allocator's split per kernel
// (hand-computed grants that tell the versions apart), step_wise's tables chosen at run time,
// and zones whose governors really run the behaviour they were given — directly and through a
// registry slot.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string_view>

#include "governors_support.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/registry.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/control/kernel_version.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {

constexpr kernel_version kv(std::uint32_t ma, std::uint32_t mi, std::uint32_t pa) noexcept { return {ma, mi, pa}; }

kernel_version parsed(std::string_view s) {
  const auto r = parse_kernel_version(s);
  INFO(s);
  REQUIRE(r.has_value());
  return *r;
}

errc parse_error_of(std::string_view s) {
  const auto r = parse_kernel_version(s);
  INFO(s);
  REQUIRE_FALSE(r.has_value());
  return r.error().code;
}

}  // namespace

// ---------------------------------------------------------------- parsing

TEST_CASE("kernel versions parse from MAJOR.MINOR[.PATCH], a leading v and a uname -r suffix", "[kernel_version]") {
  CHECK(parsed("6.12.18") == kv(6, 12, 18));
  CHECK(parsed("6.12") == kv(6, 12, 117));  // "6.12" = the newest 6.12.y modelled
  CHECK(parsed("6.12") == default_kernel);
  CHECK(parsed("6.13") == kv(6, 13, 0));  // other series: their .0 release
  CHECK(parsed("7.3") == kv(7, 3, 0));
  CHECK(parsed("v6.13.6") == kv(6, 13, 6));
  CHECK(parsed("V6.14") == kv(6, 14, 0));
  CHECK(parsed("6.12.18-android16-7-g0123abcd") == kv(6, 12, 18));
  CHECK(parsed("6.12.57+deb13-arm64") == kv(6, 12, 57));
  CHECK(parsed("6.12-rc3") == kv(6, 12, 117));  // the suffix is ignored, whatever it says
  CHECK(parsed("6.1.0") == kv(6, 1, 0));         // parses; the commands decide what they model
  CHECK(parsed("2.6") == kv(2, 6, 0));
  CHECK(parsed("99.0.999999999") == kv(99, 0, 999'999'999));
  STATIC_REQUIRE(parse_kernel_version("6.12.58").value() == kernel_version{6, 12, 58});  // constexpr
}

TEST_CASE("bad kernel version strings are refused with parse_error or out_of_range", "[kernel_version][errors]") {
  for (const std::string_view s : {"", "6", "6.", ".12", "6..12", "6.12.", "6.12.18.1", "6.12x", "6.x", "x6.12", " 6.12",
                                   "6.12 ", "v", "v.1", "6,12", "-6.12", "6.-12", "6.12.+1", "6.1234567890",
                                   "1234567890.1"}) {
    CHECK(parse_error_of(s) == errc::parse_error);
  }
  CHECK(std::string_view(parse_kernel_version("6").error().what) ==
        "kernel version: expected MAJOR.MINOR[.PATCH], e.g. 6.12.18");
  for (const std::string_view s : {"1.0", "0.12", "100.1", "123456789.0"}) {
    CHECK(parse_error_of(s) == errc::out_of_range);
  }
  CHECK(std::string_view(parse_kernel_version("1.2.3").error().what) == "kernel version: major must be 2 to 99");
}

// ---------------------------------------------------------------- the table

TEST_CASE("the default behaviour is Linux 6.12.117's, and 6.12.0 is the oldest modelled kernel", "[kernel_version]") {
  STATIC_REQUIRE(kernel_behaviour_of(default_kernel) == kernel_behaviour{});
  STATIC_REQUIRE(kernel_version{} == default_kernel);
  STATIC_REQUIRE(oldest_modelled_kernel == kernel_version{6, 12, 0});
  STATIC_REQUIRE(kernel_version{6, 11, 999} < oldest_modelled_kernel);
  STATIC_REQUIRE(kernel_version{6, 12, 117} < kernel_version{6, 13, 0});  // ordered major, minor, patch
}

TEST_CASE("the weighted split: right up to 6.7, broken from 6.8, fixed in 6.12.18, 6.13.6 and 6.14", "[kernel_version]") {
  CHECK(kernel_behaviour_of(kv(6, 7, 12)).weighted_split);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 8, 0)).weighted_split);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 11, 11)).weighted_split);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 12, 0)).weighted_split);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 12, 17)).weighted_split);
  CHECK(kernel_behaviour_of(kv(6, 12, 18)).weighted_split);
  CHECK(kernel_behaviour_of(kv(6, 12, 117)).weighted_split);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 13, 0)).weighted_split);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 13, 5)).weighted_split);
  CHECK(kernel_behaviour_of(kv(6, 13, 6)).weighted_split);
  CHECK(kernel_behaviour_of(kv(6, 14, 0)).weighted_split);
  CHECK(kernel_behaviour_of(kv(7, 3, 0)).weighted_split);
}

TEST_CASE("a zero total request grants every actor its maximum from 6.13 on, not in 6.12", "[kernel_version]") {
  CHECK_FALSE(kernel_behaviour_of(kv(6, 8, 0)).zero_request_grants_max);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 12, 0)).zero_request_grants_max);
  CHECK_FALSE(kernel_behaviour_of(kv(6, 12, 117)).zero_request_grants_max);  // not backported
  CHECK(kernel_behaviour_of(kv(6, 13, 0)).zero_request_grants_max);
  CHECK(kernel_behaviour_of(kv(6, 14, 0)).zero_request_grants_max);
  CHECK(kernel_behaviour_of(kv(7, 3, 0)).zero_request_grants_max);
}

TEST_CASE("the step_wise table at each boundary: 6.9/6.10, 6.12.57/58, 6.12.112/113, 6.17/6.18, 7.2/7.3",
          "[kernel_version][step_wise]") {
  using V = step_wise_variant;
  const auto sw = [](kernel_version v) { return kernel_behaviour_of(v).step_wise; };
  CHECK(sw(kv(6, 9, 12)) == V::v6_9);
  CHECK(sw(kv(6, 10, 0)) == V::v6_10);
  CHECK(sw(kv(6, 12, 0)) == V::v6_10);
  CHECK(sw(kv(6, 12, 57)) == V::v6_10);
  CHECK(sw(kv(6, 12, 58)) == V::v6_12_58);
  CHECK(sw(kv(6, 12, 112)) == V::v6_12_58);
  CHECK(sw(kv(6, 12, 113)) == V::v6_12_117);
  CHECK(sw(kv(6, 12, 117)) == V::v6_12_117);
  CHECK(sw(kv(6, 13, 6)) == V::v6_10);  // other series follow mainline at .0
  CHECK(sw(kv(6, 17, 9)) == V::v6_10);
  CHECK(sw(kv(6, 18, 0)) == V::v6_12_58);
  CHECK(sw(kv(7, 2, 5)) == V::v6_12_58);
  CHECK(sw(kv(7, 3, 0)) == V::v6_12_117);
}

// ---------------------------------------------------------------- divvy_up_power per kernel

namespace {

/// Actor a: request 1000 mW at weight 1024 (weighted 1000); actor b: request 1000 mW at weight
/// 512 (weighted (512·1000) >> 10 = 500). The weighted total is 1500 mW.
std::array<ipa::power_actor, 2> two_actors(std::uint32_t max_a, std::uint32_t max_b) {
  std::array<ipa::power_actor, 2> a{};
  a[0].req_power = 1000;
  a[0].weighted_req_power = (1024U * 1000U) >> 10U;
  a[0].max_power = max_a;
  a[1].req_power = 1000;
  a[1].weighted_req_power = (512U * 1000U) >> 10U;
  a[1].max_power = max_b;
  return a;
}

constexpr kernel_behaviour unweighted{false, false, step_wise_variant::v6_10};  // 6.12.0 … 6.12.17

}  // namespace

TEST_CASE("6.12.17 splits by the unweighted requests over the weighted total, 6.12.18 by the weighted ones",
          "[kernel_version][power_allocator]") {
  REQUIRE(kernel_behaviour_of(kv(6, 12, 17)) == unweighted);
  SECTION("no actor capped: range 900 mW") {
    // [unweighted-split]
    // 6.12.18+: a = (1000·900 + 750) / 1500 = 600, b = (500·900 + 750) / 1500 = 300 (sum = the range)
    auto w = two_actors(5000, 5000);
    ipa::divvy_up_power(w, 1500, 900);
    CHECK(w[0].granted_power == 600U);
    CHECK(w[1].granted_power == 300U);
    // 6.12.17: a = (1000·900 + 750) / 1500 = 600, b = (1000·900 + 750) / 1500 = 600 (1200 > the range)
    auto u = two_actors(5000, 5000);
    ipa::divvy_up_power(u, 1500, 900, kernel_behaviour_of(kv(6, 12, 17)));
    CHECK(u[0].granted_power == 600U);
    CHECK(u[1].granted_power == 600U);
    CHECK(u[1].extra_actor_power == 4400U);  // 5000 − 600
    // [unweighted-split]
  }
  SECTION("b capped at 400 mW, a at 1000 mW: range 900 mW") {
    // 6.12.18+: a = 600 (room 400), b = 300 (room 100): nothing above a cap, done.
    auto w = two_actors(1000, 400);
    ipa::divvy_up_power(w, 1500, 900, kernel_behaviour_of(kv(6, 12, 18)));
    CHECK(w[0].granted_power == 600U);
    CHECK(w[1].granted_power == 300U);
    // 6.12.17: a = 600 (room 400), b = 600 → capped to 400 (extra 200, room 0);
    // second pass: a += (400·200 + 200) / 400 = 200 → 800, b += 0.
    auto u = two_actors(1000, 400);
    ipa::divvy_up_power(u, 1500, 900, unweighted);
    CHECK(u[0].granted_power == 800U);
    CHECK(u[1].granted_power == 400U);
  }
  SECTION("the default is the fixed (weighted) split, as are 6.13.6 and 6.14") {
    auto d = two_actors(5000, 5000);
    ipa::divvy_up_power(d, 1500, 900);
    for (const kernel_version v : {kv(6, 13, 6), kv(6, 14, 0), kv(6, 7, 0)}) {
      auto x = two_actors(5000, 5000);
      ipa::divvy_up_power(x, 1500, 900, kernel_behaviour_of(v));
      CHECK(x == d);
    }
    auto old13 = two_actors(5000, 5000);
    ipa::divvy_up_power(old13, 1500, 900, kernel_behaviour_of(kv(6, 13, 5)));
    CHECK(old13[1].granted_power == 600U);
  }
}

TEST_CASE("a zero total request grants 0 mW to every actor in 6.12 and each its maximum in 6.13",
          "[kernel_version][power_allocator]") {
  std::array<ipa::power_actor, 2> a{};
  a[0].max_power = 1200;
  a[1].max_power = 700;
  auto v612 = a;
  ipa::divvy_up_power(v612, 0, 1500, kernel_behaviour_of(kv(6, 12, 117)));
  // 6.12: the total counts as 1, every grant is (0·1500 + 0) / 1 = 0, the room is the maximum
  CHECK(v612[0].granted_power == 0U);
  CHECK(v612[1].granted_power == 0U);
  CHECK(v612[0].extra_actor_power == 1200U);
  CHECK(v612[1].extra_actor_power == 700U);
  auto v613 = a;
  v613[0].extra_actor_power = 7;  // left alone, as the kernel's early return does
  ipa::divvy_up_power(v613, 0, 1500, kernel_behaviour_of(kv(6, 13, 0)));
  CHECK(v613[0].granted_power == 1200U);
  CHECK(v613[1].granted_power == 700U);
  CHECK(v613[0].extra_actor_power == 7U);
  CHECK(v613[1].extra_actor_power == 0U);
  // a non-zero total is split as before in 6.13
  auto nz = two_actors(5000, 5000);
  ipa::divvy_up_power(nz, 1500, 900, kernel_behaviour_of(kv(6, 14, 0)));
  CHECK(nz[0].granted_power == 600U);
  CHECK(nz[1].granted_power == 300U);
}

// ---------------------------------------------------------------- zones running the behaviour

namespace {

/// Two linear power actors (1000 mW at state 0, −200 mW per state, states 0..4) bound to the
/// control trip (75 °C; switch-on 65 °C) with weights 1024 and 512, sustainable power 1000 mW.
struct ipa_zone {
  event_log<512> log;
  linear_actor a{};
  linear_actor b{};
  thermal_cooling_device ca;
  thermal_cooling_device cb;
  pushed_sensor sensor;
  thermal_zone<4, 6> tz;
  std::array<thermal_trip, 3> trips{thermal_trip{mc(65000), millikelvin_delta{2000}, trip_type::passive},
                                    thermal_trip{mc(75000), millikelvin_delta{2000}, trip_type::passive},
                                    thermal_trip{mc(95000), millikelvin_delta{0}, trip_type::critical}};

  void setup(governor_ref g) {
    REQUIRE(ca.setup(1, "actor-a", a, log.sink()).ok());
    REQUIRE(cb.setup(2, "actor-b", b, log.sink()).ok());
    zone_config cfg;
    cfg.type = "soc-thermal";
    cfg.polling_delay = 1000ms;
    cfg.passive_delay = 100ms;
    cfg.tzp.sustainable_power = 1000;
    REQUIRE(tz.setup(cfg, trips, zone_sensor(sensor), g, log.sink()).ok());
    REQUIRE(tz.bind(1, ca, cooling_spec{no_limit, no_limit, 1024}).has_value());
    REQUIRE(tz.bind(1, cb, cooling_spec{no_limit, no_limit, 512}).has_value());
  }
  /// One round at the control temperature: err = 0, so power_range = the sustainable power.
  void round_at_control() {
    a.request = 1000;
    b.request = 1000;
    sensor.set(mc(75000));
    REQUIRE(tz.enable(at_ms(0)).status == update_status::updated);
  }
};

}  // namespace

TEST_CASE("a power allocator given 6.12.17's behaviour splits a zone's budget by the unweighted requests",
          "[kernel_version][power_allocator][zone]") {
  // power_range = 1000 mW (err = 0). Weighted requests 1000 and 500 (total 1500).
  // 6.12.117: a = (1000·1000 + 750) / 1500 = 667 → state 2 (600 mW ≤ 667),
  //           b = ( 500·1000 + 750) / 1500 = 333 → state 4 (200 mW ≤ 333).
  // 6.12.17:  a = b = (1000·1000 + 750) / 1500 = 667 → state 2 each.
  SECTION("default (6.12.117)") {
    power_allocator<4> pa;
    CHECK(pa.behaviour() == kernel_behaviour{});
    ipa_zone z;
    z.setup(governor_ref(pa));
    z.round_at_control();
    REQUIRE(pa.last_round().allocated);
    CHECK(pa.last_round().pid.power_range == 1000U);
    CHECK(pa.actors()[0].granted_power == 667U);
    CHECK(pa.actors()[1].granted_power == 333U);
    CHECK(z.a.state == 2U);
    CHECK(z.b.state == 4U);
  }
  SECTION("6.12.17, set before binding and kept across the bind") {
    power_allocator<4> pa;
    pa.set_kernel_behaviour(kernel_behaviour_of(kv(6, 12, 17)));
    ipa_zone z;
    z.setup(governor_ref(pa));
    CHECK(pa.behaviour() == unweighted);
    z.round_at_control();
    REQUIRE(pa.last_round().allocated);
    CHECK(pa.last_round().pid.power_range == 1000U);
    CHECK(pa.actors()[0].granted_power == 667U);
    CHECK(pa.actors()[1].granted_power == 667U);
    CHECK(pa.last_round().total_granted_power == 1334U);  // more than the budget: the bug
    CHECK(z.a.state == 2U);
    CHECK(z.b.state == 2U);
  }
  SECTION("6.13 with every actor idle: both at their maximum power, state 0") {
    power_allocator<4> pa;
    pa.set_kernel_behaviour(kernel_behaviour_of(kv(6, 13, 0)));
    ipa_zone z;
    z.setup(governor_ref(pa));
    z.a.request = 0;
    z.b.request = 0;
    z.sensor.set(mc(80000));
    REQUIRE(z.tz.enable(at_ms(0)).status == update_status::updated);
    CHECK(pa.actors()[0].granted_power == 1000U);
    CHECK(pa.actors()[1].granted_power == 1000U);
    CHECK(z.a.state == 0U);
    CHECK(z.b.state == 0U);
  }
}

namespace {

/// Temperatures (m°C, 100 ms apart) through a zone with one passive trip at 70 °C (hysteresis
/// 2 °C) and one device (states 0..6) bound with limits <lower, 6>, under step_wise with
/// kernel `v`'s table, chosen at run time; returns the device's state after each update.
template <std::size_t N>
std::array<cooling_state, N> step_wise_states(kernel_version v, cooling_state lower, const std::array<std::int32_t, N>& temps) {
  runtime_step_wise gov;
  gov.set_kernel_behaviour(kernel_behaviour_of(v));
  CHECK(gov.variant() == kernel_behaviour_of(v).step_wise);
  plain_cdev dev{6};
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(0, "cdev", dev).ok());
  zone_rig<> r;
  const std::array<thermal_trip, 1> trips{thermal_trip{mc(70000), millikelvin_delta{2000}, trip_type::passive}};
  REQUIRE(r.setup(trips, governor_ref(gov)).ok());
  REQUIRE(r.tz.bind(0, cdev, cooling_spec{lower, 6, 0}).has_value());
  std::array<cooling_state, N> states{};
  for (std::size_t s = 0; s < N; ++s) {
    static_cast<void>(r.at(temps[s], static_cast<std::int64_t>(s) * 100));
    states[s] = dev.state;
  }
  return states;
}

}  // namespace

TEST_CASE("above the trip and falling, 6.12.58 and 6.18 step the device down, 6.12.57 keeps it",
          "[kernel_version][step_wise][zone]") {
  // 72, 74, 76 °C raise the device 1, 2, 3; at 75 °C (still above 70, falling) 6.12.57 keeps 3,
  // 6.12.58 steps down to 2 (kept ≥ lower + 1 = 1), and at 74 °C to 1.
  constexpr std::array<std::int32_t, 5> temps{72000, 74000, 76000, 75000, 74000};
  using S = std::array<cooling_state, 5>;
  CHECK(step_wise_states(kv(6, 12, 57), 0, temps) == S{1, 2, 3, 3, 3});
  CHECK(step_wise_states(kv(6, 12, 58), 0, temps) == S{1, 2, 3, 2, 1});
  CHECK(step_wise_states(kv(6, 17, 0), 0, temps) == S{1, 2, 3, 3, 3});
  CHECK(step_wise_states(kv(6, 18, 0), 0, temps) == S{1, 2, 3, 2, 1});
  CHECK(step_wise_states(kv(6, 12, 117), 0, temps) == S{1, 2, 3, 2, 1});
}

TEST_CASE("below the trip and falling with a non-zero lower limit, 6.12.112 keeps a stale vote, 6.12.113 releases it",
          "[kernel_version][step_wise][zone]") {
  // lower = 2: 72, 74 °C → 2, 3; at 66 °C (below 70 − 2, falling) 6.12.112 votes `lower` = 2
  // and keeps that vote while the temperature stays at 66 °C (trend stable); 6.12.113 and 7.3
  // release the vote: the device goes to 0.
  constexpr std::array<std::int32_t, 5> temps{72000, 74000, 66000, 66000, 66000};
  using S = std::array<cooling_state, 5>;
  CHECK(step_wise_states(kv(6, 12, 112), 2, temps) == S{2, 3, 2, 2, 2});
  CHECK(step_wise_states(kv(6, 12, 113), 2, temps) == S{2, 3, 0, 0, 0});
  CHECK(step_wise_states(kv(7, 2, 0), 2, temps) == S{2, 3, 2, 2, 2});
  CHECK(step_wise_states(kv(7, 3, 0), 2, temps) == S{2, 3, 0, 0, 0});
}

TEST_CASE("runtime_step_wise runs the same decisions as step_wise<V> for every table", "[kernel_version][step_wise][zone]") {
  STATIC_REQUIRE(Governor<runtime_step_wise>);
  STATIC_REQUIRE(runtime_step_wise::name() == "step_wise");
  STATIC_REQUIRE(runtime_step_wise{}.variant() == step_wise_variant::v6_12_117);
  STATIC_REQUIRE(sizeof(runtime_step_wise) == 1);
  // 6.9's table: at 69 °C (below 70, above 68 — still "reached" with hysteresis) 6.9 compares
  // with the bare trip temperature and steps down one state; later tables keep throttling.
  constexpr std::array<std::int32_t, 4> temps{72000, 74000, 69000, 67000};
  using S = std::array<cooling_state, 4>;
  CHECK(step_wise_states(kv(6, 9, 0), 0, temps) == S{1, 2, 1, 0});
  CHECK(step_wise_states(kv(6, 10, 0), 0, temps) == S{1, 2, 2, 0});
}

TEST_CASE("a registry slot passes the kernel behaviour to the governor it holds and to later ones",
          "[kernel_version][registry][zone]") {
  thermo::test::heap_guard guard;
  kernel_governors<1, 4>::slot slot;
  CHECK(slot.behaviour() == kernel_behaviour{});
  slot.set_kernel_behaviour(kernel_behaviour_of(kv(6, 12, 57)));
  const auto sw = slot.emplace("step_wise");
  REQUIRE(sw.has_value());
  const runtime_step_wise* held = slot.get<runtime_step_wise>();
  REQUIRE(held != nullptr);
  if (held != nullptr) {  // (gcc 12 -O3 -Wnull-dereference does not see through REQUIRE)
    CHECK(held->variant() == step_wise_variant::v6_10);
    slot.set_kernel_behaviour(kernel_behaviour_of(kv(6, 12, 17)));  // applies to the held one too
    CHECK(held->variant() == step_wise_variant::v6_10);
    slot.set_kernel_behaviour(kernel_behaviour_of(kv(6, 12, 58)));
    CHECK(held->variant() == step_wise_variant::v6_12_58);
  }
  CHECK(slot.emplace("bang_bang").has_value());  // governors that do not depend on it
  CHECK(slot.emplace("fair_share").has_value());
  slot.set_kernel_behaviour(kernel_behaviour_of(kv(6, 12, 17)));
  const auto g = slot.emplace("power_allocator");
  REQUIRE(g.has_value());
  const power_allocator<4>* pa = slot.get<power_allocator<4>>();
  REQUIRE(pa != nullptr);
  CHECK(guard.allocations() == 0U);
  if (pa != nullptr) {
    CHECK(pa->behaviour() == unweighted);
    // and the zone it serves splits the 6.12.17 way (see the zone case above)
    ipa_zone z;
    z.setup(*g);
    z.round_at_control();
    CHECK(pa->actors()[1].granted_power == 667U);
    CHECK(z.b.state == 2U);
  }
}
