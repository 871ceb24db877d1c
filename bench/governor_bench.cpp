// One governor `manage()` call per iteration on a zone shaped like a big.LITTLE SoC: two cpufreq
// power actors (Hi3660 clusters, 4 CPUs each, 100 % busy) bound to the control trip and six more
// instances (a fan on four trips, the two clusters on the switch-on trip) — 2 actors, 8 instances.
// The zone is updated once at 78 °C (above the control temperature) before timing, so every
// governor takes its throttling path; the power allocator runs its full round (3 callbacks per
// actor, PID, divvy-up, power2state, two device updates) on every call. bang_bang's manage is a
// no-op once its zone is initialised and user_space has no manage (as in the kernel): their
// figures only show the dispatch cost.
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <span>

#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/governors/governors.hpp"
#include "thermo/control/zone.hpp"

namespace {

using namespace thermo;
using namespace thermo::control;

struct row {
  kilohertz frequency;
  microwatts power;
};
struct table {
  std::array<row, 5> rows;
  [[nodiscard]] std::span<const row> states() const noexcept { return rows; }
};
using cluster = cpufreq_cooling<table, 4>;

constexpr table little{{{{kilohertz(533000), microwatts(28000)},
                         {kilohertz(999000), microwatts(70000)},
                         {kilohertz(1402000), microwatts(124000)},
                         {kilohertz(1709000), microwatts(187000)},
                         {kilohertz(1844000), microwatts(245000)}}}};
constexpr table big{{{{kilohertz(903000), microwatts(243000)},
                      {kilohertz(1421000), microwatts(500000)},
                      {kilohertz(1805000), microwatts(804000)},
                      {kilohertz(2112000), microwatts(1161000)},
                      {kilohertz(2362000), microwatts(1571000)}}}};

struct fan_dev {
  cooling_state state{0};
  [[nodiscard]] cooling_state get_max_state() const noexcept { return 3; }
  [[nodiscard]] cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(cooling_state s) noexcept {
    state = s;
    return errc::ok;
  }
};

cluster make_cluster(const table& t) {
  cluster c = *cluster::create(t, 4);
  for (std::size_t i = 0; i < 4; ++i) {
    static_cast<void>(c.set_cpu(i, cpufreq_cpu_load{1024, 1024, true}));
  }
  return c;
}

/// The bench zone; `g` is bound at setup.
struct rig {
  cluster lit = make_cluster(little);
  cluster bg = make_cluster(big);
  fan_dev fan{};
  thermal_cooling_device c_lit;
  thermal_cooling_device c_big;
  thermal_cooling_device c_fan;
  pushed_sensor sensor;
  thermal_zone<6, 8> tz;

  explicit rig(governor_ref g) {
    static_cast<void>(c_lit.setup(0, "cpufreq-0", lit));
    static_cast<void>(c_big.setup(1, "cpufreq-4", bg));
    static_cast<void>(c_fan.setup(2, "fan", fan));
    const std::array<thermal_trip, 6> trips{
        thermal_trip{millicelsius{50000}, millikelvin_delta{5000}, trip_type::active},
        thermal_trip{millicelsius{60000}, millikelvin_delta{5000}, trip_type::active},
        thermal_trip{millicelsius{65000}, millikelvin_delta{1000}, trip_type::passive},
        thermal_trip{millicelsius{70000}, millikelvin_delta{5000}, trip_type::active},
        thermal_trip{millicelsius{75000}, millikelvin_delta{1000}, trip_type::passive},
        thermal_trip{millicelsius{95000}, millikelvin_delta{0}, trip_type::critical}};
    zone_config cfg;
    cfg.type = "cls0-thermal";
    cfg.polling_delay = std::chrono::milliseconds{1000};
    cfg.passive_delay = std::chrono::milliseconds{100};
    cfg.tzp.sustainable_power = 4500;
    static_cast<void>(tz.setup(cfg, trips, zone_sensor(sensor), g));
    static_cast<void>(tz.bind(4, c_lit, cooling_spec{no_limit, no_limit, 1024}));
    static_cast<void>(tz.bind(4, c_big, cooling_spec{no_limit, no_limit, 512}));
    static_cast<void>(tz.bind(0, c_fan, cooling_spec{0, 1, 0}));
    static_cast<void>(tz.bind(1, c_fan, cooling_spec{1, 2, 0}));
    static_cast<void>(tz.bind(3, c_fan, cooling_spec{2, 3, 0}));
    static_cast<void>(tz.bind(5, c_fan, cooling_spec{3, 3, 0}));
    static_cast<void>(tz.bind(2, c_lit, cooling_spec{0, 2, 0}));
    static_cast<void>(tz.bind(2, c_big, cooling_spec{0, 2, 0}));
    sensor.set(millicelsius{76000});
    static_cast<void>(tz.enable(sim_time{}));
    sensor.set(millicelsius{78000});
    static_cast<void>(tz.update(sim_time{std::chrono::milliseconds{100}}));
  }
};

template <class G>
void run_manage(benchmark::State& state, G& gov) {
  rig r(governor_ref{gov});
  if (r.tz.instances().size() != 8U) {
    state.SkipWithError("zone not built");
    return;
  }
  for (auto _ : state) {
    gov.manage(r.tz);
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations());
}

}  // namespace

static void BM_power_allocator_manage(benchmark::State& state) {
  power_allocator<2> gov;
  run_manage(state, gov);
  if (!gov.last_round().allocated || gov.num_actors() != 2U) {
    state.SkipWithError("the allocator did not run a full round");
  }
}
BENCHMARK(BM_power_allocator_manage);

static void BM_step_wise_manage(benchmark::State& state) {
  step_wise<> gov;
  run_manage(state, gov);
}
BENCHMARK(BM_step_wise_manage);

static void BM_bang_bang_manage(benchmark::State& state) {
  bang_bang<> gov;
  run_manage(state, gov);
}
BENCHMARK(BM_bang_bang_manage);

static void BM_fair_share_manage(benchmark::State& state) {
  fair_share gov;
  run_manage(state, gov);
}
BENCHMARK(BM_fair_share_manage);

static void BM_user_space_manage(benchmark::State& state) {
  user_space gov;
  run_manage(state, gov);
}
BENCHMARK(BM_user_space_manage);

static void BM_scp_thermal_mgmt_manage(benchmark::State& state) {
  scp::domain_config c;
  c.tdp = 4500;
  c.cold_state_power = 7000;
  c.pid.switch_on_temperature = 65000;
  c.pid.control_temperature = 75000;
  c.pid.k_p_overshoot = 1;
  c.pid.k_p_undershoot = 2;
  c.pid.k_integral = 0;
  scp_thermal_mgmt<2> gov(c);
  run_manage(state, gov);
}
BENCHMARK(BM_scp_thermal_mgmt_manage);

/// The whole zone update around the power allocator (sensor, trip scan, events off, manage).
static void BM_power_allocator_zone_update(benchmark::State& state) {
  power_allocator<2> gov;
  rig r(governor_ref{gov});
  std::int64_t t = 200;
  for (auto _ : state) {
    benchmark::DoNotOptimize(r.tz.update(sim_time{std::chrono::milliseconds{t}}));
    t += 100;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_power_allocator_zone_update);

/// The pure Q10 PID step alone.
static void BM_power_allocator_pid_controller(benchmark::State& state) {
  thermal_zone_params tzp;
  tzp.k_po = 460;
  tzp.k_pu = 921;
  tzp.k_i = 92;
  ipa::pid_state s;
  millicelsius t{76000};
  for (auto _ : state) {
    benchmark::DoNotOptimize(t);
    benchmark::DoNotOptimize(ipa::pid_controller(tzp, s, millicelsius{75000}, t, 7264, 4500, 100));
    s.err_integral = 0;
  }
}
BENCHMARK(BM_power_allocator_pid_controller);
