/// @file concepts.hpp
/// The contracts of the core vocabulary, as concepts.
///
/// * `KernelInteger`, `SameSignedness` — the integer operands the kernel-exact fixed-point
///   helpers accept (`core/fixed_point.hpp`); `detail::PromotedInteger` is their internal
///   "already promoted" kind.
/// * `Quantity` — any `quantity<Dim, Rep, Ratio>` (`core/units.hpp`).
/// * `RandomBitGenerator64` — a 64-bit uniform bit source for the distributions of
///   `core/prng.hpp`.
///
/// Header-only, freestanding-friendly: `<concepts>`, `<cstdint>`, `<limits>`, `<type_traits>`.
/// See docs/reference/core.md.
#pragma once

#include <concepts>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace thermo {

// ---- fixed point -------------------------------------------------------------------------------

/// An integer type usable with the fixed-point helpers (any integral type but `bool`).
template <class T>
concept KernelInteger = std::integral<T> && !std::same_as<std::remove_cv_t<T>, bool>;

/// Integer types of the same signedness (mixed signedness is rejected, see fixed_point.hpp).
template <class... Ts>
concept SameSignedness = (KernelInteger<Ts> && ...) &&
                         ((std::is_signed_v<Ts> && ...) || (std::is_unsigned_v<Ts> && ...));

namespace detail {

/// An integer type that the integral promotions leave unchanged (`int` or wider): what the
/// fixed-point helpers' wrapping primitives compute in.
template <class T>
concept PromotedInteger = KernelInteger<T> && (sizeof(T) >= sizeof(int));

}  // namespace detail

// ---- units -------------------------------------------------------------------------------------

template <class Dim, class Rep, class Ratio>
class quantity;

namespace detail {
template <class T>
struct is_quantity : std::false_type {};
template <class D, class R, class P>
struct is_quantity<quantity<D, R, P>> : std::true_type {};
}  // namespace detail

/// True for every `quantity<…>` specialisation (not for the affine temperature types).
template <class T>
concept Quantity = detail::is_quantity<std::remove_cvref_t<T>>::value;

// ---- random numbers ----------------------------------------------------------------------------

/// A generator of uniformly distributed 64-bit words: `g()` returns a `std::uint64_t` and
/// `min()`/`max()` are 0 and 2^64 − 1 (the shape of `std::uniform_random_bit_generator`,
/// without needing `<random>`). `prng` and `std::mt19937_64` satisfy it.
template <class G>
concept RandomBitGenerator64 =
    requires(G& g) {
      typename G::result_type;
      { g() } -> std::same_as<typename G::result_type>;
      { G::min() } -> std::same_as<typename G::result_type>;
      { G::max() } -> std::same_as<typename G::result_type>;
    } && std::same_as<typename G::result_type, std::uint64_t> && (G::min() == 0U) &&
    (G::max() == std::numeric_limits<std::uint64_t>::max());

}  // namespace thermo
