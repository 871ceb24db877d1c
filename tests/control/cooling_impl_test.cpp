// cpufreq, devfreq, idle-injection and fan cooling devices.
#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <span>

#include "control_support.hpp"
#include "support/heap_guard.hpp"
#include "thermo/control/cooling/cpufreq.hpp"
#include "thermo/control/cooling/devfreq.hpp"
#include "thermo/control/cooling/fan.hpp"
#include "thermo/control/cooling/idle_injection.hpp"
#include "thermo/control/cooling_device.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/presets/hi3660.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::test;
using namespace std::chrono_literals;

namespace {

/// A minimal perf table (what a PerfDomain needs): ascending (kHz, µW) rows.
struct table_state {
  kilohertz frequency;
  microwatts power;
};
template <std::size_t N>
struct perf_table {
  std::array<table_state, N> rows{};
  std::size_t n{N};
  [[nodiscard]] constexpr std::span<const table_state> states() const noexcept { return {rows.data(), n}; }
};

static_assert(PerfDomain<perf_table<3>>);
static_assert(PerfDomain<power::em_perf_domain_view>);
static_assert(PowerActor<cpufreq_cooling<power::em_perf_domain_view>>);
static_assert(PowerActor<devfreq_cooling<perf_table<3>>>);
static_assert(CoolingDevice<idle_injection_cooling>);
static_assert(!PowerActor<idle_injection_cooling>);
static_assert(CoolingDevice<fan_cooling<4>>);
static_assert(std::is_trivially_copyable_v<cpufreq_cooling<power::em_perf_domain_view>>);

// ---- soc-data.json ipa_vectors, actor side (generated) ----
struct ipa_state {
  std::uint32_t khz;
  std::uint32_t mw;
};
struct ipa_actor {
  const char* cdev;
  std::size_t num_cpus;
  cooling_state lower;
  cooling_state upper;
  std::span<const ipa_state> states;
};
struct ipa_round {
  int step;
  int actor;
  std::int32_t req_power_mw;
  std::int32_t max_power_mw;
  std::uint32_t total_load_pct;
  std::uint32_t cur_freq_khz;
  std::int32_t granted_power_mw;
  cooling_state target_state;
};
struct ipa_vector {
  const char* soc;
  std::span<const ipa_actor> actors;
  std::span<const ipa_round> rounds;
};
#include "ipa_actor_vectors.inc"

perf_table<16> table_from(const ipa_actor& a) {
  perf_table<16> t;
  t.n = a.states.size();
  for (std::size_t i = 0; i < a.states.size(); ++i) {
    // mW per CPU × 1000: floor(µW / 1000) gives the same mW back.
    t.rows[i] = table_state{kilohertz(a.states[i].khz), microwatts(static_cast<std::int64_t>(a.states[i].mw) * 1000)};
  }
  return t;
}

}  // namespace

TEST_CASE("cpufreq cooling maps state s to the s-th highest frequency and caps the policy there", "[cpufreq]") {
  thermo::test::heap_guard guard;
  const auto em = schema::make_cluster_em(presets::hi3660.clusters[1]);  // A73 cluster
  REQUIRE(em.has_value());
  auto dev = cpufreq_cooling<power::em_perf_domain_view, 4>::create(em->view(), 4);
  REQUIRE(dev.has_value());
  CHECK(dev->get_max_state() == 4U);
  CHECK(dev->max_frequency() == kilohertz(2'362'000));
  CHECK(dev->frequency_of(0) == kilohertz(2'362'000));
  CHECK(dev->frequency_of(3) == kilohertz(1'421'000));
  CHECK(dev->frequency_of(4) == kilohertz(903'000));
  CHECK(dev->set_cur_state(3) == errc::ok);
  CHECK(dev->get_cur_state() == 3U);
  CHECK(dev->max_frequency() == kilohertz(1'421'000));
  CHECK(dev->set_cur_state(5) == errc::out_of_range);
  CHECK(dev->get_cur_state() == 3U);
  CHECK(dev->has_power_model());
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("cpufreq state2power is the per-CPU EM power times the online CPUs (Hi3660 preset)", "[cpufreq]") {
  thermo::test::heap_guard guard;
  // soc-data.json hi3660 perf_domains[*].energy_model: cpufreq_state2power_mw_all_cpus.
  const std::array<std::int32_t, 5> little{980, 748, 496, 280, 112};
  const std::array<std::int32_t, 5> big{6284, 4644, 3216, 2000, 972};
  const auto em_l = schema::make_cluster_em(presets::hi3660.clusters[0]);
  const auto em_b = schema::make_cluster_em(presets::hi3660.clusters[1]);
  REQUIRE(em_l.has_value());
  REQUIRE(em_b.has_value());
  auto l = cpufreq_cooling<power::em_perf_domain_view, 4>::create(em_l->view(), 4);
  auto b = cpufreq_cooling<power::em_perf_domain_view, 4>::create(em_b->view(), 4);
  REQUIRE(l.has_value());
  REQUIRE(b.has_value());
  for (cooling_state s = 0; s <= 4; ++s) {
    CHECK(l->state2power(s).value().count() == little[s]);
    CHECK(b->state2power(s).value().count() == big[s]);
  }
  CHECK(l->state2power(5).error() == errc::out_of_range);
  // One CPU offline: three CPUs' worth.
  REQUIRE(l->set_cpu(2, cpufreq_cpu_load{0, 462, false}) == errc::ok);
  CHECK(l->state2power(0).value().count() == 245 * 3);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("cpufreq power2state on Hi3660: the IPA reference round gives little state 1, big state 3", "[cpufreq]") {
  thermo::test::heap_guard guard;
  // spec §2.5 reference step: 100 % load on 4+4 CPUs, granted 941 / 3019 mW → per-CPU budget
  // 235 / 754 mW → little 1709 MHz (state 1), big 1421 MHz (state 3).
  const auto em_l = schema::make_cluster_em(presets::hi3660.clusters[0]);
  const auto em_b = schema::make_cluster_em(presets::hi3660.clusters[1]);
  REQUIRE(em_l.has_value());
  REQUIRE(em_b.has_value());
  auto l = cpufreq_cooling<power::em_perf_domain_view, 4>::create(em_l->view(), 4);
  auto b = cpufreq_cooling<power::em_perf_domain_view, 4>::create(em_b->view(), 4);
  REQUIRE(l.has_value());
  REQUIRE(b.has_value());
  for (std::size_t c = 0; c < 4; ++c) {
    REQUIRE(l->set_cpu(c, cpufreq_cpu_load{462, 462, true}) == errc::ok);  // util = capacity: 100 %
    REQUIRE(b->set_cpu(c, cpufreq_cpu_load{1024, 1024, true}) == errc::ok);
  }
  l->set_current_frequency(kilohertz(1'844'000));
  b->set_current_frequency(kilohertz(2'362'000));
  CHECK(l->get_requested_power().value().count() == 980);
  CHECK(b->get_requested_power().value().count() == 6284);
  CHECK(l->last_load() == 400U);
  CHECK(l->power2state(milliwatts{941}).value() == 1U);
  CHECK(b->power2state(milliwatts{3019}).value() == 3U);
  CHECK(l->frequency_of(1) == kilohertz(1'709'000));
  CHECK(b->frequency_of(3) == kilohertz(1'421'000));
  // Edges: the budget exactly at a state's power selects it; 1 mW less falls to the next one.
  CHECK(b->power2state(milliwatts{1161 * 4}).value() == 1U);
  CHECK(b->power2state(milliwatts{1161 * 4 - 1}).value() == 2U);
  CHECK(b->power2state(milliwatts{0}).value() == 4U);  // below everything: the lowest frequency
  CHECK(b->power2state(milliwatts{-1}).error() == errc::invalid_argument);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("cpufreq requested power follows the load normalisation and the current frequency", "[cpufreq]") {
  thermo::test::heap_guard guard;
  perf_table<3> t{{{{kilohertz(500'000), microwatts(100'999)},
                    {kilohertz(1'000'000), microwatts(300'500)},
                    {kilohertz(1'500'000), microwatts(700'000)}}}};
  auto d = cpufreq_cooling<perf_table<3>, 4>::create(t, 3);
  REQUIRE(d.has_value());
  // loads: 512/1024 → 50, 341/1024 → 33 (floor), offline → 0; Σ = 83.
  REQUIRE(d->set_cpu(0, cpufreq_cpu_load{512, 1024, true}) == errc::ok);
  REQUIRE(d->set_cpu(1, cpufreq_cpu_load{341, 1024, true}) == errc::ok);
  REQUIRE(d->set_cpu(2, cpufreq_cpu_load{1024, 1024, false}) == errc::ok);
  CHECK(d->set_cpu(3, cpufreq_cpu_load{}) == errc::out_of_range);
  CHECK(d->set_cpu(0, cpufreq_cpu_load{1, 0, true}) == errc::invalid_argument);
  // 750 MHz is between states: the power of the lowest state at or above it (1 GHz, 300 mW).
  d->set_current_frequency(kilohertz(750'000));
  CHECK(d->get_requested_power().value().count() == 300 * 83 / 100);
  CHECK(d->last_load() == 83U);
  d->set_current_frequency(kilohertz(2'000'000));  // above the table: the top state
  CHECK(d->get_requested_power().value().count() == 700 * 83 / 100);
  d->set_current_frequency(kilohertz(100'000));
  CHECK(d->get_requested_power().value().count() == 100 * 83 / 100);  // 100.999 mW floors to 100
  // power2state uses last_load: norm = P·100/83.
  CHECK(d->power2state(milliwatts{249}).value() == 1U);  // 249·100/83 = 300 ≥ 300 → 1 GHz
  CHECK(d->power2state(milliwatts{248}).value() == 2U);  // 298 < 300 → 500 MHz
  // last_load 0 counts as 1 (idle → budget per CPU is huge → highest frequency).
  for (std::size_t c = 0; c < 3; ++c) {
    REQUIRE(d->set_cpu(c, cpufreq_cpu_load{0, 1024, true}) == errc::ok);
  }
  CHECK(d->get_requested_power().value().count() == 0);
  CHECK(d->power2state(milliwatts{7}).value() == 0U);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("cpufreq cooling rejects bad tables and an insane EM has no power callbacks", "[cpufreq]") {
  thermo::test::heap_guard guard;
  perf_table<3> unsorted{{{{kilohertz(500'000), microwatts(1000)},
                           {kilohertz(500'000), microwatts(2000)},
                           {kilohertz(900'000), microwatts(3000)}}}};
  const auto e = cpufreq_cooling<perf_table<3>, 4>::create(unsorted, 2);
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().code == errc::not_increasing);
  CHECK(e.error().index == 1);
  perf_table<3> empty{};
  empty.n = 0;
  CHECK(cpufreq_cooling<perf_table<3>, 4>::create(empty, 2).error().code == errc::empty);
  perf_table<3> ok{{{{kilohertz(1), microwatts(1000)}, {kilohertz(2), microwatts(0)}, {kilohertz(3), microwatts(3000)}}}};
  CHECK(cpufreq_cooling<perf_table<3>, 4>::create(ok, 0).error().code == errc::out_of_range);
  CHECK(cpufreq_cooling<perf_table<3>, 4>::create(ok, 5).error().code == errc::out_of_range);
  auto insane = cpufreq_cooling<perf_table<3>, 4>::create(ok, 2);
  REQUIRE(insane.has_value());
  CHECK_FALSE(insane->has_power_model());
  CHECK(insane->get_requested_power().error() == errc::not_supported);
  CHECK(insane->state2power(0).error() == errc::not_supported);
  CHECK(insane->power2state(milliwatts{1}).error() == errc::not_supported);
  CHECK(insane->set_cur_state(2) == errc::ok);  // still a cooling device
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("cpufreq cooling reproduces every actor of the kernel-verified IPA vectors", "[cpufreq][vectors]") {
  REQUIRE(std::size(ipa_vectors) == 4U);
  for (const ipa_vector* v : ipa_vectors) {
    for (const ipa_round& r : v->rounds) {
      const ipa_actor& a = v->actors[static_cast<std::size_t>(r.actor)];
      INFO(v->soc << " step " << r.step << " actor " << a.cdev);
      const perf_table<16> t = table_from(a);
      thermo::test::heap_guard guard;
      auto d = cpufreq_cooling<perf_table<16>, 8>::create(t, a.num_cpus);
      REQUIRE(d.has_value());
      // The vectors assume every CPU 100 % busy: util = capacity.
      for (std::size_t c = 0; c < a.num_cpus; ++c) {
        REQUIRE(d->set_cpu(c, cpufreq_cpu_load{1024, 1024, true}) == errc::ok);
      }
      d->set_current_frequency(kilohertz(r.cur_freq_khz));
      CHECK(d->get_requested_power().value().count() == r.req_power_mw);
      CHECK(d->last_load() == r.total_load_pct);
      CHECK(d->state2power(a.lower).value().count() == r.max_power_mw);
      cooling_state s = d->power2state(milliwatts{r.granted_power_mw}).value();
      s = s < a.lower ? a.lower : (s > a.upper ? a.upper : s);
      CHECK(s == r.target_state);
      CHECK(guard.allocations() == 0U);
    }
  }
}

TEST_CASE("devfreq cooling caps the device frequency and scales power by normalised busy time", "[devfreq]") {
  thermo::test::heap_guard guard;
  // RK3399 Mali-T860 device EM (soc-data.json rk3399 device_energy_models[0], µW).
  perf_table<6> gpu{{{{kilohertz(200'000), microwatts(359'370)},
                      {kilohertz(297'000), microwatts(533'664)},
                      {kilohertz(400'000), microwatts(718'740)},
                      {kilohertz(500'000), microwatts(1'010'625)},
                      {kilohertz(600'000), microwatts(1'355'310)},
                      {kilohertz(800'000), microwatts(2'555'520)}}}};
  auto d = devfreq_cooling<perf_table<6>>::create(gpu);
  REQUIRE(d.has_value());
  CHECK(d->get_max_state() == 5U);
  CHECK(d->max_frequency() == kilohertz(800'000));
  CHECK(d->set_cur_state(3) == errc::ok);
  CHECK(d->max_frequency() == kilohertz(400'000));
  CHECK(d->set_cur_state(6) == errc::out_of_range);
  CHECK(d->get_cur_state() == 3U);
  CHECK(d->state2power(0).value().count() == 2555);  // no device count
  CHECK(d->state2power(5).value().count() == 359);
  CHECK(d->state2power(6).error() == errc::out_of_range);

  // busy 50 %: busy = 512 → 1355 mW × 512 >> 10 = 677 mW.
  d->set_status(devfreq_status{500, 1000, hertz(600'000'000)});
  CHECK(d->get_requested_power().value().count() == 677);
  // A frequency that is not an EM frequency: -EAGAIN.
  d->set_status(devfreq_status{500, 1000, hertz(650'000'000)});
  CHECK(d->get_requested_power().error() == errc::try_again);
  // Large windows are shifted first: (1'500'000 >> 10 = 1464) · 1024 / (3'000'000 >> 10 = 2929) = 511
  // (512 without the shift).
  d->set_status(devfreq_status{1'500'000, 3'000'000, hertz(800'000'000)});
  CHECK(thermo::control::detail::devfreq_normalized_busy(d->status()) == 511U);
  CHECK(d->get_requested_power().value().count() == 1275);
  // Idle device: busy counts as 1/1024.
  d->set_status(devfreq_status{0, 1000, hertz(800'000'000)});
  CHECK(d->get_requested_power().value().count() == 2);

  // power2state: est = (P << 10) / busy, then the highest state whose power fits.
  d->set_status(devfreq_status{500, 1000, hertz(600'000'000)});
  CHECK(d->power2state(milliwatts{677}).value() == 2U);  // est 1354 < 1355 → 500 MHz
  CHECK(d->power2state(milliwatts{678}).value() == 1U);  // est 1356 ≥ 1355 → 600 MHz
  CHECK(d->power2state(milliwatts{1278}).value() == 0U);  // est 2556 ≥ 2555
  CHECK(d->power2state(milliwatts{0}).value() == 5U);
  CHECK(d->power2state(milliwatts{-5}).error() == errc::invalid_argument);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("devfreq cooling rejects bad tables", "[devfreq]") {
  thermo::test::heap_guard guard;
  perf_table<2> down{{{{kilohertz(2), microwatts(1000)}, {kilohertz(1), microwatts(2000)}}}};
  CHECK(devfreq_cooling<perf_table<2>>::create(down).error().code == errc::not_increasing);
  perf_table<2> zero{{{{kilohertz(1), microwatts(0)}, {kilohertz(2), microwatts(2000)}}}};
  CHECK(devfreq_cooling<perf_table<2>>::create(zero).error().code == errc::non_positive);
  perf_table<2> none{};
  none.n = 0;
  CHECK(devfreq_cooling<perf_table<2>>::create(none).error().code == errc::empty);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("idle injection maps 0..100 % to the kernel's run and idle durations", "[idle_injection]") {
  thermo::test::heap_guard guard;
  auto d = idle_injection_cooling::create(microseconds{10'000});
  REQUIRE(d.has_value());
  CHECK(d->get_max_state() == 100U);
  CHECK_FALSE(d->injecting());
  CHECK(d->set_cur_state(50) == errc::ok);
  CHECK(d->injecting());
  CHECK(d->run_duration() == microseconds{10'000});  // 50 %: run = idle
  CHECK(d->idle_permille() == 500);
  CHECK(d->set_cur_state(25) == errc::ok);
  CHECK(d->run_duration() == microseconds{30'000});
  CHECK(d->set_cur_state(33) == errc::ok);
  CHECK(d->run_duration() == microseconds{20'303});  // 10000·100/33 − 10000 (integer)
  CHECK(d->set_cur_state(100) == errc::ok);
  CHECK(d->run_duration() == microseconds{0});  // always idle
  CHECK(d->idle_permille() == 1000);
  CHECK(d->set_cur_state(101) == errc::out_of_range);
  CHECK(d->get_cur_state() == 100U);
  CHECK(d->set_cur_state(0) == errc::ok);
  CHECK_FALSE(d->injecting());
  CHECK(d->idle_permille() == 0);
  CHECK(idle_injection_cooling::create(microseconds{0}).error().code == errc::non_positive);
  CHECK(idle_injection_cooling::create().value().idle_duration() == microseconds{4000});  // one tick at HZ=250
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("fans map cooling states to PWM levels or speeds", "[fan]") {
  thermo::test::heap_guard guard;
  // Exynos5422 Odroid-XU4 pwm-fan cooling-levels = <0 130 170 230>.
  const std::array<std::uint32_t, 4> levels{0, 130, 170, 230};
  auto f = fan_cooling<8>::create(levels);
  REQUIRE(f.has_value());
  CHECK(f->get_max_state() == 3U);
  CHECK(f->get_cur_state() == 3U);  // pwm-fan probes at full speed
  CHECK(f->set_cur_state(1) == errc::ok);
  CHECK(f->level() == 130U);
  CHECK(f->duty_permille() == 509U);
  CHECK(f->set_cur_state(4) == errc::out_of_range);
  CHECK(f->level() == 130U);
  const std::array<std::uint32_t, 2> bad{0, 256};
  const auto e = fan_cooling<8>::create(bad);
  CHECK(e.error().code == errc::out_of_range);
  CHECK(e.error().index == 1);
  CHECK(fan_cooling<2>::create(levels).error().code == errc::capacity_exceeded);
  CHECK(fan_cooling<2>::create(std::span<const std::uint32_t>{}).error().code == errc::empty);
  const std::array<std::uint32_t, 2> rpm{0, 4500};  // gpio-fan speed map: no PWM limit
  auto g = fan_cooling<2>::create(rpm, fan_kind::gpio, 0);
  REQUIRE(g.has_value());
  CHECK(g->get_cur_state() == 0U);
  CHECK(g->set_cur_state(1) == errc::ok);
  CHECK(g->level() == 4500U);
  CHECK(fan_cooling<2>::create(rpm, fan_kind::gpio, 2).error().code == errc::invalid_argument);

  // Through the core: stats and events like any device.
  thermal_cooling_device c;
  REQUIRE(c.setup(0, "pwm-fan", *f).ok());
  CHECK(c.max_state() == 3U);
  REQUIRE(c.set_cur_state(at_ms(0), 2) == errc::ok);
  CHECK(f->level() == 170U);
  CHECK(guard.allocations() == 0U);
}
