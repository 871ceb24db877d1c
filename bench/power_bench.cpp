// Benchmarks of the power area: Energy Model registration and lookups, em_cpu_energy, and a
// DTPM budget split over a 3-level tree with 8 leaves. Only Release figures mean anything:
//   cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTHERMO_BUILD_TESTS=OFF
//   cmake --build build/bench --target thermo_bench
//   build/bench/bench/thermo_bench --benchmark_filter='power|energy|opp'
#include <array>
#include <cstdint>

#include <benchmark/benchmark.h>

#include "thermo/power/energy_model.hpp"
#include "thermo/power/opp.hpp"
#include "thermo/power/power_budget.hpp"
#include "thermo/presets/all.hpp"

namespace {

using namespace thermo;

// Exynos5422 A15: the largest preset table (19 OPPs); RK3399 A72: a typical one (8).
const schema::cpu_cluster_desc& a15() {
  return presets::exynos5422.clusters[1];
}
const schema::cpu_cluster_desc& a72() {
  return presets::rk3399.clusters[1];
}

const power::em_perf_domain<>& em_of(const schema::cpu_cluster_desc& cl) {
  static const auto a15_em = *schema::make_cluster_em(a15());
  static const auto a72_em = *schema::make_cluster_em(a72());
  return &cl == &a15() ? a15_em : a72_em;
}

const schema::cpu_cluster_desc& cluster_arg(const benchmark::State& state) {
  return state.range(0) == 19 ? a15() : a72();
}

}  // namespace

// Registering a perf domain from DT OPPs (power, performance, cost, inefficiency).
static void BM_energy_model_make_from_opps(benchmark::State& state) {
  const auto& cl = cluster_arg(state);
  for (auto _ : state) {
    auto em = schema::make_cluster_em(cl);
    benchmark::DoNotOptimize(em);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(cl.opps.size()));
}
BENCHMARK(BM_energy_model_make_from_opps)->Arg(8)->Arg(19);

// The cpufreq-cooling lookup: lowest state with f >= current frequency.
static void BM_energy_model_find_ceil(benchmark::State& state) {
  const auto v = em_of(cluster_arg(state)).view();
  std::uint32_t f = 0;
  const std::uint32_t fmax = v.highest().frequency.count();
  for (auto _ : state) {
    f = f >= fmax ? 0 : f + 97'001;  // walk through the range
    auto k = v.find_ceil(kilohertz(f));
    benchmark::DoNotOptimize(k);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_energy_model_find_ceil)->Arg(8)->Arg(19);

// Cooling state -> EM index -> mW (state2power of cpufreq cooling, per CPU).
static void BM_energy_model_state2power(benchmark::State& state) {
  const auto v = em_of(cluster_arg(state)).view();
  std::size_t s = 0;
  for (auto _ : state) {
    s = s >= v.max_state() ? 0 : s + 1;
    const auto k = v.state_to_index(s);
    auto p = v.power_mw(*k);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_energy_model_state2power)->Arg(8)->Arg(19);

// em_cpu_energy (>= 6.9): efficient-state search + cost * sum_util.
static void BM_energy_model_cpu_energy(benchmark::State& state) {
  const auto v = em_of(cluster_arg(state)).view();
  std::uint64_t util = 0;
  for (auto _ : state) {
    util = util >= 1100 ? 0 : util + 37;
    auto e = v.cpu_energy(util, util * 3, 1024);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_energy_model_cpu_energy)->Arg(8)->Arg(19);

// A DTPM split over root -> 2 packages -> 8 leaves (4 clusters of each preset SoC pair), the
// limit alternating so that every call moves leaves.
static void BM_power_budget_set_limit(benchmark::State& state) {
  static const auto little = *schema::make_cluster_em(presets::rk3399.clusters[0]);
  static const auto big = *schema::make_cluster_em(presets::rk3399.clusters[1]);
  static const auto gpu = *schema::make_device_em(presets::rk3399.devices[0]);
  static const auto rk_l = *schema::make_cluster_em(presets::rk3588.clusters[0]);
  static const auto rk_b0 = *schema::make_cluster_em(presets::rk3588.clusters[1]);
  static const auto rk_b1 = *schema::make_cluster_em(presets::rk3588.clusters[2]);
  static const auto rk_gpu = *schema::make_device_em(presets::rk3588.devices[0]);
  static const auto a15_em = *schema::make_cluster_em(a15());
  power::power_budget<16> b;
  const auto root = *b.add_virtual("root");
  const auto p0 = *b.add_virtual("package0", root);
  const auto p1 = *b.add_virtual("package1", root);
  static_cast<void>(*b.add_cpu("little", p0, little.view()));
  static_cast<void>(*b.add_cpu("big", p0, big.view()));
  static_cast<void>(*b.add_devfreq("gpu", p0, gpu.view()));
  static_cast<void>(*b.add_cpu("a15", p0, a15_em.view()));
  static_cast<void>(*b.add_cpu("a55", p1, rk_l.view()));
  static_cast<void>(*b.add_cpu("a76-0", p1, rk_b0.view()));
  static_cast<void>(*b.add_cpu("a76-1", p1, rk_b1.view()));
  static_cast<void>(*b.add_devfreq("g610", p1, rk_gpu.view()));
  const std::array<microwatts, 4> limits{microwatts(3'000'000), microwatts(9'000'000),
                                         microwatts(5'500'000), microwatts(1'000'000)};
  std::size_t i = 0;
  std::size_t changed = 0;
  for (auto _ : state) {
    i = (i + 1) % limits.size();
    const auto r = b.set_power_limit(root, limits[i],
                                     [&](const power::dtpm_leaf_update& u) { changed += u.state; });
    benchmark::DoNotOptimize(r);
  }
  benchmark::DoNotOptimize(changed);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_power_budget_set_limit);

// OPP table lookups (the OPP library's ceil/floor).
static void BM_opp_table_find_floor(benchmark::State& state) {
  const auto t = *power::opp_table<>::make(a15().opps);
  std::uint32_t f = 0;
  for (auto _ : state) {
    f = f >= 2'100'000 ? 150'000 : f + 97'001;
    auto k = t.find_floor(kilohertz(f));
    benchmark::DoNotOptimize(k);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_opp_table_find_floor);
