/// @file heap_guard.hpp
/// Test-only proof that code does not touch the heap.
///
/// The test binaries replace the global `operator new`/`operator delete` (heap_guard.cpp). While
/// a `heap_guard` is alive, every allocation is counted; a test asserts the count is zero:
///
///     thermo::test::heap_guard guard;
///     net.step(dt, power);
///     REQUIRE(guard.allocations() == 0);
///
/// `THERMO_REQUIRE_NO_HEAP(statement)` does both in one line.
#pragma once

#include <cstddef>

namespace thermo::test {

class heap_guard {
 public:
  heap_guard() noexcept;
  ~heap_guard();
  heap_guard(const heap_guard&) = delete;
  heap_guard& operator=(const heap_guard&) = delete;
  heap_guard(heap_guard&&) = delete;
  heap_guard& operator=(heap_guard&&) = delete;

  /// Allocations (operator new / new[] of any form) made since this guard was created.
  [[nodiscard]] std::size_t allocations() const noexcept;

 private:
  std::size_t start_;
};

/// Total allocations counted while any guard was alive (for diagnostics).
[[nodiscard]] std::size_t guarded_allocations() noexcept;

}  // namespace thermo::test

#define THERMO_REQUIRE_NO_HEAP(...)                   \
  do {                                                \
    const ::thermo::test::heap_guard thermo_guard_{}; \
    __VA_ARGS__;                                      \
    REQUIRE(thermo_guard_.allocations() == 0U);       \
  } while (false)
