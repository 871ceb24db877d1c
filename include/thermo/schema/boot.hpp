/// @file boot.hpp
/// The schema of a kernel boot: the plain descriptions the boot-cost model
/// (analysis/boot_cost.hpp, models.md §5) and the boot workload (workload/decompression.hpp)
/// take — the kernel image, the decompressor, the board at boot — and the records a boot is
/// measured or characterised with (a measured boot, a decompressor's speed on a core, a storage
/// medium's read bandwidth).
///
/// This is the schema; the presets are values of it. `presets/compressors.hpp` and
/// `presets/storage.hpp` hold the published rows (generated from workloads.json); a user
/// describes their own board, image or measurement with the same types:
///
///     const thermo::schema::kernel_image k{.uncompressed_bytes = 11.8e6,
///                                          .compressed_bytes = 4.8e6};
///     thermo::schema::boot_platform p;
///     p.cpu_frequency_hz = 1e9;
///     p.storage_bytes_per_s = 20e6;
///     // validate(k), validate(p): errc::ok or what is wrong
///
/// Sizes in bytes, bandwidths in bytes per second, times in seconds, powers in watts. Plain
/// constexpr aggregates: no heap, usable in constant expressions and on a device.
/// See docs/reference/schema.md.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "thermo/core/enum_names.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/finite.hpp"

namespace thermo::schema {

/// Kernel image compression (Kconfig "Kernel compression mode"). New ones go last (`to_string`).
enum class compressor : std::uint8_t { none, gzip, lzma, xz, lzo, lz4, zstd, bzip2 };

/// Lower-case name of a compressor ("gzip").
[[nodiscard]] constexpr std::string_view to_string(compressor c) noexcept {
  constexpr std::array<std::string_view, 8> names{"none", "gzip", "lzma", "xz",
                                                  "lzo",  "lz4",  "zstd", "bzip2"};
  return enum_name<compressor::bzip2>(c, names, "unknown");
}

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

/// `errc::ok` or what is wrong: `not_finite` / `non_positive` "uncompressed size",
/// "compressed size".
[[nodiscard]] constexpr error validate(const kernel_image& k) noexcept {
  return first_error({check_positive(k.uncompressed_bytes, "uncompressed size"),
                      check_positive(k.compressed_bytes, "compressed size")});
}

/// `errc::ok` or what is wrong: `not_finite` / `non_positive` "cpu frequency", "storage bandwidth";
/// `not_finite` / `negative` "storage setup", "cpu power", "cpu idle power", "storage power";
/// `out_of_range` "load cpu busy"; `non_positive` "relocation rate" (relocating without one).
[[nodiscard]] constexpr error validate(const boot_platform& p) noexcept {
  if (const error e = first_error({check_positive(p.cpu_frequency_hz, "cpu frequency"),
                                   check_positive(p.storage_bytes_per_s, "storage bandwidth"),
                                   check_non_negative(p.storage_setup_s, "storage setup"),
                                   check_non_negative(p.cpu_power_w, "cpu power"),
                                   check_non_negative(p.cpu_idle_power_w, "cpu idle power"),
                                   check_non_negative(p.storage_power_w, "storage power")});
      !e.ok()) {
    return e;
  }
  if (!in_range(p.load_cpu_busy, 0.0, 1.0)) {
    return {errc::out_of_range, "load cpu busy"};
  }
  if (p.relocate) {
    return check_positive(p.relocation_bytes_per_cycle, "relocation rate");
  }
  return {};
}

/// `errc::ok` or what is wrong: `not_finite` / `non_positive` "decompressor cycles per byte";
/// with `caches_on == false`: `invalid_argument` "caches-off slowdown" unless it is finite and > 1.
[[nodiscard]] constexpr error validate(const decompressor& d, bool caches_on) noexcept {
  if (auto e = check_positive(d.cycles_per_output_byte, "decompressor cycles per byte"); !e.ok()) {
    return e;
  }
  const bool slowdown_given = is_finite(d.caches_off_slowdown) && d.caches_off_slowdown > 1.0;
  if (!caches_on && !slowdown_given) {
    return {errc::invalid_argument, "caches-off slowdown"};
  }
  return {};
}

/// One measured boot: load the image with the boot loader, then the kernel's self-decompression
/// (analysis::calibrate_storage_bandwidth and analysis::predict_measurement read it).
struct boot_measurement {
  std::string_view board;        ///< "pandaboard" or "at91sam9263"
  std::string_view description;  ///< board, CPU and boot medium as published
  std::string_view core;         ///< CPU core
  double cpu_frequency_hz;       ///< CPU clock the board string states
  compressor algorithm;          ///< `none` = uncompressed Image
  double image_bytes;            ///< bytes loaded from storage
  double uncompressed_bytes;     ///< kernel size after decompression
  double load_s;                 ///< boot-loader load time [s]
  double decompress_s;           ///< decompression time [s] (0 for none)
  std::string_view source;       ///< where it was published or measured
};

/// A decompressor's speed on a core: CPU cycles per byte of output, caches on. Measured on a
/// board at clock f_ref with output rate R_ref it is `f_ref / R_ref` cycles per byte; at another
/// clock f the decompressor runs at f / cycles_per_byte (speed scales with frequency).
struct decompressor_profile {
  std::string_view core;                ///< "Cortex-A9"
  compressor algorithm;
  double cycles_per_output_byte;        ///< f_ref / R_ref
  double reference_frequency_hz;        ///< f_ref of the measurement
  double reference_output_bytes_per_s;  ///< R_ref measured
  std::string_view from;                ///< the measurement it was derived from
};

/// A storage medium as a boot loader reads it.
struct storage_medium {
  std::string_view media;   ///< "SD card", "SPI NOR" …
  std::string_view mode;    ///< bus mode / configuration
  double read_bytes_per_s;  ///< read bandwidth [B/s] (10⁶ B/s = 1 MB/s)
  std::string_view status;  ///< spec maximum, measured, DERIVED or ESTIMATE
  std::string_view source;  ///< where the number comes from
};

}  // namespace thermo::schema
