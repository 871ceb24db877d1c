/// @file ftrace_format.hpp
/// The ftrace text writer: one event as the tracefs `trace` file of a 6.x kernel prints it,
/// and `writer`, which writes the `# tracer: nop` header and then events to a stream. See
/// docs/reference/ftrace-events.md ("The writer"). Host code.
#pragma once

#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "thermo/io/ftrace_events.hpp"
#include "thermo/io/ftrace_parse.hpp"

namespace thermo::io::ftrace {

namespace detail::ftrace {

inline void put(std::string& out, std::string_view key, std::string_view value) {
  if (!out.empty()) {
    out += ' ';
  }
  out += key;
  out += '=';
  out += value;
}
inline void put(std::string& out, std::string_view key, std::int64_t v) { put(out, key, std::to_string(v)); }
inline void put_u(std::string& out, std::string_view key, std::uint64_t v) { put(out, key, std::to_string(v)); }

/// `s` padded with blanks on the right to `width` (printf's "%-Ns").
inline std::string left(std::string s, std::size_t width) {
  if (s.size() < width) {
    s.append(width - s.size(), ' ');
  }
  return s;
}

/// `__print_array` inside the format's braces: "{{0x96,0x1f4}}".
inline std::string hex_array(const std::vector<std::uint32_t>& v) {
  std::string out = "{{";
  char buf[16];
  for (std::size_t k = 0; k < v.size(); ++k) {
    static_cast<void>(std::snprintf(buf, sizeof buf, "%s0x%" PRIx32, k == 0 ? "" : ",", v[k]));
    out += buf;
  }
  out += "}}";
  return out;
}

/// A cpumask as `__get_bitmask` prints it: 32-bit groups of 8 hex digits, most significant
/// first, as many as the highest CPU needs ("0000000f"; "00000100,00000001" for CPUs 0 and 40).
inline std::string hex_mask(const std::vector<std::uint32_t>& cpus) {
  std::uint32_t top = 0;
  for (const std::uint32_t c : cpus) {
    top = c > top ? c : top;
  }
  std::vector<std::uint32_t> words(top / 32 + 1, 0);
  for (const std::uint32_t c : cpus) {
    words[c / 32] |= 1U << (c % 32);
  }
  std::string out;
  char buf[16];
  for (std::size_t k = words.size(); k > 0; --k) {
    static_cast<void>(std::snprintf(buf, sizeof buf, "%08" PRIx32, words[k - 1]));
    if (!out.empty()) {
      out += ',';
    }
    out += buf;
  }
  return out;
}

inline void fields_of(std::string& o, const thermal_temperature& e) {
  put(o, "thermal_zone", e.zone);
  put(o, "id", e.id);
  put(o, "temp_prev", e.temp_prev);
  put(o, "temp", e.temp);
}
inline void fields_of(std::string& o, const thermal_zone_trip& e) {
  put(o, "thermal_zone", e.zone);
  put(o, "id", e.id);
  put(o, "trip", e.trip);
  put(o, "trip_type", trip_type_name(e.type));
}
inline void fields_of(std::string& o, const cdev_update& e) {
  put(o, "type", e.type);
  put_u(o, "target", e.target);
}
inline void fields_of(std::string& o, const power_allocator& e) {
  put(o, "thermal_zone_id", e.tz_id);
  if (e.has_arrays) {
    put(o, "req_power", hex_array(e.req_power));
  }
  put_u(o, "total_req_power", e.total_req_power);
  if (e.has_arrays) {
    put(o, "granted_power", hex_array(e.granted_power));
  }
  put_u(o, "total_granted_power", e.total_granted_power);
  put_u(o, "power_range", e.power_range);
  put_u(o, "max_allocatable_power", e.max_allocatable_power);
  put(o, "current_temperature", e.current_temperature);
  put(o, "delta_temperature", e.delta_temperature);
}
inline void fields_of(std::string& o, const power_allocator_pid& e) {
  put(o, "thermal_zone_id", e.tz_id);
  put(o, "err", e.err);
  put(o, "err_integral", e.err_integral);
  put(o, "p", e.p);
  put(o, "i", e.i);
  put(o, "d", e.d);
  put(o, "output", e.output);
}
inline void fields_of(std::string& o, const power_actor& e) {
  put(o, "thermal_zone_id", e.tz_id);
  put(o, "actor_id", e.actor_id);
  put_u(o, "req_power", e.req_power);
  put_u(o, "granted_power", e.granted_power);
}
inline void fields_of(std::string& o, const cpu_get_power& e) {
  put(o, "cpus", hex_mask(e.cpus));
  put_u(o, "freq", e.freq);
  put(o, "load", hex_array(e.load));
  put_u(o, "dynamic_power", e.dynamic_power);
  if (e.static_power) {
    put_u(o, "static_power", *e.static_power);
  }
}
inline void fields_of(std::string& o, const cpu_get_power_simple& e) {
  put(o, "cpu", e.cpu);
  put_u(o, "power", e.power);
}
inline void fields_of(std::string& o, const cpu_limit& e) {
  put(o, "cpus", hex_mask(e.cpus));
  put_u(o, "freq", e.freq);
  put_u(o, "cdev_state", e.cdev_state);
  put_u(o, "power", e.power);
}
inline void fields_of(std::string& o, const devfreq_get_power& e) {
  put(o, "type", e.type);
  put_u(o, "freq", e.freq);
  put_u(o, "load", e.load);
  if (e.dynamic_power || e.static_power) {  // the form before 5.11
    put_u(o, "dynamic_power", e.dynamic_power.value_or(0));
    put_u(o, "static_power", e.static_power.value_or(0));
  }
  put_u(o, "power", e.power);
}
inline void fields_of(std::string& o, const devfreq_limit& e) {
  put(o, "type", e.type);
  put_u(o, "freq", e.freq);
  put_u(o, "cdev_state", e.cdev_state);
  put_u(o, "power", e.power);
}
inline void fields_of(std::string& o, const cpu_frequency& e) {
  put_u(o, "state", e.state);
  put_u(o, "cpu_id", e.cpu_id);
}
inline void fields_of(std::string& o, const devfreq_frequency& e) {
  put(o, "dev_name", left(e.dev_name, 30));
  put(o, "freq", left(std::to_string(e.freq), 12));
  put(o, "prev_freq", left(std::to_string(e.prev_freq), 12));
  put(o, "load", left(std::to_string(e.load), 2));
}
inline void fields_of(std::string& o, const devfreq_monitor& e) {
  put(o, "dev_name", left(e.dev_name, 30));
  put(o, "freq", left(std::to_string(e.freq), 12));
  put(o, "polling_ms", left(std::to_string(e.polling_ms), 3));
  put(o, "load", left(std::to_string(e.load), 2));
}

}  // namespace detail::ftrace

/// The fields of `p` as the kernel's `TP_printk` prints them ("thermal_zone=cpu-thermal id=0
/// temp_prev=45000 temp=46000"). The ≤ 6.7 allocator arrays are printed when `has_arrays`;
/// the older `devfreq_get_power` form when `dynamic_power` or `static_power` is set.
[[nodiscard]] inline std::string format_fields(const payload& p) {
  std::string out;
  std::visit([&out](const auto& e) { detail::ftrace::fields_of(out, e); }, p);
  return out;
}

/// One event line as a 6.x tracefs `trace` file prints it, without the line end:
/// `%16s-%-7d [%03d] ..... %5llu.%06llu: NAME: FIELDS` — the task right-aligned in 16
/// columns, the pid left-aligned in 7, the CPU in 3 digits, the five flag columns as "....."
/// (irqs-off, need-resched, hardirq/softirq, preempt-depth, migrate-disable: none recorded),
/// then the timestamp with 6 decimals, or 9 when `time_ns` is not a whole microsecond (as
/// `trace-cmd report -t` prints it). A negative time is written with a '-', which the reader
/// refuses.
[[nodiscard]] inline std::string format(const event& e) {
  std::string out;
  if (e.task.size() < 16) {
    out.assign(16 - e.task.size(), ' ');
  }
  out += e.task;
  char buf[96];
  const bool negative = e.time_ns < 0;
  const std::uint64_t t = negative ? 0 - static_cast<std::uint64_t>(e.time_ns) : static_cast<std::uint64_t>(e.time_ns);
  const std::uint64_t secs = t / 1'000'000'000U;
  const std::uint64_t ns = t % 1'000'000'000U;
  if (ns % 1000U == 0) {
    static_cast<void>(std::snprintf(buf, sizeof buf, "-%-7" PRId32 " [%03" PRId32 "] ..... %s%5" PRIu64 ".%06" PRIu64 ": ",
                                    e.pid, e.cpu, negative ? "-" : "", secs, ns / 1000U));
  } else {
    static_cast<void>(std::snprintf(buf, sizeof buf, "-%-7" PRId32 " [%03" PRId32 "] ..... %s%5" PRIu64 ".%09" PRIu64 ": ",
                                    e.pid, e.cpu, negative ? "-" : "", secs, ns));
  }
  out += buf;
  out += event_name(e.data);
  out += ": ";
  out += format_fields(e.data);
  return out;
}

/// The header block a 6.x tracefs `trace` file starts with (tracer nop, latency-format
/// legend), without the "entries-in-buffer" line (a streamed writer does not know the count).
inline constexpr std::string_view trace_header =
    "# tracer: nop\n"
    "#\n"
    "#                                _-----=> irqs-off/BH-disabled\n"
    "#                               / _----=> need-resched\n"
    "#                              | / _---=> hardirq/softirq\n"
    "#                              || / _--=> preempt-depth\n"
    "#                              ||| / _-=> migrate-disable\n"
    "#                              |||| /     delay\n"
    "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION\n"
    "#              | |         |   |||||     |         |\n";

/// Writes a tracefs-style text trace to a stream: the header (at construction), then one
/// `format(e)` line per `write`. Errors are the stream's: check `ok()` (and flush) at the end.
class writer {
 public:
  explicit writer(std::ostream& out) : out_(out) { out_ << trace_header; }

  void write(const event& e) {
    out_ << format(e) << '\n';
    ++written_;
  }

  [[nodiscard]] bool ok() const { return static_cast<bool>(out_); }
  [[nodiscard]] std::size_t written() const noexcept { return written_; }

 private:
  std::ostream& out_;
  std::size_t written_{0};
};

}  // namespace thermo::io::ftrace
