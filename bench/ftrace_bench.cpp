// Kernel traces in and out (issue 17): the ftrace text reader (io/ftrace.hpp) streaming a
// generated 6.8-era power-allocator trace, the writer formatting it, and the power-allocator
// audit (analysis/ipa_audit.hpp) re-running its ticks. Goals: read ≥ 500,000 events/s and audit
// ≥ 1,000,000 ticks/s on one core, so that an hour of a 100 ms-polled board (36,000 ticks,
// ~250,000 events) is read and audited in well under a second. Counters: events/s or ticks/s,
// and bytes/s for the reader. Only the Release (bench preset) figures mean anything.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "thermo/analysis/ipa_audit.hpp"
#include "thermo/io/ftrace.hpp"

namespace {

using namespace thermo;

/// `ticks` power-allocator ticks of two actors, 100 ms apart, as 6.8+ logs them: 7 events each.
std::vector<io::ftrace::event> make_events(std::size_t ticks) {
  std::vector<io::ftrace::event> ev;
  ev.reserve(ticks * 7);
  const auto push = [&](std::int64_t t, io::ftrace::payload p) {
    io::ftrace::event e;
    e.time_ns = t;
    e.task = "kworker/0:1";
    e.pid = 42;
    e.cpu = 0;
    e.data = std::move(p);
    ev.push_back(std::move(e));
  };
  for (std::size_t k = 0; k < ticks; ++k) {
    const auto t = static_cast<std::int64_t>(k) * 100'000'000;
    const std::int32_t temp = 74000 + static_cast<std::int32_t>(k % 2000);
    push(t, io::ftrace::thermal_temperature{"cpu-thermal", 0, temp - 1, temp});
    push(t + 1000, io::ftrace::power_allocator_pid{0, 75000 - temp, 0, 317 * (75000 - temp) / 1024, 0, 0, 1550});
    push(t + 2000, io::ftrace::cdev_update{"cpufreq-cpu4", 3});
    push(t + 2001, io::ftrace::power_actor{0, 0, 1800, 1100});
    push(t + 3000, io::ftrace::cdev_update{"cpufreq-cpu0", 1});
    push(t + 3001, io::ftrace::power_actor{0, 1, 600, 450});
    io::ftrace::power_allocator al;
    al.total_req_power = 2400;
    al.total_granted_power = 1550;
    al.power_range = 1550;
    al.max_allocatable_power = 2976;
    al.current_temperature = temp;
    al.delta_temperature = 75000 - temp;
    push(t + 4000, al);
  }
  return ev;
}

std::string make_text(std::size_t ticks) {
  std::string text;
  for (const io::ftrace::event& e : make_events(ticks)) {
    text += io::ftrace::format(e);
    text += '\n';
  }
  return text;
}

void ftrace_read(benchmark::State& state) {
  const std::string text = make_text(static_cast<std::size_t>(state.range(0)));
  std::size_t events = 0;
  for (auto _ : state) {
    std::istringstream in(text);
    io::ftrace::reader r(in, "bench.txt");
    std::size_t n = 0;
    while (auto e = r.next()) {
      benchmark::DoNotOptimize(e->time_ns);
      ++n;
    }
    if (!r.error().ok()) {
      state.SkipWithError("read failed");
      return;
    }
    events += n;
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.SetBytesProcessed(static_cast<std::int64_t>(text.size()) * state.iterations());
}
BENCHMARK(ftrace_read)->Arg(36'000)->Unit(benchmark::kMillisecond);

void ftrace_format(benchmark::State& state) {
  const std::vector<io::ftrace::event> ev = make_events(static_cast<std::size_t>(state.range(0)));
  std::size_t events = 0;
  for (auto _ : state) {
    std::size_t bytes = 0;
    for (const io::ftrace::event& e : ev) {
      bytes += io::ftrace::format(e).size();
    }
    benchmark::DoNotOptimize(bytes);
    events += ev.size();
  }
  state.counters["events/s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(ftrace_format)->Arg(36'000)->Unit(benchmark::kMillisecond);

void ipa_audit_run(benchmark::State& state) {
  namespace ia = analysis::ipa_audit;
  std::vector<ia::logged_tick> ticks;
  for (const io::ftrace::event& e : make_events(static_cast<std::size_t>(state.range(0)))) {
    if (const auto* a = std::get_if<io::ftrace::power_allocator>(&e.data)) {
      ia::logged_tick t;
      t.time_ns = e.time_ns;
      t.current_temperature = a->current_temperature;
      t.delta_temperature = a->delta_temperature;
      t.err = a->delta_temperature;
      t.output = 1550;
      t.actors = {{1800, 1100, 0}, {600, 450, 0}};
      t.max_allocatable_power = a->max_allocatable_power;
      ticks.push_back(std::move(t));
    }
  }
  std::size_t done = 0;
  for (auto _ : state) {
    ia::parameters prm;
    prm.sustainable_power.set(1550, ia::source::option);
    prm.k_pu.set(317, ia::source::option);
    prm.k_po.set(158, ia::source::option);
    prm.k_i.set(31, ia::source::option);
    prm.max_power.resize(2);
    prm.max_power[0].set(2260, ia::source::option);
    prm.max_power[1].set(716, ia::source::option);
    ia::resolve(prm, ticks);
    const ia::report r = ia::run(ticks, prm);
    benchmark::DoNotOptimize(r.identical);
    done += r.ticks.size();
  }
  state.counters["ticks/s"] = benchmark::Counter(static_cast<double>(done), benchmark::Counter::kIsRate);
}
BENCHMARK(ipa_audit_run)->Arg(36'000)->Unit(benchmark::kMillisecond);

}  // namespace
