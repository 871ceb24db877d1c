// The power-allocator audit (analysis/ipa_audit.hpp): parameters pinned by a trace, the re-run
// tick by tick, and the divergences it reports.
#include <catch2/catch.hpp>

#include <vector>

#include "thermo/analysis/ipa_audit.hpp"

namespace {

using namespace thermo;
using namespace thermo::analysis::ipa_audit;

logged_tick tick(std::int64_t t_us, std::int32_t cur, std::int32_t delta, std::int32_t err, std::int32_t ei, std::int64_t p,
                 std::int64_t i, std::int32_t out, std::vector<logged_actor> actors, std::uint32_t max_alloc) {
  logged_tick t;
  t.time_ns = t_us * 1000;
  t.current_temperature = cur;
  t.delta_temperature = delta;
  t.err = err;
  t.err_integral = ei;
  t.p = p;
  t.i = i;
  t.output = out;
  t.actors = std::move(actors);
  t.power_range = static_cast<std::uint32_t>(out);
  t.max_allocatable_power = max_alloc;
  for (const logged_actor& a : t.actors) {
    t.total_req_power += a.req_power;
    t.total_granted_power += a.granted_power;
  }
  return t;
}

// The six complete ticks of the SC7180 excerpt (../shared/data/traces/sc7180-ipa-2020.txt).
std::vector<logged_tick> sc7180() {
  return {
      tick(48'036'036, 60000, 10000, 10000, 0, 2402, 0, 1776, {{0x96, 0x6f0}}, 1776),
      tick(52'480'931, 70000, 0, 0, 0, 0, 0, 1202, {{0x45e, 0x4b2}}, 1776),
      tick(104'523'148, 70000, 0, 0, -31200, 0, -305, 897, {{0x406, 0x381}}, 1776),
      tick(104'608'642, 67800, 2200, 2200, -31200, 528, -305, 1425, {{0x331, 0x591}}, 1776),
      tick(104'630'932, 70000, 0, 0, -31200, 0, -305, 897, {{0x3f4, 0x381}}, 1776),
      tick(104'687'567, 67800, 2200, 2200, -31200, 528, -305, 1425, {{0x338, 0x591}}, 1776),
  };
}

}  // namespace

TEST_CASE("bound_gain gives the integers k with floor(k x / 1024) = y") {
  std::int64_t lo = 0;
  std::int64_t hi = 1'000'000;
  bound_gain(10000, 2402, lo, hi);  // 246·10000/1024 = 2402.3
  CHECK(lo == 246);
  CHECK(hi == 246);
  lo = -1'000'000;
  hi = 1'000'000;
  bound_gain(-31200, -305, lo, hi);  // 10·(−31200)/1024 = −304.7 → −305
  CHECK(lo == 10);
  CHECK(hi == 10);
  lo = 0;
  hi = 1'000'000;
  bound_gain(100, 0, lo, hi);  // k·100 < 1024
  CHECK(lo == 0);
  CHECK(hi == 10);
}

TEST_CASE("the SC7180 excerpt pins k_pu, k_i and the sustainable power, as its source states") {
  const std::vector<logged_tick> t = sc7180();
  parameters prm;
  resolve(prm, t);
  REQUIRE(prm.k_pu.known());
  CHECK(*prm.k_pu.value == 246);
  CHECK(prm.k_pu.from == source::trace);
  REQUIRE(prm.k_i.known());
  CHECK(*prm.k_i.value == 10);
  REQUIRE(prm.sustainable_power.known());
  CHECK(*prm.sustainable_power.value == 1202);
  CHECK(prm.sustainable_power.from == source::trace);
  // k_po is never used (no tick above the control temperature): the kernel's estimate
  CHECK(prm.k_po.from == source::estimate);
  REQUIRE(prm.max_power.size() == 1);
  CHECK(*prm.max_power[0].value == 1776);
}

TEST_CASE("the SC7180 excerpt re-runs identically, with one resync at the second run") {
  const std::vector<logged_tick> t = sc7180();
  parameters prm;
  resolve(prm, t);
  const report r = run(t, prm);
  CHECK(r.ticks.size() == 6);
  CHECK(r.identical == 6);
  CHECK(r.within == 6);
  CHECK(!r.first.has_value());
  CHECK(r.resyncs == 1);
  CHECK(r.ticks[0].seeded);
  CHECK(r.ticks[2].resync);
  CHECK(r.ticks[3].computed[static_cast<std::size_t>(term::output)] == 1425);
  CHECK(r.ticks[3].computed_granted[0] == 1425);
}

TEST_CASE("a logged term that differs from the reference is the first divergence, with its line") {
  std::vector<logged_tick> t = sc7180();
  t[3].p = 530;  // the board's governor computed a different proportional term
  t[3].line = 14;
  parameters prm;
  prm.k_pu.set(246, source::option);
  prm.k_i.set(10, source::option);
  prm.sustainable_power.set(1202, source::option);
  resolve(prm, t);
  const report r = run(t, prm);
  REQUIRE(r.first.has_value());
  CHECK(r.first->tick == 3);
  CHECK(r.first->line == 14);
  CHECK(r.first->what == std::string("p"));
  CHECK(r.first->logged == 530);
  CHECK(r.first->computed == 528);
  CHECK(r.identical == 5);
  // within a tolerance of 2 mW it passes
  const report r2 = run(t, prm, 2);
  CHECK(!r2.first.has_value());
  CHECK(r2.first_difference.has_value());
  CHECK(r2.within == 6);
  CHECK(r2.identical == 5);
}

TEST_CASE("an integral that cannot follow without a gap is a divergence, not a resync") {
  std::vector<logged_tick> t = sc7180();
  t[4].err_integral = -30000;  // 22 ms after the previous tick
  parameters prm;
  prm.k_i.set(10, source::option);  // else no single k_i explains the trace's i terms
  resolve(prm, t);
  const report r = run(t, prm);
  REQUIRE(r.first.has_value());
  CHECK(r.first->tick == 4);
  CHECK(r.first->what == std::string("err_integral"));
  CHECK(r.resyncs == 1);
}

TEST_CASE("a reset below the switch-on temperature clears the integral before the next tick") {
  // Three ticks above the control temperature accumulate; after a reset the integral restarts.
  parameters prm;
  prm.k_po.set(100, source::option);
  prm.k_pu.set(200, source::option);
  prm.k_i.set(20, source::option);
  prm.sustainable_power.set(1000, source::option);
  std::vector<logged_tick> t;
  // T = 71000, ctrl 70000: err = −1000; p = 100·(−1000)/1024 → −98 (floor −97.66); integral −1000,
  // i = 20·(−1000)/1024 = −19.5 → −20; output = 1000 + ⌊(−100000 − 20000)/1024⌋ = 1000 − 118 = 882
  t.push_back(tick(0, 71000, -1000, -1000, -1000, -98, -20, 882, {{500, 882}}, 2000));
  // second: integral −2000, i = −40000 Q10 → −40 (−39.06 → −40); output = 1000 + ⌊−140000/1024⌋ = 1000 − 137 = 863
  t.push_back(tick(100'000, 71000, -1000, -1000, -2000, -98, -40, 863, {{500, 863}}, 2000));
  // after a reset: integral back to −1000
  logged_tick third = tick(200'000, 71000, -1000, -1000, -1000, -98, -20, 882, {{500, 882}}, 2000);
  third.reset_before = true;
  t.push_back(third);
  resolve(prm, t);
  const report r = run(t, prm);
  CHECK(r.identical == 3);
  CHECK(!r.first.has_value());
  // without the reset mark, the third tick diverges
  t[2].reset_before = false;
  const report r2 = run(t, prm);
  REQUIRE(r2.first.has_value());
  CHECK(r2.first->tick == 2);
}

TEST_CASE("two actors: weights and maximum powers decide the split, and the kernel version too") {
  // big 1024, little 512; requests 1000 and 2000 mW; power range 1500 mW.
  parameters prm;
  prm.k_po.set(0, source::option);
  prm.k_pu.set(0, source::option);
  prm.k_i.set(0, source::option);
  prm.sustainable_power.set(1500, source::option);
  prm.weights = {1024, 512};
  prm.max_power = {};
  prm.max_power.resize(2);
  prm.max_power[0].set(3000, source::option);
  prm.max_power[1].set(3000, source::option);
  // weighted requests 1000 and 1000 → 750 / 750 (6.12.18 and later)
  std::vector<logged_tick> t{tick(0, 70000, 0, 0, 0, 0, 0, 1500, {{1000, 750}, {2000, 750}}, 6000)};
  resolve(prm, t);
  CHECK(run(t, prm).identical == 1);
  // 6.8 … 6.12.17 split the unweighted requests over the weighted total: 1000·1500/2000 = 750 and
  // 2000·1500/2000 = 1500
  prm.kernel = control::kernel_behaviour_of(*control::parse_kernel_version("6.12.17"));
  const report old = run(t, prm);
  REQUIRE(old.first.has_value());
  CHECK(old.first->what == std::string("granted"));
  CHECK(*old.first->actor == 1);
  CHECK(old.first->computed == 1500);
  std::vector<logged_tick> t2{tick(0, 70000, 0, 0, 0, 0, 0, 1500, {{1000, 750}, {2000, 1500}}, 6000)};
  CHECK(run(t2, prm).identical == 1);
}

TEST_CASE("with two actors and one maximum unknown, the other is the rest of max_allocatable_power") {
  parameters prm;
  prm.k_po.set(0, source::option);
  prm.k_pu.set(0, source::option);
  prm.k_i.set(0, source::option);
  prm.sustainable_power.set(1500, source::option);
  prm.max_power.resize(2);
  prm.max_power[0].set(400, source::option);
  // requests 1000 / 1000 → 750 each; actor 0 capped at 400, its 350 go to actor 1 (room 1100):
  // 750 + 350 = 1100
  std::vector<logged_tick> t{tick(0, 70000, 0, 0, 0, 0, 0, 1500, {{1000, 400}, {1000, 1100}}, 1900)};
  resolve(prm, t);
  const report r = run(t, prm);
  CHECK(r.identical == 1);
  CHECK(r.grants_unchecked == 0);
  // with no maximum known, the grants of two actors cannot be checked
  parameters open;
  open.k_po.set(0, source::option);
  open.k_pu.set(0, source::option);
  open.k_i.set(0, source::option);
  open.sustainable_power.set(1500, source::option);
  resolve(open, t);
  const report r2 = run(t, open);
  CHECK(r2.grants_unchecked == 1);
  CHECK(!r2.ticks[0].granted_checked[0]);
  CHECK(r2.identical == 1);  // the PID terms still match
}

TEST_CASE("an empty gain interval leaves the gain unknown and says so") {
  // p = 2402 at err 10000 (k_pu 246) and p = 100 at err 10000: no single gain
  std::vector<logged_tick> t{tick(0, 60000, 10000, 10000, 0, 2402, 0, 1776, {{150, 1776}}, 1776),
                             tick(1000, 60000, 10000, 10000, 0, 100, 0, 1776, {{150, 1776}}, 1776)};
  parameters prm;
  resolve(prm, t);
  CHECK(!prm.k_pu.known());
  REQUIRE(prm.k_pu.lo.has_value());
  CHECK(*prm.k_pu.lo > *prm.k_pu.hi);
}
