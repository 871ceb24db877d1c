/// @file trace_sampler.hpp
/// The simulation's trace: which channels a row has, the periodic rows, and a row after an
/// event when asked for.
///
/// Trace rows are not events. Between two events the plant is linear with constant inputs, so
/// the rows due before the next event are made from the last event's modal state stepped
/// exactly to each row's time (a step of one record interval reuses its gains, no `exp`;
/// model/readout.hpp reads every node and sensor in one product), and every other channel keeps
/// its value from the event. The simulation's own state is not changed, so the trajectory —
/// and every control decision — does not depend on the record interval, and a row costs no
/// queue operation. Rows also feed the peaks (a row dropped by a full recorder still counts).
///
/// Rows that need the simulation itself at the row's time — custom channels, which may read
/// anything, and the fixed-step RK4 reference, whose state is the node temperatures — are
/// *shown*: the plant is stepped to the row, the simulation's clock shows its time, and both go
/// back afterwards.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/assert.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/core/time.hpp"
#include "thermo/model/readout.hpp"
#include "thermo/sim/config.hpp"
#include "thermo/sim/crossing_observer.hpp"
#include "thermo/sim/operating_point.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/types.hpp"
#include "thermo/sim/zone_ports.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// The parts of a `simulation<Limits>` a trace row is made of.
template <class Limits>
struct row_sources {
  plant<Limits>& thermal;
  const operating_point<Limits>& ops;
  const zone_ports<Limits>& ports;
  const crossing_observer<Limits>& observer;
  metrics_of<Limits>& metrics;
};

/// The trace of a `simulation<Limits>` (see the file comment).
template <class Limits>
class trace_sampler {
 public:
  using sources = row_sources<Limits>;

  // ================================================================ set-up

  /// Where rows go (user-owned, optional; may be changed or detached during a run).
  void set_recorder(recorder* r) noexcept { recorder_ = r; }
  [[nodiscard]] recorder* target() const noexcept { return recorder_; }

  /// Adds a custom channel. Errors: `capacity_exceeded` "channels", `invalid_argument`
  /// "channel function".
  [[nodiscard]] error add_channel(const custom_channel& c) noexcept {
    if (channels_.full()) {
      return {errc::capacity_exceeded, "channels"};
    }
    if (c.fn == nullptr) {
      return {errc::invalid_argument, "channel function"};
    }
    static_cast<void>(channels_.push_back(c));
    return {};
  }

  /// Names the recorder's columns (allocates there): node temperatures, sensors, zones, four
  /// per domain, cooling states, custom channels.
  void configure(const sources& v) {
    std::vector<channel> ch;
    const auto name_or = [](std::string_view n, const char* prefix, std::size_t i) {
      return n.empty() ? std::string(prefix) + std::to_string(i) : std::string(n);
    };
    for (std::size_t i = 0; i < v.thermal.size(); ++i) {
      ch.push_back({"T_" + name_or(v.thermal.node_name(i), "node", i), "C", channel_kind::node_temperature, i});
    }
    for (std::size_t s = 0; s < v.ports.sensor_count(); ++s) {
      ch.push_back({"sensed_" + name_or(v.ports.sensor_name(s), "sensor", s), "C", channel_kind::sensor_temperature, s});
    }
    for (std::size_t z = 0; z < v.ports.zone_count(); ++z) {
      ch.push_back({"zone_" + std::string(v.ports.zone(z).type()), "C", channel_kind::zone_temperature, z});
    }
    for (std::size_t d = 0; d < v.ops.domain_count(); ++d) {
      const std::string n = name_or(v.ops.model(d).name(), "domain", d);
      ch.push_back({"f_" + n, "MHz", channel_kind::frequency, d});
      ch.push_back({"u_" + n, "", channel_kind::utilisation, d});
      ch.push_back({"run_" + n, "", channel_kind::run_fraction, d});
      ch.push_back({"P_" + n, "W", channel_kind::power, d});
    }
    for (std::size_t c = 0; c < v.ops.cooling_count(); ++c) {
      ch.push_back({"state_" + std::string(v.ops.device(c).type()), "", channel_kind::cooling_state, c});
    }
    for (std::size_t k = 0; k < channels_.size(); ++k) {
      ch.push_back({std::string(channels_[k].name), std::string(channels_[k].unit), channel_kind::custom, k});
    }
    row_size_ = ch.size();
    recorder_->configure(std::move(ch));
  }

  /// The first periodic row is due at `first` (`never`: no periodic rows).
  void start(sim_time first, sim_duration interval) noexcept {
    next_ = first;
    interval_ = interval;
  }

  // ================================================================ rows

  /// The periodic rows due before `limit` (and at it when `inclusive`), made before the plant
  /// advances past them; the simulation is at `now` (see the file comment). A row at an instant
  /// with events comes after all of them (`inclusive` is false until the instant is done).
  void sample(sim_time limit, bool inclusive, sim_time& now, const sources& v) noexcept {
    if (next_ > limit || (!inclusive && next_ == limit)) {
      return;
    }
    if (recorder_ == nullptr) {  // detached during the run
      next_ = never;
      return;
    }
    if (v.thermal.integrating() || !channels_.empty()) {
      sample_shown(limit, inclusive, now, v);
      return;
    }
    const std::size_t n = std::min(v.thermal.size(), Limits::nodes);  // = size(); the bound is for the compiler
    const std::size_t m = n + v.ports.sensor_count();  // the row's plant channels: nodes, then sensors
    const auto& net = v.thermal.network();
    refresh_tables(v.thermal);
    readout_.set_ambient(net.ambient());
    // The modal state, stepped from the event's to each row. Zeroed first: only y[0, n) is used,
    // but GCC 12 at -O3 cannot see that copy_n wrote every element it reads (maybe-uninitialized).
    std::array<double, Limits::nodes> y{};
    std::copy_n(net.modal_state().data(), n, y.data());
    std::array<double, row_capacity> row;  // the inputs' channels (after m); a row to drop
    fill_inputs(row, v);
    std::array<double, Limits::nodes + Limits::sensors> high;
    std::array<sim_time, Limits::nodes + Limits::sensors> high_at;
    for (std::size_t i = 0; i < m; ++i) {
      high[i] = -std::numeric_limits<double>::infinity();
      high_at[i] = never;
    }
    sim_time at = now;
    while (next_ < limit || (inclusive && next_ == limit)) {
      const sim_time t = next_;
      if (t > at) {
        std::array<double, Limits::nodes> scratch;
        net.step_state(std::span<double>(y.data(), n), std::span<const double>(step_gains(at, t, net, scratch), n));
        at = t;
      }
      double* out = recorder_->append_row(t, event_kind::sample, 0, row_size_);
      if (out == nullptr) {
        out = row.data();  // dropped by a full recorder: it still counts for the peaks
      } else {
        std::copy(row.data() + m, row.data() + row_size_, out + m);
      }
      // Node temperatures and sensor values: the same bits as temperature(i) and the sensor's
      // reading would have in this state. Peaks: the highest value of each channel, first
      // reached at high_at (nodes' carry no time).
      readout_.read(y.data(), [&](std::size_t i, double x) {
        out[i] = x;
        if (i < n) {
          high[i] = std::max(high[i], x);  // a node's peak carries no time: no branch
        } else if (x > high[i]) {
          high[i] = x;
          high_at[i] = t;
        }
      });
      next_ = t + interval_;
    }
    // Peaks over the rows: each channel's highest value (a sensor's first reached at high_at).
    // A zone's overshoot above a trip it is above (for the whole gap) is highest there too.
    for (std::size_t i = 0; i < n; ++i) {
      v.metrics.node_peak_c[i] = std::max(v.metrics.node_peak_c[i], high[i]);
    }
    for (std::size_t z = 0; z < v.ports.zone_count(); ++z) {
      const std::size_t c = n + v.ports.sensor_of(z);
      if (high_at[c] != never) {
        v.observer.observe_peak(z, high[c], high_at[c], v.metrics);
      }
    }
  }

  /// A row of kind `kind` from event source `source` now (after an event, or at start).
  void record(event_kind kind, std::uint32_t source, sim_time now, const sources& v) noexcept {
    if (recorder_ == nullptr) {
      return;
    }
    std::array<double, row_capacity> row;  // filled below (no zeroing: this runs at every event)
    fill_inputs(row, v);
    fill_plant(row, v);
    recorder_->append(now, kind, source, std::span<const double>(row.data(), row_size_));
  }

 private:
  // Trace row width at most.
  static constexpr std::size_t row_capacity = Limits::nodes + Limits::sensors + Limits::zones + 4 * Limits::domains +
                                              Limits::cooling_devices + Limits::channels;

  /// `sample` when the rows need the simulation itself at the row's time (see the file comment).
  void sample_shown(sim_time limit, bool inclusive, sim_time& now, const sources& v) noexcept {
    const sim_time event_time = now;
    plant<Limits>& p = v.thermal;
    const std::size_t n = p.size();
    typename plant<Limits>::snapshot at_event;  // the plant's state, put back afterwards
    p.save(at_event);
    if (!p.integrating()) {
      refresh_tables(p);
    }
    std::array<double, row_capacity> row;
    fill_inputs(row, v);
    while (next_ < limit || (inclusive && next_ == limit)) {
      const sim_time t = next_;
      if (t > now) {
        if (p.integrating()) {
          p.advance(to_seconds(t - now));
        } else {
          std::array<double, Limits::nodes> scratch;
          p.network().step(std::span<const double>(step_gains(now, t, p.network(), scratch), n));
        }
        now = t;
        p.read_sensors();
      }
      v.observer.observe_peaks(v.ports, p.sensed_now().data(), now, v.metrics);
      fill_plant(row, v);
      recorder_->append(now, event_kind::sample, 0, std::span<const double>(row.data(), row_size_));
      next_ = t + interval_;
    }
    if (now != event_time) {
      p.restore(at_event);
      now = event_time;
    }
  }

  /// The gains of a step from `from` to the row at `to`: one record interval's (cached), or —
  /// for the first row after an event — computed into `scratch`.
  template <class Net>
  const double* step_gains(sim_time from, sim_time to, const Net& net,
                           std::array<double, Limits::nodes>& scratch) const noexcept {
    if (to - from == interval_) {
      return gain_.data();
    }
    net.step_gains(to_seconds(to - from), std::span<double>(scratch.data(), net.size()));
    return scratch.data();
  }

  /// The gains of one record-interval step and the readout of nodes and sensors for the
  /// current network, rebuilt after a network change only.
  void refresh_tables(const plant<Limits>& p) noexcept {
    const auto& net = p.network();
    if (tables_slot_ != p.slot() || tables_generation_ != net.generation()) {
      net.step_gains(to_seconds(interval_), std::span<double>(gain_.data(), p.size()));
      readout_.build(net, p.probes());
      tables_slot_ = p.slot();
      tables_generation_ = net.generation();
    }
  }

  /// The row's plant channels (node temperatures, sensors) and custom channels; updates the
  /// node peaks.
  void fill_plant(std::array<double, row_capacity>& row, const sources& v) noexcept {
    std::size_t k = 0;
    for (std::size_t i = 0; i < v.thermal.size(); ++i) {
      row[k] = v.thermal.temperature(i);
      v.metrics.node_peak_c[i] = std::max(v.metrics.node_peak_c[i], row[k]);
      ++k;
    }
    for (std::size_t s = 0; s < v.ports.sensor_count(); ++s) {
      row[k++] = v.thermal.sensed_now()[s];
    }
    k = row_size_ - channels_.size();
    for (const custom_channel& c : channels_) {
      row[k++] = c.fn(c.ctx);
    }
  }

  /// The row's channels that change only at events: zone temperatures, domains, cooling states.
  void fill_inputs(std::array<double, row_capacity>& row, const sources& v) const noexcept {
    std::size_t k = v.thermal.size() + v.ports.sensor_count();
    for (std::size_t z = 0; z < v.ports.zone_count(); ++z) {
      const millicelsius t = v.ports.zone(z).temperature();
      row[k++] = t == control::temp_init ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(t.count()) / 1000.0;
    }
    for (std::size_t d = 0; d < v.ops.domain_count(); ++d) {
      const workload::domain_state& st = v.ops.state(d);
      row[k++] = st.frequency_hz / 1e6;
      row[k++] = v.ops.max_utilization(d);
      row[k++] = st.run_fraction;
      row[k++] = v.ops.power(d).total.count();
    }
    for (std::size_t c = 0; c < v.ops.cooling_count(); ++c) {
      row[k++] = static_cast<double>(v.ops.applied(c));  // = cur_state() after every update
    }
    THERMO_ASSERT(k + channels_.size() == row_size_);
  }

  recorder* recorder_{nullptr};
  static_vector<custom_channel, Limits::channels> channels_{};
  std::size_t row_size_{0};
  sim_time next_{never};  // the next periodic row's time (never: no trace)
  sim_duration interval_{0};
  std::array<double, Limits::nodes> gain_{};                 // step gains of one record interval …
  modal_readout<Limits::nodes, Limits::sensors> readout_{};  // … the rows of nodes and sensors …
  std::uint64_t tables_generation_{0};                       // … for this network generation …
  std::size_t tables_slot_{static_cast<std::size_t>(-1)};    // … of this cached network
};

}  // namespace thermo::sim
