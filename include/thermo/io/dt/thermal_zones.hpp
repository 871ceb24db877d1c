/// @file thermal_zones.hpp
/// The device-tree import's thermal zones, trips and cooling maps, as drivers/thermal/
/// thermal_of.c reads them (kernel-reference §7): the available children of the
/// `thermal-zones` node (found by name anywhere in the tree), each a `schema::thermal_zone_desc`:
///
/// * name (≤ 19 characters), `polling-delay`, `polling-delay-passive` (not above the polling
///   delay unless that is 0), `thermal-sensors` (exactly one), `sustainable-power`,
///   `coefficients` (the zone's `slope`, `offset`; the first two cells), `critical-action`
///   (`on_critical`: "reboot" in any case, else shutdown — with a warning when it is neither);
/// * `trips` — temperature (−273000..200000 m°C), hysteresis (required), type; table order kept;
/// * `cooling-maps` — `trip`, `cooling-device` entries with their `#cooling-cells` arguments
///   (lower, upper), `contribution`. Each entry names the cooling device it binds
///   (io/dt/cpus.hpp, io/dt/devices.hpp), or −1.
///
/// A zone the kernel would refuse to register (a missing or bad trip property, a passive delay
/// above the polling delay, a long name, not exactly one sensor …) is a problem: skipped, or an
/// error with `dt_import_options::strict`. A broken cooling map only fails to bind, as in the
/// kernel: a dangling `trip` or a malformed `cooling-device` list binds nothing, an entry without
/// its two limits is skipped, a malformed `contribution` counts as 0 — each with a warning, as is
/// an entry naming a node thermo registers no cooling device for (other than a CPU that is not
/// its policy's first, which binds nothing in the kernel too).
///
/// Host-side. See docs/reference/device-tree.md.
#pragma once

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"
#include "thermo/io/dt/common.hpp"
#include "thermo/io/dt/cpus.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/io/text.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::io::dt {

namespace detail {

/// Why the kernel refuses a zone: the error and the property it is about.
struct refusal {
  error err;
  std::string_view property;

  [[nodiscard]] bool ok() const noexcept { return err.ok(); }
};

/// A zone's trips as they are read: tree nodes (what cooling maps name) and descriptions.
struct zone_trips {
  std::vector<std::int32_t> nodes;  ///< ascending (tree order)
  std::vector<schema::trip_desc> trips;
};

/// Appends trip node `tn` to `out`, or refuses the zone.
inline refusal import_trip(context& ctx, std::int32_t tn, zone_trips& out) {
  const fdt::tree& t = ctx.tree();
  schema::trip_desc d{};
  auto temp = read_u32(t, tn, "temperature");
  if (!temp) {
    return {temp.error(), "temperature"};
  }
  if (!*temp) {
    return {error{errc::not_found, "trip without temperature", tn}, "temperature"};
  }
  const auto tv = static_cast<std::int32_t>(**temp);
  if (tv < -273000 || tv > 200000) {
    return {property_error(t, errc::out_of_range, "trip temperature outside -273000..200000 m°C",
                           tn, "temperature"),
            "temperature"};
  }
  auto hyst = read_u32(t, tn, "hysteresis");
  if (!hyst) {
    return {hyst.error(), "hysteresis"};
  }
  if (!*hyst) {
    return {error{errc::not_found, "trip without hysteresis", tn}, "hysteresis"};
  }
  if (**hyst > 0x7FFF'FFFFU ||
      static_cast<std::int64_t>(tv) - static_cast<std::int64_t>(**hyst) <= -274000) {
    return {property_error(t, errc::out_of_range, "trip hysteresis reaches below absolute zero", tn,
                           "hysteresis"),
            "hysteresis"};
  }
  auto type = t.string(tn, "type");
  if (!type) {
    return {type.error().code == errc::not_found ? error{errc::not_found, "trip without type", tn}
                                                 : type.error(),
            "type"};
  }
  if (*type == "active") {
    d.type = schema::trip_type::active;
  } else if (*type == "passive") {
    d.type = schema::trip_type::passive;
  } else if (*type == "hot") {
    d.type = schema::trip_type::hot;
  } else if (*type == "critical") {
    d.type = schema::trip_type::critical;
  } else {
    return {property_error(t, errc::invalid_argument,
                           "unknown trip type (active, passive, hot or critical)", tn, "type"),
            "type"};
  }
  d.name = ctx.keep(std::string(t.at(tn).name));
  d.temperature = millicelsius(tv);
  d.hysteresis = millikelvin_delta(static_cast<std::int32_t>(**hyst));
  out.nodes.push_back(tn);
  out.trips.push_back(d);
  return {};
}

/// The cooling map at `mn`, or nullopt (with a warning) when it binds nothing.
inline std::optional<schema::cooling_map_desc> import_map(context& ctx, std::int32_t mn,
                                                          const zone_trips& trips,
                                                          const cpu_topology& cpus,
                                                          std::span<const cooling_device> cooling) {
  const fdt::tree& t = ctx.tree();
  const auto warn = [&](const error& e, std::string_view prop, std::string_view consequence) {
    ctx.warn(t.describe(e, prop) + ": " + std::string(consequence));
  };
  auto trip = t.phandle_target(mn, "trip");
  if (!trip) {
    warn(trip.error(), "trip", "the map binds nothing");
    return std::nullopt;
  }
  // trip nodes are children of one node, kept in tree order: ascending indices (O(log n) per map)
  const auto it = std::lower_bound(trips.nodes.begin(), trips.nodes.end(), *trip);
  if (it == trips.nodes.end() || *it != *trip) {
    ctx.warn(t.path(mn) + ": trip " + t.path(*trip) +
             " is not a trip of this zone: the map binds nothing");
    return std::nullopt;
  }
  schema::cooling_map_desc m{};
  m.trip = static_cast<std::uint16_t>(it - trips.nodes.begin());
  auto contribution = read_u32(t, mn, "contribution");
  if (!contribution) {
    warn(contribution.error(), "contribution", "weight 0 used");
  }
  m.contribution = contribution ? contribution->value_or(0) : 0U;
  auto list = parse_phandle_args(t, mn, "cooling-device", "#cooling-cells");
  if (!list) {
    warn(list.error(), "cooling-device", "the map binds nothing");
    return std::nullopt;
  }
  std::vector<schema::cooling_map_entry> entries;
  for (const dt_phandle_args& a : *list) {
    if (a.args.size() < 2) {
      ctx.warn(t.path(mn) + ": property 'cooling-device': entry for " + t.path(a.target) +
               " without its two limits (#cooling-cells must be 2): the entry binds nothing");
      continue;
    }
    schema::cooling_map_entry e{};
    e.device = ctx.keep(t.path(a.target));
    e.lower = a.args[0];
    e.upper = a.args[1];
    e.cooling_device = -1;
    for (std::size_t k = 0; k < cooling.size(); ++k) {
      if (cooling[k].node == a.target) {
        e.cooling_device = static_cast<std::int16_t>(k);
      }
    }
    if (e.cooling_device < 0 && !cpus.is_non_first_policy_cpu(a.target)) {
      ctx.warn(t.path(mn) + ": " + t.path(a.target) +
               " registers no cooling device thermo imports: the entry binds nothing");
    }
    entries.push_back(e);
  }
  m.name = ctx.keep(std::string(t.at(mn).name));
  m.devices = ctx.keep(std::move(entries));
  return m;
}

/// Fills `z` from zone node `zn`, or refuses the zone.
inline refusal import_zone(context& ctx, std::int32_t zn, const cpu_topology& cpus,
                           std::span<const cooling_device> cooling, schema::thermal_zone_desc& z) {
  const fdt::tree& t = ctx.tree();
  const std::string_view name = t.base_name(zn);
  if (name.size() >= control::name_length) {
    return {error{errc::invalid_argument,
                  "zone name longer than 19 characters (THERMAL_NAME_LENGTH)", zn},
            {}};
  }
  using delay = std::pair<const char*, milliseconds*>;
  for (const auto& [prop, dst] : {delay{"polling-delay", &z.polling_delay},
                                  delay{"polling-delay-passive", &z.polling_delay_passive}}) {
    auto v = read_u32(t, zn, prop);
    if (!v) {
      return {v.error(), prop};
    }
    if (v->value_or(0) > 0x7FFF'FFFFU) {
      return {property_error(t, errc::out_of_range, "delay above 2^31 ms", zn, prop), prop};
    }
    *dst = milliseconds(v->value_or(0));
  }
  if (z.polling_delay.count() != 0 && z.polling_delay_passive > z.polling_delay) {
    return {property_error(t, errc::invalid_argument,
                           "polling-delay-passive longer than polling-delay", zn,
                           "polling-delay-passive"),
            "polling-delay-passive"};
  }
  // thermal-sensors: exactly one <&sensor args…>
  {
    auto s = parse_phandle_args(t, zn, "thermal-sensors", "#thermal-sensor-cells");
    if (!s) {
      return {s.error(), "thermal-sensors"};
    }
    if (s->size() != 1) {
      return {property_error(t, errc::invalid_argument,
                             "thermal-sensors must name exactly one sensor", zn, "thermal-sensors"),
              "thermal-sensors"};
    }
    z.sensor = ctx.keep(t.path(s->front().target));
    const std::vector<std::uint32_t>& args = s->front().args;
    z.sensor_id = args.empty() ? -1 : static_cast<std::int32_t>(args.front() & 0x7FFF'FFFFU);
  }
  {
    auto v = read_u32(t, zn, "sustainable-power");
    if (!v) {
      return {v.error(), "sustainable-power"};
    }
    if (v->value_or(0) > 0x7FFF'FFFFU) {
      return {property_error(t, errc::out_of_range, "sustainable-power above 2^31 mW", zn,
                             "sustainable-power"),
              "sustainable-power"};
    }
    z.sustainable_power = milliwatts(static_cast<std::int32_t>(v->value_or(0)));
  }
  if (const fdt::property* p = t.find_property(zn, "coefficients");
      p != nullptr && p->value.size() >= 8) {
    z.slope = static_cast<std::int32_t>(fdt::load_be32(p->value.data()));
    z.offset = static_cast<std::int32_t>(fdt::load_be32(p->value.subspan(4).data()));
  }
  if (t.has(zn, "critical-action")) {
    if (auto a = t.string(zn, "critical-action")) {
      std::string lower(*a);
      std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      if (lower == "reboot") {
        z.on_critical = schema::critical_action::reboot;
      } else if (lower != "shutdown") {
        ctx.warn(t.path(zn) + ": unknown critical-action " + quoted(*a) + " means shutdown");
      }
    }
  }
  zone_trips trips;
  if (const auto node = t.child(zn, "trips")) {
    for (const std::int32_t tn : t.at(*node).children) {
      if (const refusal r = import_trip(ctx, tn, trips); !r.ok()) {
        return r;
      }
    }
  }
  std::vector<schema::cooling_map_desc> maps;
  if (const auto node = t.child(zn, "cooling-maps")) {
    for (const std::int32_t mn : t.at(*node).children) {
      if (auto m = import_map(ctx, mn, trips, cpus, cooling)) {
        maps.push_back(*m);
      }
    }
  }
  z.name = ctx.keep(std::string(name));
  z.trips = ctx.keep(std::move(trips.trips));
  z.cooling_maps = ctx.keep(std::move(maps));
  return {};
}

/// The first node named `name`, in tree order.
[[nodiscard]] inline std::optional<std::int32_t> find_by_name(const fdt::tree& t,
                                                              std::string_view name) {
  for (std::int32_t n = 0; static_cast<std::size_t>(n) < t.size(); ++n) {
    if (t.at(n).name == name) {
      return n;
    }
  }
  return std::nullopt;
}

}  // namespace detail

/// Reads the zones (see the file comment) whose cooling maps bind to `cooling`, the cooling
/// devices registered so far. Errors: in strict mode, the first refused zone.
[[nodiscard]] inline error import_zones(context& ctx, const cpu_topology& cpus,
                                        std::span<const cooling_device> cooling,
                                        std::vector<schema::thermal_zone_desc>& zones) {
  const fdt::tree& t = ctx.tree();
  const auto tz = detail::find_by_name(t, "thermal-zones");
  if (!tz) {
    return {};
  }
  for (const std::int32_t zn : t.at(*tz).children) {
    if (!t.available(zn)) {
      continue;
    }
    schema::thermal_zone_desc z{};
    if (const detail::refusal r = detail::import_zone(ctx, zn, cpus, cooling, z); !r.ok()) {
      if (const error e = ctx.problem(r.err, r.property, zn); !e.ok()) {
        return e;
      }
      continue;
    }
    zones.push_back(z);
  }
  return {};
}

}  // namespace thermo::io::dt
