// The limits of a run (docs/reference/limits-and-errors.md, "Simulation runs"): the run budget
// stops a run with a status instead of running on, an RK4 fixed step beyond its stability
// limit is refused, readings that overflow millicelsius are counted, and a critical trip the
// zone never handles is flagged.
#include <catch2/catch.hpp>

#include <array>
#include <memory>
#include <string_view>

#include "sim_support.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

/// One node (C = `c` J/K) tied to the ambient by `g` W/K, heated by `watts` from t = 0.
std::unique_ptr<small_sim> one_node(double c, double g, double watts = 0.0) {
  auto s = std::make_unique<small_sim>();
  small_sim::builder_type b;
  REQUIRE(b.add_node(c, g));
  REQUIRE(b.set_ambient(25.0).ok());
  REQUIRE(s->set_plant(b).ok());
  if (watts != 0.0) {
    REQUIRE(s->add_event(sim::scenario_event::node_power(sim_time{}, 0, watts)).ok());
  }
  return s;
}

/// A zone on sensor `sensor` with one critical trip at `trip_mc`, polled every `polling` (0: never).
void add_critical_zone(small_sim& s, std::size_t sensor, std::int32_t trip_mc, milliseconds polling) {
  static std::array<control::thermal_trip, 1> crit{};
  crit[0] = {millicelsius(trip_mc), millikelvin_delta(0), control::trip_type::critical};
  sim::zone_setup zs;
  zs.config.type = "cpu-thermal";
  zs.config.polling_delay = polling;
  zs.trips = crit;
  zs.sensor = sensor;
  REQUIRE(s.add_zone(zs));
}

}  // namespace

TEST_CASE("the run budget stops a run with budget_exhausted instead of running on", "[sim][limits]") {
  auto s = one_node(1.0, 0.1, 1.0);
  sim::sim_options o;
  o.mode = sim::time_mode::fixed_step;
  o.fixed_step = 1ms;
  o.record_interval = {};
  o.max_events = 1000;
  REQUIRE(s->set_options(o).ok());
  REQUIRE(s->start().ok());
  CHECK(s->run_until(sim_time{10s}) == sim::run_status::budget_exhausted);
  CHECK(s->metrics().events == 1000);
  CHECK(s->now() < sim_time{2s});
  CHECK(s->run_until(sim_time{20s}) == sim::run_status::budget_exhausted);  // and stays stopped
  CHECK(to_string(sim::run_status::budget_exhausted) == "budget exhausted");
  o.max_events = 0;
  auto t = one_node(1.0, 0.1);
  CHECK(t->set_options(o).code == errc::non_positive);
  CHECK(sim::sim_options{}.max_events == sim::default_max_events);
}

TEST_CASE("an RK4 fixed step beyond the stability limit is refused, and a stable one runs", "[sim][limits][fixed_step]") {
  // λ = g / C = 1e4 1/s: RK4 is stable up to 2.785e-4 s.
  for (const auto& [step, ok] : {std::pair{sim_duration{1ms}, false}, std::pair{sim_duration{250us}, true}}) {
    auto s = one_node(1e-3, 10.0, 1.0);
    sim::sim_options o;
    o.mode = sim::time_mode::fixed_step;
    o.fixed_step = step;
    REQUIRE(s->set_options(o).ok());
    const error e = s->start();
    CHECK(s->max_stable_step() == Approx(2.785e-4));
    if (ok) {
      REQUIRE(e.ok());
      CHECK(s->run_until(sim_time{1s}) == sim::run_status::running);
      CHECK(s->temperature(0) == Approx(25.1).epsilon(1e-6));  // P / g above the ambient, no divergence
    } else {
      CHECK(e.code == errc::out_of_range);
      CHECK(std::string_view(e.what).starts_with("fixed step above the RK4 stability limit"));
    }
  }
  // The exact integrator is stable at any step.
  auto s = one_node(1e-3, 10.0, 1.0);
  sim::sim_options o;
  o.mode = sim::time_mode::fixed_step;
  o.integrator = sim::fixed_step_integrator::exact;
  o.fixed_step = 1s;
  REQUIRE(s->set_options(o).ok());
  CHECK(s->start().ok());
}

TEST_CASE("a reading that does not fit a millicelsius is saturated and counted", "[sim][limits]") {
  auto s = one_node(1.0, 0.1);
  static constexpr std::array<weighted_node<double>, 1> huge{{{0, 1e300}}};
  auto sens = s->add_sensor({"s", huge, {}});
  REQUIRE(sens);
  add_critical_zone(*s, *sens, 95'000, 100ms);
  REQUIRE(s->start().ok());  // the first read saturates, and the critical trip stops the run
  CHECK(s->run_until(sim_time{1s}) == sim::run_status::shutdown);
  CHECK(s->metrics().zones[0].saturated_reads > 0);
}

TEST_CASE("a critical trip crossed by a zone that never updates is flagged unhandled", "[sim][limits][critical]") {
  for (const milliseconds polling : {0ms, 100ms}) {
    INFO("polling " << polling.count() << " ms");
    auto s = one_node(1.0, 0.1, 10.0);  // heads for 125 °C
    auto sens = s->add_sensor({"s", test::die_probe, {}});  // no interrupt
    REQUIRE(sens);
    add_critical_zone(*s, *sens, 95'000, polling);
    REQUIRE(s->start().ok());
    const auto st = s->run_until(sim_time{600s});
    const auto m = s->metrics();
    if (polling.count() == 0) {
      CHECK(st == sim::run_status::running);  // as the kernel: nobody polls it
      CHECK(m.zones[0].peak_c > 95.0);
      CHECK(m.zones[0].unhandled_critical);
    } else {
      CHECK(st == sim::run_status::shutdown);
      CHECK_FALSE(m.zones[0].unhandled_critical);
    }
  }
}

namespace {
/// Two networks in the cache, for a fan of three states: the configurations do not all fit, so
/// `start` builds only the first, and the others are built during the run, where `start` could
/// not check their stability.
struct one_network_limits : test::small_limits {
  static constexpr std::size_t networks = 2;
};
using one_network_sim = sim::simulation<one_network_limits>;

struct fan_to_full {
  one_network_sim* sim;
  std::size_t c;
  static void call(void* p, sim_time now) noexcept {
    auto* x = static_cast<fan_to_full*>(p);
    static_cast<void>(x->sim->cooling_device(x->c).set_cur_state(now, 2));
  }
};
}  // namespace

TEST_CASE("a fan configuration built during an RK4 run that would be unstable is sub-stepped", "[sim][limits][fixed_step]") {
  auto s = std::make_unique<one_network_sim>();
  one_network_sim::builder_type b;
  REQUIRE(b.add_node(1e-3, 0.01));  // λ = 10 1/s with the fan off
  REQUIRE(b.set_ambient(25.0).ok());
  REQUIRE(s->set_plant(b).ok());
  static constexpr std::array<std::uint32_t, 3> levels{0, 128, 255};
  static constexpr std::array<sim::fan_path, 1> paths{{{0, sim::fan_path::ambient, 0.0, 100.0, 1.0}}};  // λ = 1e5 1/s at full
  sim::fan_config f;
  f.levels = levels;
  f.paths = paths;
  f.initial_state = 0;
  auto fan = s->add_fan(f);
  REQUIRE(fan);
  REQUIRE(s->add_event(sim::scenario_event::node_power(sim_time{}, 0, 1.0)).ok());
  fan_to_full full{s.get(), *fan};
  REQUIRE(s->add_event(sim::scenario_event::callback(sim_time{1s}, &fan_to_full::call, &full)).ok());
  sim::sim_options o;
  o.mode = sim::time_mode::fixed_step;
  o.fixed_step = 1ms;  // stable for the fan off (limit 0.28 s), not at full (2.8e-5 s)
  o.record_interval = {};
  REQUIRE(s->set_options(o).ok());
  REQUIRE(s->start().ok());
  CHECK(s->max_stable_step() == Approx(0.2785));
  REQUIRE(s->run_until(sim_time{2s}) == sim::run_status::running);
  CHECK(s->max_stable_step() == Approx(2.785e-5).epsilon(1e-3));  // the full-speed network now exists
  CHECK(s->temperature(0) == Approx(25.0 + 1.0 / 100.01).epsilon(1e-9));  // its steady state, no divergence
}
