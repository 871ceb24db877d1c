/// @file text.hpp
/// The text helpers every reader of thermo's text formats shares (host-only: returns
/// `std::vector`s of views): trimming, splitting into lines, fields and words, parsing numbers
/// and durations, and the error a reader returns (`text_error`). One of each, so that a CSV
/// trace, a HotSpot file, a scenario and a command line agree on what a number is.
///
/// The readers differ in what they let surround a value; that is a parameter (`trim_chars`), not
/// a second implementation:
///
/// | set | trims at the front | at the back | used by |
/// |---|---|---|---|
/// | `blanks` (the default of `trim`) | space, tab | space, tab, CR | CSV traces, scenarios, the `thermo` tool |
/// | `whitespace` (the default of the number parsers) | space, tab, CR | space, tab, CR, LF | HotSpot files, `parse_double` of a field |
/// | `exact` | nothing | nothing | command-line values, fields already trimmed |
///
/// Numbers: an optional leading '+', then what `std::from_chars` accepts (decimal point,
/// exponent); the whole text (after trimming) must be the number, and a double must be finite
/// ("inf", "nan" and overflowing values are refused). Nothing here throws or allocates except
/// the `std::vector`s the splitters return and an error's message. See docs/reference/io.md.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/time.hpp"

namespace thermo::io {

/// Outcome of reading a text format: `code == errc::ok`, or a message naming the file and the
/// line ("trace.csv:7: bad number 'abc' in column 3 (cpu1)"); `line` is 0 for an error about
/// the whole text.
struct text_error {
  errc code{errc::ok};
  std::string message;
  std::size_t line = 0;
  [[nodiscard]] bool ok() const noexcept { return code == errc::ok; }
};

/// The largest CSV trace thermo reads (a `replay` trace, a utilisation trace): 64 MiB, about a
/// million rows; checked while reading, so an endless stream fails at the limit.
inline constexpr std::size_t max_csv_trace_bytes = std::size_t{64} << 20U;

/// The characters `trim` removes: `front` from the start, `back` from the end.
struct trim_chars {
  std::string_view front;
  std::string_view back;
};

/// Spaces and tabs, and at the end also a CR (the rest of a CRLF line end).
inline constexpr trim_chars blanks{" \t", " \t\r"};
/// Spaces, tabs and CRs at either end, and LFs at the end.
inline constexpr trim_chars whitespace{" \t\r", " \t\r\n"};
/// Nothing: the whole text is the value.
inline constexpr trim_chars exact{"", ""};

/// `s` without the leading `what.front` and trailing `what.back` characters.
[[nodiscard]] constexpr std::string_view trim(std::string_view s, trim_chars what = blanks) noexcept {
  while (!s.empty() && what.front.find(s.front()) != std::string_view::npos) {
    s.remove_prefix(1);
  }
  while (!s.empty() && what.back.find(s.back()) != std::string_view::npos) {
    s.remove_suffix(1);
  }
  return s;
}

/// The UTF-8 byte order mark some editors write at the start of a text file.
inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

/// `text` without a leading UTF-8 byte order mark (every text format of thermo starts with it
/// skipped, so that line 1 is the first line the user sees).
[[nodiscard]] constexpr std::string_view skip_bom(std::string_view text) noexcept {
  if (text.substr(0, utf8_bom.size()) == utf8_bom) {
    text.remove_prefix(utf8_bom.size());
  }
  return text;
}

namespace detail::text {
/// The length of the valid UTF-8 sequence (2 to 4 bytes, no overlong form, no surrogate, at most
/// U+10FFFF) at the start of `s`, or 0.
[[nodiscard]] constexpr std::size_t utf8_sequence(std::string_view s) noexcept {
  const auto b = [&](std::size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(s[k])); };
  const unsigned c = b(0);
  std::size_t n = 0;
  unsigned lo = 0x80U;
  unsigned hi = 0xBFU;
  if (c >= 0xC2U && c <= 0xDFU) {
    n = 2;
  } else if (c >= 0xE0U && c <= 0xEFU) {
    n = 3;
    lo = c == 0xE0U ? 0xA0U : 0x80U;
    hi = c == 0xEDU ? 0x9FU : 0xBFU;
  } else if (c >= 0xF0U && c <= 0xF4U) {
    n = 4;
    lo = c == 0xF0U ? 0x90U : 0x80U;
    hi = c == 0xF4U ? 0x8FU : 0xBFU;
  } else {
    return 0;
  }
  if (s.size() < n || b(1) < lo || b(1) > hi) {
    return 0;
  }
  for (std::size_t k = 2; k < n; ++k) {
    if (b(k) < 0x80U || b(k) > 0xBFU) {
      return 0;
    }
  }
  return n;
}
}  // namespace detail::text

/// Input text made safe to quote in a one-line message: printable ASCII and valid UTF-8 are
/// kept; control characters become C escapes (`\0`, `\t`, `\n`, `\r`, else `\xNN`, e.g.
/// ESC → `\x1b`), and so do DEL, a backslash (`\\`) and every byte that is not part of valid
/// UTF-8. More than `max_chars` characters of `s` are cut to the first `max_chars` and "…".
[[nodiscard]] inline std::string printable(std::string_view s, std::size_t max_chars = 60) {
  static constexpr std::string_view hex = "0123456789abcdef";
  std::string out;
  std::size_t chars = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (chars == max_chars) {
      out += "\xE2\x80\xA6";  // …
      return out;
    }
    const auto c = static_cast<unsigned>(static_cast<unsigned char>(s[i]));
    if (c >= 0x20U && c < 0x7FU && c != '\\') {
      out += static_cast<char>(c);
      ++i;
    } else if (const std::size_t n = c >= 0x80U ? detail::text::utf8_sequence(s.substr(i)) : 0; n > 0) {
      out += s.substr(i, n);
      i += n;
    } else {
      switch (c) {
        case 0:
          out += "\\0";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\\':
          out += "\\\\";
          break;
        default:
          out += "\\x";
          out += hex[static_cast<std::size_t>(c >> 4U)];
          out += hex[static_cast<std::size_t>(c & 0xFU)];
          break;
      }
      ++i;
    }
    ++chars;
  }
  return out;
}

/// "'TEXT'": `printable(s, max_chars)` in single quotes, as messages quote input.
[[nodiscard]] inline std::string quoted(std::string_view s, std::size_t max_chars = 60) {
  // appended, not `"'" + std::string&&`: that trips gcc 12's -Wrestrict false positive at -O3
  std::string out(1, '\'');
  out += printable(s, max_chars);
  out += '\'';
  return out;
}

/// The message for an input larger than its limit: "'NAME' is larger than the 16 MiB limit of
/// a device-tree blob" (`what` names the kind of input; the limit in MiB when it is a whole
/// number of MiB, else in bytes).
[[nodiscard]] inline std::string size_limit_message(std::string_view name, std::size_t max_bytes, std::string_view what) {
  constexpr std::size_t mib = std::size_t{1} << 20U;
  const std::string limit = max_bytes % mib == 0 && max_bytes > 0 ? std::to_string(max_bytes / mib) + " MiB"
                                                                  : std::to_string(max_bytes) + " bytes";
  return quoted(name, 200) + " is larger than the " + limit + " limit of " + std::string(what);
}

/// Whether `message`, from a failed bounded read (io/file.hpp's `read_file`/`read_stream`), says
/// the input was larger than the limit rather than why it could not be read ("cannot read …").
[[nodiscard]] inline bool is_size_limit_failure(std::string_view message) noexcept {
  return message.substr(0, 12) != "cannot read ";
}

/// The message of a failed bounded read of `name`: the reason as io/file.hpp gives it, or, when
/// the input was larger than `max_bytes`, `size_limit_message(name, max_bytes, what)`.
[[nodiscard]] inline std::string read_failure_message(std::string message, std::string_view name, std::size_t max_bytes,
                                                      std::string_view what) {
  return is_size_limit_failure(message) ? size_limit_message(name, max_bytes, what) : std::move(message);
}

/// The lines of `text` (LF or CRLF line ends, one CR removed per line), empty lines included;
/// a last line left empty (the text ends with a line end) is not returned. Line k (0-based) is
/// line k + 1 of the text. A text with no LF at all but a CR before its last character has old
/// Mac OS line ends: each CR ends a line.
[[nodiscard]] inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  const bool cr_only = text.find('\n') == std::string_view::npos && text.find('\r') + 1 < text.size();
  const char line_end = cr_only ? '\r' : '\n';
  std::size_t from = 0;
  while (from <= text.size()) {
    const std::size_t nl = text.find(line_end, from);
    const std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(from, end - from);
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (nl == std::string_view::npos && line.empty()) {
      break;
    }
    out.push_back(line);
    from = end + 1;
  }
  return out;
}

/// The fields of `line` between `separator`s (no quoting), each trimmed of `around`; an empty
/// line is one empty field.
[[nodiscard]] inline std::vector<std::string_view> split(std::string_view line, char separator,
                                                         trim_chars around = exact) {
  std::vector<std::string_view> out;
  std::size_t from = 0;
  while (true) {
    const std::size_t at = line.find(separator, from);
    out.push_back(trim(line.substr(from, at == std::string_view::npos ? std::string_view::npos : at - from), around));
    if (at == std::string_view::npos) {
      return out;
    }
    from = at + 1;
  }
}

/// Comma-separated fields, each trimmed of blanks (the CSV dialect of thermo's traces).
[[nodiscard]] inline std::vector<std::string_view> split_csv(std::string_view line) {
  return split(line, ',', blanks);
}

/// The non-empty runs of `s` between any of the `separators` (default: spaces and tabs).
[[nodiscard]] inline std::vector<std::string_view> words(std::string_view s, std::string_view separators = " \t") {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && separators.find(s[i]) != std::string_view::npos) {
      ++i;
    }
    const std::size_t start = i;
    while (i < s.size() && separators.find(s[i]) == std::string_view::npos) {
      ++i;
    }
    if (i > start) {
      out.push_back(s.substr(start, i - start));
    }
  }
  return out;
}

namespace detail::text {
/// `s` trimmed of `around`, then of one leading '+' (which `std::from_chars` does not take).
[[nodiscard]] constexpr std::string_view number_text(std::string_view s, trim_chars around) noexcept {
  s = trim(s, around);
  if (!s.empty() && s.front() == '+') {
    s.remove_prefix(1);
  }
  return s;
}
}  // namespace detail::text

/// A finite double: the whole of `text` once trimmed of `around`, with an optional leading '+'
/// (decimal point and exponent as `std::from_chars` reads them). Empty text, trailing
/// characters, NaN, infinities and values out of range give nullopt.
[[nodiscard]] inline std::optional<double> parse_double(std::string_view text, trim_chars around = whitespace) noexcept {
  const std::string_view s = detail::text::number_text(text, around);
  if (s.empty()) {
    return std::nullopt;
  }
  double v = 0.0;
  const char* const end = s.data() + s.size();  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || p != end || !(v - v == 0.0)) {  // v − v is NaN for ±inf and NaN
    return std::nullopt;
  }
  return v;
}

/// A decimal integer in [lo, hi]: the whole of `text` once trimmed of `around`, with an optional
/// sign ('+' or '-'); no decimal point or exponent.
[[nodiscard]] inline std::optional<std::int64_t> parse_int(std::string_view text, std::int64_t lo, std::int64_t hi,
                                                           trim_chars around = whitespace) noexcept {
  const std::string_view s = detail::text::number_text(text, around);
  if (s.empty()) {
    return std::nullopt;
  }
  std::int64_t v = 0;
  const char* const end = s.data() + s.size();  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  const auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc{} || p != end || v < lo || v > hi) {
    return std::nullopt;
  }
  return v;
}

/// A non-negative decimal with at most `decimals` digits after the point, scaled by
/// 10^`decimals` to an integer ≤ `max_scaled` ("37.5" with 3 decimals → 37500). Exact: no
/// floating point. The whole of `text` once trimmed of `around`, with an optional leading '+';
/// "5." and ".5" are refused (a digit on each side of the point).
[[nodiscard]] inline std::optional<std::int64_t> parse_fixed(std::string_view text, int decimals, std::int64_t max_scaled,
                                                             trim_chars around = whitespace) noexcept {
  const std::string_view s = detail::text::number_text(text, around);
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (whole.empty() || whole.front() == '-' || (dot != std::string_view::npos && frac.empty()) || decimals < 0 ||
      frac.size() > static_cast<std::size_t>(decimals)) {
    return std::nullopt;
  }
  std::int64_t scale = 1;
  for (int k = 0; k < decimals; ++k) {
    scale *= 10;
  }
  const auto w = parse_int(whole, 0, max_scaled / scale, exact);
  if (!w) {
    return std::nullopt;
  }
  std::int64_t f = 0;
  std::int64_t digit_scale = scale;
  for (const char c : frac) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    digit_scale /= 10;
    f += (c - '0') * digit_scale;
  }
  const std::int64_t v = *w * scale + f;
  if (v > max_scaled) {
    return std::nullopt;
  }
  return v;
}

/// A unit of time as thermo's text formats write it, and its length in nanoseconds.
struct time_unit {
  std::string_view name;
  double nanoseconds;
};

/// s, ms, us and ns (the units of a CSV trace's time column), then min and h (durations only).
inline constexpr std::array<time_unit, 6> time_units{
    {{"s", 1e9}, {"ms", 1e6}, {"us", 1e3}, {"ns", 1.0}, {"min", 60e9}, {"h", 3600e9}}};

/// The nanoseconds in one `unit`, looked up among the first `count` entries of `time_units`;
/// nullopt for any other text.
[[nodiscard]] constexpr std::optional<double> unit_nanoseconds(std::string_view unit,
                                                               std::size_t count = time_units.size()) noexcept {
  for (std::size_t k = 0; k < count && k < time_units.size(); ++k) {
    if (time_units[k].name == unit) {
      return time_units[k].nanoseconds;
    }
  }
  return std::nullopt;
}

/// A duration with its unit — "600 s", "100 ms", "250us", "7 ns", "2 min", "1.5 h" — rounded to
/// whole nanoseconds: a number (as `parse_double`), optional blanks, then a unit of
/// `time_units`; zero may be written without a unit ("0"). Negative values, a missing (for
/// a value other than zero) or unknown unit and values above 9·10¹⁸ ns give nullopt.
[[nodiscard]] inline std::optional<sim_duration> parse_duration(std::string_view text) noexcept {
  const std::string_view s = trim(text);
  std::size_t unit_at = s.size();
  while (unit_at > 0 && s[unit_at - 1] >= 'a' && s[unit_at - 1] <= 'z') {
    --unit_at;
  }
  const auto v = parse_double(trim(s.substr(0, unit_at)), exact);
  if (unit_at == s.size() && v && *v == 0.0) {
    return sim_duration(0);  // zero needs no unit ("record_interval = 0")
  }
  const std::optional<double> scale = unit_nanoseconds(s.substr(unit_at));
  if (!scale || !v || *v < 0.0 || *v * *scale > 9.0e18) {
    return std::nullopt;
  }
  return sim_duration(static_cast<std::int64_t>(*v * *scale + 0.5));
}

}  // namespace thermo::io
