#include "thermo/power/energy_model.hpp"

#include <array>
#include <cstring>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"

using namespace thermo;
using namespace thermo::literals;
using namespace thermo::power;

namespace {
// RK3399 big cluster (A72, dynamic-power-coefficient 436, capacity 1024), Rock960 device tree.
constexpr std::array<opp, 8> a72_opps{{
    {408'000_kHz, 825'000_uV, {}},
    {600'000_kHz, 825'000_uV, {}},
    {816'000_kHz, 825'000_uV, {}},
    {1'008'000_kHz, 875'000_uV, {}},
    {1'200'000_kHz, 950'000_uV, {}},
    {1'416'000_kHz, 1'025'000_uV, {}},
    {1'608'000_kHz, 1'100'000_uV, {}},
    {1'800'000_kHz, 1'200'000_uV, {}},
}};
constexpr std::array<em_cpu, 2> a72_cpus{{{4, 1024}, {5, 1024}}};

// What Linux 6.12 computes for that domain (soc-data.json, rk3399 perf_domains[1]).
struct expected_row {
  std::int64_t power_uw;
  std::uint32_t performance;
  std::uint64_t cost;
  std::uint64_t cost_legacy;
  bool inefficient;
};
constexpr std::array<expected_row, 8> a72_expected{{
    {121'075, 232, 5218, 534'154, true},
    {178'051, 341, 5221, 534'153, true},
    {242'150, 464, 5218, 534'154, false},
    {336'483, 573, 5872, 600'862, false},
    {472'188, 682, 6923, 708'282, false},
    {648'630, 805, 8057, 824'529, false},
    {848'316, 914, 9281, 949'607, false},
    {1'130'112, 1024, 11'036, 1'130'112, false},
}};

// RK3399 little cluster (A53, coefficient 100, capacity 381).
constexpr std::array<opp, 6> a53_opps{{
    {408'000_kHz, 825'000_uV, {}},
    {600'000_kHz, 825'000_uV, {}},
    {816'000_kHz, 850'000_uV, {}},
    {1'008'000_kHz, 925'000_uV, {}},
    {1'200'000_kHz, 1'000'000_uV, {}},
    {1'416'000_kHz, 1'125'000_uV, {}},
}};
constexpr std::array<em_cpu, 4> a53_cpus{{{0, 381}, {1, 381}, {2, 381}, {3, 381}}};

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}

using em = em_perf_domain<16>;
}  // namespace

TEST_CASE("EM power follows the kernel's integer rounding of the dynamic-power-coefficient",
          "[energy_model]") {
  // kernel-reference §4.2 example: A72 @1.8 GHz, 1.2 V, C = 436 -> 1 130 112 uW.
  CHECK(em_dt_power(436, 1'200'000_uV, 1'800'000_kHz) == 1'130'112_uW);
  // mV and MHz are truncated before multiplying: 912 500 uV -> 912 mV, 1 625 999 kHz -> 1625 MHz.
  CHECK(em_dt_power(211, 912'500_uV, 1'625'999_kHz).count() ==
        211LL * 912 * 912 * 1625 / 1'000'000);
  CHECK(em_dt_power(1, 999_uV, 1'000'000_kHz) == 0_uW);  // 0 mV
  CHECK(em_dt_power(100, 0_uV, 1'000'000_kHz) == 0_uW);
  // a product beyond 64 bits saturates instead of wrapping
  CHECK(em_dt_power(0xFFFF'FFFFU, microvolts(2'000'000'000), kilohertz(4'000'000'000U)) ==
        microwatts::max());
}

TEST_CASE("a CPU perf domain computes power, performance, cost and inefficiency like Linux 6.12",
          "[energy_model]") {
  const auto d = em::make_from_opps(a72_opps, 436, a72_cpus);
  REQUIRE(d);
  REQUIRE(d->nr_perf_states() == 8U);
  for (std::size_t i = 0; i < 8; ++i) {
    INFO("state " << i);
    const em_perf_state& s = (*d)[i];
    CHECK(s.frequency == a72_opps[i].frequency);
    CHECK(s.power.count() == a72_expected[i].power_uw);
    CHECK(s.performance == a72_expected[i].performance);
    CHECK(s.cost == a72_expected[i].cost);
    CHECK(s.inefficient() == a72_expected[i].inefficient);
  }
  CHECK(d->is_cpu_domain());
  CHECK(d->nr_cpus() == 2U);
  CHECK(d->contains_cpu(4));
  CHECK_FALSE(d->contains_cpu(0));
  CHECK_FALSE(d->contains_cpu(200));
  CHECK(d->cpu_capacity() == 1024U);
  CHECK((d->flags() & em_perf_domain_microwatts) != 0);
  CHECK(d->skips_inefficiencies());
  CHECK(d->power_mw(7) == 1130_mW);
  CHECK(d->highest().frequency == 1'800'000_kHz);
  CHECK(d->lowest().frequency == 408'000_kHz);
}

TEST_CASE("the legacy (<= 6.8) cost formula is available and flags its own inefficient states",
          "[energy_model]") {
  em_options opt;
  opt.cost_model = em_cost_model::legacy_v6_8;
  const auto d = em::make_from_opps(a72_opps, 436, a72_cpus, opt);
  REQUIRE(d);
  for (std::size_t i = 0; i < 8; ++i) {
    INFO("state " << i);
    CHECK((*d)[i].cost == a72_expected[i].cost_legacy);
    CHECK((*d)[i].performance == a72_expected[i].performance);
  }
  // legacy costs 534154, 534153, 534154 ...: only 408 MHz costs as much as a faster state
  CHECK((*d)[0].inefficient());
  CHECK_FALSE((*d)[1].inefficient());
  CHECK_FALSE((*d)[2].inefficient());
  CHECK(d->cost_model() == em_cost_model::legacy_v6_8);

  // RK3399 A53: v6.9 flags 408 MHz, the legacy costs (96374 < 96375) flag nothing
  const auto little = em::make_from_opps(a53_opps, 100, a53_cpus, opt);
  REQUIRE(little);
  for (const auto& s : little->states()) {
    CHECK_FALSE(s.inefficient());
  }
  CHECK_FALSE(little->skips_inefficiencies());
  const auto little69 = em::make_from_opps(a53_opps, 100, a53_cpus);
  REQUIRE(little69);
  CHECK((*little69)[0].inefficient());
  CHECK((*little69)[0].cost == 2547U);
  CHECK((*little69)[1].cost == 2536U);
  CHECK((*little69)[5].performance == 381U);
}

TEST_CASE("em_cpu_energy picks the efficient state for the busiest CPU (>= 6.9)",
          "[energy_model]") {
  const auto d = em::make_from_opps(a72_opps, 436, a72_cpus);
  REQUIRE(d);
  CHECK(d->cpu_energy(300, 0, 1024) == 0U);  // nothing runs
  // perf >= 300 first at state 1 (341), inefficient -> skipped -> state 2 (cost 5218)
  CHECK(d->efficient_state(300) == 2U);
  CHECK(d->cpu_energy(300, 500, 1024) == 5218U * 500U);
  // exactly a state's performance selects that state
  CHECK(d->efficient_state(464) == 2U);
  CHECK(d->efficient_state(465) == 3U);
  CHECK(d->efficient_state(0) == 2U);  // states 0 and 1 are inefficient
  // above the highest performance -> the highest state
  CHECK(d->efficient_state(5000) == 7U);
  CHECK(d->cpu_energy(2000, 700, 1024) == 11'036U * 700U);
  // thermal capping: max_util is clamped to the allowed capacity first
  CHECK(d->cpu_energy(700, 900, 600) == 6923U * 900U);

  SECTION("without SKIP_INEFFICIENCIES the inefficient states are used") {
    em_options opt;
    opt.skip_inefficiencies = false;
    const auto plain = em::make_from_opps(a72_opps, 436, a72_cpus, opt);
    REQUIRE(plain);
    CHECK_FALSE(plain->skips_inefficiencies());
    CHECK((*plain)[1].inefficient());  // still flagged
    CHECK(plain->efficient_state(300) == 1U);
    CHECK(plain->cpu_energy(300, 500, 1024) == 5221U * 500U);
  }
}

TEST_CASE("em_cpu_energy with the <= 6.8 rule adds 25 % headroom and searches by frequency",
          "[energy_model]") {
  em_options opt;
  opt.cost_model = em_cost_model::legacy_v6_8;
  const auto d = em::make_from_opps(a72_opps, 436, a72_cpus, opt);
  REQUIRE(d);
  // u = 300 + 75 = 375; f = 1 800 000 * 375 / 1024 = 659 179 kHz -> 816 MHz (state 2)
  CHECK(d->cpu_energy(300, 500, 1024) == 534'154U * 500U / 1024U);
  // u = 1000 + 250 clamped to 1024 -> f_max -> state 7
  CHECK(d->cpu_energy(1000, 1024, 1024) == 1'130'112U);
  // u = 40 + 10 = 50 -> 87 890 kHz -> state 0 is inefficient (legacy) and skipped -> state 1
  CHECK(d->cpu_energy(40, 100, 1024) == 534'153U * 100U / 1024U);
  CHECK(d->cpu_energy(40, 0, 1024) == 0U);
}

TEST_CASE("cooling states and frequency lookups on the EM", "[energy_model]") {
  const auto d = em::make_from_opps(a72_opps, 436, a72_cpus);
  REQUIRE(d);
  CHECK(d->max_state() == 7U);
  CHECK(*d->state_to_index(0) == 7U);
  CHECK(*d->state_to_index(7) == 0U);
  CHECK(d->state_to_index(8).error() == errc::out_of_range);
  CHECK(*d->index_to_state(6) == 1U);
  CHECK(*d->find_ceil(1'000'000_kHz) == 3U);
  CHECK(d->find_ceil(1'900'000_kHz).error() == errc::out_of_range);
  CHECK(*d->find_floor(1'000'000_kHz) == 2U);
  CHECK(d->find_floor(1'000_kHz).error() == errc::out_of_range);
  CHECK(*d->find_exact(1'200'000_kHz) == 4U);
  CHECK(d->find_exact(1'200'001_kHz).error() == errc::not_found);
  CHECK(d->ceil_index_clamped(1'900'000_kHz) == 7U);
  CHECK(d->ceil_index_clamped(0_kHz) == 0U);
  CHECK(d->ceil_index_clamped(1'000'000_kHz) == 3U);
}

TEST_CASE("a device perf domain has power only, like a devfreq EM", "[energy_model]") {
  // RK3399 Mali-T860 (coefficient 2640)
  constexpr std::array<opp, 6> gpu{{
      {200'000_kHz, 825'000_uV, {}},
      {297'000_kHz, 825'000_uV, {}},
      {400'000_kHz, 825'000_uV, {}},
      {500'000_kHz, 875'000_uV, {}},
      {600'000_kHz, 925'000_uV, {}},
      {800'000_kHz, 1'100'000_uV, {}},
  }};
  const auto d = em::make_from_opps(gpu, 2640, {});
  REQUIRE(d);
  CHECK_FALSE(d->is_cpu_domain());
  CHECK(d->nr_cpus() == 0U);
  CHECK((*d)[0].power == 359'370_uW);
  CHECK((*d)[5].power == 2'555'520_uW);
  CHECK(d->power_mw(5) == 2555_mW);
  for (const auto& s : d->states()) {
    CHECK(s.performance == 0U);
    CHECK(s.cost == 0U);
    CHECK(s.flags == 0U);
  }
  CHECK_FALSE(d->skips_inefficiencies());
}

TEST_CASE("explicit opp-microwatt powers are used verbatim", "[energy_model]") {
  auto rows = a72_opps;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].power = microwatts(static_cast<std::int64_t>(100'000 * (i + 1)));
  }
  const auto d = em::make_from_opps(rows, 0, a72_cpus);  // no coefficient needed
  REQUIRE(d);
  CHECK((*d)[0].power == 100'000_uW);
  CHECK((*d)[7].power == 800'000_uW);
}

TEST_CASE("EM registration rejects what the kernel rejects, naming the row or CPU",
          "[energy_model]") {
  SECTION("no coefficient and no explicit power: no EM") {
    const auto d = em::make_from_opps(a72_opps, 0, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::not_supported);
  }
  SECTION("invalid OPP rows are reported as OPP errors") {
    auto rows = a72_opps;
    rows[6].frequency = rows[5].frequency;
    const auto d = em::make_from_opps(rows, 436, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::not_increasing);
    CHECK(d.error().index == 6);
    CHECK(d.error().index2 == 5);
  }
  SECTION("no states") {
    const auto d = em::make({}, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::empty);
  }
  SECTION("more states than the capacity") {
    const auto d = em_perf_domain<4>::make_from_opps(a72_opps, 436, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::capacity_exceeded);
    std::array<em_state_input, 5> in{};
    for (std::size_t i = 0; i < in.size(); ++i) {
      in[i] = {kilohertz(static_cast<std::uint32_t>(100 * (i + 1))), 1000_uW};
    }
    const auto d2 = em_perf_domain<4>::make(in, a72_cpus);
    REQUIRE_FALSE(d2);
    CHECK(d2.error().code == errc::capacity_exceeded);
    CHECK(d2.error().index == 5);
  }
  SECTION("non-increasing frequencies") {
    const std::array<em_state_input, 3> in{{{100_kHz, 10_uW}, {200_kHz, 20_uW}, {200_kHz, 30_uW}}};
    const auto d = em::make(in, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::not_increasing);
    CHECK(what_is(d.error(), "em frequency"));
    CHECK(d.error().index == 2);
    CHECK(d.error().index2 == 1);
    const std::array<em_state_input, 2> zero{{{0_kHz, 10_uW}, {200_kHz, 20_uW}}};
    const auto z = em::make(zero, a72_cpus);
    REQUIRE_FALSE(z);
    CHECK(z.error().code == errc::non_positive);
    CHECK(z.error().index == 0);
  }
  SECTION("zero, negative and too large powers") {
    std::array<em_state_input, 3> in{{{100_kHz, 10_uW}, {200_kHz, 0_uW}, {300_kHz, 30_uW}}};
    auto d = em::make(in, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::non_positive);
    CHECK(d.error().index == 1);
    in[1].power = microwatts(-1);
    d = em::make(in, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::negative);
    in[1].power = em_max_power;  // exactly EM_MAX_POWER is allowed
    CHECK(em::make(in, a72_cpus));
    in[2].power = em_max_power + 1_uW;
    d = em::make(in, a72_cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::out_of_range);
    CHECK(d.error().index == 2);
    // a coefficient so large that an OPP exceeds 64 W
    const auto big = em::make_from_opps(a72_opps, 100'000, a72_cpus);
    REQUIRE_FALSE(big);
    CHECK(big.error().code == errc::out_of_range);
    CHECK(big.error().index == 3);  // 100000 * 875^2 * 1008 / 1e6 = 77 W, the first above 64 W
  }
  SECTION("CPUs with unequal capacities in one domain") {
    const std::array<em_cpu, 3> cpus{{{0, 381}, {1, 381}, {2, 1024}}};
    const auto d = em::make_from_opps(a53_opps, 100, cpus);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::invalid_argument);
    CHECK(d.error().index == 2);
    CHECK(d.error().index2 == 0);
  }
  SECTION("capacity outside 1..1024") {
    const std::array<em_cpu, 1> zero{{{0, 0}}};
    auto d = em::make_from_opps(a53_opps, 100, zero);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::out_of_range);
    CHECK(what_is(d.error(), "cpu capacity"));
    const std::array<em_cpu, 1> over{{{0, 1025}}};
    d = em::make_from_opps(a53_opps, 100, over);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::out_of_range);
  }
  SECTION("CPU ids beyond the mask and duplicate CPUs") {
    const std::array<em_cpu, 2> far{{{0, 1024}, {64, 1024}}};
    auto d = em::make_from_opps(a72_opps, 436, far);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::out_of_range);
    CHECK(d.error().index == 1);
    const std::array<em_cpu, 3> dup{{{3, 1024}, {4, 1024}, {3, 1024}}};
    d = em::make_from_opps(a72_opps, 436, dup);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::already_exists);
    CHECK(d.error().index == 2);
    CHECK(d.error().index2 == 0);
  }
  SECTION("more CPUs than EM_MAX_NUM_CPUS (a 32-bit kernel allows 16)") {
    std::array<em_cpu, 17> cpus{};
    for (std::uint32_t i = 0; i < cpus.size(); ++i) {
      cpus[i] = {i, 1024};
    }
    em_options opt;
    opt.max_num_cpus = em_max_num_cpus_32bit;
    const auto d = em::make_from_opps(a72_opps, 436, cpus, opt);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::capacity_exceeded);
    CHECK(d.error().index == 17);
    const auto ok = em::make_from_opps(a72_opps, 436, std::span<const em_cpu>(cpus).first(16), opt);
    CHECK(ok);
  }
  SECTION("a non-artificial EM must be in microwatts") {
    em_options opt;
    opt.microwatts = false;
    const auto d = em::make_from_opps(a72_opps, 436, a72_cpus, opt);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::invalid_argument);
    opt.artificial = true;
    const auto art = em::make_from_opps(a72_opps, 436, a72_cpus, opt);
    REQUIRE(art);
    CHECK((art->flags() & em_perf_domain_artificial) != 0);
    CHECK((art->flags() & em_perf_domain_microwatts) == 0);
  }
  SECTION("a performance of zero would divide by zero in the kernel") {
    const std::array<em_state_input, 2> in{{{1_kHz, 10_uW}, {2'000'000_kHz, 20_uW}}};
    const std::array<em_cpu, 1> small{{{0, 100}}};
    const auto d = em::make(in, small);
    REQUIRE_FALSE(d);
    CHECK(d.error().code == errc::out_of_range);
    CHECK(d.error().index == 0);
  }
}

TEST_CASE("a CPU may belong to one perf domain only", "[energy_model]") {
  const auto big = em::make_from_opps(a72_opps, 436, a72_cpus);
  const auto little = em::make_from_opps(a53_opps, 100, a53_cpus);
  REQUIRE(big);
  REQUIRE(little);
  const std::array<em_perf_domain_view, 2> ok{{big->view(), little->view()}};
  CHECK(em_check_disjoint(ok).ok());
  const std::array<em_cpu, 2> overlapping{{{3, 1024}, {9, 1024}}};
  const auto other = em::make_from_opps(a72_opps, 436, overlapping);
  REQUIRE(other);
  const std::array<em_perf_domain_view, 3> bad{{big->view(), little->view(), other->view()}};
  const error e = em_check_disjoint(bad);
  CHECK(e.code == errc::already_exists);
  CHECK(e.index == 2);
  CHECK(e.index2 == 1);
}

TEST_CASE("CPU capacities are normalised from capacity-dmips-mhz and the max frequency",
          "[energy_model]") {
  // RK3399: A53 485 DMIPS/MHz @1416 MHz, A72 1024 @1800 MHz -> 381 and 1024
  const std::array<cpu_capacity_input, 3> cpus{
      {{485, 1'416'000_kHz}, {1024, 1'800'000_kHz}, {485, 1'416'000_kHz}}};
  std::array<std::uint32_t, 3> cap{};
  REQUIRE(normalize_cpu_capacity(cpus, cap).ok());
  CHECK(cap[0] == 381U);
  CHECK(cap[1] == 1024U);
  CHECK(cap[2] == 381U);
  // MT8183: equal max frequencies -> capacity = dmips
  const std::array<cpu_capacity_input, 2> mt{{{741, 1'989'000_kHz}, {1024, 1'989'000_kHz}}};
  std::array<std::uint32_t, 2> mtcap{};
  REQUIRE(normalize_cpu_capacity(mt, mtcap).ok());
  CHECK(mtcap[0] == 741U);

  SECTION("rejections") {
    CHECK(normalize_cpu_capacity({}, {}).code == errc::empty);
    std::array<std::uint32_t, 2> small{};
    CHECK(normalize_cpu_capacity(cpus, small).code == errc::invalid_argument);
    const std::array<cpu_capacity_input, 2> nodmips{{{485, 1'416'000_kHz}, {0, 1'800'000_kHz}}};
    std::array<std::uint32_t, 2> out{};
    const error e = normalize_cpu_capacity(nodmips, out);
    CHECK(e.code == errc::non_positive);
    CHECK(e.index == 1);
    const std::array<cpu_capacity_input, 1> nofreq{{{485, 0_kHz}}};
    std::array<std::uint32_t, 1> one{};
    CHECK(normalize_cpu_capacity(nofreq, one).code == errc::non_positive);
    const std::array<cpu_capacity_input, 1> huge{{{0xFFFF'FFFFU, kilohertz(0xFFFF'FFFFU)}}};
    CHECK(normalize_cpu_capacity(huge, one).code == errc::out_of_range);
  }
}

TEST_CASE("an Energy Model can be built at compile time", "[energy_model]") {
  constexpr auto d = em::make_from_opps(a72_opps, 436, a72_cpus);
  STATIC_REQUIRE(d.has_value());
  STATIC_REQUIRE((*d)[7].power.count() == 1'130'112);
  STATIC_REQUIRE((*d)[0].inefficient());
  STATIC_REQUIRE(d->cpu_energy(300, 500, 1024) == 5218U * 500U);
  constexpr auto bad = em::make_from_opps(a72_opps, 0, a72_cpus);
  STATIC_REQUIRE(!bad.has_value());
}

TEST_CASE("a view sees the same domain without the capacity in its type", "[energy_model]") {
  const auto d = em::make_from_opps(a72_opps, 436, a72_cpus);
  REQUIRE(d);
  const em_perf_domain_view v = d->view();
  CHECK_FALSE(v.empty());
  CHECK(v.nr_perf_states() == 8U);
  CHECK(v[3] == (*d)[3]);
  CHECK(v.cpu_energy(300, 500, 1024) == d->cpu_energy(300, 500, 1024));
  CHECK(v.nr_cpus() == 2U);
  CHECK(v.cost_model() == em_cost_model::v6_9);
  CHECK(em_perf_domain_view{}.empty());
}

TEST_CASE("Energy Model registration and lookups never touch the heap", "[energy_model]") {
  THERMO_REQUIRE_NO_HEAP({
    const auto d = em::make_from_opps(a72_opps, 436, a72_cpus);
    REQUIRE(d);
    const auto v = d->view();
    CHECK(v.cpu_energy(300, 500, 1024) == 5218U * 500U);
    CHECK(v.efficient_state(700) == 5U);
    CHECK(*v.find_ceil(1'000'000_kHz) == 3U);
    CHECK(v.power_mw(*v.state_to_index(0)) == 1130_mW);
    const auto bad = em::make_from_opps(a72_opps, 0, a72_cpus);
    CHECK_FALSE(bad);
    std::array<std::uint32_t, 1> cap{};
    const std::array<cpu_capacity_input, 1> one{{{485, 1'416'000_kHz}}};
    CHECK(normalize_cpu_capacity(one, cap).ok());
  });
}
