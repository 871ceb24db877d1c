// What sharing a plant's factorisation saves a sweep (simulation::export_plant / use_plant,
// docs/adr/0005-shared-plant.md). Each iteration is one sweep point from nothing: the
// simulation allocated, set up, started (fresh: factorising its networks; shared: copying
// them from a shared_plant made once) and run; metrics on, no trace.
//
// * `BM_point_rk3399_pa/<shared>`: examples/scenarios/rk3399-big-cores-flat-out.scn as the
//   `thermo simulate` command builds it (its capacities, `cli_limits`): the 5-node RK3399 board at
//   35 °C, two power-allocator zones, both A72 cores flat out, 40 °C after five minutes, ten
//   simulated minutes.
// * `BM_point_grid/<shared>`: a 1,026-node plant (a 32×32 die grid on a spreader and a board), one
//   step_wise zone, a 4-core domain flat out, ten simulated minutes: where the O(N³) set-up is
//   large. `BM_start_grid/<shared>`: its set-up and start alone.
//
//   build/bench/bench/thermo_bench --benchmark_filter='BM_(point|start)_' --benchmark_repetitions=5
//       --benchmark_report_aggregates_only=true   (one command line)
#include <benchmark/benchmark.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "sim_bundle.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "thermo/workload/synthetic.hpp"

namespace {

using namespace std::chrono_literals;

void need(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "shared_plant_bench: %s failed\n", what);
    std::abort();
  }
}

// ---------------------------------------------------------------- the RK3399 scenario

// The capacities of `thermo simulate` (tools/thermo/sim_bundle.hpp; bench/CMakeLists.txt puts
// tools/thermo on the include path for the sweep benchmark).
using cli_like_limits = thermo::cli::cli_limits;
using rk_sim = thermo::sim::simulation<cli_like_limits>;

struct rk_point {
  std::unique_ptr<rk_sim> sim = std::make_unique<rk_sim>();
  thermo::control::power_allocator<32> cpu_gov;
  thermo::control::power_allocator<32> gpu_gov;
  std::unique_ptr<thermo::workload::constant_demand<8>> big;

  explicit rk_point(const thermo::sim::shared_plant<cli_like_limits>* shared) {
    using namespace thermo;
    rk_sim::builder_type b;
    need(sim::rk3399_board(b, 35.0).ok() && sim->set_plant(b).ok(), "plant");
    sim->set_node_names(sim::rk3399_node_names);
    sensor_params sp;
    sp.resolution = millikelvin_delta(1000);
    static constexpr std::array<weighted_node<double>, 1> big_probe{{{0, 1.0}}};
    static constexpr std::array<weighted_node<double>, 1> gpu_probe{{{2, 1.0}}};
    const auto s0 = sim->add_sensor({"tsadc0", big_probe, sp});
    const auto s1 = sim->add_sensor({"tsadc1", gpu_probe, sp});
    need(s0 && s1, "sensors");
    static constexpr std::array<std::size_t, 2> cluster_nodes{1, 0};  // little, big
    static constexpr std::array<std::size_t, 1> gpu_nodes{2};
    const std::array<std::size_t, 2> sensors{*s0, *s1};
    const std::array<control::governor_ref, 2> govs{control::governor_ref(cpu_gov), control::governor_ref(gpu_gov)};
    auto parts = sim::add_soc(*sim, presets::rk3399, {cluster_nodes, gpu_nodes, sensors, govs, {}});
    need(parts.has_value(), "add_soc");
    auto w = workload::constant_demand<8>::make(parts->cluster_domain[1], 2, 1.0);
    need(w.has_value(), "workload");
    big = std::make_unique<workload::constant_demand<8>>(*w);
    need(sim->add_workload(*big).has_value(), "add_workload");
    need(sim->add_event(sim::scenario_event::ambient(sim_time{5min}, 40.0)).ok(), "event");
    need(sim->use_plant(shared).ok() && sim->start().ok(), "start");
  }
};

// ---------------------------------------------------------------- a 1,026-node plant

constexpr std::size_t grid_side = 32;
struct grid_limits : thermo::sim::default_limits {
  static constexpr std::size_t nodes = grid_side * grid_side + 2;
  static constexpr std::size_t edges = 2 * grid_side * (grid_side - 1) + grid_side * grid_side + 1;
  static constexpr std::size_t domains = 1;
  static constexpr std::size_t sensors = 1;
  static constexpr std::size_t zones = 1;
  static constexpr std::size_t cooling_devices = 1;
  static constexpr std::size_t fans = 1;
  static constexpr std::size_t networks = 1;
  static constexpr std::size_t workloads = 1;
  static constexpr std::size_t crossings = 64;
};
using grid_sim = thermo::sim::simulation<grid_limits>;

constexpr std::array<thermo::control::thermal_trip, 2> grid_trips{{
    {thermo::millicelsius(40'000), thermo::millikelvin_delta(2'000), thermo::control::trip_type::passive},
    {thermo::millicelsius(110'000), thermo::millikelvin_delta(0), thermo::control::trip_type::critical},
}};
constexpr std::array<thermo::power::opp, 4> grid_opps{{
    {thermo::kilohertz(500'000), thermo::microvolts(800'000), thermo::microwatts(0)},
    {thermo::kilohertz(1'000'000), thermo::microvolts(900'000), thermo::microwatts(0)},
    {thermo::kilohertz(1'500'000), thermo::microvolts(1'000'000), thermo::microwatts(0)},
    {thermo::kilohertz(2'000'000), thermo::microvolts(1'100'000), thermo::microwatts(0)},
}};

// The die cells (0 .. 1023, 1 mm² each), a spreader (1024) and the board (1025, to ambient).
grid_sim::builder_type grid_plant() {
  grid_sim::builder_type b;
  for (std::size_t i = 0; i < grid_side * grid_side; ++i) {
    need(b.add_node(0.002).has_value(), "grid node");
  }
  const auto spreader = b.add_node(2.0);
  const auto board = b.add_node(20.0, 0.3);
  need(spreader && board, "grid sink");
  for (std::size_t r = 0; r < grid_side; ++r) {
    for (std::size_t c = 0; c < grid_side; ++c) {
      const std::size_t i = r * grid_side + c;
      if (c + 1 < grid_side) {
        need(b.connect(i, i + 1, 0.15).ok(), "grid edge");
      }
      if (r + 1 < grid_side) {
        need(b.connect(i, i + grid_side, 0.15).ok(), "grid edge");
      }
      need(b.connect(i, *spreader, 0.004).ok(), "grid to spreader");
    }
  }
  need(b.connect(*spreader, *board, 2.0).ok() && b.set_ambient(25.0).ok(), "grid board");
  return b;
}

struct grid_point {
  std::unique_ptr<grid_sim> sim = std::make_unique<grid_sim>();
  thermo::control::step_wise<> gov;
  std::unique_ptr<thermo::workload::constant_demand<4>> load;

  grid_point(const grid_sim::builder_type& b, const thermo::sim::shared_plant<grid_limits>* shared) {
    using namespace thermo;
    need(sim->set_plant(b).ok(), "grid plant");
    static constexpr std::array<sim::heat_share, 4> heat{{{16 * grid_side + 8, 1.0}, {16 * grid_side + 9, 1.0},
                                                          {17 * grid_side + 8, 1.0}, {17 * grid_side + 9, 1.0}}};
    sim::domain_config d;
    d.power.name = "cpu";
    d.power.opps = grid_opps;
    d.power.dynamic_power_coefficient = 400.0;
    d.power.cores = 4;
    d.heat = heat;
    const auto dom = sim->add_domain(d);
    static constexpr std::array<weighted_node<double>, 1> probe{{{16 * grid_side + 8, 1.0}}};
    const auto s = sim->add_sensor({"die", probe, {}});
    need(dom && s, "grid domain and sensor");
    const auto c = sim->add_cpufreq_cooling(*dom, "cpufreq-cpu0");
    need(c.has_value(), "grid cooling");
    sim::zone_setup zs;
    zs.config.type = "cpu-thermal";
    zs.config.polling_delay = 1000ms;
    zs.config.passive_delay = 100ms;
    zs.trips = grid_trips;
    zs.sensor = *s;
    zs.governor = control::governor_ref(gov);
    const auto z = sim->add_zone(zs);
    need(z && sim->bind(*z, 0, *c), "grid zone");
    auto w = workload::constant_demand<4>::make(*dom, 4, 1.0);
    need(w.has_value(), "grid workload");
    load = std::make_unique<workload::constant_demand<4>>(*w);
    need(sim->add_workload(*load).has_value(), "grid add_workload");
    need(sim->use_plant(shared).ok() && sim->start().ok(), "grid start");
  }
};

constexpr thermo::sim_time ten_minutes{std::chrono::minutes(10)};

// ---------------------------------------------------------------- benchmarks

void BM_point_rk3399_pa(benchmark::State& state) {
  const bool shared = state.range(0) != 0;
  auto plant = std::make_unique<thermo::sim::shared_plant<cli_like_limits>>();
  {
    rk_point first(nullptr);
    need(first.sim->export_plant(*plant).ok(), "export");
  }
  std::uint64_t factorised = 0;
  for (auto _ : state) {
    rk_point p(shared ? plant.get() : nullptr);
    p.sim->run_until(ten_minutes);
    benchmark::DoNotOptimize(p.sim->metrics().zones[0].peak_c);
    factorised += p.sim->networks_factorised();
  }
  state.counters["factorised_per_point"] = static_cast<double>(factorised) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_point_rk3399_pa)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

void BM_point_grid(benchmark::State& state) {
  const bool shared = state.range(0) != 0;
  const auto b = std::make_unique<grid_sim::builder_type>(grid_plant());
  auto plant = std::make_unique<thermo::sim::shared_plant<grid_limits>>();
  if (shared) {
    grid_point first(*b, nullptr);
    need(first.sim->export_plant(*plant).ok(), "grid export");
  }
  for (auto _ : state) {
    grid_point p(*b, shared ? plant.get() : nullptr);
    p.sim->run_until(ten_minutes);
    benchmark::DoNotOptimize(p.sim->metrics().zones[0].peak_c);
    state.counters["events"] = static_cast<double>(p.sim->metrics().events);
  }
}
BENCHMARK(BM_point_grid)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_start_grid(benchmark::State& state) {
  const bool shared = state.range(0) != 0;
  const auto b = std::make_unique<grid_sim::builder_type>(grid_plant());
  auto plant = std::make_unique<thermo::sim::shared_plant<grid_limits>>();
  if (shared) {
    grid_point first(*b, nullptr);
    need(first.sim->export_plant(*plant).ok(), "grid export");
  }
  for (auto _ : state) {
    grid_point p(*b, shared ? plant.get() : nullptr);
    benchmark::DoNotOptimize(p.sim->temperature(0));
  }
}
BENCHMARK(BM_start_grid)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
