/// @file finite.hpp
/// Finite and range checks on `double` that are `constexpr` and need no <cmath>: the
/// validations of descriptions (schema/), workloads and analyses use them, on the host and on a
/// device alike.
#pragma once

#include "thermo/core/errc.hpp"

namespace thermo {

/// True for a finite double (false for NaN and ±inf). No <cmath>.
[[nodiscard]] constexpr bool is_finite(double x) noexcept {
  return x - x == 0.0;
}

/// lo ≤ x ≤ hi (false for NaN). No <cmath>.
[[nodiscard]] constexpr bool in_range(double x, double lo, double hi) noexcept {
  return x >= lo && x <= hi;
}

/// `errc::ok` for a finite x > 0, else `not_finite` / `non_positive` naming `what`.
[[nodiscard]] constexpr error check_positive(double x, const char* what) noexcept {
  if (!is_finite(x)) {
    return {errc::not_finite, what};
  }
  if (x <= 0.0) {
    return {errc::non_positive, what};
  }
  return {};
}

/// `errc::ok` for a finite x ≥ 0, else `not_finite` / `negative` naming `what`.
[[nodiscard]] constexpr error check_non_negative(double x, const char* what) noexcept {
  if (!is_finite(x)) {
    return {errc::not_finite, what};
  }
  if (x < 0.0) {
    return {errc::negative, what};
  }
  return {};
}

}  // namespace thermo
