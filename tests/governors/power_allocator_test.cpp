// The power allocator: the pure Q10 pieces, every kernel-verified IPA vector of soc-data.json
// value for value (through the zone-free core and through a real zone), run-time tuning with the
// kernel's re-estimation rules, and the corner cases of the kernel code.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "governors_support.hpp"
#include "thermo/control/governors/power_allocator.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

// ---------------------------------------------------------------- pure pieces

TEST_CASE("default PID constants follow the kernel's integer estimate from sustainable power", "[power_allocator]") {
  thermal_zone_params tzp;
  SECTION("HiKey960: 4500 mW over 65 -> 75 degC") {
    ipa::estimate_pid_constants(tzp, 4500, mc(65000), mc(75000));
    CHECK(tzp.k_po == 460);
    CHECK(tzp.k_pu == 921);
    CHECK(tzp.k_i == 92);
  }
  SECTION("no switch-on trip: the span is the control temperature itself") {
    ipa::estimate_pid_constants(tzp, 4500, std::nullopt, mc(85000));
    CHECK(tzp.k_po == 54);   // 4608000 / 85000
    CHECK(tzp.k_pu == 108);  // 9216000 / 85000
    CHECK(tzp.k_i == 10);
  }
  SECTION("k_i never drops below 1") {
    ipa::estimate_pid_constants(tzp, 0, mc(65000), mc(75000));
    CHECK(tzp.k_po == 0);
    CHECK(tzp.k_pu == 0);
    CHECK(tzp.k_i == 1);
  }
  SECTION("equal trips leave the constants alone, k_d and the cutoff are never touched") {
    tzp.k_po = 7;
    tzp.k_pu = 8;
    tzp.k_i = 9;
    tzp.k_d = 11;
    tzp.integral_cutoff = 12;
    ipa::estimate_pid_constants(tzp, 4500, mc(75000), mc(75000));
    CHECK(tzp.k_po == 7);
    CHECK(tzp.k_pu == 8);
    CHECK(tzp.k_i == 9);
    ipa::estimate_pid_constants(tzp, 4500, mc(65000), mc(75000));
    CHECK(tzp.k_d == 11);
    CHECK(tzp.integral_cutoff == 12);
  }
  SECTION("a switch-on above the control temperature wraps to a huge u32 span: gains 0, k_i 1") {
    ipa::estimate_pid_constants(tzp, 4500, mc(80000), mc(75000));
    CHECK(tzp.k_po == 0);
    CHECK(tzp.k_pu == 0);
    CHECK(tzp.k_i == 1);
  }
}

TEST_CASE("the sustainable power is estimated once, written back, and re-estimates gains when it changes",
          "[power_allocator]") {
  thermal_zone_params tzp;
  ipa::pid_state s;
  CHECK(ipa::get_sustainable_power(tzp, s, 3000, mc(65000), mc(75000)) == 3000);
  CHECK(tzp.sustainable_power == 3000);
  CHECK(s.sustainable_power == 3000);
  CHECK(tzp.k_po == 307);  // 3072000 / 10000
  // User gains survive while the sustainable power is unchanged ...
  tzp.k_po = 1;
  CHECK(ipa::get_sustainable_power(tzp, s, 9999, mc(65000), mc(75000)) == 3000);
  CHECK(tzp.k_po == 1);
  // ... and are overwritten when it changes (sysfs write).
  tzp.sustainable_power = 4500;
  CHECK(ipa::get_sustainable_power(tzp, s, 9999, mc(65000), mc(75000)) == 4500);
  CHECK(tzp.k_po == 460);
  CHECK(s.sustainable_power == 4500);
}

TEST_CASE("the PID accumulates only above the control temperature and within the power limit", "[power_allocator]") {
  thermal_zone_params tzp;
  tzp.k_po = 460;
  tzp.k_pu = 921;
  tzp.k_i = 92;
  ipa::pid_state s;
  // Below the control temperature: no integration with the default cutoff of 0.
  ipa::pid_terms r = ipa::pid_controller(tzp, s, mc(75000), mc(70000), 7264, 4500, 100);
  CHECK(r.err == 5'120'000);
  CHECK(r.p == 4'605'000);
  CHECK(r.i == 0);
  CHECK(s.err_integral == 0);
  CHECK(r.power_range == 7264);  // 4500 + 4497 clamped
  // Above: err -1000 m°C -> i = -92000 (Q10), power 4500 + floor(-552000/1024) = 3960.
  r = ipa::pid_controller(tzp, s, mc(75000), mc(76000), 7264, 4500, 100);
  CHECK(r.err == -1'024'000);
  CHECK(r.p == -460'000);
  CHECK(r.i == -92'000);
  CHECK(r.err_integral == -1'024'000);
  CHECK(r.power_range == 3960);
  SECTION("the integral stops growing once |i_next| would reach the max allocatable power") {
    ipa::pid_state t;
    t.err_integral = -100 * 1024 * 1024;  // i = -9420800 (Q10); i_next = -9512800, |.| >= 9 W
    const ipa::pid_terms q = ipa::pid_controller(tzp, t, mc(75000), mc(76000), 9000, 4500, 100);
    CHECK(t.err_integral == -100 * 1024 * 1024);
    CHECK(q.i == mul_frac(92, -100 * 1024 * 1024));
    // With a 10 W limit the same step still integrates.
    const ipa::pid_terms q2 = ipa::pid_controller(tzp, t, mc(75000), mc(76000), 10000, 4500, 100);
    CHECK(q2.i == -9'512'800);
    CHECK(t.err_integral == -100 * 1024 * 1024 - 1'024'000);
  }
  SECTION("a positive cutoff lets a small undershoot integrate too") {
    tzp.integral_cutoff = 6000;
    ipa::pid_state t;
    const ipa::pid_terms q = ipa::pid_controller(tzp, t, mc(75000), mc(70000), 7264, 4500, 100);
    CHECK(q.i == mul_frac(92, 5'120'000));
    CHECK(t.err_integral == 5'120'000);
  }
  SECTION("the output is clamped at zero") {
    ipa::pid_state t;
    const ipa::pid_terms q = ipa::pid_controller(tzp, t, mc(75000), mc(95000), 7264, 100, 100);
    CHECK(q.power_range == 0);
  }
}

TEST_CASE("the derivative divides by the passive delay after the jiffies round trip", "[power_allocator]") {
  CHECK(ipa::derivative_divisor(100ms) == 100);
  CHECK(ipa::derivative_divisor(500ms) == 500);
  CHECK(ipa::derivative_divisor(1000ms) == 1000);
  CHECK(ipa::derivative_divisor(250ms) == 252);  // 62.5 jiffies -> 63 -> 252 ms at HZ = 250
  CHECK(ipa::derivative_divisor(250ms, 100) == 250);
  CHECK(ipa::derivative_divisor(5ms, 100) == 10);
  CHECK(ipa::derivative_divisor(250ms, 1000) == 250);
  CHECK(ipa::derivative_divisor(100ms, 300) == 100);  // 30 jiffies -> ceil(30000/300)
  CHECK(ipa::derivative_divisor(0ms) == 0);

  thermal_zone_params tzp;
  tzp.k_d = 2048;  // 2.0
  ipa::pid_state s;
  s.prev_err = 0;
  // err - prev = -1024000 (Q10) -> mul_frac(2048, .) = -2048000 -> div_frac(., 100) = -20971520
  ipa::pid_terms r = ipa::pid_controller(tzp, s, mc(75000), mc(76000), 100000, 0, 100);
  CHECK(r.d == div_frac(-2'048'000, 100));
  CHECK(s.prev_err == -1'024'000);
  SECTION("a zero divisor (passive delay 0) gives d = 0 instead of the kernel's division by zero") {
    ipa::pid_state t;
    r = ipa::pid_controller(tzp, t, mc(75000), mc(76000), 100000, 0, 0);
    CHECK(r.d == 0);
    CHECK(t.prev_err == -1'024'000);
  }
}

TEST_CASE("divvy-up rounds to closest, caps at max power and re-divides the surplus by headroom",
          "[power_allocator]") {
  // HiKey960 round at 78 degC: 748/1000 weighted, range 2792 -> 1195 capped at 980, 215 to big.
  std::array<ipa::power_actor, 2> a{};
  a[0].weighted_req_power = 748;
  a[0].max_power = 980;
  a[1].weighted_req_power = 1000;
  a[1].max_power = 6284;
  ipa::divvy_up_power(a, 1748, 2792);
  CHECK(a[0].granted_power == 980);
  CHECK(a[0].extra_actor_power == 0);
  CHECK(a[1].extra_actor_power == 4687);
  CHECK(a[1].granted_power == 1812);
  SECTION("nobody requests anything: everybody gets 0 mW (6.12.117)") {
    std::array<ipa::power_actor, 2> z{};
    z[0].max_power = 500;
    z[1].max_power = 700;
    ipa::divvy_up_power(z, 0, 1000);
    CHECK(z[0].granted_power == 0);
    CHECK(z[1].granted_power == 0);
  }
  SECTION("the surplus handed back never exceeds the total headroom") {
    std::array<ipa::power_actor, 2> b{};
    b[0].weighted_req_power = 900;
    b[0].max_power = 100;
    b[1].weighted_req_power = 100;
    b[1].max_power = 150;
    ipa::divvy_up_power(b, 1000, 1000);  // 900 -> 100 (extra 800), 100 -> 100 (room 50)
    CHECK(b[0].granted_power == 100);
    CHECK(b[1].granted_power == 150);
  }
}

TEST_CASE("the governor trips are the first and last passive trips, or the last active one", "[power_allocator]") {
  std::array<thermal_trip_desc, 4> t{};
  t[0].trip = {mc(50000), millikelvin_delta{0}, trip_type::active};
  t[1].trip = {mc(65000), millikelvin_delta{0}, trip_type::passive};
  t[2].trip = {mc(75000), millikelvin_delta{0}, trip_type::passive};
  t[3].trip = {mc(95000), millikelvin_delta{0}, trip_type::critical};
  CHECK(ipa::get_governor_trips(t) == ipa::governor_trips{1, 2});
  t[2].trip.type = trip_type::hot;
  CHECK(ipa::get_governor_trips(t) == ipa::governor_trips{-1, 1});
  t[1].trip.type = trip_type::active;
  CHECK(ipa::get_governor_trips(t) == ipa::governor_trips{-1, 1});
  t[0].trip.type = trip_type::critical;
  t[1].trip.type = trip_type::critical;
  CHECK(ipa::get_governor_trips(t) == ipa::governor_trips{-1, -1});
}

TEST_CASE("power allocator parameters out of range are rejected with the field named", "[power_allocator][errors]") {
  thermal_zone_params p;
  CHECK(ipa::validate_params(p).ok());
  p.sustainable_power = -1;
  CHECK(ipa::validate_params(p).code == errc::negative);
  p.sustainable_power = ipa::sustainable_power_limit;
  CHECK(ipa::validate_params(p).code == errc::out_of_range);
  CHECK(std::string(ipa::validate_params(p).what).find("sustainable_power") != std::string::npos);
  p.sustainable_power = 4500;
  p.k_po = -1;
  CHECK(ipa::validate_params(p) == errc::negative);
  CHECK(std::string(ipa::validate_params(p).what) == "k_po");
  p.k_po = 0;
  p.k_pu = -5;
  CHECK(std::string(ipa::validate_params(p).what) == "k_pu");
  p.k_pu = 0;
  p.k_i = -5;
  CHECK(std::string(ipa::validate_params(p).what) == "k_i");
  p.k_i = 0;
  p.k_d = -5;
  CHECK(std::string(ipa::validate_params(p).what) == "k_d");
  p.k_d = 0;
  p.integral_cutoff = ipa::integral_cutoff_limit;
  CHECK(ipa::validate_params(p) == errc::out_of_range);
  p.integral_cutoff = -ipa::integral_cutoff_limit;
  CHECK(ipa::validate_params(p) == errc::out_of_range);
  p.integral_cutoff = -5000;
  CHECK(ipa::validate_params(p).ok());
}

// ---------------------------------------------------------------- the IPA vectors

namespace {

struct vector_rig {
  std::array<table_domain, 2> domains{};
  std::array<std::optional<test_cpufreq>, 2> devs{};
  std::array<thermal_cooling_device, 2> cdevs;
  std::size_t n{0};

  explicit vector_rig(const io::json_value& v) {
    const auto& actors = v.at("actors").as_array();
    REQUIRE(actors.size() == 2U);
    n = actors.size();
    for (std::size_t k = 0; k < n; ++k) {
      domains[k] = domain_from_actor(actors[k]);
      devs[k].emplace(busy_cpufreq(domains[k], static_cast<std::size_t>(i64(actors[k], "num_cpus"))));
      REQUIRE(cdevs[k].setup(static_cast<std::int32_t>(k), "cpufreq", *devs[k]).ok());
    }
  }
  /// The vectors' assumption: each cluster runs at the cap of its current state.
  void run_at_caps() {
    for (std::size_t k = 0; k < n; ++k) {
      devs[k]->set_current_frequency(devs[k]->max_frequency());
    }
  }
};

/// Compares one allocation step with the vector's numbers.
void check_step(const io::json_value& step, const power_allocator_core& pa, std::span<const thermal_instance> inst,
                const vector_rig& rig, const std::array<kilohertz, 2>& freq_before) {
  const auto& tr = pa.last_round();
  const auto& targets = step.at("targets").as_array();
  if (step.contains("below_switch_on")) {
    CHECK(tr.below_switch_on);
    CHECK_FALSE(tr.allocated);
    for (std::size_t k = 0; k < inst.size(); ++k) {
      CHECK(inst[k].target == static_cast<cooling_state>(targets[k].as_int64()));
    }
    return;
  }
  REQUIRE(tr.allocated);
  CHECK(tr.pid.err == i64(step, "err_frac"));
  CHECK(tr.pid.p == i64(step, "p_frac"));
  CHECK(tr.pid.i == i64(step, "i_frac"));
  CHECK(tr.pid.d == i64(step, "d_frac"));
  CHECK(tr.pid.err_integral == i64(step, "err_integral_frac_after"));
  CHECK(pa.pid().err_integral == i64(step, "err_integral_frac_after"));
  CHECK(tr.max_allocatable_power == u32(step, "max_allocatable_power_mw"));
  CHECK(tr.total_req_power == u32(step, "total_req_power_mw"));
  CHECK(tr.total_weighted_req_power == u32(step, "total_weighted_req_power"));
  CHECK(tr.pid.power_range == u32(step, "power_range_mw"));
  const auto& actors = step.at("actors").as_array();
  REQUIRE(pa.actors().size() == actors.size());
  for (std::size_t k = 0; k < actors.size(); ++k) {
    const io::json_value& a = actors[k];
    const ipa::power_actor& s = pa.actors()[k];
    INFO("actor " << k);
    CHECK(s.req_power == u32(a, "req_power_mw"));
    CHECK(s.weighted_req_power == u32(a, "weighted_req_power"));
    CHECK(s.max_power == u32(a, "max_power_mw"));
    CHECK(s.max_power - s.extra_actor_power == u32(a, "granted_first_pass_mw"));
    CHECK(s.extra_actor_power == u32(a, "extra_actor_power"));
    CHECK(s.granted_power == u32(a, "granted_power_mw"));
    CHECK(inst[k].target == u32(a, "target_state"));
    CHECK(rig.devs[k]->last_load() == u32(a, "total_load_pct"));
    CHECK(freq_before[k].count() == u32(a, "cur_freq_khz"));
    CHECK(targets[k].as_int64() == i64(a, "target_state"));
  }
}

}  // namespace

TEST_CASE("every IPA vector is reproduced value for value by the zone-free core", "[power_allocator][vectors]") {
  const auto& vectors = soc_data().at("ipa_vectors").as_array();
  REQUIRE(vectors.size() == 4U);
  for (const io::json_value& v : vectors) {
    INFO(v.at("soc").as_string());
    vector_rig rig(v);
    const auto& actors = v.at("actors").as_array();
    std::array<thermal_instance, 2> inst{};
    for (std::size_t k = 0; k < rig.n; ++k) {
      inst[k].id = static_cast<std::int32_t>(k);
      inst[k].trip = 1;
      inst[k].cdev = &rig.cdevs[k];
      inst[k].lower = u32(actors[k], "lower");
      inst[k].upper = u32(actors[k], "upper");
      inst[k].weight = u32(actors[k], "weight");
      rig.cdevs[k].link_instance(&inst[k]);
    }
    const millicelsius switch_on{i32(v.at("trip_switch_on"), "temperature_mC")};
    const millicelsius control{i32(v.at("trip_max"), "temperature_mC")};
    thermal_zone_params tzp;
    tzp.sustainable_power = i32(v, "sustainable_power_mw");
    power_allocator<4> pa;
    REQUIRE(pa.bind(tzp, inst, 1, switch_on, control).ok());
    const io::json_value& k = v.at("pid_constants");
    CHECK(tzp.k_po == i32(k, "k_po"));
    CHECK(tzp.k_pu == i32(k, "k_pu"));
    CHECK(tzp.k_i == i32(k, "k_i"));
    CHECK(tzp.k_d == i32(k, "k_d"));
    CHECK(tzp.integral_cutoff == i32(k, "integral_cutoff"));
    CHECK(pa.num_actors() == 2U);

    const auto& steps = v.at("steps").as_array();
    for (std::size_t s = 0; s < steps.size(); ++s) {
      INFO("step " << s);
      rig.run_at_caps();
      const std::array<kilohertz, 2> before{rig.devs[0]->current_frequency(), rig.devs[1]->current_frequency()};
      ipa::round_input in;
      in.temperature = millicelsius{i32(steps[s], "temperature_mC")};
      in.switch_on = switch_on;
      in.control_temp = control;
      in.divisor_ms = ipa::derivative_divisor(milliseconds{i64(v, "passive_delay_ms")});
      in.now = at_ms(static_cast<std::int64_t>(s) * 100);
      THERMO_REQUIRE_NO_HEAP(pa.manage_instances(tzp, inst, 1, in));
      check_step(steps[s], pa, inst, rig, before);
    }
  }
}

TEST_CASE("every IPA vector is reproduced through a zone running the power_allocator governor",
          "[power_allocator][vectors][zone]") {
  for (const io::json_value& v : soc_data().at("ipa_vectors").as_array()) {
    INFO(v.at("soc").as_string());
    vector_rig rig(v);
    const auto& actors = v.at("actors").as_array();
    const std::array<thermal_trip, 2> trips{trip_of(v.at("trip_switch_on")), trip_of(v.at("trip_max"))};
    pushed_sensor sensor;
    power_allocator<4> pa;
    thermal_zone<4, 4> tz;
    zone_config cfg;
    cfg.type = v.at("zone").as_string();
    cfg.passive_delay = milliseconds{i64(v, "passive_delay_ms")};
    cfg.polling_delay = 1000ms;
    cfg.tzp.sustainable_power = i32(v, "sustainable_power_mw");
    event_log<512> log;
    REQUIRE(tz.setup(cfg, trips, zone_sensor(sensor), governor_ref(pa), log.sink()).ok());
    for (std::size_t k = 0; k < rig.n; ++k) {
      const cooling_spec spec{u32(actors[k], "lower"), u32(actors[k], "upper"), u32(actors[k], "weight")};
      REQUIRE(tz.bind(1, rig.cdevs[k], spec).has_value());
    }
    CHECK(pa.trips() == ipa::governor_trips{0, 1});
    CHECK(pa.num_actors() == 2U);
    CHECK(tz.params().k_po == i32(v.at("pid_constants"), "k_po"));

    const auto& steps = v.at("steps").as_array();
    for (std::size_t s = 0; s < steps.size(); ++s) {
      INFO("step " << s);
      rig.run_at_caps();
      const std::array<kilohertz, 2> before{rig.devs[0]->current_frequency(), rig.devs[1]->current_frequency()};
      sensor.set(millicelsius{i32(steps[s], "temperature_mC")});
      const sim_time now = at_ms(static_cast<std::int64_t>(s) * 1000);
      update_result u;
      THERMO_REQUIRE_NO_HEAP(u = (s == 0 ? tz.enable(now) : tz.update(now)));
      REQUIRE(u.status == update_status::updated);
      check_step(steps[s], pa, tz.instances(), rig, before);
      if (!steps[s].contains("below_switch_on")) {
        // The max rule: the IPA instances are the only votes, so the devices sit at the targets.
        for (std::size_t k = 0; k < rig.n; ++k) {
          CHECK(rig.devs[k]->get_cur_state() == tz.instances()[k].target);
        }
      }
    }
    // The last step is below switch-on after allocations: the devices are released to state 0.
    CHECK(rig.devs[0]->get_cur_state() == 0U);
    CHECK(rig.devs[1]->get_cur_state() == 0U);
  }
}

// ---------------------------------------------------------------- behaviour through a zone

namespace {

/// A zone with a switch-on trip at 65 °C, a control trip at 75 °C and a critical trip, two
/// linear actors bound to the control trip.
struct ipa_rig {
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

  error setup(governor_ref g, std::int32_t sp, milliseconds passive = 100ms) {
    REQUIRE(ca.setup(1, "actor-a", a, log.sink()).ok());
    REQUIRE(cb.setup(2, "actor-b", b, log.sink()).ok());
    zone_config cfg;
    cfg.type = "soc-thermal";
    cfg.polling_delay = 1000ms;
    cfg.passive_delay = passive;
    cfg.tzp.sustainable_power = sp;
    return tz.setup(cfg, trips, zone_sensor(sensor), g, log.sink());
  }
  void bind_both(std::uint32_t wa = 0, std::uint32_t wb = 0) {
    REQUIRE(tz.bind(1, ca, cooling_spec{no_limit, no_limit, wa}).has_value());
    REQUIRE(tz.bind(1, cb, cooling_spec{no_limit, no_limit, wb}).has_value());
  }
  update_result at(std::int32_t t, std::int64_t ms) {
    sensor.set(mc(t));
    return tz.mode() == thermal_device_mode::enabled ? tz.update(at_ms(ms)) : tz.enable(at_ms(ms));
  }
};

}  // namespace

TEST_CASE("without a sustainable power the allocator binds with k_po = k_pu = 0, k_i = 1 and estimates at the first round",
          "[power_allocator][zone]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 0).ok());
  CHECK(r.tz.params().k_po == 0);
  CHECK(r.tz.params().k_pu == 0);
  CHECK(r.tz.params().k_i == 1);
  r.bind_both();
  r.a.request = 900;
  r.b.request = 300;
  REQUIRE(r.at(70000, 0).status == update_status::updated);
  // Σ state2power(upper = 4) = 2 × (1000 − 800) = 400 mW, written back, gains re-estimated.
  CHECK(r.tz.params().sustainable_power == 400);
  CHECK(pa.pid().sustainable_power == 400U);
  CHECK(r.tz.params().k_po == (400 << 10) / 10000);
  CHECK(r.tz.params().k_pu == (800 << 10) / 10000);
  CHECK(r.tz.params().k_i == 8);
  CHECK(pa.last_round().pid.sustainable_power == 400U);
}

TEST_CASE("changing the sustainable power at run time re-estimates the gains, changing gains does not",
          "[power_allocator][zone][tuning]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 1000).ok());
  r.bind_both();
  REQUIRE(r.at(76000, 0).status == update_status::updated);
  CHECK(r.tz.params().k_po == 102);
  // Gains written like sysfs are used as they are from the next round.
  REQUIRE(set_pid_gains(r.tz, pid_gains{50, 60, 7, 0, 0}).ok());
  REQUIRE(r.at(77000, 100).status == update_status::updated);
  CHECK(r.tz.params().k_po == 50);
  CHECK(pa.last_round().pid.p == mul_frac(50, -2 * 1024 * 1000));
  CHECK(get_pid_gains(r.tz).k_i == 7);
  // A new sustainable power overwrites them with fresh estimates at the next round.
  REQUIRE(set_sustainable_power(r.tz, milliwatts(2000)).ok());
  CHECK(r.tz.params().k_po == 50);
  REQUIRE(r.at(77000, 200).status == update_status::updated);
  CHECK(r.tz.params().k_po == 204);
  CHECK(r.tz.params().k_pu == 409);
  CHECK(r.tz.params().k_i == 40);
  CHECK(pa.last_round().pid.sustainable_power == 2000U);
  // Re-binding (a policy switch back to the allocator) re-estimates from the zone's value too.
  REQUIRE(set_pid_gains(r.tz, pid_gains{1, 2, 3, 4, 5}).ok());
  REQUIRE(r.tz.set_governor(governor_ref(pa)) == errc::ok);
  CHECK(r.tz.params().k_po == 204);
  CHECK(r.tz.params().k_d == 4);
  CHECK(r.tz.params().integral_cutoff == 5);
  SECTION("bad values are refused and nothing changes") {
    CHECK(set_sustainable_power(r.tz, milliwatts(-1)).code == errc::negative);
    CHECK(set_sustainable_power(r.tz, milliwatts(1 << 21)).code == errc::out_of_range);
    CHECK(r.tz.params().sustainable_power == 2000);
    CHECK(set_pid_gains(r.tz, pid_gains{1, 2, -3, 4, 5}).code == errc::negative);
    CHECK(set_pid_gains(r.tz, pid_gains{1, 2, 3, 4, 1 << 22}).code == errc::out_of_range);
    CHECK(get_pid_gains(r.tz).k_i == 40);
  }
}

TEST_CASE("binding the allocator fails on a non-power-actor at the control trip, too many actors or bad parameters",
          "[power_allocator][errors]") {
  SECTION("a plain cooling device on trip_max") {
    power_allocator<4> pa;
    ipa_rig r;
    REQUIRE(r.setup({}, 1000).ok());
    plain_cdev fan;
    thermal_cooling_device cf;
    REQUIRE(cf.setup(3, "fan", fan).ok());
    REQUIRE(r.tz.bind(1, cf).has_value());
    CHECK(r.tz.set_governor(governor_ref(pa)) == errc::invalid_argument);
    CHECK(pa.zone() == nullptr);
    // A plain device on another trip is fine.
    REQUIRE(r.tz.unbind(1, cf) == errc::ok);
    REQUIRE(r.tz.bind(0, cf).has_value());
    CHECK(r.tz.set_governor(governor_ref(pa)) == errc::ok);
  }
  SECTION("more actors than the capacity") {
    power_allocator<1> pa;
    ipa_rig r;
    REQUIRE(r.setup({}, 1000).ok());
    r.bind_both();
    CHECK(r.tz.set_governor(governor_ref(pa)) == errc::capacity_exceeded);
  }
  SECTION("a bad sustainable power in the zone parameters") {
    power_allocator<4> pa;
    ipa_rig r;
    CHECK(r.setup(governor_ref(pa), -5).code == errc::negative);
  }
  SECTION("one allocator, two zones") {
    power_allocator<4> pa;
    ipa_rig r1;
    ipa_rig r2;
    REQUIRE(r1.setup(governor_ref(pa), 1000).ok());
    CHECK(r2.setup(governor_ref(pa), 1000).code == errc::already_exists);
  }
  SECTION("a timer frequency outside 1..1000 Hz") {
    power_allocator<4> pa;
    CHECK(pa.set_hz(0) == errc::out_of_range);
    CHECK(pa.set_hz(1024) == errc::out_of_range);
    CHECK(pa.set_hz(100) == errc::ok);
    CHECK(pa.hz() == 100U);
    power_allocator<4> bad(5000);
    CHECK(bad.hz() == ipa::default_hz);
  }
  SECTION("binding more actors than the capacity later leaves the allocator idle and says why") {
    power_allocator<1> pa;
    ipa_rig r;
    REQUIRE(r.setup(governor_ref(pa), 1000).ok());
    REQUIRE(r.tz.bind(1, r.ca).has_value());
    CHECK(pa.num_actors() == 1U);
    REQUIRE(r.tz.bind(1, r.cb).has_value());
    CHECK(pa.num_actors() == 0U);
    CHECK(pa.last_error() == errc::capacity_exceeded);
    REQUIRE(r.at(80000, 0).status == update_status::updated);
    CHECK_FALSE(pa.last_round().allocated);
  }
}

TEST_CASE("below switch-on the allocator resets, writes target 0 even above a lower limit, and updates devices only once",
          "[power_allocator][zone]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 1000).ok());
  REQUIRE(r.tz.bind(1, r.ca, cooling_spec{2, 4, 0}).has_value());
  REQUIRE(r.tz.bind(1, r.cb, cooling_spec{0, 4, 0}).has_value());
  // First run below switch-on: targets 0, devices not touched (update_cdevs starts false).
  r.log.ring.clear();
  REQUIRE(r.at(60000, 0).status == update_status::updated);
  CHECK(r.tz.instances()[0].target == 0U);
  CHECK(r.log.count(event_type::cdev_state_update) == 0U);
  CHECK(r.a.requests == 1U);  // load statistics refreshed anyway
  // Above: allocation; the lower limit 2 caps actor a.
  REQUIRE(r.at(80000, 100).status == update_status::updated);
  CHECK(pa.last_round().allocated);
  CHECK(r.tz.instances()[0].target >= 2U);
  CHECK(r.log.count(event_type::cdev_state_update) == 2U);  // every actor, every round
  CHECK(pa.pid().err_integral != 0);
  // Back below switch-on: integral reset, target 0 despite lower = 2, devices updated once.
  r.log.ring.clear();
  REQUIRE(r.at(64000, 200).status == update_status::updated);
  CHECK(pa.pid().err_integral == 0);
  CHECK(pa.pid().prev_err == 0);
  CHECK(r.tz.instances()[0].target == 0U);
  CHECK(r.a.state == 0U);
  CHECK(r.log.count(event_type::cdev_state_update) == 2U);
  r.log.ring.clear();
  REQUIRE(r.at(63000, 300).status == update_status::updated);
  CHECK(r.log.count(event_type::cdev_state_update) == 0U);
}

TEST_CASE("when every actor is idle above switch-on, each gets 0 mW and goes to its deepest state",
          "[power_allocator][zone]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 1000).ok());
  r.bind_both();
  r.a.request = 0;
  r.b.request = 0;
  REQUIRE(r.at(70000, 0).status == update_status::updated);
  CHECK(pa.last_round().total_weighted_req_power == 0U);
  CHECK(pa.actors()[0].granted_power == 0U);
  CHECK(r.a.state == r.a.max);
  CHECK(r.b.state == r.b.max);
}

TEST_CASE("weights come from the instances, all-zero weights count as 1024 each, and weight changes are picked up",
          "[power_allocator][zone]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 1000).ok());
  r.bind_both();
  CHECK(pa.total_weight() == 0U);
  r.a.request = 800;
  r.b.request = 400;
  REQUIRE(r.at(76000, 0).status == update_status::updated);
  CHECK(pa.actors()[0].weighted_req_power == 800U);
  CHECK(pa.actors()[1].weighted_req_power == 400U);
  REQUIRE(r.tz.set_instance_weight(r.tz.instances()[0].id, 512) == errc::ok);
  REQUIRE(r.tz.set_instance_weight(r.tz.instances()[1].id, 2048) == errc::ok);
  CHECK(pa.total_weight() == 2560U);
  REQUIRE(r.at(76000, 100).status == update_status::updated);
  CHECK(pa.actors()[0].weighted_req_power == 400U);
  CHECK(pa.actors()[1].weighted_req_power == 800U);
  // Unbinding an actor recounts the actors and re-sums the weights.
  REQUIRE(r.tz.unbind(1, r.ca) == errc::ok);
  CHECK(pa.num_actors() == 1U);
  CHECK(pa.total_weight() == 2048U);
}

TEST_CASE("an actor whose callbacks fail shifts the pairing of grants and instances like the kernel's index",
          "[power_allocator][zone][quirk]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 1000).ok());
  r.bind_both();
  r.a.fail_request = true;
  r.b.request = 600;
  REQUIRE(r.at(76000, 0).status == update_status::updated);
  // Slot 0 holds actor b's numbers; the second loop pairs slot 0 with actor a, slot 1 (zeroed)
  // with actor b, which is granted 0 mW and goes to its deepest state.
  CHECK(pa.actors()[0].req_power == 600U);
  CHECK(pa.actors()[1].req_power == 0U);
  CHECK(pa.actors()[1].granted_power == 0U);
  CHECK(r.b.state == r.b.max);
  CHECK(r.tz.instances()[0].target == r.a.power2state(milliwatts(static_cast<std::int32_t>(pa.actors()[0].granted_power))).value());
  SECTION("a failing power2state leaves that target unchanged") {
    r.a.fail_request = false;
    r.b.fail_power2state = true;
    const cooling_state before = r.tz.instances()[1].target;
    REQUIRE(r.at(77000, 100).status == update_status::updated);
    CHECK(r.tz.instances()[1].target == before);
  }
}

TEST_CASE("a zone with a 0 ms passive delay and k_d set runs the derivative as d = 0 (no division by zero)",
          "[power_allocator][zone]") {
  power_allocator<4> pa;
  ipa_rig r;
  REQUIRE(r.setup(governor_ref(pa), 1000, 0ms).ok());
  r.bind_both();
  r.tz.params().k_d = 1000;
  REQUIRE(r.at(76000, 0).status == update_status::updated);
  CHECK(pa.last_round().allocated);
  CHECK(pa.last_round().pid.d == 0);
}

TEST_CASE("with one passive trip the allocator is always on and controls to it", "[power_allocator][zone]") {
  power_allocator<4> pa;
  linear_actor a;
  thermal_cooling_device ca;
  REQUIRE(ca.setup(1, "a", a).ok());
  pushed_sensor sensor;
  thermal_zone<2, 2> tz;
  const std::array<thermal_trip, 1> trips{thermal_trip{mc(85000), millikelvin_delta{0}, trip_type::passive}};
  zone_config cfg;
  cfg.type = "one";
  cfg.passive_delay = 100ms;
  cfg.polling_delay = 100ms;
  cfg.tzp.sustainable_power = 500;
  REQUIRE(tz.setup(cfg, trips, zone_sensor(sensor), governor_ref(pa)).ok());
  CHECK(pa.trips() == ipa::governor_trips{-1, 0});
  CHECK(tz.params().k_po == (500 << 10) / 85000);
  REQUIRE(tz.bind(0, ca).has_value());
  sensor.set(mc(40000));
  REQUIRE(tz.enable(at_ms(0)).status == update_status::updated);
  CHECK(pa.last_round().allocated);
}
