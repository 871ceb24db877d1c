// The `[zone NAME]` keys of a scenario applied to the SoC: a copy of the zone the preset or the
// device tree describes, with the scenario's sustainable power, polling delays, trip
// temperatures and hysteresis and cooling-map weights and limits (owned by the sim_bundle), and
// the power allocator's gains written after the zone is registered, as sysfs writes them. The
// device-side code is not changed: the zone is built from the copy by the one mapping
// (sim/soc.hpp). Host code.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "scenario.hpp"
#include "sim_bundle.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::cli::detail {

/// "x.scn:12: " for a line of `s` (0: the file).
inline std::string zone_at(const io::scenario& s, std::size_t line) {
  return s.source + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": ";
}

/// Whether `z` changes anything of its zone's description (trips, maps, delays, sustainable power).
inline bool changes_description(const io::scenario_zone& z) {
  return z.sustainable_power || z.polling_delay || z.passive_delay || !z.trips.empty() || !z.maps.empty();
}

/// `b.soc`: `soc` with the zones the scenario's [zone] keys change replaced by copies owned by
/// `b`. The message of the first key that does not fit the SoC (a trip or map index past the
/// zone's, a cooling state past a device's), naming its line, or "".
inline std::string apply_zone_overrides(const io::scenario& s, const schema::soc_description& soc, sim_bundle& b) {
  b.soc = soc;
  b.soc_zones.assign(soc.thermal_zones.begin(), soc.thermal_zones.end());
  for (const io::scenario_zone& z : s.zones) {
    const schema::thermal_zone_desc* found = soc.find_zone(z.name);
    if (found == nullptr || !changes_description(z)) {
      continue;  // an unknown zone is reported by the builder
    }
    schema::thermal_zone_desc& zd = b.soc_zones[static_cast<std::size_t>(found - soc.thermal_zones.data())];
    const std::string where = "[zone " + z.name + "] ";
    if (z.sustainable_power) {
      zd.sustainable_power = milliwatts(*z.sustainable_power);
    }
    if (z.polling_delay) {
      zd.polling_delay = *z.polling_delay;
    }
    if (z.passive_delay) {
      zd.polling_delay_passive = *z.passive_delay;
    }
    std::vector<schema::trip_desc>& trips = b.soc_trips.emplace_back(zd.trips.begin(), zd.trips.end());
    for (const io::scenario_trip_override& t : z.trips) {
      if (t.index >= trips.size()) {
        return zone_at(s, t.line) + where + "trip" + std::to_string(t.index) + ": the zone has " +
               (trips.empty() ? std::string("no trips")
                              : std::to_string(trips.size()) + " trip" + (trips.size() == 1 ? "" : "s") + " (trip0..trip" +
                                    std::to_string(trips.size() - 1) + ")");
      }
      if (t.temperature) {
        trips[t.index].temperature = millicelsius(*t.temperature);
      }
      if (t.hysteresis) {
        trips[t.index].hysteresis = millikelvin_delta(*t.hysteresis);
      }
    }
    zd.trips = trips;
    std::vector<schema::cooling_map_desc>& maps = b.soc_maps.emplace_back(zd.cooling_maps.begin(), zd.cooling_maps.end());
    for (const io::scenario_map_override& m : z.maps) {
      if (m.index >= maps.size()) {
        return zone_at(s, m.line) + where + "map" + std::to_string(m.index) + ": the zone has " +
               (maps.empty() ? std::string("no cooling maps")
                             : std::to_string(maps.size()) + " cooling map" + (maps.size() == 1 ? "" : "s") + " (map0..map" +
                                   std::to_string(maps.size() - 1) + ")");
      }
      schema::cooling_map_desc& map = maps[m.index];
      if (m.weight) {
        map.contribution = *m.weight;
      }
      if (!m.lower && !m.upper) {
        continue;
      }
      std::vector<schema::cooling_map_entry>& entries = b.soc_map_entries.emplace_back(map.devices.begin(), map.devices.end());
      for (schema::cooling_map_entry& e : entries) {
        e.lower = m.lower.value_or(e.lower);
        e.upper = m.upper.value_or(e.upper);
        if (e.cooling_device < 0 || static_cast<std::size_t>(e.cooling_device) >= soc.cooling_devices.size()) {
          continue;  // binds nothing (kernel-reference §3.3)
        }
        const schema::cooling_device_desc& cd = soc.cooling_devices[static_cast<std::size_t>(e.cooling_device)];
        const auto over = [&](std::uint32_t state) { return state != schema::thermal_no_limit && state > cd.max_state; };
        const std::string key = "map" + std::to_string(m.index);
        if (over(e.lower) || over(e.upper)) {
          return zone_at(s, z.line_of(key + (over(e.lower) ? "_min" : "_max"))) + where + key + (over(e.lower) ? "_min" : "_max") +
                 ": " + std::string(cd.name) + " has cooling states 0.." + std::to_string(cd.max_state);
        }
        if (e.lower != schema::thermal_no_limit && e.upper != schema::thermal_no_limit && e.lower > e.upper) {
          return zone_at(s, z.line_of(m.lower ? key + "_min" : key + "_max")) + where + key + "_min " + std::to_string(e.lower) +
                 " is above " + key + "_max " + std::to_string(e.upper) + " (the kernel refuses the binding: -EINVAL)";
        }
      }
      map.devices = entries;
    }
    zd.cooling_maps = maps;
  }
  b.soc.thermal_zones = b.soc_zones;
  return {};
}

/// The power allocator's gains of [zone] `z` (k_po, k_pu, k_i, k_d, integral_cutoff), written
/// to zone `zone` of the simulation after it is registered — as sysfs writes them — and the
/// warnings of gains that will not act as given. The message of a refused value, or "".
inline std::string apply_pid_gains(const io::scenario& s, const io::scenario_zone& z, std::size_t zone, sim_bundle& b) {
  const bool any = z.k_po || z.k_pu || z.k_i || z.k_d || z.integral_cutoff;
  if (!any) {
    return {};
  }
  const std::string where = "[zone " + z.name + "]: ";
  if (z.governor != "power_allocator") {
    b.warnings.push_back(zone_at(s, z.line) + where + "k_po, k_pu, k_i, k_d and integral_cutoff are the power allocator's; governor " +
                         z.governor + " does not use them");
  }
  control::thermal_zone_device& tz = b.sim.zone(zone);
  control::pid_gains g = control::get_pid_gains(tz);
  g.k_po = z.k_po.value_or(g.k_po);
  g.k_pu = z.k_pu.value_or(g.k_pu);
  g.k_i = z.k_i.value_or(g.k_i);
  g.k_d = z.k_d.value_or(g.k_d);
  g.integral_cutoff = z.integral_cutoff.value_or(g.integral_cutoff);
  if (const error e = control::set_pid_gains(tz, g); !e.ok()) {
    return zone_at(s, z.line) + where + "PID gains refused: " + e.what;
  }
  if (z.governor == "power_allocator" && tz.params().sustainable_power == 0 && (z.k_po || z.k_pu || z.k_i)) {
    b.warnings.push_back(zone_at(s, z.line_of(z.k_po ? "k_po" : (z.k_pu ? "k_pu" : "k_i"))) + where +
                         "the zone has no sustainable power, so the allocator estimates one at its first round and "
                         "re-estimates k_po, k_pu and k_i from it, replacing the values given here (as the kernel "
                         "does); give sustainable_power to keep them");
  }
  return {};
}

}  // namespace thermo::cli::detail
