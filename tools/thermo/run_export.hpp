// A thermo run as the kernel's ftrace events and as Perfetto counter tracks (issue 17).
//
// * `ftrace_export` turns what a run's zones do into `io::ftrace::event` values in the formats
//   of Linux 6.12 (io/ftrace_events.hpp): it is fed the netlink events (`on_netlink`, the
//   simulation's event sink or replay's event ring), told after each zone update
//   (`on_update`, the simulation's update hook or replay's loop) and after each processed
//   event (`on_step`, for `power:cpu_frequency`), and hands each event to a callback (the
//   ftrace text writer of io/ftrace.hpp, or a test's vector).
// * `perfetto_export` writes a run as trace-event JSON through io/perfetto.hpp: the recorder's
//   channels as counters (it is a row_sink, so the values are those of --trace), the zones'
//   trips and the power allocator's rounds as counters, the netlink events as instants.
//
// Where the events come from (docs/how-to/look-at-a-simulation-in-perfetto-or-kernelshark.md):
//   thermal_temperature  every SAMPLING netlink event (the kernel traces it just before sending
//                        it): temp_prev = the zone's temperature before this update
//   thermal_zone_trip    step_wise: each manage, every valid trip that is not hot/critical with
//                        T ≥ its threshold; fair_share: the reached trip with the highest
//                        threshold; the core: a hot/critical trip on its upward crossing (just
//                        before its TZ_TRIP_UP); bang_bang, power_allocator, user_space: none
//   cdev_update          one per CDEV_STATE_UPDATE netlink event (the kernel traces it right
//                        after set_cur_state)
//   thermal_power_allocator_pid, thermal_power_actor, thermal_power_allocator
//                        each power-allocator round that allocated (6.8+ forms): the pid terms
//                        frac_to_int'd (floor of Q10 >> 10), output = power_range; one actor
//                        event per actor after its cdev_update; the round's totals last
//   power:cpu_frequency  a CPU domain's frequency changed (each CPU of its policy)
// The governor ran in an update exactly when that update sent a SAMPLING event (a failed read
// or a disabled zone runs no governor). Host code.
#pragma once

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/control/events.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/zone.hpp"
#include "thermo/core/time.hpp"
#include "thermo/io/ftrace_events.hpp"
#include "thermo/io/perfetto.hpp"
#include "thermo/sim/recorder.hpp"

namespace thermo::cli {

/// The power allocator type the tool's governor registry holds (cli_governors).
using cli_power_allocator = control::power_allocator<16>;

/// What the exporters read of one zone: the control object and, when the zone runs the power
/// allocator, the allocator.
struct export_zone {
  const control::thermal_zone_device* zone{nullptr};
  const cli_power_allocator* ipa{nullptr};
};

/// The actors of `ipa`'s last round, as the kernel walks them: the instances of trip_max whose
/// device is a power actor, in instance order (their cooling devices).
[[nodiscard]] inline std::vector<const control::thermal_cooling_device*> ipa_actor_devices(const export_zone& z) {
  std::vector<const control::thermal_cooling_device*> out;
  if (z.ipa == nullptr || z.ipa->trips().max < 0) {
    return out;
  }
  for (const control::thermal_instance& i : z.zone->instances()) {
    if (i.trip == z.ipa->trips().max && control::ipa::is_power_actor(i)) {
      out.push_back(i.cdev);
    }
  }
  return out;
}

/// `frac_to_int`: the kernel's `x >> FRAC_BITS` on a Q10 value (an arithmetic shift: the floor).
[[nodiscard]] constexpr std::int64_t frac_to_int(std::int64_t q10) noexcept {
  return q10 >= 0 ? q10 / 1024 : -((-q10 + 1023) / 1024);
}

/// A CPU domain of the run for `power:cpu_frequency`: how to read its frequency (kHz) and its
/// CPUs' logical numbers.
struct export_cpu_domain {
  std::function<std::uint64_t()> khz;
  std::vector<std::uint32_t> cpus;
};

/// The ftrace event producer (see the file comment).
class ftrace_export {
 public:
  using emit_fn = std::function<void(const io::ftrace::event&)>;

  /// Events go to `emit` in order; `task`, `pid` and `cpu` fill every event's common prefix
  /// (the kernel runs thermal updates in a kworker).
  explicit ftrace_export(emit_fn emit, std::string task = "kworker/0:1", std::int32_t pid = 42, std::int32_t cpu = 0)
      : emit_(std::move(emit)), task_(std::move(task)), pid_(pid), cpu_(cpu) {}

  /// The zones, in registration order (index = id).
  void add_zone(export_zone z) { zones_.push_back(z); }
  /// A cooling device's kernel type by its id (CDEV_ID of the netlink events).
  void set_cooling_type(std::int32_t id, std::string type) {
    if (id < 0) {
      return;
    }
    if (static_cast<std::size_t>(id) >= cdev_types_.size()) {
      cdev_types_.resize(static_cast<std::size_t>(id) + 1);
    }
    cdev_types_[static_cast<std::size_t>(id)] = std::move(type);
  }
  /// A CPU domain whose frequency changes are traced.
  void add_cpu_domain(export_cpu_domain d) {
    cpu_domains_.push_back(std::move(d));
    last_khz_.push_back(std::nullopt);
  }

  /// A netlink event at `now` (held until the zone update it belongs to is over).
  void on_netlink(sim_time now, const control::thermal_event& e) { pending_.push_back({now, e}); }

  /// Zone `z` finished an update at `now`: its events, in the kernel's order.
  void on_update(std::size_t z, sim_time now) {
    if (z >= zones_.size()) {
      flush_plain();
      return;
    }
    const export_zone& xz = zones_[z];
    const std::int32_t id = xz.zone->id();
    // The governor's events go after the update's last event that is not a cooling-device
    // update (its crossings), before the devices it updated.
    std::size_t gov_at = 0;
    bool sampled = false;
    for (std::size_t k = 0; k < pending_.size(); ++k) {
      const control::thermal_event& e = pending_[k].second;
      if (e.type != control::event_type::cdev_state_update) {
        gov_at = k + 1;
      }
      sampled = sampled || (e.type == control::event_type::sampling_temp && e.tz_id == id);
    }
    for (std::size_t k = 0; k < gov_at; ++k) {
      plain(pending_[k].first, pending_[k].second);
    }
    std::vector<bool> used(pending_.size(), false);
    if (sampled) {
      governor_events(xz, now, gov_at, used);
    }
    for (std::size_t k = gov_at; k < pending_.size(); ++k) {
      if (!used[k]) {
        plain(pending_[k].first, pending_[k].second);
      }
    }
    pending_.clear();
  }

  /// After every processed event: traces the CPU domains whose frequency changed.
  void on_step(sim_time now) {
    flush_plain();
    for (std::size_t d = 0; d < cpu_domains_.size(); ++d) {
      const std::uint64_t khz = cpu_domains_[d].khz();
      if (last_khz_[d] && *last_khz_[d] == khz) {
        continue;
      }
      last_khz_[d] = khz;
      for (const std::uint32_t cpu : cpu_domains_[d].cpus) {
        emit(now, io::ftrace::cpu_frequency{khz, cpu});
      }
    }
  }

  /// The events held since the last update (a cooling state set outside a zone update).
  void finish() { flush_plain(); }

  /// Events emitted so far.
  [[nodiscard]] std::size_t count() const noexcept { return count_; }

 private:
  template <class Payload>
  void emit(sim_time t, Payload&& p) {
    io::ftrace::event e;
    e.time_ns = t.time_since_epoch().count();
    e.task = task_;
    e.pid = pid_;
    e.cpu = cpu_;
    e.data = std::forward<Payload>(p);
    emit_(e);
    ++count_;
  }

  [[nodiscard]] std::string cdev_type(std::int32_t id) const {
    if (id >= 0 && static_cast<std::size_t>(id) < cdev_types_.size()) {
      return cdev_types_[static_cast<std::size_t>(id)];
    }
    std::string s = "cdev";  // built piece by piece: GCC bug 105329 (-O3 -Wrestrict)
    s += std::to_string(id);
    return s;
  }
  [[nodiscard]] const export_zone* zone_by_id(std::int32_t id) const noexcept {
    for (const export_zone& z : zones_) {
      if (z.zone->id() == id) {
        return &z;
      }
    }
    return nullptr;
  }

  /// The events a netlink event stands for, by itself.
  void plain(sim_time t, const control::thermal_event& e) {
    const export_zone* z = zone_by_id(e.tz_id);
    switch (e.type) {
      case control::event_type::sampling_temp:
        if (z != nullptr) {
          emit(t, io::ftrace::thermal_temperature{std::string(z->zone->type()), e.tz_id, prev_of(e.tz_id, e.temperature),
                                                  e.temperature.count()});
        }
        break;
      case control::event_type::tz_trip_up:
        if (z != nullptr && e.trip_id >= 0 && static_cast<std::size_t>(e.trip_id) < z->zone->num_trips()) {
          const control::trip_type ty = z->zone->trip(static_cast<std::size_t>(e.trip_id)).trip.type;
          if (ty == control::trip_type::hot || ty == control::trip_type::critical) {
            emit(t, io::ftrace::thermal_zone_trip{std::string(z->zone->type()), e.tz_id, e.trip_id, ty});
          }
        }
        break;
      case control::event_type::cdev_state_update:
        emit(t, io::ftrace::cdev_update{cdev_type(e.cdev_id), static_cast<std::uint64_t>(e.cdev_state)});
        break;
      default:
        break;
    }
  }

  /// temp_prev of a SAMPLING event: the previous SAMPLING temperature of the zone, or the
  /// kernel's THERMAL_TEMP_INIT (INT_MIN) before the first.
  std::int32_t prev_of(std::int32_t id, millicelsius t) {
    if (id < 0) {
      return std::numeric_limits<std::int32_t>::min();
    }
    const auto i = static_cast<std::size_t>(id);
    if (i >= prev_.size()) {
      prev_.resize(i + 1, std::numeric_limits<std::int32_t>::min());
    }
    return std::exchange(prev_[i], t.count());
  }

  void flush_plain() {
    for (const auto& [t, e] : pending_) {
      plain(t, e);
    }
    pending_.clear();
  }

  /// The governor's events of the update that ended at `now`; cooling-device updates at or
  /// after `from` that an actor event must follow are emitted here and marked `used`.
  void governor_events(const export_zone& xz, sim_time now, std::size_t from, std::vector<bool>& used) {
    const control::thermal_zone_device& tz = *xz.zone;
    const std::string type(tz.type());
    const std::int32_t id = tz.id();
    const std::string_view gov = tz.governor().name();
    if (gov == "step_wise") {
      for (std::size_t i = 0; i < tz.num_trips(); ++i) {
        const control::thermal_trip_desc& td = tz.trip(i);
        if (!td.valid() || td.trip.type == control::trip_type::hot || td.trip.type == control::trip_type::critical) {
          continue;
        }
        if (tz.temperature() >= td.threshold) {
          emit(now, io::ftrace::thermal_zone_trip{type, id, static_cast<std::int32_t>(i), td.trip.type});
        }
      }
    } else if (gov == "fair_share") {
      std::optional<std::size_t> level;
      for (std::size_t i = 0; i < tz.num_trips(); ++i) {
        const control::thermal_trip_desc& td = tz.trip(i);
        if (td.threshold <= tz.temperature() && (!level || td.threshold > tz.trip(*level).threshold)) {
          level = i;
        }
      }
      if (level) {
        emit(now, io::ftrace::thermal_zone_trip{type, id, static_cast<std::int32_t>(*level), tz.trip(*level).trip.type});
      }
    } else if (gov == "power_allocator" && xz.ipa != nullptr && xz.ipa->last_round().allocated) {
      const control::ipa::round_trace& r = xz.ipa->last_round();
      emit(now, io::ftrace::power_allocator_pid{id, static_cast<std::int32_t>(frac_to_int(r.pid.err)),
                                                static_cast<std::int32_t>(frac_to_int(r.pid.err_integral)),
                                                frac_to_int(r.pid.p), frac_to_int(r.pid.i), frac_to_int(r.pid.d),
                                                static_cast<std::int32_t>(r.pid.power_range)});
      const auto devices = ipa_actor_devices(xz);
      const auto slots = xz.ipa->actors();
      for (std::size_t a = 0; a < slots.size(); ++a) {
        if (a < devices.size()) {
          for (std::size_t k = from; k < pending_.size(); ++k) {
            const control::thermal_event& e = pending_[k].second;
            if (!used[k] && e.type == control::event_type::cdev_state_update && e.cdev_id == devices[a]->id()) {
              plain(pending_[k].first, e);
              used[k] = true;
              break;
            }
          }
        }
        emit(now, io::ftrace::power_actor{id, static_cast<std::int32_t>(a), slots[a].req_power, slots[a].granted_power});
      }
      io::ftrace::power_allocator pa;
      pa.tz_id = id;
      pa.total_req_power = r.total_req_power;
      pa.total_granted_power = r.total_granted_power;
      pa.power_range = r.pid.power_range;
      pa.max_allocatable_power = r.max_allocatable_power;
      pa.current_temperature = tz.temperature().count();
      // control_temp − T (the trip_max temperature the round controlled to)
      const auto max = static_cast<std::size_t>(xz.ipa->trips().max);
      pa.delta_temperature = max < tz.num_trips() ? tz.trip(max).trip.temperature.count() - tz.temperature().count()
                                                  : static_cast<std::int32_t>(frac_to_int(r.pid.err));
      emit(now, pa);
    }
  }

  emit_fn emit_;
  std::string task_;
  std::int32_t pid_;
  std::int32_t cpu_;
  std::vector<export_zone> zones_;
  std::vector<std::string> cdev_types_;
  std::vector<export_cpu_domain> cpu_domains_;
  std::vector<std::optional<std::uint64_t>> last_khz_;
  std::vector<std::int32_t> prev_;
  std::vector<std::pair<sim_time, control::thermal_event>> pending_;
  std::size_t count_{0};
};

/// The Perfetto (trace-event JSON) exporter (see the file comment). Process ids: 1 + the zone
/// index for each zone, and one more for the plant/SoC (nodes, sensors not read by a zone,
/// domains, cooling devices no zone binds, custom channels).
class perfetto_export final : public sim::row_sink {
 public:
  explicit perfetto_export(std::ostream& out) : w_(out) {}

  /// The zones, in registration order. `sensor` (optional): the index of the sensor the zone
  /// reads, so that its sensed temperature joins the zone's tracks.
  void add_zone(export_zone z, std::optional<std::size_t> sensor = std::nullopt) {
    zones_.push_back(z);
    zone_sensor_.push_back(sensor);
    trips_.emplace_back();
    sampled_.push_back(false);
  }
  /// The zones are all added: the plant's process id follows them.
  [[nodiscard]] std::int64_t plant_pid() const noexcept { return static_cast<std::int64_t>(zones_.size()) + 1; }

  /// Recorder rows (row_sink): every channel a counter at the row's time.
  void write(const sim::recorder& block) noexcept override {
    try {
      const auto& ch = block.channels();
      if (pids_.size() != ch.size()) {
        pids_.clear();
        names_.clear();
        for (const sim::channel& c : ch) {
          pids_.push_back(pid_of(c));
          names_.push_back(c.name + (c.unit.empty() ? std::string() : " (" + c.unit + ")"));
        }
      }
      last_.resize(ch.size());
      for (std::size_t r = 0; r < block.rows(); ++r) {
        const std::int64_t t = block.time(r).time_since_epoch().count();
        for (std::size_t c = 0; c < ch.size(); ++c) {
          // a counter holds its value until the next event: only changes are written (the bits
          // compared, so that a value the trace has is never lost)
          const double v = block.value(r, c);
          if (last_[c] && std::bit_cast<std::uint64_t>(*last_[c]) == std::bit_cast<std::uint64_t>(v)) {
            continue;
          }
          last_[c] = v;
          announce(pids_[c]);
          w_.counter(t, pids_[c], names_[c], v);
        }
      }
    } catch (...) {
      failed_ = true;
    }
  }

  /// Zone `z` finished an update at `now`: its trips (when changed) and the allocator's round.
  void on_update(std::size_t z, sim_time now) {
    if (z >= zones_.size()) {
      return;
    }
    const std::int64_t t = now.time_since_epoch().count();
    const std::int64_t pid = static_cast<std::int64_t>(z) + 1;
    announce(pid);
    const control::thermal_zone_device& tz = *zones_[z].zone;
    auto& seen = trips_[z];
    seen.resize(tz.num_trips(), {std::numeric_limits<std::int32_t>::min(), std::numeric_limits<std::int32_t>::min()});
    for (std::size_t i = 0; i < tz.num_trips(); ++i) {
      const control::thermal_trip_desc& td = tz.trip(i);
      const std::pair<std::int32_t, std::int32_t> now_seen{td.trip.temperature.count(), td.threshold.count()};
      if (!td.valid() || seen[i] == now_seen) {
        continue;
      }
      seen[i] = now_seen;
      std::string name = "trip ";
      name += std::to_string(i);
      name += ' ';
      name += trip_type_name(td.trip.type);
      std::array<io::perfetto::number_arg, 2> a{io::perfetto::number_arg{"temperature C", celsius(td.trip.temperature)},
                                                 io::perfetto::number_arg{"threshold C", celsius(td.threshold)}};
      w_.counter(t, pid, name, std::span<const io::perfetto::number_arg>(a.data(), td.threshold.count() == std::numeric_limits<std::int32_t>::max() ? 1 : 2));
    }
    const cli_power_allocator* ipa = zones_[z].ipa;
    // The governor ran in this update only if it sent a SAMPLING event.
    const bool ran = sampled_[z];
    sampled_[z] = false;
    if (ipa == nullptr || !ran || !ipa->last_round().allocated) {
      return;
    }
    const control::ipa::round_trace& r = ipa->last_round();
    const std::array<io::perfetto::number_arg, 4> budget{
        io::perfetto::number_arg{"power_range mW", static_cast<double>(r.pid.power_range)},
        io::perfetto::number_arg{"max_allocatable mW", static_cast<double>(r.max_allocatable_power)},
        io::perfetto::number_arg{"total_granted mW", static_cast<double>(r.total_granted_power)},
        io::perfetto::number_arg{"total_requested mW", static_cast<double>(r.total_req_power)}};
    w_.counter(t, pid, "power allocator budget", budget);
    const auto devices = ipa_actor_devices(zones_[z]);
    const auto slots = ipa->actors();
    for (std::size_t a = 0; a < slots.size(); ++a) {
      std::string name = "actor ";
      name += std::to_string(a);
      if (a < devices.size()) {
        name += ' ';
        name += devices[a]->type();
      }
      const std::array<io::perfetto::number_arg, 3> v{io::perfetto::number_arg{"requested mW", static_cast<double>(slots[a].req_power)},
                                                      io::perfetto::number_arg{"granted mW", static_cast<double>(slots[a].granted_power)},
                                                      io::perfetto::number_arg{"max mW", static_cast<double>(slots[a].max_power)}};
      w_.counter(t, pid, name, v);
    }
  }

  /// A netlink event at `now`: an instant on its zone's process (trip crossings named "trip N
  /// up" / "trip N down"), or on the plant's for a cooling device. SAMPLING events are left
  /// out: they are the zone temperature counter.
  void on_netlink(sim_time now, const control::thermal_event& e) {
    if (e.type == control::event_type::sampling_temp) {
      for (std::size_t z = 0; z < zones_.size(); ++z) {
        if (zones_[z].zone->id() == e.tz_id) {
          sampled_[z] = true;
        }
      }
      return;
    }
    const std::int64_t t = now.time_since_epoch().count();
    std::int64_t pid = plant_pid();
    for (std::size_t z = 0; z < zones_.size(); ++z) {
      if (zones_[z].zone->id() == e.tz_id && e.tz_id >= 0) {
        pid = static_cast<std::int64_t>(z) + 1;
      }
    }
    if (e.type == control::event_type::cdev_state_update && e.cdev_id >= 0 &&
        static_cast<std::size_t>(e.cdev_id) < cdev_zone_.size() && cdev_zone_[static_cast<std::size_t>(e.cdev_id)] > 0) {
      pid = cdev_zone_[static_cast<std::size_t>(e.cdev_id)];
    }
    announce(pid);
    std::string name(control::to_string(e.type));
    std::vector<io::perfetto::number_arg> nums;
    if (e.type == control::event_type::tz_trip_up || e.type == control::event_type::tz_trip_down) {
      name = "trip ";
      name += std::to_string(e.trip_id);
      name += e.type == control::event_type::tz_trip_up ? " up" : " down";
      nums.push_back({"trip", static_cast<double>(e.trip_id)});
      nums.push_back({"temperature C", celsius(e.temperature)});
    } else if (e.type == control::event_type::cdev_state_update) {
      nums.push_back({"cdev_id", static_cast<double>(e.cdev_id)});
      nums.push_back({"state", static_cast<double>(e.cdev_state)});
    } else if (e.tz_id >= 0) {
      nums.push_back({"tz_id", static_cast<double>(e.tz_id)});
    }
    const std::string_view tname = e.type == control::event_type::cdev_state_update ? cdev_name(e.cdev_id) : std::string_view{};
    const std::array<io::perfetto::string_arg, 1> strs{io::perfetto::string_arg{"cdev", tname}};
    w_.instant(t, pid, 1, name, io::perfetto::scope::process,
               tname.empty() ? std::span<const io::perfetto::string_arg>{} : std::span<const io::perfetto::string_arg>(strs), nums);
  }

  /// Names the cooling device of id `id` (CDEV_ID) in its netlink instants.
  void set_cooling(std::int32_t id, std::string type) {
    if (id < 0) {
      return;
    }
    if (static_cast<std::size_t>(id) >= cdev_names_.size()) {
      cdev_names_.resize(static_cast<std::size_t>(id) + 1);
    }
    cdev_names_[static_cast<std::size_t>(id)] = std::move(type);
  }
  /// Shows cooling device `cooling_index` (the recorder's index; `id` its CDEV_ID) with zone
  /// `zone` — the first zone that binds it — not with the plant: its state counter and its
  /// netlink instants. Before the first row.
  void set_cooling_zone(std::size_t cooling_index, std::int32_t id, std::size_t zone) {
    cooling_zone_.emplace_back(cooling_index, zone);
    if (id < 0) {
      return;
    }
    const auto i = static_cast<std::size_t>(id);
    if (i >= cdev_zone_.size()) {
      cdev_zone_.resize(i + 1, 0);
    }
    if (cdev_zone_[i] == 0) {
      cdev_zone_[i] = static_cast<std::int64_t>(zone) + 1;
    }
  }

  /// A counter of zone `z` set by the caller (replay: the temperature it was given, the
  /// cooling states), at `now`. Non-finite values are not written.
  void zone_counter(std::size_t z, sim_time now, std::string_view name, double value) {
    const std::int64_t pid = z < zones_.size() ? static_cast<std::int64_t>(z) + 1 : plant_pid();
    announce(pid);
    w_.counter(now.time_since_epoch().count(), pid, name, value);
  }

  /// Ends the document. False when a row could not be written (out of memory).
  [[nodiscard]] bool finish() {
    w_.finish();
    return !failed_;
  }
  [[nodiscard]] const io::perfetto::trace_writer& writer() const noexcept { return w_; }

 private:
  [[nodiscard]] static double celsius(millicelsius t) noexcept { return static_cast<double>(t.count()) / 1000.0; }
  [[nodiscard]] static std::string_view trip_type_name(control::trip_type t) noexcept {
    switch (t) {
      case control::trip_type::active: return "active";
      case control::trip_type::passive: return "passive";
      case control::trip_type::hot: return "hot";
      case control::trip_type::critical: return "critical";
    }
    return "trip";
  }
  [[nodiscard]] std::string_view cdev_name(std::int32_t id) const noexcept {
    return id >= 0 && static_cast<std::size_t>(id) < cdev_names_.size() ? std::string_view(cdev_names_[static_cast<std::size_t>(id)])
                                                                         : std::string_view{};
  }

  [[nodiscard]] std::int64_t pid_of(const sim::channel& c) const {
    switch (c.kind) {
      case sim::channel_kind::zone_temperature:
        return c.index < zones_.size() ? static_cast<std::int64_t>(c.index) + 1 : plant_pid();
      case sim::channel_kind::sensor_temperature:
        for (std::size_t z = 0; z < zone_sensor_.size(); ++z) {
          if (zone_sensor_[z] && *zone_sensor_[z] == c.index) {
            return static_cast<std::int64_t>(z) + 1;
          }
        }
        return plant_pid();
      case sim::channel_kind::cooling_state:
        for (const auto& [dev, z] : cooling_zone_) {
          if (dev == c.index && z < zones_.size()) {
            return static_cast<std::int64_t>(z) + 1;
          }
        }
        return plant_pid();
      default:
        return plant_pid();
    }
  }

  /// The metadata of process `pid`, once, before its first event.
  void announce(std::int64_t pid) {
    const auto i = static_cast<std::size_t>(pid);
    if (announced_.size() <= i) {
      announced_.resize(i + 1, false);
    }
    if (announced_[i]) {
      return;
    }
    announced_[i] = true;
    if (pid == plant_pid()) {
      w_.process_name(pid, "plant / SoC");
    } else {
      const control::thermal_zone_device& tz = *zones_[i - 1].zone;
      std::string name = "thermal_zone";
      name += std::to_string(tz.id());
      name += ' ';
      name += tz.type();
      w_.process_name(pid, name);
    }
    w_.process_sort_index(pid, pid);
    w_.thread_name(pid, 0, "counters");
    w_.thread_name(pid, 1, "netlink events");
  }

  io::perfetto::trace_writer w_;
  std::vector<export_zone> zones_;
  std::vector<std::optional<std::size_t>> zone_sensor_;
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> trips_;
  std::vector<std::pair<std::size_t, std::size_t>> cooling_zone_;
  std::vector<std::string> cdev_names_;
  std::vector<std::int64_t> pids_;
  std::vector<std::string> names_;
  std::vector<std::optional<double>> last_;  ///< per channel: the value last written
  std::vector<std::int64_t> cdev_zone_;      ///< per cooling device id: its zone's pid (0: the plant)
  std::vector<bool> announced_;
  std::vector<bool> sampled_;  ///< per zone: a SAMPLING event since its last update
  bool failed_{false};
};

}  // namespace thermo::cli
