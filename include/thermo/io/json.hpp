/// @file json.hpp
/// A small, strict JSON (RFC 8259) reader for data files, scenarios and the command line tool.
/// Host-only: it allocates (std::string, std::vector) and reads files.
///
///     auto doc = thermo::io::read_json_file("soc-data.json");
///     if (!doc) {   // doc.error(): code parse_error/io_error, what, index = line, index2 = column
///       std::fprintf(stderr, "%s:%d:%d: %s\n", path, doc.error().index, doc.error().index2,
///                    doc.error().what);
///     }
///     for (const auto& soc : doc->at("socs").as_array()) { … soc.at("id").as_string() … }
///
/// * Objects keep their members in file order; a repeated key is an error.
/// * Numbers keep their double value and, when the token is an integer that fits, the exact
///   64-bit integer (`is_integer()`, `as_int64()`). NaN, infinities, leading zeros, `+1`,
///   `.5`, `1.` and out-of-range magnitudes (1e400) are errors, never silent values.
/// * Strings are validated UTF-8; escapes, including surrogate pairs, are decoded. Raw control
///   characters in strings are errors.
/// * Errors are `thermo::error{errc::parse_error, what, line, column}` (1-based; the column
///   counts bytes), so every message can point at the offending character.
/// * Nesting deeper than `json_options::max_depth` (default 512) is an error, not a stack
///   overflow. A leading UTF-8 byte-order mark is skipped.
///
/// See docs/reference/json.md.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/io/file.hpp"

namespace thermo::io {

/// One JSON value (null, boolean, number, string, array or object) and where it starts.
class json_value {
 public:
  enum class kind : std::uint8_t { null, boolean, number, string, array, object };
  using array_type = std::vector<json_value>;
  using member = std::pair<std::string, json_value>;
  using object_type = std::vector<member>;  ///< members in file order

  /// A number: its double value and, for integer tokens that fit, the exact integer.
  struct number {
    double value = 0.0;
    std::int64_t integer = 0;
    bool is_integer = false;
  };

  json_value() = default;  ///< null
  explicit json_value(bool b) : v_(b) {}
  explicit json_value(number n) : v_(n) {}
  explicit json_value(std::string s) : v_(std::move(s)) {}
  explicit json_value(array_type a) : v_(std::move(a)) {}
  explicit json_value(object_type o) : v_(std::move(o)) {}

  [[nodiscard]] kind type() const noexcept { return static_cast<kind>(v_.index()); }
  [[nodiscard]] bool is_null() const noexcept { return type() == kind::null; }
  [[nodiscard]] bool is_bool() const noexcept { return type() == kind::boolean; }
  [[nodiscard]] bool is_number() const noexcept { return type() == kind::number; }
  [[nodiscard]] bool is_string() const noexcept { return type() == kind::string; }
  [[nodiscard]] bool is_array() const noexcept { return type() == kind::array; }
  [[nodiscard]] bool is_object() const noexcept { return type() == kind::object; }
  /// True for a number written as an integer that fits `int64_t`.
  [[nodiscard]] bool is_integer() const noexcept {
    const number* n = std::get_if<number>(&v_);
    return n != nullptr && n->is_integer;
  }

  // Typed access; precondition: the value has that type (THERMO_ASSERT).
  [[nodiscard]] bool as_bool() const noexcept {
    THERMO_ASSERT(is_bool());
    return alt<bool>();
  }
  [[nodiscard]] double as_double() const noexcept {
    THERMO_ASSERT(is_number());
    return alt<number>().value;
  }
  /// Precondition: `is_integer()`.
  [[nodiscard]] std::int64_t as_int64() const noexcept {
    THERMO_ASSERT(is_integer());
    return alt<number>().integer;
  }
  [[nodiscard]] const std::string& as_string() const noexcept {
    THERMO_ASSERT(is_string());
    return alt<std::string>();
  }
  [[nodiscard]] const array_type& as_array() const noexcept {
    THERMO_ASSERT(is_array());
    return alt<array_type>();
  }
  [[nodiscard]] const object_type& as_object() const noexcept {
    THERMO_ASSERT(is_object());
    return alt<object_type>();
  }

  /// Elements of an array or members of an object; 0 for scalars.
  [[nodiscard]] std::size_t size() const noexcept {
    if (is_array()) {
      return as_array().size();
    }
    return is_object() ? as_object().size() : 0;
  }
  /// Array element `i`; precondition: array and `i < size()`.
  [[nodiscard]] const json_value& operator[](std::size_t i) const noexcept {
    THERMO_ASSERT(is_array() && i < as_array().size());
    return as_array()[i];
  }
  /// The member named `key`, or nullptr (also for non-objects). O(members).
  [[nodiscard]] const json_value* find(std::string_view key) const noexcept {
    if (!is_object()) {
      return nullptr;
    }
    for (const member& m : as_object()) {
      if (m.first == key) {
        return &m.second;
      }
    }
    return nullptr;
  }
  /// True when this is an object with a member `key`.
  [[nodiscard]] bool contains(std::string_view key) const noexcept { return find(key) != nullptr; }
  /// The member named `key`; precondition: it exists (use `find` when it may not).
  [[nodiscard]] const json_value& at(std::string_view key) const noexcept {
    const json_value* v = find(key);
    if (v == nullptr) {  // precondition; traps even with asserts off (host-only code)
      __builtin_trap();
    }
    return *v;
  }

  /// 1-based line and byte column where the value starts in the parsed text (0 if built by hand).
  [[nodiscard]] std::int32_t line() const noexcept { return line_; }
  [[nodiscard]] std::int32_t column() const noexcept { return column_; }

 private:
  // The alternative T; a wrong type is a precondition violation that traps even with asserts
  // off (host-only code), so no build can dereference a null pointer here.
  template <class T>
  [[nodiscard]] const T& alt() const noexcept {
    const T* p = std::get_if<T>(&v_);
    if (p == nullptr) {
      __builtin_trap();
    }
    return *p;
  }

  friend class json_parser;
  std::variant<std::monostate, bool, number, std::string, array_type, object_type> v_;
  std::int32_t line_ = 0;
  std::int32_t column_ = 0;
};

/// Parser limits.
struct json_options {
  std::size_t max_depth = 512;  ///< deepest array/object nesting accepted
};

/// The recursive-descent parser behind `parse_json` (recursion bounded by `max_depth`).
class json_parser {
 public:
  json_parser(std::string_view text, json_options opt) : s_(text), opt_(opt) {}

  [[nodiscard]] result<json_value, error> parse() {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;
      line_start_ = 3;
    }
    json_value v;
    if (!parse_value(v, 0)) {
      return err_;
    }
    skip_ws();
    if (pos_ != s_.size()) {
      fail("unexpected content after the JSON value");
      return err_;
    }
    return v;
  }

 private:
  bool fail(const char* what) { return fail_at(what, pos_); }
  bool fail_at(const char* what, std::size_t at) {
    // `at` is on the current line (newlines are only consumed as whitespace).
    err_ = error{errc::parse_error, what, line_, static_cast<std::int32_t>(at - line_start_ + 1)};
    return false;
  }

  void skip_ws() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  bool expect_literal(std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) {
      return fail("invalid literal (expected true, false or null)");
    }
    pos_ += word.size();
    return true;
  }

  // Recursive descent: parse_value -> parse_array/parse_object -> parse_value. The depth is
  // bounded by json_options::max_depth, so the recursion cannot overflow the stack.
  // NOLINTBEGIN(misc-no-recursion)
  bool parse_value(json_value& out, std::size_t depth) {
    skip_ws();
    if (pos_ >= s_.size()) {
      return fail("unexpected end of input (expected a value)");
    }
    out.line_ = line_;
    out.column_ = static_cast<std::int32_t>(pos_ - line_start_ + 1);
    switch (s_[pos_]) {
      case '{':
        return parse_object(out, depth + 1);
      case '[':
        return parse_array(out, depth + 1);
      case '"': {
        std::string str;
        if (!parse_string(str)) {
          return false;
        }
        out.v_ = std::move(str);
        return true;
      }
      case 't':
        out.v_ = true;
        return expect_literal("true");
      case 'f':
        out.v_ = false;
        return expect_literal("false");
      case 'n':
        out.v_ = std::monostate{};
        return expect_literal("null");
      default:
        return parse_number(out);
    }
  }

  bool parse_array(json_value& out, std::size_t depth) {
    if (depth > opt_.max_depth) {
      return fail("nesting too deep");
    }
    ++pos_;  // '['
    json_value::array_type items;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == ']') {
      ++pos_;
      out.v_ = std::move(items);
      return true;
    }
    while (true) {
      json_value item;
      if (!parse_value(item, depth)) {
        return false;
      }
      items.push_back(std::move(item));
      skip_ws();
      if (pos_ >= s_.size()) {
        return fail("unexpected end of input (expected ',' or ']')");
      }
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] == ']') {
        ++pos_;
        out.v_ = std::move(items);
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool parse_object(json_value& out, std::size_t depth) {
    if (depth > opt_.max_depth) {
      return fail("nesting too deep");
    }
    ++pos_;  // '{'
    json_value::object_type members;
    std::vector<std::pair<std::string_view, std::size_t>> keys;  // for the duplicate check
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '}') {
      ++pos_;
      out.v_ = std::move(members);
      return true;
    }
    while (true) {
      skip_ws();
      if (pos_ >= s_.size()) {
        return fail("unexpected end of input (expected a member name)");
      }
      if (s_[pos_] != '"') {
        return fail("expected a member name in double quotes");
      }
      const std::size_t key_pos = pos_;
      std::string key;
      if (!parse_string(key)) {
        return false;
      }
      skip_ws();
      if (pos_ >= s_.size() || s_[pos_] != ':') {
        return fail("expected ':' after a member name");
      }
      ++pos_;
      json_value value;
      if (!parse_value(value, depth)) {
        return false;
      }
      members.emplace_back(std::move(key), std::move(value));
      keys.emplace_back(std::string_view{}, key_pos);
      skip_ws();
      if (pos_ >= s_.size()) {
        return fail("unexpected end of input (expected ',' or '}')");
      }
      if (s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (s_[pos_] != '}') {
        return fail("expected ',' or '}'");
      }
      // Duplicate keys: sort views of the (now stable) member names, report the later one.
      for (std::size_t i = 0; i < members.size(); ++i) {
        keys[i].first = members[i].first;
      }
      std::vector<std::pair<std::string_view, std::size_t>> sorted = keys;
      std::ranges::sort(sorted);
      for (std::size_t i = 1; i < sorted.size(); ++i) {
        if (sorted[i].first == sorted[i - 1].first) {
          return fail_at_offset("duplicate member name", sorted[i].second);
        }
      }
      ++pos_;
      out.v_ = std::move(members);
      return true;
    }
  }

  // NOLINTEND(misc-no-recursion)

  // An error at an earlier offset, possibly on an earlier line: recount the line.
  bool fail_at_offset(const char* what, std::size_t at) {
    std::int32_t line = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i < at; ++i) {
      if (s_[i] == '\n') {
        ++line;
        start = i + 1;
      }
    }
    err_ = error{errc::parse_error, what, line, static_cast<std::int32_t>(at - start + 1)};
    return false;
  }

  static int hex_digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  bool read_hex4(std::uint32_t& cp) {
    if (pos_ + 4 > s_.size()) {
      return fail("unexpected end of input in a \\u escape");
    }
    cp = 0;
    for (std::size_t i = 0; i < 4; ++i) {
      const int d = hex_digit(s_[pos_ + i]);
      if (d < 0) {
        return fail_at("invalid hex digit in a \\u escape", pos_ + i);
      }
      cp = cp * 16U + static_cast<std::uint32_t>(d);
    }
    pos_ += 4;
    return true;
  }

  static void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80U) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800U) {
      out.push_back(static_cast<char>(0xC0U | (cp >> 6U)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else if (cp < 0x10000U) {
      out.push_back(static_cast<char>(0xE0U | (cp >> 12U)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    } else {
      out.push_back(static_cast<char>(0xF0U | (cp >> 18U)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 12U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU)));
      out.push_back(static_cast<char>(0x80U | (cp & 0x3FU)));
    }
  }

  // Length of the valid UTF-8 sequence at pos_ (2..4 bytes), or 0 if invalid (RFC 3629:
  // no overlong forms, no surrogates, nothing above U+10FFFF).
  [[nodiscard]] std::size_t utf8_sequence_length() const {
    const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s_[pos_ + i]); };
    const unsigned char c0 = b(0);
    std::size_t n = 0;
    unsigned char lo = 0x80;
    unsigned char hi = 0xBF;
    if (c0 >= 0xC2 && c0 <= 0xDF) {
      n = 2;
    } else if (c0 >= 0xE0 && c0 <= 0xEF) {
      n = 3;
      lo = c0 == 0xE0 ? 0xA0 : 0x80;
      hi = c0 == 0xED ? 0x9F : 0xBF;
    } else if (c0 >= 0xF0 && c0 <= 0xF4) {
      n = 4;
      lo = c0 == 0xF0 ? 0x90 : 0x80;
      hi = c0 == 0xF4 ? 0x8F : 0xBF;
    } else {
      return 0;
    }
    if (pos_ + n > s_.size()) {
      return 0;
    }
    if (b(1) < lo || b(1) > hi) {
      return 0;
    }
    for (std::size_t i = 2; i < n; ++i) {
      if (b(i) < 0x80 || b(i) > 0xBF) {
        return 0;
      }
    }
    return n;
  }

  bool parse_string(std::string& out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= s_.size()) {
        return fail("unterminated string");
      }
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) {
        return fail("control character in a string (escape it)");
      }
      if (c >= 0x80) {
        const std::size_t n = utf8_sequence_length();
        if (n == 0) {
          return fail("invalid UTF-8 in a string");
        }
        out.append(s_.substr(pos_, n));
        pos_ += n;
        continue;
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= s_.size()) {
        return fail("unterminated string");
      }
      const char e = s_[pos_++];
      switch (e) {
        case '"':
          out.push_back('"');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '/':
          out.push_back('/');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          const std::size_t esc = pos_ - 2;
          std::uint32_t cp = 0;
          if (!read_hex4(cp)) {
            return false;
          }
          if (cp >= 0xDC00U && cp <= 0xDFFFU) {
            return fail_at("lone low surrogate in a \\u escape", esc);
          }
          if (cp >= 0xD800U && cp <= 0xDBFFU) {
            if (s_.substr(pos_, 2) != "\\u") {
              return fail_at("high surrogate without a low surrogate", esc);
            }
            pos_ += 2;
            std::uint32_t low = 0;
            if (!read_hex4(low)) {
              return false;
            }
            if (low < 0xDC00U || low > 0xDFFFU) {
              return fail_at("high surrogate without a low surrogate", esc);
            }
            cp = 0x10000U + ((cp - 0xD800U) << 10U) + (low - 0xDC00U);
          }
          append_utf8(out, cp);
          break;
        }
        default:
          return fail_at("invalid escape in a string", pos_ - 2);
      }
    }
  }

  bool parse_number(json_value& out) {
    const std::size_t start = pos_;
    const auto digit = [&](std::size_t i) { return i < s_.size() && s_[i] >= '0' && s_[i] <= '9'; };
    std::size_t i = pos_;
    if (i < s_.size() && s_[i] == '-') {
      ++i;
    }
    if (!digit(i)) {
      return fail(i == pos_ ? "unexpected character (expected a value)" : "invalid number");
    }
    if (s_[i] == '0' && digit(i + 1)) {
      return fail("invalid number (leading zero)");
    }
    while (digit(i)) {
      ++i;
    }
    bool integral = true;
    if (i < s_.size() && s_[i] == '.') {
      integral = false;
      ++i;
      if (!digit(i)) {
        return fail_at("invalid number (digit expected after '.')", i);
      }
      while (digit(i)) {
        ++i;
      }
    }
    if (i < s_.size() && (s_[i] == 'e' || s_[i] == 'E')) {
      integral = false;
      ++i;
      if (i < s_.size() && (s_[i] == '+' || s_[i] == '-')) {
        ++i;
      }
      if (!digit(i)) {
        return fail_at("invalid number (digit expected in the exponent)", i);
      }
      while (digit(i)) {
        ++i;
      }
    }
    const char* first = s_.data() + start;
    const char* last = s_.data() + i;
    json_value::number n;
    const auto fr = std::from_chars(first, last, n.value);
    if (fr.ec == std::errc::result_out_of_range) {
      return fail("number out of range");
    }
    if (fr.ec != std::errc{} || fr.ptr != last) {
      return fail("invalid number");
    }
    if (integral) {
      const auto ir = std::from_chars(first, last, n.integer);
      n.is_integer = ir.ec == std::errc{} && ir.ptr == last;
    }
    out.v_ = n;
    pos_ = i;
    return true;
  }

  std::string_view s_;
  json_options opt_;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  std::int32_t line_ = 1;
  error err_;
};

/// Parses a whole JSON text (one value, optional surrounding whitespace).
[[nodiscard]] inline result<json_value, error> parse_json(std::string_view text,
                                                          json_options opt = {}) {
  return json_parser(text, opt).parse();
}

/// Reads and parses a JSON file. Errors: `io_error` "cannot read file" (no location; `*message`,
/// when given, names the file and the reason: "cannot read 'x': Is a directory"), or the parse
/// errors of `parse_json`.
[[nodiscard]] inline result<json_value, error> read_json_file(const std::string& path,
                                                              json_options opt = {},
                                                              std::string* message = nullptr) {
  std::string text;
  if (file_error e = read_file(path, text); !e.ok()) {
    if (message != nullptr) {
      *message = std::move(e.message);
    }
    return error{errc::io_error, "cannot read file"};
  }
  return parse_json(text, opt);
}

}  // namespace thermo::io
