// Compile-time guarantees of errc, error, result and THERMO_ASSERT. If this compiles, it passes.
#include <cstdint>
#include <type_traits>
#include <utility>

#include "static_support.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"

namespace {

using namespace thermo;
using namespace thermo::static_test;

// ---- errc and error -------------------------------------------------------------------------
static_assert(sizeof(errc) == 1);
static_assert(std::is_same_v<std::underlying_type_t<errc>, std::uint8_t>);
static_assert(static_cast<int>(errc::ok) == 0);  // stable wire values
static_assert(!std::is_convertible_v<errc, int>);
static_assert(!std::is_convertible_v<int, errc>);
static_assert(to_string(errc::capacity_exceeded) == "capacity exceeded");
static_assert(to_string(static_cast<errc>(200)) == "unknown error");
static_assert(std::is_trivially_copyable_v<error>);
static_assert(
    std::is_convertible_v<errc, error>);  // `return errc::x;` in an error-returning function
static_assert(error{errc::non_positive, "capacitance", 3} == errc::non_positive);
static_assert(error{}.ok() && !error{errc::empty}.ok());
static_assert(error{errc::not_finite, "conductance", 1, 2}.index2 == 2);

// ---- result<T>: layout, triviality, implicit construction like std::expected ------------------
static_assert(sizeof(result<std::int32_t>) == 2 * sizeof(std::int32_t));
static_assert(sizeof(result<std::uint8_t>) == 2);
static_assert(sizeof(result<millicelsius>) == 8);
static_assert(std::is_trivially_copyable_v<result<int>>);
static_assert(std::is_trivially_copyable_v<result<millicelsius>>);
static_assert(std::is_trivially_copyable_v<result<double, error>>);
static_assert(std::is_trivially_destructible_v<result<milliwatts>>);
static_assert(std::is_convertible_v<int, result<int>>);
static_assert(std::is_convertible_v<errc, result<int>>);
static_assert(std::is_convertible_v<millicelsius, result<millicelsius>>);
static_assert(!std::is_convertible_v<std::int32_t, result<millicelsius>>);  // units stay explicit
static_assert(!std::is_convertible_v<result<int>, int>);
static_assert(!std::is_convertible_v<result<int>, bool>);  // `explicit operator bool`
static_assert(std::is_constructible_v<bool, result<int>>);
static_assert(!std::is_default_constructible_v<result<int>>);  // always a value or an error
static_assert(std::is_nothrow_copy_constructible_v<result<int>>);
static_assert(std::is_same_v<result<int>::error_type, errc>);
static_assert(std::is_same_v<result<int, error>::error_type, error>);
static_assert(std::is_same_v<decltype(std::declval<result<int>&>().value()), int&>);
static_assert(std::is_same_v<decltype(std::declval<result<int>&&>().value()), int&&>);
static_assert(noexcept(std::declval<const result<int>&>().error()));

// A class type that is not trivially copyable still works (copy/move run its constructors).
// NOLINTBEGIN(cppcoreguidelines-special-member-functions,cert-oop54-cpp): deliberately odd copies
struct counted {
  int v = 0;
  constexpr counted() = default;
  constexpr explicit counted(int x) : v(x) {}
  constexpr counted(const counted& o) : v(o.v + 1) {}
  constexpr counted& operator=(const counted& o) {
    v = o.v + 1;
    return *this;
  }
  constexpr ~counted() {}  // NOLINT(modernize-use-equals-default): deliberately non-trivial
};
// NOLINTEND(cppcoreguidelines-special-member-functions,cert-oop54-cpp)
static_assert(!std::is_trivially_copyable_v<result<counted>>);
static_assert([] {
  const result<counted> a(std::in_place, 5);
  const result<counted> b = a;  // one copy
  return b.value().v;
}() == 6);

// ---- usable in constant expressions -------------------------------------------------------------
constexpr result<int> half(int x) {
  if (x % 2 != 0) {
    return errc::invalid_argument;
  }
  return x / 2;
}
static_assert(half(8).value() == 4);
static_assert(*half(8) == 4);
static_assert(!half(3).has_value());
static_assert(half(3).error() == errc::invalid_argument);
static_assert(half(3).value_or(-1) == -1);
static_assert(half(4).value_or(-1) == 2);
static_assert([] {
  result<int> r = half(6);
  r = half(5);  // assignment switches alternative
  return !r && r.error() == errc::invalid_argument;
}());

// ---- accessing the wrong alternative is a precondition (THERMO_ASSERT) -------------------------
// A failing THERMO_ASSERT is not a constant expression: the compiler proves the checks exist.
static_assert(ConstantEvaluable<[] { return half(8).value(); }>);
static_assert(!ConstantEvaluable<[] { return half(3).value(); }>);
static_assert(ConstantEvaluable<[] { return half(3).error(); }>);
static_assert(!ConstantEvaluable<[] { return half(8).error(); }>);
#if THERMO_ENABLE_ASSERTS
static_assert(ConstantEvaluable<[] {
  THERMO_ASSERT(1 + 1 == 2);
  return 0;
}>);
static_assert(!ConstantEvaluable<[] {
  THERMO_ASSERT(1 + 1 == 3);
  return 0;
}>);
#endif

}  // namespace
