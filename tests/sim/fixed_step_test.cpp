// The fixed-step reference (RK4 or exact steps, crossings checked at steps, leakage every step)
// agrees with the exact event-driven run, better as the step shrinks.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "sim_support.hpp"
#include "thermo/sim/recorder.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using test::small_sim;

namespace {

constexpr std::array<control::thermal_trip, 2> cpu_trips{{
    {millicelsius(40'000), millikelvin_delta(1'000), control::trip_type::passive},
    {millicelsius(90'000), millikelvin_delta(0), control::trip_type::critical},
}};
constexpr std::array<control::thermal_trip, 1> board_trips{{
    {millicelsius(30'000), millikelvin_delta(500), control::trip_type::passive},
}};
constexpr std::array<weighted_node<double>, 1> board_probe{{{1, 1.0}}};

// A die/board plant with leakage; a polled zone (step_wise on a cpufreq cap) on the die and an
// interrupt-driven zone on the board; phased load.
struct rig {
  std::unique_ptr<small_sim> s = std::make_unique<small_sim>();
  control::step_wise<> gov;
  std::unique_ptr<workload::phased_demand<4, 4>> w;
  sim::recorder rec{4000};
  explicit rig(sim::sim_options o, sim_time duration = sim_time{90s}) {
    o.record_interval = 100ms;
    REQUIRE(s->set_plant(test::die_board()).ok());
    REQUIRE(s->set_options(o).ok());
    auto d = test::cpu_domain(2);
    d.power.leakage = {true, 0.01, 0.02, celsius<double>(25.0)};
    REQUIRE(s->add_domain(d));
    auto die = s->add_sensor({"die", test::die_probe, {}});
    sensor_params irq;
    irq.interrupt = true;
    irq.irq_latency = 100us;
    auto board = s->add_sensor({"board", board_probe, irq});
    REQUIRE(die);
    REQUIRE(board);
    auto c = s->add_cpufreq_cooling(0, "cpufreq-cpu0");
    REQUIRE(c);
    sim::zone_setup zs;
    zs.config.type = "cpu-thermal";
    zs.config.polling_delay = 500ms;
    zs.config.passive_delay = 100ms;
    zs.trips = cpu_trips;
    zs.sensor = *die;
    zs.governor = control::governor_ref(gov);
    REQUIRE(s->add_zone(zs));
    REQUIRE(s->bind(0, 0, *c));
    sim::zone_setup zb;
    zb.config.type = "board-thermal";
    zb.trips = board_trips;
    zb.sensor = *board;
    REQUIRE(s->add_zone(zb));
    static constexpr std::array<workload::demand_phase, 3> phases{{{40s, 1.0, 2}, {20s, 0.2, 2}, {30s, 0.7, 1}}};
    w = std::make_unique<workload::phased_demand<4, 4>>(*workload::phased_demand<4, 4>::make(0, 2, phases));
    REQUIRE(s->add_workload(*w));
    s->set_recorder(&rec);
    REQUIRE(s->start().ok());
    s->run_until(duration);
  }
};

struct diff {
  double temperature = 0.0;  // largest |ΔT| of the die over the samples
  double detection = 0.0;    // largest |Δ detection time| over matched crossings [s]
  std::size_t crossings_a = 0;
  std::size_t crossings_b = 0;
};

diff compare(const rig& a, const rig& b) {
  diff d;
  REQUIRE(a.rec.rows() == b.rec.rows());
  for (std::size_t k = 0; k < a.rec.rows(); ++k) {
    REQUIRE(a.rec.time(k) == b.rec.time(k));
    d.temperature = std::max(d.temperature, std::fabs(a.rec.value(k, 0) - b.rec.value(k, 0)));
  }
  const auto ma = a.s->metrics();
  const auto mb = b.s->metrics();
  d.crossings_a = ma.crossings.size();
  d.crossings_b = mb.crossings.size();
  for (std::size_t k = 0; k < std::min(d.crossings_a, d.crossings_b); ++k) {
    d.detection = std::max(d.detection, std::fabs(static_cast<double>((ma.crossings[k].detected - mb.crossings[k].detected).count()) / 1e9));
  }
  return d;
}

}  // namespace

TEST_CASE("event-driven and fine fixed-step runs agree, and the error shrinks with the step", "[sim][fixed_step]") {
  sim::sim_options exact;
  exact.leakage_interval = 1ms;
  const rig ref(exact);
  const auto m = ref.s->metrics();
  REQUIRE(m.zones[1].interrupts >= 1);
  REQUIRE(m.crossings.size() >= 3);

  double previous = 1e9;
  for (const auto step : {10ms, 1ms}) {
    sim::sim_options fs;
    fs.mode = sim::time_mode::fixed_step;
    fs.integrator = sim::fixed_step_integrator::rk4;
    fs.fixed_step = step;
    const rig r(fs);
    const diff d = compare(ref, r);
    const double h = std::chrono::duration<double>(step).count();
    INFO("step " << h << " s: max |dT| " << d.temperature << " K, max |d detection| " << d.detection << " s");
    CHECK(d.crossings_a == d.crossings_b);
    CHECK(d.detection <= h + 1e-9);     // interrupts are seen at the next step, polls are not moved
    CHECK(d.temperature < 40.0 * h);    // O(h): event timing and leakage held over a step
    CHECK(d.temperature < previous);
    previous = d.temperature;
  }
  // The exact integrator on a fine grid differs only by the gridded crossings and leakage.
  sim::sim_options fe;
  fe.mode = sim::time_mode::fixed_step;
  fe.integrator = sim::fixed_step_integrator::exact;
  fe.fixed_step = 1ms;
  const rig e(fe);
  const diff d = compare(ref, e);
  CHECK(d.crossings_a == d.crossings_b);
  CHECK(d.detection <= 1e-3 + 1e-9);
  CHECK(d.temperature < 0.04);
}

TEST_CASE("leakage held between re-evaluations converges as the interval shrinks", "[sim][leakage][fixed_step]") {
  sim::sim_options fs;
  fs.mode = sim::time_mode::fixed_step;
  fs.integrator = sim::fixed_step_integrator::rk4;
  fs.fixed_step = 200us;
  const rig ref(fs, sim_time{40s});
  double previous = 1e9;
  for (const auto interval : {100ms, 10ms, 1ms}) {
    sim::sim_options o;
    o.leakage_interval = interval;
    const rig r(o, sim_time{40s});
    const diff d = compare(ref, r);
    INFO("leakage interval " << std::chrono::duration<double>(interval).count() << " s: max |dT| " << d.temperature);
    CHECK(d.temperature < previous);
    previous = d.temperature;
  }
  CHECK(previous < 0.01);
}
