// io/perfetto.hpp: the trace-event JSON writer — a document the strict checker accepts, exact
// microsecond timestamps, shortest round-trip numbers, escaped names, non-finite values left
// out, and the same bytes every time.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "support/trace_event_check.hpp"
#include "thermo/io/json.hpp"
#include "thermo/io/perfetto.hpp"

using namespace thermo;
namespace pf = thermo::io::perfetto;

namespace {

std::string sample_document() {
  std::ostringstream out;
  pf::trace_writer w(out);
  w.process_name(1, "thermal_zone0 cpu-thermal");
  w.process_sort_index(1, 1);
  w.thread_name(1, 0, "counters");
  const std::array<pf::number_arg, 2> trip{pf::number_arg{"temperature C", 75.0}, pf::number_arg{"threshold C", 73.0}};
  w.counter(0, 1, "trip 1 passive", trip);
  w.counter(1'500'250, 1, "temperature", 45.125);
  w.counter(2'000'000, 1, "temperature", 0.1);
  const std::array<pf::string_arg, 1> cdev{pf::string_arg{"cdev", "cpufreq-cpu0"}};
  const std::array<pf::number_arg, 1> state{pf::number_arg{"state", 3.0}};
  w.instant(2'000'000, 1, 1, "cdev_state_update", pf::scope::process, cdev, state);
  w.instant(3'000'000, 1, 1, "ambient", pf::scope::global);
  w.finish();
  return out.str();
}

}  // namespace

TEST_CASE("the perfetto writer's document satisfies the trace event format", "[io][perfetto]") {
  const std::string doc = sample_document();
  CHECK(test::trace_event_check(doc).empty());
  CHECK(doc.rfind("{\"traceEvents\":[\n", 0) == 0);
  CHECK(doc.ends_with("\n],\"displayTimeUnit\":\"ms\"}\n"));
  CHECK(doc.find("\"ts\":1500.250,\"args\":{\"value\":45.125}") != std::string::npos);
  CHECK(doc.find("\"ts\":2000.000,\"args\":{\"value\":0.1}") != std::string::npos);
  CHECK(doc.find("\"args\":{\"temperature C\":75,\"threshold C\":73}") != std::string::npos);
  CHECK(doc.find("\"s\":\"p\",\"args\":{\"cdev\":\"cpufreq-cpu0\",\"state\":3}") != std::string::npos);
  CHECK(doc.find("\"name\":\"ambient\",\"pid\":1,\"tid\":1,\"ts\":3000.000,\"s\":\"g\"") != std::string::npos);
  CHECK(sample_document() == doc);  // deterministic
  const auto parsed = io::parse_json(doc);
  REQUIRE(parsed);
  CHECK(parsed->at("traceEvents").size() == 8);
}

TEST_CASE("the perfetto writer prints times exactly and numbers in their shortest round-trip form", "[io][perfetto]") {
  std::string s;
  pf::append_micros(s, 0);
  CHECK(s == "0.000");
  s.clear();
  pf::append_micros(s, 999);
  CHECK(s == "0.999");
  s.clear();
  pf::append_micros(s, -250);
  CHECK(s == "-0.250");
  s.clear();
  pf::append_micros(s, 600'000'000'001);
  CHECK(s == "600000000.001");
  for (const double v : {0.1, 1.0 / 3.0, 1e300, 5e-324, -2.5, 36.24620167001, 0.0}) {
    std::string n;
    pf::append_number(n, v);
    INFO(n);
    const auto back = io::parse_json(n);
    REQUIRE(back);
    CHECK(back->as_double() == v);  // bit for bit
  }
  std::string n;
  pf::append_number(n, 85.0);
  CHECK(n == "85");
}

TEST_CASE("the perfetto writer leaves out non-finite values and drops a counter with none left", "[io][perfetto]") {
  std::ostringstream out;
  pf::trace_writer w(out);
  w.process_name(1, "zone");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const std::array<pf::number_arg, 3> mixed{pf::number_arg{"a", nan}, pf::number_arg{"b", 2.0}, pf::number_arg{"c", -inf}};
  w.counter(10'000, 1, "mixed", mixed);
  w.counter(20'000, 1, "nothing", nan);
  const std::array<pf::number_arg, 1> bad{pf::number_arg{"x", inf}};
  w.instant(30'000, 1, 0, "event", pf::scope::process, {}, bad);
  w.finish();
  const std::string doc = out.str();
  CHECK(test::trace_event_check(doc).empty());
  CHECK(w.skipped() == 1);
  CHECK(w.events() == 3);
  CHECK(doc.find("\"args\":{\"b\":2}") != std::string::npos);
  CHECK(doc.find("nothing") == std::string::npos);
  CHECK(doc.find("\"s\":\"p\",\"args\":{}") != std::string::npos);
  CHECK(doc.find("nan") == std::string::npos);
  CHECK(doc.find("inf") == std::string::npos);
}

TEST_CASE("the perfetto writer escapes names and string arguments", "[io][perfetto]") {
  std::ostringstream out;
  pf::trace_writer w(out);
  w.process_name(1, "a \"quoted\" \\ name\n\x01");
  const std::array<pf::string_arg, 1> s{pf::string_arg{"k\"", "v\t°C"}};
  w.instant(0, 1, 0, "x", pf::scope::process, s);
  w.finish();
  const std::string doc = out.str();
  CHECK(test::trace_event_check(doc).empty());
  CHECK(doc.find(R"(a \"quoted\" \\ name\u000a\u0001)") != std::string::npos);
  const auto parsed = io::parse_json(doc);
  REQUIRE(parsed);
  const auto& ev = parsed->at("traceEvents");
  CHECK(ev[0].at("args").at("name").as_string() == "a \"quoted\" \\ name\n\x01");
  CHECK(ev[1].at("args").at("k\"").as_string() == "v\t°C");
}

TEST_CASE("the trace event checker rejects what the format forbids", "[io][perfetto]") {
  using test::trace_event_check;
  const std::string head = "{\"traceEvents\":[";
  const std::string tail = "],\"displayTimeUnit\":\"ms\"}";
  const std::string meta = R"({"ph":"M","name":"process_name","pid":1,"tid":0,"ts":0,"args":{"name":"z"}})";
  CHECK(trace_event_check(head + meta + tail).empty());
  CHECK_FALSE(trace_event_check("[]").empty());
  CHECK_FALSE(trace_event_check(head + meta + "]}").empty());  // no displayTimeUnit
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"X","name":"a","pid":1,"tid":0,"ts":0})" + tail).empty());
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"C","name":"a","pid":1,"tid":0,"ts":0,"args":{}})" + tail).empty());
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"C","name":"a","pid":1,"tid":0,"ts":0,"args":{"v":"x"}})" + tail).empty());
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"C","name":"a","pid":1,"tid":0,"ts":0,"args":{"v":NaN}})" + tail).empty());
  CHECK_FALSE(trace_event_check(head + R"({"ph":"C","name":"a","pid":2,"tid":0,"ts":0,"args":{"v":1}})" + tail).empty());
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"C","name":"a","pid":1,"tid":0,"ts":5,"args":{"v":1}},)" +
                                R"({"ph":"C","name":"a","pid":1,"tid":0,"ts":4,"args":{"v":1}})" + tail)
                   .empty());
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"i","name":"a","pid":1,"tid":0,"ts":0,"s":"x","args":{}})" + tail).empty());
  CHECK_FALSE(trace_event_check(head + meta + R"(,{"ph":"i","name":"a","pid":1,"ts":0,"s":"p"})" + tail).empty());
}
