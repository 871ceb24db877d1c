/// @file thermal_of.hpp
/// The kernel's OF thermal binding (`drivers/thermal/thermal_of.c`) of a described SoC — a
/// `schema::soc_description`: a preset, a device-tree import or your own — onto the control
/// objects. The one mapping that every target shares: the simulation (sim/soc.hpp), the
/// `thermo` tool's replay (its zone and real cooling-device drivers) and firmware.
///
/// * `of_zone<MaxTrips>::make(zone, id)` — what `thermal_of_zone_register` sets up: the zone's
///   type (its node name), polling and passive delays, sustainable power, `coefficients`
///   (slope, offset), critical action, and its trips.
/// * `of_cooling(soc, k)` — the cooling device the kernel registers for
///   `soc.cooling_devices[k]`: its type, the kernel's whole name ("devfreq-ff9a0000.gpu", never
///   cut), its kind and the cluster or device it cools.
/// * `bind_cooling_maps(zone, bind)` — the zone's cooling maps as bindings, in device-tree order:
///   each entry that names a registered cooling device, with its limits and the map's
///   contribution as weight. An entry that binds nothing (a CPU that is not its policy's first)
///   is skipped; a second binding of one device to one trip is refused by the zone
///   (`already_exists`, the kernel's −EEXIST) and counted, not fatal.
///
/// The description does not say which sensor, governor or cooling-device drivers to use: the
/// caller creates those and performs each binding in its `bind` callback. Device-safe: no heap,
/// no exceptions, no RTTI; everything is `constexpr`. See docs/reference/control.md ("Building
/// from a SoC description").
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <type_traits>

#include "thermo/control/instance.hpp"
#include "thermo/control/trip.hpp"
#include "thermo/control/types.hpp"
#include "thermo/control/zone_types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/static_vector.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::control {

/// The control side's trip type of a description's (the same kernel values).
[[nodiscard]] constexpr trip_type to_trip_type(schema::trip_type t) noexcept {
  return static_cast<trip_type>(static_cast<std::uint8_t>(t));
}

/// What the default critical handler asks for (`critical-action`: "reboot", else shutdown).
[[nodiscard]] constexpr critical_action to_critical_action(schema::critical_action a) noexcept {
  return a == schema::critical_action::reboot ? critical_action::reboot : critical_action::shutdown;
}

/// A trip point as the zone holds it.
[[nodiscard]] constexpr thermal_trip to_trip(const schema::trip_desc& t) noexcept {
  return thermal_trip{t.temperature, t.hysteresis, to_trip_type(t.type)};
}

/// A zone as `thermal_of_zone_register` sets it up, for a zone of at most `MaxTrips` trips.
template <std::size_t MaxTrips>
struct of_zone {
  zone_config config{};                           ///< type, delays, parameters, critical action
  static_vector<thermal_trip, MaxTrips> trips{};  ///< in the description's order

  /// The zone described by `zone`, registered under `id` (the kernel's tz id). The type is the
  /// zone's node name as it is: `thermal_zone::setup` refuses one of 20 characters or more, as
  /// the kernel does. `capacity_exceeded` "more trips than the zone's capacity" (index `id`)
  /// past `MaxTrips`, as `thermal_zone::setup` says it.
  [[nodiscard]] static constexpr result<of_zone, error> make(const schema::thermal_zone_desc& zone,
                                                             std::int32_t id) noexcept {
    if (zone.trips.size() > MaxTrips) {
      return error{errc::capacity_exceeded, "more trips than the zone's capacity", id};
    }
    of_zone z;
    z.config.id = id;
    z.config.type = zone.name;
    z.config.polling_delay = zone.polling_delay;
    z.config.passive_delay = zone.polling_delay_passive;
    z.config.tzp.sustainable_power = zone.sustainable_power.count();
    z.config.tzp.slope = zone.slope;
    z.config.tzp.offset = zone.offset;
    z.config.on_critical = to_critical_action(zone.on_critical);
    for (const schema::trip_desc& t : zone.trips) {
      static_cast<void>(z.trips.push_back(to_trip(t)));
    }
    return z;
  }

  /// The trips, as `thermal_zone::setup` takes them.
  [[nodiscard]] constexpr std::span<const thermal_trip> trip_span() const noexcept {
    return {trips.data(), trips.size()};
  }
};

/// The last component of a device-tree path ("/soc/gpu@ff9a0000" → "gpu@ff9a0000"): the node
/// name cooling maps and users write.
[[nodiscard]] constexpr std::string_view of_node_name(std::string_view path) noexcept {
  const std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

/// The cooling device the kernel registers for one `cooling_device_desc`, and what it cools.
struct of_cooling_device {
  const schema::cooling_device_desc* desc{nullptr};
  std::string_view type{};  ///< the kernel's whole type ("cpufreq-cpu0", "devfreq-ff9a0000.gpu")
  schema::cooling_device_type kind{schema::cooling_device_type::cpufreq};
  std::size_t domain{0};                             ///< cluster (cpufreq) or device (devfreq) index
  const schema::cpu_cluster_desc* cluster{nullptr};  ///< cpufreq: the policy's cluster
  const schema::device_desc* device{nullptr};        ///< devfreq: the device
};

/// The cooling device for `soc.cooling_devices[k]`. Errors (index `k`): `out_of_range`
/// "cooling device" (no such entry), `out_of_range` "cooling device domain" (a cpufreq device
/// naming no cluster, a devfreq device naming no device), `invalid_argument` "cooling device
/// type longer than 31 characters" (thermo's bound, `cdev_type_length`: refused, not cut).
[[nodiscard]] constexpr result<of_cooling_device, error> of_cooling(const schema::soc_description& soc,
                                                                    std::size_t k) noexcept {
  const auto index = static_cast<std::int32_t>(k);
  if (k >= soc.cooling_devices.size()) {
    return error{errc::out_of_range, "cooling device", index};
  }
  const schema::cooling_device_desc& d = soc.cooling_devices[k];
  of_cooling_device c;
  c.desc = &d;
  c.type = d.name;
  c.kind = d.type;
  if (d.name.size() >= cdev_type_length) {
    return error{errc::invalid_argument, "cooling device type longer than 31 characters", index};
  }
  static_assert(cdev_type_length == 32, "the message above states the limit");
  const bool cpu = d.type == schema::cooling_device_type::cpufreq;
  if (cpu || d.type == schema::cooling_device_type::devfreq) {
    const std::size_t parts = cpu ? soc.clusters.size() : soc.devices.size();
    if (d.domain < 0 || static_cast<std::size_t>(d.domain) >= parts) {
      return error{errc::out_of_range, "cooling device domain", index};
    }
    c.domain = static_cast<std::size_t>(d.domain);
    if (cpu) {
      c.cluster = &soc.clusters[c.domain];
    } else {
      c.device = &soc.devices[c.domain];
    }
  }
  return c;
}

/// One cooling-map entry as the kernel binds it.
struct of_binding {
  std::int32_t trip{0};                               ///< index into the zone's trips
  std::size_t cooling_device{0};                      ///< index into `soc.cooling_devices`
  cooling_spec spec{};                                ///< the entry's limits, the map's weight
  const schema::cooling_map_desc* map{nullptr};       ///< where it comes from
  const schema::cooling_map_entry* entry{nullptr};
};

/// A binding that failed, and why.
struct of_bind_error {
  error cause{};
  of_binding binding{};
};

namespace detail {
[[nodiscard]] constexpr error error_of(const error& e) noexcept { return e; }
[[nodiscard]] constexpr error error_of(errc e) noexcept { return error{e}; }
template <class T>
[[nodiscard]] constexpr error error_of(const result<T, error>& r) noexcept {
  return r ? error{} : r.error();
}
}  // namespace detail

/// What a `bind_cooling_maps` callback may return: an `error`, an `errc` or a `result<T,
/// error>` (the zone's and the simulation's `bind` return the instance id).
template <class F>
concept OfBinder = std::invocable<F&, const of_binding&> && requires(F& f, const of_binding& b) {
  { detail::error_of(f(b)) } -> std::same_as<error>;
};

/// Calls `bind` for every binding of `zone`'s cooling maps, in device-tree order (maps, then
/// their entries), skipping entries that name no cooling device. `bind` performs it (or skips
/// it, returning success, when its target does not have that device). Returns how many
/// `bind` refused with `already_exists` (the kernel's −EEXIST: a device named twice for one
/// trip is bound once), or the first other error with the binding that caused it.
/// O(entries) calls.
template <OfBinder Bind>
constexpr result<std::size_t, of_bind_error> bind_cooling_maps(const schema::thermal_zone_desc& zone, Bind&& bind) {
  std::size_t refused = 0;
  for (const schema::cooling_map_desc& map : zone.cooling_maps) {
    for (const schema::cooling_map_entry& entry : map.devices) {
      if (entry.cooling_device < 0) {
        continue;
      }
      const of_binding b{static_cast<std::int32_t>(map.trip), static_cast<std::size_t>(entry.cooling_device),
                         cooling_spec{entry.lower, entry.upper, map.contribution}, &map, &entry};
      const error e = detail::error_of(bind(b));
      if (e.code == errc::already_exists) {
        ++refused;
      } else if (!e.ok()) {
        return of_bind_error{e, b};
      }
    }
  }
  return refused;
}

}  // namespace thermo::control
