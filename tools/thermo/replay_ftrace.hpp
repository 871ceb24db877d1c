// `thermo replay --ftrace TRACE`: a kernel ftrace text drives the zone, and what thermo decides
// is compared with what the kernel logged (issue 17, part 4a).
//
// Every `thermal_temperature` event of the zone (matched by its type, `thermal_zone=`) is one
// zone update at the event's time. The events that follow it, up to the zone's next
// temperature event, are what the kernel did in that update:
// * `cdev_update` (type=, target=): one per `__thermal_cdev_update`, which is exactly when
//   thermo sends CDEV_STATE_UPDATE — the two sequences are compared device by device;
// * `thermal_zone_trip` of the zone: Linux 6.12 logs one from step_wise for every valid
//   non-hot/critical trip with T ≥ its threshold on every manage, one from fair_share for the
//   highest reached trip, one from the core for a hot or critical trip on its upward crossing;
//   power_allocator, bang_bang and user_space log none. thermo's zone gives the set its
//   governor would log, and the sets are compared update by update.
// An event logged by a task whose last `thermal_temperature` was another zone's belongs to that
// zone's update (a cooling device shared by two zones) and is not counted.
//
// The power allocator prices its actors from their loads and frequencies: they are taken from
// the trace where it has them (`thermal_power_cpu_get_power`: frequency and per-CPU loads of a
// policy; `cpu_frequency`: a CPU's frequency; `thermal_power_devfreq_get_power`: a devfreq
// device's frequency and load), else the report says what was assumed. Host code.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "cli.hpp"
#include "replay.hpp"
#include "thermo/control/events.hpp"
#include "thermo/io/ftrace.hpp"
#include "zone_system.hpp"

namespace thermo::cli {

/// The largest ftrace text `thermo replay --ftrace` reads (256 MiB).
inline constexpr std::size_t max_ftrace_text_bytes = std::size_t{256} << 20U;

/// One difference between the kernel's log and thermo.
struct ftrace_difference {
  std::int64_t time_ns{0};
  std::size_t line{0};  ///< the logged event's line, or the update's when nothing was logged
  std::string what;
};

/// What `run_ftrace_replay` found.
struct ftrace_replay_report {
  std::string zone;
  std::string governor;
  std::size_t updates{0};
  std::size_t first_line{0};
  std::size_t last_line{0};
  std::optional<std::int32_t> primed_at;  ///< m°C: the first event's temp_prev, applied first
  std::size_t cooling_match{0};  ///< (update, device) pairs where either side set a state, alike
  std::size_t cooling_differ{0};
  std::size_t trips_match{0};  ///< updates where either side logged a trip, alike
  std::size_t trips_differ{0};
  std::optional<ftrace_difference> first_cooling;
  std::optional<ftrace_difference> first_trips;
  std::vector<std::string> notes;
  [[nodiscard]] bool all_match() const noexcept { return cooling_differ == 0 && trips_differ == 0; }
};

namespace detail_ftrace_replay {

/// "12.345678" (s, µs digits) of a time in ns.
inline std::string seconds(std::int64_t ns) {
  const bool neg = ns < 0;
  const std::uint64_t a = neg ? static_cast<std::uint64_t>(-(ns + 1)) + 1U : static_cast<std::uint64_t>(ns);
  std::string frac = std::to_string((a % 1'000'000'000U) / 1000U);
  frac.insert(0, 6 - frac.size(), '0');
  std::string s = neg ? "-" : "";
  s += std::to_string(a / 1'000'000'000U);
  s += '.';
  s += frac;
  return s;
}

/// "0;2" of trip ids.
inline std::string trip_list(const std::vector<std::int32_t>& trips) {
  std::string s;
  for (const std::int32_t t : trips) {
    if (!s.empty()) {
      s += ';';
    }
    s += std::to_string(t);
  }
  return s;
}

/// "target=1, target=2" of a cdev_update sequence ("none" when empty).
inline std::string targets(const std::vector<std::uint64_t>& v) {
  if (v.empty()) {
    return "none";
  }
  std::string s;
  for (const std::uint64_t t : v) {
    if (!s.empty()) {
      s += ", ";
    }
    s += "target=";
    s += std::to_string(t);
  }
  return s;
}

/// The power-actor inputs one update's events give.
struct actor_inputs {
  std::optional<std::uint64_t> khz;            ///< from get_power (or cpu_frequency, for a CPU)
  std::optional<std::vector<std::uint32_t>> loads;  ///< cpufreq: per CPU of the policy, %
  std::optional<std::uint32_t> load;           ///< devfreq: %
  std::size_t line{0};                         ///< the event that gave them
};

/// One update of the zone and what the kernel logged in it.
struct window {
  std::int64_t time_ns{0};
  std::size_t line{0};
  std::int32_t temp{0};
  std::int32_t temp_prev{0};
  std::vector<std::vector<std::pair<std::uint64_t, std::size_t>>> cdev;  ///< per device type: (target, line)
  std::vector<std::pair<std::int32_t, std::size_t>> trips;              ///< (trip, line)
  std::vector<actor_inputs> inputs;                                     ///< per bound device
};

/// Replays the windows one by one; holds thermo's side.
class comparer {
 public:
  comparer(zone_system& sys, std::ostream* csv) : sys_(sys), csv_(csv) {
    for (const bound_device& d : sys.devices()) {
      const std::string type(d.core->type());
      auto it = std::find(types_.begin(), types_.end(), type);
      if (it == types_.end()) {
        types_.push_back(type);
        it = types_.end() - 1;
      } else if (!shared_type_noted_) {
        shared_type_noted_ = true;
        notes_.push_back("two cooling devices of type '" + type +
                         "' are bound to the zone: a trace cannot tell them apart, they are compared as one");
      }
      type_of_device_.push_back(static_cast<std::size_t>(it - types_.begin()));
    }
    logged_state_.resize(types_.size());
    ipa_ = sys.power_allocator() != nullptr;
  }

  [[nodiscard]] const std::vector<std::string>& types() const noexcept { return types_; }
  [[nodiscard]] std::optional<std::size_t> type_index(std::string_view type) const {
    for (std::size_t k = 0; k < types_.size(); ++k) {
      if (types_[k] == type) {
        return k;
      }
    }
    return std::nullopt;
  }
  [[nodiscard]] bool power_allocator() const noexcept { return ipa_; }

  void header() {
    if (csv_ == nullptr) {
      return;
    }
    std::string h = "time_s,temperature";
    for (const std::string& t : types_) {
      h += ",logged:" + t + ",thermo:" + t;
    }
    h += ",logged_trips,thermo_trips,line\n";
    *csv_ << h;
  }

  /// Runs one update and compares it; "" or an error (a frequency that is no OPP).
  std::string run(const window& w, std::string_view source, ftrace_replay_report& rep) {
    auto& tz = sys_.zone();
    if (!started_) {
      started_ = true;
      t0_ = w.time_ns;
      // The kernel's zone ran before the trace began: temp_prev is its previous reading. thermo
      // enables the zone at it (trip states, trend), unless the trace starts at the zone's first
      // update (temp_prev = THERMAL_TEMP_INIT).
      if (w.temp_prev != std::numeric_limits<std::int32_t>::min() && w.temp_prev > control::temp_invalid.count()) {
        sys_.sensor().set(millicelsius(w.temp_prev));
        const control::update_result r = tz.enable(sim_time{});
        offset_ = r.next_update ? *r.next_update - sim_time{} : sim_duration(std::chrono::seconds(1));
        rep.primed_at = w.temp_prev;
        enabled_ = true;
      }
    }
    if (ipa_) {
      if (std::string e = apply_inputs(w, source); !e.empty()) {
        return e;
      }
    }
    // never backwards (a trace merged from per-CPU buffers is in time order; a hand-made one may not be)
    const sim_time now = std::max(sim_time(sim_duration(w.time_ns - t0_)) + offset_, last_now_);
    last_now_ = now;
    sys_.sensor().set(millicelsius(w.temp));
    sys_.events().clear();
    const control::update_result res = enabled_ ? tz.update(now) : tz.enable(now);
    enabled_ = true;

    // thermo's side: its CDEV_STATE_UPDATE events (= the kernel's cdev_update) and trip events
    std::vector<std::vector<std::uint64_t>> mine(types_.size());
    std::vector<std::int32_t> thermo_trips;
    auto& ev = sys_.events();
    for (std::size_t k = 0; k < ev.size(); ++k) {
      const control::thermal_event& e = ev[k];
      if (e.type == control::event_type::cdev_state_update) {
        for (std::size_t d = 0; d < sys_.devices().size(); ++d) {
          if (sys_.devices()[d].core->id() == e.cdev_id) {
            mine[type_of_device_[d]].push_back(e.cdev_state);
          }
        }
      } else if (e.type == control::event_type::tz_trip_up && e.trip_id >= 0) {
        const control::trip_type t = tz.trip(static_cast<std::size_t>(e.trip_id)).trip.type;
        if (t == control::trip_type::hot || t == control::trip_type::critical) {
          thermo_trips.push_back(e.trip_id);  // the core, on the upward crossing
        }
      }
    }
    if (res.status == control::update_status::updated) {
      governor_trips(thermo_trips);
    }
    std::sort(thermo_trips.begin(), thermo_trips.end());

    ++rep.updates;
    // cooling, type by type
    for (std::size_t t = 0; t < types_.size(); ++t) {
      std::vector<std::uint64_t> logged;
      for (const auto& [target, line] : w.cdev[t]) {
        logged.push_back(target);
      }
      if (!logged.empty()) {
        logged_state_[t] = logged.back();
      }
      if (logged.empty() && mine[t].empty()) {
        continue;
      }
      if (logged == mine[t]) {
        ++rep.cooling_match;
        continue;
      }
      ++rep.cooling_differ;
      if (!rep.first_cooling) {
        std::size_t k = 0;
        while (k < logged.size() && k < mine[t].size() && logged[k] == mine[t][k]) {
          ++k;
        }
        const std::size_t line = k < w.cdev[t].size() ? w.cdev[t][k].second : w.line;
        rep.first_cooling = ftrace_difference{w.time_ns, line,
                                              types_[t] + ": logged " + targets(logged) + ", thermo " + targets(mine[t]) +
                                                  " (update at " + std::to_string(w.temp) + " m°C, line " +
                                                  std::to_string(w.line) + ")"};
      }
    }
    // trips
    std::vector<std::int32_t> logged_trips;
    for (const auto& [trip, line] : w.trips) {
      logged_trips.push_back(trip);
    }
    std::sort(logged_trips.begin(), logged_trips.end());
    if (!logged_trips.empty() || !thermo_trips.empty()) {
      if (logged_trips == thermo_trips) {
        ++rep.trips_match;
      } else {
        ++rep.trips_differ;
        if (!rep.first_trips) {
          std::size_t line = w.line;
          for (const auto& [trip, l] : w.trips) {
            if (std::find(thermo_trips.begin(), thermo_trips.end(), trip) == thermo_trips.end()) {
              line = l;
              break;
            }
          }
          std::string what = "logged trips {" + trip_list(logged_trips);
          what += "}, thermo's ";
          what += sys_.governor_name();
          what += " {" + trip_list(thermo_trips);
          what += "} (update at " + std::to_string(w.temp) + " m°C, line " + std::to_string(w.line) + ")";
          rep.first_trips = ftrace_difference{w.time_ns, line, std::move(what)};
        }
      }
    }
    if (csv_ != nullptr) {
      std::string row = seconds(w.time_ns) + "," + std::to_string(w.temp);
      for (std::size_t t = 0; t < types_.size(); ++t) {
        row += ',';
        if (logged_state_[t]) {
          row += std::to_string(*logged_state_[t]);
        }
        row += ',';
        for (std::size_t d = 0; d < sys_.devices().size(); ++d) {
          if (type_of_device_[d] == t) {
            row += std::to_string(sys_.devices()[d].core->cur_state());
            break;
          }
        }
      }
      row += ',' + trip_list(logged_trips) + ',' + trip_list(thermo_trips) + ',' + std::to_string(w.line) + '\n';
      *csv_ << row;
    }
    return {};
  }

  /// Notes about what the trace lacked for the power allocator.
  void finish(ftrace_replay_report& rep) const {
    rep.notes.insert(rep.notes.end(), notes_.begin(), notes_.end());
    if (!ipa_) {
      return;
    }
    for (std::size_t d = 0; d < sys_.devices().size(); ++d) {
      const bound_device& b = sys_.devices()[d];
      if (b.cpufreq == nullptr && b.devfreq == nullptr) {
        continue;
      }
      const std::size_t no_load = d < missing_load_.size() ? missing_load_[d] : 0;
      const std::size_t no_freq = d < missing_freq_.size() ? missing_freq_[d] : 0;
      if (no_load > 0) {
        rep.notes.push_back(b.column + ": " + std::to_string(no_load) + " of " + std::to_string(rep.updates) +
                            " updates have no load in the trace (" +
                            (b.cpufreq != nullptr ? std::string("thermal_power_cpu_get_power; Linux 5.13 and later log "
                                                                "thermal_power_cpu_get_power_simple, without loads")
                                                  : std::string("thermal_power_devfreq_get_power")) +
                            "): thermo assumed 100 % — the power allocator's decisions depend on loads the trace does not "
                            "carry, so this comparison is indicative");
      }
      if (no_freq > 0) {
        rep.notes.push_back(b.column + ": " + std::to_string(no_freq) + " of " + std::to_string(rep.updates) +
                            " updates have no frequency in the trace (" +
                            (b.cpufreq != nullptr ? std::string("cpu_frequency or thermal_power_cpu_get_power")
                                                  : std::string("thermal_power_devfreq_get_power")) +
                            "): thermo assumed the device's cap");
      }
    }
  }

  /// The CPU frequencies known from cpu_frequency events (kHz by CPU).
  std::map<std::uint32_t, std::pair<std::uint64_t, std::size_t>> cpu_khz;

 private:
  /// The trip events the zone's governor logs in `manage` (Linux 6.12), appended to `out`.
  void governor_trips(std::vector<std::int32_t>& out) const {
    const auto& tz = sys_.zone();
    const std::string_view gov = sys_.governor_name();
    const std::int32_t temp = tz.temperature().count();
    const auto trips = tz.trips();
    if (gov == "step_wise") {
      for (std::size_t i = 0; i < trips.size(); ++i) {
        const control::thermal_trip_desc& td = trips[i];
        if (!td.valid() || td.trip.type == control::trip_type::hot || td.trip.type == control::trip_type::critical) {
          continue;
        }
        if (temp >= td.threshold.count()) {
          out.push_back(static_cast<std::int32_t>(i));
        }
      }
    } else if (gov == "fair_share") {
      std::optional<std::size_t> level;
      for (std::size_t i = 0; i < trips.size(); ++i) {
        if (trips[i].threshold.count() > temp) {
          continue;
        }
        if (!level || trips[i].threshold > trips[*level].threshold) {
          level = i;
        }
      }
      if (level) {
        out.push_back(static_cast<std::int32_t>(*level));
      }
    }
  }

  /// Feeds the power actors the loads and frequencies of window `w`.
  std::string apply_inputs(const window& w, std::string_view source) {
    missing_load_.resize(sys_.devices().size());
    missing_freq_.resize(sys_.devices().size());
    for (std::size_t d = 0; d < sys_.devices().size(); ++d) {
      bound_device& b = sys_.devices()[d];
      const actor_inputs& in = w.inputs[d];
      if (b.cpufreq != nullptr) {
        std::optional<std::uint64_t> khz = in.khz;
        std::size_t line = in.line;
        if (!khz) {
          for (const std::uint32_t c : b.cpus) {
            if (const auto it = cpu_khz.find(c); it != cpu_khz.end()) {
              khz = it->second.first;
              line = it->second.second;
              break;
            }
          }
        }
        if (khz) {
          trace_column col;
          col.k = trace_column::kind::freq_cpu;
          col.cpu = b.cpus.front();
          if (*khz > 0xFFFF'FFFFU) {
            return std::string(source) + ":" + std::to_string(line) + ": frequency " + std::to_string(*khz) + " kHz of " +
                   b.column + " is out of range";
          }
          if (std::string e = not_an_opp(sys_, col, static_cast<std::uint32_t>(*khz)); !e.empty()) {
            return std::string(source) + ":" + std::to_string(line) + ": " + e;
          }
          b.cpufreq->set_current_frequency(kilohertz(static_cast<std::uint32_t>(*khz)));
        } else {
          ++missing_freq_[d];
          b.cpufreq->set_current_frequency(b.cpufreq->max_frequency());
        }
        if (!in.loads) {
          ++missing_load_[d];
        }
        for (std::size_t k = 0; k < b.cpus.size(); ++k) {
          const std::uint64_t load = in.loads && k < in.loads->size() ? std::min<std::uint64_t>((*in.loads)[k], 100) * 1000U : 100'000U;
          const std::uint64_t cap = b.capacity[k];
          const auto util = static_cast<std::uint32_t>((load * cap + 99'999U) / 100'000U);
          static_cast<void>(b.cpufreq->set_cpu(k, control::cpufreq_cpu_load{util, b.capacity[k], true}));
        }
      } else if (b.devfreq != nullptr) {
        std::uint64_t khz = b.devfreq->frequency_of(b.devfreq->get_cur_state()).count();
        if (in.khz) {
          trace_column col;
          col.k = trace_column::kind::freq_device;
          col.device = d;
          if (*in.khz > 0xFFFF'FFFFU) {
            return std::string(source) + ":" + std::to_string(in.line) + ": frequency " + std::to_string(*in.khz) +
                   " kHz of " + b.column + " is out of range";
          }
          if (std::string e = not_an_opp(sys_, col, static_cast<std::uint32_t>(*in.khz)); !e.empty()) {
            return std::string(source) + ":" + std::to_string(in.line) + ": " + e;
          }
          khz = *in.khz;
        } else {
          ++missing_freq_[d];
        }
        if (!in.load) {
          ++missing_load_[d];
        }
        const std::uint64_t load = in.load ? std::min<std::uint64_t>(*in.load, 100) * 1000U : 100'000U;
        b.devfreq->set_status(control::devfreq_status{load, 100'000U, hertz(khz * 1000U)});
      }
    }
    return {};
  }

  zone_system& sys_;
  std::ostream* csv_;
  std::vector<std::string> types_;
  std::vector<std::size_t> type_of_device_;
  std::vector<std::optional<std::uint64_t>> logged_state_;
  std::vector<std::size_t> missing_load_;
  std::vector<std::size_t> missing_freq_;
  std::vector<std::string> notes_;
  bool shared_type_noted_{false};
  bool ipa_{false};
  bool started_{false};
  bool enabled_{false};
  std::int64_t t0_{0};
  sim_duration offset_{};
  sim_time last_now_{};
};

/// Whether the zone named in a trace is `zone` (the kernel cuts a zone's type to 19 characters).
inline bool same_zone(std::string_view logged, std::string_view zone) {
  constexpr std::size_t thermal_name_length = 20;
  return logged == zone || (zone.size() >= thermal_name_length && logged == zone.substr(0, thermal_name_length - 1));
}

}  // namespace detail_ftrace_replay

/// Replays the ftrace text `text` (named `source` in messages) through `sys`'s zone, writing
/// the per-update comparison CSV to `csv` (may be null). Errors: the reader's (with the line),
/// no temperature event of the zone, a frequency that is no OPP of the device.
inline outcome<ftrace_replay_report> run_ftrace_replay(zone_system& sys, std::string_view text, std::string_view source,
                                                        std::ostream* csv, progress* prog = nullptr) {
  namespace ft = io::ftrace;
  using detail_ftrace_replay::window;
  ftrace_replay_report rep;
  rep.zone = std::string(sys.description().name);
  rep.governor = std::string(sys.governor_name());
  detail_ftrace_replay::comparer cmp(sys, csv);
  cmp.header();
  const std::string zone_name = rep.zone;
  const std::string_view zone_type = sys.zone().type();
  const auto ours = [&](std::string_view z) {
    return detail_ftrace_replay::same_zone(z, zone_name) || detail_ftrace_replay::same_zone(z, zone_type);
  };

  ft::reader r(text, std::string(source));
  const auto total_lines = prog != nullptr ? std::count(text.begin(), text.end(), '\n') + 1 : 0;
  std::optional<window> cur;
  std::map<std::int32_t, bool> task_is_ours;  // pid → its last thermal_temperature was this zone's
  std::set<std::string> other_zones;
  std::optional<std::int32_t> zone_id;
  std::size_t cdev_events = 0;
  std::size_t trip_events = 0;
  bool ipa_events = false;
  const auto belongs = [&](const ft::event& e) {
    const auto it = task_is_ours.find(e.pid);
    return it == task_is_ours.end() || it->second;
  };
  const auto flush = [&]() -> std::string {
    if (!cur) {
      return {};
    }
    std::string e = cmp.run(*cur, source, rep);
    if (prog != nullptr && total_lines > 0) {
      prog->update(static_cast<double>(r.line()) / static_cast<double>(total_lines), std::to_string(rep.updates) + " updates");
    }
    return e;
  };
  while (const std::optional<ft::event> e = r.next()) {
    if (const auto* t = std::get_if<ft::thermal_temperature>(&e->data)) {
      const bool mine = ours(t->zone);
      task_is_ours[e->pid] = mine;
      if (!mine) {
        other_zones.insert(t->zone);
        continue;
      }
      zone_id = t->id;
      if (std::string err = flush(); !err.empty()) {
        return outcome<ftrace_replay_report>::fail(err);
      }
      window w;
      w.time_ns = e->time_ns;
      w.line = e->line;
      w.temp = t->temp;
      w.temp_prev = t->temp_prev;
      w.cdev.resize(cmp.types().size());
      w.inputs.resize(sys.devices().size());
      if (rep.first_line == 0) {
        rep.first_line = e->line;
      }
      rep.last_line = e->line;
      cur = std::move(w);
      continue;
    }
    if (const auto* f = std::get_if<ft::cpu_frequency>(&e->data)) {
      cmp.cpu_khz[f->cpu_id] = {f->state, e->line};
      continue;
    }
    if (std::holds_alternative<ft::cdev_update>(e->data)) {
      ++cdev_events;
    } else if (std::holds_alternative<ft::thermal_zone_trip>(e->data)) {
      ++trip_events;
    }
    if (const auto* p = std::get_if<ft::power_allocator>(&e->data); p != nullptr && zone_id && p->tz_id == *zone_id) {
      ipa_events = true;
    }
    if (!cur || !belongs(*e)) {
      continue;
    }
    if (const auto* c = std::get_if<ft::cdev_update>(&e->data)) {
      if (const auto t = cmp.type_index(c->type)) {
        cur->cdev[*t].emplace_back(c->target, e->line);
      }
    } else if (const auto* z = std::get_if<ft::thermal_zone_trip>(&e->data)) {
      if (ours(z->zone)) {
        cur->trips.emplace_back(z->trip, e->line);
      }
    } else if (const auto* g = std::get_if<ft::cpu_get_power>(&e->data)) {
      for (std::size_t d = 0; d < sys.devices().size(); ++d) {
        const bound_device& b = sys.devices()[d];
        if (b.cpufreq == nullptr || g->cpus.empty() || std::find(b.cpus.begin(), b.cpus.end(), g->cpus.front()) == b.cpus.end()) {
          continue;
        }
        auto& in = cur->inputs[d];
        in.khz = g->freq;
        in.line = e->line;
        std::vector<std::uint32_t> loads(b.cpus.size(), 0);
        for (std::size_t k = 0; k < g->cpus.size() && k < g->load.size(); ++k) {
          const auto it = std::find(b.cpus.begin(), b.cpus.end(), g->cpus[k]);
          if (it != b.cpus.end()) {
            loads[static_cast<std::size_t>(it - b.cpus.begin())] = g->load[k];
          }
        }
        in.loads = std::move(loads);
      }
    } else if (const auto* v = std::get_if<ft::devfreq_get_power>(&e->data)) {
      for (std::size_t d = 0; d < sys.devices().size(); ++d) {
        if (sys.devices()[d].devfreq != nullptr && sys.devices()[d].core->type() == v->type) {
          cur->inputs[d].khz = v->freq / 1000U;
          cur->inputs[d].load = v->load;
          cur->inputs[d].line = e->line;
        }
      }
    }
  }
  if (!r.error().ok()) {
    return outcome<ftrace_replay_report>::fail(r.error().message);
  }
  if (!cur) {
    std::string msg(source);
    msg += ": no thermal_temperature event of zone '";
    msg += zone_name;
    if (other_zones.empty()) {
      msg += "' (the trace has no thermal_temperature event: record with trace-cmd record -e thermal)";
    } else {
      msg += "' (the trace has zones:";
      for (const std::string& z : other_zones) {
        msg += ' ';
        msg += io::printable(z);
      }
      msg += ')';
    }
    return outcome<ftrace_replay_report>::fail(msg);
  }
  if (std::string err = flush(); !err.empty()) {
    return outcome<ftrace_replay_report>::fail(err);
  }
  cmp.finish(rep);
  if (cdev_events == 0 && rep.cooling_differ > 0) {
    rep.notes.emplace_back("the trace holds no cdev_update event at all: if it was not recorded (trace-cmd record -e thermal "
                           "records it), the cooling differences are not the kernel's");
  }
  if (trip_events == 0 && rep.trips_differ > 0) {
    rep.notes.emplace_back("the trace holds no thermal_zone_trip event at all: if it was not recorded (trace-cmd record -e "
                           "thermal records it), the trip differences are not the kernel's");
  }
  if (ipa_events && !cmp.power_allocator()) {
    rep.notes.emplace_back("the trace has thermal_power_allocator events for this zone: its governor was power_allocator "
                           "(--governor power_allocator)");
  }
  return rep;
}

/// The report `thermo replay --ftrace` prints.
inline std::string format_ftrace_report(const ftrace_replay_report& rep, std::string_view source) {
  using detail_ftrace_replay::seconds;
  std::string s = "replayed " + std::to_string(rep.updates) + (rep.updates == 1 ? " update" : " updates");
  s += " of " + rep.zone + " (" + rep.governor + ") from " + std::string(source) + ", lines " +
       std::to_string(rep.first_line) + ".." + std::to_string(rep.last_line) + '\n';
  if (rep.primed_at) {
    s += "the zone was enabled at " + std::to_string(*rep.primed_at) +
         " m°C first (temp_prev of the first update); the governor's state before the trace is not in it\n";
  }
  const auto line = [&](std::string_view what, std::size_t match, std::size_t differ, const std::optional<ftrace_difference>& first) {
    std::string l(what);
    l += ": " + std::to_string(match) + " match, " + std::to_string(differ) + " differ";
    if (first) {
      l += "; first difference at " + seconds(first->time_ns) + " s (" + std::string(source) + ":" +
           std::to_string(first->line) + "): " + first->what;
    }
    return l + '\n';
  };
  s += line("cooling decisions", rep.cooling_match, rep.cooling_differ, rep.first_cooling);
  s += line("trips", rep.trips_match, rep.trips_differ, rep.first_trips);
  for (const std::string& n : rep.notes) {
    s += "note: " + n + '\n';
  }
  s += rep.all_match() ? "thermo agrees with the kernel's log\n" : "thermo differs from the kernel's log\n";
  return s;
}

inline int replay_ftrace_main(zone_system& sys, const std::string& trace_path, const std::string& output,
                              const std::vector<std::string>& inputs, std::ostream& err) {
  const auto text = read_input(trace_path, max_ftrace_text_bytes, "an ftrace text");
  if (!text) {
    err << "thermo replay: " << text.message() << '\n';
    return exit_failure;
  }
  const std::string source = trace_path == "-" ? std::string("<stdin>") : trace_path;
  io::output_set outputs;
  outputs.add_input(trace_path);
  for (const std::string& i : inputs) {
    outputs.add_input(i);
  }
  std::ostream* csv = nullptr;
  if (!output.empty()) {
    if (const io::file_error e = outputs.open(output, csv); !e.ok()) {
      err << "thermo replay: " << e.message << '\n';
      return exit_failure;
    }
  }
  progress prog("thermo replay");
  auto rep = run_ftrace_replay(sys, *text, source, csv, &prog);
  prog.done();
  if (!rep) {
    err << "thermo replay: " << rep.message() << '\n';
    return exit_failure;
  }
  if (csv != nullptr) {
    if (const io::file_error e = outputs.commit(); !e.ok()) {
      err << "thermo replay: " << e.message << '\n';
      return exit_failure;
    }
  }
  // the comparison CSV on standard output: the report goes to standard error
  (output == "-" ? err : std::cout) << format_ftrace_report(*rep, source);
  return rep->all_match() ? exit_ok : exit_failure;
}

}  // namespace thermo::cli
