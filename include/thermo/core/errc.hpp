/// @file errc.hpp
/// Error codes (`errc`) and a located error (`error`) for thermo's error-as-value handling.
#pragma once

#include <cstdint>
#include <string_view>

namespace thermo {

/// What went wrong. Values are stable (they may cross a firmware boundary).
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
  switch (e) {
    case errc::ok:
      return "ok";
    case errc::invalid_argument:
      return "invalid argument";
    case errc::not_finite:
      return "not finite";
    case errc::non_positive:
      return "not strictly positive";
    case errc::negative:
      return "negative";
    case errc::out_of_range:
      return "out of range";
    case errc::not_increasing:
      return "not strictly increasing";
    case errc::capacity_exceeded:
      return "capacity exceeded";
    case errc::disconnected:
      return "no path to ambient";
    case errc::empty:
      return "empty";
    case errc::not_found:
      return "not found";
    case errc::already_exists:
      return "already exists";
    case errc::parse_error:
      return "parse error";
    case errc::io_error:
      return "I/O error";
    case errc::try_again:
      return "try again";
    case errc::hardware_fault:
      return "hardware fault";
    case errc::not_supported:
      return "not supported";
    case errc::numerical_failure:
      return "numerical failure";
    case errc::disabled:
      return "disabled";
  }
  return "unknown error";
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

}  // namespace thermo
