#include "thermo/power/power_budget.hpp"

#include <array>
#include <cstring>
#include <vector>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"

using namespace thermo;
using namespace thermo::literals;
using namespace thermo::power;

namespace {
// RK3399 (Rock960): A53 x4 (C=100, capacity 381), A72 x2 (C=436), Mali-T860 (C=2640).
constexpr std::array<opp, 6> a53_opps{{{408'000_kHz, 825'000_uV, {}},
                                       {600'000_kHz, 825'000_uV, {}},
                                       {816'000_kHz, 850'000_uV, {}},
                                       {1'008'000_kHz, 925'000_uV, {}},
                                       {1'200'000_kHz, 1'000'000_uV, {}},
                                       {1'416'000_kHz, 1'125'000_uV, {}}}};
constexpr std::array<opp, 8> a72_opps{{{408'000_kHz, 825'000_uV, {}},
                                       {600'000_kHz, 825'000_uV, {}},
                                       {816'000_kHz, 825'000_uV, {}},
                                       {1'008'000_kHz, 875'000_uV, {}},
                                       {1'200'000_kHz, 950'000_uV, {}},
                                       {1'416'000_kHz, 1'025'000_uV, {}},
                                       {1'608'000_kHz, 1'100'000_uV, {}},
                                       {1'800'000_kHz, 1'200'000_uV, {}}}};
constexpr std::array<opp, 6> gpu_opps{{{200'000_kHz, 825'000_uV, {}},
                                       {297'000_kHz, 825'000_uV, {}},
                                       {400'000_kHz, 825'000_uV, {}},
                                       {500'000_kHz, 875'000_uV, {}},
                                       {600'000_kHz, 925'000_uV, {}},
                                       {800'000_kHz, 1'100'000_uV, {}}}};
constexpr std::array<em_cpu, 4> a53_cpus{{{0, 381}, {1, 381}, {2, 381}, {3, 381}}};
constexpr std::array<em_cpu, 2> a72_cpus{{{4, 1024}, {5, 1024}}};

struct rk3399_em {
  em_perf_domain<8> little = *em_perf_domain<8>::make_from_opps(a53_opps, 100, a53_cpus);
  em_perf_domain<8> big = *em_perf_domain<8>::make_from_opps(a72_opps, 436, a72_cpus);
  em_perf_domain<8> gpu = *em_perf_domain<8>::make_from_opps(gpu_opps, 2640, {});
};

// The kernel's RK3399 hierarchy: rk3399 -> package -> {cpu0 (little), cpu4 (big), gpu}.
struct rk3399_tree {
  explicit rk3399_tree(const rk3399_em& em) {
    root = *budget.add_virtual("rk3399");
    package = *budget.add_virtual("package", root);
    little = *budget.add_cpu("cpu0", package, em.little.view());
    big = *budget.add_cpu("cpu4", package, em.big.view());
    gpu = *budget.add_devfreq("gpu", package, em.gpu.view());
  }
  power_budget<8> budget;
  dtpm_id root{}, package{}, little{}, big{}, gpu{};
};

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}
}  // namespace

TEST_CASE("DTPM aggregates min, max and limit up the tree and weighs children by their max",
          "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  auto& b = t.budget;
  CHECK(b.size() == 5U);
  CHECK(*b.root() == t.root);
  // leaves: n * EM[0].power and n * EM[last].power
  CHECK(b.power_min(t.little) == 111'076_uW);  // 4 * 27 769
  CHECK(b.power_max(t.little) == 716'848_uW);  // 4 * 179 212
  CHECK(b.power_min(t.big) == 242'150_uW);
  CHECK(b.power_max(t.big) == 2'260'224_uW);
  CHECK(b.power_min(t.gpu) == 359'370_uW);
  CHECK(b.power_max(t.gpu) == 2'555'520_uW);
  for (const dtpm_id inner : {t.package, t.root}) {
    CHECK(b.power_min(inner) == 712'596_uW);
    CHECK(b.power_max(inner) == 5'532'592_uW);
    CHECK(b.power_limit(inner) == 5'532'592_uW);
  }
  // weights: round_closest(max * 1024 / parent max)
  CHECK(b.weight(t.package) == 1024U);
  CHECK(b.weight(t.little) == 133U);
  CHECK(b.weight(t.big) == 418U);
  CHECK(b.weight(t.gpu) == 473U);
  CHECK(b.weight(t.root) == 1024U);
  // leaves start uncapped
  CHECK(b.leaf_frequency(t.big) == 1'800'000_kHz);
  CHECK(b.leaf_state(t.gpu) == 5U);
  CHECK(b.leaf_frequency(t.package) == 0_kHz);
  CHECK(b.kind(t.little) == dtpm_kind::cpu);
  CHECK(b.kind(t.gpu) == dtpm_kind::devfreq);
  CHECK(b.kind(t.package) == dtpm_kind::virtual_node);
  CHECK(b.parent(t.little) == t.package);
  CHECK(b.parent(t.root) == dtpm_no_parent);
  CHECK(b.online_cpus(t.little) == 4U);
  CHECK(b.online_cpus(t.gpu) == 1U);
  CHECK(b.name(t.big) == "cpu4");
  CHECK(*b.find("gpu") == t.gpu);
  CHECK(b.find("npu").error() == errc::not_found);
  CHECK(b.energy_model(t.big).nr_perf_states() == 8U);
  CHECK_FALSE(b.limited(t.root));
}

TEST_CASE("a 3 W budget is split by weight and each leaf takes the highest OPP that fits",
          "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  std::vector<dtpm_leaf_update> updates;
  const auto r = t.budget.set_power_limit(t.root, 3'000'000_uW,
                                          [&](const dtpm_leaf_update& u) { updates.push_back(u); });
  REQUIRE(r);
  // shares: round_closest(3e6 * w / 1024) = 389 648, 1 224 609, 1 385 742 uW
  CHECK(t.budget.leaf_state(t.little) == 3U);  // 4 * 86 247 = 344 988 <= 389 648
  CHECK(t.budget.power_limit(t.little) == 344'988_uW);
  CHECK(t.budget.leaf_state(t.big) == 4U);  // 2 * 472 188 = 944 376 <= 1 224 609
  CHECK(t.budget.power_limit(t.big) == 944'376_uW);
  CHECK(t.budget.leaf_state(t.gpu) == 4U);  // 1 355 310 <= 1 385 742
  CHECK(t.budget.power_limit(t.gpu) == 1'355'310_uW);
  // the inner limits are the achievable sums, not the request
  CHECK(r->limit == 2'644'674_uW);
  CHECK(t.budget.power_limit(t.root) == 2'644'674_uW);
  CHECK(t.budget.power_limit(t.package) == 2'644'674_uW);
  CHECK(r->leaves_changed == 3U);
  REQUIRE(updates.size() == 3U);
  CHECK(updates[0].node == t.little);
  CHECK(updates[0].frequency == 1'008'000_kHz);
  CHECK(updates[0].limit == 344'988_uW);
  CHECK_FALSE(updates[0].below_min);
  CHECK(updates[1].node == t.big);
  CHECK(updates[1].frequency == 1'200'000_kHz);
  CHECK(updates[2].node == t.gpu);
  CHECK(updates[2].state == 4U);
  CHECK(t.budget.leaf_frequency(t.gpu) == 600'000_kHz);
  CHECK(t.budget.limited(t.root));
  CHECK(t.budget.limited(t.little));

  SECTION("setting the same limit again changes no leaf") {
    updates.clear();
    const auto again = t.budget.set_power_limit(
        t.root, 3'000'000_uW, [&](const dtpm_leaf_update& u) { updates.push_back(u); });
    REQUIRE(again);
    CHECK(again->leaves_changed == 0U);
    CHECK(updates.empty());
    CHECK(again->limit == 2'644'674_uW);
  }
  SECTION("the max restores every leaf's exact max") {
    const auto full = t.budget.set_power_limit(t.root, 5'532'592_uW);
    REQUIRE(full);
    CHECK(full->limit == 5'532'592_uW);
    CHECK(full->leaves_changed == 3U);
    CHECK(t.budget.power_limit(t.little) == 716'848_uW);
    CHECK(t.budget.leaf_frequency(t.big) == 1'800'000_kHz);
    CHECK_FALSE(t.budget.limited(t.root));
    CHECK_FALSE(t.budget.limited(t.gpu));
  }
}

TEST_CASE("limits outside [min, max] are clamped and min and max reach the leaves exactly",
          "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  auto& b = t.budget;
  auto r = b.set_power_limit(t.root, 100'000'000_uW);  // above max
  REQUIRE(r);
  CHECK(r->limit == 5'532'592_uW);
  CHECK_FALSE(b.limited(t.root));
  r = b.set_power_limit(t.root, 0_uW);  // below min -> min: every leaf at its lowest OPP
  REQUIRE(r);
  CHECK(r->limit == 712'596_uW);
  CHECK(b.leaf_state(t.little) == 0U);
  CHECK(b.leaf_state(t.big) == 0U);
  CHECK(b.leaf_state(t.gpu) == 0U);
  CHECK(b.power_limit(t.little) == 111'076_uW);
  CHECK(b.limited(t.root));
  r = b.set_power_limit(t.root, 712'596_uW);  // exactly min
  REQUIRE(r);
  CHECK(r->limit == 712'596_uW);
  CHECK(r->leaves_changed == 0U);
}

TEST_CASE("a leaf whose share falls below its min takes its lowest OPP instead of an invalid index",
          "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  std::vector<dtpm_leaf_update> updates;
  // 800 mW: little's share round_closest(800000 * 133 / 1024) = 103 906 < its min 111 076
  const auto r = t.budget.set_power_limit(t.root, 800'000_uW,
                                          [&](const dtpm_leaf_update& u) { updates.push_back(u); });
  REQUIRE(r);
  REQUIRE(updates.size() == 3U);
  CHECK(updates[0].node == t.little);
  CHECK(updates[0].below_min);
  CHECK(updates[0].state == 0U);
  CHECK(updates[0].limit == 111'076_uW);
  CHECK_FALSE(updates[1].below_min);  // big: 326 563 >= 242 150
  CHECK(updates[2].node == t.gpu);
  CHECK_FALSE(updates[2].below_min);  // gpu: 369 531 >= 359 370
  CHECK(r->limit == 712'596_uW);
}

TEST_CASE("a limit set on an inner node splits below it and keeps the ancestors' sums",
          "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  auto& b = t.budget;
  const auto r = b.set_power_limit(t.package, 1'000'000_uW);
  REQUIRE(r);
  // shares 129 883 / 408 203 / 461 914 -> states 0 / 1 / 0
  CHECK(b.leaf_state(t.little) == 0U);
  CHECK(b.leaf_state(t.big) == 1U);
  CHECK(b.power_limit(t.big) == 356'102_uW);
  CHECK(b.leaf_state(t.gpu) == 0U);
  CHECK(r->limit == 826'548_uW);
  CHECK(b.power_limit(t.root) == 826'548_uW);
  CHECK(b.limited(t.package));
  CHECK_FALSE(b.limited(t.root));  // only the subtree is flagged

  SECTION("a limit on a leaf alone") {
    const auto leaf = b.set_power_limit(t.gpu, 1'100'000_uW);
    REQUIRE(leaf);
    CHECK(leaf->limit == 1'010'625_uW);
    CHECK(b.leaf_state(t.gpu) == 3U);
    CHECK(b.power_limit(t.package) == 111'076_uW + 356'102_uW + 1'010'625_uW);
    CHECK(b.power_limit(t.root) == b.power_limit(t.package));
  }
}

TEST_CASE("CPU hotplug updates a leaf's min and max, the sums and the weights", "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  auto& b = t.budget;
  REQUIRE(b.set_online_cpus(t.little, 2).ok());
  CHECK(b.power_min(t.little) == 55'538_uW);
  CHECK(b.power_max(t.little) == 358'424_uW);
  CHECK(b.power_limit(t.little) == 358'424_uW);  // unlimited: limit follows max
  CHECK(b.power_max(t.root) == 5'532'592_uW - 358'424_uW);
  CHECK(b.power_limit(t.root) == b.power_max(t.root));
  CHECK(b.weight(t.little) == 71U);  // round_closest(358424 * 1024 / 5174168)
  CHECK(b.online_cpus(t.little) == 2U);

  SECTION("a limited leaf keeps its limit and frequency cap, as in the kernel") {
    REQUIRE(b.set_power_limit(t.big, 1'000'000_uW));
    CHECK(b.power_limit(t.big) == 944'376_uW);
    REQUIRE(b.set_online_cpus(t.big, 1).ok());
    CHECK(b.power_max(t.big) == 1'130'112_uW);
    CHECK(b.power_limit(t.big) == 944'376_uW);
    CHECK(b.leaf_state(t.big) == 4U);
  }
  SECTION("with every CPU offline the weights under a zero max are 0, not a division by zero") {
    power_budget<4> solo;
    const auto root = *solo.add_virtual("root");
    const auto cpu = *solo.add_cpu("cpu0", root, em.little.view());
    REQUIRE(solo.set_online_cpus(cpu, 0).ok());
    CHECK(solo.power_max(root) == 0_uW);
    CHECK(solo.weight(cpu) == 0U);
    const auto r = solo.set_power_limit(root, 1'000_uW);
    REQUIRE(r);
    CHECK(r->limit == 0_uW);
  }
}

TEST_CASE("the current power of a node sums its leaves", "[power_budget]") {
  const rk3399_em em;
  rk3399_tree t(em);
  const auto p = t.budget.get_power(t.package, [](dtpm_id, em_perf_domain_view v, std::uint32_t n) {
    return v.highest().power * static_cast<std::int64_t>(n);
  });
  CHECK(p == 5'532'592_uW);
  const auto gpu_only = t.budget.get_power(
      t.gpu, [](dtpm_id, em_perf_domain_view v, std::uint32_t) { return v.lowest().power; });
  CHECK(gpu_only == 359'370_uW);
  // dtpm_cpu: EM power at the current frequency scaled by sum_util / capacity
  const auto big = em.big.view();
  CHECK(dtpm_cpu_power(big, 1'200'000_kHz, 1024) == 472'188_uW);     // one CPU fully busy
  CHECK(dtpm_cpu_power(big, 1'100'000_kHz, 512) == 472'188_uW / 2);  // ceil to 1.2 GHz, half busy
  CHECK(dtpm_cpu_power(big, 1'900'000_kHz, 1024) == 0_uW);           // above every state
  CHECK(dtpm_cpu_power(em.little.view(), 1'416'000_kHz, 381) == 179'212_uW);  // capacity 381
}

TEST_CASE("DTPM registration and limits reject bad input", "[power_budget]") {
  const rk3399_em em;
  SECTION("one root only") {
    power_budget<4> b;
    REQUIRE(b.add_virtual("a"));
    const auto second = b.add_virtual("b");
    REQUIRE_FALSE(second);
    CHECK(second.error().code == errc::already_exists);
  }
  SECTION("a parent before any root") {
    power_budget<4> b;
    const auto r = b.add_virtual("child", 0);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(b.root().error() == errc::not_found);
  }
  SECTION("an unknown parent") {
    power_budget<4> b;
    REQUIRE(b.add_virtual("root"));
    const auto r = b.add_cpu("cpu0", 3, em.little.view());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::out_of_range);
    CHECK(r.error().index == 3);
  }
  SECTION("a leaf cannot have children") {
    power_budget<4> b;
    const auto root = *b.add_virtual("root");
    const auto leaf = *b.add_cpu("cpu0", root, em.little.view());
    const auto r = b.add_devfreq("gpu", leaf, em.gpu.view());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    CHECK(what_is(r.error(), "dtpm parent is a leaf"));
  }
  SECTION("more nodes than the capacity") {
    power_budget<2> b;
    const auto root = *b.add_virtual("root");
    REQUIRE(b.add_cpu("cpu0", root, em.little.view()));
    const auto r = b.add_cpu("cpu4", root, em.big.view());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::capacity_exceeded);
  }
  SECTION("leaves need an Energy Model, CPU leaves a CPU domain and at most its CPUs") {
    power_budget<4> b;
    const auto root = *b.add_virtual("root");
    auto r = b.add_cpu("cpu0", root, em_perf_domain_view{});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::empty);
    r = b.add_devfreq("gpu", root, em_perf_domain_view{});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::empty);
    r = b.add_cpu("gpu-as-cpu", root, em.gpu.view());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::invalid_argument);
    r = b.add_cpu("cpu0", root, em.little.view(), 5);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::out_of_range);
  }
  SECTION("limits on unknown nodes and negative limits") {
    rk3399_tree t(em);
    auto r = t.budget.set_power_limit(9, 1'000'000_uW);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::out_of_range);
    r = t.budget.set_power_limit(t.root, microwatts(-1));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::negative);
    CHECK(t.budget.power_limit(t.root) == 5'532'592_uW);  // unchanged
  }
  SECTION("hotplug on a non-CPU node or beyond the domain") {
    rk3399_tree t(em);
    CHECK(t.budget.set_online_cpus(t.gpu, 1).code == errc::invalid_argument);
    CHECK(t.budget.set_online_cpus(t.package, 1).code == errc::invalid_argument);
    CHECK(t.budget.set_online_cpus(t.little, 5).code == errc::out_of_range);
    CHECK(t.budget.set_online_cpus(42, 1).code == errc::out_of_range);
  }
}

TEST_CASE("power budgets never touch the heap", "[power_budget]") {
  const rk3399_em em;
  THERMO_REQUIRE_NO_HEAP({
    rk3399_tree t(em);
    std::size_t calls = 0;
    const auto r =
        t.budget.set_power_limit(t.root, 3'000'000_uW, [&](const dtpm_leaf_update&) { ++calls; });
    REQUIRE(r);
    CHECK(calls == 3U);
    CHECK(t.budget.set_online_cpus(t.little, 3).ok());
    CHECK(t.budget.set_power_limit(t.package, 2'000'000_uW));
    const auto bad = t.budget.add_virtual("second root");
    CHECK_FALSE(bad);
  });
}
