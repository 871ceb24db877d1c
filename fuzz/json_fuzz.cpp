// Fuzz target: the JSON reader (io/json.hpp `io::parse_json`).
//
// Invariants: an error is `parse_error` with a non-empty rule, a line and column (≥ 1) inside
// the text; an accepted value has finite numbers (an integer token's exact value and its double
// agree), valid UTF-8 strings, unique keys per object, positions ≥ 1, nesting within the limit;
// and it survives a round trip: written out again (io/jsonl.hpp `json_string` for strings) and
// read back, it is the same value.
#include <cinttypes>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "thermo/io/json.hpp"
#include "thermo/io/jsonl.hpp"

using thermo::fuzz::require;
using thermo::io::json_value;

namespace {

constexpr std::size_t max_depth = 64;  // small, so that the limit is reached within max_len

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c < 0x80U) {
      ++i;
      continue;
    }
    if ((c & 0xE0U) == 0xC0U) {
      n = 1;
      cp = c & 0x1FU;
    } else if ((c & 0xF0U) == 0xE0U) {
      n = 2;
      cp = c & 0x0FU;
    } else if ((c & 0xF8U) == 0xF0U) {
      n = 3;
      cp = c & 0x07U;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) {
        return false;
      }
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0U) != 0x80U) {
        return false;
      }
      cp = (cp << 6U) | (d & 0x3FU);
    }
    const std::uint32_t min[] = {0, 0x80U, 0x800U, 0x10000U};
    if (cp < min[n] || cp > 0x10FFFFU || (cp >= 0xD800U && cp <= 0xDFFFU)) {
      return false;
    }
    i += n + 1;
  }
  return true;
}

void check_value(const json_value& v, std::size_t depth) {
  require(depth <= max_depth + 1, "nesting within the limit");
  require(v.line() >= 1 && v.column() >= 1, "a value knows where it starts");
  switch (v.type()) {
    case json_value::kind::number:
      require(std::isfinite(v.as_double()), "numbers are finite");
      if (v.is_integer()) {
        require(static_cast<double>(v.as_int64()) == v.as_double(), "an integer's exact value and its double agree");
      }
      break;
    case json_value::kind::string:
      require(valid_utf8(v.as_string()), "strings are valid UTF-8", v.as_string());
      break;
    case json_value::kind::array:
      for (const json_value& e : v.as_array()) {
        check_value(e, depth + 1);
      }
      break;
    case json_value::kind::object: {
      const auto& members = v.as_object();
      for (std::size_t i = 0; i < members.size(); ++i) {
        require(valid_utf8(members[i].first), "keys are valid UTF-8", members[i].first);
        require(v.find(members[i].first) == &members[i].second, "keys are unique", members[i].first);
        check_value(members[i].second, depth + 1);
      }
      break;
    }
    case json_value::kind::null:
    case json_value::kind::boolean:
      break;
  }
}

void write(const json_value& v, std::string& out) {
  switch (v.type()) {
    case json_value::kind::null:
      out += "null";
      break;
    case json_value::kind::boolean:
      out += v.as_bool() ? "true" : "false";
      break;
    case json_value::kind::number: {
      char buf[40];
      if (v.is_integer()) {
        static_cast<void>(std::snprintf(buf, sizeof buf, "%" PRId64, v.as_int64()));
      } else {
        static_cast<void>(std::snprintf(buf, sizeof buf, "%.17g", v.as_double()));
      }
      out += buf;
      if (!v.is_integer() && std::string_view(buf).find_first_of(".e") == std::string_view::npos) {
        out += ".0";  // 1E+2 is no integer token: "100" would read back as one
      }
      break;
    }
    case json_value::kind::string:
      out += thermo::io::json_string(v.as_string());
      break;
    case json_value::kind::array: {
      out += '[';
      const char* sep = "";
      for (const json_value& e : v.as_array()) {
        out += sep;
        write(e, out);
        sep = ",";
      }
      out += ']';
      break;
    }
    case json_value::kind::object: {
      out += "{\n";
      const char* sep = "";
      for (const auto& [key, value] : v.as_object()) {
        out += sep;
        out += thermo::io::json_string(key);
        out += ": ";
        write(value, out);
        sep = ",\n";
      }
      out += '}';
      break;
    }
  }
}

bool same(const json_value& a, const json_value& b) {
  if (a.type() != b.type()) {
    return false;
  }
  switch (a.type()) {
    case json_value::kind::null:
      return true;
    case json_value::kind::boolean:
      return a.as_bool() == b.as_bool();
    case json_value::kind::number:
      return a.as_double() == b.as_double() && a.is_integer() == b.is_integer() &&
             (!a.is_integer() || a.as_int64() == b.as_int64());
    case json_value::kind::string:
      return a.as_string() == b.as_string();
    case json_value::kind::array:
      if (a.size() != b.size()) {
        return false;
      }
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same(a[i], b[i])) {
          return false;
        }
      }
      return true;
    case json_value::kind::object:
      if (a.size() != b.size()) {
        return false;
      }
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (a.as_object()[i].first != b.as_object()[i].first || !same(a.as_object()[i].second, b.as_object()[i].second)) {
          return false;
        }
      }
      return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = thermo::fuzz::as_text(data, size);
  thermo::io::json_options opt;
  opt.max_depth = max_depth;
  auto doc = thermo::io::parse_json(text, opt);
  if (!doc) {
    const thermo::error& e = doc.error();
    require(e.code == thermo::errc::parse_error, "a rejected text is a parse error");
    require(*e.what != '\0', "an error names the rule", e.what);
    std::size_t lines = 1;
    for (const char c : text) {
      lines += c == '\n' ? 1U : 0U;
    }
    require(e.index >= 1 && static_cast<std::size_t>(e.index) <= lines, "the error's line is in the text", e.what);
    require(e.index2 >= 1 && static_cast<std::size_t>(e.index2) <= size + 1, "the error's column is in the text", e.what);
    return 0;
  }
  check_value(*doc, 1);
  std::string again;
  write(*doc, again);
  auto back = thermo::io::parse_json(again, opt);
  require(back.has_value(), "a value written out reads back", again);
  require(same(*doc, *back), "and is the same value", again);
  return 0;
}
