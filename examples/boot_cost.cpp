// boot_cost: zImage vs uncompressed kernel — boot time and energy across storage media and
// compressors (models.md §5, analysis/boot_cost.hpp).
//
//   boot_cost [--csv FILE.csv] [--plot FILE.svg]      (defaults: boot_cost.csv, boot_cost.svg)
//
// Prints four tables: (1) every published PandaBoard / AT91SAM9263 boot against the model, after
// calibrating each board's storage bandwidth on its one uncompressed row; (2) the Gemini verdict
// (vmlinux 11.8 MB, zImage 4.8 MB) on every storage medium of the data, for the two measured
// ARM32 gzip decompressors; (3) boot time and energy of the PandaBoard kernel per medium and
// compressor; (4) the break-even bandwidths. Writes every number as CSV and plots boot time and
// energy against storage bandwidth. Exit codes: 0 ok, 1 a file could not be written, 2 bad usage.
#include "thermo/analysis/boot_cost.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "example_cli.hpp"
#include "thermo/io/svg_plot.hpp"
#include "thermo/presets/compressors.hpp"
#include "thermo/presets/exynos5422.hpp"
#include "thermo/presets/storage.hpp"

namespace {

using thermo::analysis::boot_breakdown;
using thermo::schema::boot_platform;
using thermo::schema::compressor;
using thermo::schema::kernel_image;

constexpr std::string_view usage_text =
    "usage: boot_cost [--csv FILE.csv] [--plot FILE.svg]\n"
    "zImage vs uncompressed kernel: boot time and energy across storage media and compressors.\n"
    "  --csv FILE.csv   every number as CSV (default boot_cost.csv)\n"
    "  --plot FILE.svg  time and energy against storage bandwidth (default boot_cost.svg)\n";

int usage(const std::string& problem) {
  return example_cli::bad_usage("boot_cost", problem, usage_text);
}

std::string sv(std::string_view s) {
  return std::string(s);
}

// The preset decompressor profile of `a` on `core` (the tables are generated: a missing entry is
// a broken build, reported and fatal).
const thermo::schema::decompressor_profile& profile(std::string_view core, compressor a) {
  const auto* p = thermo::presets::find_decompressor(core, a);
  if (p == nullptr) {
    std::fprintf(stderr, "boot_cost: no %s profile for %s\n", sv(to_string(a)).c_str(),
                 sv(core).c_str());
    std::exit(1);
  }
  return *p;
}

// The published boot of `board` with `a` (fatal when missing, as above).
const thermo::schema::boot_measurement& measurement(std::string_view board, compressor a) {
  const auto* m = thermo::presets::find_boot_measurement(board, a);
  if (m == nullptr) {
    std::fprintf(stderr, "boot_cost: no %s measurement for %s\n", sv(to_string(a)).c_str(),
                 sv(board).c_str());
    std::exit(1);
  }
  return *m;
}

// v with `decimals` decimals, padded to `width` (0: no padding).
std::string fixed(double v, int decimals, int width = 0) {
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%*.*f", width, decimals, v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

std::string general(double v) {
  std::array<char, 64> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.6g", v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (const char c : s) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

struct csv_row {
  std::string table, cpu, media, mode;
  double bandwidth_mbps = 0;
  std::string algorithm;
  boot_breakdown b;
  double published_total_s = -1;  // < 0: none
};

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string csv_path = "boot_cost.csv";
  std::string plot_path = "boot_cost.svg";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if ((a == "--csv" || a == "--plot") && i + 1 >= argc) {
      return usage("missing value after " + std::string(a));
    }
    if (a == "--csv") {
      csv_path = argv[++i];
    } else if (a == "--plot") {
      plot_path = argv[++i];
    } else {
      return usage(example_cli::unknown_argument(a));
    }
  }
  std::vector<csv_row> rows;

  // (1) The published boots. Each board's storage bandwidth is calibrated on its uncompressed
  // row; the decompressor profiles (cycles per byte) are the data's measured speeds.
  std::printf("1. Published ARM32 boots (Opdenacker 2012) against the model\n");
  std::printf(
      "   storage bandwidth calibrated on each board's uncompressed row; decompression from the\n");
  std::printf("   compressor profiles; times in seconds\n\n");
  std::printf("   %-12s %-5s %9s %9s %9s %9s %9s %9s %8s  %s\n", "board", "alg", "load pub",
              "load mod", "dec pub", "dec mod", "total pub", "total mod", "error", "role");
  double worst = 0.0;
  for (const auto& m : thermo::presets::boot_measurements) {
    // [reproduce]
    const auto& none = measurement(m.board, compressor::none);
    const double bandwidth = *thermo::analysis::calibrate_storage_bandwidth(none);
    const auto p = thermo::analysis::predict_measurement(m, bandwidth);
    // [reproduce]
    if (!p) {
      std::fprintf(stderr, "boot_cost: %s\n", p.error().what);
      return 2;
    }
    const double published = m.load_s + m.decompress_s;
    const double err = (p->total_s - published) / published;
    worst = std::max(worst, std::abs(err));
    const bool calibration = m.algorithm == compressor::none;
    std::printf("   %-12s %-5s %9.3f %9.3f %9.3f %9.3f %9.3f %9.3f %+7.1f%%  %s\n",
                sv(m.board).c_str(), sv(to_string(m.algorithm)).c_str(), m.load_s, p->load_s,
                m.decompress_s, p->decompress_s, published, p->total_s, err * 100.0,
                calibration ? "calibrates B" : "predicted");
    rows.push_back({"published", sv(m.core), sv(m.board), sv(m.description), bandwidth / 1e6,
                    sv(to_string(m.algorithm)), *p, published});
  }
  std::printf("\n   worst total-time error: %.1f %% (the acceptance bound is 10 %%)\n",
              worst * 100.0);

  // (2) The Gemini example on every medium, for the two measured ARM32 gzip decompressors.
  const kernel_image gemini{thermo::presets::gemini_vmlinux_bytes,
                            thermo::presets::gemini_zimage_bytes};
  struct cpu_choice {
    const char* core;
    double f;
  };
  const std::array<cpu_choice, 2> cpus{{{"ARM926EJ-S", 200e6}, {"Cortex-A9", 1e9}}};
  std::printf(
      "\n2. Gemini (vmlinux %.1f MB, zImage %.1f MB, gzip): which boots faster on each medium?\n",
      gemini.uncompressed_bytes / 1e6, gemini.compressed_bytes / 1e6);
  std::array<double, 2> gemini_break_even{};
  for (std::size_t c = 0; c < cpus.size(); ++c) {
    const auto d = thermo::analysis::from_profile(profile(cpus[c].core, compressor::gzip));
    boot_platform p;
    p.cpu_frequency_hz = cpus[c].f;
    p.storage_bytes_per_s = 1e6;
    gemini_break_even[c] = *thermo::analysis::break_even_bandwidth(gemini, d, p);
    std::printf("   %s at %.0f MHz decompresses in %.2f s: zImage wins below %.2f MB/s\n",
                cpus[c].core, cpus[c].f / 1e6, thermo::analysis::decompress_seconds(gemini, d, p),
                gemini_break_even[c] / 1e6);
  }
  std::printf(
      "\n   each cell: the image that boots faster, then the zImage and vmlinux boot times\n");
  std::printf("\n   %-48s %8s  %-26s  %-26s\n", "medium (mode)", "MB/s", "ARM926EJ-S 200 MHz",
              "Cortex-A9 1 GHz");
  for (const auto& medium : thermo::presets::storage_media) {
    std::string line;
    for (std::size_t c = 0; c < cpus.size(); ++c) {
      // [verdict]
      const auto d = thermo::analysis::from_profile(profile(cpus[c].core, compressor::gzip));
      boot_platform p;
      p.cpu_frequency_hz = cpus[c].f;
      p.storage_bytes_per_s = medium.read_bytes_per_s;
      const auto v = *thermo::analysis::compare_boot(gemini, d, p);
      // [verdict]
      const std::string cell = (v.compression_pays ? "zImage " : "vmlinux ") +
                               fixed(v.compressed.total_s, 2) + " vs " +
                               fixed(v.uncompressed.total_s, 2) + " s";
      line += "  " + cell + std::string(cell.size() < 26 ? 26 - cell.size() : 0, ' ');
      rows.push_back({"gemini", cpus[c].core, sv(medium.media), sv(medium.mode),
                      medium.read_bytes_per_s / 1e6, "gzip", v.compressed, -1});
      rows.push_back({"gemini", cpus[c].core, sv(medium.media), sv(medium.mode),
                      medium.read_bytes_per_s / 1e6, "none", v.uncompressed, -1});
    }
    const std::string name = sv(medium.media) + " (" + sv(medium.mode) + ")";
    std::printf("   %-48.48s %8.2f%s\n", name.c_str(), medium.read_bytes_per_s / 1e6, line.c_str());
  }

  // (3) Time and energy of the PandaBoard kernel per medium and compressor. Power: one Cortex-A7
  // of the Exynos 5422 (an ARM32 SoC that boots zImages) at its 1 GHz OPP, from the Energy Model;
  // the CPU is busy for the whole boot (U-Boot polls the storage controller). Decompression
  // speeds: the Cortex-A9 profiles at 1 GHz (no A7 profile in the data).
  // [sweep]
  const auto em = thermo::schema::make_cluster_em(thermo::presets::exynos5422.clusters[0]);
  const double cpu_w =
      *thermo::analysis::boot_cpu_power_w(em->view(), thermo::kilohertz(1'000'000));
  const std::array<compressor, 4> algs{compressor::gzip, compressor::lzma, compressor::xz,
                                       compressor::lzo};
  auto panda_image = [](compressor a) {
    const auto& m = measurement("pandaboard", a);
    return kernel_image{m.uncompressed_bytes, m.image_bytes};
  };
  auto boot = [&](compressor a, double bandwidth) {
    boot_platform p;
    p.cpu_frequency_hz = 1e9;
    p.storage_bytes_per_s = bandwidth;
    p.cpu_power_w = cpu_w;
    if (a == compressor::none) {
      return *thermo::analysis::uncompressed_boot(panda_image(compressor::gzip), p);
    }
    const auto d = thermo::analysis::from_profile(profile("Cortex-A9", a));
    return *thermo::analysis::compressed_boot(panda_image(a), d, p);
  };
  // [sweep]
  std::printf(
      "\n3. PandaBoard kernel (%.2f MB) per medium: boot time [s] and energy [mJ] at 1 GHz, %.1f "
      "mW CPU\n",
      panda_image(compressor::gzip).uncompressed_bytes / 1e6, cpu_w * 1e3);
  std::printf(
      "   (Exynos 5422 Cortex-A7 Energy Model at 1 GHz; Cortex-A9 decompressor profiles)\n\n");
  std::printf("   %-40s %8s %8s %8s %8s %8s %8s  %-6s %9s\n", "medium (mode)", "MB/s", "none",
              "gzip", "lzma", "xz", "lzo", "best", "best mJ");
  for (const auto& medium : thermo::presets::storage_media) {
    const std::array<compressor, 5> all{compressor::none, compressor::gzip, compressor::lzma,
                                        compressor::xz, compressor::lzo};
    std::string cells;
    compressor best = compressor::none;
    boot_breakdown best_b = boot(compressor::none, medium.read_bytes_per_s);
    for (const compressor a : all) {
      const boot_breakdown b = boot(a, medium.read_bytes_per_s);
      cells += " " + fixed(b.total_s, 3, 8);
      if (b.total_s < best_b.total_s) {
        best = a;
        best_b = b;
      }
      rows.push_back({"sweep", "Cortex-A9 profile, Cortex-A7 power", sv(medium.media),
                      sv(medium.mode), medium.read_bytes_per_s / 1e6, sv(to_string(a)), b, -1});
    }
    const std::string name = sv(medium.media) + " (" + sv(medium.mode) + ")";
    std::printf("   %-40.40s %8.2f%s  %-6s %9.1f\n", name.c_str(), medium.read_bytes_per_s / 1e6,
                cells.c_str(), sv(to_string(best)).c_str(), best_b.energy_j * 1e3);
  }

  std::printf(
      "\n4. Break-even storage bandwidth B* (compressing pays below it), PandaBoard kernel, 1 "
      "GHz:\n");
  for (const compressor a : algs) {
    const auto d = thermo::analysis::from_profile(profile("Cortex-A9", a));
    boot_platform p;
    p.cpu_frequency_hz = 1e9;
    p.storage_bytes_per_s = 1e6;
    const double b = *thermo::analysis::break_even_bandwidth(panda_image(a), d, p);
    std::printf("   %-5s ratio %.2f, decompresses at %6.2f MB/s → B* = %6.2f MB/s\n",
                sv(to_string(a)).c_str(),
                panda_image(a).uncompressed_bytes / panda_image(a).compressed_bytes,
                1e9 / d.cycles_per_output_byte / 1e6, b / 1e6);
  }

  // CSV.
  {
    example_cli::output_file f_file(csv_path);
    std::ostream& f = f_file.stream();
    f << "table,cpu,media,mode,bandwidth_MBps,algorithm,load_s,relocate_s,decompress_s,total_s,"
         "energy_mJ,"
         "published_total_s\n";
    for (const csv_row& r : rows) {
      f << r.table << ',' << csv_field(r.cpu) << ',' << csv_field(r.media) << ','
        << csv_field(r.mode) << ',' << general(r.bandwidth_mbps) << ',' << r.algorithm << ','
        << fixed(r.b.load_s, 6) << ',' << fixed(r.b.relocate_s, 6) << ','
        << fixed(r.b.decompress_s, 6) << ',' << fixed(r.b.total_s, 6) << ','
        << fixed(r.b.energy_j * 1e3, 4) << ','
        << (r.published_total_s < 0 ? std::string() : fixed(r.published_total_s, 6)) << '\n';
    }
    if (const std::string e = f_file.commit(); !e.empty()) {
      std::fprintf(stderr, "boot_cost: %s\n", e.c_str());
      return 1;
    }
  }

  // Plot: boot time and energy against storage bandwidth (log scale), 1 … 1000 MB/s.
  thermo::io::svg_figure fig("Compressed vs uncompressed kernel boot (ARM32 zImage)", 960, 340);
  std::vector<double> mbps;
  for (int k = 0; k <= 80; ++k) {
    mbps.push_back(std::pow(10.0, 3.0 * k / 80.0));
  }
  std::vector<thermo::io::line_series> times;
  std::vector<thermo::io::line_series> energies;
  for (const compressor a :
       {compressor::none, compressor::gzip, compressor::lzma, compressor::xz, compressor::lzo}) {
    thermo::io::line_series t{
        .name = sv(to_string(a)), .x = mbps, .y = {}, .dashed = a == compressor::none};
    thermo::io::line_series e{
        .name = sv(to_string(a)), .x = mbps, .y = {}, .dashed = a == compressor::none};
    for (const double b : mbps) {
      const auto r = boot(a, b * 1e6);
      t.y.push_back(r.total_s);
      e.y.push_back(r.energy_j * 1e3);
    }
    times.push_back(std::move(t));
    energies.push_back(std::move(e));
  }
  auto& tp = fig.add_panel("storage read bandwidth (MB/s, log)", "PandaBoard kernel boot time (s)");
  for (auto& s : times) {
    tp.add(std::move(s));
  }
  tp.log_x();
  auto& ep = fig.add_panel("storage read bandwidth (MB/s, log)", "boot energy at 1 GHz (mJ)");
  for (auto& s : energies) {
    ep.add(std::move(s));
  }
  ep.log_x();
  auto& gp = fig.add_panel("storage read bandwidth (MB/s, log)", "Gemini boot time (s)");
  for (std::size_t c = 0; c < cpus.size(); ++c) {
    const auto d = thermo::analysis::from_profile(profile(cpus[c].core, compressor::gzip));
    thermo::io::line_series z{.name = std::string("zImage, ") + cpus[c].core, .x = mbps, .y = {}};
    for (const double b : mbps) {
      boot_platform p;
      p.cpu_frequency_hz = cpus[c].f;
      p.storage_bytes_per_s = b * 1e6;
      z.y.push_back(thermo::analysis::compressed_boot(gemini, d, p)->total_s);
    }
    gp.add(std::move(z));
  }
  thermo::io::line_series v{.name = "vmlinux", .x = mbps, .y = {}, .dashed = true};
  for (const double b : mbps) {
    v.y.push_back(gemini.uncompressed_bytes / (b * 1e6));
  }
  gp.add(std::move(v));
  gp.log_x();
  if (fig.save(plot_path) != thermo::errc::ok) {
    std::fprintf(stderr, "boot_cost: cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("\nCSV written to %s, plot to %s\n", csv_path.c_str(), plot_path.c_str());
  return 0;
}
