// `thermo simulate SCENARIO`: builds a simulation from a scenario (the records of
// io/scenario.hpp) — the plant, the SoC's power domains, cooling devices and zones through the
// library's one mapping of a SoC description (sim/soc.hpp over control/thermal_of.hpp, as the
// replay uses it, from the SoC's zones as the scenario's [zone] keys change them:
// scenario_zone.hpp), sensors, governors by name (control/governors/registry.hpp), fans,
// workloads (inference and boot ones: scenario_workloads.hpp) and scripted events — runs it,
// prints the summary of its metrics (run_metrics.hpp) and writes, when asked for, the trace
// (CSV), the metrics (JSON) and a plot (SVG). Host code.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "run_export_sim.hpp"
#include "run_metrics.hpp"
#include "scenario.hpp"
#include "sweep_axes.hpp"
#include "scenario_workloads.hpp"
#include "scenario_zone.hpp"
#include "sim_bundle.hpp"
#include "system_source.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/run_plot.hpp"
#include "thermo/io/trace.hpp"
#include "thermo/io/utilization_csv.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/sim/soc.hpp"
#include "thermo/workload/synthetic.hpp"
#include "thermo/workload/utilization_trace.hpp"

namespace thermo::cli {

namespace detail {

inline std::string at_line(const io::scenario& s, std::size_t line) {
  return s.source + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
}

inline std::string resolve(const io::scenario& s, const std::string& path) {
  if (path.empty() || path.front() == '/') {
    return path;
  }
  return s.dir + "/" + path;
}

/// Names joined by ", ".
template <class Range, class Name>
std::string joined(const Range& r, Name&& name) {
  std::string out;
  for (const auto& x : r) {
    out += (out.empty() ? "" : ", ") + std::string(name(x));
  }
  return out;
}

/// A build of one scenario: the steps below each add one kind of part and return "" or the
/// message of the first problem, naming the scenario line.
class simulation_builder {
 public:
  simulation_builder(const io::scenario& s, const schema::soc_description& soc, sim_bundle& b)
      : s_(s), soc_(soc), b_(b), cluster_domain_(soc.clusters.size(), sim::no_part),
        device_domain_(soc.devices.size(), sim::no_part), cooling_(soc.cooling_devices.size(), sim::no_part) {}

  std::string build() {
    for (std::string (simulation_builder::*step)() : {&simulation_builder::plant, &simulation_builder::domains,
                                                      &simulation_builder::cooling_devices, &simulation_builder::sensors,
                                                      &simulation_builder::zones, &simulation_builder::workloads,
                                                      &simulation_builder::events, &simulation_builder::heats,
                                                      &simulation_builder::start}) {
      if (std::string e = (this->*step)(); !e.empty()) {
        return e;
      }
    }
    return {};
  }

 private:
  [[nodiscard]] std::string at(std::size_t line) const { return at_line(s_, line); }
  [[nodiscard]] std::size_t node_index(const std::string& name) const {
    return static_cast<std::size_t>(std::find(b_.node_names.begin(), b_.node_names.end(), name) - b_.node_names.begin());
  }
  [[nodiscard]] static bool is_fan(const schema::cooling_device_desc& c) {
    return c.type == schema::cooling_device_type::pwm_fan || c.type == schema::cooling_device_type::gpio_fan;
  }
  /// A fan of the SoC answers to its node name ("pwm-fan") and to its kernel type.
  [[nodiscard]] static bool fan_named(const schema::cooling_device_desc& c, std::string_view name) {
    return is_fan(c) && (control::of_node_name(c.node) == name || c.name == name);
  }

  // ---- the plant: a reference board or [node] sections, [links], ambient, initial temperatures
  std::string plant() {
    cli_simulation::builder_type plant;
    if (!s_.reference.empty()) {
      if (const error e = sim::rk3399_board(plant, s_.ambient); !e.ok()) {
        return at(0) + "plant: " + error_text(e);
      }
      for (const std::string_view n : sim::rk3399_node_names) {
        b_.node_names.emplace_back(n);
      }
    } else {
      if (s_.nodes.size() > cli_limits::nodes) {
        return at(s_.nodes[cli_limits::nodes].line) + "more than " + std::to_string(cli_limits::nodes) +
               " [node] sections (io::scenario_limits::max_nodes)";
      }
      for (const io::scenario_node& n : s_.nodes) {
        auto r = plant.add_node(n.capacitance, n.to_ambient);
        if (!r) {
          return at(n.line) + "[node " + n.name + "]: " + error_text(r.error());
        }
        b_.node_names.push_back(n.name);
      }
    }
    for (const io::scenario_link& l : s_.links) {
      if (const error e = plant.connect(node_index(l.a), node_index(l.b), l.conductance); !e.ok()) {
        return at(l.line) + "link " + l.a + " - " + l.b + ": " + error_text(e);
      }
    }
    if (const error e = plant.set_ambient(s_.ambient); !e.ok()) {
      return at(0) + "ambient: " + error_text(e);
    }
    if (const error e = b_.sim.set_plant(plant); !e.ok()) {
      return at(0) + "plant: " + describe_network_error<std::string>(e, b_.node_names);
    }
    for (const std::string& n : b_.node_names) {
      b_.node_name_views.push_back(n);
    }
    b_.sim.set_node_names(b_.node_name_views);
    std::vector<double> init(b_.node_names.size(), s_.ambient);
    for (std::size_t k = 0; k < s_.nodes.size(); ++k) {
      init[k] = s_.nodes[k].initial.value_or(s_.ambient);
    }
    if (const error e = b_.sim.set_initial_temperatures(init); !e.ok()) {
      return at(0) + "initial temperatures: " + error_text(e);
    }
    return {};
  }

  // ---- power domains: every cluster or device with a [heat] section
  std::string domains() {
    for (const io::scenario_heat& h : s_.heat) {
      const schema::cpu_cluster_desc* cl = soc_.find_cluster(h.part);
      const schema::device_desc* dv = cl == nullptr ? soc_.find_device(h.part) : nullptr;
      if (cl == nullptr && dv == nullptr) {
        const auto name = [](const auto& part) { return part.name; };
        std::string names = joined(soc_.clusters, name);
        names += (names.empty() || soc_.devices.empty() ? "" : ", ") + joined(soc_.devices, name);
        return at(h.line) + "[heat " + h.part + "]: the SoC has no cluster or device of that name (" + names + ")";
      }
      std::vector<sim::heat_share> shares;
      for (const io::weighted_name& w : h.nodes) {
        shares.push_back({node_index(w.name), w.weight});
      }
      b_.heat.push_back(std::move(shares));
      auto r = b_.sim.add_domain(cl != nullptr ? sim::soc_domain(*cl, b_.heat.back()) : sim::soc_domain(*dv, b_.heat.back()));
      if (!r) {
        return at(h.line) + "[heat " + h.part + "]: " + error_text(r.error());
      }
      if (cl != nullptr) {
        cluster_domain_[static_cast<std::size_t>(cl - soc_.clusters.data())] = *r;
      } else {
        device_domain_[static_cast<std::size_t>(dv - soc_.devices.data())] = *r;
      }
    }
    return {};
  }

  // ---- cooling devices of the simulated domains (the mapping), and the fans with a [fan] section
  std::string cooling_devices() {
    for (std::size_t k = 0; k < soc_.cooling_devices.size(); ++k) {
      const schema::cooling_device_desc& c = soc_.cooling_devices[k];
      if (!is_fan(c)) {
        auto r = sim::add_soc_cooling_device(b_.sim, soc_, k, cluster_domain_, device_domain_);
        if (!r) {
          b_.notes.push_back("cooling device " + std::string(c.name) + " not simulated: " + error_text(r.error()));
        } else {
          cooling_[k] = *r;
        }
        continue;
      }
      if (std::string e = fan(k); !e.empty()) {
        return e;
      }
    }
    for (const io::scenario_fan& f : s_.fans) {
      if (std::none_of(soc_.cooling_devices.begin(), soc_.cooling_devices.end(),
                       [&](const schema::cooling_device_desc& c) { return fan_named(c, f.name); })) {
        return at(f.line) + "[fan " + f.name + "]: the SoC has no fan of that name";
      }
    }
    return {};
  }

  /// Fan `k` of the SoC, if a [fan] section gives its plant data (else a note).
  std::string fan(std::size_t k) {
    const schema::cooling_device_desc& c = soc_.cooling_devices[k];
    const auto f = std::find_if(s_.fans.begin(), s_.fans.end(), [&](const io::scenario_fan& x) { return fan_named(c, x.name); });
    if (f == s_.fans.end()) {
      const std::string node(control::of_node_name(c.node));
      b_.notes.push_back("fan " + node + " not simulated (no [fan " + node + "] section)");
      return {};
    }
    b_.fan_paths.push_back({sim::fan_path{node_index(f->node), f->peer.empty() ? sim::fan_path::ambient : node_index(f->peer),
                                          f->off, f->full, f->exponent}});
    std::vector<std::uint32_t> levels(c.cooling_levels.begin(), c.cooling_levels.end());
    if (levels.empty()) {
      for (std::uint32_t l = 0; l <= c.max_state; ++l) {
        levels.push_back(l);  // gpio-fan: airflow grows with the state
      }
    }
    b_.fan_levels.push_back(std::move(levels));
    sim::fan_config fc;
    fc.name = c.name;  // the kernel's type
    fc.levels = b_.fan_levels.back();
    fc.kind = c.type == schema::cooling_device_type::pwm_fan ? control::fan_kind::pwm : control::fan_kind::gpio;
    fc.paths = b_.fan_paths.back();
    auto r = b_.sim.add_fan(fc);
    if (!r) {
      return at(f->line) + "[fan " + f->name + "]: " + error_text(r.error());
    }
    cooling_[k] = *r;
    return {};
  }

  // ---- sensors
  std::string sensors() {
    for (const io::scenario_sensor& sn : s_.sensors) {
      std::vector<weighted_node<double>> probe;
      for (const io::weighted_name& w : sn.probe) {
        probe.push_back({node_index(w.name), w.weight});
      }
      b_.probes.push_back(std::move(probe));
      auto r = b_.sim.add_sensor({sn.name, b_.probes.back(), sn.params});
      if (!r) {
        return at(sn.line) + "[sensor " + sn.name + "]: " + error_text(r.error());
      }
      sensor_names_.push_back(sn.name);
    }
    return {};
  }

  // ---- zones: the mapping builds each (from the description as the [zone] keys change it) and
  // binds its cooling maps; the governor by name; the power allocator's gains written after
  std::string zones() {
    if (std::string e = apply_zone_overrides(s_, soc_, b_); !e.empty()) {
      return e;
    }
    const schema::soc_description& soc = b_.soc;
    for (const io::scenario_zone& z : s_.zones) {
      const schema::thermal_zone_desc* zd = soc.find_zone(z.name);
      if (zd == nullptr) {
        return at(z.line) + "[zone " + z.name + "]: the SoC has no such zone (" +
               joined(soc_.thermal_zones, [](const auto& x) { return x.name; }) + ")";
      }
      cli_governors::slot& governor = b_.governors.emplace_back();
      governor.set_kernel_behaviour(control::kernel_behaviour_of(s_.kernel.value_or(control::default_kernel)));
      const auto g = governor.emplace(z.governor);
      if (!g) {  // the scenario parser accepts only the registry's names
        return at(z.line) + "[zone " + z.name + "]: " + unknown_governor(z.governor);
      }
      sim::soc_zone_run run;
      run.sensor = static_cast<std::size_t>(std::find(sensor_names_.begin(), sensor_names_.end(), z.sensor) - sensor_names_.begin());
      run.governor = *g;
      run.enabled = z.enabled;
      const auto zi = static_cast<std::size_t>(zd - soc.thermal_zones.data());
      const auto added = sim::add_soc_zone(b_.sim, soc, zi, static_cast<std::int32_t>(b_.zone_names.size()), run, cooling_,
                                           [&](const control::of_binding& u) {
                                             b_.notes.push_back("zone " + z.name + ": " + std::string(u.entry->device) +
                                                                " is not simulated, its binding is skipped");
                                           });
      if (!added) {
        const control::of_bind_error& e = added.error();
        return at(z.line) + "[zone " + z.name + "]: " +
               (e.binding.entry == nullptr ? std::string() : "binding " + std::string(e.binding.entry->device) + ": ") +
               error_text(e.cause);
      }
      b_.zone_names.push_back(z.name);
      if (std::string e = apply_pid_gains(s_, z, added->zone, b_); !e.empty()) {
        return e;
      }
      const auto sn = std::find_if(s_.sensors.begin(), s_.sensors.end(), [&](const io::scenario_sensor& x) { return x.name == z.sensor; });
      if (zd->polling_delay.count() == 0 && sn != s_.sensors.end() && !sn->params.interrupt) {
        b_.warnings.push_back(at(z.line) + "[zone " + z.name + "]: its polling-delay is 0 and sensor " + z.sensor +
                              " raises no interrupt (interrupt = no): the zone reads it once at the start and never "
                              "again, as the kernel would not poll it either; its trips, critical ones included, are "
                              "not handled (the metrics flag a critical trip crossed: \"unhandled_critical\")");
      }
    }
    return {};
  }

  // ---- workloads
  std::string workloads() {
    for (const io::scenario_workload& w : s_.workloads) {
      err_line_ = 0;
      if (std::string e = workload(w); !e.empty()) {
        return at(err_line_ != 0 ? err_line_ : w.line) + "[workload " + w.name + "]: " + e;
      }
    }
    return {};
  }

  std::string workload(const io::scenario_workload& w) {
    const schema::cpu_cluster_desc* cl = soc_.find_cluster(w.cluster);
    const schema::device_desc* dv = cl == nullptr ? soc_.find_device(w.cluster) : nullptr;
    std::size_t dom = sim::no_part;
    std::size_t cores = 1;
    if (cl != nullptr) {
      dom = cluster_domain_[static_cast<std::size_t>(cl - soc_.clusters.data())];
      cores = cl->cpu_ids.size();
    } else if (dv != nullptr) {
      dom = device_domain_[static_cast<std::size_t>(dv - soc_.devices.data())];
    }
    if (dom == sim::no_part) {
      return "cluster '" + w.cluster + "' is not simulated (give it a [heat " + w.cluster + "] section)";
    }
    cores = w.cores.value_or(cores);
    if (w.type == io::scenario_workload_type::inference || w.type == io::scenario_workload_type::boot) {
      if (cl == nullptr) {
        return "type = " + std::string(w.type == io::scenario_workload_type::boot ? "boot" : "inference") + " runs on a CPU cluster; " +
               w.cluster + " is not one";
      }
      const workload_error e = w.type == io::scenario_workload_type::boot ? add_boot(w, *cl, dom, b_) : add_inference(w, *cl, dom, b_);
      err_line_ = e.line;
      return e.message;
    }
    result<std::size_t, error> added = std::size_t{0};
    if (w.type == io::scenario_workload_type::constant) {
      auto made = workload::constant_demand<8>::make(dom, cores, w.utilization);
      if (!made) {
        return error_text(made.error());
      }
      added = b_.sim.add_workload(b_.constant.emplace_back(*made));
    } else if (w.type == io::scenario_workload_type::phased) {
      std::vector<workload::demand_phase> phases = w.phases;
      for (workload::demand_phase& p : phases) {
        p.active_cores = p.active_cores == 0 ? cores : p.active_cores;
      }
      auto made = workload::phased_demand<io::scenario_limits::max_phases, 8>::make(dom, cores, phases, w.start, w.repeat);
      if (!made) {
        return error_text(made.error());
      }
      added = b_.sim.add_workload(b_.phased.emplace_back(*made));
    } else {
      io::utilization_table table;
      const std::string path = resolve(s_, w.file);
      if (const io::csv_error e = io::read_utilization_csv(path, table); !e.ok()) {
        return e.message;
      }
      workload::utilization_trace_config tc;
      tc.domain = dom;
      tc.start = w.start;
      tc.at_end = w.at_end == "hold" ? workload::trace_end::hold : (w.at_end == "idle" ? workload::trace_end::idle : workload::trace_end::repeat);
      const std::size_t n = table.rows();
      for (std::size_t k = 1; k < n; ++k) {
        if (table.times[k] - table.times[k - 1] < io::scenario_limits::min_phase) {
          return path + ": rows " + std::to_string(k) + " and " + std::to_string(k + 1) +
                 " are less than 1 ms apart (io::scenario_limits::min_phase)";
        }
      }
      const sim_duration last = n > 1 ? table.times[n - 1] - table.times[n - 2] : sim_duration(std::chrono::seconds(1));
      tc.duration = table.times.back() + last;
      if (tc.at_end == workload::trace_end::repeat && tc.duration.count() > 0) {
        const double cycles = std::ceil(to_seconds(s_.duration - std::min(s_.duration, w.start.time_since_epoch())) / to_seconds(tc.duration));
        const double events = cycles * static_cast<double>(n);
        if (events > static_cast<double>(io::scenario_limits::max_run_events)) {
          return path + ": repeated over the run, its rows ask for about " + std::to_string(static_cast<long long>(events)) +
                 " events, above the run budget of " + std::to_string(io::scenario_limits::max_run_events) +
                 " (io::scenario_limits::max_run_events)";
        }
      }
      auto made = io::make_utilization_trace<io::max_utilization_rows, io::max_utilization_cpus>(table, tc);
      if (!made) {
        return path + ": " + error_text(made.error());
      }
      b_.traces.push_back(std::make_unique<trace_workload>(*made));
      added = b_.sim.add_workload(*b_.traces.back());
    }
    if (!added) {
      return error_text(added.error());
    }
    return {};
  }

  // ---- scripted events: each action resolves the names its arguments give
  std::string events() {
    for (const io::scenario_event& e : s_.events) {
      sim::scenario_event ev;
      if (std::string bad = event(e, ev); !bad.empty()) {
        return at(e.line) + bad;
      }
      if (const error er = b_.sim.add_event(ev); !er.ok()) {
        return at(e.line) + "event '" + e.action + "': " + error_text(er);
      }
    }
    return {};
  }

  std::string event(const io::scenario_event& e, sim::scenario_event& ev) const {
    const auto find_in = [](const std::vector<std::string>& v, const std::string& x) {
      return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
    };
    if (e.action == "ambient") {
      using L = io::scenario_limits;
      const auto t = e.args.size() == 1 ? io::parse_double(e.args[0], io::exact) : std::nullopt;
      if (!t) {
        return "event 'ambient' takes one temperature in °C";
      }
      if (!(*t >= L::min_ambient && *t <= L::max_ambient)) {
        return "event 'ambient " + e.args[0] + "': the ambient must be within -100..200 °C (io::scenario_limits::min_ambient, max_ambient)";
      }
      ev = sim::scenario_event::ambient(e.at, *t);
    } else if (e.action == "power") {
      const auto w = e.args.size() == 2 ? io::parse_double(e.args[1], io::exact) : std::nullopt;
      if (!w || node_index(e.args[0]) >= b_.node_names.size()) {
        return "event 'power' takes a node name and watts";
      }
      if (!(std::abs(*w) <= io::scenario_limits::max_power)) {
        return "event 'power " + e.args[0] + " " + e.args[1] +
               "': the power must be within -10000..10000 W (io::scenario_limits::max_power)";
      }
      ev = sim::scenario_event::node_power(e.at, node_index(e.args[0]), *w);
    } else if (e.action == "fan-failure" || e.action == "fan-restore") {
      std::size_t c = sim::no_part;
      for (std::size_t k = 0; e.args.size() == 1 && k < soc_.cooling_devices.size(); ++k) {
        if (fan_named(soc_.cooling_devices[k], e.args[0])) {
          c = cooling_[k];
        }
      }
      if (c == sim::no_part) {
        return "event '" + e.action + "' names no simulated fan";
      }
      ev = e.action == "fan-failure" ? sim::scenario_event::fan_failure(e.at, c) : sim::scenario_event::fan_restore(e.at, c);
    } else if (e.action == "sensor-fault" || e.action == "sensor-restore") {
      const std::size_t sn = e.args.empty() ? sim::no_part : find_in(sensor_names_, e.args[0]);
      if (sn >= sensor_names_.size()) {
        return "event '" + e.action + "' names no sensor";
      }
      if (e.action == "sensor-restore") {
        ev = sim::scenario_event::sensor_restore(e.at, sn);
        return {};
      }
      const auto f = sensor_fault_of(e);
      if (!f) {
        return "event 'sensor-fault' takes SENSOR try_again | hard_error | stuck M°C | spike M°C";
      }
      ev = sim::scenario_event::sensor_failure(e.at, sn, *f);
    } else if (e.action == "zone-enable" || e.action == "zone-disable") {
      const std::size_t z = e.args.size() == 1 ? find_in(b_.zone_names, e.args[0]) : sim::no_part;
      if (z >= b_.zone_names.size()) {
        return "event '" + e.action + "' names no simulated zone";
      }
      ev = e.action == "zone-enable" ? sim::scenario_event::zone_enable(e.at, z) : sim::scenario_event::zone_disable(e.at, z);
    } else if (e.action == "trip") {
      const std::size_t z = e.args.size() == 3 ? find_in(b_.zone_names, e.args[0]) : sim::no_part;
      const auto trip = e.args.size() == 3 ? io::parse_int(e.args[1], 0, 255, io::exact) : std::nullopt;
      const auto t = e.args.size() == 3 ? io::parse_int(e.args[2], -273'000, 200'000, io::exact) : std::nullopt;
      if (z >= b_.zone_names.size() || !trip || !t) {
        return "event 'trip' takes ZONE TRIP-INDEX TEMPERATURE-m°C";
      }
      if (const std::size_t n = b_.sim.zone(z).num_trips(); static_cast<std::size_t>(*trip) >= n) {
        return "event 'trip': zone " + e.args[0] + (n == 0 ? std::string(" has no trips") : " has " + std::to_string(n) + " trip" +
               (n == 1 ? "" : "s") + " (index 0.." + std::to_string(n - 1) + ")") + ", not " + e.args[1];
      }
      ev = sim::scenario_event::trip_temperature(e.at, z, static_cast<std::int32_t>(*trip), millicelsius(static_cast<std::int32_t>(*t)));
    } else {
      return "unknown event '" + e.action +
             "' (ambient, power, fan-failure, fan-restore, sensor-fault, sensor-restore, zone-enable, zone-disable, trip)";
    }
    return {};
  }

  // ---- something must heat the plant: a file cut short before its [heat] and [workload]
  // sections would otherwise run, quietly, with 0 J
  std::string heats() {
    const bool powered = std::any_of(s_.events.begin(), s_.events.end(), [](const io::scenario_event& e) { return e.action == "power"; });
    const std::string ends = "the file ends in " + s_.last_section + " at line " + std::to_string(s_.last_section_line) + ": cut short?";
    if (s_.heat.empty() && !powered) {
      return at(s_.last_section_line) + "nothing heats the plant: no [heat PART] section and no 'power' event (" + ends + ")";
    }
    if (s_.workloads.empty() && !powered) {
      b_.warnings.push_back(at(s_.last_section_line) + "no [workload] section and no 'power' event: the simulated parts only idle (" +
                            ends + ")");
    }
    return {};
  }

  /// `SENSOR try_again | hard_error | stuck M°C | spike M°C`.
  static std::optional<sensor_fault> sensor_fault_of(const io::scenario_event& e) {
    const std::string kind = e.args.size() > 1 ? e.args[1] : "";
    // The m°C argument of stuck and spike, kept in plain variables: a std::optional<int64_t>
    // copied out of the ternary trips gcc 12's -Wmaybe-uninitialized at -O3.
    bool has_value = false;
    std::int32_t value = 0;
    if (e.args.size() == 3) {
      if (const auto v = io::parse_int(e.args[2], -300'000, 300'000, io::exact)) {
        has_value = true;
        value = static_cast<std::int32_t>(*v);
      }
    }
    sensor_fault f;
    if (kind == "try_again" && e.args.size() == 2) {
      f.kind = sensor_fault_kind::try_again;
    } else if (kind == "hard_error" && e.args.size() == 2) {
      f.kind = sensor_fault_kind::hard_error;
    } else if (kind == "stuck" && has_value) {
      f.kind = sensor_fault_kind::stuck;
      f.stuck_value = millicelsius(value);
    } else if (kind == "spike" && has_value) {
      f.kind = sensor_fault_kind::spike;
      f.magnitude = millikelvin_delta(value);
    } else {
      return std::nullopt;
    }
    return f;
  }

  // ---- options, recorder, start
  std::string start() {
    sim::sim_options opt;
    opt.mode = s_.fixed_step ? sim::time_mode::fixed_step : sim::time_mode::event_driven;
    opt.fixed_step = s_.step;
    opt.record_interval = s_.record_interval;
    opt.apply_cooling = s_.apply_cooling;
    opt.max_events = io::scenario_limits::max_run_events;
    if (const error e = b_.sim.set_options(opt); !e.ok()) {
      return at(0) + "[run]: " + error_text(e);
    }
    // The trace streams to its file in blocks (simulate_main attaches the writers), so memory
    // does not grow with the run's length.
    b_.rec = sim::recorder(trace_block_rows);
    b_.sim.set_recorder(&b_.rec);
    if (const error e = b_.sim.start(); !e.ok()) {
      if (s_.fixed_step && e.code == errc::out_of_range && std::string_view(e.what).starts_with("fixed step")) {
        const double h = b_.sim.max_stable_step();
        return at(s_.step_line != 0 ? s_.step_line : s_.duration_line) + "[run] step = " + io::format_number(to_seconds(s_.step), 6) +
               " s is above the stability limit of fixed-step RK4 on this plant, " + io::format_number(h, 3) + " s (" +
               io::format_number(sim::rk4_stability_bound, 4) + " × its fastest time constant, " +
               io::format_number(h / sim::rk4_stability_bound, 3) + " s): refused, not sub-stepped; use a step ≤ " +
               io::format_number(h, 3) + " s or mode = event_driven";
      }
      return at(0) + "cannot start: " + describe_network_error<std::string>(e, b_.node_names);
    }
    return {};
  }

  const io::scenario& s_;
  const schema::soc_description& soc_;
  sim_bundle& b_;
  std::vector<std::size_t> cluster_domain_;  ///< per soc.clusters: the simulation's domain, or no_part
  std::vector<std::size_t> device_domain_;   ///< per soc.devices
  std::vector<std::size_t> cooling_;         ///< per soc.cooling_devices
  std::vector<std::string> sensor_names_;
  std::size_t err_line_{0};  ///< the line of the key a workload error is about (0: the section's)
};

}  // namespace detail

/// Builds (and starts) the simulation of `s` on `src`. Errors name the scenario line. `shared`:
/// factorised networks to copy at start when they are this plant's (sim::shared_plant; ignored
/// when not), so that the runs of a sweep do not factorise one plant again and again.
/// `prepare`, when given, is called on the bundle before any part is added (to attach an event
/// sink or hooks: run_export_sim.hpp).
inline outcome<std::unique_ptr<sim_bundle>> build_simulation(const io::scenario& s, const system_source& src,
                                                             const sim::shared_plant<cli_limits>* shared = nullptr,
                                                             const std::function<void(sim_bundle&)>& prepare = {}) {
  auto b = std::make_unique<sim_bundle>();
  (void)b->sim.use_plant(shared);  // cannot fail: not started yet
  if (prepare) {
    prepare(*b);
  }
  if (std::string e = detail::simulation_builder(s, src.description(), *b).build(); !e.empty()) {
    return outcome<std::unique_ptr<sim_bundle>>::fail(std::move(e));
  }
  return outcome<std::unique_ptr<sim_bundle>>(std::move(b));
}

/// The metrics of a run as JSON (stable key order; numbers with 10 significant digits).
inline std::string metrics_json(const sim_bundle& b) {
  const auto m = b.sim.metrics();
  const auto num = [](double v) { return io::format_number(v, 10); };
  std::string s = "{\n  \"duration_s\": " + num(to_seconds(m.duration)) + ",\n  \"status\": \"" +
                  run_outcome(b) + "\",\n  \"energy_j\": " + num(m.energy_j) + ",\n  \"zones\": [";
  for (std::size_t z = 0; z < m.zones.size(); ++z) {
    const auto& zm = m.zones[z];
    s += std::string(z == 0 ? "" : ",") + "\n    {\"name\": \"" + b.zone_names[z] + "\", \"peak_c\": " + num(zm.peak_c) +
         ", \"peak_time_s\": " + num(to_seconds(zm.peak_time)) + ", \"updates\": " + std::to_string(zm.updates) +
         ", \"interrupts\": " + std::to_string(zm.interrupts) + ", \"read_failures\": " + std::to_string(zm.read_failures) +
         // present only when set, so that the metrics of a run without either stay as they were
         (zm.saturated_reads > 0 ? ", \"saturated_reads\": " + std::to_string(zm.saturated_reads) : std::string()) +
         (zm.unhandled_critical ? ", \"unhandled_critical\": true" : "") + ", \"trips\": [";
    for (std::size_t t = 0; t < zm.trips.size(); ++t) {
      const auto& tm = zm.trips[t];
      s += std::string(t == 0 ? "" : ",") + "\n      {\"temperature_mc\": " + std::to_string(tm.temperature.count()) +
           ", \"crossings\": " + std::to_string(tm.crossings) + ", \"detections\": " + std::to_string(tm.detections) +
           ", \"missed\": " + std::to_string(tm.missed) + ", \"false_alarms\": " + std::to_string(tm.false_alarms) +
           ", \"time_above_s\": " + num(tm.time_above_s) + ", \"max_overshoot_c\": " + num(tm.max_overshoot_c) +
           ", \"latency_mean_s\": " + num(tm.latency_mean_s) + ", \"latency_max_s\": " + num(tm.latency_max_s) + "}";
    }
    s += "]}";
  }
  s += "\n  ],\n  \"domains\": [";
  for (std::size_t d = 0; d < m.domains.size(); ++d) {
    const auto& dm = m.domains[d];
    s += std::string(d == 0 ? "" : ",") + "\n    {\"name\": \"" + std::string(b.sim.domain(d).name()) + "\", \"energy_j\": " +
         num(dm.energy_j) + ", \"work_ratio\": " + num(dm.work_ratio()) + ", \"time_capped_s\": " + num(dm.time_capped_s) + "}";
  }
  s += "\n  ],\n  \"cooling_devices\": [";
  for (std::size_t c = 0; c < m.cooling.size(); ++c) {
    const auto& cm = m.cooling[c];
    s += std::string(c == 0 ? "" : ",") + "\n    {\"name\": \"" + std::string(b.sim.cooling_device(c).type()) +
         "\", \"transitions\": " + std::to_string(cm.transitions) + ", \"max_state\": " + std::to_string(cm.max_state) +
         ", \"time_active_s\": " + num(cm.time_active_s) + "}";
  }
  s += "\n  ]";
  // inference and boot workloads (present only when the scenario has one): the keys are the
  // flat metrics' (run_metrics.hpp) without the "workload.NAME." prefix
  std::string w;
  const auto object = [&](const std::string& name, std::string_view type) {
    std::string o = std::string(w.empty() ? "" : ",") + "\n    {\"name\": \"" + name + "\", \"type\": \"" + std::string(type) + "\"";
    const std::string prefix = "workload." + name + ".";
    return std::pair{o, prefix};
  };
  const auto add_to = [&](std::string& o, const std::string& prefix) {
    return [&o, &prefix, &num](const std::string& name, double v, std::string_view) {
      o += ", \"" + name.substr(prefix.size()) + "\": " + num(v);
    };
  };
  for (const named_workload<inference_workload>& n : b.inference) {
    auto [o, prefix] = object(n.name, "inference");
    detail::add_inference_metrics(n, b.sim.now(), add_to(o, prefix));
    w += o + "}";
  }
  for (const named_workload<workload::decompression>& n : b.boots) {
    auto [o, prefix] = object(n.name, "boot");
    detail::add_boot_metrics(n, add_to(o, prefix));
    w += o + "}";
  }
  if (!w.empty()) {
    s += ",\n  \"workloads\": [" + w + "\n  ]";
  }
  s += "\n}\n";
  return s;
}

inline constexpr std::string_view simulate_help = R"(usage: thermo simulate SCENARIO [--set KEY=VALUE]… [--kernel VERSION] [--trace FILE.csv] [--metrics FILE.json] [--plot FILE.svg]
                       [--ftrace FILE] [--perfetto FILE.json]

Runs a scenario file (docs/reference/scenario-format.md; examples in examples/scenarios/): a
thermal plant, a SoC (preset or device tree), sensors, zones and their governors, workloads and
scripted events. Prints a summary table of every metric; writes nothing else unless asked:
the recorded trace (CSV), the metrics (JSON) and a plot (SVG) go to the files the options name,
else to those of the scenario's [output] section. Each file is written whole or not at all.

  --set KEY=VALUE  set a scenario key before the run, as a sweep axis does (repeatable):
                   SECTION.KEY (run.ambient=40) or SECTION.NAME.KEY (zone.cpu-thermal.k_pu=250)
  --kernel VERSION the Linux release whose governor behaviour to reproduce, 6.12.0 or later
                   (default 6.12 = 6.12.117; replaces the scenario's [run] kernel); see
                   docs/reference/kernel-versions.md
  --ftrace FILE    the run as ftrace text: the thermal events as Linux 6.12 would have logged
                   them (Perfetto UI opens it)
  --perfetto FILE.json
                   the run as Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing):
                   counters per zone, trips, the power allocator's budget, netlink events
                   (docs/how-to/look-at-a-simulation-in-perfetto-or-kernelshark.md)
)";

/// `thermo simulate …`.
inline int simulate_main(std::vector<std::string_view> argv, std::ostream& err) {
  args a("simulate", std::move(argv));
  if (a.wants_help()) {
    std::cout << simulate_help;
    return exit_ok;
  }
  failure f;
  const auto trace_opt = a.take("--trace", f);
  const auto metrics_opt = a.take("--metrics", f);
  const auto plot_opt = a.take("--plot", f);
  const auto ftrace_opt = a.take("--ftrace", f);
  const auto perfetto_opt = a.take("--perfetto", f);
  const std::vector<std::string_view> set_specs = a.take_all("--set", f);
  const auto kernel_opt = a.take("--kernel", f);
  const std::vector<std::string_view> pos = a.positional();
  a.finish(f);
  if (f.message.empty() && pos.size() != 1) {
    f = {"simulate: give one scenario file (see thermo simulate --help)", exit_usage};
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  control::kernel_version kernel{};
  if (kernel_opt) {
    if (const std::string m = io::read_modelled_kernel(*kernel_opt, kernel); !m.empty()) {
      err << "thermo simulate: --kernel: " << m << '\n';
      return exit_usage;
    }
  }
  const std::string path(pos.front());
  const auto text = read_input(path);
  if (!text) {
    err << "thermo simulate: " << text.message() << '\n';
    return exit_failure;
  }
  // --set KEY=VALUE: the key's line replaced (or added to its section) before the text is
  // parsed, as a sweep sets an axis; the parser checks the value.
  std::string set_text;
  if (!set_specs.empty()) {
    std::vector<sweep::axis> keys;
    std::vector<std::string> values;
    for (const std::string_view spec : set_specs) {
      auto k = sweep::parse_setting(spec);
      if (!k) {
        err << "thermo simulate: " << k.message() << '\n';
        return exit_usage;
      }
      values.push_back(k->items.front());
      keys.push_back(std::move(*k));
    }
    auto t = sweep::scenario_template::make(*text, keys);
    if (!t) {
      std::string m = t.message();
      for (std::size_t at = m.find("--axis "); at != std::string::npos; at = m.find("--axis ", at)) {
        m.replace(at, 7, "--set ");
      }
      err << "thermo simulate: " << m << '\n';
      return exit_failure;
    }
    set_text = t->apply(values);
  }
  auto scn = parse_scenario(set_specs.empty() ? *text : set_text, path);
  if (!scn) {
    err << "thermo simulate: " << scn.message() << '\n';
    return exit_failure;
  }
  if (kernel_opt) {
    scn->kernel = kernel;  // --kernel replaces [run] kernel
  }
  auto src = scn->dtb.empty() ? load_preset(scn->preset) : load_dtb(detail::resolve(*scn, scn->dtb));
  if (!src) {
    err << "thermo simulate: " << detail::at_line(*scn, scn->soc_line) << src.message() << '\n';
    return exit_failure;
  }
  // The outputs are opened before the run, so a name that cannot be written is refused before
  // any work; they appear together after it, or not at all (io/output.hpp).
  std::string stem = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  stem = stem.substr(0, stem.rfind('.'));
  // An output is written only when asked for: by its option, else by the [output] section.
  const auto pick = [&](const std::optional<std::string_view>& opt, const std::string& in_file) {
    return opt ? std::string(*opt) : in_file;
  };
  io::output_set outputs;
  outputs.add_input(path);
  if (!scn->dtb.empty()) {
    outputs.add_input(detail::resolve(*scn, scn->dtb));
  }
  for (const auto& w : scn->workloads) {
    if (!w.file.empty()) {
      outputs.add_input(detail::resolve(*scn, w.file));
    }
  }
  std::ostream* trace_out = nullptr;
  std::ostream* metrics_out = nullptr;
  std::ostream* plot_out = nullptr;
  std::ostream* ftrace_out = nullptr;
  std::ostream* perfetto_out = nullptr;
  for (const auto& [file, out] : {std::pair{pick(trace_opt, scn->trace_file), &trace_out},
                                  std::pair{pick(metrics_opt, scn->metrics_file), &metrics_out},
                                  std::pair{pick(plot_opt, scn->plot_file), &plot_out},
                                  std::pair{pick(ftrace_opt, std::string()), &ftrace_out},
                                  std::pair{pick(perfetto_opt, std::string()), &perfetto_out}}) {
    if (file.empty()) {
      continue;
    }
    if (const io::file_error e = outputs.open(file, *out); !e.ok()) {
      err << "thermo simulate: " << e.message << '\n';
      return exit_failure;
    }
  }
  // --ftrace / --perfetto: the exporters see the run through the simulation's sink and hooks,
  // attached before the build adds the parts (run_export_sim.hpp)
  run_outputs exports(ftrace_out, perfetto_out, &*scn);
  auto bundle = build_simulation(*scn, *src, nullptr, [&](sim_bundle& nb) { exports.attach(nb); });
  if (!bundle) {
    err << "thermo simulate: " << bundle.message() << '\n';
    return exit_failure;
  }
  sim_bundle& b = **bundle;
  for (const std::string& w : b.warnings) {
    err << "thermo simulate: warning: " << w << '\n';
  }

  std::optional<io::csv_trace_writer> csv;
  std::vector<sim::row_sink*> sinks;
  if (trace_out != nullptr) {
    sinks.push_back(&csv.emplace(*trace_out));
  }
  io::run_plot_options po;
  po.title = scn->title.empty() ? stem : scn->title;
  io::run_plot_builder plot(po, 0.0, to_seconds(scn->duration));
  if (plot_out != nullptr) {
    sinks.push_back(&plot);
  }
  if (exports.perfetto() != nullptr) {
    sinks.push_back(exports.perfetto());
  }
  io::trace_tee tee(std::move(sinks));
  b.rec.set_sink(&tee);

  progress prog("thermo simulate");
  const std::int64_t chunks = 200;
  const sim_duration::rep d = scn->duration.count();
  for (std::int64_t k = 1; k <= chunks; ++k) {
    // duration·k/chunks, rounded down, without the product (exact: the same instants as ever)
    const sim_time until{sim_duration{d / chunks * k + d % chunks * k / chunks}};
    if (b.sim.run_until(until) != sim::run_status::running) {
      break;
    }
    prog.update(static_cast<double>(k) / static_cast<double>(chunks), std::to_string(static_cast<long long>(to_seconds(until))) + " s simulated");
  }
  prog.done();
  b.rec.flush();
  b.rec.set_sink(nullptr);
  if (b.sim.status() == sim::run_status::budget_exhausted) {
    err << "thermo simulate: " << detail::at_line(*scn, scn->duration_line) << "the run stopped at "
        << io::format_number(to_seconds(b.sim.now()), 6) << " s of " << io::format_number(to_seconds(scn->duration), 6)
        << " s: it used up its budget of " << io::scenario_limits::max_run_events
        << " events (io::scenario_limits::max_run_events); nothing written\n";
    return exit_failure;
  }

  if (const std::string e = exports.finish(); !e.empty()) {
    err << "thermo simulate: " << e << "; nothing written\n";
    return exit_failure;
  }
  if (metrics_out != nullptr) {
    *metrics_out << metrics_json(b);
  }
  if (plot_out != nullptr) {
    const std::vector<io::trip_line> trips = io::trip_lines(b.sim);
    *plot_out << plot.figure(trips, io::event_marks(b.sim)).render();
  }
  if (const io::file_error e = outputs.commit(); !e.ok()) {
    err << "thermo simulate: " << e.message << '\n';
    return exit_failure;
  }
  std::cout << metrics_summary(b);
  if (scn->kernel) {
    std::cout << "note: the governors reproduce Linux " << io::format_kernel_version(*scn->kernel)
              << " (docs/reference/kernel-versions.md)\n";
  }
  for (const std::string& n : b.notes) {
    std::cout << "note: " << n << '\n';
  }
  return exit_ok;
}

}  // namespace thermo::cli
