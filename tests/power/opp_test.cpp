#include "thermo/power/opp.hpp"

#include <array>
#include <cstring>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"

using namespace thermo;
using namespace thermo::literals;
using thermo::power::opp;
using thermo::power::opp_table;

namespace {
// RK3399 little cluster (rk3399-base.dtsi, opp-table-0).
constexpr std::array<opp, 6> rk3399_little{{
    {408'000_kHz, 825'000_uV, {}},
    {600'000_kHz, 825'000_uV, {}},
    {816'000_kHz, 850'000_uV, {}},
    {1'008'000_kHz, 925'000_uV, {}},
    {1'200'000_kHz, 1'000'000_uV, {}},
    {1'416'000_kHz, 1'125'000_uV, {}},
}};

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}
}  // namespace

TEST_CASE("an OPP table keeps valid rows in ascending frequency", "[opp]") {
  const auto t = opp_table<8>::make(rk3399_little);
  REQUIRE(t);
  CHECK(t->size() == 6U);
  CHECK(t->max_state() == 5U);
  CHECK(t->lowest().frequency == 408'000_kHz);
  CHECK(t->highest().voltage == 1'125'000_uV);
  CHECK((*t)[2].frequency == 816'000_kHz);
  CHECK_FALSE(t->has_explicit_power());
  CHECK(t->rows().size() == 6U);
}

TEST_CASE("OPP ceil and floor lookups follow the kernel's OPP library", "[opp]") {
  const auto t = opp_table<8>::make(rk3399_little);
  REQUIRE(t);
  // ceil: lowest OPP with f >= request
  CHECK(*t->find_ceil(0_kHz) == 0U);
  CHECK(*t->find_ceil(408'000_kHz) == 0U);
  CHECK(*t->find_ceil(408'001_kHz) == 1U);
  CHECK(*t->find_ceil(1'416'000_kHz) == 5U);
  CHECK(t->find_ceil(1'416'001_kHz).error() == errc::out_of_range);
  // floor: highest OPP with f <= request
  CHECK(*t->find_floor(2'000'000_kHz) == 5U);
  CHECK(*t->find_floor(1'416'000_kHz) == 5U);
  CHECK(*t->find_floor(1'415'999_kHz) == 4U);
  CHECK(*t->find_floor(408'000_kHz) == 0U);
  CHECK(t->find_floor(407'999_kHz).error() == errc::out_of_range);
  // exact
  CHECK(*t->find_exact(816'000_kHz) == 2U);
  CHECK(t->find_exact(816'001_kHz).error() == errc::not_found);
}

TEST_CASE("cooling state 0 is the fastest OPP and max_state the slowest", "[opp]") {
  const auto t = opp_table<8>::make(rk3399_little);
  REQUIRE(t);
  CHECK(*t->state_to_index(0) == 5U);
  CHECK(*t->state_to_index(5) == 0U);
  CHECK(*t->state_to_index(2) == 3U);
  CHECK(t->state_to_index(6).error() == errc::out_of_range);
  CHECK(*t->index_to_state(5) == 0U);
  CHECK(*t->index_to_state(0) == 5U);
  CHECK(t->index_to_state(6).error() == errc::out_of_range);
  for (std::size_t s = 0; s <= t->max_state(); ++s) {
    CHECK(*t->index_to_state(*t->state_to_index(s)) == s);
  }
}

TEST_CASE("OPP tables reject bad rows and name the row", "[opp]") {
  SECTION("empty table") {
    const auto t = opp_table<4>::make({});
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::empty);
  }
  SECTION("more rows than the capacity") {
    const auto t = opp_table<4>::make(rk3399_little);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::capacity_exceeded);
    CHECK(t.error().index == 6);
  }
  SECTION("zero frequency") {
    auto rows = rk3399_little;
    rows[0].frequency = 0_kHz;
    const auto t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::non_positive);
    CHECK(what_is(t.error(), "opp frequency"));
    CHECK(t.error().index == 0);
  }
  SECTION("equal frequencies") {
    auto rows = rk3399_little;
    rows[3].frequency = rows[2].frequency;
    const auto t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::not_increasing);
    CHECK(t.error().index == 3);
    CHECK(t.error().index2 == 2);
  }
  SECTION("decreasing frequencies") {
    auto rows = rk3399_little;
    rows[5].frequency = 100'000_kHz;
    const auto t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::not_increasing);
    CHECK(t.error().index == 5);
  }
  SECTION("zero or negative voltage") {
    auto rows = rk3399_little;
    rows[4].voltage = 0_uV;
    auto t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::non_positive);
    CHECK(what_is(t.error(), "opp voltage"));
    CHECK(t.error().index == 4);
    rows[4].voltage = microvolts(-900'000);
    t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().index == 4);
  }
  SECTION("negative explicit power") {
    auto rows = rk3399_little;
    for (auto& r : rows) {
      r.power = 1000_uW;
    }
    rows[1].power = microwatts(-5);
    const auto t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::negative);
    CHECK(t.error().index == 1);
  }
  SECTION("explicit power on some rows only") {
    auto rows = rk3399_little;
    rows[3].power = 90'000_uW;
    auto t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().code == errc::invalid_argument);
    CHECK(t.error().index == 3);
    rows = rk3399_little;
    for (auto& r : rows) {
      r.power = 1000_uW;
    }
    rows[5].power = 0_uW;
    t = opp_table<8>::make(rows);
    REQUIRE_FALSE(t);
    CHECK(t.error().index == 5);
  }
}

TEST_CASE("explicit opp-microwatt powers are kept", "[opp]") {
  auto rows = rk3399_little;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].power = microwatts(static_cast<std::int64_t>(10'000 * (i + 1)));
  }
  const auto t = opp_table<8>::make(rows);
  REQUIRE(t);
  CHECK(t->has_explicit_power());
  CHECK((*t)[5].power == 60'000_uW);
}

TEST_CASE("OPP tables can be built and searched at compile time", "[opp]") {
  constexpr auto t = opp_table<8>::make(rk3399_little);
  STATIC_REQUIRE(t.has_value());
  STATIC_REQUIRE(t->size() == 6);
  STATIC_REQUIRE(*t->find_ceil(1'000'000_kHz) == 3);
  STATIC_REQUIRE(*t->state_to_index(1) == 4);
  constexpr auto bad = opp_table<2>::make(rk3399_little);
  STATIC_REQUIRE(!bad.has_value());
}

TEST_CASE("OPP tables never touch the heap", "[opp]") {
  THERMO_REQUIRE_NO_HEAP({
    const auto t = opp_table<8>::make(rk3399_little);
    REQUIRE(t);
    CHECK(*t->find_ceil(700'000_kHz) == 2U);
    CHECK(*t->find_floor(700'000_kHz) == 1U);
    CHECK(*t->state_to_index(0) == 5U);
    const auto copy = *t;
    CHECK(copy == *t);
    const auto bad = opp_table<2>::make(rk3399_little);
    CHECK_FALSE(bad);
  });
}
