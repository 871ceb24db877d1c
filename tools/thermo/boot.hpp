// `thermo boot`: the boot decompression analysis (analysis/boot_cost.hpp) — zImage against
// vmlinux for every storage medium of presets/storage.hpp (or one bandwidth), with a
// decompressor profile measured on a core (the cluster's own when one was measured, else a
// stand-in named in a note), the energy from a cluster's Energy Model, and a plot.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "system_source.hpp"
#include "thermo/analysis/boot_cost.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/output.hpp"
#include "thermo/io/svg_plot.hpp"
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
                   [(--soc PRESET | --dtb FILE.dtb) --cluster NAME] [--csv FILE] [--plot FILE.svg]

Boot time and energy of a compressed kernel image (zImage) against the uncompressed one
(vmlinux): load from storage, optional self-relocation, decompression on the boot CPU. One row
per storage medium of the built-in table, or one row for --bandwidth.

  --core NAME           core of the decompressor profile (default: the cluster's core when a
                        profile was measured on it, else Cortex-A9; a note names a stand-in)
  --compressor ALGO     gzip (default), lzma, xz, lzo, lz4, zstd, bzip2
  --frequency MHZ       boot CPU clock (default: the profile's reference clock, at most the
                        cluster's highest OPP)
  --vmlinux BYTES       uncompressed kernel size (default 11800000, the Gemini example)
  --zimage BYTES        compressed image size (default 4800000)
  --bandwidth MB/S      one storage read bandwidth (10^6 bytes/s) instead of the media table
  --setup-ms MS         fixed cost of starting a load, paid by both images (default 0)
  --relocate B/CYCLE    the decompressor relocates itself first, copying at this rate
  --soc PRESET, --dtb FILE.dtb, --cluster NAME
                        the boot CPU's cluster: its core picks the profile, its Energy Model
                        gives the CPU power at the clock (the energy columns, in joules)
  --csv FILE            also write the table as CSV
  --plot FILE.svg       also plot boot time (and energy) against storage bandwidth
Output files are written whole or not at all.
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

/// The core a device-tree `compatible` names, spelled as the decompressor profiles spell it:
/// "arm,cortex-a72" → "Cortex-A72", "arm,arm926ej-s" → "ARM926EJ-S"; another vendor's core
/// keeps its compatible string.
[[nodiscard]] inline std::string core_of_compatible(std::string_view compatible) {
  if (compatible.substr(0, 4) != "arm,") {
    return std::string(compatible);
  }
  const std::string_view c = compatible.substr(4);
  std::string out;
  if (c.substr(0, 7) == "cortex-") {
    out = "Cortex-";
    for (const char ch : c.substr(7)) {
      out += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
    }
    return out;
  }
  for (const char ch : c) {
    out += (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 'a' + 'A') : ch;
  }
  return out;
}

/// The decompressor profile a boot is priced with, and why when it is not the boot CPU's own.
struct profile_choice {
  const schema::decompressor_profile* profile{nullptr};
  std::string note;   ///< "" when the profile is the core's own (or no core is known)
  std::string error;  ///< "" unless no profile can be used
};

/// The cores with an `alg` profile, in table order: "Cortex-A9, ARM926EJ-S, …".
[[nodiscard]] inline std::string profile_cores(schema::compressor alg) {
  std::string cores;
  for (const auto& p : presets::decompressor_profiles) {
    if (p.algorithm == alg && cores.find(std::string(p.core)) == std::string::npos) {
      cores += (cores.empty() ? "" : ", ") + std::string(p.core);
    }
  }
  return cores;
}

/// Picks the profile of `alg`: `--core` when given; else the boot CPU's core (`cluster_core`,
/// from its compatible; empty when no cluster is given) when a profile was measured on it; else
/// Cortex-A9's (the full published boots of presets/compressors.hpp), or the first of the table
/// for `alg`, with a note naming the stand-in, its measurement, and why. A `--core` that is not
/// the cluster's core gets a note too.
[[nodiscard]] inline profile_choice choose_profile(const std::optional<std::string_view>& core, std::string_view cluster_core,
                                                   std::string_view cluster_label, schema::compressor alg) {
  profile_choice c;
  const std::string algo(schema::to_string(alg));
  if (core) {
    c.profile = presets::find_decompressor(*core, alg);
    if (c.profile == nullptr) {
      c.error = "no " + algo + " profile for core " + io::quoted(*core) + " (" + profile_cores(alg) + ")";
    } else if (!cluster_core.empty() && *core != cluster_core) {
      c.note = "the " + std::string(*core) + " " + algo + " profile (--core) prices the boot of the " + std::string(cluster_label) +
               " cluster, whose cores are " + std::string(cluster_core);
    }
    return c;
  }
  if (!cluster_core.empty()) {
    c.profile = presets::find_decompressor(cluster_core, alg);
    if (c.profile != nullptr) {
      return c;
    }
  }
  c.profile = presets::find_decompressor("Cortex-A9", alg);
  if (c.profile == nullptr && !cluster_core.empty()) {
    for (const auto& p : presets::decompressor_profiles) {
      if (p.algorithm == alg) {
        c.profile = &p;
        break;
      }
    }
  }
  if (c.profile == nullptr) {
    c.error = "no " + algo + " profile for core 'Cortex-A9' (" + profile_cores(alg) + ")";
    return c;
  }
  if (!cluster_core.empty()) {
    c.note = "no " + algo + " decompressor profile was measured on a " + std::string(cluster_core) + " (the " + std::string(cluster_label) +
             " cluster): the " + std::string(c.profile->core) + " one stands in (" + std::string(c.profile->from) + ", " +
             io::format_number(c.profile->cycles_per_output_byte, 3) +
             " cycles/byte, scaled to the clock), so the zImage times are an estimate: the real core may need more or "
             "fewer cycles per byte; --core picks another measured profile (" + profile_cores(alg) + ")";
  }
  return c;
}

/// The plot of `thermo boot --plot`: boot time of both images against storage bandwidth (log
/// axis, 10⁶ B/s), with the break-even bandwidth, and a second panel of energy when the CPU
/// power is known. `bw_lo`..`bw_hi` is the plotted range (bytes/s). Both curves grow as 1/B at
/// low bandwidth: points above 3× the time (energy) at the break-even are left out, so that the
/// crossing stays readable.
[[nodiscard]] inline std::string boot_plot(const std::string& title, const schema::kernel_image& k, const schema::decompressor& d,
                                           const schema::boot_platform& p, double bw_lo, double bw_hi, std::string_view algo) {
  schema::boot_platform at_be = p;
  at_be.storage_bytes_per_s = 1.0;  // any valid bandwidth: B* does not depend on it
  const auto be = analysis::break_even_bandwidth(k, d, at_be);
  const bool show_be = be && *be > 0.0 && *be >= bw_lo && *be <= bw_hi;
  double t_cap = std::numeric_limits<double>::infinity();
  double e_cap = t_cap;
  if (show_be) {
    at_be.storage_bytes_per_s = *be;
    if (const auto v = analysis::compare_boot(k, d, at_be)) {
      t_cap = 3.0 * v->uncompressed.total_s;
      e_cap = v->uncompressed.energy_j > 0.0 ? 3.0 * v->uncompressed.energy_j : e_cap;
    }
  }
  const bool energy = p.cpu_power_w > 0.0 || p.storage_power_w > 0.0;
  const std::string zname = "zImage (" + std::string(algo) + ")";
  std::array<io::line_series, 4> lines;  // time zImage, vmlinux; energy zImage, vmlinux
  for (std::size_t i = 0; i < lines.size(); ++i) {
    lines[i].name = i % 2 == 0 ? zname : std::string("vmlinux");
  }
  constexpr int points = 121;
  const double l0 = std::log10(bw_lo);
  const double l1 = std::log10(bw_hi);
  std::array<double, 2> top{0.0, 0.0};
  for (int i = 0; i < points; ++i) {
    schema::boot_platform q = p;
    q.storage_bytes_per_s = std::pow(10.0, l0 + (l1 - l0) * static_cast<double>(i) / (points - 1));
    const auto v = analysis::compare_boot(k, d, q);
    if (!v) {
      continue;
    }
    const std::array<double, 4> y{v->compressed.total_s, v->uncompressed.total_s, v->compressed.energy_j, v->uncompressed.energy_j};
    for (std::size_t s = 0; s < y.size(); ++s) {
      if (y[s] <= (s < 2 ? t_cap : e_cap)) {
        lines[s].x.push_back(q.storage_bytes_per_s / 1e6);
        lines[s].y.push_back(y[s]);
        top[s / 2] = std::max(top[s / 2], y[s]);
      }
    }
  }
  const auto be_line = [&](double y_top) {
    io::line_series l;
    l.name = "break-even " + io::format_number(*be / 1e6, 3) + " MB/s";
    l.x = {*be / 1e6, *be / 1e6};
    l.y = {0.0, y_top};
    l.dashed = true;
    l.color = "#7f7f7f";
    return l;
  };
  io::svg_figure fig(title, 960, 320);
  for (std::size_t panel = 0; panel < (energy ? 2U : 1U); ++panel) {
    auto& pp = fig.add_panel("storage read bandwidth (MB/s, log scale)", panel == 0 ? "boot time (s)" : "boot energy (J)");
    pp.log_x();
    pp.add(std::move(lines[2 * panel])).add(std::move(lines[2 * panel + 1]));
    if (show_be) {
      pp.add(be_line(top[panel]));
    }
  }
  return fig.render();
}

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
  const auto dtb = a.take("--dtb", f);
  const auto cluster = a.take("--cluster", f);
  const auto csv_file = a.take("--csv", f);
  const auto plot_file = a.take("--plot", f);
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
  if (soc && dtb) {
    usage("give one of --soc and --dtb");
  }
  if ((soc.has_value() || dtb.has_value()) != cluster.has_value()) {
    usage(cluster ? "--cluster needs --soc PRESET or --dtb FILE" : "--cluster NAME goes with --soc or --dtb");
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  // The boot CPU's cluster (its core and its Energy Model), when one is given.
  std::optional<system_source> src;
  const schema::cpu_cluster_desc* cl = nullptr;
  std::string cluster_core;
  std::string cluster_label;
  if (cluster) {
    auto s = dtb ? load_dtb(std::string(*dtb)) : load_preset(*soc);
    if (!s) {
      err << "thermo boot: " << s.message() << '\n';
      return dtb ? exit_failure : exit_usage;
    }
    src.emplace(std::move(*s));
    cl = src->description().find_cluster(*cluster);
    if (cl == nullptr) {
      std::string names;
      for (const auto& c : src->description().clusters) {
        names += (names.empty() ? "" : ", ") + std::string(c.name);
      }
      err << "thermo boot: no cluster " << io::quoted(*cluster) << " in " << (dtb ? io::quoted(*dtb) : std::string(*soc)) << " ("
          << names << ")\n";
      return exit_usage;
    }
    cluster_core = core_of_compatible(cl->compatible);
    cluster_label = (dtb ? std::string("device tree's ") : std::string(*soc) + " ") + std::string(*cluster);
  }
  std::string energy_note;
  const profile_choice choice = choose_profile(core, cluster_core, cluster_label, alg);
  if (!choice.error.empty()) {
    usage(choice.error);
  }
  const schema::decompressor_profile* prof = choice.profile;
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
  // default clock: the profile's reference clock, at most the cluster's highest OPP
  double default_mhz = prof != nullptr ? prof->reference_frequency_hz / 1e6 : 1.0;
  if (cl != nullptr && !cl->opps.empty()) {
    default_mhz = std::min(default_mhz, static_cast<double>(cl->opps.back().frequency.count()) / 1000.0);
  }
  p.cpu_frequency_hz = ranged(freq, boot_ranges::frequency, default_mhz) * 1e6;
  p.storage_setup_s = setup ? ranged(setup, boot_ranges::setup, 1.0) / 1000.0 : 0.0;
  if (relocate) {
    p.relocate = true;
    p.relocation_bytes_per_cycle = ranged(relocate, boot_ranges::relocate, 1.0);
  }
  const double given_bw = bandwidth ? ranged(bandwidth, boot_ranges::bandwidth, 1.0) * 1e6 : 0.0;
  if (cl != nullptr && f.message.empty()) {
    auto em = schema::make_cluster_em(*cl);
    auto w = em ? analysis::boot_cpu_power_w(em->view(), kilohertz(static_cast<std::uint32_t>(p.cpu_frequency_hz / 1000.0)))
                : result<double, error>(em.error());
    if (!em && em.error().code == errc::not_supported) {
      energy_note = "the " + cluster_label + " cluster has no Energy Model (no dynamic-power-coefficient or opp-microwatt): no energy figures";
    } else if (!w) {
      usage("no CPU power at " + io::format_number(p.cpu_frequency_hz / 1e6, 6) + " MHz on " +
            (dtb ? io::quoted(*dtb) : std::string(*soc)) + " " + std::string(*cluster) + ": " + w.error().what);
    } else {
      p.cpu_power_w = *w;
      p.cpu_idle_power_w = 0.0;
    }
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  // The outputs are opened before any work, so a name that cannot be written is refused first;
  // they appear together after it, or not at all (io/output.hpp).
  io::output_set outputs;
  if (dtb) {
    outputs.add_input(std::string(*dtb));
  }
  std::ostream* csv_out = nullptr;
  std::ostream* plot_out = nullptr;
  if (!open_outputs(outputs, {{csv_file, &csv_out}, {plot_file, &plot_out}}, "boot", err)) {
    return exit_failure;
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
    if (!add("given", "--bandwidth", given_bw)) {
      return exit_failure;
    }
  } else {
    for (const schema::storage_medium& m : presets::storage_media) {
      if (!add(std::string(m.media), std::string(m.mode), m.read_bytes_per_s)) {
        return exit_failure;
      }
    }
  }
  const std::string core_name(prof->core);
  const bool energy = p.cpu_power_w > 0.0;
  // the table: each line formatted at the length it needs
  std::string out = io::format_printf("%s %s at %.0f MHz, vmlinux %.0f B, zImage %.0f B%s\n", core_name.c_str(),
                                      std::string(schema::to_string(alg)).c_str(), p.cpu_frequency_hz / 1e6, k.uncompressed_bytes,
                                      k.compressed_bytes,
                                      energy ? (", CPU " + io::format_number(p.cpu_power_w, 4) + " W").c_str()
                                             : cl != nullptr ? ", no CPU power" : ", no CPU power (energy: --soc or --dtb with --cluster)");
  out += io::format_printf("%-44s %9s %10s %10s %10s %10s %11s  %s\n", "medium (mode)", "MB/s", "zImage s", "vmlinux s", "zImage J",
                           "vmlinux J", "break-even", "faster");
  double bw_lo = given_bw;
  double bw_hi = given_bw;
  for (const boot_row& r : rows) {
    const std::string name = r.medium + " (" + r.mode + ")";
    const std::string ez = energy ? io::format_printf("%10.3f", r.verdict.compressed.energy_j) : io::format_printf("%10s", "-");
    const std::string eu = energy ? io::format_printf("%10.3f", r.verdict.uncompressed.energy_j) : io::format_printf("%10s", "-");
    out += io::format_printf("%-44.44s %9.2f %10.3f %10.3f %s %s %11.2f  %s\n", name.c_str(), r.bytes_per_s / 1e6,
                             r.verdict.compressed.total_s, r.verdict.uncompressed.total_s, ez.c_str(), eu.c_str(),
                             r.verdict.break_even_bytes_per_s / 1e6, r.verdict.compression_pays ? "zImage" : "vmlinux");
    bw_lo = bw_lo > 0.0 ? std::min(bw_lo, r.bytes_per_s) : r.bytes_per_s;
    bw_hi = std::max(bw_hi, r.bytes_per_s);
  }
  for (const std::string* n : {&choice.note, static_cast<const std::string*>(&energy_note)}) {
    if (!n->empty()) {
      out += "note: " + *n + "\n";
    }
  }
  if (csv_out != nullptr) {
    io::csv_writer csv(*csv_out);
    csv.row({"medium", "mode", "bandwidth_bytes_per_s", "zimage_s", "vmlinux_s", "zimage_j", "vmlinux_j", "break_even_bytes_per_s",
             "compression_pays"});
    for (const boot_row& r : rows) {
      csv.cell(r.medium).cell(r.mode).cell(r.bytes_per_s).cell(r.verdict.compressed.total_s).cell(r.verdict.uncompressed.total_s);
      csv.cell(r.verdict.compressed.energy_j).cell(r.verdict.uncompressed.energy_j).cell(r.verdict.break_even_bytes_per_s);
      csv.cell(std::string_view(r.verdict.compression_pays ? "yes" : "no")).end_row();
    }
  }
  if (plot_out != nullptr) {
    // the media's range, or a decade either side of one bandwidth, widened to show the break-even
    const double be = rows.front().verdict.break_even_bytes_per_s;
    double lo = bandwidth ? bw_lo / 10.0 : bw_lo / 2.0;
    double hi = bandwidth ? bw_hi * 10.0 : bw_hi * 2.0;
    if (be > 0.0) {
      lo = std::min(lo, be / 2.0);
      hi = std::max(hi, be * 2.0);
    }
    const std::string title = "Boot time, zImage vs vmlinux: " + core_name + " " + std::string(schema::to_string(alg)) + " at " +
                              io::format_number(p.cpu_frequency_hz / 1e6, 6) + " MHz" +
                              (!cluster_core.empty() && cluster_core != core_name ? " (boot CPU: " + cluster_core + ")" : std::string());
    *plot_out << boot_plot(title, k, d, p, lo, hi, schema::to_string(alg));
  }
  if (const io::file_error e = outputs.commit(); !e.ok()) {
    err << "thermo boot: " << e.message << '\n';
    return exit_failure;
  }
  std::cout << out;
  return std::cout ? exit_ok : exit_failure;
}

}  // namespace thermo::cli
