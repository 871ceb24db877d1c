// io/scenario.hpp: the scenario format read into plain records — each record with the line it
// starts on, the error with its line and the first problem in file order — and nothing built.
// (Every rule of the format and every message: tests/tools/scenario_test.cpp.)
#include <catch2/catch.hpp>
#include <string>

#include "thermo/io/scenario.hpp"

using namespace thermo;

TEST_CASE("A scenario becomes records that keep their lines", "[scenario][io]") {
  const std::string text =
      "# a comment\n[run]\nduration = 2 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n"
      "[sensor s0]\nnodes = big 0.75, soc\n\n[zone cpu-thermal]\nsensor = s0\n[zone gpu-thermal]\nsensor = s1\n"
      "governor = power_allocator\n[sensor s1]\nnode = gpu\n[events]\n1 s = fan-failure pwm-fan\n";
  io::scenario s;
  const io::text_error e = io::parse_scenario(text, "boards/x.scn", s);
  INFO(e.message);
  REQUIRE(e.ok());
  CHECK(s.source == "boards/x.scn");
  CHECK(s.dir == "boards");
  CHECK(s.soc_line == 4);
  REQUIRE(s.sensors.size() == 2);
  CHECK(s.sensors[0].line == 8);
  CHECK(s.sensors[0].probe[0].name == "big");
  CHECK(s.sensors[0].probe[0].weight == 0.75);
  CHECK(s.sensors[0].probe[1].weight == 1.0);
  REQUIRE(s.zones.size() == 2);
  CHECK(s.zones[0].governor == "step_wise");  // the kernel's default
  CHECK(s.zones[1].governor == "power_allocator");
  CHECK(s.zones[1].line == 13);
  REQUIRE(s.events.size() == 1);
  CHECK(s.events[0].action == "fan-failure");  // what it names is resolved by whoever builds
  CHECK(s.events[0].args == std::vector<std::string>{"pwm-fan"});
  CHECK(s.events[0].line == 19);
}

TEST_CASE("A scenario error carries its line, and the first problem in the file is the one reported",
          "[scenario][io]") {
  io::scenario s;
  s.title = "stale";
  const io::text_error e = io::parse_scenario("[run]\nduration = 1 s\n[zone z]\ngovernor = ondemand\n[bogus]\n", "x.scn", s);
  CHECK(e.code == errc::parse_error);
  CHECK(e.line == 4);
  CHECK(e.message == "x.scn:4: unknown governor 'ondemand' (" + std::string(control::kernel_governors<>::list) + ")");
  CHECK(s.title.empty());  // left empty on error
  const io::text_error whole = io::parse_scenario("[soc]\npreset = rk3399\n", "x.scn", s);
  CHECK(whole.line == 0);
  CHECK(whole.message == "x.scn: [run] needs a duration");
  const std::string head = "[run]\nduration = 1 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n";
  CHECK(io::parse_scenario(head + "[heat big]\nnodes = soc\n", "x.scn", s).ok());
  CHECK(io::parse_scenario(head + "[heat big]\nnodes = tsadc\n", "x.scn", s).message ==
        "x.scn:7: [heat big] names unknown node 'tsadc'");  // the reference plant's: big, little, gpu, soc, board
}

TEST_CASE("read_scenario reads a file and names it", "[scenario][io]") {
  io::scenario s;
  const std::string path = std::string(THERMO_TEST_DATA_DIR) + "/../../examples/scenarios/exynos5422-fan-failure.scn";
  const io::text_error ok = io::read_scenario(path, s);
  INFO(ok.message);
  REQUIRE(ok.ok());
  CHECK(s.source == path);
  CHECK(s.preset == "exynos5422");
  CHECK(s.fans.size() == 1);
  const io::text_error missing = io::read_scenario("/nonexistent.scn", s);
  CHECK(missing.code == errc::io_error);
  CHECK(missing.message == "cannot read '/nonexistent.scn': No such file or directory");
}

TEST_CASE("A scenario may start with a UTF-8 byte order mark", "[scenario][io]") {
  io::scenario s;
  const io::text_error e =
      io::parse_scenario("\xEF\xBB\xBF[run]\nduration = 2 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n", "bom.scn", s);
  INFO(e.message);
  REQUIRE(e.ok());
  CHECK(s.soc_line == 3);
}

TEST_CASE("[zone] keys and inference and boot workloads become records that keep their keys' lines", "[scenario][io]") {
  const std::string text =
      "[run]\nduration = 2 s\n[soc]\npreset = rk3399\n[plant]\nreference = rk3399_board\n[sensor s0]\nnode = big\n"
      "[zone cpu-thermal]\nsensor = s0\nsustainable_power = 1200\nk_po = 10\nk_pu = 20\nk_i = 3\nk_d = 4\n"   // 9..15
      "integral_cutoff = -500\npolling_delay = 2 s\npassive_delay = 50 ms\ntrip1 = 70000\ntrip0_hysteresis = 500\n"  // 16..20
      "trip1_hysteresis = 1000\nmap1_max = no_limit\nmap0_weight = 512\nmap1_min = 2\n"                             // 21..24
      "[workload net]\ntype = inference\ncluster = big\nmodel = Mobilenet_V1_1.0_224_quant\nframework = tvm\n"       // 25..29
      "arrivals = periodic\nperiod = 40 ms\noverload = drop\ncount = 9\nwindow = 2 s\nseed = 5\nthreads = 2\n"      // 30..36
      "[workload boot]\ntype = boot\ncluster = little\ncompressor = zstd\ncore = x86-64 (QEMU host)\ncompressed = no\n"  // 37..42
      "vmlinux = 2e7\nzimage = 5e6\nbandwidth = 100\nsetup = 20 ms\nload_utilization = 0\n";                        // 43..47
  io::scenario s;
  const io::text_error e = io::parse_scenario(text, "z.scn", s);
  INFO(e.message);
  REQUIRE(e.ok());
  const io::scenario_zone& z = s.zones.at(0);
  CHECK(z.sustainable_power == 1200);
  CHECK(z.k_po == 10);
  CHECK(z.k_pu == 20);
  CHECK(z.k_i == 3);
  CHECK(z.k_d == 4);
  CHECK(z.integral_cutoff == -500);
  CHECK(z.polling_delay == std::chrono::milliseconds(2000));
  CHECK(z.passive_delay == std::chrono::milliseconds(50));
  REQUIRE(z.trips.size() == 2);  // one record per trip index, in file order
  CHECK(z.trips[0].index == 1);
  CHECK(z.trips[0].temperature == 70000);
  CHECK(z.trips[0].hysteresis == 1000);
  CHECK(z.trips[0].line == 19);
  CHECK(z.trips[1].index == 0);
  CHECK_FALSE(z.trips[1].temperature.has_value());
  CHECK(z.trips[1].hysteresis == 500);
  REQUIRE(z.maps.size() == 2);
  CHECK(z.maps[0].index == 1);
  CHECK(z.maps[0].upper == 0xFFFF'FFFFU);  // no_limit
  CHECK(z.maps[0].lower == 2U);
  CHECK_FALSE(z.maps[0].weight.has_value());
  CHECK(z.maps[1].weight == 512U);
  CHECK(z.line_of("map1_min") == 24);
  CHECK(z.line_of("k_d") == 15);
  CHECK(z.line_of("trip5") == 9);  // a key not given: the section's line

  const io::scenario_workload& net = s.workloads.at(0);
  CHECK(net.type == io::scenario_workload_type::inference);
  CHECK(net.inference.model == "Mobilenet_V1_1.0_224_quant");
  CHECK(net.inference.framework == "tvm");
  CHECK(net.inference.arrivals == "periodic");
  CHECK(net.inference.period == std::chrono::milliseconds(40));
  CHECK(net.inference.overload == "drop");
  CHECK(net.inference.count == 9U);
  CHECK(net.inference.window == std::chrono::seconds(2));
  CHECK(net.inference.seed == 5U);
  CHECK(net.inference.threads == 2U);
  CHECK(net.line_of("threads") == 36);
  const io::scenario_workload& boot = s.workloads.at(1);
  CHECK(boot.type == io::scenario_workload_type::boot);
  CHECK(boot.boot.compressor == "zstd");
  CHECK(boot.boot.core == "x86-64 (QEMU host)");
  CHECK_FALSE(boot.boot.compressed);
  CHECK(boot.boot.vmlinux_bytes == 2e7);
  CHECK(boot.boot.zimage_bytes == 5e6);
  CHECK(boot.boot.bandwidth_mb_s == 100.0);
  CHECK(boot.boot.setup == std::chrono::milliseconds(20));
  CHECK(boot.boot.load_utilization == 0.0);
}
