// Helpers for the static (compile-time) suites: concepts that ask "is this expression
// well-formed?" so that forbidden operations can be pinned with static_assert(!…).
#pragma once

#include <type_traits>

namespace thermo::static_test {

template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };
template <class A, class B>
concept Subtractable = requires(A a, B b) { a - b; };
template <class A, class B>
concept Multipliable = requires(A a, B b) { a* b; };
template <class A, class B>
concept Divisible = requires(A a, B b) { a / b; };
template <class A>
concept Negatable = requires(A a) { -a; };
template <class A, class B>
concept EqualityComparable = requires(A a, B b) { a == b; };
template <class A, class B>
concept Ordered = requires(A a, B b) { a < b; };
/// `To{from}` compiles: list-initialisation, which rejects narrowing conversions.
template <class To, class From>
concept BraceConstructible = requires(From f) { To{f}; };

/// True when calling `F` is a constant expression: a THERMO_ASSERT that fails inside a
/// constexpr function makes it non-constant, so this detects precondition checks at compile time.
template <auto F>
concept ConstantEvaluable = requires { typename std::bool_constant<(F(), true)>; };

}  // namespace thermo::static_test
