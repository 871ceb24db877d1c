// The sensor model: quantisation, offset, comparator thresholds, noise, faults, validation.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <limits>

#include "thermo/core/prng.hpp"
#include "thermo/model/sensor.hpp"

using namespace thermo;

namespace {
sensor_model make(sensor_params p) {
  auto s = sensor_model::make(p);
  REQUIRE(s);
  return *s;
}
}  // namespace

TEST_CASE("a truncating ADC reads the grid step at or below the temperature plus offset", "[sensor]") {
  sensor_params p;
  p.resolution = millikelvin_delta(500);
  p.offset = millikelvin_delta(-200);
  const auto s = make(p);
  CHECK(s.quantise(50.0).count() == 49'500);    // 49 800 → 49 500
  CHECK(s.quantise(50.2).count() == 50'000);    // 50 000 exactly
  CHECK(s.quantise(50.19).count() == 49'500);
  CHECK(s.quantise(-1.0).count() == -1'500);    // −1 200 → −1 500 (floor, not toward zero)
  p.rounding = quantisation::nearest;
  const auto n = make(p);
  CHECK(n.quantise(50.0).count() == 50'000);    // 49 800 → 50 000
  CHECK(n.quantise(49.9).count() == 49'500);    // 49 700 → 49 500
}

TEST_CASE("comparator thresholds are exactly where the quantised reading changes", "[sensor]") {
  prng g(7);
  for (const auto rounding : {quantisation::floor, quantisation::nearest}) {
    for (const std::int32_t q : {1, 100, 500, 1000}) {
      sensor_params p;
      p.resolution = millikelvin_delta(q);
      p.offset = millikelvin_delta(static_cast<std::int32_t>(uniform_below(g, 2000)) - 1000);
      p.rounding = rounding;
      const auto s = make(p);
      for (int k = 0; k < 200; ++k) {
        const auto high = millicelsius(static_cast<std::int32_t>(uniform_below(g, 100'000)) - 10'000);
        const double th = s.rising_threshold(high);
        // Just above the threshold the reading has reached `high`; just below it has not.
        CHECK(s.quantise(th + 1e-7).count() >= high.count());
        CHECK(s.quantise(th - 1e-7).count() < high.count());
        const double st = s.rising_threshold(high, true);
        CHECK(s.quantise(st + 1e-7).count() > high.count());
        CHECK(s.quantise(st - 1e-7).count() <= high.count());
        const double fl = s.falling_threshold(high);
        CHECK(s.quantise(fl - 1e-7).count() < high.count());
        CHECK(s.quantise(fl + 1e-7).count() >= high.count());
      }
    }
  }
  const auto s = make({});
  CHECK(std::isinf(s.rising_threshold(millicelsius(std::numeric_limits<std::int32_t>::max()))));
  CHECK(std::isinf(s.falling_threshold(millicelsius(-std::numeric_limits<std::int32_t>::max()))));
}

TEST_CASE("read noise is seeded, unbiased and has the configured spread", "[sensor]") {
  sensor_params p;
  p.noise_stddev_mc = 300.0;
  p.seed = 99;
  auto a = make(p);
  auto b = make(p);
  double sum = 0.0;
  double sq = 0.0;
  constexpr int n = 20000;
  for (int k = 0; k < n; ++k) {
    const auto ra = a.read(60.0);
    const auto rb = b.read(60.0);
    REQUIRE(ra);
    REQUIRE(rb);
    REQUIRE(*ra == *rb);  // same seed, same stream
    const double d = static_cast<double>(ra->count() - 60'000);
    sum += d;
    sq += d * d;
  }
  const double mean = sum / n;
  const double sd = std::sqrt(sq / n - mean * mean);
  CHECK(std::fabs(mean + 0.5) < 10.0);  // truncation biases by half a step (0.5 m°C)
  CHECK(sd == Approx(300.0).epsilon(0.03));
  p.seed = 100;
  auto c = make(p);
  bool differs = false;
  for (int k = 0; k < 10; ++k) {
    differs = differs || *c.read(60.0) != *a.read(60.0);
  }
  CHECK(differs);
}

TEST_CASE("scripted faults: try-again, hard error, stuck value, spike, and random faults", "[sensor]") {
  sensor_params p;
  p.resolution = millikelvin_delta(1000);
  auto s = make(p);
  s.set_fault({sensor_fault_kind::try_again});
  CHECK(s.read(50.0).error() == errc::try_again);
  CHECK(s.comparator_active());
  s.set_fault({sensor_fault_kind::hard_error});
  CHECK(s.read(50.0).error() == errc::hardware_fault);
  CHECK_FALSE(s.comparator_active());
  s.set_fault({sensor_fault_kind::stuck}, millicelsius(42'000));
  CHECK(s.read(90.0)->count() == 42'000);
  CHECK_FALSE(s.comparator_active());
  s.set_fault({sensor_fault_kind::stuck, millicelsius(30'000)});
  CHECK(s.read(90.0)->count() == 30'000);
  s.set_fault({sensor_fault_kind::spike, millicelsius(0), millikelvin_delta(20'000)});
  CHECK(s.read(50.0)->count() == 70'000);
  CHECK(s.quantise(50.0).count() == 50'000);  // the comparator does not see the spike
  s.clear_fault();
  CHECK(s.read(50.0)->count() == 50'000);

  sensor_params r;
  r.try_again_probability = 0.25;
  r.spike_probability = 0.1;
  r.spike_magnitude = millikelvin_delta(5'000);
  auto rs = make(r);
  int again = 0;
  int spikes = 0;
  for (int k = 0; k < 10000; ++k) {
    const auto v = rs.read(40.0);
    if (!v) {
      ++again;
    } else if (v->count() == 45'000) {
      ++spikes;
    }
  }
  CHECK(again == Approx(2500).margin(200));
  CHECK(spikes == Approx(750).margin(120));  // 10 % of the 75 % that read
}

TEST_CASE("bad sensor parameters are rejected with a named error", "[sensor]") {
  const auto expect = [](sensor_params p, errc code, std::string_view what) {
    const auto s = sensor_model::make(p);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == code);
    CHECK(std::string_view(s.error().what) == what);
  };
  sensor_params p;
  p.resolution = millikelvin_delta(0);
  expect(p, errc::non_positive, "sensor resolution");
  p = {};
  p.noise_stddev_mc = std::numeric_limits<double>::quiet_NaN();
  expect(p, errc::not_finite, "sensor noise");
  p.noise_stddev_mc = -1.0;
  expect(p, errc::negative, "sensor noise");
  p = {};
  p.try_again_probability = 1.5;
  expect(p, errc::out_of_range, "sensor try-again probability");
  p = {};
  p.spike_probability = std::numeric_limits<double>::quiet_NaN();
  expect(p, errc::out_of_range, "sensor spike probability");
  p = {};
  p.conversion_time = sim_duration{-1};
  expect(p, errc::negative, "sensor conversion time");
  p = {};
  p.irq_latency = sim_duration{-1};
  expect(p, errc::negative, "sensor irq latency");
  p = {};
  p.comparator_period = sim_duration{-1};
  expect(p, errc::negative, "sensor comparator period");
}
