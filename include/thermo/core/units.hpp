/// @file units.hpp
/// Strong unit types: integer milli-units as the kernel uses them, and floating SI types for the
/// model half.
///
/// * `quantity<Dim, Rep, Ratio>` is a linear quantity shaped like `std::chrono::duration`:
///   explicit construction from a raw number, `count()` to read it, same-unit arithmetic only,
///   and `quantity_cast<To>()` with chrono's conversion rule (compute in the common type of the
///   two reps and `intmax_t`, divide last).
/// * `millicelsius` is an *affine* point: point − point → `millikelvin_delta`,
///   point ± delta → point; point + point does not exist.
/// * Products across dimensions are named functions (`energy_uj`, `power_uw_from` …), not
///   operators.
///
/// See docs/explanation/units.md.
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <limits>
#include <ratio>
#include <type_traits>

#include "thermo/core/concepts.hpp"  // Quantity

namespace thermo {

namespace dim {
struct temperature {};  ///< temperature *differences* (kelvin = degree Celsius steps)
struct power {};
struct energy {};
struct frequency {};
struct voltage {};
struct current {};
struct capacitance_thermal {};  ///< heat capacity, J/K
struct conductance_thermal {};  ///< thermal conductance, W/K
}  // namespace dim

template <class Dim, class Rep, class Ratio = std::ratio<1>>
class quantity;

namespace detail {
template <class R>
struct is_ratio : std::false_type {};
template <std::intmax_t N, std::intmax_t D>
struct is_ratio<std::ratio<N, D>> : std::true_type {};
}  // namespace detail

/// A linear physical quantity: `count()` units of `Ratio` × the SI unit of `Dim`.
/// Trivially copyable, the size of `Rep`.
template <class Dim, class Rep, class Ratio>
class quantity {
  static_assert(std::is_arithmetic_v<Rep>, "a quantity's representation is a number");
  static_assert(detail::is_ratio<Ratio>::value, "Ratio must be a std::ratio");

 public:
  using dimension = Dim;
  using rep = Rep;
  using ratio = typename Ratio::type;

  constexpr quantity() noexcept = default;
  constexpr explicit quantity(Rep v) noexcept : v_(v) {}

  [[nodiscard]] constexpr Rep count() const noexcept { return v_; }

  [[nodiscard]] static constexpr quantity zero() noexcept { return quantity(Rep{0}); }
  [[nodiscard]] static constexpr quantity min() noexcept {
    return quantity(std::numeric_limits<Rep>::lowest());
  }
  [[nodiscard]] static constexpr quantity max() noexcept {
    return quantity(std::numeric_limits<Rep>::max());
  }

  constexpr quantity operator+() const noexcept { return *this; }
  constexpr quantity operator-() const noexcept
    requires std::is_signed_v<Rep>
  {
    return quantity(static_cast<Rep>(-v_));
  }
  constexpr quantity& operator+=(quantity o) noexcept {
    v_ = static_cast<Rep>(v_ + o.v_);
    return *this;
  }
  constexpr quantity& operator-=(quantity o) noexcept {
    v_ = static_cast<Rep>(v_ - o.v_);
    return *this;
  }
  constexpr quantity& operator*=(Rep k) noexcept {
    v_ = static_cast<Rep>(v_ * k);
    return *this;
  }
  constexpr quantity& operator/=(Rep k) noexcept {
    v_ = static_cast<Rep>(v_ / k);
    return *this;
  }

  friend constexpr quantity operator+(quantity a, quantity b) noexcept { return a += b; }
  friend constexpr quantity operator-(quantity a, quantity b) noexcept { return a -= b; }
  friend constexpr quantity operator*(quantity a, Rep k) noexcept { return a *= k; }
  friend constexpr quantity operator*(Rep k, quantity a) noexcept { return a *= k; }
  friend constexpr quantity operator/(quantity a, Rep k) noexcept { return a /= k; }

  // An integer quantity scaled by a floating number would silently truncate the factor
  // (`1000_mW * 1.5` → 1000 mW): ill-formed instead. Scale in floating point and
  // quantity_cast, or use integer ratios.
  template <std::floating_point K>
    requires std::integral<Rep>
  constexpr quantity& operator*=(K) = delete;
  template <std::floating_point K>
    requires std::integral<Rep>
  constexpr quantity& operator/=(K) = delete;
  template <std::floating_point K>
    requires std::integral<Rep>
  friend constexpr quantity operator*(quantity, K) = delete;
  template <std::floating_point K>
    requires std::integral<Rep>
  friend constexpr quantity operator*(K, quantity) = delete;
  template <std::floating_point K>
    requires std::integral<Rep>
  friend constexpr quantity operator/(quantity, K) = delete;
  /// Ratio of two quantities of the same unit: a plain number.
  friend constexpr Rep operator/(quantity a, quantity b) noexcept {
    return static_cast<Rep>(a.v_ / b.v_);
  }

  friend constexpr bool operator==(quantity, quantity) noexcept = default;
  friend constexpr auto operator<=>(quantity, quantity) noexcept = default;

 private:
  Rep v_{};
};

/// Converts between units of one dimension with `std::chrono::duration_cast`'s rule: the
/// arithmetic runs in `common_type_t<FromRep, ToRep, intmax_t>` (or the floating type), the
/// multiplication comes first and the division last, and an integer target truncates toward
/// zero. `quantity_cast<milliwatts>(watts_f(1.5))` is 1500 mW, not 1000.
template <Quantity To, class Rep, class Ratio>
  requires std::same_as<typename To::dimension, typename To::dimension>
[[nodiscard]] constexpr To quantity_cast(quantity<typename To::dimension, Rep, Ratio> q) noexcept {
  using cf = std::ratio_divide<Ratio, typename To::ratio>;
  using cr = std::common_type_t<typename To::rep, Rep, std::intmax_t>;
  const auto v = static_cast<cr>(q.count());
  if constexpr (cf::num == 1 && cf::den == 1) {
    return To(static_cast<typename To::rep>(v));
  } else if constexpr (cf::den == 1) {
    return To(static_cast<typename To::rep>(v * static_cast<cr>(cf::num)));
  } else if constexpr (cf::num == 1) {
    return To(static_cast<typename To::rep>(v / static_cast<cr>(cf::den)));
  } else {
    return To(
        static_cast<typename To::rep>(v * static_cast<cr>(cf::num) / static_cast<cr>(cf::den)));
  }
}

// ---- the integer units of the control half (kernel units) ----------------------------------

using millikelvin_delta = quantity<dim::temperature, std::int32_t, std::milli>;  ///< m°C step
using milliwatts = quantity<dim::power, std::int32_t, std::milli>;               ///< cooling/IPA
using microwatts = quantity<dim::power, std::int64_t, std::micro>;               ///< EM, DTPM
using microjoules = quantity<dim::energy, std::int64_t, std::micro>;
using millijoules = quantity<dim::energy, std::int64_t, std::milli>;
using kilohertz = quantity<dim::frequency, std::uint32_t, std::kilo>;  ///< cpufreq, EM
using megahertz = quantity<dim::frequency, std::uint32_t, std::mega>;
using hertz = quantity<dim::frequency, std::uint64_t>;  ///< OPP library, devfreq
using millivolts = quantity<dim::voltage, std::int32_t, std::milli>;
using microvolts = quantity<dim::voltage, std::int32_t, std::micro>;  ///< OPP tables
using milliamps = quantity<dim::current, std::int32_t, std::milli>;

// ---- floating SI units of the model half ------------------------------------------------------

template <class Real = double>
using watts = quantity<dim::power, Real>;
template <class Real = double>
using joules = quantity<dim::energy, Real>;
template <class Real = double>
using kelvin_delta = quantity<dim::temperature, Real>;
template <class Real = double>
using joules_per_kelvin = quantity<dim::capacitance_thermal, Real>;
template <class Real = double>
using watts_per_kelvin = quantity<dim::conductance_thermal, Real>;
template <class Real = double>
using volts = quantity<dim::voltage, Real>;
template <class Real = double>
using hertz_f = quantity<dim::frequency, Real>;

using watts_f = watts<float>;

// ---- absolute temperature (affine) -------------------------------------------------------------

/// Absolute temperature in millidegrees Celsius, the kernel's `int` temperature.
/// An affine point: subtract two to get a `millikelvin_delta`; add or subtract a delta.
class millicelsius {
 public:
  using rep = std::int32_t;

  constexpr millicelsius() noexcept = default;
  constexpr explicit millicelsius(rep v) noexcept : v_(v) {}

  [[nodiscard]] constexpr rep count() const noexcept { return v_; }

  /// The kernel's THERMAL_TEMP_INVALID (−274 °C, below absolute zero).
  [[nodiscard]] static constexpr millicelsius invalid() noexcept { return millicelsius(-274'000); }
  [[nodiscard]] static constexpr millicelsius min() noexcept {
    return millicelsius(std::numeric_limits<rep>::min());
  }
  [[nodiscard]] static constexpr millicelsius max() noexcept {
    return millicelsius(std::numeric_limits<rep>::max());
  }

  constexpr millicelsius& operator+=(millikelvin_delta d) noexcept {
    v_ += d.count();
    return *this;
  }
  constexpr millicelsius& operator-=(millikelvin_delta d) noexcept {
    v_ -= d.count();
    return *this;
  }
  friend constexpr millicelsius operator+(millicelsius a, millikelvin_delta d) noexcept {
    return a += d;
  }
  friend constexpr millicelsius operator+(millikelvin_delta d, millicelsius a) noexcept {
    return a += d;
  }
  friend constexpr millicelsius operator-(millicelsius a, millikelvin_delta d) noexcept {
    return a -= d;
  }
  friend constexpr millikelvin_delta operator-(millicelsius a, millicelsius b) noexcept {
    return millikelvin_delta(a.v_ - b.v_);
  }

  friend constexpr bool operator==(millicelsius, millicelsius) noexcept = default;
  friend constexpr auto operator<=>(millicelsius, millicelsius) noexcept = default;

 private:
  rep v_{};
};

/// Absolute temperature for the model half, in degrees Celsius (floating).
template <class Real = double>
class celsius {
 public:
  using rep = Real;
  constexpr celsius() noexcept = default;
  constexpr explicit celsius(Real v) noexcept : v_(v) {}
  [[nodiscard]] constexpr Real count() const noexcept { return v_; }
  friend constexpr celsius operator+(celsius a, kelvin_delta<Real> d) noexcept {
    return celsius(a.v_ + d.count());
  }
  friend constexpr celsius operator-(celsius a, kelvin_delta<Real> d) noexcept {
    return celsius(a.v_ - d.count());
  }
  friend constexpr kelvin_delta<Real> operator-(celsius a, celsius b) noexcept {
    return kelvin_delta<Real>(a.v_ - b.v_);
  }
  friend constexpr bool operator==(celsius, celsius) noexcept = default;
  friend constexpr auto operator<=>(celsius, celsius) noexcept = default;

 private:
  Real v_{};
};

/// Kelvin ↔ Celsius offset used by file formats that speak kelvin (HotSpot).
inline constexpr double kelvin_offset = 273.15;

/// Rounds a model temperature to the kernel's millicelsius, to nearest (ties away from zero),
/// saturating at the int32 range. No `<cmath>` needed.
template <class Real>
[[nodiscard]] constexpr millicelsius to_millicelsius(celsius<Real> t) noexcept {
  const Real m = t.count() * Real(1000);
  constexpr Real lo = Real(std::numeric_limits<std::int32_t>::min());
  constexpr Real hi = Real(std::numeric_limits<std::int32_t>::max());
  if (!(m > lo)) {
    return millicelsius::min();  // also NaN → min: never silent garbage upward
  }
  if (m >= hi) {
    return millicelsius::max();
  }
  // Truncate, then round on the exact remainder: `m + 0.5` would round 0.49999997 up and, in
  // float, misround odd integers from 2^23 on (8388609 → 8388610).
  auto i = static_cast<std::int64_t>(m);       // |m| < 2^31: exact truncation
  const Real frac = m - static_cast<Real>(i);  // exact (Sterbenz)
  if (frac >= Real(0.5)) {
    ++i;
  } else if (frac <= Real(-0.5)) {
    --i;
  }
  return millicelsius(static_cast<std::int32_t>(i));  // in range: lo < m < hi
}

/// The model-side value of a kernel temperature.
template <class Real = double>
[[nodiscard]] constexpr celsius<Real> to_celsius(millicelsius t) noexcept {
  return celsius<Real>(static_cast<Real>(t.count()) / Real(1000));
}

// ---- named cross-dimension formulas -----------------------------------------------------------

/// Energy of a constant power held for `ms` milliseconds, in microjoules (µW·ms/1000).
[[nodiscard]] constexpr microjoules energy_uj(microwatts p, std::int64_t ms) noexcept {
  return microjoules(p.count() * ms / 1000);
}
/// Electrical power V·I in milliwatts (mV·mA/1000, truncated).
[[nodiscard]] constexpr milliwatts power_from_voltage_current(millivolts v, milliamps i) noexcept {
  return milliwatts(
      static_cast<std::int32_t>(static_cast<std::int64_t>(v.count()) * i.count() / 1000));
}

namespace detail {
/// What literal operators take: `unsigned long long` and `long double`, by the language's rule.
using ull = unsigned long long;  // NOLINT(google-runtime-int)
using ld = long double;
/// The value of a unit literal: the literal's number converted to `Unit`'s representation.
template <class Unit, class Number>
[[nodiscard]] constexpr Unit unit(Number v) noexcept {
  return Unit(static_cast<typename Unit::rep>(v));
}
}  // namespace detail

namespace literals {
constexpr auto operator""_mC(detail::ull v) noexcept { return detail::unit<millicelsius>(v); }
constexpr auto operator""_mK(detail::ull v) noexcept { return detail::unit<millikelvin_delta>(v); }
constexpr auto operator""_mW(detail::ull v) noexcept { return detail::unit<milliwatts>(v); }
constexpr auto operator""_uW(detail::ull v) noexcept { return detail::unit<microwatts>(v); }
constexpr auto operator""_kHz(detail::ull v) noexcept { return detail::unit<kilohertz>(v); }
constexpr auto operator""_MHz(detail::ull v) noexcept { return detail::unit<megahertz>(v); }
constexpr auto operator""_mV(detail::ull v) noexcept { return detail::unit<millivolts>(v); }
constexpr auto operator""_uV(detail::ull v) noexcept { return detail::unit<microvolts>(v); }
constexpr auto operator""_mA(detail::ull v) noexcept { return detail::unit<milliamps>(v); }
constexpr auto operator""_W(detail::ld v) noexcept { return detail::unit<watts<double>>(v); }
constexpr auto operator""_degC(detail::ld v) noexcept { return detail::unit<celsius<double>>(v); }
}  // namespace literals

}  // namespace thermo
