/// @file recorder.hpp
/// `recorder`: the in-memory trace of a run — one row per sample (and optionally per event):
/// time, the event that produced the row, and the value of every channel (node temperatures,
/// sensed temperatures, zone readings, frequencies, utilisations, powers, cooling states, custom
/// channels such as a governor's budget). io/trace.hpp writes it out as CSV or JSON lines.
///
/// Capacity is fixed when the simulation configures it (at `start`): the storage is allocated
/// then and never again; rows beyond it are counted (`dropped`) but not stored, so a run never
/// touches the heap. `hash()` fingerprints the rows bit for bit (times, events and the exact
/// bits of every value): what the determinism tests compare across runs and compilers.
///
/// Streaming: with a `row_sink` attached (`set_sink`), the storage is a block. When it is full
/// the recorder hands its rows to the sink (`row_sink::write`) and starts the block again, so a
/// run of any length records every row in constant memory; `flush` hands over the rest at the
/// end. `hash()` then covers every row written so far, the same value as an unbounded recorder
/// holding them all; `rows()` and the row accessors see only the current block.
///
/// Host-side (std::vector / std::string at set-up only). See docs/reference/sim.md.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/time.hpp"
#include "thermo/sim/types.hpp"

namespace thermo::sim {

/// What a channel measures (for plotting and for finding columns).
enum class channel_kind : std::uint8_t {
  node_temperature,    ///< °C, a plant node
  sensor_temperature,  ///< °C, the continuous temperature at a sensor (its probe, no offset/noise)
  zone_temperature,    ///< °C, the last valid reading a zone processed
  frequency,           ///< MHz, a domain's frequency
  utilisation,         ///< 1, a domain's largest frequency-invariant core demand
  run_fraction,        ///< 1, share of time not taken by idle injection
  power,               ///< W, a domain's power (dynamic + leakage + idle)
  cooling_state,       ///< 1, a cooling device's state
  custom,              ///< a user channel (`simulation::add_channel`)
};

/// One column of the trace.
struct channel {
  std::string name;  ///< e.g. "T_big" (unit not included)
  std::string unit;  ///< e.g. "C", "MHz", "W", "" for dimensionless
  channel_kind kind{channel_kind::custom};
  std::size_t index{0};  ///< node, sensor, zone, domain, cooling device or custom channel index
};

/// A 64-bit fingerprint of a sequence of 64-bit words: each word goes through one round of
/// xxHash64 (acc = rotl(acc + v·P2, 31)·P1), and `value()` applies xxHash64's final avalanche.
/// Not cryptographic; it only has to change when any bit of any value changes, cheaply (two
/// multiplications per word), and identically on every platform.
class trace_hash {
 public:
  constexpr void add(std::uint64_t v) noexcept {
    acc_ += v * p2;
    acc_ = (acc_ << 31U) | (acc_ >> 33U);
    acc_ *= p1;
  }
  void add(double v) noexcept { add(std::bit_cast<std::uint64_t>(v)); }
  [[nodiscard]] constexpr std::uint64_t value() const noexcept {
    std::uint64_t h = acc_;
    h ^= h >> 33U;
    h *= p2;
    h ^= h >> 29U;
    h *= p3;
    h ^= h >> 32U;
    return h;
  }

 private:
  static constexpr std::uint64_t p1 = 0x9E3779B185EBCA87ULL;
  static constexpr std::uint64_t p2 = 0xC2B2AE3D27D4EB4FULL;
  static constexpr std::uint64_t p3 = 0x165667B19E3779F9ULL;
  std::uint64_t acc_{0x27D4EB2F165667C5ULL};
};

class recorder;

/// Receives a recorder's rows as they are flushed (see the file comment): `write` is given
/// the recorder, whose rows `[0, rows())` are the new ones. Host-side: an implementation may
/// format and write them anywhere; it is called from within the run, so it must not throw.
class row_sink {
 public:
  virtual void write(const recorder& block) noexcept = 0;

 protected:
  row_sink() = default;
  row_sink(const row_sink&) = default;
  row_sink& operator=(const row_sink&) = default;
  row_sink(row_sink&&) = default;
  row_sink& operator=(row_sink&&) = default;
  ~row_sink() = default;
};

/// The in-memory trace (see the file comment).
class recorder {
 public:
  /// A recorder that will keep at most `max_rows` rows.
  explicit recorder(std::size_t max_rows = 100'000) : max_rows_(max_rows) {}

  /// Sets the columns and allocates the storage (max_rows × columns). Clears any previous
  /// trace. Called by `simulation::start`; allocates.
  void configure(std::vector<channel> channels) {
    channels_ = std::move(channels);
    values_.assign(max_rows_ * channels_.size(), 0.0);
    times_.assign(max_rows_, sim_time{});
    kinds_.assign(max_rows_, event_kind::sample);
    sources_.assign(max_rows_, 0);
    rows_ = 0;
    dropped_ = 0;
    flushed_ = 0;
    flushed_hash_ = trace_hash{};
  }

  /// Streams rows to `sink` (nullptr: keep them, as by default); see the file comment. The
  /// sink must outlive the run or be detached first.
  void set_sink(row_sink* sink) noexcept { sink_ = sink; }
  [[nodiscard]] row_sink* sink() const noexcept { return sink_; }

  /// Hands the stored rows to the sink and empties the block (nothing without a sink). Called
  /// by the recorder when the block is full; call it once more after the run. The sink is
  /// called even when no rows are stored, so it can write a header for an empty trace.
  void flush() noexcept {
    if (sink_ == nullptr) {
      return;
    }
    sink_->write(*this);
    for (std::size_t r = 0; r < rows_; ++r) {
      hash_row(flushed_hash_, r);
    }
    flushed_ += rows_;
    rows_ = 0;
  }

  /// Appends a row (`values.size() == columns()`). Never allocates; a full recorder counts
  /// the row as dropped. Returns false when dropped. O(columns).
  bool append(sim_time t, event_kind kind, std::uint32_t source, std::span<const double> values) noexcept {
    double* row = append_row(t, kind, source, values.size());
    if (row == nullptr) {
      return false;
    }
    for (std::size_t c = 0; c < values.size(); ++c) {
      row[c] = values[c];
    }
    return true;
  }

  /// Appends a row whose `columns` values the caller writes in place through the returned
  /// pointer (what `append` does without the copy); nullptr — the row counted as dropped — when
  /// the recorder is full or `columns != columns()`. Never allocates. O(1).
  [[nodiscard]] double* append_row(sim_time t, event_kind kind, std::uint32_t source, std::size_t columns) noexcept {
    if (rows_ == max_rows_ && sink_ != nullptr && max_rows_ > 0) {
      flush();
    }
    if (rows_ == max_rows_ || columns != channels_.size()) {
      ++dropped_;
      return nullptr;
    }
    times_[rows_] = t;
    kinds_[rows_] = kind;
    sources_[rows_] = source;
    double* row = values_.data() + rows_ * channels_.size();
    ++rows_;
    return row;
  }

  /// Rows stored (with a sink: in the current block).
  [[nodiscard]] std::size_t rows() const noexcept { return rows_; }
  /// Rows handed to the sink so far.
  [[nodiscard]] std::size_t flushed() const noexcept { return flushed_; }
  /// Every row recorded: flushed and stored.
  [[nodiscard]] std::size_t total_rows() const noexcept { return flushed_ + rows_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return max_rows_; }
  [[nodiscard]] std::size_t columns() const noexcept { return channels_.size(); }
  /// Rows offered after the storage was full.
  [[nodiscard]] std::size_t dropped() const noexcept { return dropped_; }
  [[nodiscard]] const std::vector<channel>& channels() const noexcept { return channels_; }
  /// The column named `name`, or `columns()` if none.
  [[nodiscard]] std::size_t find(std::string_view name) const noexcept {
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      if (channels_[c].name == name) {
        return c;
      }
    }
    return channels_.size();
  }
  [[nodiscard]] sim_time time(std::size_t row) const noexcept { return times_[row]; }
  [[nodiscard]] event_kind kind(std::size_t row) const noexcept { return kinds_[row]; }
  [[nodiscard]] std::uint32_t source(std::size_t row) const noexcept { return sources_[row]; }
  [[nodiscard]] double value(std::size_t row, std::size_t column) const noexcept {
    return values_[row * channels_.size() + column];
  }
  /// A whole column as a vector (for plotting). Allocates.
  [[nodiscard]] std::vector<double> column(std::size_t c) const {
    std::vector<double> out(rows_);
    for (std::size_t r = 0; r < rows_; ++r) {
      out[r] = value(r, c);
    }
    return out;
  }
  /// Row times in seconds (for plotting). Allocates.
  [[nodiscard]] std::vector<double> times_s() const {
    std::vector<double> out(rows_);
    for (std::size_t r = 0; r < rows_; ++r) {
      out[r] = to_seconds(times_[r].time_since_epoch());
    }
    return out;
  }
  /// Hash of every row recorded — flushed and stored — (time, event, source and the exact bits
  /// of every value) and of the number of dropped rows. O(stored rows × columns), on demand.
  [[nodiscard]] std::uint64_t hash() const noexcept {
    trace_hash h = flushed_hash_;
    for (std::size_t r = 0; r < rows_; ++r) {
      hash_row(h, r);
    }
    h.add(static_cast<std::uint64_t>(dropped_));
    return h.value();
  }

 private:
  void hash_row(trace_hash& h, std::size_t r) const noexcept {
    h.add(static_cast<std::uint64_t>(times_[r].time_since_epoch().count()));
    h.add(static_cast<std::uint64_t>(kinds_[r]) << 32U | sources_[r]);
    for (std::size_t c = 0; c < channels_.size(); ++c) {
      h.add(value(r, c));
    }
  }

  std::size_t max_rows_;
  std::vector<channel> channels_;
  std::vector<double> values_;
  std::vector<sim_time> times_;
  std::vector<event_kind> kinds_;
  std::vector<std::uint32_t> sources_;
  std::size_t rows_{0};
  std::size_t dropped_{0};
  std::size_t flushed_{0};
  trace_hash flushed_hash_{};
  row_sink* sink_{nullptr};
};

}  // namespace thermo::sim
