#include "thermo/io/json.hpp"

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

using namespace thermo;
using thermo::io::json_value;
using thermo::io::parse_json;

namespace {
struct failure {
  const char* text;
  const char* what;  // expected message (substring)
  std::int32_t line;
  std::int32_t column;
};

void check_failure(const failure& f) {
  INFO("input: " << f.text);
  const auto r = parse_json(f.text);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::parse_error);
  CHECK(std::strstr(r.error().what, f.what) != nullptr);
  INFO("what: " << r.error().what);
  CHECK(r.error().index == f.line);
  CHECK(r.error().index2 == f.column);
}
}  // namespace

TEST_CASE("JSON scalars, arrays and objects are read with their types", "[json]") {
  const auto r =
      parse_json(R"({"a": 1, "b": -2.5e3, "c": "x\u00e9\n", "d": [true, false, null], "e": {}})");
  REQUIRE(r);
  const json_value& v = *r;
  REQUIRE(v.is_object());
  CHECK(v.size() == 5U);
  CHECK(v.at("a").is_integer());
  CHECK(v.at("a").as_int64() == 1);
  CHECK(v.at("a").as_double() == 1.0);
  CHECK_FALSE(v.at("b").is_integer());
  CHECK(v.at("b").as_double() == -2500.0);
  CHECK(v.at("c").as_string() == "x\xC3\xA9\n");
  const auto& d = v.at("d");
  REQUIRE(d.is_array());
  CHECK(d.size() == 3U);
  CHECK(d[0].as_bool());
  CHECK_FALSE(d[1].as_bool());
  CHECK(d[2].is_null());
  CHECK(v.at("e").is_object());
  CHECK(v.at("e").size() == 0U);
  CHECK(v.find("missing") == nullptr);
  CHECK_FALSE(v.contains("missing"));
  CHECK(d.find("a") == nullptr);  // not an object
  CHECK(v.at("a").size() == 0U);
  CHECK(v.type() == json_value::kind::object);
}

TEST_CASE("JSON objects keep file order and values know where they start", "[json]") {
  const auto r = parse_json("{\n  \"z\": 1,\n  \"a\": [10,\n 20]\n}");
  REQUIRE(r);
  const auto& members = r->as_object();
  REQUIRE(members.size() == 2U);
  CHECK(members[0].first == "z");
  CHECK(members[1].first == "a");
  CHECK(r->line() == 1);
  CHECK(r->column() == 1);
  CHECK(r->at("z").line() == 2);
  CHECK(r->at("z").column() == 8);
  CHECK(r->at("a")[1].line() == 4);
  CHECK(r->at("a")[1].column() == 2);
}

TEST_CASE("JSON integers are exact over 64 bits and larger integers stay doubles", "[json]") {
  const auto r =
      parse_json("[9007199254740993, -9223372036854775808, 18446744073709551616, 0, -0, 1E2]");
  REQUIRE(r);
  CHECK((*r)[0].as_int64() == 9'007'199'254'740'993);  // not representable as a double
  CHECK((*r)[1].as_int64() == INT64_MIN);
  CHECK_FALSE((*r)[2].is_integer());
  CHECK((*r)[2].as_double() == 18446744073709551616.0);
  CHECK((*r)[3].as_int64() == 0);
  CHECK((*r)[4].as_int64() == 0);
  CHECK_FALSE((*r)[5].is_integer());
  CHECK((*r)[5].as_double() == 100.0);
}

TEST_CASE("JSON strings decode every escape including surrogate pairs", "[json]") {
  const auto r = parse_json(
      R"(["\"\\\/\b\f\n\r\t", "\ud83d\ude00", "\u0041\u00DF\u20AC", "caf\u00e9 raw: é"])");
  REQUIRE(r);
  CHECK((*r)[0].as_string() == "\"\\/\b\f\n\r\t");
  CHECK((*r)[1].as_string() == "\xF0\x9F\x98\x80");
  CHECK((*r)[2].as_string() == "A\xC3\x9F\xE2\x82\xAC");
  CHECK((*r)[3].as_string() == "caf\xC3\xA9 raw: \xC3\xA9");
}

TEST_CASE("a byte-order mark and surrounding whitespace are accepted", "[json]") {
  const auto r = parse_json("\xEF\xBB\xBF \r\n\t 42 \n");
  REQUIRE(r);
  CHECK(r->as_int64() == 42);
}

TEST_CASE("malformed JSON is rejected with the line and column of the fault", "[json]") {
  const failure cases[] = {
      {"", "unexpected end of input", 1, 1},
      {"   \n  ", "unexpected end of input", 2, 3},
      {"{\"a\": 1,}", "expected a member name", 1, 9},
      {"{\"a\" 1}", "expected ':'", 1, 6},
      {"{\"a\": 1 \"b\": 2}", "expected ',' or '}'", 1, 9},
      {"[1, 2", "unexpected end of input", 1, 6},
      {"[1 2]", "expected ',' or ']'", 1, 4},
      {"[1,]", "unexpected character", 1, 4},
      {"{a: 1}", "member name in double quotes", 1, 2},
      {"\"abc", "unterminated string", 1, 5},
      {"\"a\nb\"", "control character", 1, 3},
      {"\"\\x\"", "invalid escape", 1, 2},
      {"\"\\u12G4\"", "invalid hex digit", 1, 6},
      {"\"\\udc00\"", "lone low surrogate", 1, 2},
      {"\"\\ud800x\"", "high surrogate without a low", 1, 2},
      {"\"\\ud800\\u0041\"", "high surrogate without a low", 1, 2},
      {"\"\xC3\x28\"", "invalid UTF-8", 1, 2},
      {"\"\xED\xA0\x80\"", "invalid UTF-8", 1, 2},  // encoded surrogate
      {"\"\xC0\xAF\"", "invalid UTF-8", 1, 2},      // overlong
      {"01", "leading zero", 1, 1},
      {"-", "invalid number", 1, 1},
      {"+1", "unexpected character", 1, 1},
      {".5", "unexpected character", 1, 1},
      {"1.", "digit expected after '.'", 1, 3},
      {"1e+", "digit expected in the exponent", 1, 4},
      {"1e400", "number out of range", 1, 1},
      {"NaN", "unexpected character", 1, 1},
      {"Infinity", "unexpected character", 1, 1},
      {"tru", "invalid literal", 1, 1},
      {"nulls", "unexpected content after", 1, 5},
      {"{} {}", "unexpected content after", 1, 4},
      {"{\n  \"x\": 1,\n  \"y\": 2,\n  \"x\": 3\n}", "duplicate member name", 4, 3},
      {"[\n  1,\n  @\n]", "unexpected character", 3, 3},
  };
  for (const failure& f : cases) {
    check_failure(f);
  }
}

TEST_CASE("JSON nesting deeper than the limit is an error, not a stack overflow", "[json]") {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  const auto r = parse_json(deep);
  REQUIRE_FALSE(r);
  CHECK(std::strcmp(r.error().what, "nesting too deep") == 0);
  CHECK(r.error().index2 == 513);
  io::json_options opt;
  opt.max_depth = 3;
  CHECK(parse_json("[[[1]]]", opt));
  CHECK_FALSE(parse_json("[[[[1]]]]", opt));
  CHECK_FALSE(parse_json(R"({"a":{"b":{"c":{}}}})", opt));
}

TEST_CASE("JSON files are read whole and a missing file is an I/O error", "[json]") {
  const std::string path = std::string(THERMO_BINARY_DIR) + "/json_test_tmp.json";
  {
    std::ofstream out(path, std::ios::binary);
    out << "{\"soc\": \"rk3399\",\n \"bad\": [1, 2,, 3]}";
  }
  const auto r = io::read_json_file(path);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == errc::parse_error);
  CHECK(r.error().index == 2);
  CHECK(r.error().index2 == 15);
  std::remove(path.c_str());
  std::string message;
  const auto missing = io::read_json_file(path, {}, &message);
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == errc::io_error);
  CHECK(message == "cannot read '" + path + "': No such file or directory");
  const auto dir = io::read_json_file("/tmp", {}, &message);
  REQUIRE_FALSE(dir);
  CHECK(message == "cannot read '/tmp': Is a directory");
}

TEST_CASE("the reference SoC data file parses", "[json]") {
  const auto r = io::read_json_file(std::string(THERMO_SHARED_DIR) + "/data/soc-data.json");
  REQUIRE(r);
  REQUIRE(r->contains("socs"));
  CHECK(r->at("socs").size() >= 6U);
  CHECK(r->at("socs")[0].at("id").as_string() == "rk3399");
}
