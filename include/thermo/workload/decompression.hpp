/// @file decompression.hpp
/// A kernel boot as a workload: load the image from storage, relocate, decompress (models.md §5).
///
/// The same stages as analysis/boot_cost.hpp, described by the same schema (schema/boot.hpp: the
/// kernel image, the decompressor, the board), run inside the simulation so that the boot sees
/// the real frequency (throttled or not) and heats the chip:
///
/// * **load** — `storage_setup + S / B` seconds whatever the CPU clock (storage-bound). The boot
///   CPU's demand is `load_utilization`: 1 while U-Boot polls the controller (the default), 0
///   for a DMA load with the CPU idle.
/// * **relocate** (compressed image, when asked) — S_c / r_copy CPU cycles, u = 1.
/// * **decompress** (compressed image) — S_u · c_dec · k_cache CPU cycles, u = 1.
/// * **done** — u = 0; the kernel proper starts (the workload ends).
///
/// CPU stages progress in remaining *cycles* at f · run_fraction, so they are exact through
/// frequency changes and idle injection; at constant frequency the stage times equal
/// `analysis::compressed_boot` / `uncompressed_boot` to the nanosecond. One core (the boot CPU).
/// No heap. See docs/explanation/boot-cost.md.
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
#include "thermo/schema/boot.hpp"
#include "thermo/workload/concepts.hpp"
#include "thermo/workload/detail/progress.hpp"

namespace thermo::workload {

/// Boot stages.
enum class boot_stage : std::uint8_t { waiting, load, relocate, decompress, done };

/// Configuration of a `decompression` workload.
struct decompression_config {
  std::size_t domain = 0;                 ///< perf domain of the boot CPU
  schema::kernel_image image{};         ///< sizes
  bool compressed = true;               ///< boot the zImage (true) or the uncompressed Image
  schema::decompressor decompressor{};  ///< used when compressed
  schema::boot_platform platform{};     ///< storage, setup, caches, relocation (its CPU frequency
                                        ///< and powers are not used: the simulation supplies them)
  double load_utilization = 1.0;  ///< boot CPU demand while loading, [0, 1]
  sim_time start{};              ///< when the boot loader starts reading, ≥ 0
};

/// A boot (satisfies `Workload`, one core).
class decompression {
 public:
  /// Validates and builds. Errors: those of `schema::validate` for the image, the platform
  /// (with its CPU frequency ignored) and, when compressed, the decompressor;
  /// `out_of_range` "load utilization"; `negative` "start". O(1).
  [[nodiscard]] static constexpr result<decompression, error> make(
      const decompression_config& c) noexcept {
    if (auto e = schema::validate(c.image); !e.ok()) {
      return e;
    }
    schema::boot_platform p = c.platform;
    p.cpu_frequency_hz = 1.0;  // supplied by the simulation at run time
    if (auto e = schema::validate(p); !e.ok()) {
      return e;
    }
    if (c.compressed) {
      if (auto e = schema::validate(c.decompressor, c.platform.caches_on); !e.ok()) {
        return e;
      }
    }
    if (!in_range(c.load_utilization, 0.0, 1.0)) {
      return error{errc::out_of_range, "load utilization"};
    }
    if (c.start < sim_time{}) {
      return error{errc::negative, "start"};
    }
    return decompression(c);
  }

  // -- Workload -------------------------------------------------------------------------------
  [[nodiscard]] constexpr std::size_t domain() const noexcept { return cfg_.domain; }
  [[nodiscard]] static constexpr std::size_t cores() noexcept { return 1; }

  /// The boot CPU's demand: `load_utilization` while loading, 1 while relocating or
  /// decompressing, else 0. Precondition: `out.size() ≥ 1`.
  constexpr void utilization(sim_time /*now*/, std::span<double> out) const noexcept {
    THERMO_ASSERT(!out.empty());
    switch (stage_) {
      case boot_stage::load:
        out[0] = cfg_.load_utilization;
        break;
      case boot_stage::relocate:
      case boot_stage::decompress:
        out[0] = 1.0;
        break;
      case boot_stage::waiting:
      case boot_stage::done:
        out[0] = 0.0;
        break;
    }
  }

  /// The end of the current stage (the start while waiting), `never` once done. A CPU stage at
  /// an unusable state (frequency or run fraction not > 0) does not end. O(1).
  [[nodiscard]] constexpr sim_time next_event(sim_time now, const domain_state& s) const noexcept {
    sim_time t = never;
    switch (stage_) {
      case boot_stage::waiting:
        t = cfg_.start;
        break;
      case boot_stage::load:
        t = detail::finish_time(now, remaining_, 1.0);  // seconds left, one per second
        break;
      case boot_stage::relocate:
      case boot_stage::decompress: {
        t = detail::finish_time(now, remaining_, cycle_rate(s));
        break;
      }
      case boot_stage::done:
        break;
    }
    return t < now ? now : t;
  }

  /// Progress over [now, now + dt]: seconds of loading, or CPU cycles. O(1).
  constexpr void advance(sim_time /*now*/, sim_duration dt, const domain_state& s) noexcept {
    if (dt <= sim_duration{0}) {
      return;
    }
    if (stage_ == boot_stage::load) {
      remaining_ -= to_seconds(dt);
    } else if (stage_ == boot_stage::relocate || stage_ == boot_stage::decompress) {
      remaining_ -= cycle_rate(s) * to_seconds(dt);
    } else {
      return;
    }
    if (!(remaining_ > 0.0)) {
      remaining_ = 0.0;
    }
  }

  /// Moves to the next stage when the current one is over (several when the next is empty). O(1).
  constexpr void on_event(sim_time now, const domain_state& s) noexcept {
    if (stage_ == boot_stage::waiting && now >= cfg_.start) {
      enter(boot_stage::load, now);
    }
    while (stage_ != boot_stage::waiting && stage_ != boot_stage::done && stage_over(s)) {
      enter(next_stage(stage_), now);
    }
  }

  // -- Results -------------------------------------------------------------------------------
  [[nodiscard]] constexpr boot_stage stage() const noexcept { return stage_; }
  [[nodiscard]] constexpr bool finished() const noexcept { return stage_ == boot_stage::done; }
  /// When `stage` began (`never` if it has not; relocate/decompress of the uncompressed image
  /// never begin).
  [[nodiscard]] constexpr sim_time stage_start(boot_stage st) const noexcept {
    return starts_[static_cast<std::size_t>(st)];
  }
  /// Duration of a finished stage (0 if it did not run or has not finished).
  [[nodiscard]] constexpr sim_duration stage_duration(boot_stage st) const noexcept {
    const auto i = static_cast<std::size_t>(st);
    if (st == boot_stage::waiting || st == boot_stage::done || starts_[i] == never) {
      return sim_duration{0};
    }
    // A stage ends where the next stage that ran begins.
    for (std::size_t j = i + 1U; j < starts_.size(); ++j) {
      if (starts_[j] != never) {
        return starts_[j] - starts_[i];
      }
    }
    return sim_duration{0};
  }
  /// Time from the start of the load to the kernel start (0 until done).
  [[nodiscard]] constexpr sim_duration boot_time() const noexcept {
    return finished() ? starts_[static_cast<std::size_t>(boot_stage::done)] - cfg_.start
                      : sim_duration{0};
  }
  [[nodiscard]] constexpr const decompression_config& config() const noexcept { return cfg_; }

 private:
  constexpr explicit decompression(const decompression_config& c) noexcept : cfg_(c) {
    for (auto& t : starts_) {
      t = never;
    }
  }

  [[nodiscard]] static constexpr double cycle_rate(const domain_state& s) noexcept {
    if (!detail::usable(s)) {
      return 0.0;
    }
    return s.frequency_hz * (s.run_fraction < 1.0 ? s.run_fraction : 1.0);
  }

  [[nodiscard]] constexpr bool cpu_stage_done(double rate) const noexcept {
    return detail::work_done(remaining_, rate);
  }

  [[nodiscard]] constexpr bool stage_over(const domain_state& s) const noexcept {
    if (stage_ == boot_stage::load) {
      return detail::work_done(remaining_, 1.0);  // seconds left, one per second
    }
    return cpu_stage_done(cycle_rate(s));
  }

  [[nodiscard]] constexpr boot_stage next_stage(boot_stage st) const noexcept {
    switch (st) {
      case boot_stage::waiting:
        return boot_stage::load;
      case boot_stage::load:
        if (!cfg_.compressed) {
          return boot_stage::done;
        }
        return cfg_.platform.relocate ? boot_stage::relocate : boot_stage::decompress;
      case boot_stage::relocate:
        return boot_stage::decompress;
      case boot_stage::decompress:
      case boot_stage::done:
        break;
    }
    return boot_stage::done;
  }

  constexpr void enter(boot_stage st, sim_time now) noexcept {
    stage_ = st;
    starts_[static_cast<std::size_t>(st)] = now;
    const schema::kernel_image& k = cfg_.image;
    switch (st) {
      case boot_stage::load:
        remaining_ = cfg_.platform.storage_setup_s +
                     (cfg_.compressed ? k.compressed_bytes : k.uncompressed_bytes) /
                         cfg_.platform.storage_bytes_per_s;
        break;
      case boot_stage::relocate:
        remaining_ = k.compressed_bytes / cfg_.platform.relocation_bytes_per_cycle;
        break;
      case boot_stage::decompress:
        remaining_ = k.uncompressed_bytes * cfg_.decompressor.cycles_per_output_byte *
                     (cfg_.platform.caches_on ? 1.0 : cfg_.decompressor.caches_off_slowdown);
        break;
      case boot_stage::waiting:
      case boot_stage::done:
        remaining_ = 0.0;
        break;
    }
  }

  decompression_config cfg_;
  boot_stage stage_ = boot_stage::waiting;
  double remaining_ = 0.0;  ///< seconds (load) or cycles (relocate, decompress)
  std::array<sim_time, 5> starts_{};
};

}  // namespace thermo::workload
