// Cost of one thermal-zone update: 8 trips, 8 instances (8 cooling devices), a step-like
// governor that votes on every instance and updates the devices through the core (max rule,
// CDEV_STATE_UPDATE into a ring), events delivered to a fixed ring.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>

#include "thermo/control/zone.hpp"

namespace {

using namespace thermo;
using namespace thermo::control;

struct bench_cdev {
  cooling_state state{0};
  [[nodiscard]] cooling_state get_max_state() const noexcept { return 10; }
  [[nodiscard]] cooling_state get_cur_state() const noexcept { return state; }
  [[nodiscard]] errc set_cur_state(cooling_state s) noexcept {
    state = s;
    return errc::ok;
  }
};

/// Votes `upper` for instances of reached trips, releases the others (every instance, every
/// update), then updates the changed devices.
struct bench_governor {
  [[nodiscard]] std::string_view name() const noexcept { return "bench"; }
  void manage(thermal_zone_device& tz) noexcept {
    for (thermal_instance& i : tz.instances()) {
      const cooling_state want = tz.trip_reached(static_cast<std::size_t>(i.trip)) ? i.upper : no_target;
      if (!i.initialized || want != i.target) {
        i.target = want;
        i.initialized = true;
        i.cdev->mark_for_update();
      }
    }
    for (thermal_instance& i : tz.instances()) {
      i.cdev->update(tz.now());
    }
  }
};

struct bench_rig {
  pushed_sensor sensor;
  bench_governor gov;
  event_ring<64> ring;
  std::array<bench_cdev, 8> drivers{};
  std::array<thermal_cooling_device, 8> cdevs;
  thermal_zone<8, 8> tz;

  bench_rig() {
    std::array<thermal_trip, 8> trips{};
    for (std::size_t i = 0; i < trips.size(); ++i) {
      trips[i] = thermal_trip{millicelsius(static_cast<std::int32_t>(50'000 + 5'000 * i)), millikelvin_delta(2'000),
                              i < 4 ? trip_type::active : trip_type::passive};
    }
    zone_config cfg;
    cfg.type = "bench";
    cfg.polling_delay = milliseconds(1000);
    cfg.passive_delay = milliseconds(100);
    if (!tz.setup(cfg, trips, zone_sensor(sensor), governor_ref(gov), ring.sink()).ok()) {
      std::abort();
    }
    for (std::size_t i = 0; i < cdevs.size(); ++i) {
      if (!cdevs[i].setup(static_cast<std::int32_t>(i), "cdev", drivers[i], ring.sink()).ok() ||
          !tz.bind(static_cast<std::int32_t>(i), cdevs[i], cooling_spec{0, 5, 0}).has_value()) {
        std::abort();
      }
    }
    sensor.set(millicelsius(40'000));
    static_cast<void>(tz.enable(sim_time{}));
  }
};

/// No crossing: the temperature stays between two trips (the common polled case).
void BM_zone_update_steady(benchmark::State& state) {
  bench_rig r;
  r.sensor.set(millicelsius(66'000));
  std::int64_t t = 0;
  for (auto _ : state) {
    t += 100;
    r.ring.clear();
    auto res = r.tz.update(sim_time{std::chrono::milliseconds(t)});
    benchmark::DoNotOptimize(res);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_zone_update_steady);

/// A triangle sweep 40 → 95 → 40 °C in 1 °C steps: crossings, window changes and device
/// updates on a share of the updates.
void BM_zone_update_sweep(benchmark::State& state) {
  bench_rig r;
  std::int64_t t = 0;
  std::int32_t temp = 40'000;
  std::int32_t step = 1'000;
  for (auto _ : state) {
    t += 100;
    temp += step;
    if (temp >= 95'000 || temp <= 40'000) {
      step = -step;
    }
    r.sensor.set(millicelsius(temp));
    r.ring.clear();
    auto res = r.tz.update(sim_time{std::chrono::milliseconds(t)});
    benchmark::DoNotOptimize(res);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_zone_update_sweep);

/// The worst case for ordering: every trip crosses in one update (40 ↔ 95 °C).
void BM_zone_update_all_cross(benchmark::State& state) {
  bench_rig r;
  std::int64_t t = 0;
  bool hot = false;
  for (auto _ : state) {
    t += 100;
    hot = !hot;
    r.sensor.set(millicelsius(hot ? 95'000 : 40'000));
    r.ring.clear();
    auto res = r.tz.update(sim_time{std::chrono::milliseconds(t)});
    benchmark::DoNotOptimize(res);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_zone_update_all_cross);

}  // namespace
