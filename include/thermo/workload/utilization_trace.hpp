/// @file utilization_trace.hpp
/// Replays recorded per-CPU utilisation as a workload.
///
/// A trace is a table of rows: row i starts at trace time t_i (strictly increasing, t_0 ≥ 0)
/// and holds one utilisation per core until the next row starts. Values are
/// *frequency-invariant* utilisation in [0, 1] — the share of one core's capacity at the
/// domain's maximum frequency, as the Linux scheduler's `util_avg` is (workload/concepts.hpp). A
/// trace recorded as busy time at a fixed frequency f must be scaled by f / f_max first.
///
/// Trace time 0 is simulation time `start`. Before t_0 every core asks 0. After the last row:
/// `hold` keeps the last row for ever; `idle` keeps it until trace time `duration`, then 0;
/// `repeat` starts the trace again every `duration`.
///
/// The rows are copied into the object (`MaxRows` × `MaxCores` capacity, fixed at compile
/// time), so the run is heap-free. Reading a trace from CSV is host-side: io/utilization_csv.hpp.
/// A trace makes no progress of its own (`advance` does nothing): its events are row boundaries.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/finite.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/workload/concepts.hpp"
#include "thermo/workload/detail/progress.hpp"
#include "thermo/workload/fwd.hpp"

namespace thermo::workload {

/// What a trace does after its last row.
enum class trace_end : std::uint8_t {
  hold,    ///< the last row holds for ever
  idle,    ///< the last row holds until `duration`, then every core asks 0
  repeat,  ///< the trace restarts every `duration`
};

/// Placement and end behaviour of a trace.
struct utilization_trace_config {
  std::size_t domain = 0;  ///< perf domain it runs on
  sim_time start{};       ///< simulation time of trace time 0, ≥ 0
  trace_end at_end = trace_end::hold;
  sim_duration duration{0};  ///< trace length for `idle` / `repeat`: > the last row's time
};

/// A per-CPU utilisation trace (satisfies `Workload`).
/// @tparam MaxRows   rows it can hold
/// @tparam MaxCores  cores (columns) it can hold
template <std::size_t MaxRows /* = 1024 */, std::size_t MaxCores /* = 8 */>
class utilization_trace {
  static_assert(MaxRows >= 1U && MaxCores >= 1U, "capacities must be positive");

 public:
  /// Copies a trace: `times[i]` is row i's start (trace time), `values` holds the rows one after
  /// the other, `cores` values each. Errors: `empty` "trace rows"; `non_positive` "trace cores";
  /// `capacity_exceeded` "trace rows" / "trace cores"; `invalid_argument` "trace values" (size
  /// not rows × cores); `negative` "trace time" (row); `not_increasing` "trace time" (row);
  /// `not_finite` / `out_of_range` "utilization" (row, core); `negative` "start";
  /// `out_of_range` "trace duration" (idle/repeat with duration ≤ the last row's time).
  /// O(rows·cores).
  [[nodiscard]] static constexpr result<utilization_trace, error> make(
      std::span<const sim_duration> times, std::span<const double> values, std::size_t cores,
      const utilization_trace_config& c) noexcept {
    if (times.empty()) {
      return error{errc::empty, "trace rows"};
    }
    if (cores == 0U) {
      return error{errc::non_positive, "trace cores"};
    }
    if (times.size() > MaxRows) {
      return error{errc::capacity_exceeded, "trace rows", static_cast<std::int32_t>(times.size())};
    }
    if (cores > MaxCores) {
      return error{errc::capacity_exceeded, "trace cores", static_cast<std::int32_t>(cores)};
    }
    if (values.size() != times.size() * cores) {
      return error{errc::invalid_argument, "trace values",
                   static_cast<std::int32_t>(values.size())};
    }
    if (auto e = check_rows(times, values, cores); !e.ok()) {
      return e;
    }
    if (c.start < sim_time{}) {
      return error{errc::negative, "start"};
    }
    if (c.at_end != trace_end::hold && c.duration <= times.back()) {
      return error{errc::out_of_range, "trace duration"};
    }
    utilization_trace t(c, times.size(), cores);
    for (std::size_t i = 0; i < times.size(); ++i) {
      t.times_[i] = times[i];
      for (std::size_t k = 0; k < cores; ++k) {
        t.values_[(i * MaxCores) + k] = values[(i * cores) + k];
      }
    }
    return t;
  }

  // -- Workload -------------------------------------------------------------------------------
  [[nodiscard]] constexpr std::size_t domain() const noexcept { return cfg_.domain; }
  [[nodiscard]] constexpr std::size_t cores() const noexcept { return cores_; }

  /// The active row's utilisations (0 before the first row and after an `idle` end).
  /// Precondition: `out.size() ≥ cores()`. O(cores).
  constexpr void utilization(sim_time /*now*/, std::span<double> out) const noexcept {
    THERMO_ASSERT(out.size() >= cores_);
    const bool active = !ended_ && next_ > 0U;
    for (std::size_t k = 0; k < cores_; ++k) {
      out[k] = active ? values_[((next_ - 1U) * MaxCores) + k] : 0.0;
    }
  }

  /// The next row boundary (or the end of the trace), `never` when nothing more changes. O(1).
  [[nodiscard]] constexpr sim_time next_event(sim_time now,
                                              const domain_state& /*s*/) const noexcept {
    if (ended_) {
      return never;
    }
    const sim_time t = boundary(next_);
    return t < now ? now : t;
  }

  /// Nothing to do: a trace has no progress of its own.
  constexpr void advance(sim_time /*now*/, sim_duration /*dt*/,
                         const domain_state& /*s*/) noexcept {}

  /// Passes every boundary at or before `now`. O(boundaries passed).
  constexpr void on_event(sim_time now, const domain_state& /*s*/) noexcept {
    while (!ended_ && boundary(next_) <= now) {
      if (next_ < rows_) {
        ++next_;
      } else if (cfg_.at_end == trace_end::idle) {
        ended_ = true;
      } else {  // repeat (hold never reaches its end boundary)
        cycle_start_ = add_saturating(cycle_start_, cfg_.duration);
        next_ = 0;
        ++cycles_;
        if (cycle_start_ == never) {
          ended_ = true;
        }
      }
    }
  }

  // -- State --------------------------------------------------------------------------------
  [[nodiscard]] constexpr std::size_t rows() const noexcept { return rows_; }
  /// Index of the active row, or `rows()` when none is active.
  [[nodiscard]] constexpr std::size_t active_row() const noexcept {
    return ended_ || next_ == 0U ? rows_ : next_ - 1U;
  }
  /// Completed repetitions (`repeat`).
  [[nodiscard]] constexpr std::uint64_t repetitions() const noexcept { return cycles_; }
  /// Utilisation of `core` in `row`. Preconditions: row < rows(), core < cores().
  [[nodiscard]] constexpr double value(std::size_t row, std::size_t core) const noexcept {
    THERMO_ASSERT(row < rows_ && core < cores_);
    return values_[(row * MaxCores) + core];
  }
  /// Start (trace time: since the trace's start) of `row`. Precondition: row < rows().
  [[nodiscard]] constexpr sim_duration row_time(std::size_t row) const noexcept {
    THERMO_ASSERT(row < rows_);
    return times_[row];
  }

 private:
  constexpr utilization_trace(const utilization_trace_config& c, std::size_t rows,
                              std::size_t cores) noexcept
      : cfg_(c), rows_(rows), cores_(cores), cycle_start_(c.start) {}

  /// Times strictly increasing from ≥ 0, every value finite and in [0, 1].
  [[nodiscard]] static constexpr error check_rows(std::span<const sim_duration> times,
                                                  std::span<const double> values,
                                                  std::size_t cores) noexcept {
    for (std::size_t i = 0; i < times.size(); ++i) {
      const auto row = static_cast<std::int32_t>(i);
      if (times[i] < sim_duration{0}) {
        return {errc::negative, "trace time", row};
      }
      if (i > 0 && times[i] <= times[i - 1]) {
        return {errc::not_increasing, "trace time", row};
      }
      for (std::size_t k = 0; k < cores; ++k) {
        const double u = values[(i * cores) + k];
        if (!is_finite(u)) {
          return {errc::not_finite, "utilization", row, static_cast<std::int32_t>(k)};
        }
        if (u < 0.0 || u > 1.0) {
          return {errc::out_of_range, "utilization", row, static_cast<std::int32_t>(k)};
        }
      }
    }
    return {};
  }

  /// Simulation time of boundary `k` of the current cycle: row k's start, or the trace end.
  [[nodiscard]] constexpr sim_time boundary(std::size_t k) const noexcept {
    if (k < rows_) {
      return add_saturating(cycle_start_, times_[k]);
    }
    return cfg_.at_end == trace_end::hold ? never
                                          : add_saturating(cycle_start_, cfg_.duration);
  }

  utilization_trace_config cfg_;
  std::size_t rows_;
  std::size_t cores_;
  sim_time cycle_start_;
  std::size_t next_ = 0;  ///< boundaries of this cycle passed; row next_-1 is active
  bool ended_ = false;
  std::uint64_t cycles_ = 0;
  std::array<sim_duration, MaxRows> times_{};
  std::array<double, MaxRows * MaxCores> values_{};
};

}  // namespace thermo::workload
