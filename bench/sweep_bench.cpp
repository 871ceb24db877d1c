// `thermo sweep`'s runner (tools/thermo/sweep_runner.hpp) on the issue-16 goal: 1,000 points ×
// 10 simulated minutes of examples/scenarios/rk3399-big-cores-flat-out.scn (power allocator),
// metrics on, no trace (record_interval = 0: only event rows, hashed), on 2 threads. Goal:
// ≤ 10 s wall on a 2-core machine. Counters: points, cpu_s (the process's user + system CPU
// time over all threads), factorised (points that factorised their plant; the others copied
// the shared one). Only the Release (bench preset) figures mean anything.
#include <benchmark/benchmark.h>

#include <sys/resource.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "sweep_runner.hpp"

namespace {

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

void sweep_rk3399_power_allocator(benchmark::State& state) {
  using namespace thermo::cli;
  const std::string path = std::string(THERMO_SOURCE_DIR) + "/examples/scenarios/rk3399-big-cores-flat-out.scn";
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto n = static_cast<std::size_t>(state.range(0));
  std::vector<sweep::axis> axes;
  // sustainable power in whole mW (the key is an integer): 2 mW steps from 1000 mW
  const std::string power = "zone.cpu-thermal.sustainable_power=1000:" + std::to_string(1000 + 2 * (n - 1)) + ":" + std::to_string(n);
  for (const std::string& spec : {std::string("run.record_interval=0"), power}) {
    axes.push_back(*sweep::parse_axis(spec));
  }
  auto tmpl = sweep::scenario_template::make(ss.str(), axes);
  auto pts = sweep::make_points(axes, sweep::design::cross);
  if (!tmpl || !pts) {
    state.SkipWithError("cannot set up the study");
    return;
  }
  const sweep::study st{path, axes, std::move(*tmpl), std::move(*pts)};
  std::vector<std::size_t> todo(n);
  for (std::size_t i = 0; i < n; ++i) {
    todo[i] = i;
  }
  double cpu = 0.0;
  std::size_t factorised = 0;
  for (auto _ : state) {
    std::vector<sweep::result_row> rows(n);
    sweep::source_cache sources;
    sweep::plant_cache plants;
    const double c0 = process_cpu_seconds();
    sweep::run_points(st, todo, 2, rows, sources, plants);
    cpu += process_cpu_seconds() - c0;
    factorised += plants.factorised.load();
    for (const auto& r : rows) {
      if (r.status != "ok") {
        state.SkipWithError(r.status.c_str());
        return;
      }
    }
    benchmark::DoNotOptimize(rows.data());
  }
  const auto iters = static_cast<double>(state.iterations());
  state.counters["points"] = static_cast<double>(n);
  state.counters["cpu_s"] = cpu / iters;
  state.counters["factorised"] = static_cast<double>(factorised) / iters;
}

}  // namespace

BENCHMARK(sweep_rk3399_power_allocator)->Arg(20)->Arg(1000)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);
