// The exports of run_export.hpp attached to a simulation of `thermo simulate` or one point of
// `thermo sweep` (a sim_bundle): `sim_exports` installs the simulation's event sink, update
// hook and step hook before the build adds its parts (the cooling devices copy the sink when
// they are added, and `start` runs the first zone updates), and learns the zones, cooling
// devices and CPU domains from the bundle as they appear. Host code.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "run_export.hpp"
#include "sim_bundle.hpp"
#include "thermo/control/events.hpp"
#include "thermo/io/ftrace.hpp"
#include "thermo/io/scenario_records.hpp"
#include "thermo/sim/simulation.hpp"

namespace thermo::cli {

/// The bridge between one simulation and its exporters (either may be null). Not copyable:
/// the simulation holds a pointer to it, so it must outlive the run.
class sim_exports {
 public:
  /// `scn` (optional) tells which sensor each zone reads, so that the sensed temperature
  /// joins the zone's tracks in Perfetto.
  sim_exports(ftrace_export* ftrace, perfetto_export* perfetto, const io::scenario* scn = nullptr)
      : ftrace_(ftrace), perfetto_(perfetto), scn_(scn) {}
  sim_exports(const sim_exports&) = delete;
  sim_exports& operator=(const sim_exports&) = delete;
  sim_exports(sim_exports&&) = delete;
  sim_exports& operator=(sim_exports&&) = delete;
  ~sim_exports() = default;

  /// Installs the sink and the hooks on `b`'s simulation: call before the build adds parts
  /// (build_simulation's `prepare`).
  void attach(sim_bundle& b) {
    b_ = &b;
    b.sim.set_event_sink(control::event_sink(&sim_exports::event_cb, this));
    b.sim.set_update_hook(control::callback_sink<sim::zone_update>(&sim_exports::update_cb, this));
    b.sim.set_step_hook(control::callback_sink<sim_time>(&sim_exports::step_cb, this));
  }

  /// The held events (a cooling state set outside a zone update) after the run; what the
  /// simulation reports after this (its destruction) is ignored.
  void finish() {
    if (ftrace_ != nullptr && !done_) {
      guard([&] { ftrace_->finish(); });
    }
    done_ = true;
  }
  /// False when an exporter threw (out of memory): the outputs must not be committed.
  [[nodiscard]] bool ok() const noexcept { return ok_; }

 private:
  template <class F>
  void guard(F&& f) noexcept {
    try {
      f();
    } catch (...) {
      ok_ = false;
    }
  }

  static void event_cb(void* ctx, const control::thermal_event& e) noexcept {
    auto* self = static_cast<sim_exports*>(ctx);
    if (self->done_) {
      return;
    }
    self->guard([&] {
      self->sync_cooling();
      const sim_time now = self->b_->sim.now();
      if (self->ftrace_ != nullptr) {
        self->ftrace_->on_netlink(now, e);
      }
      if (self->perfetto_ != nullptr) {
        if (self->live_) {
          self->perfetto_->on_netlink(now, e);
        } else {
          self->early_.emplace_back(now, e);  // the zones are not all known yet
        }
      }
    });
  }
  static void update_cb(void* ctx, const sim::zone_update& u) noexcept {
    auto* self = static_cast<sim_exports*>(ctx);
    if (self->done_) {
      return;
    }
    self->guard([&] {
      self->sync();
      if (self->ftrace_ != nullptr) {
        self->ftrace_->on_update(u.zone, u.at);
      }
      if (self->perfetto_ != nullptr) {
        self->perfetto_->on_update(u.zone, u.at);
      }
    });
  }
  static void step_cb(void* ctx, const sim_time& now) noexcept {
    auto* self = static_cast<sim_exports*>(ctx);
    if (self->done_) {
      return;
    }
    self->guard([&] {
      self->sync();
      if (self->ftrace_ != nullptr) {
        self->ftrace_->on_step(now);
      }
    });
  }

  /// Registers the cooling devices added since the last call.
  void sync_cooling() {
    cli_simulation& s = b_->sim;
    for (; cooling_ < s.cooling_count(); ++cooling_) {
      const control::thermal_cooling_device& c = s.cooling_device(cooling_);
      if (ftrace_ != nullptr) {
        ftrace_->set_cooling_type(c.id(), std::string(c.type()));
      }
      if (perfetto_ != nullptr) {
        perfetto_->set_cooling(c.id(), std::string(c.type()));
      }
    }
  }

  /// From the first zone update or step on (the build is over: `start` runs them): registers
  /// the zones and CPU domains, and passes on the netlink events held until then.
  void sync() {
    sync_cooling();
    if (live_) {
      return;
    }
    live_ = true;
    cli_simulation& s = b_->sim;
    for (; zones_ < s.zone_count(); ++zones_) {
      export_zone z{&s.zone(zones_), nullptr};
      if (zones_ < b_->governors.size()) {
        z.ipa = b_->governors[zones_].get<cli_power_allocator>();
      }
      if (ftrace_ != nullptr) {
        ftrace_->add_zone(z);
      }
      if (perfetto_ != nullptr) {
        perfetto_->add_zone(z, sensor_of(zones_));
        for (const control::thermal_instance& i : z.zone->instances()) {
          for (std::size_t c = 0; c < s.cooling_count(); ++c) {
            if (&s.cooling_device(c) == i.cdev) {
              perfetto_->set_cooling_zone(c, i.cdev->id(), zones_);
            }
          }
        }
      }
    }
    if (perfetto_ != nullptr) {
      for (const auto& [t, e] : early_) {
        perfetto_->on_netlink(t, e);
      }
    }
    early_.clear();
    if (ftrace_ != nullptr) {
      for (std::size_t d = 0; d < s.domain_count(); ++d) {
        const schema::cpu_cluster_desc* cl = b_->soc.find_cluster(s.domain(d).name());
        if (cl == nullptr) {
          continue;
        }
        export_cpu_domain x;
        x.khz = [&s, d] { return static_cast<std::uint64_t>(std::llround(s.frequency(d) / 1000.0)); };
        x.cpus.assign(cl->cpu_ids.begin(), cl->cpu_ids.end());
        ftrace_->add_cpu_domain(std::move(x));
      }
    }
  }

  /// The sensor zone `z` reads (by the scenario's names), if known.
  [[nodiscard]] std::optional<std::size_t> sensor_of(std::size_t z) const {
    if (scn_ == nullptr || z >= b_->zone_names.size()) {
      return std::nullopt;
    }
    for (const io::scenario_zone& sz : scn_->zones) {
      if (sz.name != b_->zone_names[z]) {
        continue;
      }
      for (std::size_t k = 0; k < b_->sim.sensor_count(); ++k) {
        if (b_->sim.sensor_name(k) == sz.sensor) {
          return k;
        }
      }
    }
    return std::nullopt;
  }

  ftrace_export* ftrace_;
  perfetto_export* perfetto_;
  const io::scenario* scn_;
  sim_bundle* b_{nullptr};
  std::size_t zones_{0};
  std::size_t cooling_{0};
  bool live_{false};
  bool done_{false};
  std::vector<std::pair<sim_time, control::thermal_event>> early_;
  bool ok_{true};
};

/// The --ftrace and --perfetto outputs of one run (either stream may be null: not asked for).
/// Give `attach` to build_simulation as its `prepare`; after the run, `finish` ends the
/// documents. The streams come from an io::output_set, so a failed run writes neither.
class run_outputs {
 public:
  run_outputs(std::ostream* ftrace_out, std::ostream* perfetto_out, const io::scenario* scn = nullptr) {
    if (ftrace_out != nullptr) {
      writer_ = std::make_unique<io::ftrace::writer>(*ftrace_out);
      ftrace_ = std::make_unique<ftrace_export>([w = writer_.get()](const io::ftrace::event& e) { w->write(e); });
    }
    if (perfetto_out != nullptr) {
      perfetto_ = std::make_unique<perfetto_export>(*perfetto_out);
    }
    bridge_ = std::make_unique<sim_exports>(ftrace_.get(), perfetto_.get(), scn);
  }

  /// Attaches the exporters to `b` (nothing when neither output is asked for).
  void attach(sim_bundle& b) {
    if (ftrace_ != nullptr || perfetto_ != nullptr) {
      bridge_->attach(b);
    }
  }
  /// The Perfetto exporter (a row sink for the recorder), or null.
  [[nodiscard]] perfetto_export* perfetto() noexcept { return perfetto_.get(); }
  [[nodiscard]] ftrace_export* ftrace() noexcept { return ftrace_.get(); }

  /// Ends the documents after the run: "" or what went wrong.
  [[nodiscard]] std::string finish() {
    bridge_->finish();
    if (perfetto_ != nullptr && !perfetto_->finish()) {
      return "the Perfetto trace could not be written (out of memory)";
    }
    if (!bridge_->ok()) {
      return "the run's export could not be produced (out of memory)";
    }
    return {};
  }

 private:
  std::unique_ptr<io::ftrace::writer> writer_;
  std::unique_ptr<ftrace_export> ftrace_;
  std::unique_ptr<perfetto_export> perfetto_;
  std::unique_ptr<sim_exports> bridge_;
};

}  // namespace thermo::cli
