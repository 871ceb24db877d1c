/// @file fixed_point.hpp
/// Q-format fixed point and the kernel's integer rounding helpers, bit-exact with Linux.
///
/// * `int_to_frac`, `frac_to_int`, `mul_frac`, `div_frac` and `frac_bits` (= 10) are the power
///   allocator's Q10 helpers (kernel-reference.md §2.5): shifts floor, division truncates.
/// * `q<FracBits>` is the same set for any number of fractional bits.
/// * `div_round_closest`, `div_round_closest_ull`, `div_round_up`, `div_round_up_ull` and
///   `mult_frac` are the kernel's `DIV_ROUND_CLOSEST`, `DIV_ROUND_CLOSEST_ULL`, `DIV_ROUND_UP`,
///   `DIV_ROUND_UP_ULL` and `mult_frac` (used by IPA's divvy-up, DTPM weights, devfreq's kHz).
/// * `wrap_add`, `wrap_sub`, `wrap_mul`, `wrap_shl` are the kernel's wrapping signed `+ − · <<`
///   (used by governors that reproduce kernel expressions, see **Overflow**).
///
/// **Overflow.** The kernel is built with `-fno-strict-overflow`, so its signed arithmetic wraps
/// modulo 2^N. C++ makes signed overflow undefined, so every operation here that can overflow is
/// carried out in the corresponding unsigned type and converted back (modular since C++20): the
/// results are the kernel's bit for bit, including the wrapped ones, and there is no undefined
/// behaviour. Right shifts of negative numbers are arithmetic (C++20), i.e. they round toward
/// minus infinity, exactly as the kernel's `>>` on gcc/clang.
///
/// **Preconditions** (`THERMO_ASSERT`): a divisor is never zero, and a signed division is never
/// `min / -1` (the kernel would trap on both).
///
/// **Types.** Like the C macros, each helper computes in the operands' promoted common type
/// (`int` at least). Operands of mixed signedness are rejected at compile time: the kernel
/// documents `DIV_ROUND_CLOSEST` as undefined for them and C's conversions silently turn a
/// negative operand into a huge unsigned one; cast explicitly instead.
///
/// Everything is `constexpr`, `noexcept`, integer-only, heap-free. See docs/reference/core.md.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <utility>

#include "thermo/core/assert.hpp"
#include "thermo/core/concepts.hpp"

namespace thermo {

// The operand concepts (`KernelInteger`, `SameSignedness`, `detail::PromotedInteger`) are in
// core/concepts.hpp.

namespace detail {

/// The type an operand has after the integral promotions (what a C expression computes in).
template <KernelInteger T>
using promoted_t = decltype(+std::declval<T>());

/// The type of a C binary arithmetic expression on `A` and `B` (usual arithmetic conversions).
template <KernelInteger A, KernelInteger B>
using arith_t = std::common_type_t<promoted_t<A>, promoted_t<B>>;

}  // namespace detail

// ---- wrapping arithmetic -----------------------------------------------------------------------

namespace detail {

/// `op` on `a` and `b` in T's unsigned type, converted back: C++20 defines that conversion as
/// modulo 2^N, which is what the kernel's `-fno-strict-overflow` arithmetic gives.
template <PromotedInteger T, class Op>
[[nodiscard]] constexpr T wrapping(T a, T b, Op op) noexcept {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(op(static_cast<U>(a), static_cast<U>(b))));
}

}  // namespace detail

/// The kernel's signed arithmetic (it is built with `-fno-strict-overflow`): `a + b`, `a − b`,
/// `a · b` and `a << n` modulo 2^N on `int` or a wider integer type, computed in the unsigned
/// type and converted back (C++20 defines that conversion as modulo 2^N). For governors that
/// reproduce kernel expressions bit for bit, wrapped results included.
template <detail::PromotedInteger T>
[[nodiscard]] constexpr T wrap_add(T a, T b) noexcept {
  return detail::wrapping(a, b, [](auto x, auto y) { return x + y; });
}
template <detail::PromotedInteger T>
[[nodiscard]] constexpr T wrap_sub(T a, T b) noexcept {
  return detail::wrapping(a, b, [](auto x, auto y) { return x - y; });
}
template <detail::PromotedInteger T>
[[nodiscard]] constexpr T wrap_mul(T a, T b) noexcept {
  return detail::wrapping(a, b, [](auto x, auto y) { return x * y; });
}
/// `a << n` modulo 2^N (the bits shifted out are lost, the sign bit is whatever lands there).
template <detail::PromotedInteger T>
[[nodiscard]] constexpr T wrap_shl(T a, int n) noexcept {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(static_cast<U>(a) << n));
}

namespace detail {

/// `op`, C's `/` or `%`, on `a` and `b`. Preconditions (the kernel would trap): `b != 0`, and
/// not `min / -1`.
template <PromotedInteger T, class Op>
[[nodiscard]] constexpr T checked_division(T a, T b, Op op) noexcept {
  THERMO_ASSERT(b != 0);
  if constexpr (std::is_signed_v<T>) {
    THERMO_ASSERT(!(a == std::numeric_limits<T>::min() && b == T{-1}));
  }
  return static_cast<T>(op(a, b));
}
/// C's truncating division; preconditions: those of `checked_division`.
template <PromotedInteger T>
[[nodiscard]] constexpr T checked_div(T a, T b) noexcept {
  return checked_division(a, b, [](auto x, auto y) { return x / y; });
}
/// C's remainder (sign of the dividend); preconditions: those of `checked_division`.
template <PromotedInteger T>
[[nodiscard]] constexpr T checked_rem(T a, T b) noexcept {
  return checked_division(a, b, [](auto x, auto y) { return x % y; });
}

/// A C binary operator on integer operands of any types: both are converted to
/// `arith_t<A, B>` (C's usual arithmetic conversions), then `op` runs in that type.
template <class Op>
struct c_operator {
  Op op;
  template <KernelInteger A, KernelInteger B>
  [[nodiscard]] constexpr arith_t<A, B> operator()(A a, B b) const noexcept {
    using C = arith_t<A, B>;
    return op(static_cast<C>(a), static_cast<C>(b));
  }
};

// C's `+ - * / %` on arbitrary integer operands: `+ - *` wrap, `/ %` check their preconditions.
inline constexpr c_operator c_add{[](auto x, auto y) noexcept { return wrap_add(x, y); }};
inline constexpr c_operator c_sub{[](auto x, auto y) noexcept { return wrap_sub(x, y); }};
inline constexpr c_operator c_mul{[](auto x, auto y) noexcept { return wrap_mul(x, y); }};
inline constexpr c_operator c_div{[](auto x, auto y) noexcept { return checked_div(x, y); }};
inline constexpr c_operator c_rem{[](auto x, auto y) noexcept { return checked_rem(x, y); }};

}  // namespace detail

// ---- generic Q-format --------------------------------------------------------------------------

/// Q-format helpers with `FracBits` fractional bits: a value `v` stands for `v / 2^FracBits`.
///
/// Values are plain integers (the kernel keeps its Q10 numbers in `s64`/`s32` variables), so
/// these are functions, not a wrapper type. Rounding follows the kernel exactly:
/// `from_int` wraps like `<<`, `to_int` and `mul` floor (arithmetic shift), `div` truncates
/// toward zero (C division). O(1), no heap, `constexpr`.
/// @tparam FracBits number of fractional bits, 0 … 62.
template <int FracBits>
struct q {
  static_assert(FracBits >= 0 && FracBits <= 62, "FracBits must be in [0, 62]");

  /// Number of fractional bits.
  static constexpr int frac_bits = FracBits;
  /// 1.0 in this format (`2^FracBits`) as `int64_t`.
  static constexpr std::int64_t one = std::int64_t{1} << FracBits;

  /// `x << FracBits` in x's promoted type: an integer as a Q number. Bits shifted past the
  /// width are lost (wrap), as with the kernel's macro; keep `|x| < 2^(width-1-FracBits)`.
  template <KernelInteger T>
  [[nodiscard]] static constexpr detail::promoted_t<T> from_int(T x) noexcept {
    using P = detail::promoted_t<T>;
    static_assert(FracBits < std::numeric_limits<std::make_unsigned_t<P>>::digits,
                  "the shift must be narrower than the operand");
    return wrap_shl<P>(static_cast<P>(x), FracBits);
  }

  /// `x >> FracBits`: the integer part, rounded toward minus infinity for negative `x`
  /// (`to_int(-1) == -1`, not 0).
  template <KernelInteger T>
  [[nodiscard]] static constexpr detail::promoted_t<T> to_int(T x) noexcept {
    using P = detail::promoted_t<T>;
    static_assert(FracBits < std::numeric_limits<std::make_unsigned_t<P>>::digits,
                  "the shift must be narrower than the operand");
    return static_cast<P>(static_cast<P>(x) >> FracBits);
  }

  /// Product of two Q numbers: `(a * b) >> FracBits` with a 64-bit product (wrapping on
  /// overflow like the kernel's `s64` multiply), rounded toward minus infinity.
  [[nodiscard]] static constexpr std::int64_t mul(std::int64_t a, std::int64_t b) noexcept {
    return wrap_mul(a, b) >> FracBits;
  }

  /// Quotient of two Q numbers (or of two plain integers, giving a Q number):
  /// `(a << FracBits) / b`, the shift wrapping in 64 bits, the division truncating toward zero.
  /// Precondition: `b != 0`, and not (`a << FracBits == INT64_MIN` and `b == -1`).
  [[nodiscard]] static constexpr std::int64_t div(std::int64_t a, std::int64_t b) noexcept {
    return detail::checked_div(wrap_shl(a, FracBits), b);
  }

  /// The value of a Q number as a floating number (exact while `|x| < 2^digits(Real)`), for
  /// printing and for the model half.
  template <std::floating_point Real = double>
  [[nodiscard]] static constexpr Real to_real(std::int64_t x) noexcept {
    return static_cast<Real>(x) / static_cast<Real>(one);
  }
};

// ---- the power allocator's Q10 (kernel names) --------------------------------------------------

/// The power allocator's number of fractional bits (`FRAC_BITS`).
inline constexpr int frac_bits = 10;

/// Q10 helpers (`q<frac_bits>`).
using q10 = q<frac_bits>;

/// The kernel's `int_to_frac(x)`: `x << 10` in x's promoted type (an `int32_t` stays 32-bit
/// and wraps past ±2^21, a `uint32_t` wraps past 2^22, an `int64_t` is 64-bit).
template <KernelInteger T>
[[nodiscard]] constexpr detail::promoted_t<T> int_to_frac(T x) noexcept {
  return q10::from_int(x);
}

/// The kernel's `frac_to_int(x)`: `x >> 10`, rounding toward minus infinity
/// (`frac_to_int(-1) == -1`, `frac_to_int(-1024) == -1`, `frac_to_int(-1025) == -2`).
template <KernelInteger T>
[[nodiscard]] constexpr detail::promoted_t<T> frac_to_int(T x) noexcept {
  return q10::to_int(x);
}

/// The kernel's `mul_frac(x, y)`: `(x * y) >> 10` on `s64`, floor; wraps on 64-bit overflow.
[[nodiscard]] constexpr std::int64_t mul_frac(std::int64_t x, std::int64_t y) noexcept {
  return q10::mul(x, y);
}

/// The kernel's `div_frac(x, y)`: `div_s64(x << 10, y)`, truncating toward zero.
///
/// The divisor is `int32_t` because the kernel's `div_s64` takes an `s32` divisor (a wider
/// value would be silently narrowed there; here the caller must narrow explicitly).
/// Precondition: `y != 0`, and not (`x << 10 == INT64_MIN` and `y == -1`).
[[nodiscard]] constexpr std::int64_t div_frac(std::int64_t x, std::int32_t y) noexcept {
  return q10::div(x, y);
}

// ---- the kernel's rounding division macros ------------------------------------------------------

/// The kernel's `DIV_ROUND_CLOSEST(x, d)`: division rounded to the nearest integer, ties away
/// from zero, for either sign of either operand.
///
/// Exactly the macro: with unsigned operands, or when `x > 0` and `d > 0` agree, it is
/// `(x + d/2) / d`; otherwise `(x - d/2) / d` — all in the promoted common type, `d/2` in d's
/// promoted type, the `±` wrapping. So near the type's limit the kernel's (and our) result
/// wraps: `div_round_closest(UINT32_MAX, 2U) == 0`, `div_round_closest(INT32_MAX, 2) ==
/// INT32_MIN / 2`. Precondition: `d != 0`.
template <KernelInteger X, KernelInteger D>
  requires SameSignedness<X, D>
[[nodiscard]] constexpr detail::arith_t<X, D> div_round_closest(X x, D d) noexcept {
  THERMO_ASSERT(d != 0);
  using P = detail::promoted_t<D>;
  const P half = static_cast<P>(static_cast<P>(d) / P{2});
  if constexpr (std::is_unsigned_v<X>) {
    return detail::c_div(detail::c_add(x, half), d);
  } else {
    if ((x > 0) == (d > 0)) {
      return detail::c_div(detail::c_add(x, half), d);
    }
    return detail::c_div(detail::c_sub(x, half), d);
  }
}

/// The kernel's `DIV_ROUND_CLOSEST_ULL(x, d)`: `(x + d/2) / d` on `u64` with a 32-bit
/// divisor (`do_div`), ties up. The sum wraps past 2^64. Precondition: `d != 0`.
[[nodiscard]] constexpr std::uint64_t div_round_closest_ull(std::uint64_t x,
                                                            std::uint32_t d) noexcept {
  THERMO_ASSERT(d != 0);
  return (x + d / 2U) / d;
}

/// The kernel's `DIV_ROUND_UP(n, d)`: `(n + d - 1) / d` in the promoted common type, the sum
/// wrapping. This is the ceiling only for `n >= 0` and `d > 0`; for a negative `n` it is what
/// the macro computes, e.g. `div_round_up(-4, 2) == -1` and `div_round_up(-5, 2) == -2`.
/// `div_round_up(UINT32_MAX, 2U) == 0` (the sum wraps). Precondition: `d != 0`.
template <KernelInteger N, KernelInteger D>
  requires SameSignedness<N, D>
[[nodiscard]] constexpr detail::arith_t<N, D> div_round_up(N n, D d) noexcept {
  THERMO_ASSERT(d != 0);
  return detail::c_div(detail::c_sub(detail::c_add(n, d), 1), d);
}

/// The kernel's `DIV_ROUND_UP_ULL(n, d)`: `(n + d - 1) / d` on `u64` (wrapping past 2^64)
/// with a 32-bit divisor. Precondition: `d != 0`.
[[nodiscard]] constexpr std::uint64_t div_round_up_ull(std::uint64_t n, std::uint32_t d) noexcept {
  THERMO_ASSERT(d != 0);
  return (n + d - 1U) / d;
}

/// The kernel's `mult_frac(x, numer, denom)`: `x * numer / denom` without overflowing on
/// `x * numer`, computed as `quot * numer + (rem * numer) / denom` where
/// `quot = x / denom` and `rem = x % denom` are stored back in x's type.
///
/// Both divisions truncate toward zero (C), so for a negative `x` the result truncates toward
/// zero too: `mult_frac(-7, 1, 2) == -3`. The result has the promoted common type of the three
/// operands; products and the sum wrap like the kernel's. Precondition: `denom != 0`, and
/// not `min / -1`.
template <KernelInteger X, KernelInteger N, KernelInteger D>
  requires SameSignedness<X, N, D>
[[nodiscard]] constexpr auto mult_frac(X x, N numer, D denom) noexcept {
  const auto quot = static_cast<X>(detail::c_div(x, denom));
  const auto rem = static_cast<X>(detail::c_rem(x, denom));
  return detail::c_add(detail::c_mul(quot, numer), detail::c_div(detail::c_mul(rem, numer), denom));
}

}  // namespace thermo
