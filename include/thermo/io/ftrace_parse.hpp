/// @file ftrace_parse.hpp
/// The pieces of the ftrace text reader (io/ftrace.hpp): the event names, the common prefix of
/// an event line ("task-pid [cpu] flags timestamp: name: "), and one parser per event of
/// io/ftrace_events.hpp over its fields (io/ftrace_fields.hpp), written from the kernel's
/// printed formats (see docs/reference/ftrace-events.md). Host code.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "thermo/io/ftrace_events.hpp"
#include "thermo/io/ftrace_fields.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io::ftrace {

/// The longest line the reader takes (without its line end): 64 KiB. A longer line, or a stream
/// without line ends, is an error at this limit.
inline constexpr std::size_t max_line_bytes = std::size_t{64} << 10U;

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

namespace detail::ftrace {

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
/// "-digits" before the CPU column), or perf script's "TASK PID [CPU] SECS.FRAC: SUBSYS:NAME:
/// FIELDS". Returns an error text, or "" with `out` filled.
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
    // "task-pid" (tracefs, trace-cmd) or "task pid" (perf script, the task right-aligned)
    if (d == left.size() || d == 0 || (left[d - 1] != '-' && !is_blank(left[d - 1]))) {
      continue;
    }
    const auto pid = digits(left.substr(d), std::numeric_limits<std::int32_t>::max());
    if (!pid) {
      continue;
    }
    out.task = ltrim(left.substr(0, d - 1));
    if (left[d - 1] != '-') {
      out.task = rtrim(out.task);
    }
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
/// trace ("<stack trace>", then "=> func" lines). perf script's call-chain lines (indented with
/// a tab) are skipped by the reader before trimming.
[[nodiscard]] constexpr bool is_skipped_line(std::string_view line) noexcept {
  return line.empty() || line.front() == '#' || line.substr(0, 5) == "cpus=" || line.substr(0, 7) == "version" ||
         line.substr(0, 4) == "CPU:" || (line.substr(0, 4) == "CPU " && line.ends_with(" is empty")) ||
         line.substr(0, 2) == "=>" || line == "<stack trace>" || line == "<user stack trace>";
}

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
