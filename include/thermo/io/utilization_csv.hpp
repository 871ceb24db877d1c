/// @file utilization_csv.hpp
/// Reads a per-CPU utilisation trace from CSV (host-only: std::string, std::vector, fstream).
///
/// Format:
///
///     # comments and blank lines are ignored
///     time_s,cpu0,cpu1,cpu2,cpu3
///     0.000,0.50,0.10,0,0
///     0.100,1.00,0.95,0.2,0
///
/// * The header's first column names the time unit: `time_s`, `time_ms`, `time_us` or `time_ns`;
///   the other columns name the CPUs (at least one; any non-empty names).
/// * Each data row has a time (finite, ≥ 0, strictly increasing after rounding to whole
///   nanoseconds) and one utilisation per CPU, each a finite number in [0, 1]
///   (frequency-invariant utilisation, workload/utilization_trace.hpp). Fields may be padded with
///   spaces; `\r\n` line ends are accepted.
///
/// Limits (`utilization_csv_limits`, docs/reference/limits-and-errors.md): at most 8192 data rows
/// and 8 CPU columns (what the `thermo` tool's trace workload holds), a file of at most 64 MiB;
/// the reader stops at the first row past the limit ("trace.csv:8195: more than 8192 data
/// rows …"), so a huge file is refused without being parsed. A leading UTF-8 byte order mark is
/// skipped; a file with only CR line ends is read line by line (io/text.hpp).
///
/// Every error names the file and the line ("trace.csv:7: bad number 'abc' in column 3 (cpu1)");
/// the reader never throws on bad input and never crashes. Build the heap-free workload from the
/// table with `make_utilization_trace`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/workload/utilization_trace.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io {

/// A parsed utilisation trace.
struct utilization_table {
  std::vector<std::string> cpus;  ///< CPU column names
  std::vector<sim_duration> times;  ///< row start times (trace time: since the trace's start)
  std::vector<double> values;     ///< rows × cpus.size(), row-major

  [[nodiscard]] std::size_t rows() const noexcept { return times.size(); }
  [[nodiscard]] std::size_t cores() const noexcept { return cpus.size(); }
  [[nodiscard]] std::span<const double> row(std::size_t r) const noexcept {
    return std::span<const double>(values).subspan(r * cpus.size(), cpus.size());
  }
};

/// The most data rows and CPU columns of a utilisation trace, and its largest file.
inline constexpr std::size_t max_utilization_rows = 8192;
inline constexpr std::size_t max_utilization_cpus = 8;
struct utilization_csv_limits {
  std::size_t max_rows = max_utilization_rows;
  std::size_t max_cpus = max_utilization_cpus;
  std::size_t max_bytes = max_csv_trace_bytes;
};

/// Outcome of a read: `code == errc::ok`, or a message naming the file and line (`line` is 0 for
/// errors about the whole file). The error of every text reader (io/text.hpp).
using csv_error = text_error;

namespace detail::utilization_csv {

inline std::string number_text(double v) {
  std::ostringstream s;
  s.precision(12);
  s << v;
  return s.str();
}

/// The header: time unit → nanoseconds per unit, CPU names. Returns an error text or "".
inline std::string parse_header(const std::vector<std::string_view>& fields, utilization_table& out,
                                double& scale, std::size_t max_cpus) {
  const std::string_view unit = fields[0];
  // time_s, time_ms, time_us or time_ns: the first four units of io::time_units
  const std::optional<double> ns = unit.substr(0, 5) == "time_" ? unit_nanoseconds(unit.substr(5), 4) : std::nullopt;
  if (!ns) {
    return "first column must be time_s, time_ms, time_us or time_ns, found " + quoted(unit);
  }
  scale = *ns;
  if (fields.size() < 2) {
    return "no CPU columns after " + quoted(unit);
  }
  if (fields.size() - 1 > max_cpus) {
    return std::to_string(fields.size() - 1) + " CPU columns, more than the " + std::to_string(max_cpus) +
           " a utilisation trace holds";
  }
  for (std::size_t k = 1; k < fields.size(); ++k) {
    if (fields[k].empty()) {
      return "empty name for column " + std::to_string(k + 1);
    }
    out.cpus.emplace_back(fields[k]);
  }
  return {};
}

/// One data row: time and utilisations appended to `out`. Returns an error text or "".
inline std::string parse_row(const std::vector<std::string_view>& fields, double scale,
                             utilization_table& out) {
  const std::size_t want = out.cpus.size() + 1;
  if (fields.size() != want) {
    return "expected " + std::to_string(want) + " values, found " + std::to_string(fields.size());
  }
  const std::optional<double> t = parse_double(fields[0], exact);  // fields are trimmed
  if (!t) {
    return "bad time " + quoted(fields[0]);
  }
  if (*t < 0.0) {
    return "negative time " + number_text(*t);
  }
  const double ns = (*t * scale) + 0.5;  // rounded to the nearest nanosecond
  if (!(ns < 9.0e18)) {
    return "time " + number_text(*t) + " is beyond the simulation clock's range";
  }
  const sim_duration at{static_cast<std::int64_t>(ns)};
  if (!out.times.empty() && at <= out.times.back()) {
    return "time " + printable(fields[0]) + " is not after the previous row's";
  }
  for (std::size_t k = 1; k < fields.size(); ++k) {
    const std::string column = std::to_string(k + 1) + " (" + printable(out.cpus[k - 1]) + ")";
    const std::optional<double> u = parse_double(fields[k], exact);
    if (!u) {
      return "bad number " + quoted(fields[k]) + " in column " + column;
    }
    if (*u < 0.0 || *u > 1.0) {
      return "utilisation " + printable(fields[k]) + " in column " + column +
             " is outside [0, 1]";
    }
    out.values.push_back(*u);
  }
  out.times.push_back(at);
  return {};
}

}  // namespace detail::utilization_csv

/// Parses CSV text (see the file comment); `name` prefixes every message. On error `out` is
/// left empty.
[[nodiscard]] inline csv_error parse_utilization_csv(std::string_view text, std::string_view name,
                                                     utilization_table& out, const utilization_csv_limits& lim = {}) {
  namespace d = detail::utilization_csv;
  out = {};
  const std::string file(name);
  double scale = 0.0;  // nanoseconds per time unit
  bool have_header = false;
  std::size_t line_no = 0;
  for (const std::string_view raw : split_lines(skip_bom(text))) {
    ++line_no;
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const auto fields = split_csv(line);
    const bool over = have_header && out.rows() >= lim.max_rows;
    const std::string problem =
        !have_header                  ? d::parse_header(fields, out, scale, lim.max_cpus)
        : over                        ? "more than " + std::to_string(lim.max_rows) + " data rows (the limit of a utilisation trace)"
                                      : d::parse_row(fields, scale, out);
    if (!problem.empty()) {
      out = {};
      std::string message = file;
      message += ":" + std::to_string(line_no) + ": ";
      message += problem;
      return {.code = over ? errc::capacity_exceeded : errc::parse_error, .message = std::move(message), .line = line_no};
    }
    have_header = true;
  }
  if (!have_header) {
    out = {};
    return {.code = errc::parse_error,
            .message = file + ": empty file (expected a header: time_s,cpu0,…)",
            .line = 0};
  }
  if (out.times.empty()) {
    out = {};
    return {.code = errc::parse_error, .message = file + ": no data rows", .line = 0};
  }
  return {};
}

/// Reads and parses the file at `path`. Errors: `io_error` "cannot read '<path>': <reason>"
/// (io/file.hpp), `capacity_exceeded` "'<path>' is larger than the 64 MiB limit of a utilisation
/// trace" (an endless stream such as /dev/zero included), or those of `parse_utilization_csv`.
[[nodiscard]] inline csv_error read_utilization_csv(const std::string& path,
                                                    utilization_table& out, const utilization_csv_limits& lim = {}) {
  out = {};
  std::string text;
  if (file_error e = read_file(path, text, lim.max_bytes); !e.ok()) {
    const errc code = is_size_limit_failure(e.message) ? errc::capacity_exceeded : e.code;
    return {.code = code, .message = read_failure_message(std::move(e.message), path, lim.max_bytes, "a utilisation trace"), .line = 0};
  }
  return parse_utilization_csv(text, path, out, lim);
}

/// The heap-free workload for a parsed table. Errors: those of `utilization_trace::make`
/// (e.g. `capacity_exceeded` "trace rows" when the table has more rows than `MaxRows`).
template <std::size_t MaxRows = 1024, std::size_t MaxCores = 8>
[[nodiscard]] result<workload::utilization_trace<MaxRows, MaxCores>, error> make_utilization_trace(
    const utilization_table& t, const workload::utilization_trace_config& c) noexcept {
  return workload::utilization_trace<MaxRows, MaxCores>::make(t.times, t.values, t.cores(), c);
}

}  // namespace thermo::io
