#include "thermo/core/static_vector.hpp"

#include <type_traits>
#include <utility>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/core/units.hpp"

using namespace thermo;

namespace {

// Counts live objects through a pointer (no globals): non-trivial to construct, copy, destroy.
class tracked {
 public:
  tracked(int* live, int v) : live_(live), v_(v) { ++*live_; }
  tracked(const tracked& o) : live_(o.live_), v_(o.v_) { ++*live_; }
  tracked(tracked&& o) noexcept : live_(o.live_), v_(o.v_) {
    ++*live_;
    o.v_ = -1;
  }
  tracked& operator=(const tracked& o) = default;
  tracked& operator=(tracked&& o) noexcept {
    v_ = o.v_;
    o.v_ = -1;
    return *this;
  }
  ~tracked() { --*live_; }
  [[nodiscard]] int value() const { return v_; }
  friend bool operator==(const tracked& a, const tracked& b) { return a.v_ == b.v_; }

 private:
  int* live_;
  int v_;
};
static_assert(!std::is_default_constructible_v<tracked>);

}  // namespace

TEST_CASE("static_vector constructs only the elements it holds and destroys them all",
          "[static_vector]") {
  int live = 0;
  {
    static_vector<tracked, 8> v;
    CHECK(live == 0);  // unused slots are never constructed
    CHECK(v.emplace_back(&live, 1) == errc::ok);
    CHECK(v.emplace_back(&live, 2) == errc::ok);
    CHECK(v.push_back(tracked(&live, 3)) == errc::ok);
    CHECK(live == 3);
    v.pop_back();
    CHECK(live == 2);
    CHECK(v.back().value() == 2);

    static_vector<tracked, 8> copy = v;
    CHECK(live == 4);
    CHECK(copy == v);
    static_vector<tracked, 8> moved = std::move(copy);
    CHECK(moved.size() == 2U);
    CHECK(moved[1].value() == 2);

    copy = v;  // assignment replaces the old contents
    CHECK(copy.size() == 2U);
    v.erase(0);
    CHECK(v.size() == 1U);
    CHECK(v.front().value() == 2);
    v.clear();
    CHECK(v.empty());
  }
  CHECK(live == 0);  // every constructed element was destroyed exactly once
}

TEST_CASE("static_vector of units keeps values in order and never allocates", "[static_vector]") {
  using namespace thermo::literals;
  THERMO_REQUIRE_NO_HEAP({
    static_vector<millicelsius, 4> trips;
    CHECK(trips.push_back(65'000_mC) == errc::ok);
    CHECK(trips.push_back(75'000_mC) == errc::ok);
    CHECK(trips.push_back(95'000_mC) == errc::ok);
    CHECK(trips.push_back(105'000_mC) == errc::ok);
    CHECK(trips.full());
    CHECK(trips.push_back(115'000_mC) == errc::capacity_exceeded);
    trips.erase(1);
    REQUIRE(trips.size() == 3U);
    CHECK(trips[0] == 65'000_mC);
    CHECK(trips[1] == 95'000_mC);
    CHECK(trips[2] == 105'000_mC);
    const auto s = trips.span();
    CHECK(s.size() == 3U);
    CHECK(s.data() == trips.data());
    int n = 0;
    for (const millicelsius t : trips) {
      n += t > 90'000_mC ? 1 : 0;
    }
    CHECK(n == 2);
  });
}
