#include <benchmark/benchmark.h>

#include "thermo/core/units.hpp"

static void BM_units_quantity_cast(benchmark::State& state) {
  thermo::watts_f w(1.234F);
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    auto mw = thermo::quantity_cast<thermo::milliwatts>(w);
    benchmark::DoNotOptimize(mw);
  }
}
BENCHMARK(BM_units_quantity_cast);
