/// @file trace.hpp
/// A simulation's recorded trace (`sim::recorder`) as CSV or JSON lines (host-only: iostreams).
///
/// * CSV: header `time_s,event,source,<name>_<unit>…` (the unit is left out when a channel has
///   none), then one line per stored row; numbers with `significant` digits (io/csv.hpp).
/// * JSON lines: one object per stored row, with the CSV header's keys.
///
///     std::ofstream f("run.csv");
///     thermo::io::write_csv(rec, f);
///     if (thermo::io::save_jsonl(rec, "run.jsonl") != thermo::errc::ok) { … }
#pragma once

#include <cstdint>
#include <fstream>
#include <ostream>
#include <string>

#include "thermo/core/errc.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/jsonl.hpp"
#include "thermo/sim/recorder.hpp"

namespace thermo::io {

/// A channel's column name: `<name>_<unit>`, or `<name>` when it has no unit.
[[nodiscard]] inline std::string column_label(const sim::channel& c) {
  return c.unit.empty() ? c.name : c.name + "_" + c.unit;
}

/// The trace as CSV (see the file comment).
inline void write_csv(const sim::recorder& rec, std::ostream& out, int significant = 10) {
  csv_writer w(out, significant);
  w.cell("time_s").cell("event").cell("source");
  for (const sim::channel& c : rec.channels()) {
    w.cell(column_label(c));
  }
  w.end_row();
  for (std::size_t r = 0; r < rec.rows(); ++r) {
    w.cell(to_seconds(rec.time(r).time_since_epoch()))
        .cell(sim::to_string(rec.kind(r)))
        .cell(static_cast<std::int64_t>(rec.source(r)));
    for (std::size_t c = 0; c < rec.columns(); ++c) {
      w.cell(rec.value(r, c));
    }
    w.end_row();
  }
}

/// The trace as JSON lines: one object per stored row, keys as the CSV header.
inline void write_jsonl(const sim::recorder& rec, std::ostream& out, int significant = 10) {
  jsonl_writer w(out, significant);
  for (std::size_t r = 0; r < rec.rows(); ++r) {
    w.field("time_s", to_seconds(rec.time(r).time_since_epoch()))
        .field("event", sim::to_string(rec.kind(r)))
        .field("source", static_cast<std::int64_t>(rec.source(r)));
    for (std::size_t c = 0; c < rec.columns(); ++c) {
      w.field(column_label(rec.channels()[c]), rec.value(r, c));
    }
    w.end_object();
  }
}

/// `write_csv` to a file: `errc::ok` or `errc::io_error`.
[[nodiscard]] inline errc save_csv(const sim::recorder& rec, const std::string& path, int significant = 10) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    return errc::io_error;
  }
  write_csv(rec, f, significant);
  return f.good() ? errc::ok : errc::io_error;
}

/// `write_jsonl` to a file: `errc::ok` or `errc::io_error`.
[[nodiscard]] inline errc save_jsonl(const sim::recorder& rec, const std::string& path, int significant = 10) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) {
    return errc::io_error;
  }
  write_jsonl(rec, f, significant);
  return f.good() ? errc::ok : errc::io_error;
}

}  // namespace thermo::io
