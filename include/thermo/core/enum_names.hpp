/// @file enum_names.hpp
/// `enum_name`: the name of an enumerator from a constexpr table indexed by its value — the
/// `to_string` of an enumeration numbered 0, 1, 2 … without a `case` per enumerator:
///
///     [[nodiscard]] constexpr std::string_view to_string(run_status s) noexcept {
///       constexpr std::array<std::string_view, 4> names{"not started", "running", "shutdown",
///                                                       "reboot"};
///       return enum_name<run_status::reboot>(s, names, "unknown");
///     }
///
/// The first template argument is the enumeration's last enumerator. It sizes the table at
/// compile time: a missing name or one too many does not compile (as a missing `case` would not
/// under `-Wswitch`). A new enumerator therefore goes last, and the call names it. O(1), no heap,
/// usable on a device.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <type_traits>

namespace thermo {

/// The name of `e` in `names` — the names of the enumerators 0 … `Last`, in value order — or
/// `unknown` for a value that no enumerator has.
template <auto Last, std::size_t N>
  requires std::is_enum_v<decltype(Last)>
[[nodiscard]] constexpr std::string_view enum_name(decltype(Last) e,
                                                   const std::array<std::string_view, N>& names,
                                                   std::string_view unknown) noexcept {
  static_assert(N == static_cast<std::size_t>(Last) + 1, "one name per enumerator, 0 … Last");
  const auto i = static_cast<std::size_t>(e);
  return i < N ? names[i] : unknown;
}

}  // namespace thermo
