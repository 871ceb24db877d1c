// Compile-time guarantees of static_vector. If this compiles, it passes.
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "static_support.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/units.hpp"

namespace {

using namespace thermo;
using namespace thermo::static_test;

// ---- storage is in the object: elements plus one size -----------------------------------------
static_assert(sizeof(static_vector<std::int32_t, 4>) ==
              4 * sizeof(std::int32_t) + sizeof(std::size_t));
// (the size member is padded to the element alignment: 72 bytes on x86-64 and on a Cortex-M4)
static_assert(sizeof(static_vector<std::int64_t, 8>) ==
              (std::size_t{8} * 8) + (alignof(std::int64_t) > sizeof(std::size_t)
                                          ? alignof(std::int64_t)
                                          : sizeof(std::size_t)));
static_assert(sizeof(static_vector<std::uint8_t, 3>) <= 3 + 2 * sizeof(std::size_t));
static_assert(alignof(static_vector<std::int64_t, 2>) == alignof(std::int64_t) ||
              alignof(static_vector<std::int64_t, 2>) == alignof(std::size_t));
static_assert(static_vector<millicelsius, 16>::capacity() == 16);
static_assert(std::is_nothrow_default_constructible_v<static_vector<int, 4>>);
static_assert(std::is_nothrow_move_constructible_v<static_vector<int, 4>>);
static_assert(std::is_copy_constructible_v<static_vector<milliwatts, 4>>);
static_assert(std::is_same_v<static_vector<int, 4>::iterator, int*>);
static_assert(std::is_same_v<decltype(std::declval<static_vector<int, 2>&>().push_back(1)), errc>);
static_assert(std::is_same_v<decltype(std::declval<const static_vector<int, 2>&>().span()),
                             std::span<const int>>);

// ---- a capacity of zero is rejected (static_assert inside; checked in tests/compile_fail) ------

// ---- usable in constant expressions
// --------------------------------------------------------------
constexpr int fill_and_sum() {
  static_vector<int, 4> v;
  for (int i = 1; i <= 5; ++i) {
    static_cast<void>(v.push_back(i));  // the fifth is refused
  }
  int sum = 0;
  for (const int x : v) {
    sum += x;
  }
  return (sum * 10) + static_cast<int>(v.size());
}
static_assert(fill_and_sum() == 104);

constexpr bool push_reports_capacity() {
  static_vector<int, 1> v;
  return v.push_back(1) == errc::ok && v.push_back(2) == errc::capacity_exceeded && v.full();
}
static_assert(push_reports_capacity());

constexpr bool erase_keeps_order() {
  static_vector<int, 4> v;
  for (int i = 0; i < 4; ++i) {
    static_cast<void>(v.push_back(i * 10));
  }
  v.erase(1);
  return v.size() == 3 && v[0] == 0 && v[1] == 20 && v[2] == 30 && v.front() == 0 && v.back() == 30;
}
static_assert(erase_keeps_order());

constexpr bool copies_compare_equal() {
  static_vector<millicelsius, 3> a;
  static_cast<void>(a.emplace_back(85'000));
  static_cast<void>(a.emplace_back(95'000));
  const static_vector<millicelsius, 3> b = a;
  static_vector<millicelsius, 3> c;
  c = b;
  c.pop_back();
  return a == b && !(b == c) && c.size() == 1 && c.span().size() == 1;
}
static_assert(copies_compare_equal());

// ---- indexing out of range and popping an empty vector are preconditions ----------------------
#if THERMO_ENABLE_ASSERTS
static_assert(ConstantEvaluable<[] {
  static_vector<int, 2> v;
  static_cast<void>(v.push_back(7));
  return v[0];
}>);
static_assert(!ConstantEvaluable<[] {
  static_vector<int, 2> v;
  return v[0];
}>);
static_assert(!ConstantEvaluable<[] {
  static_vector<int, 2> v;
  v.pop_back();
  return 0;
}>);
#endif

}  // namespace
