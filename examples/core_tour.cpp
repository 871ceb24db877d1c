// A tour of thermo/core: units, errors as values, static_vector, the kernel's Q10 fixed point
// and the portable PRNG. docs/reference/core.md and docs/explanation/units.md quote the regions
// between `// [name]` markers (tools/doc_snippets.py); tests/core/extra.cmake runs this program
// and compares its output with tests/core/core_tour.expected.
#include <array>
#include <cstdint>
#include <cstdio>
#include <span>
#include <string_view>

#include "example_cli.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/fixed_point.hpp"
#include "thermo/core/prng.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace {

using namespace thermo::literals;

void units() {
  // [units-affine]
  const thermo::millicelsius trip = 85'000_mC;                // an absolute temperature (a point)
  const thermo::millikelvin_delta hyst = 2'000_mK;            // a temperature difference
  const thermo::millicelsius release = trip - hyst;           // point − delta → point: 83 °C
  const thermo::millikelvin_delta margin = trip - 71'500_mC;  // point − point → delta: 13.5 K
  // trip + trip does not compile: adding two absolute temperatures means nothing.
  // [units-affine]

  // [units-arithmetic]
  const thermo::milliwatts cpu = 1500_mW;
  const thermo::milliwatts total = cpu + 750_mW;  // same unit: fine
  // cpu + 2'400'000_kHz does not compile, nor does `thermo::milliwatts p = 1500;`.
  // [units-arithmetic]

  // [units-cast]
  // Changing units is explicit and follows std::chrono's rule (multiply first, divide last,
  // truncate toward zero): 1.5 W is 1500 mW, not 1000.
  const auto from_model = thermo::quantity_cast<thermo::milliwatts>(thermo::watts_f(1.5F));
  const auto mhz = thermo::quantity_cast<thermo::megahertz>(1'799'999_kHz);  // 1799 MHz
  // [units-cast]

  // [units-model]
  // The model half works in floating °C; the kernel reads rounded integer m°C.
  const thermo::millicelsius sensed = thermo::to_millicelsius(thermo::celsius<double>(71.2346));
  // [units-model]
  std::printf(
      "release %lld mC, margin %lld mK, total %lld mW, %lld mW from 1.5 W, %llu MHz, sensed %lld "
      "mC\n",
      static_cast<long long>(release.count()), static_cast<long long>(margin.count()),
      static_cast<long long>(total.count()), static_cast<long long>(from_model.count()),
      static_cast<unsigned long long>(mhz.count()), static_cast<long long>(sensed.count()));
}

// [result]
// A function that can fail returns result<T>: the value, or an errc saying what went wrong.
thermo::result<thermo::millikelvin_delta> headroom(thermo::millicelsius now,
                                                   thermo::millicelsius trip) {
  if (now == thermo::millicelsius::invalid()) {
    return thermo::errc::hardware_fault;  // implicit from errc
  }
  if (now >= trip) {
    return thermo::errc::out_of_range;
  }
  return trip - now;  // implicit from the value
}

// An error that must say *which* input is wrong carries a static message and indices.
thermo::result<double, thermo::error> total_capacitance(std::span<const double> c) {
  double total = 0.0;
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (!(c[i] > 0.0)) {  // also rejects NaN
      return thermo::error{thermo::errc::non_positive, "capacitance", static_cast<std::int32_t>(i)};
    }
    total += c[i];
  }
  return total;
}
// [result]

void errors() {
  // [result-use]
  const auto h = headroom(80'000_mC, 85'000_mC);
  if (h) {
    std::printf("headroom %lld mK\n", static_cast<long long>(h->count()));
  }
  const auto over = headroom(90'000_mC, 85'000_mC);
  if (!over) {
    const std::string_view why = thermo::to_string(over.error());
    std::printf("no headroom: %.*s\n", static_cast<int>(why.size()), why.data());
  }
  const std::array<double, 3> caps = {0.5, 2.0, -1.0};
  const auto c = total_capacitance(caps);
  if (!c) {
    const std::string_view why = thermo::to_string(c.error().code);
    std::printf("bad %s at node %lld: %.*s\n", c.error().what,
                static_cast<long long>(c.error().index), static_cast<int>(why.size()), why.data());
  }
  // [result-use]
}

void containers() {
  // [static_vector]
  thermo::static_vector<thermo::millicelsius, 4> trips;  // room for 4, in the object: no heap
  for (const auto t : {65'000_mC, 75'000_mC, 95'000_mC, 105'000_mC, 115'000_mC}) {
    if (trips.push_back(t) == thermo::errc::capacity_exceeded) {
      std::printf("trip %lld mC refused: capacity %zu\n", static_cast<long long>(t.count()),
                  trips.capacity());
    }
  }
  trips.erase(0);                             // keeps the order of the others
  THERMO_ASSERT(trips.front() == 75'000_mC);  // a precondition check (trap by default)
  const std::span<const thermo::millicelsius> view = trips.span();  // "any capacity" parameter
  // [static_vector]
  std::printf("%zu trips, first %lld mC\n", view.size(), static_cast<long long>(view[0].count()));
}

void fixed_point() {
  // [fixed-point]
  // The power allocator's PID step in Q10 (10 fractional bits), exactly as Linux computes it:
  // HiKey960, sustainable power 4500 mW, control temperature 75 °C, now 76 °C.
  const std::uint32_t k_po = thermo::int_to_frac(4500U) / 10'000U;  // 460
  const std::int64_t err = thermo::int_to_frac(std::int64_t{75'000 - 76'000});
  const std::int64_t p = thermo::mul_frac(k_po, err);  // (460 · −1024000) >> 10 = −460000
  const std::int64_t i = thermo::mul_frac(92, err);    // first integral step: −92000
  // from_frac floors: −552000 / 1024 = −539.06 → −540, so the range is 3960 mW.
  const std::int64_t power_range = 4500 + thermo::frac_to_int(p + i);

  // Dividing it between two actors with weighted requests 980 and 3142 mW rounds to closest.
  const std::uint64_t granted = thermo::div_round_closest_ull(980U * 3960U, 980U + 3142U);
  // [fixed-point]
  std::printf("power_range %lld mW, little cluster granted %llu mW\n",
              static_cast<long long>(power_range), static_cast<unsigned long long>(granted));
}

void random_numbers() {
  // [prng]
  thermo::prng rng(2026);  // xoshiro256**, seeded through SplitMix64: same seed, same numbers
  const int die = thermo::uniform_int(rng, 1, 6);         // no modulo bias
  const double u = thermo::uniform_real(rng);             // [0, 1), 53 random bits
  thermo::normal_distribution<double> noise(0.0, 250.0);  // sensor noise, m°C
  const auto reading = 71'500_mC + thermo::millikelvin_delta(static_cast<std::int32_t>(noise(rng)));

  thermo::prng worker = rng;  // an independent stream for a parallel run:
  worker.jump();              // 2^128 outputs further on
  // [prng]
  std::printf("die %d, u %.6f, reading %lld mC, worker %llu\n", die, u,
              static_cast<long long>(reading.count()),
              static_cast<unsigned long long>(worker() >> 40U));
}

void time_is_chrono() {
  // [time]
  const thermo::milliseconds polling(250);     // kernel delays are std::chrono durations
  const thermo::sim_duration t = polling * 3;  // lengths of simulated time: int64 nanoseconds
  const thermo::sim_time due{t};               // an instant: 750 ms after the start of the clock
  const thermo::sim_time next = due + polling;  // instant + duration → instant
  const double s = thermo::to_seconds(next - due);  // instant − instant → duration: 0.25 s
  // [time]
  std::printf("%lld ns = %.2f s; next poll at %.2f s\n", static_cast<long long>(t.count()),
              thermo::to_seconds(t), thermo::to_seconds(next));
  static_cast<void>(s);
}

constexpr std::string_view usage_text =
    "usage: core_tour\n"
    "A tour of thermo/core: units, errors as values, static_vector, the kernel's Q10 fixed\n"
    "point and the portable PRNG. No options.\n";

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  if (argc > 1) {
    return example_cli::bad_usage("core_tour", example_cli::unknown_argument(argv[1]),
                                  usage_text);
  }
  units();
  errors();
  containers();
  fixed_point();
  random_numbers();
  time_is_chrono();
  return 0;
}
