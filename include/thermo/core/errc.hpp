/// @file errc.hpp
/// Error codes (`errc`) and a located error (`error`) for thermo's error-as-value handling.
#pragma once

#include <array>
#include <cstdint>
#include <initializer_list>
#include <string_view>

#include "thermo/core/enum_names.hpp"

namespace thermo {

/// What went wrong. Values are stable (they may cross a firmware boundary): a new code goes
/// last, and `to_string` names it.
enum class errc : std::uint8_t {
  ok = 0,             ///< success (for functions that return a bare status)
  invalid_argument,   ///< a value is outside its documented domain
  not_finite,         ///< NaN or infinity where a finite number is required
  non_positive,       ///< zero or negative where a strictly positive value is required
  negative,           ///< negative where a value >= 0 is required
  out_of_range,       ///< index, state or limit outside its range
  not_increasing,     ///< a sequence that must be strictly increasing is not
  capacity_exceeded,  ///< more elements than the compile-time capacity
  disconnected,       ///< a thermal network group has no path to ambient
  empty,              ///< a required collection is empty
  not_found,          ///< a named thing does not exist
  already_exists,     ///< binding or registration repeated
  parse_error,        ///< malformed input text or blob
  io_error,           ///< a file or stream could not be read or written
  try_again,          ///< transient failure; the caller should retry (kernel -EAGAIN)
  hardware_fault,     ///< hard failure of a sensor or device (kernel -EIO etc.)
  not_supported,      ///< operation not offered by this component
  numerical_failure,  ///< a numerical method did not converge or lost definiteness
  disabled,           ///< the component is disabled
};

/// A short, static description of an error code (never allocates).
[[nodiscard]] constexpr std::string_view to_string(errc e) noexcept {
  constexpr std::array<std::string_view, 19> names{
      "ok",
      "invalid argument",
      "not finite",
      "not strictly positive",    // non_positive
      "negative",
      "out of range",
      "not strictly increasing",  // not_increasing
      "capacity exceeded",
      "no path to ambient",       // disconnected
      "empty",
      "not found",
      "already exists",
      "parse error",
      "I/O error",
      "try again",
      "hardware fault",
      "not supported",
      "numerical failure",
      "disabled",
  };
  return enum_name<errc::disabled>(e, names, "unknown error");
}

/// An error that says *what* is wrong and *where*: a code, a static message naming the
/// offending quantity ("capacitance", "conductance", "frequency" …) and up to two indices
/// (a node, an edge's two nodes, an OPP row, a trip). Trivially copyable, no heap.
struct error {
  static constexpr std::int32_t no_index = -1;

  errc code{errc::ok};
  const char* what{""};           ///< static string naming the quantity or rule
  std::int32_t index{no_index};   ///< first subject (node, row, trip …), or no_index
  std::int32_t index2{no_index};  ///< second subject (other end of an edge …), or no_index

  constexpr error() noexcept = default;
  // NOLINTNEXTLINE(google-explicit-constructor): `return errc::x;` where an error is returned
  constexpr error(errc c, const char* w = "", std::int32_t i = no_index,
                  std::int32_t j = no_index) noexcept
      : code(c), what(w), index(i), index2(j) {}

  [[nodiscard]] constexpr bool ok() const noexcept { return code == errc::ok; }
  friend constexpr bool operator==(const error& e, errc c) noexcept { return e.code == c; }
};

/// The first of `checks` that is not ok, or ok: a validation written as a list of independent
/// checks (each is evaluated, so none may depend on an earlier one passing).
[[nodiscard]] constexpr error first_error(std::initializer_list<error> checks) noexcept {
  for (const error& e : checks) {
    if (!e.ok()) {
      return e;
    }
  }
  return {};
}

}  // namespace thermo
