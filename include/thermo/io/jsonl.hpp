/// @file jsonl.hpp
/// A small JSON-lines writer: one JSON object per line, keys in the order given, numbers with
/// deterministic formatting (non-finite numbers become `null`, as JSON has no NaN). Host-only.
///
///     thermo::io::jsonl_writer j(std::cout);
///     j.field("time_s", 0.01).field("event", "poll").end_object();
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>

#include "thermo/io/csv.hpp"

namespace thermo::io {

/// `s` as a JSON string literal (quotes included; `"`, `\` and control characters escaped;
/// other bytes, UTF-8 included, copied).
[[nodiscard]] inline std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20U) {
          std::array<char, 8> buf{};
          static_cast<void>(std::snprintf(buf.data(), buf.size(), "\\u%04x", static_cast<unsigned>(c)));
          out += buf.data();
        } else {
          out += ch;
        }
    }
  }
  out += '"';
  return out;
}

/// Writes one JSON object per line.
class jsonl_writer {
 public:
  explicit jsonl_writer(std::ostream& out, int significant = 10) : out_(out), digits_(significant) {}

  jsonl_writer& field(std::string_view key, double v) {
    key_(key);
    out_ << (std::isfinite(v) ? format_number(v, digits_) : std::string("null"));
    return *this;
  }
  jsonl_writer& field(std::string_view key, std::int64_t v) {
    key_(key);
    out_ << v;
    return *this;
  }
  jsonl_writer& field(std::string_view key, std::string_view s) {
    key_(key);
    out_ << json_string(s);
    return *this;
  }
  jsonl_writer& field(std::string_view key, const char* s) { return field(key, std::string_view(s)); }
  /// Closes the object and the line.
  jsonl_writer& end_object() {
    out_ << (first_ ? "{}" : "}") << '\n';
    first_ = true;
    return *this;
  }
  [[nodiscard]] bool good() const { return out_.good(); }

 private:
  void key_(std::string_view k) {
    out_ << (first_ ? "{" : ",") << json_string(k) << ':';
    first_ = false;
  }
  std::ostream& out_;
  int digits_;
  bool first_{true};
};

}  // namespace thermo::io
