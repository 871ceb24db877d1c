// Detection latency: the analytic figures (mean p/2, worst p, overshoot ≈ r·latency, plus the
// quantisation and conversion terms) and the simulated ones agree, for polling periods from
// 10 ms to 1 s, ramps from 0.02 to 0.5 °C/ms and several sensor resolutions; interrupts do not
// depend on the polling period.
#include <catch2/catch.hpp>

#include <chrono>
#include <cmath>

#include "thermo/analysis/detection_latency.hpp"

using namespace thermo;
using namespace std::chrono_literals;
using analysis::detection_mode;
using analysis::latency_case;

namespace {

constexpr std::size_t phases = 8;
constexpr std::size_t grid_phases = 4;

void check_agreement(const latency_case& c) {
  const auto a = analysis::analytic_latency(c);
  const auto s = analysis::simulate_latency(c, phases, grid_phases);
  REQUIRE(a);
  REQUIRE(s);
  const double r = c.ramp_c_per_s;
  const double q = static_cast<double>(c.resolution.count()) / 1000.0 / r;
  const double period = c.mode == detection_mode::polling
                            ? std::chrono::duration<double>(c.period + c.conversion).count()
                            : std::chrono::duration<double>(c.comparator_period).count();
  // The phase grids are evenly spaced midpoints: the mean is exact up to the integer-m°C grid
  // positions; the extremes approach the analytic bounds within one grid step.
  const double step = period / phases + q / grid_phases;
  // The near-integrator plant (λ = 1e-6/s) is resolved to ~1e-7 °C: crossing instants to ~1 µs.
  const double eps = 2e-6;
  INFO("period " << period << " s, ramp " << r << " °C/s, q " << q * r << " °C: analytic mean " << a->mean_s
                 << " worst " << a->worst_s << "; simulated mean " << s->mean_s << " worst " << s->worst_s);
  CHECK(s->runs == phases * grid_phases);
  CHECK(s->missed == 0);
  CHECK(s->mean_s == Approx(a->mean_s).margin(1e-3 / r + eps));
  CHECK(s->worst_s <= a->worst_s + eps);
  CHECK(s->worst_s >= a->worst_s - step - eps);
  CHECK(s->best_s >= a->best_s - eps);
  CHECK(s->best_s <= a->best_s + step + eps);
  CHECK(s->overshoot_mean_c == Approx(a->overshoot_mean_c).margin(1e-3 + r * eps + 1e-5 * a->overshoot_mean_c));
  CHECK(s->overshoot_worst_c <= a->overshoot_worst_c + r * eps + 1e-5 * a->overshoot_worst_c);
}

}  // namespace

TEST_CASE("analytic polling latency: mean p/2, worst p, overshoot r·latency", "[detection_latency]") {
  latency_case c;
  c.period = 1s;
  c.ramp_c_per_s = 500.0;  // 0.5 °C/ms
  c.resolution = millikelvin_delta(1);
  const auto a = analysis::analytic_latency(c);
  REQUIRE(a);
  CHECK(a->mean_s == Approx(0.5).margin(1e-5));
  CHECK(a->worst_s == Approx(1.0).margin(1e-5));
  CHECK(a->best_s == 0.0);
  CHECK(a->overshoot_mean_c == Approx(250.0).margin(0.01));  // the motivating example
  c.conversion = 10ms;
  c.resolution = millikelvin_delta(1000);
  const auto b = analysis::analytic_latency(c);
  REQUIRE(b);
  CHECK(b->mean_s == Approx(0.001 + 0.505 + 0.01));
  CHECK(b->worst_s == Approx(0.002 + 1.01 + 0.01));
}

TEST_CASE("simulated polling latency agrees with the analysis over periods, ramps and resolutions", "[detection_latency]") {
  for (const auto period : {10ms, 100ms, 1000ms}) {
    for (const double ramp : {20.0, 100.0, 500.0}) {  // 0.02, 0.1, 0.5 °C/ms
      for (const std::int32_t q : {100, 500, 1000}) {
        latency_case c;
        c.period = period;
        c.ramp_c_per_s = ramp;
        c.resolution = millikelvin_delta(q);
        check_agreement(c);
      }
    }
  }
}

TEST_CASE("conversion time adds to the period and to the latency", "[detection_latency]") {
  latency_case c;
  c.period = 100ms;
  c.ramp_c_per_s = 50.0;
  c.resolution = millikelvin_delta(500);
  c.conversion = 5ms;
  check_agreement(c);
}

TEST_CASE("interrupt latency is the IRQ latency plus quantisation, whatever the polling period", "[detection_latency]") {
  for (const auto grid : {0ms, 1ms}) {
    for (const double ramp : {20.0, 500.0}) {
      latency_case c;
      c.mode = detection_mode::interrupt;
      c.ramp_c_per_s = ramp;
      c.resolution = millikelvin_delta(500);
      c.irq_latency = 100us;
      c.comparator_period = grid;
      check_agreement(c);
      const auto a = analysis::analytic_latency(c);
      REQUIRE(a);
      c.period = 1s;  // irrelevant for an interrupt-driven zone
      const auto b = analysis::analytic_latency(c);
      REQUIRE(b);
      CHECK(a->mean_s == b->mean_s);
      CHECK(a->worst_s < 0.03);
    }
  }
}

TEST_CASE("bad latency cases are rejected", "[detection_latency]") {
  const auto expect = [](latency_case c, errc code, std::string_view what) {
    const auto a = analysis::analytic_latency(c);
    REQUIRE_FALSE(a);
    CHECK(a.error().code == code);
    CHECK(std::string_view(a.error().what) == what);
    const auto s = analysis::simulate_latency(c);
    REQUIRE_FALSE(s);
    CHECK(s.error().code == code);
  };
  latency_case c;
  c.period = 0ms;
  expect(c, errc::non_positive, "period");
  c = {};
  c.ramp_c_per_s = 0.0;
  expect(c, errc::non_positive, "ramp");
  c.ramp_c_per_s = std::nan("");
  expect(c, errc::not_finite, "ramp");
  c = {};
  c.resolution = millikelvin_delta(0);
  expect(c, errc::non_positive, "resolution");
  c = {};
  c.conversion = sim_duration{-1};
  expect(c, errc::negative, "conversion");
  c = {};
  c.irq_latency = sim_duration{-1};
  expect(c, errc::negative, "irq latency");
  c = {};
  c.comparator_period = sim_duration{-1};
  expect(c, errc::negative, "comparator period");
  c = {};
  c.resolution = millikelvin_delta(700);
  expect(c, errc::invalid_argument, "trip not a multiple of the resolution");
  CHECK(analysis::simulate_latency(latency_case{}, 0, 4).error().code == errc::non_positive);
}
