/// @file rc_kernels.hpp
/// Internal: the scalar kernels of the RC network (model/rc_network.hpp) — conversions, a
/// mode's step gain, the one modal step, and a cheap lower bound of e^{−x} for the crossing
/// screens. Not part of the public API.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

namespace thermo {

namespace detail::rc {

/// `x` as a `To`; the cast is written only between different types (no -Wuseless-cast when
/// `Real` is `double`).
template <class To, class From>
[[nodiscard]] constexpr To convert(From x) noexcept {
  if constexpr (std::is_same_v<To, From>) {
    return x;
  } else {
    return static_cast<To>(x);
  }
}
template <class T>
[[nodiscard]] constexpr double to_double(T x) noexcept {
  return convert<double>(x);
}
template <class Real>
[[nodiscard]] constexpr Real from_double(double x) noexcept {
  return convert<Real>(x);
}

[[nodiscard]] constexpr std::int32_t idx(std::size_t i) noexcept {
  return i > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : static_cast<std::int32_t>(i);
}

/// A mode's step gain 1 − e^{−x} (x = λ·Δt ≥ 0), within one ulp. Slow modes over short steps
/// (x < 1/128 — most steps of a board's or package's mode) take a degree-7 Taylor polynomial:
/// its truncation is below 10⁻¹⁸ relative and its rounding below half an ulp of the −x it
/// corrects, and it costs a few multiplications instead of a call of `expm1`. The rest call
/// `std::expm1`. Either way the result is a pure function of x.
template <class Real>
[[nodiscard]] inline Real step_gain(Real x) noexcept {
  if (x < Real{0.0078125}) {
    // 1 − e^{−x} = x − x²/2! + x³/3! − … − x⁶/6! + x⁷/7!
    Real q = x * static_cast<Real>(1.0 / 5040.0);
    q = x * (static_cast<Real>(1.0 / 720.0) - q);
    q = x * (static_cast<Real>(1.0 / 120.0) - q);
    q = x * (static_cast<Real>(1.0 / 24.0) - q);
    q = x * (static_cast<Real>(1.0 / 6.0) - q);
    q = Real{0.5} - q;
    return x - (x * x) * q;
  }
  return -std::expm1(-x);
}

/// The exact zero-order-hold step of every mode, y_k ← y_k + (y_ss,k − y_k)·g_k with the gains
/// g_k = 1 − e^{−λ_k Δt} (`step_gain`): the one place a modal state is stepped.
template <class Real>
inline void step_modes(Real* y, const Real* yss, const Real* g, std::size_t n) noexcept {
  for (std::size_t k = 0; k < n; ++k) {
    y[k] += (yss[k] - y[k]) * g[k];
  }
}

/// An array of quiet NaNs (an empty key table: NaN equals nothing).
template <class Real, std::size_t N>
[[nodiscard]] constexpr std::array<Real, N> nan_array() noexcept {
  std::array<Real, N> a{};
  for (Real& x : a) {
    x = std::numeric_limits<Real>::quiet_NaN();
  }
  return a;
}

/// A lower bound of e^{−x} for x ≥ 0 without `exp`: max(0, 1 − x + x²/2 − x³/6) (Taylor's
/// alternating remainder puts the cubic below e^{−x} for every x ≥ 0; its few-ulp rounding is
/// for the caller's slack). Tight for small x, 0 past x ≈ 1.6. Used by the simulation to
/// screen crossings before paying for `exp`.
[[nodiscard]] inline double exp_neg_lower_bound(double x) noexcept {
  return std::max(0.0, 1.0 - x * (1.0 - x * (0.5 - x * (1.0 / 6.0))));
}

}  // namespace detail::rc

}  // namespace thermo
