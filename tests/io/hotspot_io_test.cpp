// io/hotspot.hpp: number parsing, the CSV / trace / steady readers and the .ttrace writer.
#include <catch2/catch.hpp>

#include <array>
#include <cstdio>
#include <fstream>
#include <string>

#include "thermo/io/hotspot.hpp"

using namespace thermo;

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = std::string(THERMO_BINARY_DIR) + "/hotspot_io_test_" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace

TEST_CASE("parse_double accepts whole finite numbers only", "[hotspot][io]") {
  CHECK(io::parse_double("1.5") == 1.5);
  CHECK(io::parse_double(" -2e-3\t") == -2e-3);
  CHECK(io::parse_double("+7") == 7.0);
  CHECK_FALSE(io::parse_double(""));
  CHECK_FALSE(io::parse_double("1.5x"));
  CHECK_FALSE(io::parse_double("nan"));
  CHECK_FALSE(io::parse_double("inf"));
  CHECK_FALSE(io::parse_double("1e999"));
  CHECK_FALSE(io::parse_double("--1"));
}

TEST_CASE("format_ttrace_row prints two decimals, tab separated", "[hotspot][io]") {
  const std::array<double, 3> v{324.524, 0.005, -1.0};
  CHECK(io::format_ttrace_row(v) == "324.52\t0.01\t-1.00");
  CHECK(io::format_ttrace_row(std::span<const double>{}).empty());
}

// Found by the hotspot fuzz target (fuzz/regressions/hotspot/ttrace-row-value-wider-than-64-chars.ptrace):
// a value wider than the 64-byte buffer was appended with snprintf's untruncated length, reading
// past the buffer and printing garbage.
TEST_CASE("format_ttrace_row prints every digit of the widest finite values", "[hotspot][io]") {
  const std::array<double, 3> v{5.55e109, -1.7976931348623157e308, 2.5};
  const std::string row = io::format_ttrace_row(v);
  const auto fields = io::split(row, '\t');
  REQUIRE(fields.size() == 3);
  for (std::size_t k = 0; k < v.size(); ++k) {
    INFO(k);
    const int width = std::snprintf(nullptr, 0, "%.2f", v[k]);
    CHECK(fields[k].size() == static_cast<std::size_t>(width));
    CHECK(io::parse_double(fields[k]) == v[k]);  // every digit is there: it reads back exactly
  }
  CHECK(fields[1].size() == 313);  // "-1797…" : sign, 309 digits, ".00"
}

TEST_CASE("network CSVs load with CRLF line ends, and sparse g_amb fills zeros", "[hotspot][io]") {
  const auto g = write_temp("G.csv", "2,-1,0\r\n-1,2,-1\r\n0,-1,1.5\r\n");
  const auto c = write_temp("C.csv", "index,node,capacitance\r\n0,x,1\r\n1,y,2\r\n2,z,3\r\n");
  const auto a = write_temp("A.csv", "index,node,g\r\n2,z,0.5\r\n0,x,1\r\n");
  io::hotspot_network net;
  const auto e = io::load_hotspot_network(g, c, a, net);
  INFO(e.message);
  REQUIRE(e.ok());
  CHECK(net.size() == 3);
  CHECK(net.names[2] == "z");
  CHECK(net.find("y") == 1U);
  CHECK_FALSE(net.find("w"));
  CHECK(net.conductance[1 * 3 + 2] == -1.0);
  CHECK(net.capacitance[2] == 3.0);
  CHECK(net.ambient_conductance == std::vector<double>{1.0, 0.0, 0.5});
}

TEST_CASE("network CSV errors name the file and line", "[hotspot][io][validation]") {
  const auto g = write_temp("G2.csv", "1,0\n0,1\n");
  const auto c = write_temp("C2.csv", "index,node,c\n0,x,1\n1,y,2\n");
  const auto a = write_temp("A2.csv", "index,node,g\n0,x,1\n");
  io::hotspot_network net;
  const auto check = [&](const std::string& gp, const std::string& cp, const std::string& ap, errc code,
                         const std::string& text) {
    const auto e = io::load_hotspot_network(gp, cp, ap, net);
    INFO(e.message);
    CHECK(e.code == code);
    CHECK(e.message.find(text) != std::string::npos);
  };
  check(g, c, a + ".missing", errc::io_error, "A2.csv.missing': No such file or directory");
  check(g, write_temp("C3.csv", "0,x,1\n"), a, errc::parse_error, "C3.csv:1: expected a header line");
  check(g, write_temp("C4.csv", "index,node,c\n0,x,1\n2,y,2\n"), a, errc::parse_error,
        "C4.csv:3: index 2 out of order (expected 1)");
  check(g, write_temp("C5.csv", "index,node,c\n0,x,1\n1,x,2\n"), a, errc::parse_error,
        "C5.csv:3: duplicate node name 'x'");
  check(g, write_temp("C6.csv", "index,node,c\n0,x,1\n1,y,two\n"), a, errc::parse_error,
        "C6.csv:3: bad number 'two'");
  check(g, write_temp("C7.csv", "index,node,c\n"), a, errc::parse_error, "C7.csv: no data rows");
  check(write_temp("G3.csv", "1,0\n0,1\n0,0\n"), c, a, errc::parse_error, "G3.csv:3: more than 2 rows");
  check(write_temp("G4.csv", "1,0\n"), c, a, errc::parse_error, "G4.csv: expected 2 rows, found 1");
  check(write_temp("G5.csv", "1,0\n0,1e400\n"), c, a, errc::parse_error, "G5.csv:2: bad number '1e400' in column 2");
  check(g, c, write_temp("A3.csv", "index,node,g\n5,x,1\n"), errc::parse_error, "A3.csv:2: index 5 out of range");
  check(g, c, write_temp("A4.csv", "index,node,g\n1,y,1\n1,y,1\n"), errc::parse_error, "A4.csv:3: index 1 given twice");
  check(g, c, write_temp("A5.csv", "index,node,g\n0.5,x,1\n"), errc::parse_error, "A5.csv:2: bad index '0.5'");
  check(g, c, write_temp("A6.csv", "index,node,g\n0,x\n"), errc::parse_error,
        "A6.csv:2: expected 3 comma-separated fields, found 2");
}

TEST_CASE("trace and steady readers keep the header and reject malformed rows", "[hotspot][io][validation]") {
  io::hotspot_trace tr;
  const auto ok = io::load_hotspot_trace(write_temp("t.ptrace", "a\tb\n1\t2\n\n3\t4.5\n"), tr);
  REQUIRE(ok.ok());
  CHECK(tr.header == "a\tb");
  CHECK(tr.rows() == 2);
  CHECK(tr.row(1)[1] == 4.5);
  CHECK(io::load_hotspot_trace(write_temp("t2.ptrace", ""), tr).message.find("empty file") != std::string::npos);
  CHECK(io::load_hotspot_trace(write_temp("t3.ptrace", "a\t1\n"), tr).message.find("t3.ptrace:1: expected a header") !=
        std::string::npos);
  CHECK(io::load_hotspot_trace(write_temp("t4.ptrace", "a\ta\n"), tr).message.find("duplicate column name 'a'") !=
        std::string::npos);
  CHECK(io::load_hotspot_trace(write_temp("t5.ptrace", "a\tb\n1\tx\n"), tr).message.find(
            "t5.ptrace:2: bad number 'x' in column 2 (b)") != std::string::npos);

  io::hotspot_steady st;
  REQUIRE(io::load_hotspot_steady(write_temp("s.steady", "a\t300.5\nb 301\n"), st).ok());
  CHECK(st.names == std::vector<std::string>{"a", "b"});
  CHECK(st.temperatures[1] == 301.0);
  CHECK(io::load_hotspot_steady(write_temp("s2.steady", "a 1 2\n"), st).message.find(
            "s2.steady:1: expected 'node temperature', found 3 fields") != std::string::npos);
  CHECK(io::load_hotspot_steady(write_temp("s3.steady", "a 1\na 2\n"), st).message.find("s3.steady:2: duplicate node 'a'") !=
        std::string::npos);
  CHECK(io::load_hotspot_steady(write_temp("s4.steady", "a hot\n"), st).message.find("bad temperature 'hot'") !=
        std::string::npos);
  CHECK(io::load_hotspot_steady(write_temp("s5.steady", "\n"), st).code == errc::parse_error);
}
