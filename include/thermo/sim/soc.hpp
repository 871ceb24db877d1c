/// @file soc.hpp
/// Builds the control side of a SoC description (schema/soc.hpp: a preset or a device-tree
/// import) into a `simulation`: the simulation's adapter of the kernel's OF binding
/// (control/thermal_of.hpp, which the `thermo` tool's replay and firmware use too). One power
/// domain per CPU cluster and per GPU (with their OPPs and power coefficient), the cooling
/// devices the kernel registers for them under the kernel's names, and the thermal zones with
/// their trips, delays, sustainable power, coefficients, critical action and cooling maps —
/// bound exactly as the kernel binds them (a repeated binding of one device to one trip is
/// refused with `already_exists` and skipped, as the kernel logs and skips it).
///
/// What a device tree does not say is the plant: the caller builds the RC network, says which
/// node each cluster/device heats, adds the sensors and passes one sensor and one governor per
/// zone. Fans (pwm-fan, gpio-fan) need plant data too (which conductance they drive) and are not
/// created here; add them with `simulation::add_fan` and bind them yourself.
///
/// `add_soc` builds everything; the pieces it is made of (`soc_domain`, `add_soc_cooling_device`,
/// `add_soc_zone`) build a part at a time, for a caller that simulates only some parts (the
/// `thermo simulate` tool: the parts a scenario gives heat to, the zones it gives a sensor).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "thermo/control/governor.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/model/leakage.hpp"
#include "thermo/schema/soc.hpp"
#include "thermo/sim/simulation.hpp"

namespace thermo::sim {

/// "Not created" in the index maps below.
inline constexpr std::size_t no_part = static_cast<std::size_t>(-1);

/// The power domain of a cluster: its OPPs, coefficient, CPU count and capacity; its heat goes
/// to `heat` (spans must outlive `add_domain`).
[[nodiscard]] inline domain_config soc_domain(const schema::cpu_cluster_desc& cl, std::span<const heat_share> heat,
                                              const leakage_params<double>& leakage = {}) noexcept {
  domain_config d;
  d.power = {cl.name, cl.opps, static_cast<double>(cl.dynamic_power_coefficient), cl.cpu_ids.size(), leakage,
             watts<double>(0.0)};
  d.heat = heat;
  d.cpu = true;
  d.cpu_capacity = cl.cpu_capacity;
  return d;
}

/// The power domain of a device (a GPU: one core).
[[nodiscard]] inline domain_config soc_domain(const schema::device_desc& dv, std::span<const heat_share> heat,
                                              const leakage_params<double>& leakage = {}) noexcept {
  domain_config d;
  d.power = {dv.name, dv.opps, static_cast<double>(dv.dynamic_power_coefficient), 1, leakage, watts<double>(0.0)};
  d.heat = heat;
  d.cpu = false;
  return d;
}

/// Adds the cooling device the kernel registers for `soc.cooling_devices[k]`, under the
/// kernel's type, on the domain that simulates its cluster (`cluster_domains`) or device
/// (`device_domains`). Returns its index, or `no_part` when it is not created here: a fan, or a
/// device whose cluster or device is not simulated (`no_part` in the map, or past its end).
/// Errors: those of `control::of_cooling` and of `add_cpufreq_cooling` / `add_devfreq_cooling`.
template <class Limits>
[[nodiscard]] result<std::size_t, error> add_soc_cooling_device(simulation<Limits>& sim,
                                                                 const schema::soc_description& soc, std::size_t k,
                                                                 std::span<const std::size_t> cluster_domains,
                                                                 std::span<const std::size_t> device_domains) noexcept {
  const auto c = control::of_cooling(soc, k);
  if (!c) {
    return c.error();
  }
  const bool cpu = c->kind == schema::cooling_device_type::cpufreq;
  if (!cpu && c->kind != schema::cooling_device_type::devfreq) {
    return no_part;
  }
  const std::span<const std::size_t> domains = cpu ? cluster_domains : device_domains;
  if (c->domain >= domains.size() || domains[c->domain] == no_part) {
    return no_part;
  }
  return cpu ? sim.add_cpufreq_cooling(domains[c->domain], c->type)
             : sim.add_devfreq_cooling(domains[c->domain], c->type);
}

/// What runs a zone that the description does not say.
struct soc_zone_run {
  std::size_t sensor{0};               ///< the simulation's sensor
  control::governor_ref governor{};    ///< user-owned (empty: no governor)
  bool enabled{true};                  ///< enabled at `start`
};

/// A zone `add_soc_zone` added.
struct soc_zone {
  std::size_t zone{0};               ///< the simulation's zone index
  std::size_t skipped_bindings{0};   ///< bindings refused with `already_exists` (kernel: −EEXIST)
};

/// Adds zone `zi` of `soc` (tz id `id`) as `control::of_zone` describes it, run by `run`, and
/// binds its cooling maps (`control::bind_cooling_maps`) to the simulation's cooling devices:
/// `cooling[k]` is the one for `soc.cooling_devices[k]`. A binding to a device the simulation
/// lacks (`no_part`, or past the end of `cooling`) is skipped and passed to `unbound`. Errors:
/// the binding that failed (with a default `binding` for the zone's own errors):
/// those of `control::of_zone`, of `add_zone` and of `bind` other than `already_exists`.
template <class Limits, class Unbound = void (*)(const control::of_binding&) noexcept>
[[nodiscard]] result<soc_zone, control::of_bind_error> add_soc_zone(
    simulation<Limits>& sim, const schema::soc_description& soc, std::size_t zi, std::int32_t id,
    const soc_zone_run& run, std::span<const std::size_t> cooling,
    Unbound&& unbound = [](const control::of_binding&) noexcept {}) noexcept(std::is_nothrow_invocable_v<Unbound&, const control::of_binding&>) {
  const schema::thermal_zone_desc& zd = soc.thermal_zones[zi];
  const auto plan = control::of_zone<Limits::trips>::make(zd, id);
  if (!plan) {
    return control::of_bind_error{plan.error(), {}};
  }
  zone_setup zs;
  zs.config = plan->config;
  zs.trips = plan->trip_span();
  zs.sensor = run.sensor;
  zs.governor = run.governor;
  zs.enabled = run.enabled;
  const auto z = sim.add_zone(zs);
  if (!z) {
    return control::of_bind_error{z.error(), {}};
  }
  const auto bound = control::bind_cooling_maps(zd, [&](const control::of_binding& b) -> result<std::int32_t, error> {
    if (b.cooling_device >= cooling.size() || cooling[b.cooling_device] == no_part) {
      unbound(b);
      return std::int32_t{-1};
    }
    return sim.bind(*z, b.trip, cooling[b.cooling_device], b.spec);
  });
  if (!bound) {
    return bound.error();
  }
  return soc_zone{*z, *bound};
}

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
  static constexpr std::size_t none = no_part;
  static_vector<std::size_t, MaxParts> cluster_domain{};  ///< per soc.clusters
  static_vector<std::size_t, MaxParts> device_domain{};   ///< per soc.devices
  static_vector<std::size_t, MaxParts> cooling{};         ///< per soc.cooling_devices
  static_vector<std::size_t, MaxParts> zone{};            ///< per soc.thermal_zones
  std::size_t skipped_bindings{0};                        ///< `already_exists` (kernel: −EEXIST)
};

/// Adds `soc`'s domains, cooling devices and zones to `sim` (before `start`); zone k gets tz id
/// k. Errors: `invalid_argument` "soc map sizes" (a span shorter than the preset's list; index
/// = which: 0 clusters, 1 devices, 2 zones, 3 governors), `capacity_exceeded` "soc parts", and
/// any error of the pieces above (a binding's other than `already_exists`).
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
  const auto add_domains = [&](const auto& descs, std::span<const std::size_t> nodes, auto& out) -> error {
    for (std::size_t k = 0; k < descs.size(); ++k) {
      const std::array<heat_share, 1> heat{{{nodes[k], 1.0}}};
      const auto r = sim.add_domain(soc_domain(descs[k], heat, map.leakage));
      if (!r) {
        return r.error();
      }
      static_cast<void>(out.push_back(*r));
    }
    return {};
  };
  if (const error e = add_domains(soc.clusters, map.cluster_nodes, parts.cluster_domain); !e.ok()) {
    return e;
  }
  if (const error e = add_domains(soc.devices, map.device_nodes, parts.device_domain); !e.ok()) {
    return e;
  }
  for (std::size_t k = 0; k < soc.cooling_devices.size(); ++k) {
    const auto c = add_soc_cooling_device(sim, soc, k, parts.cluster_domain, parts.device_domain);
    if (!c) {
      return c.error();
    }
    static_cast<void>(parts.cooling.push_back(*c));
  }
  for (std::size_t k = 0; k < soc.thermal_zones.size(); ++k) {
    const auto z = add_soc_zone(sim, soc, k, static_cast<std::int32_t>(k), {map.zone_sensors[k], map.governors[k], true},
                                parts.cooling);
    if (!z) {
      return z.error().cause;
    }
    static_cast<void>(parts.zone.push_back(z->zone));
    parts.skipped_bindings += z->skipped_bindings;
  }
  return parts;
}

}  // namespace thermo::sim
