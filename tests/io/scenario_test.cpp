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
