/// @file soc.hpp
/// Builds the control side of a SoC description (schema/soc.hpp: a preset or a device-tree
/// import) into a `simulation`: one power domain per CPU cluster and per GPU (with their OPPs
/// and power coefficient), the cooling devices the kernel registers for them, and the thermal
/// zones with their trips, delays, sustainable power and cooling maps — bound exactly as the
/// kernel binds them (a repeated binding of one device to one trip is refused with
/// `already_exists` and skipped, as the kernel logs and skips it).
///
/// What a device tree does not say is the plant: the caller builds the RC network, says which
/// node each cluster/device heats, adds the sensors and passes one sensor and one governor per
/// zone. Fans (pwm-fan, gpio-fan) need plant data too (which conductance they drive) and are not
/// created here; add them with `simulation::add_fan` and bind them yourself.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/control/governor.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/model/leakage.hpp"
#include "thermo/schema/soc.hpp"
#include "thermo/sim/simulation.hpp"

namespace thermo::sim {

/// Where a preset's parts sit in the plant, and what runs each zone.
struct soc_plant_map {
  std::span<const std::size_t> cluster_nodes{};  ///< heated node per `soc.clusters` entry
  std::span<const std::size_t> device_nodes{};   ///< heated node per `soc.devices` entry
  std::span<const std::size_t> zone_sensors{};   ///< sensor index per `soc.thermal_zones` entry
  std::span<const control::governor_ref> governors{};  ///< governor per zone (empty ref = none)
  leakage_params<double> leakage{};              ///< applied to every domain (off by default)
};

/// Indices of what `add_soc` created (`none` for a part it did not create).
template <std::size_t MaxParts>
struct soc_parts {
  static constexpr std::size_t none = static_cast<std::size_t>(-1);
  static_vector<std::size_t, MaxParts> cluster_domain{};  ///< per soc.clusters
  static_vector<std::size_t, MaxParts> device_domain{};   ///< per soc.devices
  static_vector<std::size_t, MaxParts> cooling{};         ///< per soc.cooling_devices
  static_vector<std::size_t, MaxParts> zone{};            ///< per soc.thermal_zones
  std::size_t skipped_bindings{0};                        ///< `already_exists` (kernel: −EEXIST)
};

/// Adds `soc`'s domains, cooling devices and zones to `sim` (before `start`). Errors:
/// `invalid_argument` "soc map sizes" (a span shorter than the preset's list; index = which:
/// 0 clusters, 1 devices, 2 zones, 3 governors), `capacity_exceeded` "soc parts", and any error
/// of the simulation's `add_*`/`bind` (other than `already_exists` for a binding).
template <class Limits, std::size_t MaxParts = 8>
[[nodiscard]] result<soc_parts<MaxParts>, error> add_soc(simulation<Limits>& sim, const schema::soc_description& soc,
                                                         const soc_plant_map& map) noexcept {
  using parts_type = soc_parts<MaxParts>;
  if (map.cluster_nodes.size() < soc.clusters.size()) {
    return error{errc::invalid_argument, "soc map sizes", 0};
  }
  if (map.device_nodes.size() < soc.devices.size()) {
    return error{errc::invalid_argument, "soc map sizes", 1};
  }
  if (map.zone_sensors.size() < soc.thermal_zones.size()) {
    return error{errc::invalid_argument, "soc map sizes", 2};
  }
  if (map.governors.size() < soc.thermal_zones.size()) {
    return error{errc::invalid_argument, "soc map sizes", 3};
  }
  if (soc.clusters.size() > MaxParts || soc.devices.size() > MaxParts || soc.cooling_devices.size() > MaxParts ||
      soc.thermal_zones.size() > MaxParts) {
    return error{errc::capacity_exceeded, "soc parts"};
  }
  parts_type parts;
  for (std::size_t k = 0; k < soc.clusters.size(); ++k) {
    const schema::cpu_cluster_desc& cl = soc.clusters[k];
    const std::array<heat_share, 1> heat{{{map.cluster_nodes[k], 1.0}}};
    domain_config d;
    d.power = {cl.name, cl.opps, static_cast<double>(cl.dynamic_power_coefficient), cl.cpu_ids.size(), map.leakage,
               watts<double>(0.0)};
    d.heat = heat;
    d.cpu = true;
    d.cpu_capacity = cl.cpu_capacity;
    auto r = sim.add_domain(d);
    if (!r) {
      return r.error();
    }
    static_cast<void>(parts.cluster_domain.push_back(*r));
  }
  for (std::size_t k = 0; k < soc.devices.size(); ++k) {
    const schema::device_desc& dv = soc.devices[k];
    const std::array<heat_share, 1> heat{{{map.device_nodes[k], 1.0}}};
    domain_config d;
    d.power = {dv.name, dv.opps, static_cast<double>(dv.dynamic_power_coefficient), 1, map.leakage, watts<double>(0.0)};
    d.heat = heat;
    d.cpu = false;
    auto r = sim.add_domain(d);
    if (!r) {
      return r.error();
    }
    static_cast<void>(parts.device_domain.push_back(*r));
  }
  for (const schema::cooling_device_desc& c : soc.cooling_devices) {
    std::size_t index = parts_type::none;
    if (c.type == schema::cooling_device_type::cpufreq && c.domain >= 0) {
      auto r = sim.add_cpufreq_cooling(parts.cluster_domain[static_cast<std::size_t>(c.domain)], c.name);
      if (!r) {
        return r.error();
      }
      index = *r;
    } else if (c.type == schema::cooling_device_type::devfreq && c.domain >= 0) {
      auto r = sim.add_devfreq_cooling(parts.device_domain[static_cast<std::size_t>(c.domain)], c.name);
      if (!r) {
        return r.error();
      }
      index = *r;
    }
    static_cast<void>(parts.cooling.push_back(index));
  }
  for (std::size_t k = 0; k < soc.thermal_zones.size(); ++k) {
    const schema::thermal_zone_desc& zd = soc.thermal_zones[k];
    if (zd.trips.size() > Limits::trips) {
      return error{errc::capacity_exceeded, "more trips than the zone's capacity", static_cast<std::int32_t>(k)};
    }
    std::array<control::thermal_trip, Limits::trips> trips{};
    for (std::size_t i = 0; i < zd.trips.size(); ++i) {
      trips[i].temperature = zd.trips[i].temperature;
      trips[i].hysteresis = zd.trips[i].hysteresis;
      trips[i].type = static_cast<control::trip_type>(zd.trips[i].type);
    }
    zone_setup zs;
    zs.config.id = static_cast<std::int32_t>(k);
    zs.config.type = zd.name;
    zs.config.polling_delay = zd.polling_delay;
    zs.config.passive_delay = zd.polling_delay_passive;
    zs.config.tzp.sustainable_power = zd.sustainable_power.count();
    zs.config.tzp.slope = zd.slope;
    zs.config.tzp.offset = zd.offset;
    zs.config.on_critical = zd.on_critical == schema::critical_action::reboot
                                ? control::critical_action::reboot
                                : control::critical_action::shutdown;
    zs.trips = std::span<const control::thermal_trip>(trips.data(), zd.trips.size());
    zs.sensor = map.zone_sensors[k];
    zs.governor = map.governors[k];
    auto z = sim.add_zone(zs);
    if (!z) {
      return z.error();
    }
    static_cast<void>(parts.zone.push_back(*z));
    for (const schema::cooling_map_desc& cm : zd.cooling_maps) {
      for (const schema::cooling_map_entry& e : cm.devices) {
        if (e.cooling_device < 0) {
          continue;
        }
        const std::size_t c = parts.cooling[static_cast<std::size_t>(e.cooling_device)];
        if (c == parts_type::none) {
          continue;
        }
        control::cooling_spec spec;
        spec.lower = e.lower;
        spec.upper = e.upper;
        spec.weight = cm.contribution;
        auto b = sim.bind(*z, static_cast<std::int32_t>(cm.trip), c, spec);
        if (!b) {
          if (b.error().code == errc::already_exists) {
            ++parts.skipped_bindings;
            continue;
          }
          return b.error();
        }
      }
    }
  }
  return parts;
}

}  // namespace thermo::sim
