/// @file boot_cost.hpp
/// Boot time and energy of a compressed ARM32 kernel (zImage) against the uncompressed one
/// (models.md §5).
///
/// The stages: the boot loader reads the image from storage; the decompressor may relocate itself
/// when its destination overlaps; it turns the caches on; it decompresses the kernel to its final
/// address; the kernel starts.
///
///     t_compressed   = t_setup + S_c / B + t_reloc + S_u · c_dec · k_cache / f
///     t_uncompressed = t_setup + S_u / B
///     t_reloc        = S_c / (r_copy · f)                (only when the decompressor relocates)
///     B*             = (S_u − S_c) / (t_reloc + t_dec)   (compressing pays when B < B*)
///
/// with S_u, S_c the uncompressed and compressed sizes, B the storage read bandwidth, t_setup a
/// fixed cost of starting a load (the same for both images), c_dec the decompressor's CPU cycles
/// per output byte with caches on (presets/compressors.hpp derives it from measured boots), f the
/// CPU clock (decompression speed scales with frequency), k_cache the slow-down with caches off
/// (1 with caches on — the decompressor turns them on; no number for it is in the data, so a
/// caches-off estimate needs the caller's factor), r_copy the relocation copy rate in bytes per
/// cycle (the caller's, when relocating).
///
/// Boot energy is ∫ P dt over the stages: one CPU busy at `cpu_power_w` while it decompresses or
/// relocates, and for `load_cpu_busy` of the load time (U-Boot polls the storage controller: 1;
/// a DMA load with the CPU in WFI: 0, then `cpu_idle_power_w`), plus `storage_power_w` while
/// reading. `boot_cpu_power_w` takes the CPU power from a preset's Energy Model at the boot
/// frequency.
///
/// Sizes in bytes, bandwidths in bytes per second (10⁶ B/s = 1 MB/s), times in seconds, powers
/// in watts, energies in joules. Host-side analysis: no heap, O(1) per call.
/// See docs/explanation/boot-cost.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>

#include "thermo/core/errc.hpp"
#include "thermo/core/finite.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/presets/compressors.hpp"

namespace thermo::analysis {

/// The kernel: its size after decompression and the size of the compressed image.
struct kernel_image {
  double uncompressed_bytes = 0.0;  ///< S_u (vmlinux / Image), > 0
  double compressed_bytes = 0.0;    ///< S_c (zImage payload), > 0
};

/// A decompressor on the boot CPU.
struct decompressor {
  double cycles_per_output_byte = 0.0;  ///< c_dec with caches on, > 0
  double caches_off_slowdown =
      0.0;  ///< k_cache with caches off (> 1; only read when caches are off)
};

/// The board at boot.
struct boot_platform {
  double cpu_frequency_hz = 0.0;            ///< f, > 0
  double storage_bytes_per_s = 0.0;         ///< B, > 0
  double storage_setup_s = 0.0;             ///< t_setup ≥ 0, paid by both images
  bool caches_on = true;                    ///< the decompressor's normal path
  bool relocate = false;                    ///< the decompressor must move itself first
  double relocation_bytes_per_cycle = 0.0;  ///< r_copy (> 0 when relocating)
  double cpu_power_w = 0.0;                 ///< one busy CPU at f (≥ 0; 0 = no energy figures)
  double cpu_idle_power_w = 0.0;            ///< the CPU while not busy during the load (≥ 0)
  double load_cpu_busy = 1.0;               ///< share of the load the CPU is busy, [0, 1]
  double storage_power_w = 0.0;             ///< the medium while it is read (≥ 0)
};

/// Time and energy of one boot, per stage.
struct boot_breakdown {
  double load_s = 0.0;        ///< t_setup + S / B
  double relocate_s = 0.0;    ///< 0 without relocation
  double decompress_s = 0.0;  ///< 0 for the uncompressed image
  double total_s = 0.0;       ///< sum of the above
  double energy_j = 0.0;      ///< ∫ P dt
};

/// Both boots side by side.
struct boot_verdict {
  boot_breakdown compressed;
  boot_breakdown uncompressed;
  double break_even_bytes_per_s = 0.0;  ///< B*; 0 when the image does not shrink
  bool compression_pays = false;        ///< compressed.total_s < uncompressed.total_s
  double time_saved_s = 0.0;            ///< uncompressed.total_s − compressed.total_s (may be < 0)
  double energy_saved_j = 0.0;  ///< uncompressed.energy_j − compressed.energy_j (may be < 0)
};

namespace detail {

[[nodiscard]] constexpr error check_positive(double x, const char* what) noexcept {
  if (!is_finite(x)) {
    return {errc::not_finite, what};
  }
  if (x <= 0.0) {
    return {errc::non_positive, what};
  }
  return {};
}

[[nodiscard]] constexpr error check_non_negative(double x, const char* what) noexcept {
  if (!is_finite(x)) {
    return {errc::not_finite, what};
  }
  if (x < 0.0) {
    return {errc::negative, what};
  }
  return {};
}

}  // namespace detail

/// `errc::ok` or what is wrong: `not_finite` / `non_positive` "uncompressed size",
/// "compressed size".
[[nodiscard]] constexpr error validate(const kernel_image& k) noexcept {
  if (auto e = detail::check_positive(k.uncompressed_bytes, "uncompressed size"); !e.ok()) {
    return e;
  }
  return detail::check_positive(k.compressed_bytes, "compressed size");
}

/// `errc::ok` or what is wrong: `not_finite` / `non_positive` "cpu frequency", "storage bandwidth";
/// `not_finite` / `negative` "storage setup", "cpu power", "cpu idle power", "storage power";
/// `out_of_range` "load cpu busy"; `non_positive` "relocation rate" (relocating without one).
[[nodiscard]] constexpr error validate(const boot_platform& p) noexcept {
  if (auto e = detail::check_positive(p.cpu_frequency_hz, "cpu frequency"); !e.ok()) {
    return e;
  }
  if (auto e = detail::check_positive(p.storage_bytes_per_s, "storage bandwidth"); !e.ok()) {
    return e;
  }
  if (auto e = detail::check_non_negative(p.storage_setup_s, "storage setup"); !e.ok()) {
    return e;
  }
  if (auto e = detail::check_non_negative(p.cpu_power_w, "cpu power"); !e.ok()) {
    return e;
  }
  if (auto e = detail::check_non_negative(p.cpu_idle_power_w, "cpu idle power"); !e.ok()) {
    return e;
  }
  if (auto e = detail::check_non_negative(p.storage_power_w, "storage power"); !e.ok()) {
    return e;
  }
  if (!in_range(p.load_cpu_busy, 0.0, 1.0)) {
    return {errc::out_of_range, "load cpu busy"};
  }
  if (p.relocate) {
    return detail::check_positive(p.relocation_bytes_per_cycle, "relocation rate");
  }
  return {};
}

/// `errc::ok` or what is wrong: `not_finite` / `non_positive` "decompressor cycles per byte";
/// with `caches_on == false`: `invalid_argument` "caches-off slowdown" unless it is finite and > 1.
[[nodiscard]] constexpr error validate(const decompressor& d, bool caches_on) noexcept {
  if (auto e = detail::check_positive(d.cycles_per_output_byte, "decompressor cycles per byte");
      !e.ok()) {
    return e;
  }
  const bool slowdown_given =
      is_finite(d.caches_off_slowdown) && d.caches_off_slowdown > 1.0;
  if (!caches_on && !slowdown_given) {
    return {errc::invalid_argument, "caches-off slowdown"};
  }
  return {};
}

namespace detail {

[[nodiscard]] constexpr double load_energy(const boot_platform& p, double load_s) noexcept {
  return load_s * (p.load_cpu_busy * p.cpu_power_w + (1.0 - p.load_cpu_busy) * p.cpu_idle_power_w +
                   p.storage_power_w);
}

}  // namespace detail

/// The boot of the uncompressed image. Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<boot_breakdown, error> uncompressed_boot(
    const kernel_image& k, const boot_platform& p) noexcept {
  if (auto e = validate(k); !e.ok()) {
    return e;
  }
  if (auto e = validate(p); !e.ok()) {
    return e;
  }
  boot_breakdown b;
  b.load_s = p.storage_setup_s + k.uncompressed_bytes / p.storage_bytes_per_s;
  b.total_s = b.load_s;
  b.energy_j = detail::load_energy(p, b.load_s);
  return b;
}

/// Seconds the decompressor needs on platform `p` (relocation excluded); no validation.
[[nodiscard]] constexpr double decompress_seconds(const kernel_image& k, const decompressor& d,
                                                  const boot_platform& p) noexcept {
  const double slowdown = p.caches_on ? 1.0 : d.caches_off_slowdown;
  return k.uncompressed_bytes * d.cycles_per_output_byte * slowdown / p.cpu_frequency_hz;
}

/// The boot of the compressed image. Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<boot_breakdown, error> compressed_boot(
    const kernel_image& k, const decompressor& d, const boot_platform& p) noexcept {
  if (auto e = validate(k); !e.ok()) {
    return e;
  }
  if (auto e = validate(p); !e.ok()) {
    return e;
  }
  if (auto e = validate(d, p.caches_on); !e.ok()) {
    return e;
  }
  boot_breakdown b;
  b.load_s = p.storage_setup_s + k.compressed_bytes / p.storage_bytes_per_s;
  b.relocate_s =
      p.relocate ? k.compressed_bytes / (p.relocation_bytes_per_cycle * p.cpu_frequency_hz) : 0.0;
  b.decompress_s = decompress_seconds(k, d, p);
  b.total_s = b.load_s + b.relocate_s + b.decompress_s;
  b.energy_j = detail::load_energy(p, b.load_s) + (b.relocate_s + b.decompress_s) * p.cpu_power_w;
  return b;
}

/// The storage bandwidth below which the compressed image boots faster:
/// B* = (S_u − S_c) / (t_reloc + t_dec). 0 when the image does not shrink (S_c ≥ S_u: never
/// pays). Independent of `storage_bytes_per_s` and `storage_setup_s` (any valid value will do).
/// Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<double, error> break_even_bandwidth(
    const kernel_image& k, const decompressor& d, const boot_platform& p) noexcept {
  const auto c = compressed_boot(k, d, p);
  if (!c) {
    return c.error();
  }
  const double saved = k.uncompressed_bytes - k.compressed_bytes;
  if (saved <= 0.0) {
    return 0.0;
  }
  return saved / (c->relocate_s + c->decompress_s);
}

/// Both boots and the verdict. Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<boot_verdict, error> compare_boot(const kernel_image& k,
                                                                 const decompressor& d,
                                                                 const boot_platform& p) noexcept {
  const auto c = compressed_boot(k, d, p);
  if (!c) {
    return c.error();
  }
  const auto u = uncompressed_boot(k, p);
  if (!u) {
    return u.error();
  }
  boot_verdict v;
  v.compressed = *c;
  v.uncompressed = *u;
  v.break_even_bytes_per_s = *break_even_bandwidth(k, d, p);
  v.compression_pays = c->total_s < u->total_s;
  v.time_saved_s = u->total_s - c->total_s;
  v.energy_saved_j = u->energy_j - c->energy_j;
  return v;
}

/// Power of one busy CPU at the boot frequency from an Energy Model: the EM power (per CPU) of
/// the lowest state at or above `boot_frequency` (the OPP cpufreq would run), in watts.
/// Errors: `empty` "energy model"; `out_of_range` "boot frequency" (above the highest state). O(log
/// n).
[[nodiscard]] constexpr result<double, error> boot_cpu_power_w(power::em_perf_domain_view em,
                                                               kilohertz boot_frequency) noexcept {
  if (em.empty()) {
    return error{errc::empty, "energy model"};
  }
  const auto i = em.find_ceil(boot_frequency);
  if (!i) {
    return error{errc::out_of_range, "boot frequency"};
  }
  return static_cast<double>(em[*i].power.count()) * 1e-6;
}

/// A decompressor from a preset profile (caches-off slowdown unset: the data has none).
[[nodiscard]] constexpr decompressor from_profile(const presets::decompressor_profile& p) noexcept {
  return decompressor{.cycles_per_output_byte = p.cycles_per_output_byte,
                      .caches_off_slowdown = 0.0};
}

/// The storage bandwidth of a board calibrated on one published row: its uncompressed boot
/// (bytes loaded / load time). Errors: `invalid_argument` "calibration row must be uncompressed";
/// `non_positive` "load time". O(1).
[[nodiscard]] constexpr result<double, error> calibrate_storage_bandwidth(
    const presets::boot_measurement& none) noexcept {
  if (none.algorithm != presets::compressor::none) {
    return error{errc::invalid_argument, "calibration row must be uncompressed"};
  }
  if (auto e = detail::check_positive(none.load_s, "load time"); !e.ok()) {
    return e;
  }
  return none.image_bytes / none.load_s;
}

/// The model's prediction for a published boot row: the image sizes and CPU clock of the row,
/// storage bandwidth `storage_bytes_per_s`, the decompressor profile of the row's core and
/// algorithm, caches on, no relocation (the measurements' stage boundaries exclude it).
/// Errors: `not_found` "decompressor profile"; those of `compressed_boot`. O(profiles).
[[nodiscard]] constexpr result<boot_breakdown, error> predict_measurement(
    const presets::boot_measurement& row, double storage_bytes_per_s) noexcept {
  boot_platform p;
  p.cpu_frequency_hz = row.cpu_frequency_hz;
  p.storage_bytes_per_s = storage_bytes_per_s;
  const kernel_image k{.uncompressed_bytes = row.uncompressed_bytes,
                       .compressed_bytes = row.image_bytes};
  if (row.algorithm == presets::compressor::none) {
    return uncompressed_boot(k, p);
  }
  const presets::decompressor_profile* prof = presets::find_decompressor(row.core, row.algorithm);
  if (prof == nullptr) {
    return error{errc::not_found, "decompressor profile"};
  }
  return compressed_boot(k, from_profile(*prof), p);
}

}  // namespace thermo::analysis
