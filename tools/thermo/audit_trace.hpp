// `thermo audit`, part 1: from the events of a kernel ftrace to the power-allocator ticks of one
// zone (analysis/ipa_audit.hpp `logged_tick`), with the zone updates that reset the controller
// and the actors' names. Host code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "thermo/analysis/ipa_audit.hpp"
#include "thermo/io/ftrace_events.hpp"

namespace thermo::cli {

/// The ticks of one zone and what the trace said about them.
struct audit_ticks {
  std::int32_t tz_id{-1};
  std::string zone;                            ///< the zone's type, when a thermal_temperature event named it
  std::vector<analysis::ipa_audit::logged_tick> ticks;
  std::vector<std::string> actor_names;        ///< from the cdev_update events of a tick, or actor0…
  bool names_from_trace{false};
  bool per_actor_events{false};                ///< the 6.8+ form (thermal_power_actor)
  bool arrays{false};                          ///< the ≤ 6.7 form (arrays in thermal_power_allocator)
  std::size_t temperature_events{0};
  std::size_t resets{0};                       ///< zone updates with no tick after them
  std::vector<std::size_t> incomplete;         ///< lines of allocator events without a PID event
  std::vector<std::string> problems;           ///< inconsistencies within a tick (line: what)
};

/// Gathers the events of a whole trace (for one zone, chosen when it ends) in one pass.
class audit_collector {
 public:
  /// Feeds one event, in trace order.
  void add(const io::ftrace::event& e) {
    if (const auto* t = std::get_if<io::ftrace::thermal_temperature>(&e.data)) {
      zone_names_[t->id] = t->zone;
      zone_state& z = zones_[t->id];
      ++z.temperature_events;
      if (z.update_open) {
        z.reset_pending = true;  // the previous update of the zone ran no governor tick
        ++z.resets;
      }
      z.update_open = true;
      return;
    }
    if (const auto* p = std::get_if<io::ftrace::power_allocator_pid>(&e.data)) {
      zone_state& z = zones_[p->tz_id];
      if (z.pid) {
        z.problems.push_back(std::to_string(z.pid_line) + ": a thermal_power_allocator_pid event with no thermal_power_allocator after it");
      }
      z.pid = *p;
      z.pid_line = e.line;
      z.pid_cpu = e.cpu;
      z.pid_task = e.pid;
      z.actor_events.clear();
      z.cdev_types.clear();
      return;
    }
    if (const auto* a = std::get_if<io::ftrace::power_actor>(&e.data)) {
      zone_state& z = zones_[a->tz_id];
      if (z.pid) {
        z.actor_events.push_back({*a, e.line});
        z.per_actor = true;
      }
      return;
    }
    if (const auto* c = std::get_if<io::ftrace::cdev_update>(&e.data)) {
      // A tick's cdev updates come from its own CPU and task, between its PID event and its
      // allocator event, one per actor in actor order.
      for (auto& [id, z] : zones_) {
        if (z.pid && z.pid_cpu == e.cpu && z.pid_task == e.pid) {
          z.cdev_types.push_back(c->type);
        }
      }
      return;
    }
    if (const auto* al = std::get_if<io::ftrace::power_allocator>(&e.data)) {
      zone_state& z = zones_[al->tz_id];
      ++z.allocator_events;
      if (!z.pid) {
        z.incomplete.push_back(e.line);
        return;
      }
      analysis::ipa_audit::logged_tick t;
      t.time_ns = e.time_ns;
      t.line = e.line;
      t.pid_line = z.pid_line;
      t.current_temperature = al->current_temperature;
      t.delta_temperature = al->delta_temperature;
      t.err = z.pid->err;
      t.err_integral = z.pid->err_integral;
      t.p = z.pid->p;
      t.i = z.pid->i;
      t.d = z.pid->d;
      t.output = z.pid->output;
      t.total_req_power = al->total_req_power;
      t.total_granted_power = al->total_granted_power;
      t.power_range = al->power_range;
      t.max_allocatable_power = al->max_allocatable_power;
      if (al->has_arrays) {
        z.arrays = true;
        if (al->req_power.size() != al->granted_power.size()) {
          z.problems.push_back(std::to_string(e.line) + ": req_power and granted_power list different numbers of actors");
        }
        for (std::size_t k = 0; k < al->req_power.size() && k < al->granted_power.size(); ++k) {
          t.actors.push_back({al->req_power[k], al->granted_power[k], e.line});
        }
      } else {
        for (std::size_t k = 0; k < z.actor_events.size(); ++k) {
          const auto& [ev, line] = z.actor_events[k];
          if (ev.actor_id != static_cast<std::int32_t>(k)) {
            z.problems.push_back(std::to_string(line) + ": thermal_power_actor actor_id " + std::to_string(ev.actor_id) +
                                 " where actor " + std::to_string(k) + " was expected");
          }
          t.actors.push_back({ev.req_power, ev.granted_power, line});
        }
      }
      std::uint64_t req = 0;
      std::uint64_t granted = 0;
      for (const auto& a : t.actors) {
        req += a.req_power;
        granted += a.granted_power;
      }
      if (!t.actors.empty() && req != t.total_req_power) {
        z.problems.push_back(std::to_string(e.line) + ": the actors' requests sum to " + std::to_string(req) +
                             " mW, total_req_power says " + std::to_string(t.total_req_power));
      }
      if (!t.actors.empty() && granted != t.total_granted_power) {
        z.problems.push_back(std::to_string(e.line) + ": the actors' grants sum to " + std::to_string(granted) +
                             " mW, total_granted_power says " + std::to_string(t.total_granted_power));
      }
      if (z.cdev_types.size() == t.actors.size() && !t.actors.empty() && z.names.empty()) {
        z.names = z.cdev_types;
      }
      t.reset_before = z.reset_pending;
      z.reset_pending = false;
      z.update_open = false;
      z.pid.reset();
      z.actor_events.clear();
      z.cdev_types.clear();
      z.ticks.push_back(std::move(t));
      return;
    }
  }

  /// The zones that logged power-allocator events: id → type name ("" when no temperature
  /// event named it).
  [[nodiscard]] std::map<std::int32_t, std::string> allocator_zones() const {
    std::map<std::int32_t, std::string> out;
    for (const auto& [id, z] : zones_) {
      if (z.allocator_events > 0) {
        const auto n = zone_names_.find(id);
        out[id] = n == zone_names_.end() ? std::string() : n->second;
      }
    }
    return out;
  }
  /// Every zone a temperature event named: type → id.
  [[nodiscard]] std::map<std::string, std::int32_t> named_zones() const {
    std::map<std::string, std::int32_t> out;
    for (const auto& [id, name] : zone_names_) {
      out[name] = id;
    }
    return out;
  }

  /// The ticks of zone `tz_id`.
  [[nodiscard]] audit_ticks take(std::int32_t tz_id) {
    audit_ticks out;
    out.tz_id = tz_id;
    if (const auto n = zone_names_.find(tz_id); n != zone_names_.end()) {
      out.zone = n->second;
    }
    zone_state& z = zones_[tz_id];
    if (z.pid) {
      z.problems.push_back(std::to_string(z.pid_line) + ": a thermal_power_allocator_pid event with no thermal_power_allocator after it");
    }
    out.ticks = std::move(z.ticks);
    out.per_actor_events = z.per_actor;
    out.arrays = z.arrays;
    out.temperature_events = z.temperature_events;
    out.resets = z.resets;
    out.incomplete = std::move(z.incomplete);
    out.problems = std::move(z.problems);
    std::size_t actors = 0;
    for (const auto& t : out.ticks) {
      actors = std::max(actors, t.actors.size());
    }
    if (z.names.size() == actors && actors > 0) {
      out.actor_names = z.names;
      out.names_from_trace = true;
    } else {
      for (std::size_t k = 0; k < actors; ++k) {
        out.actor_names.push_back("actor" + std::to_string(k));
      }
    }
    return out;
  }

 private:
  struct zone_state {
    std::optional<io::ftrace::power_allocator_pid> pid;
    std::size_t pid_line{0};
    std::int32_t pid_cpu{-1};
    std::int32_t pid_task{-1};
    std::vector<std::pair<io::ftrace::power_actor, std::size_t>> actor_events;
    std::vector<std::string> cdev_types;
    std::vector<std::string> names;
    std::vector<analysis::ipa_audit::logged_tick> ticks;
    std::vector<std::size_t> incomplete;
    std::vector<std::string> problems;
    std::size_t allocator_events{0};
    std::size_t temperature_events{0};
    std::size_t resets{0};
    bool update_open{false};
    bool reset_pending{false};
    bool per_actor{false};
    bool arrays{false};
  };
  std::map<std::int32_t, zone_state> zones_;
  std::map<std::int32_t, std::string> zone_names_;
};

}  // namespace thermo::cli
