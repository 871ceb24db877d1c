/// @file trace.hpp
/// A simulation's recorded trace (`sim::recorder`) as CSV or JSON lines (host-only: iostreams).
///
/// * CSV: header `time_s,event,source,<name>_<unit>…` (the unit is left out when a channel has
///   none), then one line per row; numbers with `significant` digits (io/csv.hpp).
/// * JSON lines: one object per row, with the CSV header's keys.
///
/// Each format is one `sim::row_sink`, so a trace is written the same way whether it is kept in
/// memory and written after the run (`write_csv`, `save_csv`) or streamed to disk as the run
/// goes (attach the writer to the recorder with `set_sink`, `flush` after the run):
///
///     thermo::io::output_set out;
///     std::ostream* f = nullptr;
///     if (auto e = out.open("run.csv", f); !e.ok()) { … }
///     thermo::io::csv_trace_writer csv(*f);
///     rec.set_sink(&csv);                      // before the run; rows stream to run.csv
///     … sim.run_until(end); rec.flush();
///     if (auto e = out.commit(); !e.ok()) { … }
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/jsonl.hpp"
#include "thermo/io/output.hpp"
#include "thermo/sim/recorder.hpp"

namespace thermo::io {

/// A channel's column name: `<name>_<unit>`, or `<name>` when it has no unit.
[[nodiscard]] inline std::string column_label(const sim::channel& c) {
  return c.unit.empty() ? c.name : c.name + "_" + c.unit;
}

/// Writes rows as CSV: the header before the first block, then every row it is given.
class csv_trace_writer final : public sim::row_sink {
 public:
  explicit csv_trace_writer(std::ostream& out, int significant = 10) : w_(out, significant) {}

  void write(const sim::recorder& block) noexcept override {
    if (!header_) {
      header_ = true;
      w_.cell("time_s").cell("event").cell("source");
      for (const sim::channel& c : block.channels()) {
        w_.cell(column_label(c));
      }
      w_.end_row();
    }
    for (std::size_t r = 0; r < block.rows(); ++r) {
      w_.cell(to_seconds(block.time(r).time_since_epoch()))
          .cell(sim::to_string(block.kind(r)))
          .cell(static_cast<std::int64_t>(block.source(r)));
      for (std::size_t c = 0; c < block.columns(); ++c) {
        w_.cell(block.value(r, c));
      }
      w_.end_row();
    }
  }

 private:
  csv_writer w_;
  bool header_{false};
};

/// Writes rows as JSON lines: one object per row, keys as the CSV header.
class jsonl_trace_writer final : public sim::row_sink {
 public:
  explicit jsonl_trace_writer(std::ostream& out, int significant = 10) : w_(out, significant) {}

  void write(const sim::recorder& block) noexcept override {
    if (labels_.empty()) {
      for (const sim::channel& c : block.channels()) {
        labels_.push_back(column_label(c));
      }
    }
    for (std::size_t r = 0; r < block.rows(); ++r) {
      w_.field("time_s", to_seconds(block.time(r).time_since_epoch()))
          .field("event", sim::to_string(block.kind(r)))
          .field("source", static_cast<std::int64_t>(block.source(r)));
      for (std::size_t c = 0; c < block.columns(); ++c) {
        w_.field(labels_[c], block.value(r, c));
      }
      w_.end_object();
    }
  }

 private:
  jsonl_writer w_;
  std::vector<std::string> labels_;
};

/// Hands every block to several sinks in turn (a CSV file and a plot, say).
class trace_tee final : public sim::row_sink {
 public:
  explicit trace_tee(std::vector<sim::row_sink*> sinks) : sinks_(std::move(sinks)) {}
  void write(const sim::recorder& block) noexcept override {
    for (sim::row_sink* s : sinks_) {
      s->write(block);
    }
  }

 private:
  std::vector<sim::row_sink*> sinks_;
};

/// The stored rows of `rec` as CSV (see the file comment).
inline void write_csv(const sim::recorder& rec, std::ostream& out, int significant = 10) {
  csv_trace_writer w(out, significant);
  w.write(rec);
}

/// The stored rows of `rec` as JSON lines.
inline void write_jsonl(const sim::recorder& rec, std::ostream& out, int significant = 10) {
  jsonl_trace_writer w(out, significant);
  w.write(rec);
}

/// The stored rows of `rec` written by a `Writer` (`csv_trace_writer`, `jsonl_trace_writer`)
/// to the file `path`, whole or not at all (io/output.hpp).
template <class Writer>
[[nodiscard]] file_error save_trace(const sim::recorder& rec, const std::string& path, int significant = 10) {
  output_set set;
  std::ostream* out = nullptr;
  if (file_error e = set.open(path, out); !e.ok()) {
    return e;
  }
  Writer w(*out, significant);
  w.write(rec);
  return set.commit();
}

/// `write_csv` to the file `path`, whole or not at all.
[[nodiscard]] inline file_error save_csv(const sim::recorder& rec, const std::string& path, int significant = 10) {
  return save_trace<csv_trace_writer>(rec, path, significant);
}

/// `write_jsonl` to the file `path`, whole or not at all.
[[nodiscard]] inline file_error save_jsonl(const sim::recorder& rec, const std::string& path, int significant = 10) {
  return save_trace<jsonl_trace_writer>(rec, path, significant);
}

}  // namespace thermo::io
