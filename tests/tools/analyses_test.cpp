// `thermo boot` and `thermo latency`: their tables are the analyses' own numbers
// (analysis/boot_cost.hpp, analysis/detection_latency.hpp), the options reach the models, and
// bad options get one-line errors.
#include <catch2/catch.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>

#include "commands.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

/// Runs a subcommand; returns {exit code, stdout, stderr}.
struct ran {
  int code;
  std::string out;
  std::string err;
};
ran run(std::string_view cmd, std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* old = std::cout.rdbuf(out.rdbuf());
  const int code = dispatch(cmd, std::move(args), err);
  std::cout.rdbuf(old);
  return {code, out.str(), err.str()};
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> v;
  for (const std::string_view l : split_lines(s)) {
    v.emplace_back(l);
  }
  return v;
}

}  // namespace

TEST_CASE("thermo boot lists every storage medium with the model's times", "[boot][cli]") {
  const ran r = run("boot", {});
  REQUIRE(r.code == exit_ok);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 2 + presets::storage_media.size());
  CHECK(lines[0] == "Cortex-A9 gzip at 1000 MHz, vmlinux 11800000 B, zImage 4800000 B, no CPU power (energy: --soc or --dtb with --cluster)");
  // first medium: SD default speed, 12.5 MB/s
  schema::boot_platform p;
  p.cpu_frequency_hz = 1e9;
  p.storage_bytes_per_s = presets::storage_media[0].read_bytes_per_s;
  const auto v = analysis::compare_boot({.uncompressed_bytes = presets::gemini_vmlinux_bytes, .compressed_bytes = presets::gemini_zimage_bytes},
                                        analysis::from_profile(*presets::find_decompressor("Cortex-A9", schema::compressor::gzip)), p);
  REQUIRE(v.has_value());
  std::array<char, 128> buf{};
  std::snprintf(buf.data(), buf.size(), "%10.3f %10.3f %10s %10s %11.2f", v->compressed.total_s, v->uncompressed.total_s, "-", "-",
                v->break_even_bytes_per_s / 1e6);  // no CPU power: no energy
  CHECK(lines[2].find(buf.data()) != std::string::npos);
  CHECK(lines[2].substr(lines[2].size() - 7) == "vmlinux");
}

TEST_CASE("thermo boot: a slow medium and a fast decompressor make the zImage faster, with energy", "[boot][cli]") {
  namespace fs = std::filesystem;
  const std::string csv = (fs::path(THERMO_BINARY_DIR) / "boot_test.csv").string();
  fs::remove(csv);
  const ran r = run("boot", {"--bandwidth", "5", "--core", "ARMv7 1.7 GHz (Linux 3.7)", "--compressor", "lz4", "--frequency", "1008",
                             "--soc", "rk3399", "--cluster", "big", "--csv", csv});
  REQUIRE(r.code == exit_ok);
  CHECK(r.out.find(", CPU 0.3365 W\n") != std::string::npos);  // the A72 EM at 1008 MHz: 336 mW
  CHECK(r.out.find("zImage\n") != std::string::npos);
  const auto text = read_input(csv);
  REQUIRE(text.ok());
  const auto lines = lines_of(*text);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0] ==
        "medium,mode,bandwidth_bytes_per_s,zimage_s,vmlinux_s,zimage_j,vmlinux_j,break_even_bytes_per_s,compression_pays");
  CHECK(lines[1].substr(0, 26) == "given,--bandwidth,5000000,");
  CHECK(lines[1].substr(lines[1].size() - 4) == ",yes");
  fs::remove(csv);
}

TEST_CASE("thermo boot rejects bad options with one line", "[boot][cli]") {
  CHECK(run("boot", {"--compressor", "rar"}).err ==
        "thermo boot: unknown compressor 'rar' (gzip, lzma, xz, lzo, lz4, zstd, bzip2)\n");
  CHECK(run("boot", {"--core", "Z80"}).err ==
        "thermo boot: no gzip profile for core 'Z80' (Cortex-A9, ARM926EJ-S, x86-64 (QEMU host))\n");
  CHECK(run("boot", {"--soc", "rk3399"}).err == "thermo boot: --cluster NAME goes with --soc or --dtb\n");
  CHECK(run("boot", {"--soc", "rk3399", "--cluster", "big", "--frequency", "2000"}).err ==
        "thermo boot: no CPU power at 2000 MHz on rk3399 big: boot frequency\n");
  CHECK(run("boot", {"--bandwidth", "-3"}).err == "thermo boot: bad --bandwidth '-3' (MB/s, 0.001..1000000)\n");
  CHECK(run("boot", {"--vmlinux"}).code == exit_usage);
}

TEST_CASE("thermo latency prints the analytic figures of each case", "[latency][cli]") {
  const ran r = run("latency", {"--period", "100 ms,500", "--ramp", "10"});
  REQUIRE(r.code == exit_ok);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 5);
  analysis::latency_case c;
  c.ramp_c_per_s = 10.0;
  c.period = std::chrono::milliseconds(500);
  const auto a = analysis::analytic_latency(c);
  REQUIRE(a.has_value());
  std::array<char, 128> buf{};
  std::snprintf(buf.data(), buf.size(), "%9.2f %9.2f", a->mean_s * 1e3, a->worst_s * 1e3);
  CHECK(lines[3].find(buf.data()) != std::string::npos);
  CHECK(lines[3].substr(0, 7) == "polling");
  CHECK(lines[4].substr(0, 9) == "interrupt");
}

TEST_CASE("thermo latency takes the periods of a zone and measures with the simulation", "[latency][cli]") {
  const ran rk = run("latency", {"--soc", "rk3399", "--zone", "cpu-thermal", "--simulate", "--phases", "8"});
  REQUIRE(rk.code == exit_ok);
  const auto lines = lines_of(rk.out);
  REQUIRE(lines.size() == 4);  // polling 1000 ms and passive 100 ms
  CHECK(lines[0].find("(zone cpu-thermal)") != std::string::npos);
  CHECK(lines[2].find("1000.0") != std::string::npos);
  CHECK(lines[3].find("100.0") != std::string::npos);
  // simulated mean = analytic mean on the phase grid (both 75.00 ms for 100 ms at 20 °C/s)
  CHECK(lines[3].find("   75.00    150.00") != std::string::npos);
  CHECK(lines[3].find("3.000          75.00") != std::string::npos);
  const ran ex = run("latency", {"--dtb", std::string(THERMO_DTB_DIR) + "/exynos5422-odroidxu4.dtb", "--zone", "cpu0-thermal"});
  REQUIRE(ex.code == exit_ok);
  const auto el = lines_of(ex.out);
  REQUIRE(el.size() == 3);  // interrupt only: polling-delay 0
  CHECK(el[2].substr(0, 9) == "interrupt");
}

TEST_CASE("thermo latency rejects bad options with one line", "[latency][cli]") {
  CHECK(run("latency", {"--mode", "psychic"}).err == "thermo latency: bad --mode 'psychic' (polling, interrupt or both)\n");
  CHECK(run("latency", {"--period", "0"}).err == "thermo latency: bad --period '0' (a duration, > 0 and at most 1 h)\n");
  CHECK(run("latency", {"--zone", "cpu-thermal"}).err == "thermo latency: --zone needs --soc PRESET or --dtb FILE\n");
  CHECK(run("latency", {"--soc", "rk3399"}).err == "thermo latency: --zone NAME goes with --soc or --dtb\n");
  CHECK(run("latency", {"--soc", "rk3399", "--zone", "npu"}).err == "thermo latency: no thermal zone 'npu'\n");
  CHECK(run("latency", {"--trip", "75500"}).err == "thermo latency: trip not a multiple of the resolution (invalid argument)\n");
  CHECK(run("latency", {"--ramp", "0"}).code == exit_usage);
}

TEST_CASE("thermo boot: numbers of 1e+-300 are refused with their documented range, never printed as inf", "[boot][cli][limits]") {
  const std::vector<std::pair<std::string_view, std::string_view>> cases{
      {"--vmlinux", "thermo boot: bad --vmlinux '1e300' (bytes, 1..1e+10)\n"},
      {"--zimage", "thermo boot: bad --zimage '1e300' (bytes, 1..1e+10)\n"},
      {"--frequency", "thermo boot: bad --frequency '1e300' (MHz, 1..10000)\n"},
      {"--bandwidth", "thermo boot: bad --bandwidth '1e300' (MB/s, 0.001..1000000)\n"},
      {"--setup-ms", "thermo boot: bad --setup-ms '1e300' (ms, 0.001..1000000)\n"},
      {"--relocate", "thermo boot: bad --relocate '1e300' (bytes/cycle, 0.001..1024)\n"}};
  for (const auto& [option, message] : cases) {
    INFO(option);
    for (const std::string_view v : {"1e300", "1e-300"}) {
      const ran r = run("boot", {option, v});
      CHECK(r.code == exit_usage);
      CHECK(r.out.empty());
      if (v == "1e300") {
        CHECK(r.err == message);
      }
    }
  }
  // the extremes of the ranges print whole rows, without inf or nan
  const ran r = run("boot", {"--vmlinux", "1e10", "--zimage", "1", "--frequency", "1", "--bandwidth", "0.001", "--setup-ms", "1e6",
                             "--relocate", "0.001"});
  REQUIRE(r.code == exit_ok);
  CHECK(r.out.find("inf") == std::string::npos);
  CHECK(r.out.find("nan") == std::string::npos);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 3);
  CHECK(lines[2].rfind("given (--bandwidth)", 0) == 0);
  // an escape sequence in an option value is quoted escaped
  CHECK(run("boot", {"--compressor", "\x1b[2Jrar"}).err ==
        "thermo boot: unknown compressor '\\x1b[2Jrar' (gzip, lzma, xz, lzo, lz4, zstd, bzip2)\n");
}

TEST_CASE("thermo latency: numbers of 1e+-300 are refused with their documented range, and lines are never cut", "[latency][cli][limits]") {
  CHECK(run("latency", {"--ramp", "1e300"}).err == "thermo latency: bad --ramp '1e300' (°C/s, 0.001..1000)\n");
  CHECK(run("latency", {"--ramp", "1e-300"}).err == "thermo latency: bad --ramp '1e-300' (°C/s, 0.001..1000)\n");
  CHECK(run("latency", {"--period", "1e300"}).err == "thermo latency: bad --period '1e300' (a duration, > 0 and at most 1 h)\n");
  CHECK(run("latency", {"--period", "2 h"}).err == "thermo latency: bad --period '2 h' (a duration, > 0 and at most 1 h)\n");
  CHECK(run("latency", {"--conversion", "1e300"}).err == "thermo latency: bad --conversion '1e300' (a duration, 0..1 h)\n");
  CHECK(run("latency", {"--irq-latency", "1e300 s"}).err == "thermo latency: bad --irq-latency '1e300 s' (a duration, 0..1 h)\n");
  CHECK(run("latency", {"--trip", "1e300"}).err == "thermo latency: bad --trip '1e300' (m°C, -273000..200000)\n");
  // the extremes: one line per case, each ending in a line end (a 512-byte buffer cut them before)
  const ran r = run("latency", {"--ramp", "0.001", "--period", "1 h", "--conversion", "1 h", "--resolution", "100000", "--trip", "200000"});
  REQUIRE(r.code == exit_ok);
  CHECK(r.out.find("inf") == std::string::npos);
  const auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 4);  // title, header, polling, interrupt
  CHECK(lines[2].rfind("polling", 0) == 0);
  CHECK(lines[3].rfind("interrupt", 0) == 0);
  // format_printf is never cut, whatever the length
  const std::string wide = io::format_printf("%600.1f|", 1.0);
  CHECK(wide.size() == 601U);
  CHECK(wide.back() == '|');
}
