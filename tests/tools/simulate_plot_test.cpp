// `thermo simulate --plot`: the figure of every example scenario run for 20 minutes is small
// (well under 2 MB), well-formed, in plain words, with its scripted events marked, one label per
// trip temperature, and the same bytes on a second run.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "commands.hpp"
#include "simulate.hpp"
#include "support/xml_check.hpp"

using namespace thermo;
using namespace thermo::cli;

namespace {

std::string slurp(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::size_t count(const std::string& doc, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t p = doc.find(what); p != std::string::npos; p = doc.find(what, p + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("the simulate plot of a 20-minute example scenario is small, plain and marks its events", "[scenario][cli][plot]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(THERMO_BINARY_DIR) / "simulate_plot_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path examples = fs::path(THERMO_TEST_DATA_DIR) / "../../examples/scenarios";
  for (const char* name : {"rk3399-big-cores-flat-out", "exynos5422-fan-failure"}) {
    INFO(name);
    // The example, run for 20 minutes.
    std::string text = slurp(examples / (std::string(name) + ".scn"));
    text = std::regex_replace(text, std::regex("\nduration = [^\n]*"), "\nduration = 20 min");
    const fs::path scn = dir / (std::string(name) + ".scn");
    std::ofstream(scn) << text;
    std::string docs[2];
    for (std::string& doc : docs) {
      const fs::path svg = dir / (std::string(name) + ".svg");
      fs::remove(svg);
      std::ostringstream err;
      REQUIRE(dispatch("simulate", {scn.string(), "--plot", svg.string(), "--trace", (dir / "t.csv").string(), "--metrics",
                                    (dir / "m.json").string()},
                       err) == exit_ok);
      doc = slurp(svg);
    }
    const std::string& doc = docs[0];
    CHECK(docs[1] == doc);  // deterministic
    INFO(name << ": " << doc.size() << " bytes");
    CHECK(doc.size() < 500'000);
    CHECK(test::xml_check(doc).empty());
    for (const char* raw : {"sensed_", ">f_", ">P_", "state_", "(sensed)"}) {
      INFO(raw);
      CHECK(doc.find(raw) == std::string::npos);
    }
    CHECK(doc.find("Temperature (°C)") != std::string::npos);
    CHECK(doc.find("Cooling state") != std::string::npos);
    CHECK(doc.find("big frequency (MHz)") != std::string::npos);
    CHECK(doc.find("big power (W)") != std::string::npos);
    if (std::string(name) == "rk3399-big-cores-flat-out") {
      CHECK(count(doc, ">ambient 40 °C<") == 1);
      CHECK(doc.find("tsadc0 sensed temperature") != std::string::npos);
      // Both zones trip at 75 °C (passive) and 95 °C (critical): one label each.
      CHECK(count(doc, "cpu-thermal trip 1, gpu-thermal trip 0 (passive): 75 °C") == 1);
      CHECK(count(doc, ": 75 °C<") == 1);
      CHECK(count(doc, ": 95 °C<") == 1);
      // The power allocator dithers the big cluster between two OPPs: drawn as bands.
      CHECK(doc.find("<polygon class=\"band\"") != std::string::npos);
    } else {
      CHECK(count(doc, ">pwm-fan fails<") == 1);
      CHECK(doc.find(">pwm-fan<") != std::string::npos);  // the fan's state, by its kernel name
    }
  }
  fs::remove_all(dir);
}
