/// @file ftrace_fields.hpp
/// The `name=value` fields of an ftrace event line and their values — integers, strings,
/// `__print_array` arrays, cpumasks, trip types — for the ftrace reader (io/ftrace.hpp; the
/// formats are in docs/reference/ftrace-events.md). Host code.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

#include "thermo/control/trip.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io::ftrace {

/// The highest CPU number + 1 a cpumask field may name (the kernel's largest NR_CPUS).
inline constexpr std::uint32_t max_cpus = 8192;

/// The most `name=value` fields of one event line (the events thermo knows print at most 9).
inline constexpr std::size_t max_fields = 32;

/// The printed name of a trip type, as the kernel's `show_tzt_type` prints it ("PASSIVE").
[[nodiscard]] constexpr std::string_view trip_type_name(control::trip_type t) noexcept {
  switch (t) {
    case control::trip_type::active:
      return "ACTIVE";
    case control::trip_type::passive:
      return "PASSIVE";
    case control::trip_type::hot:
      return "HOT";
    case control::trip_type::critical:
      return "CRITICAL";
  }
  return "PASSIVE";
}

namespace detail::ftrace {

[[nodiscard]] constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
[[nodiscard]] constexpr bool is_blank(char c) noexcept { return c == ' ' || c == '\t'; }
[[nodiscard]] constexpr bool is_ident(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
[[nodiscard]] constexpr int hex_digit(char c) noexcept {
  if (is_digit(c)) {
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
[[nodiscard]] constexpr std::string_view ltrim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) {
    s.remove_prefix(1);
  }
  return s;
}
[[nodiscard]] constexpr std::string_view rtrim(std::string_view s) noexcept {
  while (!s.empty() && (is_blank(s.back()) || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

/// A run of decimal digits (nothing else) with a value ≤ `max`.
[[nodiscard]] constexpr std::optional<std::uint64_t> digits(std::string_view s, std::uint64_t max) noexcept {
  if (s.empty() || s.size() > 20) {
    return std::nullopt;
  }
  std::uint64_t v = 0;
  for (const char c : s) {
    if (!is_digit(c)) {
      return std::nullopt;
    }
    const auto d = static_cast<std::uint64_t>(c - '0');
    if (d > max || v > (max - d) / 10) {
      return std::nullopt;
    }
    v = v * 10 + d;
  }
  return v;
}

/// One `name=value` field.
struct field {
  std::string_view key;
  std::string_view value;
  bool used{false};
};

/// Splits "a=1 b=two words c={{0x1}}" into fields: a value runs to the blank before the next
/// "name=" (so string values may contain blanks), trailing blanks removed (the `%-30s` padding
/// of the devfreq events). Returns an error text or "".
[[nodiscard]] inline std::string split_fields(std::string_view s, std::vector<field>& out) {
  out.clear();
  std::size_t p = 0;
  while (p < s.size()) {
    std::size_t k = p;
    while (k < s.size() && is_ident(s[k])) {
      ++k;
    }
    if (k == p || k >= s.size() || s[k] != '=') {
      std::string msg = "expected name=value at ";
      msg += quoted(s.substr(p));
      return msg;
    }
    const std::string_view key = s.substr(p, k - p);
    const std::size_t start = k + 1;
    std::size_t end = s.size();
    std::size_t next = s.size();
    std::size_t e = start;
    while (e < s.size()) {
      if (!is_blank(s[e])) {
        ++e;
        continue;
      }
      std::size_t w = e;
      while (w < s.size() && is_blank(s[w])) {
        ++w;
      }
      std::size_t q = w;
      while (q < s.size() && is_ident(s[q])) {
        ++q;
      }
      if (q > w && q < s.size() && s[q] == '=') {
        end = e;
        next = w;
        break;
      }
      e = w;
    }
    for (const field& f : out) {
      if (f.key == key) {
        std::string msg = "field ";
        msg += key;
        msg += " appears twice";
        return msg;
      }
    }
    if (out.size() == max_fields) {
      return "more than 32 fields";
    }
    out.push_back({key, rtrim(s.substr(start, end - start)), false});
    p = next;
  }
  return {};
}

/// The fields of one event line, read by name; the first problem is kept in `error`.
class fields {
 public:
  explicit fields(std::vector<field>& f) noexcept : f_(f) {}

  [[nodiscard]] bool ok() const noexcept { return error.empty(); }

  /// The value of `key` (marked as read), or nullopt.
  [[nodiscard]] std::optional<std::string_view> find(std::string_view key) noexcept {
    for (field& f : f_) {
      if (f.key == key) {
        f.used = true;
        return f.value;
      }
    }
    return std::nullopt;
  }
  [[nodiscard]] bool has(std::string_view key) const noexcept {
    for (const field& f : f_) {
      if (f.key == key) {
        return true;
      }
    }
    return false;
  }

  /// The value of `key`, or "" with "missing field KEY" as the error.
  [[nodiscard]] std::string_view get(std::string_view key) {
    if (!ok()) {
      return {};
    }
    const auto v = find(key);
    if (!v) {
      error = "missing field ";
      error += key;
      return {};
    }
    return *v;
  }

  void bad(std::string_view key, std::string_view value, std::string_view kind) {
    if (!ok()) {
      return;
    }
    error = "bad value ";
    error += quoted(value);
    error += " for ";
    error += key;
    error += " (";
    error += kind;
    error += ')';
  }

  /// A decimal integer of type T.
  template <class T>
  void number(std::string_view key, T& out) {
    const std::string_view v = get(key);
    if (!ok()) {
      return;
    }
    T x{};
    const char* const end = v.data() + v.size();  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    const auto [p, ec] = std::from_chars(v.data(), end, x);
    if (v.empty() || ec != std::errc{} || p != end) {
      constexpr bool wide = sizeof(T) > 4;
      if constexpr (std::is_signed_v<T>) {
        bad(key, v, wide ? "64-bit integer" : "integer");
      } else {
        bad(key, v, wide ? "unsigned 64-bit integer" : "unsigned integer");
      }
      return;
    }
    out = x;
  }
  template <class T>
  void number(std::string_view key, std::optional<T>& out) {
    T x{};
    number(key, x);
    out = x;
  }

  void text(std::string_view key, std::string& out) {
    const std::string_view v = get(key);
    if (ok()) {
      out.assign(v);
    }
  }

  /// `__print_array`'s "{0x96,0x1f4}", inside the "{...}" of the format ("{{0x96,0x1f4}}");
  /// one or two pairs of braces, hex ("0x…") or decimal elements.
  void array(std::string_view key, std::vector<std::uint32_t>& out) {
    const std::string_view v = get(key);
    if (!ok()) {
      return;
    }
    std::string_view s = v;
    bool good = s.size() >= 2 && s.front() == '{' && s.back() == '}';
    if (good) {
      s = s.substr(1, s.size() - 2);
      if (s.size() >= 2 && s.front() == '{' && s.back() == '}') {
        s = s.substr(1, s.size() - 2);
      }
    }
    out.clear();
    while (good && !s.empty()) {
      const std::size_t comma = s.find(',');
      std::string_view item = s.substr(0, comma);
      std::optional<std::uint64_t> x;
      if (item.substr(0, 2) == "0x" && item.size() > 2 && item.size() <= 10) {
        std::uint64_t h = 0;
        for (const char c : item.substr(2)) {
          const int d = hex_digit(c);
          if (d < 0) {
            h = ~std::uint64_t{0};
            break;
          }
          h = (h << 4U) | static_cast<std::uint64_t>(d);
        }
        if (h <= 0xFFFF'FFFFULL) {
          x = h;
        }
      } else {
        x = digits(item, 0xFFFF'FFFFULL);
      }
      good = x.has_value() && !(comma != std::string_view::npos && comma + 1 == s.size());
      if (good) {
        out.push_back(static_cast<std::uint32_t>(*x));
      }
      s = comma == std::string_view::npos ? std::string_view{} : s.substr(comma + 1);
    }
    if (!good) {
      bad(key, v, "array like {{0x96,0x1f4}}");
    }
  }

  /// A cpumask: `__get_bitmask`'s hex mask in comma-separated 32-bit groups, most significant
  /// first ("00000000,0000000f": a first group of 1 to 8 digits, the others of 8), or a CPU
  /// list in ascending order ("0-3,6"). A single number is a mask ("6" is CPUs 1 and 2).
  void cpumask(std::string_view key, std::vector<std::uint32_t>& out) {
    const std::string_view v = get(key);
    if (!ok()) {
      return;
    }
    out.clear();
    if (!parse_mask(v, out) && !parse_list(v, out)) {
      bad(key, v, "cpumask: hex groups like 00000000,0000000f or a list like 0-3,6");
    }
  }

  /// "CRITICAL", "HOT", "PASSIVE" or "ACTIVE" (`show_tzt_type`), or the oldest kernels' number
  /// (0 active, 1 passive, 2 hot, 3 critical).
  void trip_type(std::string_view key, control::trip_type& out) {
    const std::string_view v = get(key);
    if (!ok()) {
      return;
    }
    for (const auto t : {control::trip_type::active, control::trip_type::passive, control::trip_type::hot,
                         control::trip_type::critical}) {
      if (v == trip_type_name(t)) {
        out = t;
        return;
      }
    }
    if (const auto n = digits(v, 3)) {
      out = static_cast<control::trip_type>(*n);
      return;
    }
    bad(key, v, "CRITICAL, HOT, PASSIVE or ACTIVE");
  }

  /// After the reads: a field no read asked for is an error (a format thermo does not know).
  void finish() {
    if (!ok()) {
      return;
    }
    for (const field& f : f_) {
      if (!f.used) {
        error = "unexpected field ";
        error += quoted(f.key);
        return;
      }
    }
  }

  std::string error;

 private:
  static bool parse_mask(std::string_view v, std::vector<std::uint32_t>& out) {
    std::size_t groups = 1;
    for (const char c : v) {
      groups += c == ',' ? 1U : 0U;
    }
    if (v.empty() || groups > max_cpus / 32) {
      return false;
    }
    std::size_t g = groups;  // the group being read, counted from the least significant (1)
    std::size_t from = 0;
    std::vector<std::uint32_t> words(groups, 0);
    while (g > 0) {
      const std::size_t comma = v.find(',', from);
      const std::string_view item = v.substr(from, comma == std::string_view::npos ? v.npos : comma - from);
      const bool first = g == groups;
      if (item.empty() || item.size() > 8 || (!first && item.size() != 8)) {
        return false;
      }
      std::uint32_t w = 0;
      for (const char c : item) {
        const int d = hex_digit(c);
        if (d < 0) {
          return false;
        }
        w = (w << 4U) | static_cast<std::uint32_t>(d);
      }
      words[g - 1] = w;
      --g;
      from = comma + 1;
    }
    for (std::size_t k = 0; k < groups; ++k) {
      for (std::uint32_t b = 0; b < 32; ++b) {
        if (((words[k] >> b) & 1U) != 0U) {
          out.push_back(static_cast<std::uint32_t>(k * 32) + b);
        }
      }
    }
    return true;
  }
  static bool parse_list(std::string_view v, std::vector<std::uint32_t>& out) {
    out.clear();
    std::size_t from = 0;
    std::int64_t last = -1;
    while (from <= v.size()) {
      const std::size_t comma = v.find(',', from);
      const std::string_view item = v.substr(from, comma == std::string_view::npos ? v.npos : comma - from);
      const std::size_t dash = item.find('-');
      const auto a = digits(item.substr(0, dash), max_cpus - 1);
      const auto b = dash == std::string_view::npos ? a : digits(item.substr(dash + 1), max_cpus - 1);
      if (!a || !b || *b < *a || static_cast<std::int64_t>(*a) <= last) {
        out.clear();
        return false;
      }
      for (std::uint64_t c = *a; c <= *b; ++c) {
        out.push_back(static_cast<std::uint32_t>(c));
      }
      last = static_cast<std::int64_t>(*b);
      if (comma == std::string_view::npos) {
        return true;
      }
      from = comma + 1;
    }
    return true;
  }

  std::vector<field>& f_;
};

}  // namespace detail::ftrace
}  // namespace thermo::io::ftrace
