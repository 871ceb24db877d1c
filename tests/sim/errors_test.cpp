// Every bad input the simulation's set-up rejects, with the error naming what is wrong.
#include <catch2/catch.hpp>

#include <limits>
#include <memory>
#include <string_view>

#include "sim_support.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {
constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

template <class R>
void expect(const R& r, errc code, std::string_view what, std::int32_t index = error::no_index) {
  REQUIRE_FALSE(r);
  CHECK(r.error().code == code);
  CHECK(std::string_view(r.error().what) == what);
  if (index != error::no_index) {
    CHECK(r.error().index == index);
  }
}
void expect(const error& e, errc code, std::string_view what, std::int32_t index = error::no_index) {
  CHECK(e.code == code);
  CHECK(std::string_view(e.what) == what);
  if (index != error::no_index) {
    CHECK(e.index == index);
  }
}

std::unique_ptr<small_sim> with_plant() {
  auto s = std::make_unique<small_sim>();
  REQUIRE(s->set_plant(test::die_board()).ok());
  return s;
}
}  // namespace

TEST_CASE("bad plant and options are rejected", "[sim][errors]") {
  auto s = std::make_unique<small_sim>();
  expect(s->set_plant(small_sim::builder_type{}), errc::empty, "node count");
  expect(s->start(), errc::empty, "plant");
  REQUIRE(s->set_plant(test::die_board()).ok());
  const std::array<double, 1> short_t{30.0};
  expect(s->set_initial_temperatures(short_t), errc::invalid_argument, "initial temperatures");
  const std::array<double, 2> nan_t{30.0, not_a_number};
  expect(s->set_initial_temperatures(nan_t), errc::not_finite, "initial temperature", 1);
  sim::sim_options o;
  o.fixed_step = sim_duration{0};
  expect(s->set_options(o), errc::non_positive, "fixed step");
  o = {};
  o.leakage_interval = sim_duration{0};
  expect(s->set_options(o), errc::non_positive, "leakage interval");
  o = {};
  o.crossing_tolerance = 0.0;
  expect(s->set_options(o), errc::non_positive, "crossing tolerance");
  o = {};
  o.search_horizon = sim_duration{0};
  expect(s->set_options(o), errc::non_positive, "search horizon");
  o = {};
  o.record_interval = sim_duration{-1};
  expect(s->set_options(o), errc::negative, "record interval");
  o = {};
  o.min_irq_interval = sim_duration{-1};
  expect(s->set_options(o), errc::negative, "min irq interval");
  o = {};
  o.schedutil_headroom = 0.9;
  expect(s->set_options(o), errc::out_of_range, "schedutil headroom");
}

TEST_CASE("bad domains are rejected", "[sim][errors]") {
  auto s = with_plant();
  auto d = test::cpu_domain(2);
  d.power.cores = 5;
  expect(s->add_domain(d), errc::out_of_range, "domain cores", 5);
  d = test::cpu_domain(2);
  d.heat = {};
  expect(s->add_domain(d), errc::empty, "heat nodes");
  const std::array<sim::heat_share, 5> many{};
  d.heat = many;
  expect(s->add_domain(d), errc::capacity_exceeded, "heat nodes");
  const std::array<sim::heat_share, 2> bad_node{{{0, 1.0}, {7, 1.0}}};
  d.heat = bad_node;
  expect(s->add_domain(d), errc::out_of_range, "heat node", 1);
  const std::array<sim::heat_share, 2> zero_w{{{0, 1.0}, {1, 0.0}}};
  d.heat = zero_w;
  expect(s->add_domain(d), errc::non_positive, "heat weight", 1);
  const std::array<sim::heat_share, 1> nan_w{{{0, not_a_number}}};
  d.heat = nan_w;
  expect(s->add_domain(d), errc::non_positive, "heat weight", 0);
  d = test::cpu_domain(2);
  d.cpu_capacity = 0;
  expect(s->add_domain(d), errc::out_of_range, "cpu capacity");
  d = test::cpu_domain(2);
  d.power.dynamic_power_coefficient = -1.0;
  expect(s->add_domain(d), errc::negative, "dynamic-power-coefficient");
  d = test::cpu_domain(2);
  d.power.opps = {};
  REQUIRE_FALSE(s->add_domain(d));
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  expect(s->add_domain(test::cpu_domain(2)), errc::capacity_exceeded, "domains");
}

TEST_CASE("bad sensors are rejected", "[sim][errors]") {
  auto s = with_plant();
  expect(s->add_sensor({"x", {}, {}}), errc::empty, "probe");
  const std::array<weighted_node<double>, 5> many{};
  expect(s->add_sensor({"x", many, {}}), errc::capacity_exceeded, "probe terms");
  const std::array<weighted_node<double>, 2> far{{{0, 0.5}, {2, 0.5}}};
  expect(s->add_sensor({"x", far, {}}), errc::out_of_range, "probe node", 1);
  const std::array<weighted_node<double>, 1> nan_w{{{0, not_a_number}}};
  expect(s->add_sensor({"x", nan_w, {}}), errc::not_finite, "probe weight", 0);
  sensor_params p;
  p.resolution = millikelvin_delta(-5);
  expect(s->add_sensor({"x", test::die_probe, p}), errc::non_positive, "sensor resolution");
}

TEST_CASE("bad cooling devices and fans are rejected", "[sim][errors]") {
  auto s = with_plant();
  expect(s->add_cpufreq_cooling(0, "cpufreq-cpu0"), errc::out_of_range, "domain", 0);
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  auto gpu = test::cpu_domain(1);
  gpu.cpu = false;
  gpu.power.name = "gpu";
  REQUIRE(s->add_domain(gpu));
  expect(s->add_cpufreq_cooling(1, "cpufreq-cpu0"), errc::not_supported, "not a CPU domain", 1);
  expect(s->add_devfreq_cooling(0, "devfreq-gpu"), errc::not_supported, "not a device domain", 0);
  expect(s->add_cpufreq_cooling(0, "a-type-name-far-too-long-for-the-kernel"), errc::invalid_argument,
         "cooling device type longer than 31 characters");
  expect(s->add_idle_injection(3, "idle"), errc::out_of_range, "domain", 3);
  expect(s->add_idle_injection(0, "idle", microseconds{0}), errc::non_positive, "idle injection duration-us");
  static constexpr std::array<std::uint32_t, 2> levels{0, 255};
  sim::fan_config f;
  f.levels = levels;
  expect(s->add_fan(f), errc::empty, "fan paths");
  const std::array<sim::fan_path, 1> node_far{{{9, sim::fan_path::ambient, 0.0, 1.0, 0.8}}};
  f.paths = node_far;
  expect(s->add_fan(f), errc::out_of_range, "fan path node", 0);
  const std::array<sim::fan_path, 1> peer_far{{{0, 9, 0.0, 1.0, 0.8}}};
  f.paths = peer_far;
  expect(s->add_fan(f), errc::out_of_range, "fan path peer", 0);
  const std::array<sim::fan_path, 1> self{{{1, 1, 0.0, 1.0, 0.8}}};
  f.paths = self;
  expect(s->add_fan(f), errc::invalid_argument, "fan path peer", 0);
  const std::array<sim::fan_path, 1> nan_g{{{1, sim::fan_path::ambient, not_a_number, 1.0, 0.8}}};
  f.paths = nan_g;
  expect(s->add_fan(f), errc::not_finite, "fan conductance", 0);
  const std::array<sim::fan_path, 1> neg_g{{{1, sim::fan_path::ambient, 0.0, -1.0, 0.8}}};
  f.paths = neg_g;
  expect(s->add_fan(f), errc::negative, "fan conductance", 0);
  const std::array<sim::fan_path, 1> zero_exp{{{1, sim::fan_path::ambient, 0.0, 1.0, 0.0}}};
  f.paths = zero_exp;
  expect(s->add_fan(f), errc::non_positive, "fan exponent", 0);
  const std::array<sim::fan_path, 1> ok{{{1, sim::fan_path::ambient, 0.0, 1.0, 0.8}}};
  f.paths = ok;
  f.levels = {};
  expect(s->add_fan(f), errc::empty, "fan cooling levels");
  f.levels = levels;
  REQUIRE(s->add_fan(f));
  expect(s->add_fan(f), errc::capacity_exceeded, "fans");
}

TEST_CASE("bad zones, bindings and workloads are rejected", "[sim][errors]") {
  auto s = with_plant();
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  auto sens = s->add_sensor({"die", test::die_probe, {}});
  REQUIRE(sens);
  static constexpr std::array<control::thermal_trip, 1> trips{{{millicelsius(60'000), millikelvin_delta(0), control::trip_type::passive}}};
  sim::zone_setup zs;
  zs.config.type = "cpu-thermal";
  zs.trips = trips;
  zs.sensor = 4;
  expect(s->add_zone(zs), errc::out_of_range, "zone sensor", 4);
  zs.sensor = *sens;
  zs.config.type = "";
  expect(s->add_zone(zs), errc::invalid_argument, "zone type must have 1 to 19 characters");
  zs.config.type = "cpu-thermal";
  REQUIRE(s->add_zone(zs));
  expect(s->add_zone(zs), errc::already_exists, "zone sensor");
  auto c = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
  REQUIRE(c);
  expect(s->bind(3, 0, *c), errc::out_of_range, "zone", 3);
  expect(s->bind(0, 0, 5), errc::out_of_range, "cooling device", 5);
  REQUIRE(s->bind(0, 0, *c));
  expect(s->bind(0, 0, *c), errc::already_exists, "cooling device already bound to this trip");
  auto far = workload::constant_demand<4>::make(3, 1, 1.0);
  REQUIRE(far);
  expect(s->add_workload(*far), errc::out_of_range, "workload domain", 3);
  auto wide = workload::constant_demand<4>::make(0, 2, 1.0);
  REQUIRE(wide);
  expect(s->add_workload(*wide, 1), errc::out_of_range, "workload cores", 0);
}

TEST_CASE("bad scenario events and channels are rejected, and set-up ends at start", "[sim][errors]") {
  auto s = with_plant();
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  auto c = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
  REQUIRE(c);
  expect(s->add_event(sim::scenario_event::ambient(sim_time{sim_duration{-1}}, 30.0)), errc::negative, "event time");
  expect(s->add_event(sim::scenario_event::ambient(sim_time{sim_duration{1}}, not_a_number)), errc::not_finite, "event value");
  expect(s->add_event(sim::scenario_event::node_power(sim_time{sim_duration{1}}, 2, 1.0)), errc::out_of_range, "event target", 2);
  expect(s->add_event(sim::scenario_event::node_power(sim_time{sim_duration{1}}, 0, not_a_number)), errc::not_finite, "event value");
  expect(s->add_event(sim::scenario_event::fan_failure(sim_time{sim_duration{1}}, *c)), errc::invalid_argument, "fan");
  expect(s->add_event(sim::scenario_event::fan_failure(sim_time{sim_duration{1}}, 3)), errc::out_of_range, "event target");
  expect(s->add_event(sim::scenario_event::sensor_restore(sim_time{sim_duration{1}}, 0)), errc::out_of_range, "event target");
  expect(s->add_event(sim::scenario_event::zone_enable(sim_time{sim_duration{1}}, 0)), errc::out_of_range, "event target");
  expect(s->add_event(sim::scenario_event::callback(sim_time{sim_duration{1}}, nullptr, nullptr)), errc::invalid_argument, "event callback");
  expect(s->add_channel({"x", "", nullptr, nullptr}), errc::invalid_argument, "channel function");
  REQUIRE(s->start().ok());
  expect(s->start(), errc::already_exists, "simulation already started");
  expect(s->add_domain(test::cpu_domain(2)), errc::already_exists, "simulation already started");
  expect(s->add_event(sim::scenario_event::ambient(sim_time{sim_duration{1}}, 30.0)), errc::already_exists, "simulation already started");
}
