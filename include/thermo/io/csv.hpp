/// @file csv.hpp
/// A small CSV writer (RFC 4180 quoting) with locale-independent, deterministic number
/// formatting, for traces and tables. Host-only (std::string, std::ostream).
///
///     thermo::io::csv_writer csv(std::cout);
///     csv.row({"time_s", "T_big_C"});
///     csv.cell(0.01).cell(45.25).end_row();
#pragma once

#include <array>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

namespace thermo::io {

/// `v` with `significant` significant digits (`%.*g`); "nan", "inf", "-inf" for non-finite
/// values. Same bytes on every platform with a C locale.
[[nodiscard]] inline std::string format_number(double v, int significant = 10) {
  if (std::isnan(v)) {
    return "nan";
  }
  if (std::isinf(v)) {
    return v > 0 ? "inf" : "-inf";
  }
  std::array<char, 40> buf{};
  const int n = std::snprintf(buf.data(), buf.size(), "%.*g", significant, v);
  return std::string(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
}

/// `printf` into a string as long as the text needs: never cut (`vsnprintf` sized by its own
/// count); "" when the format fails. For table rows whose width depends on the numbers.
[[nodiscard, gnu::format(printf, 1, 2)]] inline std::string format_printf(const char* fmt, ...) {
  std::va_list args;
  va_start(args, fmt);
  std::va_list again;
  va_copy(again, args);
  const int n = std::vsnprintf(nullptr, 0, fmt, args);
  va_end(args);
  std::string out;
  if (n > 0) {
    out.resize(static_cast<std::size_t>(n) + 1);
    const int m = std::vsnprintf(out.data(), out.size(), fmt, again);
    out.resize(m == n ? static_cast<std::size_t>(n) : 0U);
  }
  va_end(again);
  return out;
}

/// A field quoted when it holds a comma, a quote, CR or LF (quotes doubled).
[[nodiscard]] inline std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) {
    return std::string(s);
  }
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') {
      out += '"';
    }
    out += c;
  }
  out += '"';
  return out;
}

/// Writes CSV rows to a stream, one `end_row` per line ("\n" line ends).
class csv_writer {
 public:
  explicit csv_writer(std::ostream& out, int significant = 10) : out_(out), digits_(significant) {}

  /// A text cell.
  csv_writer& cell(std::string_view s) {
    sep();
    out_ << csv_field(s);
    return *this;
  }
  /// A number cell (see `format_number`).
  csv_writer& cell(double v) {
    sep();
    out_ << format_number(v, digits_);
    return *this;
  }
  /// An integer cell.
  csv_writer& cell(std::int64_t v) {
    sep();
    out_ << v;
    return *this;
  }
  /// Ends the line.
  csv_writer& end_row() {
    out_ << '\n';
    first_ = true;
    return *this;
  }
  /// A whole row of text cells.
  csv_writer& row(std::initializer_list<std::string_view> cells) {
    for (const std::string_view c : cells) {
      cell(c);
    }
    return end_row();
  }
  [[nodiscard]] bool good() const { return out_.good(); }

 private:
  void sep() {
    if (!first_) {
      out_ << ',';
    }
    first_ = false;
  }
  std::ostream& out_;
  int digits_;
  bool first_{true};
};

}  // namespace thermo::io
