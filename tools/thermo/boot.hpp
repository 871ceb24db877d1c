// `thermo boot`: the boot decompression analysis (analysis/boot_cost.hpp) — zImage against
// vmlinux for every storage medium of presets/storage.hpp (or one bandwidth), with a
// decompressor profile measured on a core, optionally the energy from a preset's Energy Model.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "thermo/analysis/boot_cost.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/presets/all.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/presets/storage.hpp"
#include "thermo/schema/boot.hpp"

namespace thermo::cli {

/// One row of the boot table.
struct boot_row {
  std::string medium;
  std::string mode;
  double bytes_per_s{0.0};
  analysis::boot_verdict verdict{};
};

inline constexpr std::string_view boot_help = R"(usage: thermo boot [--core NAME] [--compressor ALGO] [--frequency MHZ] [--vmlinux BYTES]
                   [--zimage BYTES] [--bandwidth MB/S] [--setup-ms MS] [--relocate BYTES/CYCLE]
                   [--soc PRESET --cluster NAME] [--csv FILE]

Boot time (and energy) of a compressed kernel image (zImage) against the uncompressed one
(vmlinux): load from storage, optional self-relocation, decompression on the boot CPU. One row
per storage medium of the built-in table, or one row for --bandwidth.

  --core NAME           core of the decompressor profile (default Cortex-A9)
  --compressor ALGO     gzip (default), lzma, xz, lzo, lz4, zstd, bzip2
  --frequency MHZ       boot CPU clock (default: the profile's reference clock)
  --vmlinux BYTES       uncompressed kernel size (default 11800000, the Gemini example)
  --zimage BYTES        compressed image size (default 4800000)
  --bandwidth MB/S      one storage read bandwidth (10^6 bytes/s) instead of the media table
  --setup-ms MS         fixed cost of starting a load, paid by both images (default 0)
  --relocate B/CYCLE    the decompressor relocates itself first, copying at this rate
  --soc PRESET          with --cluster: energy from that cluster's Energy Model at the clock
  --csv FILE            also write the table as CSV (written whole or not at all)
)";

/// The range of one numeric option of `thermo boot` (inclusive).
struct boot_range {
  const char* option;
  const char* unit;
  double lo;
  double hi;
};
/// The documented ranges (docs/reference/cli.md, "thermo boot").
struct boot_ranges {
  static constexpr boot_range vmlinux{"--vmlinux", "bytes", 1.0, 1e10};
  static constexpr boot_range zimage{"--zimage", "bytes", 1.0, 1e10};
  static constexpr boot_range frequency{"--frequency", "MHz", 1.0, 10'000.0};
  static constexpr boot_range bandwidth{"--bandwidth", "MB/s", 0.001, 1e6};
  static constexpr boot_range setup{"--setup-ms", "ms", 0.001, 1e6};
  static constexpr boot_range relocate{"--relocate", "bytes/cycle", 0.001, 1024.0};
};

/// `thermo boot …`.
inline int boot_main(std::vector<std::string_view> argv, std::ostream& err) {
  args a("boot", std::move(argv));
  if (a.wants_help()) {
    std::cout << boot_help;
    return exit_ok;
  }
  failure f;
  const auto core = a.take("--core", f);
  const auto algo = a.take("--compressor", f);
  const auto freq = a.take("--frequency", f);
  const auto vmlinux = a.take("--vmlinux", f);
  const auto zimage = a.take("--zimage", f);
  const auto bandwidth = a.take("--bandwidth", f);
  const auto setup = a.take("--setup-ms", f);
  const auto relocate = a.take("--relocate", f);
  const auto soc = a.take("--soc", f);
  const auto cluster = a.take("--cluster", f);
  const auto csv_file = a.take("--csv", f);
  a.finish(f);
  const auto usage = [&](const std::string& m) {
    if (f.message.empty()) {
      f = {"boot: " + m, exit_usage};
    }
  };
  schema::compressor alg = schema::compressor::gzip;
  if (algo) {
    bool found = false;
    for (const auto c : {schema::compressor::gzip, schema::compressor::lzma, schema::compressor::xz, schema::compressor::lzo,
                         schema::compressor::lz4, schema::compressor::zstd, schema::compressor::bzip2}) {
      if (schema::to_string(c) == *algo) {
        alg = c;
        found = true;
      }
    }
    if (!found) {
      usage("unknown compressor " + io::quoted(*algo) + " (gzip, lzma, xz, lzo, lz4, zstd, bzip2)");
    }
  }
  const std::string core_name(core.value_or("Cortex-A9"));
  const schema::decompressor_profile* prof = presets::find_decompressor(core_name, alg);
  if (prof == nullptr && f.message.empty()) {
    std::string cores;
    for (const auto& p : presets::decompressor_profiles) {
      if (p.algorithm == alg && cores.find(std::string(p.core)) == std::string::npos) {
        cores += (cores.empty() ? "" : ", ") + std::string(p.core);
      }
    }
    usage("no " + std::string(schema::to_string(alg)) + " profile for core " + io::quoted(core_name) + " (" + cores + ")");
  }
  // each number in its documented range (docs/reference/cli.md): a value outside would print
  // inf or a 300-digit column
  const auto ranged = [&](const std::optional<std::string_view>& v, const boot_range& r, double dflt) {
    if (!v) {
      return dflt;
    }
    const auto x = io::parse_double(*v, io::exact);
    if (!x || *x < r.lo || *x > r.hi) {
      usage(std::string("bad ") + r.option + " " + io::quoted(*v) + " (" + r.unit + ", " + io::format_number(r.lo, 7) + ".." +
            io::format_number(r.hi, 7) + ")");
      return dflt;
    }
    return *x;
  };
  schema::kernel_image k{.uncompressed_bytes = ranged(vmlinux, boot_ranges::vmlinux, presets::gemini_vmlinux_bytes),
                           .compressed_bytes = ranged(zimage, boot_ranges::zimage, presets::gemini_zimage_bytes)};
  schema::boot_platform p;
  p.cpu_frequency_hz = ranged(freq, boot_ranges::frequency, prof != nullptr ? prof->reference_frequency_hz / 1e6 : 1.0) * 1e6;
  p.storage_setup_s = setup ? ranged(setup, boot_ranges::setup, 1.0) / 1000.0 : 0.0;
  if (relocate) {
    p.relocate = true;
    p.relocation_bytes_per_cycle = ranged(relocate, boot_ranges::relocate, 1.0);
  }
  if (soc.has_value() != cluster.has_value()) {
    usage("--soc and --cluster go together");
  }
  if (soc && cluster && f.message.empty()) {
    const schema::soc_description* s = presets::find_soc(*soc);
    const schema::cpu_cluster_desc* cl = s == nullptr ? nullptr : s->find_cluster(*cluster);
    if (cl == nullptr) {
      usage(s == nullptr ? "unknown SoC preset " + io::quoted(*soc) : "no cluster " + io::quoted(*cluster) + " in " + std::string(*soc));
    } else {
      auto em = schema::make_cluster_em(*cl);
      auto w = em ? analysis::boot_cpu_power_w(em->view(), kilohertz(static_cast<std::uint32_t>(p.cpu_frequency_hz / 1000.0)))
                  : result<double, error>(em.error());
      if (!w) {
        usage("no CPU power at " + io::format_number(p.cpu_frequency_hz / 1e6, 6) + " MHz on " + std::string(*soc) + " " +
              std::string(*cluster) + ": " + w.error().what);
      } else {
        p.cpu_power_w = *w;
        p.cpu_idle_power_w = 0.0;
      }
    }
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  const schema::decompressor d = analysis::from_profile(*prof);
  std::vector<boot_row> rows;
  const auto add = [&](std::string medium, std::string mode, double bps) -> bool {
    schema::boot_platform q = p;
    q.storage_bytes_per_s = bps;
    auto v = analysis::compare_boot(k, d, q);
    if (!v) {
      err << "thermo boot: " << v.error().what << " (" << to_string(v.error().code) << ")\n";
      return false;
    }
    rows.push_back({std::move(medium), std::move(mode), bps, *v});
    return true;
  };
  if (bandwidth) {
    if (!add("given", "--bandwidth", ranged(bandwidth, boot_ranges::bandwidth, 1.0) * 1e6) || !f.message.empty()) {
      if (!f.message.empty()) {
        err << "thermo " << f.message << '\n';
      }
      return exit_usage;
    }
  } else {
    for (const schema::storage_medium& m : presets::storage_media) {
      if (!add(std::string(m.media), std::string(m.mode), m.read_bytes_per_s)) {
        return exit_failure;
      }
    }
  }
  // the table: each line formatted at the length it needs
  std::string out = io::format_printf("%s %s at %.0f MHz, vmlinux %.0f B, zImage %.0f B%s\n", core_name.c_str(),
                                      std::string(schema::to_string(alg)).c_str(), p.cpu_frequency_hz / 1e6, k.uncompressed_bytes,
                                      k.compressed_bytes,
                                      p.cpu_power_w > 0.0 ? (", CPU " + io::format_number(p.cpu_power_w, 4) + " W").c_str() : "");
  out += io::format_printf("%-44s %9s %10s %10s %11s  %s\n", "medium (mode)", "MB/s", "zImage s", "vmlinux s", "break-even", "faster");
  for (const boot_row& r : rows) {
    const std::string name = r.medium + " (" + r.mode + ")";
    out += io::format_printf("%-44.44s %9.2f %10.3f %10.3f %11.2f  %s\n", name.c_str(), r.bytes_per_s / 1e6, r.verdict.compressed.total_s,
                             r.verdict.uncompressed.total_s, r.verdict.break_even_bytes_per_s / 1e6,
                             r.verdict.compression_pays ? "zImage" : "vmlinux");
  }
  std::cout << out;
  if (csv_file) {
    std::ostringstream s;
    io::csv_writer csv(s);
    csv.row({"medium", "mode", "bandwidth_bytes_per_s", "zimage_s", "vmlinux_s", "zimage_j", "vmlinux_j", "break_even_bytes_per_s",
             "compression_pays"});
    for (const boot_row& r : rows) {
      csv.cell(r.medium).cell(r.mode).cell(r.bytes_per_s).cell(r.verdict.compressed.total_s).cell(r.verdict.uncompressed.total_s);
      csv.cell(r.verdict.compressed.energy_j).cell(r.verdict.uncompressed.energy_j).cell(r.verdict.break_even_bytes_per_s);
      csv.cell(std::string_view(r.verdict.compression_pays ? "yes" : "no")).end_row();
    }
    if (const std::string e = write_file_atomically(std::string(*csv_file), s.str()); !e.empty()) {
      err << "thermo boot: " << e << '\n';
      return exit_failure;
    }
  }
  return exit_ok;
}

}  // namespace thermo::cli
