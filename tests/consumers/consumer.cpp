// The program every consumer project builds: a little of each core header, checked, so that a
// broken package fails to compile, link or run. Exit status 0 means every check held.
#include <cstdio>

#include "thermo/core/fixed_point.hpp"
#include "thermo/core/prng.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/units.hpp"

namespace {

using namespace thermo::literals;

thermo::result<thermo::millikelvin_delta> headroom(thermo::millicelsius now,
                                                   thermo::millicelsius trip) {
  if (now >= trip) {
    return thermo::errc::out_of_range;
  }
  return trip - now;
}

}  // namespace

int main() {
  int failures = 0;
  const auto check = [&failures](bool ok, const char* what) {
    if (!ok) {
      std::printf("FAILED: %s\n", what);
      ++failures;
    }
  };

  const auto h = headroom(71'500_mC, 75'000_mC);
  check(h.has_value() && h->count() == 3'500, "headroom below the trip");
  check(!headroom(80'000_mC, 75'000_mC), "no headroom above the trip");

  // The power allocator's proportional term for 1 °C over target, in Q10.
  const std::int64_t p = thermo::mul_frac(460, thermo::int_to_frac(std::int64_t{-1000}));
  check(p == -460'000, "Q10 proportional term");

  thermo::static_vector<thermo::milliwatts, 4> budgets;
  check(budgets.push_back(1500_mW) == thermo::errc::ok, "static_vector push_back");

  thermo::prng rng(2026);
  const auto die = thermo::uniform_int(rng, 1, 6);
  check(die >= 1 && die <= 6, "uniform_int in range");

  // int32_t is `long` on arm-none-eabi: widen explicitly for printf.
  std::printf("thermo consumer: headroom %lld mK, p %lld, die %d: %s\n",
              static_cast<long long>(h->count()), static_cast<long long>(p), die,
              failures == 0 ? "ok" : "FAILED");
  return failures == 0 ? 0 : 1;
}
