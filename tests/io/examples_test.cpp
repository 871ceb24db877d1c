// Runs the examples that write plots and checks what they print and that every SVG is
// well-formed XML.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "support/xml_check.hpp"

#ifdef THERMO_EXAMPLES_DIR
namespace {
std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
std::string run(const std::string& cmd, int& status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");  // NOLINT(cert-env33-c): test runs our own example binary
  REQUIRE(p != nullptr);
  char buf[4096];  // NOLINT(cppcoreguidelines-avoid-c-arrays)
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    out.append(buf, n);
  }
  status = pclose(p);
  return out;
}
}  // namespace

TEST_CASE("die_package_board prints time constants, a trip crossing and writes a valid SVG", "[examples]") {
  const std::string svg = std::string(THERMO_BINARY_DIR) + "/die_package_board_test.svg";
  std::remove(svg.c_str());
  int status = -1;
  const std::string out = run(std::string(THERMO_EXAMPLES_DIR) + "/die_package_board --plot " + svg, status);
  INFO(out);
  REQUIRE(status == 0);
  CHECK(out.find("time constants:") != std::string::npos);
  CHECK(out.find("reaches the 60.0 °C trip after") != std::string::npos);
  CHECK(out.find("exact vs RK4 (1 ms)") != std::string::npos);
  const std::string doc = slurp(svg);
  REQUIRE_FALSE(doc.empty());
  CHECK(thermo::test::xml_check(doc).empty());
}

TEST_CASE("die_package_board rejects bad arguments with a usage message", "[examples]") {
  int status = -1;
  const std::string out = run(std::string(THERMO_EXAMPLES_DIR) + "/die_package_board --bogus 2>&1", status);
  CHECK(status != 0);
  CHECK(out.find("usage:") != std::string::npos);
}
#endif
