#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/core/units.hpp"

using namespace thermo;
using namespace thermo::literals;

TEST_CASE("quantity_cast follows chrono's rule: multiply first, divide last, truncate toward zero",
          "[units]") {
  CHECK(quantity_cast<milliwatts>(watts_f(1.5F)).count() == 1500);
  CHECK(quantity_cast<milliwatts>(microwatts(2'500'999)).count() == 2500);
  CHECK(quantity_cast<milliwatts>(microwatts(-2'500'999)).count() == -2500);
  CHECK(quantity_cast<kilohertz>(megahertz(1800)).count() == 1'800'000U);
  CHECK(quantity_cast<megahertz>(hertz(1'799'999'999)).count() == 1799U);
  CHECK(quantity_cast<millivolts>(microvolts(1'137'500)).count() == 1137);
  CHECK(quantity_cast<watts<double>>(milliwatts(2500)).count() == Approx(2.5));
}

TEST_CASE("millicelsius is an affine point with millikelvin_delta steps", "[units]") {
  const millicelsius trip = 85'000_mC;
  const millikelvin_delta hyst = 2'000_mK;
  CHECK((trip - hyst).count() == 83'000);
  CHECK((trip + hyst).count() == 87'000);
  CHECK((trip - 80'000_mC) == 5'000_mK);
  CHECK(millicelsius::invalid().count() == -274'000);
  CHECK(80'000_mC < trip);
}

TEST_CASE("model temperatures round to the nearest millicelsius and saturate", "[units]") {
  CHECK(to_millicelsius(celsius<double>(45.0004)).count() == 45'000);
  CHECK(to_millicelsius(celsius<double>(45.0005)).count() == 45'001);
  CHECK(to_millicelsius(celsius<double>(-1.2345)).count() == -1'235);
  CHECK(to_millicelsius(celsius<double>(1e12)) == millicelsius::max());
  CHECK(to_millicelsius(celsius<double>(-1e12)) == millicelsius::min());
  CHECK(to_celsius(85'500_mC).count() == Approx(85.5));
}

TEST_CASE("unit arithmetic does not touch the heap", "[units]") {
  THERMO_REQUIRE_NO_HEAP({
    milliwatts total = 0_mW;
    for (int i = 0; i < 10; ++i) {
      total += 150_mW;
    }
    CHECK(total == 1500_mW);
  });
}

TEST_CASE("to_millicelsius rounds on the exact remainder, also in float", "[units]") {
  // `m + 0.5` rounding got these wrong: 0.49999997 m°C rounded up, and 8388609 m°C (odd, above
  // 2^23) became 8388610 in float.
  CHECK(to_millicelsius(celsius<float>(0.00049999997F)).count() == 0);
  CHECK(to_millicelsius(celsius<float>(-0.00049999997F)).count() == 0);
  CHECK(to_millicelsius(celsius<float>(8388.609F)).count() == 8'388'609);
  CHECK(to_millicelsius(celsius<float>(0.0005F)).count() == 1);
  CHECK(to_millicelsius(celsius<double>(-0.0025)).count() == -3);  // tie away from zero
  CHECK(to_millicelsius(celsius<double>(2'147'483.6466)).count() == 2'147'483'647);
  CHECK(to_millicelsius(celsius<double>(-2'147'483.6476)).count() == -2'147'483'648);
  CHECK(to_millicelsius(celsius<float>(3e6F)) == millicelsius::max());
}
