// `thermo simulate`: the scenario format (every rule it enforces, each error naming the line),
// the example scenarios in examples/scenarios/ (they parse, build and run), and the command's
// outputs (written whole, or nothing on failure).
#include <catch2/catch.hpp>
#include <algorithm>
#include <vector>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "commands.hpp"
#include "scenario.hpp"
#include "simulate.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

const std::string minimal =
    "[run]\nduration = 2 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n"
    "[heat big]\nnodes = big\n[sensor s0]\nnode = big\n[zone cpu-thermal]\nsensor = s0\n";

std::string parse_error(const std::string& text) {
  auto s = parse_scenario(text, "x.scn");
  REQUIRE_FALSE(s.ok());
  return s.message();
}

std::string build_error(const std::string& text) {
  auto s = parse_scenario(text, "x.scn");
  INFO(s.message());
  REQUIRE(s.ok());
  auto src = load_preset(s->preset);
  REQUIRE(src.ok());
  auto b = build_simulation(*s, *src);
  REQUIRE_FALSE(b.ok());
  return b.message();
}

std::string examples_dir() { return std::string(THERMO_TEST_DATA_DIR) + "/../../examples/scenarios"; }

}  // namespace

TEST_CASE("Durations take s, ms, us, ns, min and h", "[scenario]") {
  CHECK(parse_duration("600 s") == sim_duration(std::chrono::seconds(600)));
  CHECK(parse_duration("100ms") == sim_duration(std::chrono::milliseconds(100)));
  CHECK(parse_duration("2 min") == sim_duration(std::chrono::minutes(2)));
  CHECK(parse_duration("1.5 h") == sim_duration(std::chrono::minutes(90)));
  CHECK(parse_duration("250 us") == sim_duration(std::chrono::microseconds(250)));
  CHECK(parse_duration("7 ns") == sim_duration(7));
  CHECK(parse_duration("0.001 s") == sim_duration(std::chrono::milliseconds(1)));
  CHECK_FALSE(parse_duration("10").has_value());
  CHECK_FALSE(parse_duration("10 days").has_value());
  CHECK_FALSE(parse_duration("-1 s").has_value());
  CHECK_FALSE(parse_duration("s").has_value());
}

TEST_CASE("A minimal scenario parses into its parts", "[scenario]") {
  auto s = parse_scenario(minimal + "# comment\n[workload w]\ntype = phased\ncluster = big\nphases = 10 s 1.0 x1, 5 s 0.25\n"
                                    "repeat = forever\n[events]\n1 s = ambient 40   # warmer\n1 s = trip cpu-thermal 1 80000\n",
                          "dir/x.scn");
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(s->dir == "dir");
  CHECK(s->duration == sim_duration(std::chrono::seconds(2)));
  CHECK(s->preset == "rk3399");
  CHECK(s->reference == "rk3399_board");
  REQUIRE(s->workloads.size() == 1);
  REQUIRE(s->workloads[0].phases.size() == 2);
  CHECK(s->workloads[0].phases[0].active_cores == 1);
  CHECK(s->workloads[0].phases[1].active_cores == 0);  // every core of the cluster
  CHECK(s->workloads[0].phases[1].utilization == 0.25);
  CHECK(s->workloads[0].repeat == 0);
  REQUIRE(s->events.size() == 2);
  CHECK(s->events[0].action == "ambient");
  CHECK(s->events[0].args == std::vector<std::string>{"40"});
  CHECK(s->events[1].line == 21);
}

TEST_CASE("Scenario syntax errors name the file and line", "[scenario]") {
  CHECK(parse_error("duration = 1 s\n") == "x.scn:1: 'duration' outside any [section]");
  CHECK(parse_error("[run]\nduration\n") == "x.scn:2: expected 'key = value' or a [section]");
  CHECK(parse_error("[run\n") == "x.scn:1: a section header must end with ']'");
  CHECK(parse_error("[runner]\n") ==
        "x.scn:1: unknown section [runner] (run, soc, plant, node, links, heat, sensor, zone, fan, workload, events, output)");
  CHECK(parse_error("[node]\n") == "x.scn:1: [node NAME] needs exactly one name");
  CHECK(parse_error("[run x]\n") == "x.scn:1: [run] takes no name");
  CHECK(parse_error("[run]\nlength = 1 s\n") ==
        "x.scn:2: unknown key 'length' in [run] (duration, record_interval, ambient, mode, step, apply_cooling, title, kernel)");
  CHECK(parse_error("[run]\nduration = 10\n") == "x.scn:2: bad duration '10' (a duration such as 600 s, 100 ms, 2 min)");
  CHECK(parse_error("[run]\nambient = hot\n") == "x.scn:2: bad ambient 'hot' (a number in °C within -100..200)");
  CHECK(parse_error("[run]\nmode = exact\n") == "x.scn:2: bad mode 'exact' (event_driven or fixed_step)");
  CHECK(parse_error("[node a]\ncapacitance = 1\n[node a]\n") == "x.scn:3: [node a] appears twice (first at line 1)");
  CHECK(parse_error("[node a]\ncapacitance = -1\n") == "x.scn:2: bad capacitance '-1' (a number in J/K, > 0)");
  CHECK(parse_error("[links]\na b = 1\n") == "x.scn:2: a link is written 'A - B = conductance' (W/K)");
  CHECK(parse_error("[zone z]\ngovernor = ondemand\n") ==
        "x.scn:2: unknown governor 'ondemand' (step_wise, bang_bang, fair_share, user_space, power_allocator)");
  CHECK(parse_error("[zone z]\nenabled = maybe\n") == "x.scn:2: bad enabled 'maybe' (yes or no)");
  CHECK(parse_error("[sensor s]\nresolution = 0\n") == "x.scn:2: bad resolution '0' (an integer within 1..100000)");
  CHECK(parse_error("[workload w]\ntype = bursty\n") == "x.scn:2: unknown workload type 'bursty' (constant, phased, trace, inference, boot)");
  CHECK(parse_error("[workload w]\nphases = 10 s 2.0\n") ==
        "x.scn:2: bad phase '10 s 2.0' (DURATION UTILISATION [xCORES], duration > 0, utilisation 0..1)");
  CHECK(parse_error("[workload w]\nphases = 10 s 1 2\n") == "x.scn:2: bad phase '10 s 1 2' (the core count is written x2)");
  CHECK(parse_error("[events]\nsoon = ambient 40\n") == "x.scn:2: bad event time 'soon' (a duration such as 600 s, 100 ms, 2 min)");
  CHECK(parse_error("[events]\n1 s =\n") == "x.scn:2: an event needs an action");
  CHECK(parse_error("[plant]\nreference = pi4\n") == "x.scn:2: unknown reference plant 'pi4' (rk3399_board)");
  CHECK(parse_error("[output]\nlog = x\n") == "x.scn:2: unknown key 'log' in [output] (trace, metrics, plot)");
}

TEST_CASE("Scenario consistency errors name the section that is wrong", "[scenario]") {
  CHECK(parse_error("[soc]\npreset = rk3399\n") == "x.scn: [run] needs a duration");
  CHECK(parse_error("[run]\nduration = 1 s\n[soc]\npreset = rk3399\ndtb = b.dtb\n") ==
        "x.scn:3: [soc] needs exactly one of preset = ID and dtb = FILE");
  CHECK(parse_error("[run]\nduration = 1 s\n[soc]\npreset = rk3399\n") ==
        "x.scn: the plant has no node: add [node NAME] sections or [plant] reference = rk3399_board");
  const std::string head = "[run]\nduration = 1 s\n[soc]\npreset = rk3399\n";
  CHECK(parse_error(head + "[node a]\nto_ambient = 1\n") == "x.scn:5: [node a] needs a capacitance (J/K)");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[links]\na - b = 1\n") == "x.scn:8: link names unknown node 'b'");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[links]\na - a = 1\n") == "x.scn:8: a link joins two different nodes");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[heat big]\nnodes = b\n") == "x.scn:7: [heat big] names unknown node 'b'");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[sensor s]\n") == "x.scn:7: [sensor s] needs nodes = NAME [WEIGHT], …");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[zone z]\nsensor = s\n") == "x.scn:7: [zone z] names unknown sensor 's'");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[sensor s]\nnode = a\n[zone y]\nsensor = s\n[zone z]\nsensor = s\n") ==
        "x.scn:11: [zone z]: sensor 's' already serves another zone");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[workload w]\ntype = constant\n") == "x.scn:7: [workload w] needs cluster = NAME");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[workload w]\ntype = trace\ncluster = big\n") ==
        "x.scn:7: [workload w] (trace) needs file = TRACE.csv");
  CHECK(parse_error(head + "[node a]\ncapacitance = 1\n[fan f]\nnode = a\noff = 2\nfull = 1\n") == "x.scn:7: [fan f]: full must be ≥ off");
}

TEST_CASE("Errors found while building the simulation name the scenario line", "[scenario]") {
  CHECK(build_error(minimal + "[heat cpu7]\nnodes = soc\n") ==
        "x.scn:13: [heat cpu7]: the SoC has no cluster or device of that name (little, big, gpu)");
  CHECK(build_error(minimal + "[sensor s1]\nnode = gpu\n[zone npu-thermal]\nsensor = s1\n") ==
        "x.scn:15: [zone npu-thermal]: the SoC has no such zone (cpu-thermal, gpu-thermal)");
  CHECK(build_error(minimal + "[workload w]\ncluster = little\n") ==
        "x.scn:13: [workload w]: cluster 'little' is not simulated (give it a [heat little] section)");
  CHECK(build_error(minimal + "[events]\n1 s = ambient\n") == "x.scn:14: event 'ambient' takes one temperature in °C");
  CHECK(build_error(minimal + "[events]\n1 s = fan-failure pwm-fan\n") == "x.scn:14: event 'fan-failure' names no simulated fan");
  CHECK(build_error(minimal + "[events]\n1 s = explode\n") ==
        "x.scn:14: unknown event 'explode' (ambient, power, fan-failure, fan-restore, sensor-fault, sensor-restore, zone-enable, "
        "zone-disable, trip)");
  CHECK(build_error(minimal + "[events]\n1 s = sensor-fault s0 melted\n") ==
        "x.scn:14: event 'sensor-fault' takes SENSOR try_again | hard_error | stuck M°C | spike M°C");
  CHECK(build_error(minimal + "[fan pwm-fan]\nnode = soc\n") == "x.scn:13: [fan pwm-fan]: the SoC has no fan of that name");
  CHECK(build_error(minimal + "[workload w]\ntype = trace\ncluster = big\nfile = /nonexistent.csv\n")
            .find("x.scn:13: [workload w]: ") == 0);
}

TEST_CASE("The example scenarios parse, build and run", "[scenario]") {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(examples_dir())) {
    if (e.path().extension() != ".scn") {
      continue;
    }
    INFO(e.path().string());
    const auto text = read_input(e.path().string());
    REQUIRE(text.ok());
    auto s = parse_scenario(*text, e.path().string());
    INFO(s.message());
    REQUIRE(s.ok());
    auto src = s->dtb.empty() ? load_preset(s->preset) : load_dtb(cli::detail::resolve(*s, s->dtb));
    REQUIRE(src.ok());
    auto b = build_simulation(*s, *src);
    INFO(b.message());
    REQUIRE(b.ok());
    CHECK((*b)->sim.run_until(sim_time{s->duration}) == sim::run_status::running);
    const auto m = (*b)->sim.metrics();
    CHECK(m.energy_j > 0.0);
    CHECK(m.zones[0].updates > 0);
    ++n;
  }
  CHECK(n >= 2);
}

TEST_CASE("A fan failure in the scenario heats the board", "[scenario]") {
  const auto text = read_input(examples_dir() + "/exynos5422-fan-failure.scn");
  REQUIRE(text.ok());
  const auto run = [&](bool fail_fan) {
    std::string t = *text;
    if (!fail_fan) {
      t = t.substr(0, t.find("[events]"));
    }
    auto s = parse_scenario(t, "fan.scn");
    REQUIRE(s.ok());
    auto src = load_preset(s->preset);
    REQUIRE(src.ok());
    auto b = build_simulation(*s, *src);
    REQUIRE(b.ok());
    static_cast<void>((*b)->sim.run_until(sim_time{s->duration}));
    return (*b)->sim.metrics().zones[0].peak_c;
  };
  CHECK(run(true) > run(false) + 3.0);
}

TEST_CASE("thermo simulate writes trace, metrics and plot whole, and nothing for a bad scenario", "[scenario][cli]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(THERMO_BINARY_DIR) / "simulate_cli_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string scn = (dir / "s.scn").string();
  {
    std::ofstream f(scn);
    f << minimal << "[workload w]\ncluster = big\n[output]\ntrace = " << (dir / "t.csv").string() << "\n";
  }
  std::ostringstream err;
  const std::string metrics = (dir / "m.json").string();
  const std::string plot = (dir / "p.svg").string();
  CHECK(dispatch("simulate", {scn, "--metrics", metrics, "--plot", plot}, err) == exit_ok);
  CHECK(err.str().empty());
  const auto csv = read_input((dir / "t.csv").string());
  REQUIRE(csv.ok());
  CHECK(csv->substr(0, 24) == "time_s,event,source,T_bi");
  const auto json = read_input(metrics);
  REQUIRE(json.ok());
  CHECK(json->find("\"zones\": [\n    {\"name\": \"cpu-thermal\"") != std::string::npos);
  const auto svg = read_input(plot);
  REQUIRE(svg.ok());
  CHECK(svg->find("<svg") != std::string::npos);
  CHECK(svg->find("</svg>") != std::string::npos);

  {
    std::ofstream f(scn);
    f << minimal << "[events]\n1 s = explode\n";
  }
  fs::remove(metrics);
  std::ostringstream err2;
  CHECK(dispatch("simulate", {scn, "--metrics", metrics}, err2) == exit_failure);
  CHECK(err2.str().find(scn + ":14: unknown event 'explode'") != std::string::npos);
  CHECK_FALSE(fs::exists(metrics));
  std::ostringstream err3;
  CHECK(dispatch("simulate", {}, err3) == exit_usage);
  CHECK(err3.str() == "thermo simulate: give one scenario file (see thermo simulate --help)\n");
  std::ostringstream err4;
  CHECK(dispatch("simulate", {"/nonexistent.scn"}, err4) == exit_failure);
  CHECK(err4.str() == "thermo simulate: cannot read '/nonexistent.scn': No such file or directory\n");
  fs::remove_all(dir);
}

TEST_CASE("thermo simulate writes only the outputs asked for", "[scenario][cli]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(THERMO_BINARY_DIR) / "simulate_cli_nothing_asked";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string scn = (dir / "s.scn").string();
  {
    std::ofstream f(scn);
    f << minimal << "[workload w]\ncluster = big\n";
  }
  const auto files = [&] {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  };
  const fs::path cwd = fs::current_path();
  fs::current_path(dir);  // where the outputs used to default to
  std::ostringstream err;
  const int code = dispatch("simulate", {scn}, err);
  fs::current_path(cwd);
  CHECK(code == exit_ok);
  CHECK(err.str().empty());
  CHECK(files() == std::vector<std::string>{"s.scn"});

  // the [output] section asks for the metrics only
  {
    std::ofstream f(scn, std::ios::app);
    f << "[output]\nmetrics = " << (dir / "m.json").string() << "\n";
  }
  std::ostringstream err2;
  CHECK(dispatch("simulate", {scn}, err2) == exit_ok);
  CHECK(files() == std::vector<std::string>{"m.json", "s.scn"});
  // and an option asks for the plot too
  std::ostringstream err3;
  CHECK(dispatch("simulate", {scn, "--plot", (dir / "p.svg").string()}, err3) == exit_ok);
  CHECK(files() == std::vector<std::string>{"m.json", "p.svg", "s.scn"});
  fs::remove_all(dir);
}
