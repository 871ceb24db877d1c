#include "thermo/analysis/boot_cost.hpp"

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "thermo/presets/exynos5422.hpp"
#include "thermo/presets/storage.hpp"

using namespace thermo;
using namespace thermo::analysis;
using namespace thermo::schema;

namespace {

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}

const schema::boot_measurement& row(std::string_view board, compressor c) {
  const auto* m = presets::find_boot_measurement(board, c);
  REQUIRE(m != nullptr);
  return *m;
}

// B of a board, calibrated on its uncompressed row.
double board_bandwidth(std::string_view board) {
  const auto b = calibrate_storage_bandwidth(row(board, compressor::none));
  REQUIRE(b.has_value());
  return *b;
}

double rel(double a, double b) {
  return std::abs(a - b) / b;
}

// The Gemini kernel with a gzip decompressor profile measured on `core`, run at `f`.
struct gemini_case {
  const char* core;
  double f;
};

boot_platform platform(double f, double bandwidth) {
  boot_platform p;
  p.cpu_frequency_hz = f;
  p.storage_bytes_per_s = bandwidth;
  return p;
}

}  // namespace

TEST_CASE("every published PandaBoard and AT91 boot is reproduced within 10 %", "[boot_cost]") {
  int rows = 0;
  for (const auto& m : presets::boot_measurements) {
    const double b = board_bandwidth(m.board);
    const auto p = predict_measurement(m, b);
    REQUIRE(p.has_value());
    const double published = m.load_s + m.decompress_s;
    INFO(std::string(m.board) << " " << std::string(schema::to_string(m.algorithm)) << ": load "
                              << p->load_s << " vs " << m.load_s << ", decompress "
                              << p->decompress_s << " vs " << m.decompress_s << ", total "
                              << p->total_s << " vs " << published);
    CHECK(rel(p->total_s, published) < 0.10);
    CHECK(rel(p->load_s, m.load_s) < 0.10);
    if (m.algorithm == compressor::none) {
      CHECK(p->load_s == Approx(m.load_s).epsilon(1e-12));  // the calibration row
      CHECK(p->decompress_s == 0.0);
    } else {
      CHECK(rel(p->decompress_s, m.decompress_s) < 0.10);
    }
    ++rows;
  }
  CHECK(rows == 10);
}

TEST_CASE("board storage bandwidths match the data's derived U-Boot read rates", "[boot_cost]") {
  // workloads.json → storage: 1.506 MB/s (PandaBoard MMC) and 0.419 MB/s (AT91 NAND), derived
  // there from the same uncompressed rows.
  CHECK(board_bandwidth("pandaboard") / 1e6 == Approx(1.506).margin(0.0005));
  CHECK(board_bandwidth("at91sam9263") / 1e6 == Approx(0.419).margin(0.0005));
}

TEST_CASE("the storage bandwidth can only be calibrated on an uncompressed row", "[boot_cost]") {
  const auto r = calibrate_storage_bandwidth(row("pandaboard", compressor::gzip));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().code == errc::invalid_argument);
  schema::boot_measurement broken = row("pandaboard", compressor::none);
  broken.load_s = 0.0;
  CHECK(what_is(calibrate_storage_bandwidth(broken).error(), "load time"));
}

TEST_CASE("Gemini verdict: the break-even bandwidth decides zImage vs vmlinux on every medium",
          "[boot_cost]") {
  const kernel_image gemini{presets::gemini_vmlinux_bytes, presets::gemini_zimage_bytes};
  CHECK(gemini.uncompressed_bytes == 11.8e6);
  CHECK(gemini.compressed_bytes == 4.8e6);
  // gzip on an ARM926EJ-S at 200 MHz (the AT91 profile) and on a Cortex-A9 at 1 GHz (PandaBoard).
  const std::array<gemini_case, 2> cases{{{"ARM926EJ-S", 200e6}, {"Cortex-A9", 1e9}}};
  const std::array<double, 2> expected_break_even{2.947e6, 8.239e6};
  for (std::size_t c = 0; c < cases.size(); ++c) {
    const auto* prof = presets::find_decompressor(cases[c].core, compressor::gzip);
    REQUIRE(prof != nullptr);
    const decompressor d = from_profile(*prof);
    const auto b_star = break_even_bandwidth(gemini, d, platform(cases[c].f, 1e6));
    REQUIRE(b_star.has_value());
    CHECK(*b_star == Approx(expected_break_even[c]).epsilon(1e-3));
    for (const auto& medium : presets::storage_media) {
      INFO(cases[c].core << " on " << std::string(medium.media) << " " << std::string(medium.mode));
      const auto v = compare_boot(gemini, d, platform(cases[c].f, medium.read_bytes_per_s));
      REQUIRE(v.has_value());
      CHECK(v->compression_pays == (medium.read_bytes_per_s < *b_star));
      CHECK(v->break_even_bytes_per_s == Approx(*b_star));
      CHECK(v->time_saved_s == Approx(v->uncompressed.total_s - v->compressed.total_s));
    }
  }
  // The verdicts that differ between the two CPUs: a 50 MHz SPI NOR (6.2 MB/s) is slow enough for
  // the Cortex-A9 to win by decompressing, not for the ARM926.
  const schema::storage_medium* spi = nullptr;
  for (const auto& m : presets::storage_media) {
    if (m.mode == "SPI NOR 1-1-1 Fast Read @50 MHz") {
      spi = &m;
    }
  }
  REQUIRE(spi != nullptr);
  const auto a9 =
      compare_boot(gemini, from_profile(*presets::find_decompressor("Cortex-A9", compressor::gzip)),
                   platform(1e9, spi->read_bytes_per_s));
  const auto arm9 = compare_boot(
      gemini, from_profile(*presets::find_decompressor("ARM926EJ-S", compressor::gzip)),
      platform(200e6, spi->read_bytes_per_s));
  CHECK(a9->compression_pays);
  CHECK_FALSE(arm9->compression_pays);
}

TEST_CASE("decompression speed scales with the CPU clock", "[boot_cost]") {
  const kernel_image k{10e6, 4e6};
  const decompressor d{50.0, 0.0};
  const auto slow = compressed_boot(k, d, platform(500e6, 2e6));
  const auto fast = compressed_boot(k, d, platform(1e9, 2e6));
  CHECK(slow->decompress_s == Approx(1.0));  // 10e6 B × 50 cycles/B / 500 MHz
  CHECK(fast->decompress_s == Approx(0.5));
  CHECK(slow->load_s == fast->load_s);  // storage-bound
  CHECK(*break_even_bandwidth(k, d, platform(1e9, 2e6)) == Approx(12e6));
  CHECK(*break_even_bandwidth(k, d, platform(500e6, 2e6)) == Approx(6e6));
}

TEST_CASE("caches off slow the decompressor by the caller's factor and relocation adds a copy",
          "[boot_cost]") {
  const kernel_image k{10e6, 4e6};
  boot_platform p = platform(1e9, 2e6);
  p.caches_on = false;
  const decompressor no_factor{50.0, 0.0};
  const auto missing = compressed_boot(k, no_factor, p);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == errc::invalid_argument);
  CHECK(what_is(missing.error(), "caches-off slowdown"));
  const auto off = compressed_boot(k, decompressor{50.0, 8.0}, p);
  REQUIRE(off.has_value());
  CHECK(off->decompress_s == Approx(4.0));
  p.caches_on = true;
  p.relocate = true;
  p.relocation_bytes_per_cycle = 2.0;
  const auto moved = compressed_boot(k, decompressor{50.0, 8.0}, p);
  CHECK(moved->relocate_s == Approx(0.002));  // 4e6 B / (2 B/cycle × 1 GHz)
  CHECK(moved->total_s == Approx(2.0 + 0.002 + 0.5));
  CHECK(*break_even_bandwidth(k, decompressor{50.0, 8.0}, p) == Approx(6e6 / 0.502));
}

TEST_CASE("boot energy integrates CPU and storage power over the stages", "[boot_cost]") {
  const kernel_image k{10e6, 4e6};
  boot_platform p = platform(1e9, 2e6);
  p.cpu_power_w = 0.5;
  const decompressor d{50.0, 0.0};
  // U-Boot polls: the CPU is busy for the whole boot.
  CHECK(compressed_boot(k, d, p)->energy_j == Approx(0.5 * 2.5));
  CHECK(uncompressed_boot(k, p)->energy_j == Approx(0.5 * 5.0));
  // DMA load: the CPU idles at 0.05 W while the medium draws 0.2 W.
  p.load_cpu_busy = 0.0;
  p.cpu_idle_power_w = 0.05;
  p.storage_power_w = 0.2;
  CHECK(compressed_boot(k, d, p)->energy_j == Approx(2.0 * 0.25 + 0.5 * 0.5));
  const auto v = compare_boot(k, d, p);
  CHECK(v->energy_saved_j == Approx(5.0 * 0.25 - (2.0 * 0.25 + 0.25)));
}

TEST_CASE("boot CPU power comes from the Energy Model at the boot frequency", "[boot_cost]") {
  const auto em = schema::make_cluster_em(presets::exynos5422.clusters[0]);  // Cortex-A7
  REQUIRE(em.has_value());
  // 1 GHz at 1.1 V: floor(90 · 1100² · 1000 / 10⁶) µW = 108.9 mW.
  CHECK(*boot_cpu_power_w(em->view(), kilohertz(1'000'000)) == Approx(0.1089));
  // 950 MHz rounds up to the 1 GHz OPP, as cpufreq would run it.
  CHECK(*boot_cpu_power_w(em->view(), kilohertz(950'000)) == Approx(0.1089));
  const auto too_fast = boot_cpu_power_w(em->view(), kilohertz(3'000'000));
  REQUIRE_FALSE(too_fast.has_value());
  CHECK(what_is(too_fast.error(), "boot frequency"));
  CHECK(boot_cpu_power_w(power::em_perf_domain_view{}, kilohertz(1'000'000)).error().code ==
        errc::empty);
}

TEST_CASE("an image that does not shrink never pays for its decompression", "[boot_cost]") {
  const kernel_image k{4e6, 5e6};
  CHECK(*break_even_bandwidth(k, decompressor{50.0, 0.0}, platform(1e9, 1e3)) == 0.0);
  CHECK_FALSE(compare_boot(k, decompressor{50.0, 0.0}, platform(1e9, 1e3))->compression_pays);
}

TEST_CASE("bad boot inputs are rejected with the quantity named", "[boot_cost]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const kernel_image good{10e6, 4e6};
  const decompressor d{50.0, 0.0};
  auto expect = [](const result<boot_breakdown, error>& r, errc code, const char* what) {
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == code);
    CHECK(what_is(r.error(), what));
  };
  expect(compressed_boot({-1.0, 4e6}, d, platform(1e9, 1e6)), errc::non_positive,
         "uncompressed size");
  expect(compressed_boot({10e6, nan}, d, platform(1e9, 1e6)), errc::not_finite, "compressed size");
  expect(uncompressed_boot({0.0, 1.0}, platform(1e9, 1e6)), errc::non_positive,
         "uncompressed size");
  expect(compressed_boot(good, d, platform(0.0, 1e6)), errc::non_positive, "cpu frequency");
  expect(compressed_boot(good, d, platform(nan, 1e6)), errc::not_finite, "cpu frequency");
  expect(compressed_boot(good, d, platform(1e9, -3.0)), errc::non_positive, "storage bandwidth");
  expect(compressed_boot(good, decompressor{0.0, 0.0}, platform(1e9, 1e6)), errc::non_positive,
         "decompressor cycles per byte");
  boot_platform p = platform(1e9, 1e6);
  p.storage_setup_s = -0.1;
  expect(compressed_boot(good, d, p), errc::negative, "storage setup");
  p = platform(1e9, 1e6);
  p.cpu_power_w = -1.0;
  expect(compressed_boot(good, d, p), errc::negative, "cpu power");
  p = platform(1e9, 1e6);
  p.storage_power_w = nan;
  expect(uncompressed_boot(good, p), errc::not_finite, "storage power");
  p = platform(1e9, 1e6);
  p.load_cpu_busy = 1.5;
  expect(compressed_boot(good, d, p), errc::out_of_range, "load cpu busy");
  p = platform(1e9, 1e6);
  p.relocate = true;
  expect(compressed_boot(good, d, p), errc::non_positive, "relocation rate");
  CHECK(break_even_bandwidth(good, d, platform(-1.0, 1e6)).error().code == errc::non_positive);
  CHECK(compare_boot(good, d, platform(1e9, 0.0)).error().code == errc::non_positive);
}
