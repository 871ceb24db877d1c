#include "thermo/workload/utilization_trace.hpp"

#include <array>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <limits>
#include <memory>
#include <string>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"
#include "thermo/io/utilization_csv.hpp"
#include "workload_driver.hpp"

using namespace thermo;
using namespace thermo::workload;
using std::chrono::milliseconds;
using std::chrono::seconds;

static_assert(Workload<utilization_trace<>>);

namespace {

using small_trace = utilization_trace<8, 4>;

bool what_is(const error& e, const char* text) {
  return std::strcmp(e.what, text) == 0;
}

constexpr std::array<sim_duration, 3> times{{sim_duration{0}, milliseconds(100), milliseconds(300)}};
constexpr std::array<double, 6> values{{0.5, 0.1, 1.0, 0.9, 0.0, 0.25}};

std::unique_ptr<small_trace> make_trace(const utilization_trace_config& c) {
  auto r = small_trace::make(times, values, 2, c);
  REQUIRE(r.has_value());
  return std::make_unique<small_trace>(*r);
}

std::array<double, 2> util_at(small_trace& t, sim_time& now, sim_time at) {
  domain_state s{1e9, 2e9, 1.0};
  thermo::test::drive(t, now, at, s);
  std::array<double, 2> u{-1, -1};
  t.utilization(now, u);
  return u;
}

io::csv_error parse(const std::string& text, io::utilization_table& t) {
  return io::parse_utilization_csv(text, "trace.csv", t);
}

}  // namespace

TEST_CASE("a trace replays its rows at their times, from start, and holds the last row",
          "[utilization_trace]") {
  utilization_trace_config c;
  c.start = sim_time{milliseconds(50)};
  auto t = make_trace(c);
  sim_time now{};
  domain_state s{1e9, 2e9, 1.0};
  CHECK(t->next_event(now, s) == sim_time{milliseconds(50)});
  std::array<double, 2> before{-1, -1};
  t->utilization(now, before);
  CHECK(before == std::array<double, 2>{0.0, 0.0});
  CHECK(util_at(*t, now, sim_time{milliseconds(60)}) == std::array<double, 2>{0.5, 0.1});
  CHECK(util_at(*t, now, sim_time{milliseconds(150)}) == std::array<double, 2>{1.0, 0.9});
  CHECK(t->next_event(now, s) == sim_time{milliseconds(350)});
  CHECK(util_at(*t, now, sim_time{seconds(100)}) == std::array<double, 2>{0.0, 0.25});
  CHECK(t->next_event(now, s) == never);
  CHECK(t->active_row() == 2U);
}

TEST_CASE("an idle-ending trace drops to zero at its duration", "[utilization_trace]") {
  utilization_trace_config c;
  c.at_end = trace_end::idle;
  c.duration = milliseconds(500);
  auto t = make_trace(c);
  sim_time now{};
  CHECK(util_at(*t, now, sim_time{milliseconds(499)}) == std::array<double, 2>{0.0, 0.25});
  CHECK(util_at(*t, now, sim_time{milliseconds(500)}) == std::array<double, 2>{0.0, 0.0});
  CHECK(t->next_event(now, domain_state{1e9, 2e9, 1.0}) == never);
  CHECK(t->active_row() == t->rows());
}

TEST_CASE("a repeating trace starts again every duration", "[utilization_trace]") {
  utilization_trace_config c;
  c.at_end = trace_end::repeat;
  c.duration = milliseconds(400);
  auto t = make_trace(c);
  sim_time now{};
  CHECK(util_at(*t, now, sim_time{milliseconds(450)}) == std::array<double, 2>{0.5, 0.1});
  CHECK(util_at(*t, now, sim_time{milliseconds(550)}) == std::array<double, 2>{1.0, 0.9});
  CHECK(t->repetitions() == 1U);
  CHECK(util_at(*t, now, sim_time{milliseconds(4050)}) == std::array<double, 2>{0.5, 0.1});
  CHECK(t->repetitions() == 10U);
}

TEST_CASE("trace tables with bad shapes, times or values are rejected with row and core",
          "[utilization_trace]") {
  utilization_trace_config c;
  CHECK(small_trace::make({}, {}, 2, c).error().code == errc::empty);
  CHECK(what_is(small_trace::make(times, values, 0, c).error(), "trace cores"));
  CHECK(small_trace::make(times, values, 5, c).error().code == errc::capacity_exceeded);
  CHECK(what_is(small_trace::make(times, std::span<const double>(values).first(5), 2, c).error(),
                "trace values"));
  const std::array<sim_duration, 9> many{};
  CHECK(what_is(small_trace::make(many, std::array<double, 9>{}, 1, c).error(), "trace rows"));
  {
    const std::array<sim_duration, 3> back{{sim_duration{0}, milliseconds(100), milliseconds(100)}};
    const auto e = small_trace::make(back, values, 2, c).error();
    CHECK(e.code == errc::not_increasing);
    CHECK(e.index == 2);
  }
  {
    const std::array<sim_duration, 3> neg{{-milliseconds(1), milliseconds(100), milliseconds(200)}};
    CHECK(small_trace::make(neg, values, 2, c).error().code == errc::negative);
  }
  {
    std::array<double, 6> v = values;
    v[3] = 1.5;
    const auto e = small_trace::make(times, v, 2, c).error();
    CHECK(e.code == errc::out_of_range);
    CHECK(what_is(e, "utilization"));
    CHECK(e.index == 1);
    CHECK(e.index2 == 1);
    v[3] = std::numeric_limits<double>::quiet_NaN();
    CHECK(small_trace::make(times, v, 2, c).error().code == errc::not_finite);
  }
  c.at_end = trace_end::repeat;
  c.duration = milliseconds(300);  // not after the last row
  CHECK(what_is(small_trace::make(times, values, 2, c).error(), "trace duration"));
  c = {};
  c.start = sim_time{-seconds(1)};
  CHECK(what_is(small_trace::make(times, values, 2, c).error(), "start"));
}

TEST_CASE("utilisation CSV parses units, comments, padding and CRLF", "[utilization_trace][csv]") {
  io::utilization_table t;
  const auto e = parse(
      "# recorded on a board\r\ntime_ms, cpu0 ,cpu1\r\n\r\n0,0.5,0.1\r\n 100 , 1 "
      ",+0.9\r\n250.5,0,0.25\r\n",
      t);
  INFO(e.message);
  REQUIRE(e.ok());
  CHECK(t.cpus == std::vector<std::string>{"cpu0", "cpu1"});
  REQUIRE(t.rows() == 3U);
  CHECK(t.times[1] == milliseconds(100));
  CHECK(t.times[2] == std::chrono::microseconds(250'500));
  CHECK(t.row(1)[1] == 0.9);
  io::utilization_table s;
  REQUIRE(parse("time_s,a\n0.000000001,1\n", s).ok());
  CHECK(s.times[0] == sim_duration{1});
  REQUIRE(parse("time_us,a\n3,1\n", s).ok());
  CHECK(s.times[0] == std::chrono::microseconds(3));
  REQUIRE(parse("time_ns,a\n7,1", s).ok());  // no final newline
  CHECK(s.times[0] == sim_duration{7});
}

TEST_CASE("malformed utilisation CSV is rejected with a message naming file and line",
          "[utilization_trace][csv]") {
  struct bad {
    const char* text;
    const char* message;
  };
  const std::array<bad, 13> cases{{
      {"", "trace.csv: empty file"},
      {"# only a comment\n\n", "trace.csv: empty file"},
      {"time_s,cpu0\n", "trace.csv: no data rows"},
      {"seconds,cpu0\n0,1\n",
       "trace.csv:1: first column must be time_s, time_ms, time_us or time_ns, found 'seconds'"},
      {"time_s\n0\n", "trace.csv:1: no CPU columns after 'time_s'"},
      {"time_s,cpu0,\n0,1,1\n", "trace.csv:1: empty name for column 3"},
      {"time_s,cpu0,cpu1\n0,0.5,0.5\n0.1,0.5\n", "trace.csv:3: expected 3 values, found 2"},
      {"time_s,cpu0,cpu1\n0,0.5,abc\n", "trace.csv:2: bad number 'abc' in column 3 (cpu1)"},
      {"time_s,cpu0,cpu1\n0,0.5,nan\n", "trace.csv:2: bad number 'nan' in column 3 (cpu1)"},
      {"time_s,cpu0\n0,1.2\n", "trace.csv:2: utilisation 1.2 in column 2 (cpu0) is outside [0, 1]"},
      {"time_s,cpu0\n\n0,1\n0,0.5\n", "trace.csv:4: time 0 is not after the previous row's"},
      {"time_s,cpu0\n-1,0.5\n", "trace.csv:2: negative time -1"},
      {"time_s,cpu0\nsoon,0.5\n", "trace.csv:2: bad time 'soon'"},
  }};
  for (const auto& c : cases) {
    io::utilization_table t;
    const auto e = parse(c.text, t);
    INFO(c.text);
    CHECK(e.code == errc::parse_error);
    CHECK(e.message.rfind(c.message, 0) == 0);
    CHECK(t.rows() == 0U);
    CHECK(t.cpus.empty());
  }
}

TEST_CASE("reading a trace file: missing file, and a file turned into a workload",
          "[utilization_trace][csv]") {
  io::utilization_table t;
  const auto missing = io::read_utilization_csv("/nonexistent/trace.csv", t);
  CHECK(missing.code == errc::io_error);
  CHECK(missing.message == "cannot read '/nonexistent/trace.csv': No such file or directory");
  const std::string path = std::string(THERMO_BINARY_DIR) + "/utilization_trace_test.csv";
  {
    std::ofstream f(path);
    f << "time_ms,cpu4,cpu5\n0,1,0\n20,1,1\n50,0,0\n";
  }
  const auto e = io::read_utilization_csv(path, t);
  REQUIRE(e.ok());
  std::remove(path.c_str());
  utilization_trace_config c;
  c.domain = 1;
  auto w = io::make_utilization_trace<8, 4>(t, c);
  REQUIRE(w.has_value());
  CHECK(w->domain() == 1U);
  CHECK(w->cores() == 2U);
  CHECK(w->value(1, 1) == 1.0);
  CHECK(w->row_time(2) == milliseconds(50));
  // Too many rows for the capacity.
  CHECK(io::make_utilization_trace<2, 4>(t, c).error().code == errc::capacity_exceeded);
}

TEST_CASE("replaying a trace does not touch the heap", "[utilization_trace]") {
  utilization_trace_config c;
  c.at_end = trace_end::repeat;
  c.duration = milliseconds(400);
  auto t = make_trace(c);
  sim_time now{};
  domain_state s{1e9, 2e9, 1.0};
  std::array<double, 2> u{};
  double sum = 0.0;
  THERMO_REQUIRE_NO_HEAP(thermo::test::drive(*t, now, sim_time{seconds(10)}, s, {}, [&](sim_time at) {
    t->utilization(at, u);
    sum += u[0];
  }));
  CHECK(t->repetitions() == 25U);
  CHECK(sum > 0.0);
}

TEST_CASE("utilisation CSV limits: rows and CPU columns named, refused at the first row past the limit",
          "[utilization_trace][csv][limits]") {
  io::utilization_table t;
  // one million rows: refused at row 8193 (line 8194 after the header) without parsing the rest
  std::string text = "time_ms,cpu0\n";
  for (int k = 0; k < 1'000'000; ++k) {
    text += std::to_string(k) + ",0.5\n";
  }
  const auto e = io::parse_utilization_csv(text, "big.csv", t);
  CHECK(e.code == errc::capacity_exceeded);
  CHECK(e.message == "big.csv:8194: more than 8192 data rows (the limit of a utilisation trace)");
  CHECK(e.line == 8194U);
  CHECK(t.rows() == 0U);
  // exactly the limit is accepted
  std::string at_limit = "time_ms,cpu0\n";
  for (std::size_t k = 0; k < io::max_utilization_rows; ++k) {
    at_limit += std::to_string(k) + ",0.5\n";
  }
  CHECK(io::parse_utilization_csv(at_limit, "ok.csv", t).ok());
  CHECK(t.rows() == io::max_utilization_rows);
  const auto wide = io::parse_utilization_csv("time_s,a,b,c,d,e,f,g,h,i\n0,0,0,0,0,0,0,0,0,0\n", "wide.csv", t);
  CHECK(wide.code == errc::parse_error);
  CHECK(wide.message == "wide.csv:1: 9 CPU columns, more than the 8 a utilisation trace holds");
}

TEST_CASE("utilisation CSV: an endless stream and a directory are read errors naming the reason",
          "[utilization_trace][csv][limits]") {
  io::utilization_table t;
  const auto zero = io::read_utilization_csv("/dev/zero", t);
  CHECK(zero.code == errc::capacity_exceeded);
  CHECK(zero.message == "'/dev/zero' is larger than the 64 MiB limit of a utilisation trace");
  const auto dir = io::read_utilization_csv("/tmp", t);
  CHECK(dir.code == errc::io_error);
  CHECK(dir.message == "cannot read '/tmp': Is a directory");
}

TEST_CASE("utilisation CSV: a BOM is skipped, CR-only line ends are lines, quoted input is escaped and cut",
          "[utilization_trace][csv]") {
  io::utilization_table t;
  CHECK(io::parse_utilization_csv("\xEF\xBB\xBFtime_ms,cpu0\n0,0.5\n", "bom.csv", t).ok());
  CHECK(t.cpus == std::vector<std::string>{"cpu0"});
  CHECK(io::parse_utilization_csv("time_ms,cpu0\r0,0.5\r10,1\r", "mac.csv", t).ok());
  CHECK(t.rows() == 2U);
  const auto esc = io::parse_utilization_csv("time_ms,cpu0\n0,\x1b[31m\r\x01\n", "esc.csv", t);
  CHECK(esc.message == "esc.csv:2: bad number '\\x1b[31m\\r\\x01' in column 2 (cpu0)");
  static constexpr char with_nul[] = "time_ms,cpu0\n0,a\0b\n";
  const auto nul = io::parse_utilization_csv(std::string(with_nul, sizeof with_nul - 1), "nul.csv", t);
  CHECK(nul.message == "nul.csv:2: bad number 'a\\0b' in column 2 (cpu0)");
  // a 20 MB field: the message quotes its first 60 characters
  const auto long_field = io::parse_utilization_csv("time_ms,cpu0\n0," + std::string(20'000'000, '9') + "x\n", "long.csv", t);
  CHECK(long_field.message == "long.csv:2: bad number '" + std::string(60, '9') + "\xE2\x80\xA6' in column 2 (cpu0)");
}
