#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/model/power.hpp"
#include "thermo/presets/all.hpp"

using namespace thermo;
using namespace thermo::literals;

namespace {
constexpr std::array<power::opp, 3> opps{{{1'000'000_kHz, 800'000_uV, {}},
                                          {1'500'000_kHz, 900'000_uV, {}},
                                          {2'000'000_kHz, 1'000'000_uV, {}}}};

power_domain_config<double> config() {
  power_domain_config<double> c;
  c.name = "test";
  c.opps = opps;
  c.dynamic_power_coefficient = 400.0;  // uW/(MHz V^2)
  c.cores = 4;
  return c;
}

// Upper bound of (exact model power − kernel EM power) in uW for one OPP: what the kernel's
// truncations of the voltage to mV, the frequency to MHz and the result to uW can remove.
double em_rounding_bound_uw(double c, const power::opp& o) {
  const double mv_exact = static_cast<double>(o.voltage.count()) / 1000.0;
  const double mhz_exact = static_cast<double>(o.frequency.count()) / 1000.0;
  const double mv = std::floor(mv_exact);
  const double mhz = std::floor(mhz_exact);
  return c * (mv_exact * mv_exact * mhz_exact - mv * mv * mhz) / 1e6 + 1.0;
}
}  // namespace

TEST_CASE(
    "the plant's dynamic power agrees with the kernel EM to within its rounding, for every preset "
    "OPP",
    "[model_power][presets]") {
  std::size_t checked = 0;
  const auto check = [&](const auto& domain, const auto& em, double coefficient,
                         std::span<const power::opp> rows) {
    for (std::size_t k = 0; k < rows.size(); ++k) {
      INFO(domain.name() << " opp " << k);
      const double model_uw = domain.core_dynamic_power(k).count() * 1e6;
      const double em_uw = static_cast<double>(em[k].power.count());
      const double bound = em_rounding_bound_uw(coefficient, rows[k]);
      // never below the EM (it only truncates), above it by less than its rounding
      CHECK(model_uw >= em_uw - 1e-9 * em_uw);
      CHECK(model_uw - em_uw < bound + 1e-9 * em_uw);
      // and the model's one-core power at u = 1 is what power() reports for one busy core
      const std::array<double, 1> one{1.0};
      CHECK(domain.power(k, one, celsius<double>(50.0))->total.count() ==
            domain.core_dynamic_power(k).count());
      ++checked;
    }
  };
  for (const schema::soc_description* soc : presets::all_socs) {
    for (const auto& cl : soc->clusters) {
      const auto domain = power_domain<double>::from_cluster(cl);
      REQUIRE(domain);
      const auto em = schema::make_cluster_em(cl);
      REQUIRE(em);
      check(*domain, *em, static_cast<double>(cl.dynamic_power_coefficient), cl.opps);
    }
    for (const auto& dev : soc->devices) {
      if (dev.dynamic_power_coefficient == 0) {
        continue;
      }
      const auto domain = power_domain<double>::from_device(dev);
      REQUIRE(domain);
      const auto em = schema::make_device_em(dev);
      REQUIRE(em);
      check(*domain, *em, static_cast<double>(dev.dynamic_power_coefficient), dev.opps);
    }
  }
  CHECK(checked == 137U);  // 123 CPU OPPs + 6 RK3399 GPU + 8 RK3588 GPU
}

TEST_CASE("exact voltages make the model and the EM differ only by the final microwatt floor",
          "[model_power]") {
  // RK3399 A72 @1.8 GHz, 1.2 V, C = 436: exactly 1 130 112 uW in both
  const auto d = power_domain<double>::from_cluster(presets::rk3399.clusters[1]);
  REQUIRE(d);
  CHECK(d->core_dynamic_power(7).count() == Approx(1.130112).epsilon(1e-12));
  CHECK(d->cores() == 2U);
  CHECK(d->frequency(7).count() == 1.8e9);
  CHECK(d->voltage(7).count() == Approx(1.2));
}

TEST_CASE("dynamic power sums the cores' utilisations", "[model_power]") {
  const auto d = power_domain<double>::make(config());
  REQUIRE(d);
  const double per_core = 400.0 * 1.0 * 1.0 * 2000.0 * 1e-6;  // 0.8 W at 2 GHz, 1 V
  CHECK(d->core_dynamic_power(2).count() == Approx(per_core));
  const std::array<double, 4> all{1.0, 1.0, 1.0, 1.0};
  CHECK(d->power(2, all, 40.0_degC)->dynamic.count() == Approx(4 * per_core));
  const std::array<double, 2> some{0.5, 0.25};  // cores 2 and 3 idle
  const auto b = d->power(2, some, 40.0_degC);
  REQUIRE(b);
  CHECK(b->dynamic.count() == Approx(0.75 * per_core));
  CHECK(b->leakage.count() == 0.0);  // leakage off by default
  CHECK(b->idle.count() == 0.0);
  CHECK(b->total.count() == b->dynamic.count());
  // V^2 f: 0.9^2 * 1500 / (1^2 * 2000)
  CHECK(d->core_dynamic_power(1).count() == Approx(per_core * 0.81 * 0.75));
}

TEST_CASE("idle power is drawn only while no core runs", "[model_power]") {
  auto c = config();
  c.idle_power = watts<double>(0.05);
  const auto d = power_domain<double>::make(c);
  REQUIRE(d);
  const std::array<double, 4> none{0.0, 0.0, 0.0, 0.0};
  auto b = d->power(0, none, 30.0_degC);
  REQUIRE(b);
  CHECK(b->idle.count() == 0.05);
  CHECK(b->dynamic.count() == 0.0);
  CHECK(b->total.count() == 0.05);
  CHECK(d->power(0, {}, 30.0_degC)->idle.count() == 0.05);  // no utilisation given = idle
  const std::array<double, 1> busy{0.1};
  b = d->power(0, busy, 30.0_degC);
  REQUIRE(b);
  CHECK(b->idle.count() == 0.0);
  CHECK(d->idle_power().count() == 0.05);
}

TEST_CASE("leakage grows exponentially with temperature and saturates instead of overflowing",
          "[model_power][leakage]") {
  auto c = config();
  c.leakage.enabled = true;
  c.leakage.i0_amps = 0.01;
  c.leakage.k_per_kelvin = 0.02;
  c.leakage.t0 = 25.0_degC;
  const auto d = power_domain<double>::make(c);
  REQUIRE(d);
  // at T0: n * V * I0 = 4 * 1.0 * 0.01
  auto b = d->power(2, {}, 25.0_degC);
  REQUIRE(b);
  CHECK(b->leakage.count() == Approx(0.04));
  // +ln(2)/k kelvin doubles it
  b = d->power(2, {}, celsius<double>(25.0 + std::log(2.0) / 0.02));
  CHECK(b->leakage.count() == Approx(0.08));
  // voltage scales it linearly: 0.8 V at OPP 0
  CHECK(d->power(0, {}, 25.0_degC)->leakage.count() == Approx(0.032));
  // leakage is there while running too
  const std::array<double, 4> all{1.0, 1.0, 1.0, 1.0};
  b = d->power(2, all, 85.0_degC);
  CHECK(b->total.count() == Approx(b->dynamic.count() + 0.04 * std::exp(0.02 * 60.0)));
  // absurd temperatures saturate at e^60, finite
  b = d->power(2, {}, celsius<double>(1e9));
  REQUIRE(b);
  CHECK(std::isfinite(b->leakage.count()));
  CHECK(b->leakage.count() == Approx(0.04 * std::exp(leakage_max_exponent)));
  // below T0 it shrinks
  CHECK(d->power(2, {}, celsius<double>(-40.0))->leakage.count() < 0.04);
  CHECK(d->leakage().enabled());
  CHECK(d->leakage().current(25.0_degC) == Approx(0.01));
}

TEST_CASE("the power model works in float", "[model_power]") {
  power_domain_config<float> c;
  c.opps = opps;
  c.dynamic_power_coefficient = 400.0F;
  c.cores = 2;
  c.leakage = {true, 0.01F, 0.02F, celsius<float>(25.0F)};
  const auto d = power_domain<float>::make(c);
  REQUIRE(d);
  const std::array<float, 2> u{1.0F, 0.5F};
  const auto b = d->power(2, u, celsius<float>(1e30F));
  REQUIRE(b);
  CHECK(std::isfinite(b->total.count()));
  CHECK(b->dynamic.count() == Approx(1.2F));
}

TEST_CASE("explicit opp-microwatt powers replace C V^2 f in the model", "[model_power]") {
  std::array<power::opp, 2> rows{
      {{1'000'000_kHz, 800'000_uV, 150'000_uW}, {2'000'000_kHz, 1'000'000_uV, 600'000_uW}}};
  auto c = config();
  c.opps = rows;
  const auto d = power_domain<double>::make(c);
  REQUIRE(d);
  CHECK(d->core_dynamic_power(0).count() == Approx(0.15));
  CHECK(d->core_dynamic_power(1).count() == Approx(0.6));
}

TEST_CASE("power domains reject bad configuration and bad inputs", "[model_power]") {
  const auto rejects = [](const power_domain_config<double>& c, errc code, const char* what) {
    const auto d = power_domain<double>::make(c);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == code);
    CHECK(std::strcmp(d.error().what, what) == 0);
  };
  auto c = config();
  std::array<power::opp, 3> bad = opps;
  bad[2].frequency = bad[1].frequency;
  c.opps = bad;
  rejects(c, errc::not_increasing, "opp frequency");
  c = config();
  c.opps = {};
  rejects(c, errc::empty, "opp table");
  c = config();
  c.dynamic_power_coefficient = std::numeric_limits<double>::quiet_NaN();
  rejects(c, errc::not_finite, "dynamic-power-coefficient");
  c.dynamic_power_coefficient = -1.0;
  rejects(c, errc::negative, "dynamic-power-coefficient");
  c = config();
  c.cores = 0;
  rejects(c, errc::non_positive, "cores");
  c = config();
  c.idle_power = watts<double>(std::numeric_limits<double>::infinity());
  rejects(c, errc::not_finite, "idle power");
  c.idle_power = watts<double>(-0.1);
  rejects(c, errc::negative, "idle power");
  c = config();
  c.leakage = {true, std::numeric_limits<double>::quiet_NaN(), 0.02, 25.0_degC};
  rejects(c, errc::not_finite, "leakage i0");
  c.leakage = {true, -0.01, 0.02, 25.0_degC};
  rejects(c, errc::negative, "leakage i0");
  c.leakage = {true, 0.01, std::numeric_limits<double>::infinity(), 25.0_degC};
  rejects(c, errc::not_finite, "leakage k");
  c.leakage = {true, 0.01, -0.02, 25.0_degC};
  rejects(c, errc::negative, "leakage k");
  c.leakage = {true, 0.01, 0.02, celsius<double>(std::numeric_limits<double>::quiet_NaN())};
  rejects(c, errc::not_finite, "leakage t0");
  c.leakage = {false, -5.0, -5.0, 25.0_degC};  // disabled: parameters ignored
  CHECK(power_domain<double>::make(c));

  const auto d = power_domain<double>::make(config());
  REQUIRE(d);
  auto r = d->power(3, {}, 25.0_degC);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::out_of_range);
  const std::array<double, 5> five{};
  r = d->power(0, five, 25.0_degC);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::invalid_argument);
  for (const double u : {-0.1, 1.5, std::numeric_limits<double>::quiet_NaN()}) {
    const std::array<double, 2> util{0.5, u};
    r = d->power(0, util, 25.0_degC);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::out_of_range);
    CHECK(r.error().index == 1);
  }
  r = d->power(0, {}, celsius<double>(std::numeric_limits<double>::quiet_NaN()));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::not_finite);
}

TEST_CASE("evaluating a power domain does not touch the heap", "[model_power]") {
  auto c = config();
  c.leakage = {true, 0.01, 0.02, 25.0_degC};
  const auto d = power_domain<double>::make(c);
  REQUIRE(d);
  const std::array<double, 4> u{1.0, 0.5, 0.0, 0.25};
  THERMO_REQUIRE_NO_HEAP({
    const auto b = d->power(1, u, 70.0_degC);
    REQUIRE(b);
    CHECK(b->total.count() > 0.0);
    const auto bad = d->power(9, u, 70.0_degC);
    CHECK_FALSE(bad);
    const auto copy = *d;
    CHECK(copy.core_dynamic_power(2).count() == d->core_dynamic_power(2).count());
  });
}
