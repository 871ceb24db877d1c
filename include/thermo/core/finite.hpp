/// @file finite.hpp
/// Finite and range checks on `double` that are `constexpr` and need no <cmath>: the
/// validations of descriptions (schema/), workloads and analyses use them, on the host and on a
/// device alike.
#pragma once

namespace thermo {

/// True for a finite double (false for NaN and ±inf). No <cmath>.
[[nodiscard]] constexpr bool is_finite(double x) noexcept {
  return x - x == 0.0;
}

/// lo ≤ x ≤ hi (false for NaN). No <cmath>.
[[nodiscard]] constexpr bool in_range(double x, double lo, double hi) noexcept {
  return x >= lo && x <= hi;
}

}  // namespace thermo
