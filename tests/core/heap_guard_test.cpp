// Self-test of the heap guard that the other suites rely on to prove "no heap".
#include "support/heap_guard.hpp"

#include <array>
#include <memory>
#include <numeric>
#include <vector>

#include <catch2/catch.hpp>

using thermo::test::heap_guard;

TEST_CASE("the heap guard counts a std::vector allocation", "[heap_guard]") {
  const heap_guard guard;
  std::vector<int> v(16, 1);
  CHECK(guard.allocations() == 1U);
  v.resize(1000);  // grows: a second allocation
  CHECK(guard.allocations() == 2U);
  CHECK(std::accumulate(v.begin(), v.end(), 0) == 16);
}

TEST_CASE("the heap guard counts every form of operator new", "[heap_guard]") {
  const heap_guard guard;
  auto single = std::make_unique<int>(1);
  auto array = std::make_unique<int[]>(4);  // NOLINT(*-avoid-c-arrays): new[] is what is counted
  struct alignas(64) over_aligned {
    int x;
  };
  auto aligned = std::make_unique<over_aligned>();
  CHECK(guard.allocations() == 3U);
  CHECK(reinterpret_cast<std::uintptr_t>(aligned.get()) % 64U == 0U);  // NOLINT
  CHECK(*single + array[0] + aligned->x == 1);
}

TEST_CASE("the heap guard counts zero for work on the stack", "[heap_guard]") {
  const heap_guard guard;
  std::array<int, 64> a{};
  std::iota(a.begin(), a.end(), 0);
  CHECK(std::accumulate(a.begin(), a.end(), 0) == 2016);
  CHECK(guard.allocations() == 0U);
}

TEST_CASE("allocations outside a guard's lifetime are not counted by it", "[heap_guard]") {
  auto before = std::make_unique<int>(1);  // before the guard: not counted
  std::size_t inner = 0;
  {
    const heap_guard guard;
    inner = guard.allocations();
  }
  auto after = std::make_unique<int>(2);  // no guard alive
  const heap_guard guard;
  CHECK(inner == 0U);
  CHECK(guard.allocations() == 0U);
  CHECK(*before + *after == 3);
}

TEST_CASE("THERMO_REQUIRE_NO_HEAP passes for stack-only statements", "[heap_guard]") {
  int sum = 0;
  THERMO_REQUIRE_NO_HEAP({
    for (int i = 0; i < 10; ++i) {
      sum += i;
    }
  });
  CHECK(sum == 45);
}
