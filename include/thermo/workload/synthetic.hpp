/// @file synthetic.hpp
/// Simple workloads for tests, tutorials and benchmarks (all satisfy `Workload`,
/// workload/concepts.hpp):
///
/// * `constant_demand` — every core asks the same utilisation forever (no events);
///   `set_demand` changes it (from a scenario callback, say).
/// * `phased_demand` — a script of phases (duration, utilisation, active cores), optionally
///   repeated: the classic "idle, burst, idle" load. Events at phase boundaries.
/// * `cycle_jobs` — compute-bound jobs of a fixed number of CPU cycles per thread, run back to
///   back: a stand-in for an inference. Progress is kept as remaining cycles, so completion times
///   are exact through frequency changes and idle injection: at state (f, run_fraction) each
///   thread retires `run_fraction · f` cycles per second.
///
/// All of them count the cycles their cores actually executed (`executed_cycles`), the work
/// measure the simulation's metrics use too. Storage is in the object; no heap.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/finite.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/workload/concepts.hpp"
#include "thermo/workload/detail/progress.hpp"
#include "thermo/workload/fwd.hpp"

namespace thermo::workload {

namespace detail {

/// Cycles executed by `cores` cores of demand `u` each over `dt` at state `s`.
[[nodiscard]] constexpr double executed(double u, std::size_t cores, sim_duration dt,
                                        const domain_state& s) noexcept {
  const double secs = static_cast<double>(dt.count()) / 1e9;
  return busy_fraction(u, s) * s.frequency_hz * secs * static_cast<double>(cores);
}

[[nodiscard]] constexpr error check_demand(double u) noexcept {
  if (!(u >= 0.0 && u <= 1.0)) {
    return {errc::out_of_range, "utilisation"};
  }
  return {};
}

/// Where a demand workload runs: the first `cores()` cores (1 … MaxCores) of power domain
/// `domain()`. The base of `constant_demand` and `phased_demand`.
template <std::size_t MaxCores>
class core_placement {
 public:
  [[nodiscard]] std::size_t domain() const noexcept { return domain_; }
  [[nodiscard]] std::size_t cores() const noexcept { return cores_; }

 protected:
  /// `out_of_range` "cores" (index = cores) unless 1 ≤ cores ≤ MaxCores.
  [[nodiscard]] static error check_cores(std::size_t cores) noexcept {
    if (cores == 0 || cores > MaxCores) {
      return {errc::out_of_range, "cores", static_cast<std::int32_t>(cores)};
    }
    return {};
  }
  void place(std::size_t domain, std::size_t cores) noexcept {
    domain_ = domain;
    cores_ = cores;
  }
  /// `out[c] = demand(c)` for each of the cores (`out.size() >= cores()`).
  template <class Demand>
  void fill(std::span<double> out, Demand demand) const noexcept {
    THERMO_ASSERT(out.size() >= cores_);
    for (std::size_t c = 0; c < cores_; ++c) {
      out[c] = demand(c);
    }
  }

 private:
  std::size_t domain_{0};
  std::size_t cores_{1};
};

}  // namespace detail

/// Every one of `cores` cores asks utilisation `u` (frequency-invariant, [0, 1]) until changed.
template <std::size_t MaxCores /* = 8 */>
class constant_demand : public detail::core_placement<MaxCores> {
 public:
  /// Errors: `out_of_range` "cores" (0 or > MaxCores), "utilisation" (outside [0, 1] or NaN).
  [[nodiscard]] static result<constant_demand, error> make(std::size_t domain, std::size_t cores,
                                                           double u) noexcept {
    if (const error e = constant_demand::check_cores(cores); !e.ok()) {
      return e;
    }
    if (const error e = detail::check_demand(u); !e.ok()) {
      return e;
    }
    constant_demand w;
    w.place(domain, cores);
    w.u_ = u;
    return w;
  }

  void utilization(sim_time /*now*/, std::span<double> out) const noexcept {
    this->fill(out, [this](std::size_t /*core*/) { return u_; });
  }
  [[nodiscard]] sim_time next_event(sim_time /*now*/, const domain_state& /*s*/) const noexcept {
    return never;
  }
  void advance(sim_time /*now*/, sim_duration dt, const domain_state& s) noexcept {
    cycles_ += detail::executed(u_, this->cores(), dt, s);
  }
  void on_event(sim_time /*now*/, const domain_state& /*s*/) noexcept {}

  /// Changes the demand (takes effect when the simulation next asks for `utilization`, e.g.
  /// right after the scenario callback that calls this). `out_of_range` outside [0, 1].
  [[nodiscard]] error set_demand(double u) noexcept {
    if (const error e = detail::check_demand(u); !e.ok()) {
      return e;
    }
    u_ = u;
    return {};
  }
  [[nodiscard]] double demand() const noexcept { return u_; }
  /// Cycles executed so far (all cores).
  [[nodiscard]] double executed_cycles() const noexcept { return cycles_; }

 private:
  constant_demand() noexcept = default;
  double u_{0.0};
  double cycles_{0.0};
};

/// One phase of a `phased_demand`.
struct demand_phase {
  sim_duration duration{0};     ///< > 0
  double utilization{0.0};      ///< demand of each active core, [0, 1]
  std::size_t active_cores{1};  ///< the first `active_cores` cores ask `utilization`, the rest 0
};

/// A script of phases starting at `start`, repeated `repeat` times (0 = forever); after the
/// script every core asks 0. Events at each phase boundary.
template <std::size_t MaxPhases /* = 8 */, std::size_t MaxCores /* = 8 */>
class phased_demand : public detail::core_placement<MaxCores> {
 public:
  /// Errors: `out_of_range` "cores"; `empty` "phases"; `capacity_exceeded` "phases";
  /// `non_positive` "phase duration" (index = phase); `out_of_range` "utilisation" /
  /// "phase active cores" (index = phase); `negative` "start".
  [[nodiscard]] static result<phased_demand, error> make(std::size_t domain, std::size_t cores,
                                                         std::span<const demand_phase> phases,
                                                         sim_time start = sim_time{},
                                                         std::uint32_t repeat = 1) noexcept {
    if (const error e = phased_demand::check_cores(cores); !e.ok()) {
      return e;
    }
    if (phases.empty()) {
      return error{errc::empty, "phases"};
    }
    if (phases.size() > MaxPhases) {
      return error{errc::capacity_exceeded, "phases", static_cast<std::int32_t>(phases.size())};
    }
    if (start < sim_time{}) {
      return error{errc::negative, "start"};
    }
    phased_demand w;
    for (std::size_t i = 0; i < phases.size(); ++i) {
      const auto idx = static_cast<std::int32_t>(i);
      if (phases[i].duration.count() <= 0) {
        return error{errc::non_positive, "phase duration", idx};
      }
      if (const error e = detail::check_demand(phases[i].utilization); !e.ok()) {
        return error{e.code, e.what, idx};
      }
      if (phases[i].active_cores > cores) {
        return error{errc::out_of_range, "phase active cores", idx};
      }
      static_cast<void>(w.phases_.push_back(phases[i]));
    }
    w.place(domain, cores);
    w.start_ = start;
    w.repeat_ = repeat;
    w.phase_end_ = start;
    return w;
  }

  void utilization(sim_time /*now*/, std::span<double> out) const noexcept {
    const demand_phase* p = current();
    this->fill(out, [p](std::size_t c) {
      return (p != nullptr && c < p->active_cores) ? p->utilization : 0.0;
    });
  }
  [[nodiscard]] sim_time next_event(sim_time /*now*/, const domain_state& /*s*/) const noexcept {
    return finished_ ? never : phase_end_;
  }
  void advance(sim_time /*now*/, sim_duration dt, const domain_state& s) noexcept {
    const demand_phase* p = current();
    if (p != nullptr) {
      cycles_ += detail::executed(p->utilization, p->active_cores, dt, s);
    }
  }
  void on_event(sim_time now, const domain_state& /*s*/) noexcept {
    while (!finished_ && phase_end_ <= now) {
      if (started_) {
        if (++index_ == phases_.size()) {
          index_ = 0;
          ++round_;
          if (repeat_ != 0 && round_ >= repeat_) {
            finished_ = true;
            break;
          }
        }
      }
      started_ = true;
      phase_end_ += phases_[index_].duration;
    }
  }

  /// Index of the running phase, or `phases().size()` before the start and after the end.
  [[nodiscard]] std::size_t phase() const noexcept {
    return current() != nullptr ? index_ : phases_.size();
  }
  [[nodiscard]] std::span<const demand_phase> phases() const noexcept { return phases_.span(); }
  /// Cycles executed so far (all cores).
  [[nodiscard]] double executed_cycles() const noexcept { return cycles_; }

 private:
  phased_demand() noexcept = default;
  [[nodiscard]] const demand_phase* current() const noexcept {
    return (started_ && !finished_) ? &phases_[index_] : nullptr;
  }
  static_vector<demand_phase, MaxPhases> phases_{};
  sim_time start_{};
  sim_time phase_end_{};
  std::size_t index_{0};
  std::uint32_t repeat_{1};
  std::uint32_t round_{0};
  bool started_{false};
  bool finished_{false};
  double cycles_{0.0};
};

/// Configuration of `cycle_jobs`.
struct cycle_jobs_config {
  std::size_t domain{0};
  std::size_t threads{1};         ///< cores used, each runs its share of every job
  double cycles_per_thread{1e8};  ///< work of one job on each thread [cycles], > 0
  std::uint64_t count{0};         ///< jobs in total (0 = no limit)
  sim_time start{};              ///< first job starts here (≥ 0)
};

/// Compute-bound jobs run back to back (see the file comment). Each running thread asks u = 1.
template <std::size_t MaxCores /* = 8 */>
class cycle_jobs {
 public:
  /// Errors: `out_of_range` "threads"; `non_positive`/`not_finite` "cycles per thread";
  /// `negative` "start".
  [[nodiscard]] static result<cycle_jobs, error> make(const cycle_jobs_config& c) noexcept {
    if (c.threads == 0 || c.threads > MaxCores) {
      return error{errc::out_of_range, "threads", static_cast<std::int32_t>(c.threads)};
    }
    if (!is_finite(c.cycles_per_thread)) {
      return error{errc::not_finite, "cycles per thread"};
    }
    if (c.cycles_per_thread <= 0.0) {
      return error{errc::non_positive, "cycles per thread"};
    }
    if (c.start < sim_time{}) {
      return error{errc::negative, "start"};
    }
    cycle_jobs w;
    w.c_ = c;
    return w;
  }

  [[nodiscard]] std::size_t domain() const noexcept { return c_.domain; }
  [[nodiscard]] std::size_t cores() const noexcept { return c_.threads; }
  void utilization(sim_time /*now*/, std::span<double> out) const noexcept {
    THERMO_ASSERT(out.size() >= c_.threads);
    for (std::size_t k = 0; k < c_.threads; ++k) {
      out[k] = running_ ? 1.0 : 0.0;
    }
  }
  [[nodiscard]] sim_time next_event(sim_time now, const domain_state& s) const noexcept {
    if (!running_) {
      return (finished() || now > c_.start) ? never : c_.start;
    }
    const double rate = s.run_fraction * s.frequency_hz;  // cycles per second per thread
    if (!(rate > 0.0) || !is_finite(rate)) {
      return never;
    }
    return add_saturating(now, ceil_ns(remaining_ / rate, detail::completion_hair_ns));
  }
  void advance(sim_time /*now*/, sim_duration dt, const domain_state& s) noexcept {
    if (!running_) {
      return;
    }
    const double done = s.run_fraction * s.frequency_hz * static_cast<double>(dt.count()) / 1e9;
    remaining_ -= done;
    cycles_ += done * static_cast<double>(c_.threads);
  }
  void on_event(sim_time now, const domain_state& s) noexcept {
    const double rate = s.run_fraction * s.frequency_hz;
    if (running_ && remaining_ <= rate * detail::done_tolerance_ns / 1e9) {
      ++completed_;
      last_completion_ = now;
      job_time_sum_ += static_cast<double>((now - job_start_).count()) / 1e9;
      running_ = false;
    }
    if (!running_ && !finished() && now >= c_.start) {
      running_ = true;
      remaining_ = c_.cycles_per_thread;
      job_start_ = now;
    }
  }

  /// Jobs completed.
  [[nodiscard]] std::uint64_t completed() const noexcept { return completed_; }
  /// True when `count` jobs have completed.
  [[nodiscard]] bool finished() const noexcept { return c_.count != 0 && completed_ >= c_.count; }
  [[nodiscard]] bool running() const noexcept { return running_; }
  /// Cycles left per thread in the running job.
  [[nodiscard]] double remaining_cycles() const noexcept { return running_ ? remaining_ : 0.0; }
  /// When the last job completed (0 if none).
  [[nodiscard]] sim_time last_completion() const noexcept { return last_completion_; }
  /// Mean job duration [s] (0 if none completed).
  [[nodiscard]] double mean_job_time() const noexcept {
    return completed_ == 0 ? 0.0 : job_time_sum_ / static_cast<double>(completed_);
  }
  /// Cycles executed so far (all threads).
  [[nodiscard]] double executed_cycles() const noexcept { return cycles_; }

 private:
  cycle_jobs() noexcept = default;
  cycle_jobs_config c_{};
  double remaining_{0.0};
  double cycles_{0.0};
  double job_time_sum_{0.0};
  std::uint64_t completed_{0};
  sim_time job_start_{};
  sim_time last_completion_{};
  bool running_{false};
};

}  // namespace thermo::workload
