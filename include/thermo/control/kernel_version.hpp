/// @file kernel_version.hpp
/// Which Linux kernel's thermal behaviour to reproduce, where it changed after 6.12.0.
///
/// A `kernel_version` is parsed from "6.12", "6.12.18", "v6.13" or a `uname -r` string
/// ("6.12.18-android16-7-g…": everything from the first '-' or '+' on is ignored).
/// "MAJOR.MINOR" without a patch level means the newest release of that series thermo models;
/// for 6.12 that is 6.12.117, the stable release kernel-reference.md was read from.
///
/// `kernel_behaviour_of` turns a version into the behaviours that differ, each with the
/// mainline release that introduced it and the stable releases it was backported to:
///
/// | behaviour | mainline | backports | before |
/// |---|---|---|---|
/// | power split uses the *weighted* requests (`divvy_up_power`) | 6.14 (fix of a 6.8 regression) | 6.12.18, 6.13.6 | 6.8 … 6.12.17 split by the unweighted requests over the weighted total; ≤ 6.7 weighted |
/// | every actor gets its maximum power when the total request is 0 | 6.13 | — | 0 mW each (the deepest state) |
/// | step_wise decision table | see `step_wise_variant` | | |
///
/// step_wise: "allow cooling level to be reduced earlier" is mainline 6.18, backported to
/// 6.12.58; "fix stale mitigation vote with non-zero lower" is mainline 7.3 (Sep 2026),
/// backported to 6.12.113; "go straight to instance->lower" and the hysteresis-aware throttle
/// are 6.10. Stable series other than 6.12 are taken to follow mainline at their .0 release.
///
/// `step_wise_variant` (the step_wise decision tables) is defined here rather than in
/// step_wise.hpp so that this header stays a leaf: the governors include it to take a
/// `kernel_behaviour`, and readers of kernel versions (the audit, trace importers) need no
/// governor.
///
/// No heap, exceptions, RTTI, globals or clocks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"

namespace thermo::control {

/// Which kernel's step_wise decision table to use (see control/governors/step_wise.hpp for the
/// tables).
enum class step_wise_variant : std::uint8_t {
  v6_12_117 = 0,  ///< Linux 6.12.113+ and mainline ≈ v7.3 (Sep 2026): the default
  v6_12_58 = 1,   ///< Linux 6.12.58 … 6.12.112 (mainline ≈ 6.18 … 7.2)
  v6_10 = 2,      ///< Linux 6.10 … 6.12.57: hysteresis-aware, straight to `lower` when done
  v6_9 = 3,       ///< Linux ≤ 6.9: bare trip temperature, one step down at a time when done
};

/// A kernel release MAJOR.MINOR.PATCH.
struct kernel_version {
  std::uint32_t major{6};
  std::uint32_t minor{12};
  std::uint32_t patch{117};
  friend constexpr auto operator<=>(const kernel_version&, const kernel_version&) noexcept = default;
};

/// The default: Linux 6.12 (the newest 6.12 stable modelled, 6.12.117).
inline constexpr kernel_version default_kernel{6, 12, 117};
/// The patch level "6.12" stands for.
inline constexpr std::uint32_t newest_6_12_patch = 117;
/// The oldest kernel whose whole thermal framework thermo models (simulate, replay, sweep).
/// Older versions are accepted where only the power allocator's arithmetic matters (audit).
inline constexpr kernel_version oldest_modelled_kernel{6, 12, 0};

namespace detail {
/// Reads an unsigned decimal (at most 9 digits) at `s[pos]`; false if there is none.
constexpr bool read_number(std::string_view s, std::size_t& pos, std::uint32_t& out) noexcept {
  std::size_t digits = 0;
  std::uint32_t v = 0;
  while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
    if (++digits > 9) {
      return false;
    }
    v = v * 10U + static_cast<std::uint32_t>(s[pos] - '0');
    ++pos;
  }
  out = v;
  return digits > 0;
}
}  // namespace detail

/// Parses "6.12", "6.12.18", "v6.13", "6.12.18-android16-…". Errors: `parse_error` "kernel
/// version: expected MAJOR.MINOR[.PATCH]"; `out_of_range` "kernel version: major must be 2 to
/// 99". "MAJOR.MINOR" alone is the newest patch thermo models for 6.12 (117), else .0.
[[nodiscard]] constexpr result<kernel_version, error> parse_kernel_version(std::string_view s) noexcept {
  using r = result<kernel_version, error>;
  const error bad{errc::parse_error, "kernel version: expected MAJOR.MINOR[.PATCH], e.g. 6.12.18"};
  if (!s.empty() && (s.front() == 'v' || s.front() == 'V')) {
    s.remove_prefix(1);
  }
  for (std::size_t k = 0; k < s.size(); ++k) {
    if (s[k] == '-' || s[k] == '+') {
      s = s.substr(0, k);
      break;
    }
  }
  kernel_version v{};
  std::size_t pos = 0;
  if (!detail::read_number(s, pos, v.major) || pos >= s.size() || s[pos] != '.') {
    return r(bad);
  }
  ++pos;
  if (!detail::read_number(s, pos, v.minor)) {
    return r(bad);
  }
  bool have_patch = false;
  if (pos < s.size()) {
    if (s[pos] != '.') {
      return r(bad);
    }
    ++pos;
    if (!detail::read_number(s, pos, v.patch) || pos != s.size()) {
      return r(bad);
    }
    have_patch = true;
  }
  if (v.major < 2 || v.major > 99) {
    return r(error{errc::out_of_range, "kernel version: major must be 2 to 99"});
  }
  if (!have_patch) {
    v.patch = (v.major == 6 && v.minor == 12) ? newest_6_12_patch : 0;
  }
  return v;
}

/// The behaviours that differ between the kernels thermo models.
struct kernel_behaviour {
  /// `divvy_up_power` splits by the weighted requests (false: by the unweighted requests
  /// over the weighted total, the 6.8 … 6.12.17 regression).
  bool weighted_split{true};
  /// `divvy_up_power` gives every actor its maximum power when the total (weighted) request
  /// is 0 (6.13 and later); false: every actor gets 0 mW.
  bool zero_request_grants_max{false};
  /// The step_wise decision table.
  step_wise_variant step_wise{step_wise_variant::v6_12_117};
  friend constexpr bool operator==(const kernel_behaviour&, const kernel_behaviour&) noexcept = default;
};

/// The behaviours of kernel `v` (see the file comment for the table and its sources).
[[nodiscard]] constexpr kernel_behaviour kernel_behaviour_of(kernel_version v) noexcept {
  const auto at_least = [&](std::uint32_t ma, std::uint32_t mi, std::uint32_t pa = 0) noexcept {
    return v >= kernel_version{ma, mi, pa};
  };
  const bool series_6_12 = v.major == 6 && v.minor == 12;
  const bool series_6_13 = v.major == 6 && v.minor == 13;
  kernel_behaviour b;
  // weighted split: correct up to 6.7, broken from 6.8 (912e97c67cc3), fixed in 6.14
  // (4ecaa75771a7) and backported to 6.12.18 and 6.13.6.
  const bool broken = at_least(6, 8) && !at_least(6, 14) && !(series_6_12 && v.patch >= 18) &&
                      !(series_6_13 && v.patch >= 6);
  b.weighted_split = !broken;
  // zero request: 6.13 (08eb0493f6b3), not backported.
  b.zero_request_grants_max = at_least(6, 13);
  // step_wise tables.
  if (at_least(7, 3) || (series_6_12 && v.patch >= 113)) {
    b.step_wise = step_wise_variant::v6_12_117;
  } else if (at_least(6, 18) || (series_6_12 && v.patch >= 58)) {
    b.step_wise = step_wise_variant::v6_12_58;
  } else if (at_least(6, 10)) {
    b.step_wise = step_wise_variant::v6_10;
  } else {
    b.step_wise = step_wise_variant::v6_9;
  }
  return b;
}

}  // namespace thermo::control
