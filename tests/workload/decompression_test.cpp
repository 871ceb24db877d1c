#include "thermo/workload/decompression.hpp"

#include <array>
#include <cstdlib>
#include <cstring>
#include <limits>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/analysis/boot_cost.hpp"
#include "workload_driver.hpp"

using namespace thermo;
using namespace thermo::workload;
using std::chrono::milliseconds;
using std::chrono::seconds;

static_assert(Workload<decompression>);

namespace {

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}

// 10 MB kernel, 4 MB zImage, 50 cycles/byte, 2 MB/s storage with 0.1 s setup.
decompression_config boot_config() {
  decompression_config c;
  c.image = {10e6, 4e6};
  c.decompressor = {50.0, 0.0};
  c.platform.storage_bytes_per_s = 2e6;
  c.platform.storage_setup_s = 0.1;
  return c;
}

bool within_ns(sim_duration d, double seconds_expected, std::int64_t tolerance_ns = 1) {
  return std::llabs(d.count() - static_cast<std::int64_t>(seconds_expected * 1e9 + 0.5)) <=
         tolerance_ns;
}

}  // namespace

TEST_CASE(
    "a compressed boot's stages take what analysis::compressed_boot says at constant frequency",
    "[decompression]") {
  decompression_config c = boot_config();
  c.platform.relocate = true;
  c.platform.relocation_bytes_per_cycle = 2.0;
  c.start = sim_time{milliseconds(5)};
  auto w = decompression::make(c);
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 1.0};
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{seconds(10)}, s);
  REQUIRE(w->finished());
  schema::boot_platform p = c.platform;
  p.cpu_frequency_hz = 1e9;
  const auto expect = analysis::compressed_boot(c.image, c.decompressor, p);
  REQUIRE(expect.has_value());
  CHECK(w->stage_start(boot_stage::load) == sim_time{milliseconds(5)});
  CHECK(within_ns(w->stage_duration(boot_stage::load), expect->load_s));
  CHECK(within_ns(w->stage_duration(boot_stage::relocate), expect->relocate_s));
  CHECK(within_ns(w->stage_duration(boot_stage::decompress), expect->decompress_s));
  CHECK(within_ns(w->boot_time(), expect->total_s, 3));
  CHECK(w->next_event(now, s) == never);
}

TEST_CASE("an uncompressed boot only loads", "[decompression]") {
  decompression_config c = boot_config();
  c.compressed = false;
  c.decompressor = {};  // not needed
  auto w = decompression::make(c);
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 1.0};
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{seconds(10)}, s);
  REQUIRE(w->finished());
  CHECK(within_ns(w->boot_time(), 0.1 + 5.0));
  CHECK(w->stage_start(boot_stage::decompress) == never);
  CHECK(w->stage_duration(boot_stage::decompress) == sim_duration{0});
}

TEST_CASE(
    "decompression progress is exact through a frequency change, and loading ignores frequency",
    "[decompression]") {
  auto w = decompression::make(boot_config());
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 1.0};
  sim_time now{};
  // Load: 0.1 + 2 s whatever the clock (it runs at 250 MHz from 1 s on). Decompression: 5e8
  // cycles from 2.1 s; 2.1 → 2.3 s at 1 GHz is 2e8, the other 3e8 at 500 MHz take 0.6 s → 2.9 s.
  const std::array<thermo::test::state_change, 2> changes{
      {{sim_time{seconds(1)}, {0.25e9, 2e9, 1.0}}, {sim_time{milliseconds(2100)}, {1e9, 2e9, 1.0}}}};
  const std::array<thermo::test::state_change, 1> slow{{{sim_time{milliseconds(2300)}, {0.5e9, 2e9, 1.0}}}};
  thermo::test::drive(*w, now, sim_time{milliseconds(2200)}, s, changes, [](sim_time) {});
  CHECK(w->stage() == boot_stage::decompress);
  CHECK(w->stage_start(boot_stage::decompress) == sim_time{milliseconds(2100)});
  thermo::test::drive(*w, now, sim_time{seconds(5)}, s, slow, [](sim_time) {});
  REQUIRE(w->finished());
  CHECK(within_ns(w->boot_time(), 2.9));
}

TEST_CASE("idle injection slows the decompressor, not the storage", "[decompression]") {
  auto w = decompression::make(boot_config());
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 0.5};
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{seconds(10)}, s);
  CHECK(within_ns(w->stage_duration(boot_stage::load), 2.1));
  CHECK(within_ns(w->stage_duration(boot_stage::decompress), 1.0));
}

TEST_CASE("the boot CPU is busy while loading (polling) unless the load uses DMA",
          "[decompression]") {
  decompression_config c = boot_config();
  std::array<double, 1> u{-1.0};
  auto w = decompression::make(c);
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 1.0};
  w->utilization(sim_time{}, u);
  CHECK(u[0] == 0.0);  // waiting
  w->on_event(sim_time{}, s);
  w->utilization(sim_time{}, u);
  CHECK(u[0] == 1.0);  // U-Boot polls
  c.load_utilization = 0.0;
  auto dma = decompression::make(c);
  dma->on_event(sim_time{}, s);
  dma->utilization(sim_time{}, u);
  CHECK(u[0] == 0.0);
  sim_time now{};
  thermo::test::drive(*dma, now, sim_time{milliseconds(2150)}, s);
  CHECK(dma->stage() == boot_stage::decompress);
  dma->utilization(now, u);
  CHECK(u[0] == 1.0);
  thermo::test::drive(*dma, now, sim_time{seconds(5)}, s);
  dma->utilization(now, u);
  CHECK(u[0] == 0.0);  // done: the kernel takes over
}

TEST_CASE("boot workload configuration errors name the quantity", "[decompression]") {
  decompression_config c = boot_config();
  SECTION("image") {
    c.image.compressed_bytes = -1.0;
    CHECK(what_is(decompression::make(c).error(), "compressed size"));
  }
  SECTION("storage") {
    c.platform.storage_bytes_per_s = 0.0;
    CHECK(what_is(decompression::make(c).error(), "storage bandwidth"));
  }
  SECTION("decompressor, only when compressed") {
    c.decompressor.cycles_per_output_byte = std::numeric_limits<double>::quiet_NaN();
    CHECK(decompression::make(c).error().code == errc::not_finite);
    c.compressed = false;
    CHECK(decompression::make(c).has_value());
  }
  SECTION("caches off without a slowdown") {
    c.platform.caches_on = false;
    CHECK(what_is(decompression::make(c).error(), "caches-off slowdown"));
  }
  SECTION("load utilisation") {
    c.load_utilization = 1.5;
    CHECK(decompression::make(c).error().code == errc::out_of_range);
  }
  SECTION("start") {
    c.start = sim_time{-seconds(1)};
    CHECK(what_is(decompression::make(c).error(), "start"));
  }
}

TEST_CASE("a boot with an unusable CPU state stalls in its CPU stage instead of producing garbage",
          "[decompression]") {
  auto w = decompression::make(boot_config());
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 1.0};
  sim_time now{};
  thermo::test::drive(*w, now, sim_time{milliseconds(2200)}, s);
  REQUIRE(w->stage() == boot_stage::decompress);
  const domain_state stopped{0.0, 2e9, 1.0};
  CHECK(w->next_event(now, stopped) == never);
  w->advance(now, seconds(100), stopped);
  w->on_event(now, stopped);
  CHECK(w->stage() == boot_stage::decompress);
}

TEST_CASE("a boot run does not touch the heap", "[decompression]") {
  decompression_config c = boot_config();
  c.platform.relocate = true;
  c.platform.relocation_bytes_per_cycle = 1.0;
  auto w = decompression::make(c);
  REQUIRE(w.has_value());
  domain_state s{1e9, 2e9, 1.0};
  sim_time now{};
  std::array<double, 1> u{};
  const std::array<thermo::test::state_change, 1> changes{{{sim_time{seconds(2)}, {0.6e9, 2e9, 0.8}}}};
  THERMO_REQUIRE_NO_HEAP(thermo::test::drive(*w, now, sim_time{seconds(10)}, s, changes,
                                             [&](sim_time t) { w->utilization(t, u); }));
  CHECK(w->finished());
}
