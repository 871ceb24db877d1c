// The kernel version of `thermo simulate`, `replay` and `sweep` (--kernel, [run] kernel): the
// setting is read and refused as the commands read it, reaches the governors of a replayed
// zone and of a simulation, and changes what they do where the kernels differ (HiKey960's
// cls0-thermal, weights 1024/512, under 6.12.17's unweighted power split).
#include <catch2/catch.hpp>
#include <initializer_list>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "replay.hpp"
#include "scenario.hpp"
#include "simulate.hpp"
#include "system_source.hpp"
#include "thermo/io/scenario.hpp"
#include "zone_system.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

std::string read_error(std::string_view text) {
  control::kernel_version k;
  return io::read_modelled_kernel(text, k);
}

const std::string minimal =
    "[run]\nduration = 2 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n"
    "[heat big]\nnodes = big\n[sensor s0]\nnode = big\n[zone cpu-thermal]\nsensor = s0\n";

/// `parts` joined (appended one by one: a `"literal" + std::string` chain trips gcc 12's -O3
/// -Wrestrict false positive, GCC bug 105329).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string s;
  for (const std::string_view p : parts) {
    s += p;
  }
  return s;
}

/// `minimal` after its first two lines ("[run]", "duration = 2 s").
std::string after_run() { return minimal.substr(std::string_view("[run]\nduration = 2 s\n").size()); }

/// The hikey960 cls0-thermal replay of tests/data/traces under `kernel`.
std::string hikey_replay(const control::kernel_behaviour& kernel) {
  auto src = load_dtb(std::string(THERMO_DTB_DIR) + "/hi3660-hikey960.dtb");
  INFO(src.message());
  REQUIRE(src.ok());
  auto sys = zone_system::build(src->description(), src->dt(), "cls0-thermal", "power_allocator", std::nullopt, kernel);
  INFO(sys.message());
  REQUIRE(sys.ok());
  const auto* pa = (*sys)->power_allocator();
  REQUIRE(pa != nullptr);
  CHECK((pa != nullptr && pa->behaviour() == kernel));
  CHECK((*sys)->kernel_behaviour() == kernel);
  const auto text = read_input(std::string(THERMO_TEST_DATA_DIR) + "/traces/hi3660-cls0-thermal.csv");
  REQUIRE(text.ok());
  auto tr = parse_trace(*text, "hi3660-cls0-thermal.csv", **sys);
  INFO(tr.message());
  REQUIRE(tr.ok());
  auto out = run_replay(**sys, *tr);
  REQUIRE(out.ok());
  return *out;
}

/// Row `k` of a replay output (0 = the header).
std::string row_of(const std::string& csv, std::size_t k) {
  std::size_t at = 0;
  for (std::size_t i = 0; i < k; ++i) {
    at = csv.find('\n', at) + 1;
  }
  return csv.substr(at, csv.find('\n', at) - at);
}

}  // namespace

TEST_CASE("a kernel setting is read as the commands read it: 6.12.0 or later, else a message naming the value",
          "[kernel][cli]") {
  control::kernel_version k;
  CHECK(io::read_modelled_kernel("6.12.17", k).empty());
  CHECK(k == control::kernel_version{6, 12, 17});
  CHECK(io::read_modelled_kernel("6.12", k).empty());
  CHECK(k == control::default_kernel);
  CHECK(io::read_modelled_kernel("v7.3", k).empty());
  CHECK(k == control::kernel_version{7, 3, 0});
  CHECK(io::read_modelled_kernel("6.12.0-1-arm64", k).empty());
  CHECK(k == control::oldest_modelled_kernel);
  CHECK(read_error("6.x") == "bad kernel version '6.x' (expected MAJOR.MINOR[.PATCH], e.g. 6.12 or 6.12.18)");
  CHECK(read_error("") == "bad kernel version '' (expected MAJOR.MINOR[.PATCH], e.g. 6.12 or 6.12.18)");
  CHECK(read_error("1.0") == "bad kernel version '1.0' (expected MAJOR.MINOR[.PATCH], e.g. 6.12 or 6.12.18, with MAJOR within 2..99)");
  CHECK(read_error("6.11.999") ==
        "kernel 6.11.999 is older than 6.12.0: thermo models the thermal framework from Linux 6.12 on (only thermo audit "
        "takes older kernels)");
  CHECK(read_error("6.1").starts_with("kernel 6.1.0 is older than 6.12.0"));
  CHECK(read_error("6.\x1b").find("'6.\\x1b'") != std::string::npos);  // quoted printably
  CHECK(io::format_kernel_version({6, 13, 6}) == "6.13.6");
}

TEST_CASE("[run] kernel is read with its line, and a bad or too old one names file and line", "[kernel][scenario]") {
  const std::string tail = after_run();
  const std::string with = cat({"[run]\nduration = 2 s\nkernel = 6.12.17\n", tail});
  auto ok = parse_scenario(with, "x.scn");
  INFO(ok.message());
  REQUIRE(ok.ok());
  REQUIRE(ok->kernel.has_value());
  CHECK(*ok->kernel == control::kernel_version{6, 12, 17});
  CHECK(ok->kernel_line == 3U);
  auto none = parse_scenario(minimal, "x.scn");
  REQUIRE(none.ok());
  CHECK_FALSE(none->kernel.has_value());

  const auto error_of = [](const std::string& text) {
    auto r = parse_scenario(text, "x.scn");
    REQUIRE_FALSE(r.ok());
    return r.message();
  };
  CHECK(error_of(cat({"[run]\nduration = 2 s\nkernel = 6.12.x\n", tail})) ==
        "x.scn:3: bad kernel version '6.12.x' (expected MAJOR.MINOR[.PATCH], e.g. 6.12 or 6.12.18)");
  CHECK(error_of(cat({"[run]\nduration = 2 s\n\nkernel = 6.8\n", tail})) ==
        "x.scn:4: kernel 6.8.0 is older than 6.12.0: thermo models the thermal framework from Linux 6.12 on (only thermo "
        "audit takes older kernels)");
  CHECK(error_of(cat({"[run]\nduration = 2 s\nkernal = 6.12\n", tail})).find("kernel") != std::string::npos);  // listed key
}

TEST_CASE("a simulation's governors get the scenario's kernel behaviour", "[kernel][scenario]") {
  const std::string tail = after_run();
  for (const std::string_view version : {"6.12.17", "6.12.57", "6.13"}) {
    for (const std::string_view governor : {"power_allocator", "step_wise"}) {
      const std::string text = cat({"[run]\nduration = 2 s\nkernel = ", version, "\n", tail, "governor = ", governor, "\n"});
      auto s = parse_scenario(text, "x.scn");
      INFO(s.message());
      REQUIRE(s.ok());
      auto src = load_preset(s->preset);
      REQUIRE(src.ok());
      auto b = build_simulation(*s, *src);
      INFO(b.message());
      REQUIRE(b.ok());
      REQUIRE((*b)->governors.size() == 1U);
      auto& slot = (*b)->governors.front();
      const control::kernel_behaviour want = control::kernel_behaviour_of(*control::parse_kernel_version(version));
      CHECK(slot.behaviour() == want);
      // (pointers checked again after REQUIRE: gcc 12 -O3 -Wnull-dereference does not see through it)
      if (governor == "power_allocator") {
        const auto* pa = slot.get<control::power_allocator<16>>();
        REQUIRE(pa != nullptr);
        CHECK((pa != nullptr && pa->behaviour() == want));
      } else {
        const auto* sw = slot.get<control::runtime_step_wise>();
        REQUIRE(sw != nullptr);
        CHECK((sw != nullptr && sw->variant() == want.step_wise));
      }
    }
  }
}

TEST_CASE("replaying HiKey960 under 6.12.17 splits the budget by the unweighted requests: other cooling states",
          "[kernel][replay]") {
  const std::string fixed = hikey_replay(control::kernel_behaviour{});
  const std::string broken = hikey_replay(control::kernel_behaviour_of({6, 12, 17}));
  CHECK(hikey_replay(control::kernel_behaviour_of({6, 12, 18})) == fixed);  // the fix's backport
  CHECK(hikey_replay(control::kernel_behaviour_of({6, 14, 0})) == fixed);
  CHECK(hikey_replay(control::kernel_behaviour_of({6, 13, 5})) == broken);
  // step 2 (76 °C, the first round above control): power_range 3960 mW; requests 980 (little,
  // weight 1024) and 6284 mW (big, weight 512) → weighted 980 + 3142 = 4122.
  // 6.12.117: little (980·3960 + 2061) / 4122 = 941 → state 1, big (3142·3960 + 2061) / 4122 = 3019 → state 3.
  // 6.12.17:  big (6284·3960 + 2061) / 4122 = 6037 → state 1 (the little is the same 941).
  CHECK(row_of(fixed, 3) == "2,76000,up:1,74000,2147483647,100,1,3,-1024000,-460000,-92000,0,3960,980,980,941,6284,6284,3019");
  CHECK(row_of(broken, 3) == "2,76000,up:1,74000,2147483647,100,1,1,-1024000,-460000,-92000,0,3960,980,980,941,6284,6284,6037");
}
