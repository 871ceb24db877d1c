/// @file inference.hpp
/// ML inference as a workload: work in multiply-accumulates (models.md §4).
///
/// One inference needs W MACs. On a core of type k (int8 peak m_k MACs per cycle) at frequency f
/// a framework sustains m_k · e MACs per cycle (e: efficiency of that framework on that model);
/// n threads give Amdahl's speed-up S(n) = 1 / (s + (1 − s)/n). At constant f:
///
///     t = W / (m_k · e · f · S(n))
///
/// The workload runs each inference as two phases, which is exactly Amdahl's model: a serial
/// phase (s·W MACs on thread 0, the other threads idle) and a parallel phase ((1 − s)·W MACs
/// spread over n threads). Each running thread is compute-bound, so it asks a
/// frequency-invariant utilisation of 1 (workload/concepts.hpp); an idle thread asks 0. Progress
/// is tracked as *remaining MACs*, so it is exact through any frequency change or idle
/// injection: at state (f, run_fraction) a phase with k threads runs
/// m_k · e · f · run_fraction · k MACs per second.
///
/// Arrivals are back-to-back (the next inference starts when the previous one completes) or
/// periodic (a frame every `period`; a frame that arrives while one is running waits in a
/// queue, or is dropped, by `overload_policy`). Latency is completion − arrival. The workload
/// records, without heap use during the run:
///
/// * exact count, mean, min and max latency;
/// * a fixed-capacity sample of latencies (`MaxSamples`, kept sorted) for p50/p99: while fewer
///   than `MaxSamples` inferences completed the percentiles are exact; after that the store is a
///   uniform random sample of *all* latencies so far (reservoir sampling, Vitter's algorithm R,
///   with the seeded `prng`, so runs stay bit-identical), and the percentiles are estimates;
/// * throughput over time: completions and latency per window of `window` simulated time from
///   t = 0, in `MaxWindows` windows; when the run outlasts them, neighbouring windows merge
///   pairwise and the window width doubles (every window always covers the same width).
///
/// Models, frameworks and core types are described by schema/inference.hpp
/// (`make_inference_work` builds the work of one inference from them); the calibrated ones are
/// presets/inference_models.hpp, looked up by name with `presets::preset_work`
/// (presets/inference.hpp). See docs/explanation/inference-workloads.md.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/finite.hpp"
#include "thermo/core/prng.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/schema/inference.hpp"
#include "thermo/workload/concepts.hpp"
#include "thermo/workload/detail/progress.hpp"
#include "thermo/workload/fwd.hpp"

namespace thermo::workload {

/// Amdahl's speed-up `S(n) = 1 / (s + (1 − s)/n)`. Preconditions: s ∈ [0, 1], n ≥ 1.
[[nodiscard]] constexpr double amdahl_speedup(double serial_fraction,
                                              std::size_t threads) noexcept {
  THERMO_ASSERT(threads >= 1U);
  const auto n = static_cast<double>(threads);
  return 1.0 / (serial_fraction + (1.0 - serial_fraction) / n);
}

/// The work of one inference and how fast a framework does it on one core type.
struct inference_work {
  double macs = 0.0;             ///< W, multiply-accumulates per inference, > 0
  double macs_per_cycle = 0.0;   ///< m_k, the core's int8 MACs per cycle, > 0
  double efficiency = 0.0;       ///< e ∈ (0, 1], sustained / peak
  double serial_fraction = 0.0;  ///< s ∈ [0, 1]
  std::size_t threads = 1;       ///< n ≥ 1 (one per core used)
};

/// `errc::ok`, or what is wrong with `w`: `not_finite` / `non_positive` "macs",
/// "macs per cycle", "efficiency"; `out_of_range` "efficiency" (> 1) and "serial fraction"
/// (outside [0, 1], NaN included); `non_positive` "threads".
[[nodiscard]] constexpr error validate(const inference_work& w) noexcept {
  if (const error e = first_error({check_positive(w.macs, "macs"),
                                   check_positive(w.macs_per_cycle, "macs per cycle"),
                                   check_positive(w.efficiency, "efficiency")});
      !e.ok()) {
    return e;
  }
  if (w.efficiency > 1.0) {
    return {errc::out_of_range, "efficiency"};
  }
  if (!in_range(w.serial_fraction, 0.0, 1.0)) {
    return {errc::out_of_range, "serial fraction"};
  }
  if (w.threads == 0U) {
    return {errc::non_positive, "threads"};
  }
  return {};
}

/// Seconds for one inference at constant `frequency_hz` with no idle injection:
/// W / (m·e·f·S(n)). Errors: those of `validate`, `not_finite` / `non_positive` "frequency". O(1).
[[nodiscard]] constexpr result<double, error> inference_seconds(const inference_work& w,
                                                                double frequency_hz) noexcept {
  if (auto e = validate(w); !e.ok()) {
    return e;
  }
  if (!is_finite(frequency_hz)) {
    return error{errc::not_finite, "frequency"};
  }
  if (frequency_hz <= 0.0) {
    return error{errc::non_positive, "frequency"};
  }
  return w.macs / (w.macs_per_cycle * w.efficiency * frequency_hz *
                   amdahl_speedup(w.serial_fraction, w.threads));
}

/// Threads a framework uses on a cluster by default: TFLite one (benchmark_model's
/// `--num_threads` default), TVM one per core.
[[nodiscard]] constexpr std::size_t default_threads(schema::framework fw,
                                                    std::size_t cluster_cores) noexcept {
  return fw == schema::framework::tvm ? cluster_cores : std::size_t{1};
}

/// The work of model `m` under framework `fw` on a cluster of `cluster_cores` cores of type
/// `core`, with `threads` threads (0 = the framework's default): W from the model, m_k from the
/// core, e and s from the model's fit for `fw`. The result is not validated (`validate` does
/// that, as `inference::make` does). Errors: `non_positive` "cluster cores"; `out_of_range`
/// "threads" (more than the cluster has). O(1).
[[nodiscard]] constexpr result<inference_work, error> make_inference_work(
    const schema::inference_model_desc& m, schema::framework fw,
    const schema::core_type_desc& core, std::size_t cluster_cores,
    std::size_t threads = 0) noexcept {
  if (cluster_cores == 0U) {
    return error{errc::non_positive, "cluster cores"};
  }
  const std::size_t n = threads == 0U ? default_threads(fw, cluster_cores) : threads;
  if (n > cluster_cores) {
    return error{errc::out_of_range, "threads", static_cast<std::int32_t>(n)};
  }
  const schema::framework_fit& fit = m.fit(fw);
  return inference_work{.macs = m.macs_millions * 1e6,
                        .macs_per_cycle = core.int8_macs_per_cycle,
                        .efficiency = fit.efficiency,
                        .serial_fraction = fit.serial_fraction,
                        .threads = n};
}

/// How requests arrive.
enum class arrival_mode : std::uint8_t {
  back_to_back,  ///< the next inference starts the instant the previous one completes
  periodic,      ///< one request every `period` from `start` (a camera's frames)
};

/// What a periodic request that arrives while an inference runs does.
enum class overload_policy : std::uint8_t {
  queue,  ///< waits (FIFO, unbounded: arrival times are computed, not stored); latency grows
  drop,   ///< is dropped and counted (a camera pipeline skipping frames)
};

/// Configuration of an `inference` workload.
struct inference_config {
  std::size_t domain = 0;  ///< perf domain index (the simulation's numbering)
  inference_work work{};   ///< what one inference costs
  arrival_mode arrivals = arrival_mode::back_to_back;
  sim_duration period{0};  ///< periodic: time between requests, > 0
  sim_time start{};       ///< first request, ≥ 0
  overload_policy overload = overload_policy::queue;
  std::uint64_t count = 0;                        ///< requests in total (0 = no limit)
  sim_duration window = std::chrono::seconds(1);  ///< initial throughput window, > 0
  std::uint64_t seed = 0x1e7e'c0de;               ///< reservoir sampling seed
};

/// What the workload is doing.
enum class inference_phase : std::uint8_t {
  idle,      ///< no inference running
  serial,    ///< thread 0 runs the serial part
  parallel,  ///< all threads run the parallel part
};

/// Completions in one throughput window.
struct inference_window {
  std::uint64_t completed = 0;  ///< inferences completed in the window
  double latency_sum_s = 0.0;   ///< sum of their latencies [s]
  double latency_max_s = 0.0;   ///< largest of their latencies [s] (0 if none)
};

/// An inference workload (satisfies `Workload`).
/// @tparam MaxThreads  most threads (cores) one instance may use
/// @tparam MaxSamples  latency samples kept for percentiles (see the file comment)
/// @tparam MaxWindows  throughput windows kept (see the file comment)
/// Storage is all in the object (≈ 8·MaxSamples + 24·MaxWindows bytes): create it once at
/// set-up (it may be large for the stack; a static or a heap allocation before the run is fine).
template <std::size_t MaxThreads /* = 8 */, std::size_t MaxSamples /* = 4096 */,
          std::size_t MaxWindows /* = 512 */>
class inference {
  static_assert(MaxThreads >= 1U && MaxSamples >= 1U, "capacities must be positive");
  static_assert(MaxWindows >= 2U && MaxWindows % 2U == 0U,
                "windows merge pairwise: MaxWindows must be even");

 public:
  /// Validates `c` and builds the workload. Errors: those of `validate(c.work)`;
  /// `capacity_exceeded` "threads" (> MaxThreads); `non_positive` "period" (periodic),
  /// "window"; `negative` "start". O(1).
  [[nodiscard]] static constexpr result<inference, error> make(const inference_config& c) noexcept {
    if (auto e = validate(c.work); !e.ok()) {
      return e;
    }
    if (c.work.threads > MaxThreads) {
      return error{errc::capacity_exceeded, "threads", static_cast<std::int32_t>(c.work.threads)};
    }
    if (c.arrivals == arrival_mode::periodic && c.period <= sim_duration{0}) {
      return error{errc::non_positive, "period"};
    }
    if (c.window <= sim_duration{0}) {
      return error{errc::non_positive, "window"};
    }
    if (c.start < sim_time{}) {
      return error{errc::negative, "start"};
    }
    return inference(c);
  }

  // -- Workload -------------------------------------------------------------------------------

  /// Perf domain it runs on.
  [[nodiscard]] constexpr std::size_t domain() const noexcept { return cfg_.domain; }
  /// Threads (cores of the domain) it uses.
  [[nodiscard]] constexpr std::size_t cores() const noexcept { return cfg_.work.threads; }

  /// Per-thread demand: thread 0 is 1 while an inference runs; the others are 1 in the parallel
  /// phase. Precondition: `out.size() ≥ cores()`. O(threads).
  constexpr void utilization(sim_time /*now*/, std::span<double> out) const noexcept {
    THERMO_ASSERT(out.size() >= cores());
    for (std::size_t i = 0; i < cores(); ++i) {
      const bool busy =
          i == 0 ? phase_ != inference_phase::idle : phase_ == inference_phase::parallel;
      out[i] = busy ? 1.0 : 0.0;
    }
  }

  /// The next phase end or request arrival, `never` if none. A state with a non-positive or
  /// non-finite frequency or run fraction makes no progress (the phase end is `never`). O(1).
  [[nodiscard]] constexpr sim_time next_event(sim_time now, const domain_state& s) const noexcept {
    sim_time t = next_arrival_;
    if (phase_ != inference_phase::idle) {
      const sim_time end = detail::finish_time(now, remaining_, rate_of(s));
      t = end < t ? end : t;
    }
    return t < now ? now : t;
  }

  /// Runs the current phase for `dt`. O(1).
  constexpr void advance(sim_time /*now*/, sim_duration dt, const domain_state& s) noexcept {
    if (phase_ == inference_phase::idle || dt <= sim_duration{0}) {
      return;
    }
    remaining_ -= rate_of(s) * to_seconds(dt);
    if (!(remaining_ > 0.0)) {
      remaining_ = 0.0;
    }
  }

  /// Handles what is due at `now`, in this order: the current phase ends (serial → parallel, or
  /// the inference completes and its latency is recorded); requests due arrive (queued or
  /// dropped); an idle worker starts the next request. O(MaxSamples) when a latency is recorded
  /// into a full sample store, O(MaxWindows) when windows merge, else O(1).
  constexpr void on_event(sim_time now, const domain_state& s) noexcept {
    if (phase_ != inference_phase::idle && phase_done(rate_of(s))) {
      const double parallel = (1.0 - cfg_.work.serial_fraction) * cfg_.work.macs;
      if (phase_ == inference_phase::serial && parallel > 0.0) {
        phase_ = inference_phase::parallel;
        remaining_ = parallel;
      } else {
        complete(now);
      }
    }
    while (next_arrival_ <= now) {
      ++arrivals_;
      if (cfg_.overload == overload_policy::drop &&
          (phase_ != inference_phase::idle || pending_ > 0U)) {
        ++dropped_;
      } else {
        ++pending_;
      }
      next_arrival_ = arrival_time(arrivals_);
    }
    if (phase_ == inference_phase::idle && pending_ > 0U) {
      begin(now);
    }
  }

  // -- State and statistics -------------------------------------------------------------------

  [[nodiscard]] constexpr const inference_config& config() const noexcept { return cfg_; }
  [[nodiscard]] constexpr inference_phase phase() const noexcept { return phase_; }
  /// MACs left in the current phase.
  [[nodiscard]] constexpr double remaining_macs() const noexcept { return remaining_; }
  /// Requests that arrived so far (periodic), or inferences begun (back-to-back).
  [[nodiscard]] constexpr std::uint64_t arrivals() const noexcept { return arrivals_; }
  [[nodiscard]] constexpr std::uint64_t started() const noexcept { return started_; }
  [[nodiscard]] constexpr std::uint64_t completed() const noexcept { return completed_; }
  /// Periodic requests dropped (`overload_policy::drop`).
  [[nodiscard]] constexpr std::uint64_t dropped() const noexcept { return dropped_; }
  /// Requests waiting (not yet started).
  [[nodiscard]] constexpr std::uint64_t backlog() const noexcept { return pending_; }

  /// Exact latency statistics over every completed inference [s] (0 when none completed).
  [[nodiscard]] constexpr double latency_mean_s() const noexcept {
    return completed_ == 0U ? 0.0 : latency_sum_ / static_cast<double>(completed_);
  }
  [[nodiscard]] constexpr double latency_min_s() const noexcept {
    return completed_ == 0U ? 0.0 : latency_min_;
  }
  [[nodiscard]] constexpr double latency_max_s() const noexcept {
    return completed_ == 0U ? 0.0 : latency_max_;
  }

  /// Latency percentile `q` ∈ [0, 1] (nearest rank: the ⌈q·k⌉-th smallest of the k stored
  /// samples; q = 0 gives the smallest). Exact while `completed() ≤ MaxSamples`, a reservoir
  /// estimate after. Errors: `empty` "latency samples"; `out_of_range` "percentile". O(1).
  [[nodiscard]] constexpr result<double, error> latency_percentile(double q) const noexcept {
    if (!in_range(q, 0.0, 1.0)) {
      return error{errc::out_of_range, "percentile"};
    }
    if (samples_used_ == 0U) {
      return error{errc::empty, "latency samples"};
    }
    const double x = q * static_cast<double>(samples_used_);
    auto rank = static_cast<std::size_t>(x);
    if (static_cast<double>(rank) < x) {
      ++rank;
    }
    if (rank == 0U) {
      rank = 1U;
    } else if (rank > samples_used_) {
      rank = samples_used_;
    }
    return samples_[rank - 1U];
  }
  /// True once more inferences completed than samples fit (percentiles are then estimates).
  [[nodiscard]] constexpr bool samples_saturated() const noexcept {
    return completed_ > MaxSamples;
  }
  /// The stored latency samples, ascending [s].
  [[nodiscard]] constexpr std::span<const double> latency_samples() const noexcept {
    return {samples_.data(), samples_used_};
  }

  /// Throughput windows from t = 0 up to the last completion; window i covers
  /// [i·w, (i+1)·w) with w = `window_width()`.
  [[nodiscard]] constexpr std::span<const inference_window> windows() const noexcept {
    return {windows_.data(), windows_used_};
  }
  [[nodiscard]] constexpr sim_duration window_width() const noexcept { return window_; }
  /// Inferences per second in window `i` (0 past the last used window).
  [[nodiscard]] constexpr double throughput(std::size_t i) const noexcept {
    return i < windows_used_ ? static_cast<double>(windows_[i].completed) / to_seconds(window_)
                             : 0.0;
  }

 private:
  constexpr explicit inference(const inference_config& c) noexcept
      : cfg_(c), window_(c.window), rng_(c.seed), next_arrival_(c.start) {}

  /// MACs per second of the current phase at state `s` (0 for an unusable state).
  [[nodiscard]] constexpr double rate_of(const domain_state& s) const noexcept {
    if (!detail::usable(s)) {
      return 0.0;
    }
    const double k =
        phase_ == inference_phase::parallel ? static_cast<double>(cfg_.work.threads) : 1.0;
    const double run = s.run_fraction < 1.0 ? s.run_fraction : 1.0;
    return cfg_.work.macs_per_cycle * cfg_.work.efficiency * s.frequency_hz * run * k;
  }

  [[nodiscard]] constexpr bool phase_done(double rate) const noexcept {
    return detail::work_done(remaining_, rate);
  }

  /// Arrival time of request `k` (0-based) — `never` past `count`. Back-to-back: only request 0
  /// arrives by itself; the others are chained at completions.
  [[nodiscard]] constexpr sim_time arrival_time(std::uint64_t k) const noexcept {
    if (cfg_.count != 0U && k >= cfg_.count) {
      return never;
    }
    if (cfg_.arrivals == arrival_mode::back_to_back) {
      return k == 0U ? cfg_.start : never;
    }
    const auto per = cfg_.period.count();
    const auto span = static_cast<std::int64_t>(k);
    if (span != 0 && per > (never - cfg_.start).count() / span) {
      return never;
    }
    return cfg_.start + sim_duration{per * span};
  }

  constexpr void begin(sim_time now) noexcept {
    --pending_;
    // Queued periodic requests start in arrival order; the j-th accepted one arrived at
    // start + j·period. Dropping keeps at most one request, which arrived just now.
    current_arrival_ =
        cfg_.arrivals == arrival_mode::periodic && cfg_.overload == overload_policy::queue
            ? arrival_time(started_)
            : now;
    ++started_;
    const double serial = cfg_.work.serial_fraction * cfg_.work.macs;
    if (serial > 0.0) {
      phase_ = inference_phase::serial;
      remaining_ = serial;
    } else {
      phase_ = inference_phase::parallel;
      remaining_ = cfg_.work.macs;
    }
  }

  constexpr void complete(sim_time now) noexcept {
    phase_ = inference_phase::idle;
    remaining_ = 0.0;
    ++completed_;
    const double latency = to_seconds(now - current_arrival_);
    latency_sum_ += latency;
    latency_min_ = completed_ == 1U || latency < latency_min_ ? latency : latency_min_;
    latency_max_ = completed_ == 1U || latency > latency_max_ ? latency : latency_max_;
    record_sample(latency);
    record_window(now, latency);
    if (cfg_.arrivals == arrival_mode::back_to_back &&
        (cfg_.count == 0U || started_ < cfg_.count)) {
      ++arrivals_;
      ++pending_;
    }
  }

  constexpr void record_sample(double latency) noexcept {
    if (samples_used_ < MaxSamples) {
      insert_sorted(latency);
      return;
    }
    // Algorithm R: the i-th latency (i = completed_) replaces a uniformly chosen stored one with
    // probability MaxSamples / i.
    const std::uint64_t j = uniform_below(rng_, completed_);
    if (j < MaxSamples) {
      // Remove sorted entry j and insert the latency in order: a binary search for its place
      // (after any equal entries), then one move of the entries between the two positions
      // (the same array as removing, then `insert_sorted`).
      const auto k = static_cast<std::size_t>(j);
      double* const first = samples_.data();
      double* const used = first + samples_used_;
      if (k + 1U < samples_used_ && samples_[k + 1U] <= latency) {
        double* const to = std::upper_bound(first + k + 1U, used, latency) - 1;  // its new place
        std::copy(first + k + 1U, to + 1, first + k);
        *to = latency;
      } else {
        double* const to = std::upper_bound(first, first + k, latency);
        std::copy_backward(to, first + k, first + k + 1U);
        *to = latency;
      }
    }
  }

  constexpr void insert_sorted(double v) noexcept {
    std::size_t k = samples_used_;
    while (k > 0U && samples_[k - 1U] > v) {
      samples_[k] = samples_[k - 1U];
      --k;
    }
    samples_[k] = v;
    ++samples_used_;
  }

  constexpr void record_window(sim_time now, double latency) noexcept {
    auto index = static_cast<std::size_t>(now.time_since_epoch() / window_);
    while (index >= MaxWindows) {
      for (std::size_t i = 0; i < MaxWindows / 2U; ++i) {
        const inference_window& a = windows_[2U * i];
        const inference_window& b = windows_[(2U * i) + 1U];
        windows_[i] = {a.completed + b.completed, a.latency_sum_s + b.latency_sum_s,
                       a.latency_max_s > b.latency_max_s ? a.latency_max_s : b.latency_max_s};
      }
      for (std::size_t i = MaxWindows / 2U; i < MaxWindows; ++i) {
        windows_[i] = {};
      }
      windows_used_ = (windows_used_ + 1U) / 2U;
      window_ = window_ * 2;
      index = static_cast<std::size_t>(now.time_since_epoch() / window_);
    }
    inference_window& w = windows_[index];
    ++w.completed;
    w.latency_sum_s += latency;
    w.latency_max_s = latency > w.latency_max_s ? latency : w.latency_max_s;
    windows_used_ = index + 1U > windows_used_ ? index + 1U : windows_used_;
  }

  inference_config cfg_;
  sim_duration window_;
  prng rng_;
  inference_phase phase_ = inference_phase::idle;
  double remaining_ = 0.0;
  sim_time next_arrival_;
  sim_time current_arrival_{};
  std::uint64_t arrivals_ = 0;
  std::uint64_t pending_ = 0;
  std::uint64_t started_ = 0;
  std::uint64_t completed_ = 0;
  std::uint64_t dropped_ = 0;
  double latency_sum_ = 0.0;
  double latency_min_ = 0.0;
  double latency_max_ = 0.0;
  std::array<double, MaxSamples> samples_{};
  std::size_t samples_used_ = 0;
  std::array<inference_window, MaxWindows> windows_{};
  std::size_t windows_used_ = 0;
};

}  // namespace thermo::workload
