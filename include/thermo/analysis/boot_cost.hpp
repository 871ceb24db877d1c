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
/// in watts, energies in joules. The descriptions (`kernel_image`, `decompressor`,
/// `boot_platform`, and their `validate`) are the schema, schema/boot.hpp; the published rows
/// are presets/compressors.hpp. Host-side analysis: no heap, O(1) per call.
/// See docs/explanation/boot-cost.md.
#pragma once

#include <cstddef>
#include <cstdint>

#include "thermo/core/errc.hpp"
#include "thermo/core/finite.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/schema/boot.hpp"

namespace thermo::analysis {

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

[[nodiscard]] constexpr double load_energy(const schema::boot_platform& p,
                                           double load_s) noexcept {
  return load_s * (p.load_cpu_busy * p.cpu_power_w + (1.0 - p.load_cpu_busy) * p.cpu_idle_power_w +
                   p.storage_power_w);
}

/// B* from the compressed boot `c` of image `k` (see `break_even_bandwidth`).
[[nodiscard]] constexpr double break_even(const schema::kernel_image& k,
                                          const boot_breakdown& c) noexcept {
  const double saved = k.uncompressed_bytes - k.compressed_bytes;
  if (saved <= 0.0) {
    return 0.0;
  }
  return saved / (c.relocate_s + c.decompress_s);
}

}  // namespace detail

/// The boot of the uncompressed image. Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<boot_breakdown, error> uncompressed_boot(
    const schema::kernel_image& k, const schema::boot_platform& p) noexcept {
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
[[nodiscard]] constexpr double decompress_seconds(const schema::kernel_image& k,
                                                  const schema::decompressor& d,
                                                  const schema::boot_platform& p) noexcept {
  const double slowdown = p.caches_on ? 1.0 : d.caches_off_slowdown;
  return k.uncompressed_bytes * d.cycles_per_output_byte * slowdown / p.cpu_frequency_hz;
}

/// The boot of the compressed image. Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<boot_breakdown, error> compressed_boot(
    const schema::kernel_image& k, const schema::decompressor& d,
    const schema::boot_platform& p) noexcept {
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
    const schema::kernel_image& k, const schema::decompressor& d,
    const schema::boot_platform& p) noexcept {
  const auto c = compressed_boot(k, d, p);
  if (!c) {
    return c.error();
  }
  return detail::break_even(k, *c);
}

/// Both boots and the verdict. Errors: those of `validate`. O(1).
[[nodiscard]] constexpr result<boot_verdict, error> compare_boot(
    const schema::kernel_image& k, const schema::decompressor& d,
    const schema::boot_platform& p) noexcept {
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
  v.break_even_bytes_per_s = detail::break_even(k, *c);
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

/// A decompressor from a profile (caches-off slowdown unset: the data has none).
[[nodiscard]] constexpr schema::decompressor from_profile(
    const schema::decompressor_profile& p) noexcept {
  return schema::decompressor{.cycles_per_output_byte = p.cycles_per_output_byte,
                              .caches_off_slowdown = 0.0};
}

/// The storage bandwidth of a board calibrated on one published row: its uncompressed boot
/// (bytes loaded / load time). Errors: `invalid_argument` "calibration row must be uncompressed";
/// `non_positive` "load time". O(1).
[[nodiscard]] constexpr result<double, error> calibrate_storage_bandwidth(
    const schema::boot_measurement& none) noexcept {
  if (none.algorithm != schema::compressor::none) {
    return error{errc::invalid_argument, "calibration row must be uncompressed"};
  }
  if (auto e = check_positive(none.load_s, "load time"); !e.ok()) {
    return e;
  }
  return none.image_bytes / none.load_s;
}

/// The model's prediction for a published boot row: the image sizes and CPU clock of the row,
/// storage bandwidth `storage_bytes_per_s`, the decompressor profile of the row's core and
/// algorithm, caches on, no relocation (the measurements' stage boundaries exclude it).
/// Errors: `not_found` "decompressor profile"; those of `compressed_boot`. O(profiles).
[[nodiscard]] constexpr result<boot_breakdown, error> predict_measurement(
    const schema::boot_measurement& row, double storage_bytes_per_s) noexcept {
  schema::boot_platform p;
  p.cpu_frequency_hz = row.cpu_frequency_hz;
  p.storage_bytes_per_s = storage_bytes_per_s;
  const schema::kernel_image k{.uncompressed_bytes = row.uncompressed_bytes,
                               .compressed_bytes = row.image_bytes};
  if (row.algorithm == schema::compressor::none) {
    return uncompressed_boot(k, p);
  }
  const schema::decompressor_profile* prof = presets::find_decompressor(row.core, row.algorithm);
  if (prof == nullptr) {
    return error{errc::not_found, "decompressor profile"};
  }
  return compressed_boot(k, from_profile(*prof), p);
}

}  // namespace thermo::analysis
