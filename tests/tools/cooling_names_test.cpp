// One name per cooling device in every output of the tool — the kernel's (Linux 6.12 keeps a
// cooling device's whole type: "cpufreq-cpu0", "devfreq-ff9a0000.gpu", "pwm-fan") — in `info`,
// in replay's columns (inputs and outputs) and in simulate's trace and metrics; a column naming a
// device the old way (by its device-tree node) gets an error naming the column to write; the
// tool's governor lists are the registry's.
#include <algorithm>
#include <array>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "replay.hpp"
#include "simulate.hpp"
#include "system_source.hpp"
#include "zone_system.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

system_source rk3399_dtb() {
  auto s = load_dtb(std::string(THERMO_DTB_DIR) + "/rk3399-rock960.dtb");
  INFO(s.message());
  REQUIRE(s.ok());
  return std::move(*s);
}

std::string header_of(const std::string& csv) { return csv.substr(0, csv.find('\n')); }

}  // namespace

TEST_CASE("The RK3399 GPU is devfreq-ff9a0000.gpu in info, replay and simulate", "[replay][scenario][cli]") {
  const std::string kernel = "devfreq-ff9a0000.gpu";
  const system_source src = rk3399_dtb();
  CHECK(src.description().cooling_devices[2].name == kernel);

  // info
  CHECK(info_text(src).find("cooling device " + kernel + " on /gpu@ff9a0000: max_state 5\n") != std::string::npos);
  CHECK(info_text(src).find("    /gpu@ff9a0000 <no-limit no-limit> -> " + kernel + "\n") != std::string::npos);

  // replay: its state, actor and input columns
  auto sys = zone_system::build(src.description(), src.dt(), "gpu-thermal", "power_allocator");
  REQUIRE(sys.ok());
  REQUIRE((*sys)->devices().size() == 1);
  CHECK((*sys)->devices()[0].column == kernel);
  auto tr = parse_trace("temperature,load:" + kernel + ",freq:" + kernel + "\n80000,50,800000\n", "t.csv", **sys);
  INFO(tr.message());
  REQUIRE(tr.ok());
  const auto out = run_replay(**sys, *tr);
  REQUIRE(out.ok());
  CHECK(header_of(*out) == "step,temperature,crossings,window_low,window_high,poll_ms,state:" + kernel +
                               ",err,p,i,d,power_range,requested:" + kernel + ",max:" + kernel + ",granted:" + kernel);

  // simulate: the trace's state column and the metrics
  const auto scn = parse_scenario(
      "[run]\nduration = 1 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n[heat gpu]\nnodes = gpu\n"
      "[sensor s1]\nnode = gpu\n[zone gpu-thermal]\nsensor = s1\n",
      "x.scn");
  REQUIRE(scn.ok());
  auto preset = load_preset("rk3399");
  REQUIRE(preset.ok());
  auto b = build_simulation(*scn, *preset);
  INFO(b.message());
  REQUIRE(b.ok());
  static_cast<void>((*b)->sim.run_until(sim_time{scn->duration}));
  std::ostringstream csv;
  io::write_csv((*b)->rec, csv);
  CHECK(header_of(csv.str()).ends_with(",state_" + kernel));  // the last column
  CHECK(metrics_json(**b).find("{\"name\": \"" + kernel + "\", \"transitions\"") != std::string::npos);
}

TEST_CASE("A replay column naming a device by its node says which column to write", "[replay]") {
  const system_source src = rk3399_dtb();
  auto sys = zone_system::build(src.description(), src.dt(), "gpu-thermal", "step_wise");
  REQUIRE(sys.ok());
  const auto err = [&](const std::string& header) { return parse_trace(header + "\n80000,50\n", "t.csv", **sys).message(); };
  CHECK(err("temperature,load:gpu@ff9a0000") ==
        "t.csv:1: column 'load:gpu@ff9a0000': devices are named as the kernel names them: write "
        "'load:devfreq-ff9a0000.gpu'");
  CHECK(err("temperature,freq:/gpu@ff9a0000") ==
        "t.csv:1: column 'freq:/gpu@ff9a0000': devices are named as the kernel names them: write "
        "'freq:devfreq-ff9a0000.gpu'");
  // a name that is neither gets the old answer
  CHECK(err("temperature,load:gpu") == "t.csv:1: column 'load:gpu': expected cpuN or a devfreq device bound to the zone");

  // through the command, as one line
  namespace fs = std::filesystem;
  const fs::path trace = fs::path(THERMO_BINARY_DIR) / "cooling_names_old_column.csv";
  {
    std::ofstream f(trace);
    f << "temperature,load:gpu@ff9a0000\n80000,50\n";
  }
  std::ostringstream e;
  CHECK(dispatch("replay", {"--soc", "rk3399", "--zone", "gpu-thermal", "--input", trace.string()}, e) == exit_failure);
  CHECK(e.str() == "thermo replay: " + trace.string() +
                       ":1: column 'load:gpu@ff9a0000': devices are named as the kernel names them: write "
                       "'load:devfreq-ff9a0000.gpu'\n");
  fs::remove(trace);
}

TEST_CASE("Two cooling devices of one kernel type get one column each", "[replay]") {
  // an Odroid-XU4 with a second pwm-fan (on /fan1) bound to cpu0-thermal's first trip
  const schema::soc_description& xu4 = presets::exynos5422;
  std::vector<schema::cooling_device_desc> cdevs(xu4.cooling_devices.begin(), xu4.cooling_devices.end());
  schema::cooling_device_desc second = cdevs[3];
  REQUIRE(second.name == "pwm-fan");
  second.node = "/fan1";
  cdevs.push_back(second);
  const schema::thermal_zone_desc& z0 = xu4.thermal_zones[0];
  std::vector<schema::cooling_map_desc> maps(z0.cooling_maps.begin(), z0.cooling_maps.end());
  const std::array<schema::cooling_map_entry, 1> fan1{{{"/fan1", 0, 1, static_cast<std::int16_t>(cdevs.size() - 1)}}};
  maps.push_back({"map-fan1", 0, 0, fan1});
  std::vector<schema::thermal_zone_desc> zones(xu4.thermal_zones.begin(), xu4.thermal_zones.end());
  zones[0].cooling_maps = maps;
  schema::soc_description soc = xu4;
  soc.cooling_devices = cdevs;
  soc.thermal_zones = zones;
  auto sys = zone_system::build(soc, nullptr, "cpu0-thermal", "step_wise");
  INFO(sys.message());
  REQUIRE(sys.ok());
  std::vector<std::string> columns;
  for (const bound_device& d : (*sys)->devices()) {
    columns.push_back(d.column);
  }
  CHECK(columns == std::vector<std::string>{"pwm-fan", "cpufreq-cpu0", "cpufreq-cpu4", "pwm-fan(/fan1)"});
}

TEST_CASE("The tool lists the registry's governors", "[replay][scenario][cli]") {
  CHECK(unknown_governor("ondemand") == "unknown governor 'ondemand' (step_wise, bang_bang, fair_share, user_space, power_allocator)");
  for (const std::string_view g : cli_governors::names) {
    INFO(g);
    CHECK(replay_help.find(g) != std::string_view::npos);
    CHECK(zone_system::build(presets::rk3399, nullptr, "cpu-thermal", g).ok());
  }
}
