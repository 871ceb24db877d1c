// The exports of run_export.hpp for `thermo replay` (one zone of a zone_system driven by a
// recorded temperature trace): after each row's update, the netlink events the zone sent (its
// event ring) and the update itself go to the ftrace and Perfetto exporters; the Perfetto
// counters are the zone's temperature and its cooling devices' states (replay has no
// simulated plant, so no recorder channels and no `power:cpu_frequency`). Host code.
#pragma once

#include <cstddef>
#include <memory>
#include <ostream>
#include <string>

#include "run_export.hpp"
#include "thermo/control/events.hpp"
#include "thermo/core/time.hpp"
#include "thermo/io/ftrace.hpp"
#include "zone_system.hpp"

namespace thermo::cli {

/// The --export-ftrace and --perfetto outputs of a replay (either stream may be null).
class replay_exports {
 public:
  replay_exports(std::ostream* ftrace_out, std::ostream* perfetto_out, const zone_system& sys) : sys_(sys) {
    const export_zone z{&sys.zone(), sys.power_allocator()};
    if (ftrace_out != nullptr) {
      writer_ = std::make_unique<io::ftrace::writer>(*ftrace_out);
      ftrace_ = std::make_unique<ftrace_export>([w = writer_.get()](const io::ftrace::event& e) { w->write(e); });
      ftrace_->add_zone(z);
    }
    if (perfetto_out != nullptr) {
      perfetto_ = std::make_unique<perfetto_export>(*perfetto_out);
      perfetto_->add_zone(z);
    }
    for (std::size_t k = 0; k < sys.devices().size(); ++k) {
      const bound_device& d = sys.devices()[k];
      if (ftrace_ != nullptr) {
        ftrace_->set_cooling_type(d.core->id(), std::string(d.core->type()));
      }
      if (perfetto_ != nullptr) {
        perfetto_->set_cooling(d.core->id(), std::string(d.core->type()));
        perfetto_->set_cooling_zone(k, d.core->id(), 0);
      }
    }
  }

  /// True when an output was asked for.
  [[nodiscard]] bool active() const noexcept { return ftrace_ != nullptr || perfetto_ != nullptr; }

  /// After the update of a row at `now`: the events in the zone's ring (those of this update).
  void after_update(sim_time now, const control::event_ring<1024>& ring) {
    for (std::size_t k = 0; k < ring.size(); ++k) {
      if (ftrace_ != nullptr) {
        ftrace_->on_netlink(now, ring[k]);
      }
      if (perfetto_ != nullptr) {
        perfetto_->on_netlink(now, ring[k]);
      }
    }
    if (ftrace_ != nullptr) {
      ftrace_->on_update(0, now);
    }
    if (perfetto_ != nullptr) {
      perfetto_->on_update(0, now);
      const control::thermal_zone_device& tz = sys_.zone();
      if (tz.temperature() != control::temp_init) {
        perfetto_->zone_counter(0, now, "temperature (C)", static_cast<double>(tz.temperature().count()) / 1000.0);
      }
      for (const bound_device& d : sys_.devices()) {
        perfetto_->zone_counter(0, now, "state " + d.column, static_cast<double>(d.core->cur_state()));
      }
    }
  }

  /// Ends the documents: "" or what went wrong.
  [[nodiscard]] std::string finish() {
    if (ftrace_ != nullptr) {
      ftrace_->finish();
    }
    if (perfetto_ != nullptr && !perfetto_->finish()) {
      return "the Perfetto trace could not be written (out of memory)";
    }
    return {};
  }

 private:
  const zone_system& sys_;
  std::unique_ptr<io::ftrace::writer> writer_;
  std::unique_ptr<ftrace_export> ftrace_;
  std::unique_ptr<perfetto_export> perfetto_;
};

}  // namespace thermo::cli
