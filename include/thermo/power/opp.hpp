/// @file opp.hpp
/// Operating performance points (OPPs): the (frequency, voltage[, power]) rows of a device-tree
/// `operating-points-v2` table, validated, with the lookups the kernel's OPP library and the
/// cpufreq/devfreq cooling devices use.
///
/// * Frequencies are in kHz, the cpufreq/EM unit. A device tree gives `opp-hz` in Hz; the kernel
///   turns it into kHz by truncating division (`Hz / 1000`), and so should a caller.
/// * Voltages are the *first* cell of `opp-microvolt` (the target voltage of the first supply),
///   in µV — the value the kernel's Energy Model uses.
/// * `power` is the optional `opp-microwatt`; zero means "not given" (the Energy Model then
///   computes power from the `dynamic-power-coefficient`).
/// * Rows are in ascending frequency. Cooling state s ↔ row `max_state − s`: state 0 is the
///   fastest OPP, the highest state the slowest (kernel-reference §3.3, §3.4).
///
/// Device-side: no heap, no exceptions, no floating point. See docs/reference/power.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/fwd.hpp"

namespace thermo::power {

// `default_max_opps` (32), the default capacity of OPP tables and Energy Model perf domains, is
// in power/fwd.hpp with the template defaults that use it.

/// One operating performance point.
struct opp {
  kilohertz frequency;  ///< clock frequency, kHz (> 0)
  microvolts voltage;   ///< target voltage of the first supply, µV (> 0)
  microwatts power;     ///< explicit `opp-microwatt` power, µW; 0 = not given

  friend constexpr bool operator==(const opp&, const opp&) noexcept = default;
};

namespace detail {

/// Index of the first row whose `frequency` is ≥ `f`, or `rows.size()` if none (binary search).
template <class Row>
[[nodiscard]] constexpr std::size_t first_at_or_above(std::span<const Row> rows,
                                                      kilohertz f) noexcept {
  std::size_t lo = 0;
  std::size_t hi = rows.size();
  while (lo < hi) {
    const std::size_t mid = lo + ((hi - lo) / 2);
    if (rows[mid].frequency < f) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/// Kernel `find_freq_ceil`: the lowest row with frequency ≥ f; `out_of_range` (−ERANGE) if f is
/// above the highest row.
template <class Row>
[[nodiscard]] constexpr result<std::size_t> find_ceil(std::span<const Row> rows,
                                                      kilohertz f) noexcept {
  const std::size_t i = first_at_or_above(rows, f);
  if (i == rows.size()) {
    return errc::out_of_range;
  }
  return i;
}

/// Kernel `find_freq_floor`: the highest row with frequency ≤ f; `out_of_range` (−ERANGE) if f
/// is below the lowest row.
template <class Row>
[[nodiscard]] constexpr result<std::size_t> find_floor(std::span<const Row> rows,
                                                       kilohertz f) noexcept {
  std::size_t i = first_at_or_above(rows, f);
  if (i < rows.size() && rows[i].frequency == f) {
    return i;
  }
  if (i == 0) {
    return errc::out_of_range;
  }
  return i - 1;
}

/// Kernel `find_freq_exact`: the row with exactly this frequency; `not_found` otherwise.
template <class Row>
[[nodiscard]] constexpr result<std::size_t> find_exact(std::span<const Row> rows,
                                                       kilohertz f) noexcept {
  const std::size_t i = first_at_or_above(rows, f);
  if (i == rows.size() || rows[i].frequency != f) {
    return errc::not_found;
  }
  return i;
}

/// Cooling state → row index (`max_state − state`); `out_of_range` if state > max_state.
[[nodiscard]] constexpr result<std::size_t> state_to_index(std::size_t nr_rows,
                                                           std::size_t state) noexcept {
  if (nr_rows == 0 || state > nr_rows - 1) {
    return errc::out_of_range;
  }
  return nr_rows - 1 - state;
}

}  // namespace detail

/// Checks OPP rows as a table: non-empty, at most `capacity` rows, every frequency and voltage
/// > 0, frequencies strictly increasing, explicit powers ≥ 0 and given for all rows or none.
///
/// @return `error{}` (code `errc::ok`) when valid, otherwise the first problem, naming the row
///         (`index`) and, for ordering problems, the previous row (`index2`):
///         `empty`, `capacity_exceeded` (index = row count), `non_positive` "opp frequency" /
///         "opp voltage", `not_increasing` "opp frequency", `negative` "opp power",
///         `invalid_argument` "opp power (given on some rows only)".
/// Complexity: O(n).
[[nodiscard]] constexpr error validate_opps(
    std::span<const opp> rows,
    std::size_t capacity = std::numeric_limits<std::size_t>::max()) noexcept {
  if (rows.empty()) {
    return {errc::empty, "opp table"};
  }
  if (rows.size() > capacity) {
    return {errc::capacity_exceeded, "opp table rows", static_cast<std::int32_t>(rows.size())};
  }
  const bool explicit_power = rows[0].power.count() != 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = static_cast<std::int32_t>(i);
    if (rows[i].frequency.count() == 0) {
      return {errc::non_positive, "opp frequency", row};
    }
    if (rows[i].voltage.count() <= 0) {
      return {errc::non_positive, "opp voltage", row};
    }
    if (i > 0 && rows[i].frequency <= rows[i - 1].frequency) {
      return {errc::not_increasing, "opp frequency", row, row - 1};
    }
    if (rows[i].power.count() < 0) {
      return {errc::negative, "opp power", row};
    }
    if ((rows[i].power.count() != 0) != explicit_power) {
      // The kernel only looks at the first OPP to decide whether the table has opp-microwatt;
      // a table that has it on some rows only would give a zero power and fail EM registration.
      return {errc::invalid_argument, "opp power (given on some rows only)", row};
    }
  }
  return {};
}

/// A validated OPP table with room for `Capacity` rows, ascending in frequency.
///
/// Built only through `make()`, so every instance is valid. Capacity-sized array, no heap;
/// usable in constant expressions.
template <std::size_t Capacity /* = default_max_opps */>
class opp_table {
 public:
  /// Copies and validates `rows` (see `validate_opps` for the errors). O(n).
  [[nodiscard]] static constexpr result<opp_table, error> make(std::span<const opp> rows) noexcept {
    if (const error e = validate_opps(rows, Capacity); !e.ok()) {
      return e;
    }
    opp_table t;
    for (const opp& r : rows) {
      t.rows_[t.size_++] = r;
    }
    return t;
  }

  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return Capacity; }
  /// Number of OPPs (≥ 1).
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }
  /// The rows, ascending in frequency.
  [[nodiscard]] constexpr std::span<const opp> rows() const noexcept {
    return {rows_.data(), size_};
  }
  /// Row `i`; precondition `i < size()`.
  [[nodiscard]] constexpr const opp& operator[](std::size_t i) const noexcept {
    THERMO_ASSERT(i < size_);
    return rows_[i];
  }
  [[nodiscard]] constexpr const opp* begin() const noexcept { return rows_.data(); }
  [[nodiscard]] constexpr const opp* end() const noexcept { return rows_.data() + size_; }
  /// Lowest and highest OPP.
  [[nodiscard]] constexpr const opp& lowest() const noexcept { return rows_[0]; }
  [[nodiscard]] constexpr const opp& highest() const noexcept { return rows_[size_ - 1]; }
  /// True when the rows carry explicit `opp-microwatt` powers.
  [[nodiscard]] constexpr bool has_explicit_power() const noexcept {
    return rows_[0].power.count() != 0;
  }

  /// Highest cooling state of a cooling device over this table: `size() − 1`.
  [[nodiscard]] constexpr std::size_t max_state() const noexcept { return size_ - 1; }

  /// Lowest OPP with frequency ≥ f (kernel `dev_pm_opp_find_freq_ceil`); `errc::out_of_range`
  /// if f is above the highest OPP. O(log n).
  [[nodiscard]] constexpr result<std::size_t> find_ceil(kilohertz f) const noexcept {
    return detail::find_ceil(rows(), f);
  }
  /// Highest OPP with frequency ≤ f (kernel `dev_pm_opp_find_freq_floor`); `errc::out_of_range`
  /// if f is below the lowest OPP. O(log n).
  [[nodiscard]] constexpr result<std::size_t> find_floor(kilohertz f) const noexcept {
    return detail::find_floor(rows(), f);
  }
  /// The OPP with exactly frequency f (kernel `dev_pm_opp_find_freq_exact`); `errc::not_found`
  /// otherwise. O(log n).
  [[nodiscard]] constexpr result<std::size_t> find_exact(kilohertz f) const noexcept {
    return detail::find_exact(rows(), f);
  }
  /// Cooling state → OPP index: `max_state() − state` (state 0 = fastest OPP);
  /// `errc::out_of_range` when state > max_state() (the kernel's −EINVAL). O(1).
  [[nodiscard]] constexpr result<std::size_t> state_to_index(std::size_t state) const noexcept {
    return detail::state_to_index(size(), state);
  }
  /// OPP index → cooling state: `max_state() − index`; `errc::out_of_range` when index ≥ size().
  [[nodiscard]] constexpr result<std::size_t> index_to_state(std::size_t index) const noexcept {
    return detail::state_to_index(size(), index);
  }

  friend constexpr bool operator==(const opp_table& a, const opp_table& b) noexcept {
    if (a.size_ != b.size_) {
      return false;
    }
    for (std::size_t i = 0; i < a.size_; ++i) {
      if (!(a.rows_[i] == b.rows_[i])) {
        return false;
      }
    }
    return true;
  }

 private:
  constexpr opp_table() noexcept = default;
  // A plain array (every slot initialised) rather than static_vector, so that a table is a
  // valid constant expression whatever its fill level.
  std::array<opp, Capacity> rows_{};
  std::size_t size_{0};
};

}  // namespace thermo::power
