/// @file devices.hpp
/// The device-tree import's devfreq devices and fans, with the cooling devices the kernel
/// registers for them (devfreq cooling, drivers/hwmon/pwm-fan.c, drivers/hwmon/gpio-fan.c;
/// kernel-reference §3.4, §3.6). The whole tree is walked in order, outside `/cpus`:
///
/// * **devices** — any available node with `operating-points-v2` (io/dt/opp.hpp) that has
///   `#cooling-cells` or is a GPU (node name `gpu`, or a compatible naming "mali" or "gpu"),
///   with `dynamic-power-coefficient` and its first `compatible`; with `#cooling-cells` it gets
///   a devfreq cooling device `devfreq-<unit address>.<name>`, one state per OPP.
/// * **fans** — `pwm-fan` (`cooling-levels`, each ≤ 255; a single state of PWM 255 without
///   them, with a warning) and `gpio-fan` (`gpio-fan,speed-map` pairs: RPM per state).
///
/// A device or fan the kernel would refuse (a bad OPP table, bad levels or speed map) is a
/// problem: skipped, or an error with `dt_import_options::strict`.
///
/// Host-side. See docs/reference/device-tree.md.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/io/dt/common.hpp"
#include "thermo/io/dt/cpus.hpp"
#include "thermo/io/dt/opp.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::io::dt {

/// A GPU: node name "gpu" or a compatible naming a GPU ("mali", "gpu").
[[nodiscard]] inline bool is_gpu(const fdt::tree& t, std::int32_t n) {
  if (t.base_name(n) == "gpu") {
    return true;
  }
  auto c = t.strings(n, "compatible");
  if (!c) {
    return false;
  }
  return std::any_of(c->begin(), c->end(), [](std::string_view x) {
    return x.find("mali") != std::string_view::npos || x.find("gpu") != std::string_view::npos;
  });
}

namespace detail {

/// A pwm-fan or gpio-fan at `n`: its cooling device, or a problem.
inline error add_fan(context& ctx, std::int32_t n, std::vector<cooling_device>& cooling) {
  const fdt::tree& t = ctx.tree();
  const bool pwm = t.is_compatible(n, "pwm-fan");
  cooling_device e;
  e.node = n;
  std::size_t states = 0;
  if (pwm) {
    std::vector<std::uint32_t> levels;
    if (t.has(n, "cooling-levels")) {
      auto v = t.cells(n, "cooling-levels");
      if (!v) {
        return ctx.problem(v.error(), "cooling-levels");
      }
      if (v->empty()) {
        return ctx.problem(errc::empty, "empty cooling-levels", n, "cooling-levels");
      }
      for (const std::uint32_t l : *v) {
        if (l > 255) {
          return ctx.problem(errc::out_of_range, "pwm-fan cooling level above 255", n,
                             "cooling-levels");
        }
      }
      levels = std::move(*v);
    } else {
      levels = {255};
      ctx.warn(t.path(n) + ": pwm-fan without cooling-levels has a single state");
    }
    states = levels.size();
    e.desc.name = "pwm-fan";
    e.desc.type = schema::cooling_device_type::pwm_fan;
    e.desc.cooling_levels = ctx.keep(std::move(levels));
  } else {
    auto v = t.cells(n, "gpio-fan,speed-map");
    if (!v) {
      return ctx.problem(v.error(), "gpio-fan,speed-map");
    }
    if (v->empty() || v->size() % 2 != 0) {
      return ctx.problem(errc::parse_error,
                         "gpio-fan,speed-map is not a list of (rpm, value) pairs", n,
                         "gpio-fan,speed-map");
    }
    std::vector<std::uint32_t> speeds;
    for (std::size_t k = 0; k < v->size(); k += 2) {
      speeds.push_back((*v)[k]);
    }
    states = speeds.size();
    e.desc.name = "gpio-fan";
    e.desc.type = schema::cooling_device_type::gpio_fan;
    e.desc.fan_speeds = ctx.keep(std::move(speeds));
  }
  e.desc.node = ctx.keep(t.path(n));
  e.desc.domain = -1;
  e.desc.max_state = static_cast<std::uint32_t>(states - 1);
  cooling.push_back(e);
  return {};
}

/// A device with an OPP table at `n`: its description and, with `#cooling-cells`, its devfreq
/// cooling device; or a problem.
inline error add_devfreq(context& ctx, opp_tables& tables, std::int32_t n,
                         std::vector<schema::device_desc>& devices,
                         std::vector<cooling_device>& cooling) {
  const fdt::tree& t = ctx.tree();
  auto k = tables.load_named_by(ctx, n, "operating-points-v2 points back at the device itself");
  if (!k) {
    return ctx.problem(k.error().err, k.error().property);
  }
  auto coeff = read_power_coefficient(t, n);
  if (!coeff) {
    return ctx.problem(coeff.error(), "dynamic-power-coefficient");
  }
  auto compatible = read_string(t, n, "compatible");
  if (!compatible) {
    return ctx.problem(compatible.error(), "compatible");
  }
  const opp_table& table = tables[*k];
  schema::device_desc d{};
  d.name = ctx.keep(std::string(t.base_name(n)));
  d.node = ctx.keep(t.path(n));
  d.compatible = ctx.keep(std::move(*compatible));
  d.dynamic_power_coefficient = *coeff;
  d.opp_table = ctx.keep(t.path(table.node));
  d.opps = table.opps;
  const auto index = devices.size();
  devices.push_back(d);
  if (!t.has(n, "#cooling-cells")) {
    return {};  // a GPU without #cooling-cells: a power domain, no cooling device
  }
  const std::string_view unit = t.unit_address(n);
  const std::string name(t.base_name(n));
  cooling_device e;
  e.node = n;
  e.desc.name = ctx.keep("devfreq-" + (unit.empty() ? name : std::string(unit) + "." + name));
  e.desc.node = d.node;
  e.desc.type = schema::cooling_device_type::devfreq;
  e.desc.domain = static_cast<std::int16_t>(index);
  e.desc.max_state = static_cast<std::uint32_t>(table.opps.size() - 1);
  cooling.push_back(e);
  return {};
}

}  // namespace detail

/// Walks the tree for devfreq devices and fans (see the file comment), in tree order, skipping
/// `/cpus`. Errors: in strict mode, the first refused device or fan.
[[nodiscard]] inline error import_devices(context& ctx, opp_tables& tables,
                                          const cpu_topology& cpus,
                                          std::vector<schema::device_desc>& devices,
                                          std::vector<cooling_device>& cooling) {
  const fdt::tree& t = ctx.tree();
  for (std::int32_t n = 1; static_cast<std::size_t>(n) < t.size(); ++n) {
    if (!t.available(n) || cpus.contains(t, n)) {
      continue;
    }
    if (t.is_compatible(n, "pwm-fan") || t.is_compatible(n, "gpio-fan")) {
      if (const error e = detail::add_fan(ctx, n, cooling); !e.ok()) {
        return e;
      }
      continue;
    }
    if (t.has(n, "operating-points-v2") && (t.has(n, "#cooling-cells") || is_gpu(t, n))) {
      if (const error e = detail::add_devfreq(ctx, tables, n, devices, cooling); !e.ok()) {
        return e;
      }
    }
  }
  return {};
}

}  // namespace thermo::io::dt
