#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"

using namespace thermo;

namespace {
result<int> half(int x) {
  if (x % 2 != 0) {
    return errc::invalid_argument;
  }
  return x / 2;
}
}  // namespace

TEST_CASE("result carries either a value or an errc", "[result]") {
  const auto ok = half(8);
  REQUIRE(ok.has_value());
  CHECK(*ok == 4);
  const auto bad = half(3);
  REQUIRE_FALSE(bad);
  CHECK(bad.error() == errc::invalid_argument);
  CHECK(bad.value_or(-1) == -1);
  CHECK(to_string(errc::disconnected) == "no path to ambient");
}

TEST_CASE("a located error names the quantity and the indices", "[result]") {
  const result<double, error> r = error{errc::non_positive, "capacitance", 7};
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::non_positive);
  CHECK(r.error().index == 7);
  CHECK(r.error().index2 == error::no_index);
}

TEST_CASE("static_vector reports a full capacity instead of growing", "[static_vector]") {
  THERMO_REQUIRE_NO_HEAP({
    static_vector<int, 3> v;
    CHECK(v.push_back(1) == errc::ok);
    CHECK(v.push_back(2) == errc::ok);
    CHECK(v.emplace_back(3) == errc::ok);
    CHECK(v.push_back(4) == errc::capacity_exceeded);
    CHECK(v.size() == 3U);
    v.erase(0);
    CHECK(v[0] == 2);
    CHECK(v.back() == 3);
    auto copy = v;
    CHECK(copy == v);
  });
}
