/// @file finite.hpp
/// Finite and range checks on `double` that are `constexpr` and need no <cmath>: the
/// validations of descriptions (schema/), workloads and analyses use them, on the host and on a
/// device alike.
#pragma once

#include <limits>

#include "thermo/core/errc.hpp"

namespace thermo {

/// True for a finite double (false for NaN and ±inf). No <cmath>, and a constant expression
/// for every input (`x − x == 0`, the usual trick, is not one for ±inf), so a constexpr
/// description holding an infinity is rejected by its `validate`, not by the compiler.
[[nodiscard]] constexpr bool is_finite(double x) noexcept {
  return x >= -std::numeric_limits<double>::max() && x <= std::numeric_limits<double>::max();
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
