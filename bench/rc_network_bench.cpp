// Cost of advancing a thermal RC network: the exact modal solver against RK4, over N, and the
// HotSpot EV6 per-row workload (one 10 ms ZOH step with new block powers, then read 30 blocks).
//
//   build/<rel>/bench/thermo_bench --benchmark_filter=rc --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "thermo/io/hotspot.hpp"
#include "thermo/model/integrators.hpp"
#include "thermo/model/rc_network.hpp"

namespace {

constexpr std::size_t cap = 132;
using network = thermo::rc_network<double, cap>;
using builder = thermo::rc_network_builder<double, cap, 8 * cap>;

// A HotSpot-like package stack with n nodes: columns of 4 layers (silicon, interface, spreader,
// sink), neighbours joined laterally, the sink layer to ambient. Time constants span µs to s.
std::unique_ptr<network> stack_network(std::size_t n) {
  const std::size_t cols = n / 4;
  builder b;
  const std::array<double, 4> c{2e-4, 5e-5, 2e-2, 0.5};     // J/K per column
  const std::array<double, 4> lateral{0.05, 0.01, 2.0, 4.0};  // W/K between columns
  const std::array<double, 3> vertical{20.0, 4.0, 10.0};     // W/K between layers
  for (std::size_t layer = 0; layer < 4; ++layer) {
    for (std::size_t k = 0; k < cols; ++k) {
      const double amb = layer == 3 ? 1.0 / (0.1 * static_cast<double>(cols)) : 0.0;
      if (!b.add_node(c[layer] * (1.0 + 0.1 * static_cast<double>(k % 3)), amb)) {
        return nullptr;
      }
    }
  }
  for (std::size_t layer = 0; layer < 4; ++layer) {
    for (std::size_t k = 0; k + 1 < cols; ++k) {
      if (!b.connect(layer * cols + k, layer * cols + k + 1, lateral[layer]).ok()) {
        return nullptr;
      }
    }
    if (layer < 3) {
      for (std::size_t k = 0; k < cols; ++k) {
        if (!b.connect(layer * cols + k, (layer + 1) * cols + k, vertical[layer]).ok()) {
          return nullptr;
        }
      }
    }
  }
  auto net = std::make_unique<network>();
  if (!net->init(b).ok()) {
    return nullptr;
  }
  return net;
}

// Power vectors that differ from row to row (silicon layer only, like a trace).
std::vector<std::vector<double>> power_rows(std::size_t n, std::size_t rows) {
  std::vector<std::vector<double>> p(rows, std::vector<double>(n, 0.0));
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < n / 4; ++k) {
      p[r][k] = 0.5 + 0.25 * static_cast<double>((r * 7 + k * 3) % 5);
    }
  }
  return p;
}

// One ZOH step with unchanged power: O(N), no exp (repeated dt).
void BM_rc_exact_step(benchmark::State& state) {
  auto net = stack_network(static_cast<std::size_t>(state.range(0)));
  if (!net) {
    state.SkipWithError("network");
    return;
  }
  const auto rows = power_rows(net->size(), 1);
  if (!net->set_power(rows[0]).ok()) {
    state.SkipWithError("power");
    return;
  }
  for (auto _ : state) {
    net->step(0.01);
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(net->temperature(0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_exact_step)->Arg(4)->Arg(16)->Arg(64)->Arg(132);

// New power at every node, one exact step of dt (µs), read every node: O(N²).
void BM_rc_exact_step_new_power(benchmark::State& state) {
  auto net = stack_network(static_cast<std::size_t>(state.range(0)));
  if (!net) {
    state.SkipWithError("network");
    return;
  }
  const double dt = static_cast<double>(state.range(1)) * 1e-6;
  const auto rows = power_rows(net->size(), 16);
  std::vector<double> t(net->size());
  std::size_t r = 0;
  for (auto _ : state) {
    if (!net->set_power(rows[r]).ok()) {
      state.SkipWithError("power");
      break;
    }
    r = (r + 1) % rows.size();
    net->step(dt);
    net->temperatures(t);
    benchmark::DoNotOptimize(t.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_exact_step_new_power)->ArgsProduct({{4, 16, 64, 132}, {10'000, 1'000}});

// RK4 with a fixed step at 90 % of its stability limit (2.785/λ_max) over dt (µs), new power
// each interval, read every node: what a classic fixed-step simulator pays for the same result.
void BM_rc_rk4_step(benchmark::State& state) {
  auto net = stack_network(static_cast<std::size_t>(state.range(0)));
  if (!net) {
    state.SkipWithError("network");
    return;
  }
  const double dt = static_cast<double>(state.range(1)) * 1e-6;
  const double h = 0.9 * 2.785 / net->eigenvalue(net->size() - 1);
  const auto rows = power_rows(net->size(), 16);
  std::vector<double> t(net->size(), 45.0);
  std::size_t r = 0;
  std::size_t substeps = 0;
  for (auto _ : state) {
    const auto s = thermo::rk4_advance(*net, std::span<double>(t), std::span<const double>(rows[r]), dt, h);
    if (!s) {
      state.SkipWithError("rk4");
      break;
    }
    substeps = *s;
    r = (r + 1) % rows.size();
    benchmark::DoNotOptimize(t.data());
  }
  state.counters["substeps"] = static_cast<double>(substeps);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_rk4_step)->ArgsProduct({{4, 16, 64, 132}, {10'000, 1'000}})->Unit(benchmark::kMicrosecond);

// ------------------------------------------------------------------ HotSpot EV6 -------------

struct ev6 {
  std::unique_ptr<network> net = std::make_unique<network>();
  thermo::io::hotspot_trace ptrace;
  std::vector<double> init;
  std::string error;
};

ev6 load_ev6() {
  ev6 e;
  const std::string dir = std::string(THERMO_SHARED_DIR) + "/hotspot-data/";
  thermo::io::hotspot_network desc;
  auto le = thermo::io::load_hotspot_network(dir + "ev6_block_G_matrix.csv", dir + "ev6_block_C_vector.csv",
                                             dir + "ev6_block_g_amb_vector.csv", desc);
  if (le.ok()) {
    le = thermo::io::load_hotspot_trace(dir + "gcc.ptrace", e.ptrace);
  }
  thermo::io::hotspot_steady steady;
  if (le.ok()) {
    le = thermo::io::load_hotspot_steady(dir + "block_gcc.steady", steady);
  }
  if (!le.ok()) {
    e.error = le.message;
    return e;
  }
  if (desc.size() != cap || !e.net->init(cap, desc.conductance, desc.capacitance, desc.ambient_conductance, 318.15)
                                 .ok()) {
    e.error = "EV6 network";
    return e;
  }
  e.init.assign(cap, 0.0);
  for (std::size_t k = 0; k < steady.names.size(); ++k) {
    if (const auto i = desc.find(steady.names[k])) {
      e.init[*i] = steady.temperatures[k];
    }
  }
  if (!e.net->set_temperatures(e.init).ok()) {
    e.error = "initial state";
  }
  return e;
}

// HotSpot's per-row work: new powers for the 30 blocks, one 10 ms ZOH step, read 30 blocks.
void BM_rc_exact_step_hotspot_ev6(benchmark::State& state) {
  auto e = load_ev6();
  if (!e.error.empty()) {
    state.SkipWithError(e.error.c_str());
    return;
  }
  std::array<std::size_t, 30> blocks{};
  for (std::size_t j = 0; j < blocks.size(); ++j) {
    blocks[j] = j;
  }
  std::array<double, 30> temps{};
  std::size_t r = 0;
  for (auto _ : state) {
    if (!e.net->set_power(blocks, e.ptrace.row(r)).ok()) {
      state.SkipWithError("power");
      break;
    }
    e.net->step(0.01);
    e.net->temperatures(blocks, temps);
    benchmark::DoNotOptimize(temps.data());
    r = r + 1 == e.ptrace.rows() ? 0 : r + 1;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_exact_step_hotspot_ev6);

// The same rows with adaptive RK4 (step doubling, 1e-4 K per step) — HotSpot's method.
void BM_rc_rk4_adaptive_step_hotspot_ev6(benchmark::State& state) {
  auto e = load_ev6();
  if (!e.error.empty()) {
    state.SkipWithError(e.error.c_str());
    return;
  }
  std::vector<double> t = e.init;
  std::vector<double> p(cap, 0.0);
  thermo::rk4_adaptive<double, cap> rk({1e-4, 1e-5, 1e-12, 1'000'000});
  std::size_t r = 0;
  std::uint64_t steps = 0;
  for (auto _ : state) {
    const auto row = e.ptrace.row(r);
    std::copy(row.begin(), row.end(), p.begin());
    const auto s = rk.advance(*e.net, t, p, 0.01);
    if (!s) {
      state.SkipWithError("rk4");
      break;
    }
    steps += s->accepted;
    r = r + 1 == e.ptrace.rows() ? 0 : r + 1;
    benchmark::DoNotOptimize(t.data());
  }
  state.counters["steps_per_row"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kAvgIterations);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_rk4_adaptive_step_hotspot_ev6)->Unit(benchmark::kMillisecond);

// First-crossing search on EV6 (hottest block, +1 K, 10 ms horizon after a power step).
void BM_rc_first_crossing_hotspot_ev6(benchmark::State& state) {
  auto e = load_ev6();
  if (!e.error.empty()) {
    state.SkipWithError(e.error.c_str());
    return;
  }
  std::vector<double> p(cap, 0.0);
  for (std::size_t j = 0; j < 30; ++j) {
    p[j] = 3.0 * e.ptrace.row(0)[j];
  }
  const auto probe = e.net->make_probe(23);
  if (!probe || !e.net->set_power(p).ok()) {
    state.SkipWithError("setup");
    return;
  }
  const double thr = e.net->read(*probe) + 1.0;
  for (auto _ : state) {
    const auto c = e.net->first_crossing(*probe, thr, thermo::crossing_direction::rising, 0.01);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_first_crossing_hotspot_ev6)->Unit(benchmark::kMicrosecond);

// Factorisation (what `init` and a fan change cost): eigen-decomposition + Cholesky, N = 132.
void BM_rc_init_hotspot_ev6(benchmark::State& state) {
  auto e = load_ev6();
  if (!e.error.empty()) {
    state.SkipWithError(e.error.c_str());
    return;
  }
  const double g = e.net->ambient_conductance(131);
  bool fast = false;
  for (auto _ : state) {
    fast = !fast;
    if (!e.net->set_ambient_conductance(131, fast ? 2.0 * g : g).ok()) {
      state.SkipWithError("rebuild");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_rc_init_hotspot_ev6)->Unit(benchmark::kMillisecond);

}  // namespace
