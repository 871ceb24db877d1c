/// @file perfetto.hpp
/// A streaming writer of Chrome trace-event JSON ("JSON Object Format" of the Trace Event
/// Format document), the JSON form ui.perfetto.dev and chrome://tracing open:
///
///     {"traceEvents":[
///     {"ph":"M","name":"process_name","pid":1,"tid":0,"ts":0,"args":{"name":"cpu-thermal"}},
///     {"ph":"C","name":"temperature","pid":1,"tid":0,"ts":1000.000,"args":{"C":45.25}},
///     {"ph":"i","name":"trip up","pid":1,"tid":0,"ts":1000.000,"s":"p","args":{"trip":0}}
///     ],"displayTimeUnit":"ms"}
///
/// * Counter events (`ph:"C"`): one track per (pid, name); each numeric argument is a series of
///   that track. Instant events (`ph:"i"`) with scope `p` (process) or `g` (global). Metadata
///   events (`ph:"M"`): `process_name`, `process_sort_index`, `thread_name`.
/// * Times are integer nanoseconds printed as microseconds with exactly three decimals (exact,
///   no rounding). Numbers are printed in the shortest form that reads back to the same double
///   (`std::to_chars`), so the output is the same on every platform and compiler. A value that
///   is not finite is never printed: its argument is left out, and a counter event left with no
///   argument is not written at all (`skipped()` counts them).
/// * Output is streamed: every event is one line written as it comes. Give the writer a stream
///   from `io::output_set` so the file appears whole or not at all. Call `finish()` once.
///
/// Host code (std::string, iostreams).
#pragma once

#include <array>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace thermo::io::perfetto {

/// A named number (a counter series or an instant's argument).
struct number_arg {
  std::string_view name;
  double value{0.0};
};

/// A named string (an instant's argument).
struct string_arg {
  std::string_view name;
  std::string_view value;
};

/// An instant event's scope: the process (`"p"`, drawn on the process's track) or global
/// (`"g"`, a line across the whole timeline).
enum class scope : std::uint8_t { process, global };

/// `s` as JSON string contents (quotes not included): `"` and `\` escaped, control characters
/// as `\u00XX`; other bytes (UTF-8) as they are.
inline void append_escaped(std::string& out, std::string_view s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      static constexpr std::string_view hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4U];
      out += hex[u & 0xFU];
    } else {
      out += c;
    }
  }
}

/// A finite double in the shortest form that reads back to it ("0.1", "1e+20", "-3").
/// Precondition: finite.
inline void append_number(std::string& out, double v) {
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), r.ptr);
}

/// `ns` nanoseconds as microseconds with three decimals ("1500.000", "-0.250").
inline void append_micros(std::string& out, std::int64_t ns) {
  const bool negative = ns < 0;
  const std::uint64_t m = negative ? 0U - static_cast<std::uint64_t>(ns) : static_cast<std::uint64_t>(ns);
  if (negative) {
    out += '-';
  }
  out += std::to_string(m / 1000U);
  const auto frac = static_cast<unsigned>(m % 1000U);
  out += '.';
  out += static_cast<char>('0' + frac / 100U);
  out += static_cast<char>('0' + frac / 10U % 10U);
  out += static_cast<char>('0' + frac % 10U);
}

/// The streaming writer (see the file comment). Not copyable (it holds the stream).
class trace_writer {
 public:
  /// Starts the document on `out` (which must outlive the writer).
  explicit trace_writer(std::ostream& out) : out_(&out) { *out_ << "{\"traceEvents\":[\n"; }
  trace_writer(const trace_writer&) = delete;
  trace_writer& operator=(const trace_writer&) = delete;
  trace_writer(trace_writer&&) = delete;
  trace_writer& operator=(trace_writer&&) = delete;
  ~trace_writer() = default;

  /// Metadata: the name of process `pid` (a group of tracks in the UI).
  void process_name(std::int64_t pid, std::string_view name) { metadata("process_name", pid, 0, "name", name); }
  /// Metadata: the name of thread `tid` of process `pid`.
  void thread_name(std::int64_t pid, std::int64_t tid, std::string_view name) {
    metadata("thread_name", pid, tid, "name", name);
  }
  /// Metadata: where process `pid` is placed among the others (ascending).
  void process_sort_index(std::int64_t pid, std::int64_t index) {
    std::string e = head("M", "process_sort_index", pid, 0, 0);
    e += ",\"args\":{\"sort_index\":";
    e += std::to_string(index);
    e += "}}";
    line(e);
  }

  /// A counter event at `t_ns` on track (pid, name): one series per argument. Non-finite
  /// arguments are left out; with none left the event is not written (counted in `skipped()`).
  void counter(std::int64_t t_ns, std::int64_t pid, std::string_view name, std::span<const number_arg> args) {
    std::string e = head("C", name, pid, 0, t_ns);
    e += ",\"args\":{";
    bool any = false;
    for (const number_arg& a : args) {
      if (!std::isfinite(a.value)) {
        continue;
      }
      e += any ? ",\"" : "\"";
      append_escaped(e, a.name);
      e += "\":";
      append_number(e, a.value);
      any = true;
    }
    if (!any) {
      ++skipped_;
      return;
    }
    e += "}}";
    line(e);
  }
  /// A one-series counter (the series named "value").
  void counter(std::int64_t t_ns, std::int64_t pid, std::string_view name, double value) {
    const std::array<number_arg, 1> a{number_arg{"value", value}};
    counter(t_ns, pid, name, a);
  }

  /// An instant event at `t_ns` in process `pid` (thread `tid`), with string and number
  /// arguments (non-finite numbers left out).
  void instant(std::int64_t t_ns, std::int64_t pid, std::int64_t tid, std::string_view name, scope s,
               std::span<const string_arg> strings = {}, std::span<const number_arg> numbers = {}) {
    std::string e = head("i", name, pid, tid, t_ns);
    e += s == scope::global ? ",\"s\":\"g\"" : ",\"s\":\"p\"";
    e += ",\"args\":{";
    bool any = false;
    for (const string_arg& a : strings) {
      e += any ? ",\"" : "\"";
      append_escaped(e, a.name);
      e += "\":\"";
      append_escaped(e, a.value);
      e += '"';
      any = true;
    }
    for (const number_arg& a : numbers) {
      if (!std::isfinite(a.value)) {
        continue;
      }
      e += any ? ",\"" : "\"";
      append_escaped(e, a.name);
      e += "\":";
      append_number(e, a.value);
      any = true;
    }
    e += "}}";
    line(e);
  }

  /// Ends the document (`],"displayTimeUnit":"ms"}`). Call once; nothing may follow.
  void finish() {
    *out_ << "\n],\"displayTimeUnit\":\"ms\"}\n";
  }

  /// Events written so far (metadata included).
  [[nodiscard]] std::size_t events() const noexcept { return events_; }
  /// Counter events not written because none of their values was finite.
  [[nodiscard]] std::size_t skipped() const noexcept { return skipped_; }

 private:
  /// `{"ph":PH,"name":NAME,"pid":P,"tid":T,"ts":TS` (no closing brace).
  static std::string head(std::string_view ph, std::string_view name, std::int64_t pid, std::int64_t tid,
                          std::int64_t t_ns) {
    std::string e = "{\"ph\":\"";
    e += ph;
    e += "\",\"name\":\"";
    append_escaped(e, name);
    e += "\",\"pid\":";
    e += std::to_string(pid);
    e += ",\"tid\":";
    e += std::to_string(tid);
    e += ",\"ts\":";
    append_micros(e, t_ns);
    return e;
  }

  void metadata(std::string_view what, std::int64_t pid, std::int64_t tid, std::string_view key, std::string_view value) {
    std::string e = head("M", what, pid, tid, 0);
    e += ",\"args\":{\"";
    append_escaped(e, key);
    e += "\":\"";
    append_escaped(e, value);
    e += "\"}}";
    line(e);
  }

  void line(const std::string& e) {
    if (events_ > 0) {
      *out_ << ",\n";
    }
    *out_ << e;
    ++events_;
  }

  std::ostream* out_;
  std::size_t events_{0};
  std::size_t skipped_{0};
};

}  // namespace thermo::io::perfetto
