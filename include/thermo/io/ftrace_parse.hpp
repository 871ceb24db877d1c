/// @file ftrace_parse.hpp
/// The pieces of the ftrace text reader (io/ftrace.hpp): the event names, the common prefix of
/// an event line ("task-pid [cpu] flags timestamp: name: "), the `name=value` fields, and one
/// parser per event of io/ftrace_events.hpp, written from the kernel's printed formats (see
/// docs/reference/ftrace-events.md). Host code.
#pragma once

#include <array>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <variant>
#include <vector>

#include "thermo/io/ftrace_events.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io::ftrace {

/// The longest line the reader takes (without its line end): 64 KiB. A longer line, or a stream
/// without line ends, is an error at this limit.
inline constexpr std::size_t max_line_bytes = std::size_t{64} << 10U;

/// The highest CPU number + 1 a cpumask field may name (the kernel's largest NR_CPUS).
inline constexpr std::uint32_t max_cpus = 8192;

/// The most `name=value` fields of one event line (the events thermo knows print at most 9).
inline constexpr std::size_t max_fields = 32;

/// The printed name of each event, in the order of `payload`'s alternatives.
inline constexpr std::array<std::string_view, std::variant_size_v<payload>> event_names{
    "thermal_temperature",          "thermal_zone_trip",
    "cdev_update",                  "thermal_power_allocator",
    "thermal_power_allocator_pid",  "thermal_power_actor",
    "thermal_power_cpu_get_power",  "thermal_power_cpu_get_power_simple",
    "thermal_power_cpu_limit",      "thermal_power_devfreq_get_power",
    "thermal_power_devfreq_limit",  "cpu_frequency",
    "devfreq_frequency",            "devfreq_monitor",
};

/// The printed name of the event `p` holds ("thermal_power_allocator").
[[nodiscard]] inline std::string_view event_name(const payload& p) noexcept { return event_names[p.index()]; }

/// The index in `payload` of the event printed as `name`, or nullopt for an event thermo
/// does not know.
[[nodiscard]] constexpr std::optional<std::size_t> event_index(std::string_view name) noexcept {
  for (std::size_t k = 0; k < event_names.size(); ++k) {
    if (event_names[k] == name) {
      return k;
    }
  }
  return std::nullopt;
}

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
    if (v > (max - d) / 10) {
      return std::nullopt;
    }
    v = v * 10 + d;
  }
  return v;
}

/// The common part of an event line.
struct prefix {
  std::string_view task;
  std::int32_t pid{0};
  std::int32_t cpu{0};
  std::int64_t time_ns{0};
  std::string_view name;    ///< empty for a record that has no `name:` (e.g. the function tracer's)
  std::string_view fields;  ///< the text after "name: ", trimmed
};

/// A timestamp "SECONDS.FRACTION:" (1 to 9 fraction digits; tracefs prints 6, `trace-cmd
/// report -t` 9) in ns.
[[nodiscard]] constexpr std::optional<std::int64_t> timestamp(std::string_view tok) noexcept {
  if (tok.size() < 2 || tok.back() != ':') {
    return std::nullopt;
  }
  tok.remove_suffix(1);
  const std::size_t dot = tok.find('.');
  if (dot == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view frac = tok.substr(dot + 1);
  const auto secs = digits(tok.substr(0, dot), 9'000'000'000ULL);
  const auto f = digits(frac, 999'999'999ULL);
  if (!secs || !f || frac.size() > 9) {
    return std::nullopt;
  }
  std::uint64_t scale = 1;
  for (std::size_t k = frac.size(); k < 9; ++k) {
    scale *= 10;
  }
  return static_cast<std::int64_t>(*secs * 1'000'000'000ULL + *f * scale);
}

/// Parses the common prefix of `line`: "TASK-PID [(TGID)] [CPU] [FLAGS] SECS.FRAC: NAME: FIELDS"
/// (task right-aligned and possibly containing blanks and dashes: the pid is the last
/// "-digits" before the CPU column). Returns an error text, or "" with `out` filled.
[[nodiscard]] inline std::string parse_prefix(std::string_view line, prefix& out) {
  for (std::size_t at = line.find('['); at != std::string_view::npos; at = line.find('[', at + 1)) {
    std::size_t k = at + 1;
    while (k < line.size() && is_digit(line[k])) {
      ++k;
    }
    if (k == at + 1 || k >= line.size() || line[k] != ']') {
      continue;
    }
    const auto cpu = digits(line.substr(at + 1, k - at - 1), std::numeric_limits<std::int32_t>::max());
    std::string_view left = rtrim(line.substr(0, at));
    if (!cpu) {
      continue;
    }
    if (!left.empty() && left.back() == ')') {  // the TGID column: "(  123)" or "(-------)"
      const std::size_t open = left.rfind('(');
      if (open == std::string_view::npos) {
        continue;
      }
      const std::string_view inner = ltrim(left.substr(open + 1, left.size() - open - 2));
      const bool dashes = !inner.empty() && inner.find_first_not_of('-') == std::string_view::npos;
      if (!dashes && !digits(inner, std::numeric_limits<std::int32_t>::max())) {
        continue;
      }
      left = rtrim(left.substr(0, open));
    }
    std::size_t d = left.size();
    while (d > 0 && is_digit(left[d - 1])) {
      --d;
    }
    if (d == left.size() || d == 0 || left[d - 1] != '-') {
      continue;
    }
    const auto pid = digits(left.substr(d), std::numeric_limits<std::int32_t>::max());
    if (!pid) {
      continue;
    }
    out.task = ltrim(left.substr(0, d - 1));
    out.pid = static_cast<std::int32_t>(*pid);
    out.cpu = static_cast<std::int32_t>(*cpu);
    // [FLAGS] SECS.FRAC:
    std::string_view rest = ltrim(line.substr(k + 1));
    auto token = [&rest]() {
      const std::size_t end = std::min(rest.find(' '), rest.find('\t'));
      const std::string_view t = rest.substr(0, end);
      rest = ltrim(rest.substr(t.size()));
      return t;
    };
    std::string_view tok = token();
    std::optional<std::int64_t> t = timestamp(tok);
    if (!t && !tok.empty() && tok.size() <= 8 && tok.back() != ':') {  // the flags column ("d.h2.")
      tok = token();
      t = timestamp(tok);
    }
    if (!t) {
      std::string msg = "bad or missing timestamp ";
      msg += quoted(tok);
      msg += " (seconds.microseconds:)";
      return msg;
    }
    out.time_ns = *t;
    // NAME: or SUBSYSTEM:NAME:
    std::size_t n = 0;
    while (n < rest.size() && is_ident(rest[n])) {
      ++n;
    }
    out.name = {};
    out.fields = {};
    if (n > 0 && n < rest.size() && rest[n] == ':') {
      std::string_view name = rest.substr(0, n);
      std::size_t e = n + 1;
      std::size_t m = e;
      while (m < rest.size() && is_ident(rest[m])) {
        ++m;
      }
      if (m > e && m < rest.size() && rest[m] == ':') {  // "thermal:thermal_temperature:"
        name = rest.substr(e, m - e);
        e = m + 1;
      }
      out.name = name;
      out.fields = rtrim(ltrim(rest.substr(e)));
    }
    return {};
  }
  std::string msg = "not an ftrace event line ";
  msg += quoted(line);
  return msg;
}

/// Whether `line` (trimmed) is one the printers write around the events: a comment or header
/// ("# tracer: nop", trace-cmd's "cpus=8" and "version = 6"), tracefs's "CPU:2 [LOST 14
/// EVENTS]" and "##### CPU 2 buffer started ####", trace-cmd's "CPU 3 is empty", or a stack
/// trace line ("=> func").
[[nodiscard]] constexpr bool is_skipped_line(std::string_view line) noexcept {
  return line.empty() || line.front() == '#' || line.substr(0, 5) == "cpus=" || line.substr(0, 7) == "version" ||
         line.substr(0, 4) == "CPU:" || (line.substr(0, 4) == "CPU " && line.ends_with(" is empty")) ||
         line.substr(0, 2) == "=>";
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

// One parser per event: reads `f` into the payload alternative.
inline void parse(fields& f, thermal_temperature& e) {
  f.text("thermal_zone", e.zone);
  f.number("id", e.id);
  f.number("temp_prev", e.temp_prev);
  f.number("temp", e.temp);
}
inline void parse(fields& f, thermal_zone_trip& e) {
  f.text("thermal_zone", e.zone);
  f.number("id", e.id);
  f.number("trip", e.trip);
  f.trip_type("trip_type", e.type);
}
inline void parse(fields& f, cdev_update& e) {
  f.text("type", e.type);
  f.number("target", e.target);
}
inline void parse(fields& f, power_allocator& e) {
  e.has_arrays = f.has("req_power") || f.has("granted_power");
  f.number("thermal_zone_id", e.tz_id);
  if (e.has_arrays) {
    f.array("req_power", e.req_power);
  }
  f.number("total_req_power", e.total_req_power);
  if (e.has_arrays) {
    f.array("granted_power", e.granted_power);
  }
  f.number("total_granted_power", e.total_granted_power);
  f.number("power_range", e.power_range);
  f.number("max_allocatable_power", e.max_allocatable_power);
  f.number("current_temperature", e.current_temperature);
  f.number("delta_temperature", e.delta_temperature);
  if (f.ok() && e.req_power.size() != e.granted_power.size()) {
    f.error = "granted_power has ";
    f.error += std::to_string(e.granted_power.size());
    f.error += " values, req_power ";
    f.error += std::to_string(e.req_power.size());
    f.error += " (one per actor)";
  }
}
inline void parse(fields& f, power_allocator_pid& e) {
  f.number("thermal_zone_id", e.tz_id);
  f.number("err", e.err);
  f.number("err_integral", e.err_integral);
  f.number("p", e.p);
  f.number("i", e.i);
  f.number("d", e.d);
  f.number("output", e.output);
}
inline void parse(fields& f, power_actor& e) {
  f.number("thermal_zone_id", e.tz_id);
  f.number("actor_id", e.actor_id);
  f.number("req_power", e.req_power);
  f.number("granted_power", e.granted_power);
}
inline void parse(fields& f, cpu_get_power& e) {
  f.cpumask("cpus", e.cpus);
  f.number("freq", e.freq);
  f.array("load", e.load);
  f.number("dynamic_power", e.dynamic_power);
  if (f.has("static_power")) {
    f.number("static_power", e.static_power);
  }
  if (f.ok() && e.load.size() != e.cpus.size()) {
    f.error = "load has ";
    f.error += std::to_string(e.load.size());
    f.error += " values for ";
    f.error += std::to_string(e.cpus.size());
    f.error += " CPUs in cpus";
  }
}
inline void parse(fields& f, cpu_get_power_simple& e) {
  f.number("cpu", e.cpu);
  f.number("power", e.power);
}
inline void parse(fields& f, cpu_limit& e) {
  f.cpumask("cpus", e.cpus);
  f.number("freq", e.freq);
  f.number("cdev_state", e.cdev_state);
  f.number("power", e.power);
}
inline void parse(fields& f, devfreq_get_power& e) {
  const bool old = f.has("dynamic_power") || f.has("static_power");
  f.text("type", e.type);
  f.number("freq", e.freq);
  f.number("load", e.load);
  if (old) {
    f.number("dynamic_power", e.dynamic_power);
    f.number("static_power", e.static_power);
  }
  f.number("power", e.power);
}
inline void parse(fields& f, devfreq_limit& e) {
  f.text("type", e.type);
  f.number("freq", e.freq);
  f.number("cdev_state", e.cdev_state);
  f.number("power", e.power);
}
inline void parse(fields& f, cpu_frequency& e) {
  f.number("state", e.state);
  f.number("cpu_id", e.cpu_id);
}
inline void parse(fields& f, devfreq_frequency& e) {
  f.text("dev_name", e.dev_name);
  f.number("freq", e.freq);
  f.number("prev_freq", e.prev_freq);
  f.number("load", e.load);
}
inline void parse(fields& f, devfreq_monitor& e) {
  f.text("dev_name", e.dev_name);
  f.number("freq", e.freq);
  f.number("polling_ms", e.polling_ms);
  f.number("load", e.load);
}

template <std::size_t I = 0>
[[nodiscard]] payload make_payload(std::size_t index) {
  if constexpr (I + 1 < std::variant_size_v<payload>) {
    if (index != I) {
      return make_payload<I + 1>(index);
    }
  }
  return payload(std::in_place_index<I>);
}

/// Parses the fields of the known event number `index` into `out`. Returns an error text
/// ("bad value 'x' for err (integer)") or "".
[[nodiscard]] inline std::string parse_payload(std::size_t index, std::string_view text, std::vector<field>& scratch,
                                               payload& out) {
  if (std::string e = split_fields(text, scratch); !e.empty()) {
    return e;
  }
  out = make_payload(index);
  fields f(scratch);
  std::visit([&f](auto& e) { parse(f, e); }, out);
  f.finish();
  return std::move(f.error);
}

}  // namespace detail::ftrace
}  // namespace thermo::io::ftrace
