// Speed of the whole simulation: an RK3399 board (5-node plant, reference_plants.hpp) with the
// preset's two zones under the power allocator (100 ms passive polling), an inference workload
// on the big cluster (MobileNet V1 quant under TVM, two threads, back to back), light load on
// the LITTLE cluster and the GPU, and a 10 ms trace kept in memory. The counter
// `realtime_factor` is simulated seconds per wall second (goal ≥ 100 000).
//
// Also: the same scenario in fixed-step mode (RK4 and exact steps) at the step that gives the
// same accuracy as the event-driven run (peak temperature within 0.01 °C, same trip decisions).
//
//   build/<rel>/bench/thermo_bench --benchmark_filter=BM_sim --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include <sys/resource.h>

#include <streambuf>

#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/io/run_plot.hpp"
#include "thermo/io/trace.hpp"
#include "thermo/presets/inference.hpp"
#include "thermo/presets/rk3399.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "thermo/workload/inference.hpp"
#include "thermo/workload/synthetic.hpp"

namespace {

using namespace std::chrono_literals;

struct rk_limits : thermo::sim::default_limits {
  static constexpr std::size_t nodes = 5;
  static constexpr std::size_t edges = 8;
  static constexpr std::size_t domains = 3;
  static constexpr std::size_t cores = 4;
  static constexpr std::size_t opps = 8;
  static constexpr std::size_t sensors = 2;
  static constexpr std::size_t zones = 2;
  static constexpr std::size_t trips = 4;
  static constexpr std::size_t instances = 4;
  static constexpr std::size_t cooling_devices = 3;
  static constexpr std::size_t fans = 1;
  static constexpr std::size_t networks = 1;
  static constexpr std::size_t workloads = 3;
  static constexpr std::size_t scenario_events = 4;
  static constexpr std::size_t crossings = 64;
  static constexpr std::size_t channels = 1;
};
using rk_sim = thermo::sim::simulation<rk_limits>;
using inference_type = thermo::workload::inference<2, 256, 64>;

// Everything one run needs, built before the timed part.
struct scenario {
  std::unique_ptr<rk_sim> sim = std::make_unique<rk_sim>();
  thermo::control::power_allocator<4> cpu_gov;
  thermo::control::power_allocator<4> gpu_gov;
  std::unique_ptr<inference_type> inference;
  std::unique_ptr<thermo::workload::constant_demand<4>> little;
  std::unique_ptr<thermo::workload::constant_demand<4>> gpu;
  thermo::sim::recorder rec;

  scenario(thermo::sim::sim_options opt, std::size_t rows) : rec(rows) {
    using namespace thermo;
    rk_sim::builder_type b;
    if (!sim::rk3399_board(b).ok() || !sim->set_plant(b).ok()) {
      std::abort();
    }
    sim->set_node_names(sim::rk3399_node_names);
    const std::array<double, 5> warm{68.0, 67.0, 67.0, 66.0, 62.0};
    if (!sim->set_initial_temperatures(warm).ok() || !sim->set_options(opt).ok()) {
      std::abort();
    }
    const std::array<weighted_node<double>, 2> cpu_probe{{{0, 0.7}, {1, 0.3}}};
    const std::array<weighted_node<double>, 1> gpu_probe{{{2, 1.0}}};
    sensor_params sp;
    sp.resolution = millikelvin_delta(100);
    const auto s_cpu = sim->add_sensor({"cpu", cpu_probe, sp});
    const auto s_gpu = sim->add_sensor({"gpu", gpu_probe, sp});
    const std::array<std::size_t, 2> clusters{0, 1};  // little → node 1, big → node 0
    const std::array<std::size_t, 2> cluster_nodes{1, 0};
    const std::array<std::size_t, 1> gpu_nodes{2};
    const std::array<std::size_t, 2> sensors{*s_cpu, *s_gpu};
    const std::array<control::governor_ref, 2> govs{control::governor_ref(cpu_gov), control::governor_ref(gpu_gov)};
    static_cast<void>(clusters);
    auto parts = sim::add_soc(*sim, presets::rk3399, {cluster_nodes, gpu_nodes, sensors, govs, {}});
    if (!parts) {
      std::fprintf(stderr, "add_soc: %s\n", parts.error().what);
      std::abort();
    }
    const std::size_t big = parts->cluster_domain[1];
    auto work = presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tvm, "arm,cortex-a72", 2);
    if (!work) {
      std::abort();
    }
    workload::inference_config ic;
    ic.domain = big;
    ic.work = *work;
    auto inf = inference_type::make(ic);
    if (!inf) {
      std::abort();
    }
    inference = std::make_unique<inference_type>(*inf);
    little = std::make_unique<workload::constant_demand<4>>(*workload::constant_demand<4>::make(parts->cluster_domain[0], 4, 0.15));
    gpu = std::make_unique<workload::constant_demand<4>>(*workload::constant_demand<4>::make(parts->device_domain[0], 1, 0.3));
    if (!sim->add_workload(*inference) || !sim->add_workload(*little) || !sim->add_workload(*gpu)) {
      std::abort();
    }
    sim->set_recorder(&rec);
    if (!sim->start().ok()) {
      std::abort();
    }
  }
};

constexpr auto simulated = std::chrono::seconds(60);

// The event-driven run's CPU-zone temperature at every 10 ms sample: the exact reference the
// fixed-step runs are measured against (computed once, outside the timings).
const std::vector<double>& reference_trace() {
  static const std::vector<double> trace = [] {
    scenario sc({}, 7000);
    sc.sim->run_until(thermo::sim_time{simulated});
    return sc.rec.column(sc.rec.find("sensed_cpu"));
  }();
  return trace;
}

void run_bench(benchmark::State& state, thermo::sim::sim_options opt, bool compare = false) {
  double sim_seconds = 0.0;
  std::uint64_t events = 0;
  double peak = 0.0;
  double error = 0.0;
  for (auto _ : state) {
    state.PauseTiming();
    auto sc = std::make_unique<scenario>(opt, 7000);
    state.ResumeTiming();
    sc->sim->run_until(thermo::sim_time{simulated});
    state.PauseTiming();
    benchmark::DoNotOptimize(sc->rec.rows());
    sim_seconds += std::chrono::duration<double>(simulated).count();
    const auto m = sc->sim->metrics();
    events += m.events;
    peak = m.zones[0].peak_c;
    if (compare) {
      const auto& ref = reference_trace();
      const auto mine = sc->rec.column(sc->rec.find("sensed_cpu"));
      error = 0.0;
      for (std::size_t k = 0; k < std::min(ref.size(), mine.size()); ++k) {
        error = std::max(error, std::fabs(ref[k] - mine[k]));
      }
    }
    sc.reset();
    state.ResumeTiming();
  }
  state.counters["realtime_factor"] = benchmark::Counter(sim_seconds, benchmark::Counter::kIsRate);
  state.counters["events_per_sim_s"] = static_cast<double>(events) / sim_seconds;
  state.counters["peak_C"] = peak;
  if (compare) {
    state.counters["max_error_C"] = error;  // vs the event-driven run, over the 10 ms samples
  }
}

// The benchmark of issue 6: everything on (10 ms trace in memory, crossing metrics).
void BM_sim_rk3399_power_allocator(benchmark::State& state) { run_bench(state, {}); }
BENCHMARK(BM_sim_rk3399_power_allocator)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same without the crossing metrics (observers), and without the trace: what they cost.
void BM_sim_rk3399_power_allocator_no_crossing_metrics(benchmark::State& state) {
  thermo::sim::sim_options o;
  o.track_crossings = false;
  run_bench(state, o);
}
BENCHMARK(BM_sim_rk3399_power_allocator_no_crossing_metrics)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_sim_rk3399_power_allocator_no_trace(benchmark::State& state) {
  thermo::sim::sim_options o;
  o.record_interval = {};
  run_bench(state, o);
}
BENCHMARK(BM_sim_rk3399_power_allocator_no_trace)->Unit(benchmark::kMillisecond)->UseRealTime();

// Fixed-step references (argument: step in µs); `max_error_C` is their distance from the exact run.
void BM_sim_rk3399_fixed_step_rk4(benchmark::State& state) {
  thermo::sim::sim_options o;
  o.mode = thermo::sim::time_mode::fixed_step;
  o.integrator = thermo::sim::fixed_step_integrator::rk4;
  o.fixed_step = std::chrono::microseconds(state.range(0));
  run_bench(state, o, true);
}
BENCHMARK(BM_sim_rk3399_fixed_step_rk4)->Arg(10000)->Arg(1000)->Arg(100)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_sim_rk3399_fixed_step_exact(benchmark::State& state) {
  thermo::sim::sim_options o;
  o.mode = thermo::sim::time_mode::fixed_step;
  o.integrator = thermo::sim::fixed_step_integrator::exact;
  o.fixed_step = std::chrono::microseconds(state.range(0));
  run_bench(state, o, true);
}
BENCHMARK(BM_sim_rk3399_fixed_step_exact)->Arg(10000)->Arg(1000)->Arg(100)->Arg(10)->Unit(benchmark::kMillisecond)->UseRealTime();

// Memory does not grow with the run (issue 15): a 24 h run with 10 ms rows — 8.64 million rows
// — streamed in 4096-row blocks through the CSV writer (into a stream that counts and drops
// the bytes) and the decimating plot builder, as `thermo simulate` does. Goal: peak RSS ≤ 64 MB.
// `peak_rss_MB` is the process's high-water mark (getrusage), so run this benchmark alone:
//   thermo_bench --benchmark_filter=BM_sim_rk3399_day_streamed
class counting_buf final : public std::streambuf {
 public:
  std::uint64_t bytes{0};

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    bytes += static_cast<std::uint64_t>(n);
    return n;
  }
  int_type overflow(int_type ch) override {
    ++bytes;
    return traits_type::not_eof(ch);
  }
};

void BM_sim_rk3399_day_streamed(benchmark::State& state) {
  constexpr auto day = std::chrono::hours(24);
  std::uint64_t rows = 0;
  std::uint64_t bytes = 0;
  std::size_t svg = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto sc = std::make_unique<scenario>(thermo::sim::sim_options{}, 4096);
    counting_buf buf;
    std::ostream out(&buf);
    thermo::io::csv_trace_writer csv(out);
    thermo::io::run_plot_builder plot({}, 0.0, std::chrono::duration<double>(day).count());
    thermo::io::trace_tee tee({&csv, &plot});
    sc->rec.set_sink(&tee);
    state.ResumeTiming();
    sc->sim->run_until(thermo::sim_time{day});
    sc->rec.flush();
    svg = plot.figure({}).render().size();
    state.PauseTiming();
    rows = sc->rec.total_rows();
    bytes = buf.bytes;
    sc.reset();
    state.ResumeTiming();
  }
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  state.counters["rows"] = static_cast<double>(rows);
  state.counters["csv_MB"] = static_cast<double>(bytes) / 1e6;
  state.counters["svg_kB"] = static_cast<double>(svg) / 1e3;
  state.counters["peak_rss_MB"] = static_cast<double>(ru.ru_maxrss) / 1024.0;
  state.counters["realtime_factor"] =
      benchmark::Counter(std::chrono::duration<double>(day).count() * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_sim_rk3399_day_streamed)->Unit(benchmark::kSecond)->UseRealTime()->Iterations(1);

}  // namespace
