// `thermo simulate SCENARIO`: builds a simulation from a scenario (io/scenario.hpp) — the
// plant, the SoC's power domains and cooling devices (preset or device tree), sensors, zones
// with their governors, workloads and scripted events — runs it and writes the trace (CSV), the
// metrics (JSON, and a summary on stdout) and a plot (SVG). Host code.
#pragma once

#include <algorithm>
#include <cstdio>
#include <deque>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "scenario.hpp"
#include "system_source.hpp"
#include "thermo/control/governors/governors.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/utilization_csv.hpp"
#include "thermo/io/run_plot.hpp"
#include "thermo/io/trace.hpp"
#include "thermo/sim/recorder.hpp"
#include "thermo/sim/reference_plants.hpp"
#include "thermo/sim/simulation.hpp"
#include "thermo/workload/synthetic.hpp"
#include "thermo/workload/utilization_trace.hpp"

namespace thermo::cli {

/// Capacities of the simulations the tool builds.
struct cli_limits : sim::default_limits {
  static constexpr std::size_t nodes = 32;
  static constexpr std::size_t edges = 128;
  static constexpr std::size_t domains = 8;
  static constexpr std::size_t sensors = 16;
  static constexpr std::size_t zones = 8;
  static constexpr std::size_t trips = 16;
  static constexpr std::size_t instances = 32;
  static constexpr std::size_t cooling_devices = 16;
  static constexpr std::size_t fans = 4;
  static constexpr std::size_t workloads = 8;
  static constexpr std::size_t scenario_events = 256;
  static constexpr std::size_t crossings = 2048;
};

using cli_simulation = sim::simulation<cli_limits>;
using trace_workload = workload::utilization_trace<8192, 8>;

/// Everything a run owns (the simulation points into it: not movable).
struct sim_bundle {
  cli_simulation sim;
  sim::recorder rec{1};
  std::deque<control::step_wise<>> step_wise;
  std::deque<control::bang_bang<1>> bang_bang;
  std::deque<control::fair_share> fair_share;
  std::deque<control::user_space> user_space;
  std::deque<control::power_allocator<16>> ipa;
  std::deque<workload::constant_demand<8>> constant;
  std::deque<workload::phased_demand<32, 8>> phased;
  std::deque<std::unique_ptr<trace_workload>> traces;
  std::deque<std::vector<control::thermal_trip>> trips;
  std::deque<std::vector<sim::heat_share>> heat;
  std::deque<std::vector<weighted_node<double>>> probes;
  std::deque<std::vector<sim::fan_path>> fan_paths;
  std::deque<std::vector<std::uint32_t>> fan_levels;
  std::vector<std::string> node_names;
  std::vector<std::string_view> node_name_views;
  std::vector<std::string> zone_names;  ///< simulated zones, in simulation order
  std::vector<std::string> notes;       ///< what was left out (printed by the command)
};

namespace detail {

inline std::string at_line(const scenario& s, std::size_t line) {
  return s.source + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
}

inline std::string resolve(const scenario& s, const std::string& path) {
  if (path.empty() || path.front() == '/') {
    return path;
  }
  return s.dir + "/" + path;
}

}  // namespace detail

/// Builds (and starts) the simulation of `s` on `src`. Errors name the scenario line.
inline outcome<std::unique_ptr<sim_bundle>> build_simulation(const scenario& s, const system_source& src) {
  using out = outcome<std::unique_ptr<sim_bundle>>;
  auto b = std::make_unique<sim_bundle>();
  const schema::soc_description& soc = src.description();
  const auto err_of = [](const error& e) {
    return std::string(e.what) + " (" + std::string(to_string(e.code)) + ")";
  };

  // ---- plant
  cli_simulation::builder_type plant;
  if (!s.reference.empty()) {
    if (const error e = sim::rk3399_board(plant, s.ambient); !e.ok()) {
      return out::fail(detail::at_line(s, 0) + "plant: " + err_of(e));
    }
    for (const std::string_view n : sim::rk3399_node_names) {
      b->node_names.emplace_back(n);
    }
  } else {
    if (s.nodes.size() > cli_limits::nodes) {
      return out::fail(detail::at_line(s, s.nodes[cli_limits::nodes].line) + "more than " + std::to_string(cli_limits::nodes) +
                       " nodes");
    }
    for (const io::scenario_node& n : s.nodes) {
      auto r = plant.add_node(n.capacitance, n.to_ambient);
      if (!r) {
        return out::fail(detail::at_line(s, n.line) + "[node " + n.name + "]: " + err_of(r.error()));
      }
      b->node_names.push_back(n.name);
    }
  }
  const auto node_index = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(b->node_names.begin(), b->node_names.end(), name) - b->node_names.begin());
  };
  for (const io::scenario_link& l : s.links) {
    if (const error e = plant.connect(node_index(l.a), node_index(l.b), l.conductance); !e.ok()) {
      return out::fail(detail::at_line(s, l.line) + "link " + l.a + " - " + l.b + ": " + err_of(e));
    }
  }
  if (const error e = plant.set_ambient(s.ambient); !e.ok()) {
    return out::fail(detail::at_line(s, 0) + "ambient: " + err_of(e));
  }
  if (const error e = b->sim.set_plant(plant); !e.ok()) {
    return out::fail(detail::at_line(s, 0) + "plant: " + err_of(e));
  }
  for (const std::string& n : b->node_names) {
    b->node_name_views.push_back(n);
  }
  b->sim.set_node_names(b->node_name_views);
  {
    std::vector<double> init(b->node_names.size(), s.ambient);
    for (std::size_t k = 0; k < s.nodes.size(); ++k) {
      init[k] = s.nodes[k].initial.value_or(s.ambient);
    }
    if (const error e = b->sim.set_initial_temperatures(init); !e.ok()) {
      return out::fail(detail::at_line(s, 0) + "initial temperatures: " + err_of(e));
    }
  }

  // ---- power domains: every cluster / device with a [heat] section
  std::vector<std::size_t> cluster_domain(soc.clusters.size(), SIZE_MAX);
  std::vector<std::size_t> device_domain(soc.devices.size(), SIZE_MAX);
  for (const io::scenario_heat& h : s.heat) {
    const schema::cpu_cluster_desc* cl = soc.find_cluster(h.part);
    const schema::device_desc* dv = cl == nullptr ? soc.find_device(h.part) : nullptr;
    if (cl == nullptr && dv == nullptr) {
      std::string names;
      for (const auto& c : soc.clusters) {
        names += (names.empty() ? "" : ", ") + std::string(c.name);
      }
      for (const auto& d : soc.devices) {
        names += (names.empty() ? "" : ", ") + std::string(d.name);
      }
      return out::fail(detail::at_line(s, h.line) + "[heat " + h.part + "]: the SoC has no cluster or device of that name (" + names +
                       ")");
    }
    std::vector<sim::heat_share> shares;
    for (const io::weighted_name& w : h.nodes) {
      shares.push_back({node_index(w.name), w.weight});
    }
    b->heat.push_back(std::move(shares));
    sim::domain_config d;
    if (cl != nullptr) {
      d.power = {cl->name, cl->opps, static_cast<double>(cl->dynamic_power_coefficient), cl->cpu_ids.size(), {}, watts<double>(0.0)};
      d.cpu = true;
      d.cpu_capacity = cl->cpu_capacity;
    } else {
      d.power = {dv->name, dv->opps, static_cast<double>(dv->dynamic_power_coefficient), 1, {}, watts<double>(0.0)};
      d.cpu = false;
    }
    d.heat = b->heat.back();
    auto r = b->sim.add_domain(d);
    if (!r) {
      return out::fail(detail::at_line(s, h.line) + "[heat " + h.part + "]: " + err_of(r.error()));
    }
    if (cl != nullptr) {
      cluster_domain[static_cast<std::size_t>(cl - soc.clusters.data())] = *r;
    } else {
      device_domain[static_cast<std::size_t>(dv - soc.devices.data())] = *r;
    }
  }

  // ---- cooling devices of the simulated domains, and the fans given a [fan] section
  std::vector<std::size_t> cooling(soc.cooling_devices.size(), SIZE_MAX);
  for (std::size_t k = 0; k < soc.cooling_devices.size(); ++k) {
    const schema::cooling_device_desc& c = soc.cooling_devices[k];
    const std::string_view type = c.name;  // the kernel keeps the whole type
    const std::string node_name(c.node.substr(c.node.rfind('/') + 1));
    if (c.type == schema::cooling_device_type::cpufreq || c.type == schema::cooling_device_type::devfreq) {
      const bool cpu = c.type == schema::cooling_device_type::cpufreq;
      const std::size_t dom = c.domain < 0 ? SIZE_MAX : (cpu ? cluster_domain : device_domain)[static_cast<std::size_t>(c.domain)];
      if (dom == SIZE_MAX) {
        continue;
      }
      auto r = cpu ? b->sim.add_cpufreq_cooling(dom, type) : b->sim.add_devfreq_cooling(dom, type);
      if (!r) {
        b->notes.push_back("cooling device " + std::string(c.name) + " not simulated: " + err_of(r.error()));
        continue;
      }
      cooling[k] = *r;
      continue;
    }
    const auto f = std::find_if(s.fans.begin(), s.fans.end(), [&](const io::scenario_fan& x) { return x.name == node_name || x.name == c.name; });
    if (f == s.fans.end()) {
      b->notes.push_back("fan " + node_name + " not simulated (no [fan " + node_name + "] section)");
      continue;
    }
    b->fan_paths.push_back({sim::fan_path{node_index(f->node), f->peer.empty() ? sim::fan_path::ambient : node_index(f->peer), f->off,
                                          f->full, f->exponent}});
    std::vector<std::uint32_t> levels(c.cooling_levels.begin(), c.cooling_levels.end());
    if (levels.empty()) {
      for (std::uint32_t l = 0; l <= c.max_state; ++l) {
        levels.push_back(l);  // gpio-fan: airflow grows with the state
      }
    }
    b->fan_levels.push_back(std::move(levels));
    sim::fan_config fc;
    fc.name = type;
    fc.levels = b->fan_levels.back();
    fc.kind = c.type == schema::cooling_device_type::pwm_fan ? control::fan_kind::pwm : control::fan_kind::gpio;
    fc.paths = b->fan_paths.back();
    auto r = b->sim.add_fan(fc);
    if (!r) {
      return out::fail(detail::at_line(s, f->line) + "[fan " + f->name + "]: " + err_of(r.error()));
    }
    cooling[k] = *r;
  }
  for (const io::scenario_fan& f : s.fans) {
    const bool found = std::any_of(soc.cooling_devices.begin(), soc.cooling_devices.end(), [&](const schema::cooling_device_desc& c) {
      return (c.type == schema::cooling_device_type::pwm_fan || c.type == schema::cooling_device_type::gpio_fan) &&
             (c.node.substr(c.node.rfind('/') + 1) == f.name || c.name == f.name);
    });
    if (!found) {
      return out::fail(detail::at_line(s, f.line) + "[fan " + f.name + "]: the SoC has no fan of that name");
    }
  }

  // ---- sensors
  std::vector<std::string> sensor_names;
  for (const io::scenario_sensor& sn : s.sensors) {
    std::vector<weighted_node<double>> probe;
    for (const io::weighted_name& w : sn.probe) {
      probe.push_back({node_index(w.name), w.weight});
    }
    b->probes.push_back(std::move(probe));
    auto r = b->sim.add_sensor({sn.name, b->probes.back(), sn.params});
    if (!r) {
      return out::fail(detail::at_line(s, sn.line) + "[sensor " + sn.name + "]: " + err_of(r.error()));
    }
    sensor_names.push_back(sn.name);
  }

  // ---- zones and their bindings
  for (const io::scenario_zone& z : s.zones) {
    const schema::thermal_zone_desc* zd = soc.find_zone(z.name);
    if (zd == nullptr) {
      std::string names;
      for (const auto& x : soc.thermal_zones) {
        names += (names.empty() ? "" : ", ") + std::string(x.name);
      }
      return out::fail(detail::at_line(s, z.line) + "[zone " + z.name + "]: the SoC has no such zone (" + names + ")");
    }
    std::vector<control::thermal_trip> trips;
    for (const auto& t : zd->trips) {
      trips.push_back(control::thermal_trip{t.temperature, t.hysteresis, static_cast<control::trip_type>(t.type)});
    }
    b->trips.push_back(std::move(trips));
    sim::zone_setup zs;
    zs.config.id = static_cast<std::int32_t>(b->zone_names.size());
    zs.config.type = zd->name;
    zs.config.polling_delay = zd->polling_delay;
    zs.config.passive_delay = zd->polling_delay_passive;
    zs.config.tzp.sustainable_power = zd->sustainable_power.count();
    zs.config.tzp.slope = zd->slope;
    zs.config.tzp.offset = zd->offset;
    zs.config.on_critical = zd->on_critical == schema::critical_action::reboot ? control::critical_action::reboot
                                                                               : control::critical_action::shutdown;
    zs.trips = b->trips.back();
    zs.sensor = static_cast<std::size_t>(std::find(sensor_names.begin(), sensor_names.end(), z.sensor) - sensor_names.begin());
    zs.enabled = z.enabled;
    if (z.governor == "bang_bang") {
      zs.governor = control::governor_ref(b->bang_bang.emplace_back());
    } else if (z.governor == "fair_share") {
      zs.governor = control::governor_ref(b->fair_share.emplace_back());
    } else if (z.governor == "user_space") {
      zs.governor = control::governor_ref(b->user_space.emplace_back());
    } else if (z.governor == "power_allocator") {
      zs.governor = control::governor_ref(b->ipa.emplace_back());
    } else {
      zs.governor = control::governor_ref(b->step_wise.emplace_back());
    }
    auto zr = b->sim.add_zone(zs);
    if (!zr) {
      return out::fail(detail::at_line(s, z.line) + "[zone " + z.name + "]: " + err_of(zr.error()));
    }
    b->zone_names.push_back(z.name);
    for (const auto& m : zd->cooling_maps) {
      for (const auto& e : m.devices) {
        if (e.cooling_device < 0) {
          continue;
        }
        const std::size_t c = cooling[static_cast<std::size_t>(e.cooling_device)];
        if (c == SIZE_MAX) {
          b->notes.push_back("zone " + z.name + ": " + std::string(e.device) + " is not simulated, its binding is skipped");
          continue;
        }
        control::cooling_spec spec;
        spec.lower = e.lower;
        spec.upper = e.upper;
        spec.weight = m.contribution;
        auto br = b->sim.bind(*zr, static_cast<std::int32_t>(m.trip), c, spec);
        if (!br && br.error().code != errc::already_exists) {
          return out::fail(detail::at_line(s, z.line) + "[zone " + z.name + "]: binding " + std::string(e.device) + ": " +
                           err_of(br.error()));
        }
      }
    }
  }

  // ---- workloads
  for (const io::scenario_workload& w : s.workloads) {
    const schema::cpu_cluster_desc* cl = soc.find_cluster(w.cluster);
    const schema::device_desc* dv = cl == nullptr ? soc.find_device(w.cluster) : nullptr;
    std::size_t dom = SIZE_MAX;
    std::size_t cores = 1;
    if (cl != nullptr) {
      dom = cluster_domain[static_cast<std::size_t>(cl - soc.clusters.data())];
      cores = cl->cpu_ids.size();
    } else if (dv != nullptr) {
      dom = device_domain[static_cast<std::size_t>(dv - soc.devices.data())];
    }
    if (dom == SIZE_MAX) {
      return out::fail(detail::at_line(s, w.line) + "[workload " + w.name + "]: cluster '" + w.cluster +
                       "' is not simulated (give it a [heat " + w.cluster + "] section)");
    }
    cores = w.cores.value_or(cores);
    result<std::size_t, error> added = std::size_t{0};
    if (w.type == io::scenario_workload_type::constant) {
      auto made = workload::constant_demand<8>::make(dom, cores, w.utilization);
      if (!made) {
        return out::fail(detail::at_line(s, w.line) + "[workload " + w.name + "]: " + err_of(made.error()));
      }
      added = b->sim.add_workload(b->constant.emplace_back(*made));
    } else if (w.type == io::scenario_workload_type::phased) {
      std::vector<workload::demand_phase> phases = w.phases;
      for (workload::demand_phase& p : phases) {
        p.active_cores = p.active_cores == 0 ? cores : p.active_cores;
      }
      auto made = workload::phased_demand<32, 8>::make(dom, cores, phases, w.start, w.repeat);
      if (!made) {
        return out::fail(detail::at_line(s, w.line) + "[workload " + w.name + "]: " + err_of(made.error()));
      }
      added = b->sim.add_workload(b->phased.emplace_back(*made));
    } else {
      io::utilization_table table;
      const std::string path = detail::resolve(s, w.file);
      if (const io::csv_error e = io::read_utilization_csv(path, table); !e.ok()) {
        return out::fail(detail::at_line(s, w.line) + "[workload " + w.name + "]: " + e.message);
      }
      workload::utilization_trace_config tc;
      tc.domain = dom;
      tc.start = w.start;
      tc.at_end = w.at_end == "hold" ? workload::trace_end::hold : (w.at_end == "idle" ? workload::trace_end::idle : workload::trace_end::repeat);
      const std::size_t n = table.rows();
      const sim_duration last = n > 1 ? table.times[n - 1] - table.times[n - 2] : sim_duration(std::chrono::seconds(1));
      tc.duration = table.times.back() + last;
      auto made = io::make_utilization_trace<8192, 8>(table, tc);
      if (!made) {
        return out::fail(detail::at_line(s, w.line) + "[workload " + w.name + "]: " + path + ": " + err_of(made.error()));
      }
      b->traces.push_back(std::make_unique<trace_workload>(*made));
      added = b->sim.add_workload(*b->traces.back());
    }
    if (!added) {
      return out::fail(detail::at_line(s, w.line) + "[workload " + w.name + "]: " + err_of(added.error()));
    }
  }

  // ---- events
  for (const io::scenario_event& e : s.events) {
    const auto bad = [&](const std::string& what) { return out::fail(detail::at_line(s, e.line) + what); };
    sim::scenario_event ev;
    const auto find_in = [](const std::vector<std::string>& v, const std::string& x) {
      return static_cast<std::size_t>(std::find(v.begin(), v.end(), x) - v.begin());
    };
    if (e.action == "ambient") {
      const auto t = e.args.size() == 1 ? io::parse_double(e.args[0], io::exact) : std::nullopt;
      if (!t) {
        return bad("event 'ambient' takes one temperature in °C");
      }
      ev = sim::scenario_event::ambient(e.at, *t);
    } else if (e.action == "power") {
      const auto w = e.args.size() == 2 ? io::parse_double(e.args[1], io::exact) : std::nullopt;
      if (!w || node_index(e.args[0]) >= b->node_names.size()) {
        return bad("event 'power' takes a node name and watts");
      }
      ev = sim::scenario_event::node_power(e.at, node_index(e.args[0]), *w);
    } else if (e.action == "fan-failure" || e.action == "fan-restore") {
      std::size_t c = SIZE_MAX;
      for (std::size_t k = 0; e.args.size() == 1 && k < soc.cooling_devices.size(); ++k) {
        const auto& cd = soc.cooling_devices[k];
        if ((cd.node.substr(cd.node.rfind('/') + 1) == e.args[0] || cd.name == e.args[0]) &&
            (cd.type == schema::cooling_device_type::pwm_fan || cd.type == schema::cooling_device_type::gpio_fan)) {
          c = cooling[k];
        }
      }
      if (c == SIZE_MAX) {
        return bad("event '" + e.action + "' names no simulated fan");
      }
      ev = e.action == "fan-failure" ? sim::scenario_event::fan_failure(e.at, c) : sim::scenario_event::fan_restore(e.at, c);
    } else if (e.action == "sensor-fault" || e.action == "sensor-restore") {
      const std::size_t sn = e.args.empty() ? SIZE_MAX : find_in(sensor_names, e.args[0]);
      if (sn >= sensor_names.size()) {
        return bad("event '" + e.action + "' names no sensor");
      }
      if (e.action == "sensor-restore") {
        ev = sim::scenario_event::sensor_restore(e.at, sn);
      } else {
        sensor_fault f;
        const std::string kind = e.args.size() > 1 ? e.args[1] : "";
        bool has_value = false;  // the m°C argument of stuck and spike
        std::int32_t value = 0;
        if (e.args.size() == 3) {
          if (const auto v = io::parse_int(e.args[2], -300'000, 300'000, io::exact)) {
            has_value = true;
            value = static_cast<std::int32_t>(*v);
          }
        }
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
          return bad("event 'sensor-fault' takes SENSOR try_again | hard_error | stuck M°C | spike M°C");
        }
        ev = sim::scenario_event::sensor_failure(e.at, sn, f);
      }
    } else if (e.action == "zone-enable" || e.action == "zone-disable") {
      const std::size_t z = e.args.size() == 1 ? find_in(b->zone_names, e.args[0]) : SIZE_MAX;
      if (z >= b->zone_names.size()) {
        return bad("event '" + e.action + "' names no simulated zone");
      }
      ev = e.action == "zone-enable" ? sim::scenario_event::zone_enable(e.at, z) : sim::scenario_event::zone_disable(e.at, z);
    } else if (e.action == "trip") {
      const std::size_t z = e.args.size() == 3 ? find_in(b->zone_names, e.args[0]) : SIZE_MAX;
      const auto trip = e.args.size() == 3 ? io::parse_int(e.args[1], 0, 255, io::exact) : std::nullopt;
      const auto t = e.args.size() == 3 ? io::parse_int(e.args[2], -273'000, 200'000, io::exact) : std::nullopt;
      if (z >= b->zone_names.size() || !trip || !t) {
        return bad("event 'trip' takes ZONE TRIP-INDEX TEMPERATURE-m°C");
      }
      ev = sim::scenario_event::trip_temperature(e.at, z, static_cast<std::int32_t>(*trip), millicelsius(static_cast<std::int32_t>(*t)));
    } else {
      return bad("unknown event '" + e.action +
                 "' (ambient, power, fan-failure, fan-restore, sensor-fault, sensor-restore, zone-enable, zone-disable, trip)");
    }
    if (const error er = b->sim.add_event(ev); !er.ok()) {
      return bad("event '" + e.action + "': " + err_of(er));
    }
  }

  // ---- options, recorder, start
  sim::sim_options opt;
  opt.mode = s.fixed_step ? sim::time_mode::fixed_step : sim::time_mode::event_driven;
  opt.fixed_step = s.step;
  opt.record_interval = s.record_interval;
  opt.apply_cooling = s.apply_cooling;
  if (const error e = b->sim.set_options(opt); !e.ok()) {
    return out::fail(detail::at_line(s, 0) + "[run]: " + err_of(e));
  }
  const std::size_t rows =
      s.record_interval.count() > 0 ? static_cast<std::size_t>(s.duration / s.record_interval) + 16 : std::size_t{16};
  if (rows > 5'000'000) {
    return out::fail(detail::at_line(s, 0) + "[run]: duration / record_interval is above 5 million rows");
  }
  b->rec = sim::recorder(rows);
  b->sim.set_recorder(&b->rec);
  if (const error e = b->sim.start(); !e.ok()) {
    return out::fail(detail::at_line(s, 0) + "cannot start: " + err_of(e));
  }
  return out(std::move(b));
}

/// The metrics of a run as JSON (stable key order; numbers with 10 significant digits).
inline std::string metrics_json(const sim_bundle& b) {
  const auto m = b.sim.metrics();
  const auto num = [](double v) { return io::format_number(v, 10); };
  std::string s = "{\n  \"duration_s\": " + num(to_seconds(m.duration)) + ",\n  \"status\": \"" +
                  std::string(to_string(b.sim.status())) + "\",\n  \"energy_j\": " + num(m.energy_j) + ",\n  \"zones\": [";
  for (std::size_t z = 0; z < m.zones.size(); ++z) {
    const auto& zm = m.zones[z];
    s += std::string(z == 0 ? "" : ",") + "\n    {\"name\": \"" + b.zone_names[z] + "\", \"peak_c\": " + num(zm.peak_c) +
         ", \"peak_time_s\": " + num(to_seconds(zm.peak_time)) + ", \"updates\": " + std::to_string(zm.updates) +
         ", \"interrupts\": " + std::to_string(zm.interrupts) + ", \"read_failures\": " + std::to_string(zm.read_failures) +
         ", \"trips\": [";
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
  s += "\n  ]\n}\n";
  return s;
}

/// A short human summary of a run.
inline std::string metrics_summary(const sim_bundle& b) {
  const auto m = b.sim.metrics();
  std::string s;
  std::array<char, 256> buf{};
  const auto append = [&](int n) { s.append(buf.data(), n > 0 ? std::min(static_cast<std::size_t>(n), buf.size() - 1) : 0U); };
  append(std::snprintf(buf.data(), buf.size(), "simulated %.3f s (%s), energy %.3f J\n", to_seconds(m.duration),
                       std::string(to_string(b.sim.status())).c_str(), m.energy_j));
  for (std::size_t z = 0; z < m.zones.size(); ++z) {
    const auto& zm = m.zones[z];
    append(std::snprintf(buf.data(), buf.size(), "zone %-19s peak %7.2f °C at %.1f s, %u updates\n", b.zone_names[z].c_str(), zm.peak_c,
                         to_seconds(zm.peak_time), zm.updates));
  }
  for (std::size_t d = 0; d < m.domains.size(); ++d) {
    const auto& dm = m.domains[d];
    append(std::snprintf(buf.data(), buf.size(), "domain %-17s energy %8.3f J, work done %5.1f %% of unthrottled\n",
                         std::string(b.sim.domain(d).name()).c_str(), dm.energy_j, 100.0 * dm.work_ratio()));
  }
  return s;
}

inline constexpr std::string_view simulate_help = R"(usage: thermo simulate SCENARIO [--trace FILE.csv] [--metrics FILE.json] [--plot FILE.svg]

Runs a scenario file (docs/reference/scenario-format.md; examples in examples/scenarios/): a
thermal plant, a SoC (preset or device tree), sensors, zones and their governors, workloads and
scripted events. Writes the recorded trace (CSV), the metrics (JSON) and a plot (SVG), and
prints a summary. Output names default to the [output] section, else to the scenario's name
with .csv, .json and .svg in the current directory; each file is written whole or not at all.
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
  const std::vector<std::string_view> pos = a.positional();
  a.finish(f);
  if (f.message.empty() && pos.size() != 1) {
    f = {"simulate: give one scenario file (see thermo simulate --help)", exit_usage};
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  const std::string path(pos.front());
  const auto text = read_input(path);
  if (!text) {
    err << "thermo simulate: " << text.message() << '\n';
    return exit_failure;
  }
  auto scn = parse_scenario(*text, path);
  if (!scn) {
    err << "thermo simulate: " << scn.message() << '\n';
    return exit_failure;
  }
  auto src = scn->dtb.empty() ? load_preset(scn->preset) : load_dtb(detail::resolve(*scn, scn->dtb));
  if (!src) {
    err << "thermo simulate: " << detail::at_line(*scn, scn->soc_line) << src.message() << '\n';
    return exit_failure;
  }
  auto bundle = build_simulation(*scn, *src);
  if (!bundle) {
    err << "thermo simulate: " << bundle.message() << '\n';
    return exit_failure;
  }
  sim_bundle& b = **bundle;
  progress prog("thermo simulate");
  const int chunks = 200;
  for (int k = 1; k <= chunks; ++k) {
    const sim_time until = scn->duration * k / chunks;
    if (b.sim.run_until(until) != sim::run_status::running) {
      break;
    }
    prog.update(static_cast<double>(k) / chunks, std::to_string(static_cast<long long>(to_seconds(until))) + " s simulated");
  }
  prog.done();

  std::string stem = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  stem = stem.substr(0, stem.rfind('.'));
  const auto pick = [&](const std::optional<std::string_view>& opt, const std::string& in_file, const char* ext) {
    return opt ? std::string(*opt) : (in_file.empty() ? stem + ext : in_file);
  };
  std::ostringstream csv;
  io::write_csv(b.rec, csv);
  const std::vector<io::trip_line> trips = io::trip_lines(b.sim);
  io::run_plot_options po;
  po.title = scn->title.empty() ? stem : scn->title;
  const std::string svg = io::plot_run(b.rec, trips, po).render();
  for (const auto& [file, content] : {std::pair<std::string, std::string>{pick(trace_opt, scn->trace_file, ".csv"), csv.str()},
                                      std::pair<std::string, std::string>{pick(metrics_opt, scn->metrics_file, ".json"), metrics_json(b)},
                                      std::pair<std::string, std::string>{pick(plot_opt, scn->plot_file, ".svg"), svg}}) {
    if (const std::string e = write_file_atomically(file, content); !e.empty()) {
      err << "thermo simulate: " << e << '\n';
      return exit_failure;
    }
  }
  std::cout << metrics_summary(b);
  for (const std::string& n : b.notes) {
    std::cout << "note: " << n << '\n';
  }
  return exit_ok;
}

}  // namespace thermo::cli
