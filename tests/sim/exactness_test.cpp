// The event-driven simulation is exact: the plant follows the closed form, polls land on the
// kernel's instants, interrupts at the exact crossing of the quantised reading plus the IRQ
// latency, reads deliver after the conversion time, workloads complete at the exact instant.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "sim_support.hpp"
#include "thermo/sim/recorder.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

// One node (C = 0.2 J/K, g = 0.01 W/K: τ = 20 s, steady 122 °C), one 1-core domain at 2 GHz: P = 400·1.1²·2000·1e-6 W.
constexpr double power_w = 400.0 * 1.1 * 1.1 * 2000.0 * 1e-6;
constexpr double cap_j = 0.2;
constexpr double g_amb = 0.01;

double closed_form(double t) { return 25.0 + power_w / g_amb * (1.0 - std::exp(-g_amb * t / cap_j)); }
// When the closed form reaches `level`.
double crossing_time(double level) {
  const double ss = 25.0 + power_w / g_amb;
  return -cap_j / g_amb * std::log((ss - level) / (ss - 25.0));
}

constexpr std::array<sim::heat_share, 1> node0{{{0, 1.0}}};

struct rig {
  std::unique_ptr<small_sim> s = std::make_unique<small_sim>();
  std::unique_ptr<workload::constant_demand<4>> w;
  std::size_t sensor = 0;
};

// The single node, a fully loaded 1-core domain, one sensor, and optionally one zone with `trips`.
void make_rig(rig& r, sensor_params sp, std::span<const control::thermal_trip> trips, milliseconds polling,
              sim::sim_options opt = {}) {
  small_sim::builder_type b;
  REQUIRE(b.add_node(cap_j, g_amb));
  REQUIRE(r.s->set_plant(b).ok());
  REQUIRE(r.s->set_options(opt).ok());
  auto d = test::cpu_domain(1);
  d.heat = node0;
  REQUIRE(r.s->add_domain(d));
  r.w = std::make_unique<workload::constant_demand<4>>(*workload::constant_demand<4>::make(0, 1, 1.0));
  REQUIRE(r.s->add_workload(*r.w));
  auto s = r.s->add_sensor({"n0", test::die_probe, sp});
  REQUIRE(s);
  r.sensor = *s;
  if (!trips.empty()) {
    sim::zone_setup zs;
    zs.config.type = "z";
    zs.config.polling_delay = polling;
    zs.trips = trips;
    zs.sensor = r.sensor;
    REQUIRE(r.s->add_zone(zs));
  }
}

constexpr std::array<control::thermal_trip, 1> trip60{{{millicelsius(60'000), millikelvin_delta(0), control::trip_type::passive}}};

}  // namespace

TEST_CASE("the plant follows the closed-form solution at every sample", "[sim][exact]") {
  rig r;
  sim::sim_options o;
  o.record_interval = 100ms;
  make_rig(r, {}, {}, 0ms, o);
  sim::recorder rec(2000);
  r.s->set_recorder(&rec);
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{120s});
  REQUIRE(rec.rows() == 1201);
  const std::size_t col = rec.find("T_node0");
  REQUIRE(col < rec.columns());
  double worst = 0.0;
  for (std::size_t k = 0; k < rec.rows(); ++k) {
    const double t = to_seconds(rec.time(k));
    worst = std::max(worst, std::fabs(rec.value(k, col) - closed_form(t)));
  }
  CHECK(worst < 1e-11);
  CHECK(r.s->metrics().energy_j == Approx(power_w * 120.0).epsilon(1e-12));
}

TEST_CASE("a polled zone detects a trip at the first poll after the exact crossing", "[sim][exact]") {
  rig r;
  make_rig(r, {}, trip60, 1000ms);
  REQUIRE(r.s->start().ok());
  const double tc = crossing_time(60.0);
  REQUIRE(tc > 3.0);
  r.s->run_until(sim_time{std::chrono::seconds(static_cast<int>(tc) + 3)});
  const auto m = r.s->metrics();
  REQUIRE(m.crossings.size() == 1);
  const auto& c = m.crossings[0];
  CHECK(c.up);
  CHECK(c.physical);
  CHECK(std::fabs(to_seconds(c.crossed) - tc) < 2e-9);
  CHECK(c.detected == sim_time{std::chrono::seconds(static_cast<int>(std::ceil(tc)))});
  CHECK(c.latency_s == Approx(std::ceil(tc) - tc).margin(2e-9));
  CHECK(c.overshoot_c == Approx(closed_form(std::ceil(tc)) - 60.0).margin(1e-9));
  CHECK(m.zones[0].trips[0].crossings == 1);
  CHECK(m.zones[0].trips[0].detections == 1);
  CHECK(m.zones[0].trips[0].time_above_s == Approx(static_cast<double>(static_cast<int>(tc) + 3) - tc).margin(2e-9));
}

TEST_CASE("an interrupt fires at the exact crossing of the quantised reading plus the IRQ latency", "[sim][exact]") {
  for (const std::int32_t resolution : {1, 1000}) {
    for (const std::int32_t trip : {60'000, 60'400}) {
      rig r;
      sensor_params sp;
      sp.interrupt = true;
      sp.irq_latency = 250us;
      sp.resolution = millikelvin_delta(resolution);
      // With a hysteresis the window after the crossing is (trip − 2 °C, none): no more interrupts
      // while the temperature keeps rising.
      const std::array<control::thermal_trip, 1> trips{{{millicelsius(trip), millikelvin_delta(2'000), control::trip_type::passive}}};
      make_rig(r, sp, trips, 0ms);
      REQUIRE(r.s->start().ok());
      r.s->run_until(sim_time{20s});
      const auto m = r.s->metrics();
      REQUIRE(m.crossings.size() == 1);
      // The reading reaches the trip when the temperature reaches the next grid step.
      const double level = std::ceil(trip / static_cast<double>(resolution)) * resolution / 1000.0;
      const double expected = crossing_time(level) + 250e-6;
      INFO("resolution " << resolution << " trip " << trip);
      CHECK(to_seconds(m.crossings[0].detected) == Approx(expected).margin(3e-9));
      CHECK(m.zones[0].interrupts == 1);
      CHECK(m.zones[0].updates == 2);  // enable + the interrupt
    }
  }
}

TEST_CASE("a collapsed window interrupts again at the next reading step", "[sim][exact]") {
  // Without hysteresis a reading of exactly 60.000 °C after the crossing leaves the window
  // (60.000, 60.000): the comparator then fires when the reading goes above it.
  rig r;
  sensor_params sp;
  sp.interrupt = true;
  sp.resolution = millikelvin_delta(1000);
  make_rig(r, sp, trip60, 0ms);
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{20s});
  const auto m = r.s->metrics();
  CHECK(m.zones[0].interrupts == 2);
  CHECK(r.s->zone(0).window_low() == millicelsius(60'000));
  CHECK(r.s->zone(0).window_high() == control::window_high_none);
  CHECK(r.s->zone(0).temperature() == millicelsius(61'000));
  CHECK(to_seconds(r.s->now()) > crossing_time(61.0));
}

TEST_CASE("a read delivers the value sampled at its start after the conversion time", "[sim][exact]") {
  rig r;
  sensor_params sp;
  sp.conversion_time = 5ms;
  make_rig(r, sp, trip60, 1000ms);
  REQUIRE(r.s->start().ok());
  const double tc = crossing_time(60.0);
  r.s->run_until(sim_time{std::chrono::seconds(static_cast<int>(tc) + 3)});
  const auto m = r.s->metrics();
  REQUIRE(m.crossings.size() == 1);
  // The zone re-arms its timer after each update, so the conversion time adds to the period:
  // reads start at 1, 2.005, 3.010 … s (the first update, at enable, reads instantly).
  double start = 1.0;
  while (start < tc) {
    start += 1.005;
  }
  const double detected = to_seconds(m.crossings[0].detected);
  CHECK(detected == Approx(start + 0.005).margin(1e-9));
  // What the zone processed is the value at the start of that read.
  rig r2;
  make_rig(r2, sp, trip60, 1000ms);
  REQUIRE(r2.s->start().ok());
  r2.s->run_until(m.crossings[0].detected);
  CHECK(r2.s->zone(0).temperature().count() == static_cast<std::int32_t>(std::floor(closed_form(start) * 1000.0)));
}

TEST_CASE("a sampled comparator fires at the first sampling instant past the crossing", "[sim][exact]") {
  rig r;
  sensor_params sp;
  sp.interrupt = true;
  sp.comparator_period = 10ms;
  sp.irq_latency = 1ms;
  make_rig(r, sp, trip60, 0ms);
  REQUIRE(r.s->start().ok());
  r.s->run_until(sim_time{20s});
  const auto m = r.s->metrics();
  REQUIRE(m.crossings.size() == 1);
  const double grid = std::ceil(crossing_time(60.0) / 0.010) * 0.010;
  CHECK(to_seconds(m.crossings[0].detected) == Approx(grid + 0.001).margin(1e-9));
}

TEST_CASE("jobs complete at the exact instant their cycles are done, through a frequency cap", "[sim][exact]") {
  auto s = std::make_unique<small_sim>();
  REQUIRE(s->set_plant(test::die_board()).ok());
  REQUIRE(s->add_domain(test::cpu_domain(2)));
  auto cdev = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
  REQUIRE(cdev);
  auto jobs = workload::cycle_jobs<4>::make({0, 2, 1e8, 3, sim_time{}});
  REQUIRE(jobs);
  REQUIRE(s->add_workload(*jobs));
  struct cap_ctx {
    small_sim* s;
    std::size_t c;
  } ctx{s.get(), *cdev};
  // At 125 ms the cap drops to 1 GHz (state 2 of 0..3).
  REQUIRE(s->add_event(sim::scenario_event::callback(
                             sim_time{125ms},
                             [](void* p, sim_time now) noexcept {
                               auto* c = static_cast<cap_ctx*>(p);
                               static_cast<void>(c->s->cooling_device(c->c).set_cur_state(now, 2));
                             },
                             &ctx))
              .ok());
  REQUIRE(s->start().ok());
  s->run_until(sim_time{1s});
  // 50 ms per job at 2 GHz; the third job runs 25 ms at 2 GHz (5e7 cycles) then 50 ms at 1 GHz.
  CHECK(jobs->completed() == 3);
  CHECK(jobs->last_completion() == sim_time{175ms});
  CHECK(s->frequency(0) == 5e8);  // idle after the last job: the lowest OPP
  const auto m = s->metrics();
  CHECK(m.domains[0].executed_cycles == Approx(6e8).epsilon(1e-12));
  CHECK(m.cooling[0].transitions == 1);
}

TEST_CASE("the domain runs at the lowest OPP at or above 1.25 f_max u, capped by cooling", "[sim][cooling]") {
  for (const auto& [u, f] : std::initializer_list<std::pair<double, double>>{{0.0, 5e8}, {0.2, 5e8}, {0.21, 1e9}, {0.3, 1e9}, {0.6, 1.5e9}, {0.61, 2e9}, {0.9, 2e9}}) {
    auto s = std::make_unique<small_sim>();
    REQUIRE(s->set_plant(test::die_board()).ok());
    REQUIRE(s->add_domain(test::cpu_domain(2)));
    auto w = workload::constant_demand<4>::make(0, 1, u);
    REQUIRE(w);
    REQUIRE(s->add_workload(*w));
    REQUIRE(s->start().ok());
    INFO("u = " << u);
    CHECK(s->frequency(0) == f);
    // busy = u·f_max/f of one core; dynamic power = busy·C·V²·f.
    const double busy = u == 0.0 ? 0.0 : std::min(1.0, u * 2e9 / f);
    const std::size_t k = s->opp(0);
    CHECK(s->domain_power(0).dynamic.count() == Approx(busy * s->domain(0).core_dynamic_power(k).count()).epsilon(1e-12));
  }
}

TEST_CASE("a near-integrator plant (a steady state of 1e10 °C) does not stall the crossing watch", "[sim][exact]") {
  // The probe's value is then a difference of numbers near 1e10: resolved to ~1e-5 °C only.
  // The observers' band widens to match, so a crossing is reported once, not back and forth.
  auto s = std::make_unique<small_sim>();
  small_sim::builder_type b;
  REQUIRE(b.add_node(1.0, 1e-9));
  REQUIRE(s->set_plant(b).ok());
  auto sens = s->add_sensor({"n0", test::die_probe, {}});
  REQUIRE(sens);
  sim::zone_setup zs;
  zs.config.type = "z";
  zs.config.polling_delay = 100ms;
  zs.trips = trip60;
  zs.sensor = *sens;
  REQUIRE(s->add_zone(zs));
  REQUIRE(s->add_event(sim::scenario_event::node_power(sim_time{}, 0, 10.0)).ok());
  REQUIRE(s->start().ok());
  s->run_until(sim_time{10s});
  const auto m = s->metrics();
  REQUIRE(m.crossings.size() == 1);
  CHECK(m.zones[0].trips[0].crossings == 1);
  CHECK(to_seconds(m.crossings[0].detected) == Approx(3.6));  // 25 + 10·t reaches 60 at 3.5 s
  CHECK(m.crossings[0].latency_s == Approx(0.1).margin(5e-4));  // the crossing instant to ~1e-5 °C / ramp
  CHECK(m.events < 200);
}
