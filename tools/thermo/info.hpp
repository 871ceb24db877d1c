// `thermo info`: what thermo (and Linux 6.12) builds from a device tree or a preset — cpufreq
// policies, Energy Models, cooling devices, thermal zones with their trips and cooling maps —
// plus everything the import skipped or ignored. Host code.
#pragma once

#include <cmath>
#include <cstdint>
#include <iostream>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "system_source.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/jsonl.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::cli {

namespace detail {
inline std::string limit_text(std::uint32_t v) { return v == schema::thermal_no_limit ? "no-limit" : std::to_string(v); }
inline std::string_view trip_type_name(schema::trip_type t) {
  switch (t) {
    case schema::trip_type::active:
      return "active";
    case schema::trip_type::passive:
      return "passive";
    case schema::trip_type::hot:
      return "hot";
    case schema::trip_type::critical:
      return "critical";
  }
  return "?";
}
inline std::string_view cooling_type_name(schema::cooling_device_type t) {
  switch (t) {
    case schema::cooling_device_type::cpufreq:
      return "cpufreq";
    case schema::cooling_device_type::devfreq:
      return "devfreq";
    case schema::cooling_device_type::pwm_fan:
      return "pwm-fan";
    case schema::cooling_device_type::gpio_fan:
      return "gpio-fan";
  }
  return "?";
}

/// Why a domain has no Energy Model, for `info`: " (no dynamic-power-coefficient or
/// opp-microwatt)" when the device tree gives no power, else " (WHAT)".
inline std::string no_em_reason(const error& e) {
  return e.code == errc::not_supported ? std::string(" (no dynamic-power-coefficient or opp-microwatt)") : " (" + std::string(e.what) + ")";
}

/// Efficiency of a perf state: capacity per watt for a CPU domain (`perf` units at `power`),
/// MHz per watt (cycles per µJ) for a device.
inline double efficiency(const power::em_perf_state& st, bool cpu) {
  const double w = static_cast<double>(st.power.count()) * 1e-6;
  return (cpu ? static_cast<double>(st.performance) : static_cast<double>(st.frequency.count()) / 1000.0) / w;
}

/// The Energy Model table of one domain, one row per OPP (indented under its policy or device):
/// frequency, voltage, power as the EM computes it (`floor(C · mV² · MHz / 10⁶)` µW per CPU, or
/// the OPP's `opp-microwatt`), and for CPUs the performance, the kernel's cost and efficiency.
inline std::string em_table(std::span<const power::opp> opps, std::uint32_t coefficient, std::span<const power::em_perf_state> em,
                            bool cpu, const schema::cpu_cluster_desc* cluster) {
  std::string s;
  const bool explicit_power = !opps.empty() && opps.front().power.count() != 0;
  s += explicit_power ? "  Energy Model: P from opp-microwatt"
                      : "  Energy Model: P = C·V²·f, C = " + std::to_string(coefficient) + " µW/(MHz·V²) (dynamic-power-coefficient)";
  s += cpu ? ", per CPU; cost = 10·P/perf (Linux 6.9+)\n" : "\n";
  s += io::format_printf("  %10s %9s %12s", "kHz", "mV", "power µW");
  s += cpu ? io::format_printf(" %6s %10s %10s\n", "perf", "cost", "perf/W") : io::format_printf(" %10s\n", "MHz/W");
  for (std::size_t i = 0; i < em.size() && i < opps.size(); ++i) {
    const power::em_perf_state& st = em[i];
    s += io::format_printf("  %10u %9s %12lld", st.frequency.count(),
                           io::format_number(static_cast<double>(opps[i].voltage.count()) / 1000.0, 7).c_str(),
                           static_cast<long long>(st.power.count()));
    if (cpu) {
      s += io::format_printf(" %6u %10llu %10.1f", st.performance, static_cast<unsigned long long>(st.cost), efficiency(st, true));
      if (st.inefficient()) {
        s += "  inefficient";
      }
      if (cluster != nullptr && cluster->is_turbo(st.frequency)) {
        s += "  turbo";
      }
    } else {
      s += io::format_printf(" %10.1f", efficiency(st, false));
    }
    s += '\n';
  }
  return s;
}

/// A small JSON writer for `info --json`: two-space indentation, keys in the order written.
class json_text {
 public:
  json_text& open(char bracket) {
    item();
    s_ += bracket;
    first_.push_back(true);
    return *this;
  }
  json_text& close(char bracket) {
    const bool empty = first_.back();
    first_.pop_back();
    if (!empty) {
      newline();
    }
    s_ += bracket;
    return *this;
  }
  json_text& key(std::string_view k) {
    item();
    s_ += io::json_string(k) + ": ";
    pending_key_ = true;
    return *this;
  }
  json_text& str(std::string_view v) { return raw(io::json_string(io::printable(v, 100'000))); }
  json_text& num(std::int64_t v) { return raw(std::to_string(v)); }
  json_text& num(double v) { return raw(std::isfinite(v) ? io::format_number(v, 10) : std::string("null")); }
  json_text& boolean(bool v) { return raw(v ? "true" : "false"); }
  json_text& null() { return raw("null"); }
  /// An array of integers on one line: [0, 1, 2].
  json_text& numbers(std::span<const std::uint32_t> v) {
    std::string a = "[";
    for (std::size_t i = 0; i < v.size(); ++i) {
      a += (i == 0 ? "" : ", ") + std::to_string(v[i]);
    }
    return raw(a + "]");
  }
  template <class T>
  json_text& field(std::string_view k, T v) {
    key(k);
    if constexpr (std::is_same_v<T, bool>) {
      return boolean(v);
    } else if constexpr (std::is_floating_point_v<T>) {
      return num(static_cast<double>(v));
    } else if constexpr (std::is_integral_v<T>) {
      return num(static_cast<std::int64_t>(v));
    } else {
      return str(v);
    }
  }
  [[nodiscard]] std::string done() { return std::move(s_) + "\n"; }

 private:
  json_text& raw(const std::string& v) {
    item();
    s_ += v;
    return *this;
  }
  void newline() {
    s_ += '\n';
    s_.append(2 * first_.size(), ' ');
  }
  /// Before a value or key: a comma and line break unless it follows a key or opens a container.
  void item() {
    if (pending_key_) {
      pending_key_ = false;
      return;
    }
    if (!first_.empty()) {
      if (!first_.back()) {
        s_ += ',';
      }
      first_.back() = false;
      newline();
    }
  }
  std::string s_;
  std::vector<bool> first_;
  bool pending_key_{false};
};
}  // namespace detail

/// The summary text of a source.
inline std::string info_text(const system_source& src) {
  const schema::soc_description& d = src.description();
  std::string s;
  s += "soc: " + std::string(d.id) + " (" + std::string(d.name) + ")";
  if (!d.model.empty()) {
    s += ", model \"" + io::printable(d.model, 200) + "\"";  // a string of the blob: escaped
  }
  s += '\n';
  for (std::size_t k = 0; k < d.clusters.size(); ++k) {
    const auto& c = d.clusters[k];
    s += "cpufreq policy " + std::string(c.name) + ": cpus";
    for (const std::uint32_t id : c.cpu_ids) {
      s += ' ' + std::to_string(id);
    }
    s += ", " + std::to_string(c.opps.size()) + " OPPs " + std::to_string(c.opps.front().frequency.count()) + ".." +
         std::to_string(c.opps.back().frequency.count()) + " kHz, capacity " + std::to_string(c.cpu_capacity);
    auto em = schema::make_cluster_em(c);
    if (em) {
      s += ", EM " + std::to_string(em->states().front().power.count()) + ".." +
           std::to_string(em->states().back().power.count()) + " uW per CPU\n";
      s += detail::em_table(c.opps, c.dynamic_power_coefficient, em->states(), true, &c);
    } else {
      s += ", no Energy Model" + detail::no_em_reason(em.error()) + "\n";
    }
  }
  for (const auto& dv : d.devices) {
    s += "device " + std::string(dv.name) + " " + std::string(dv.node) + ": " + std::to_string(dv.opps.size()) + " OPPs";
    auto em = schema::make_device_em(dv);
    if (em) {
      s += ", Energy Model\n" + detail::em_table(dv.opps, dv.dynamic_power_coefficient, em->states(), false, nullptr);
    } else {
      s += ", no Energy Model" + detail::no_em_reason(em.error()) + "\n";
    }
  }
  for (const auto& c : d.cooling_devices) {
    s += "cooling device " + std::string(c.name) + " on " + std::string(c.node) + ": max_state " + std::to_string(c.max_state) + '\n';
  }
  for (const auto& z : d.thermal_zones) {
    s += "zone " + std::string(z.name) + ": polling " + std::to_string(z.polling_delay.count()) + " ms, passive " +
         std::to_string(z.polling_delay_passive.count()) + " ms";
    if (z.sustainable_power.count() != 0) {
      s += ", sustainable-power " + std::to_string(z.sustainable_power.count()) + " mW";
    }
    s += ", sensor " + std::string(z.sensor);
    if (z.sensor_id >= 0) {
      s += " " + std::to_string(z.sensor_id);
    }
    s += '\n';
    for (std::size_t t = 0; t < z.trips.size(); ++t) {
      const auto& tr = z.trips[t];
      s += "  trip " + std::to_string(t) + " " + std::string(tr.name) + ": " + std::to_string(tr.temperature.count()) +
           " m°C, hysteresis " + std::to_string(tr.hysteresis.count()) + ", " + std::string(detail::trip_type_name(tr.type)) +
           '\n';
    }
    for (const auto& m : z.cooling_maps) {
      s += "  map " + std::string(m.name) + ": trip " + std::to_string(m.trip);
      if (m.contribution != 0) {
        s += ", contribution " + std::to_string(m.contribution);
      }
      s += '\n';
      for (const auto& e : m.devices) {
        s += "    " + std::string(e.device) + " <" + detail::limit_text(e.lower) + " " + detail::limit_text(e.upper) + "> ";
        s += e.cooling_device >= 0 ? "-> " + std::string(d.cooling_devices[static_cast<std::size_t>(e.cooling_device)].name)
                                   : std::string("binds nothing");
        s += '\n';
      }
    }
  }
  if (const io::dt_soc* dt = src.dt()) {
    for (const io::dt_problem& p : dt->problems()) {
      s += "not registered: " + p.message + '\n';
    }
    for (const std::string& w : dt->warnings()) {
      s += "note: " + w + '\n';
    }
  }
  return s;
}

namespace detail {
/// The OPPs of a domain with their Energy Model states (or without, when it has none).
inline void json_opps(json_text& j, std::span<const power::opp> opps, const power::em_perf_state* em, bool cpu,
                      const schema::cpu_cluster_desc* cluster) {
  j.key("opps").open('[');
  for (std::size_t i = 0; i < opps.size(); ++i) {
    j.open('{').field("frequency_khz", opps[i].frequency.count()).field("voltage_uv", opps[i].voltage.count());
    if (opps[i].power.count() != 0) {
      j.field("opp_microwatt", opps[i].power.count());
    }
    if (cluster != nullptr) {
      j.field("turbo", cluster->is_turbo(opps[i].frequency));
    }
    if (em != nullptr) {
      const power::em_perf_state& st = em[i];
      j.field("power_uw", st.power.count());
      if (cpu) {
        j.field("performance", st.performance).field("cost", st.cost).field("efficiency_perf_per_w", efficiency(st, true));
        j.field("inefficient", st.inefficient());
      } else {
        j.field("efficiency_mhz_per_w", efficiency(st, false));
      }
    }
    j.close('}');
  }
  j.close(']');
}
}  // namespace detail

/// The whole description as JSON (`info --json`): the SoC, its clusters and devices with every
/// OPP and its Energy Model state, cooling devices, zones with delays, sustainable power, trips
/// and cooling maps, then what the import did not register or ignored. Keys in a fixed order;
/// absent limits (`THERMAL_NO_LIMIT`) are null; strings escaped as `info` prints them.
inline std::string info_json(const system_source& src) {
  const schema::soc_description& d = src.description();
  detail::json_text j;
  j.open('{');
  j.key("soc").open('{').field("id", d.id).field("name", d.name).field("model", d.model).close('}');
  j.key("clusters").open('[');
  for (const auto& c : d.clusters) {
    j.open('{').field("name", c.name).field("compatible", c.compatible);
    j.key("cpus").numbers(c.cpu_ids);
    j.field("capacity", c.cpu_capacity).field("capacity_dmips_mhz", c.capacity_dmips_mhz);
    j.field("dynamic_power_coefficient", c.dynamic_power_coefficient).field("opp_table", c.opp_table);
    auto em = schema::make_cluster_em(c);
    j.field("energy_model", em.has_value());
    if (!em) {
      j.field("energy_model_error", std::string_view(em.error().what));
    }
    detail::json_opps(j, c.opps, em ? em->states().data() : nullptr, true, &c);
    j.close('}');
  }
  j.close(']');
  j.key("devices").open('[');
  for (const auto& dv : d.devices) {
    j.open('{').field("name", dv.name).field("node", dv.node).field("compatible", dv.compatible);
    j.field("dynamic_power_coefficient", dv.dynamic_power_coefficient).field("opp_table", dv.opp_table);
    auto em = schema::make_device_em(dv);
    j.field("energy_model", em.has_value());
    if (!em) {
      j.field("energy_model_error", std::string_view(em.error().what));
    }
    detail::json_opps(j, dv.opps, em ? em->states().data() : nullptr, false, nullptr);
    j.close('}');
  }
  j.close(']');
  j.key("cooling_devices").open('[');
  for (const auto& c : d.cooling_devices) {
    j.open('{').field("name", c.name).field("node", c.node).field("type", detail::cooling_type_name(c.type));
    j.field("max_state", c.max_state).close('}');
  }
  j.close(']');
  j.key("zones").open('[');
  for (const auto& z : d.thermal_zones) {
    j.open('{').field("name", z.name).field("polling_delay_ms", z.polling_delay.count());
    j.field("polling_delay_passive_ms", z.polling_delay_passive.count());
    j.key("sustainable_power_mw");
    z.sustainable_power.count() != 0 ? j.num(static_cast<std::int64_t>(z.sustainable_power.count())) : j.null();
    j.field("sensor", z.sensor).key("sensor_id");
    z.sensor_id >= 0 ? j.num(static_cast<std::int64_t>(z.sensor_id)) : j.null();
    j.key("trips").open('[');
    for (const auto& tr : z.trips) {
      j.open('{').field("name", tr.name).field("temperature_mc", tr.temperature.count());
      j.field("hysteresis_mc", tr.hysteresis.count()).field("type", detail::trip_type_name(tr.type)).close('}');
    }
    j.close(']');
    j.key("cooling_maps").open('[');
    for (const auto& m : z.cooling_maps) {
      j.open('{').field("name", m.name).field("trip", m.trip).key("contribution");
      m.contribution != 0 ? j.num(static_cast<std::int64_t>(m.contribution)) : j.null();
      j.key("devices").open('[');
      for (const auto& e : m.devices) {
        j.open('{').field("device", e.device);
        for (const auto& [k, v] : {std::pair{"lower", e.lower}, std::pair{"upper", e.upper}}) {
          j.key(k);
          v == schema::thermal_no_limit ? j.null() : j.num(static_cast<std::int64_t>(v));
        }
        j.key("cooling_device");
        e.cooling_device >= 0 ? j.str(d.cooling_devices[static_cast<std::size_t>(e.cooling_device)].name) : j.null();
        j.close('}');
      }
      j.close(']').close('}');
    }
    j.close(']').close('}');
  }
  j.close(']');
  j.key("not_registered").open('[');
  if (const io::dt_soc* dt = src.dt()) {
    for (const io::dt_problem& p : dt->problems()) {
      j.open('{').field("node", std::string_view(p.node)).field("message", std::string_view(p.message)).close('}');
    }
  }
  j.close(']');
  j.key("notes").open('[');
  if (const io::dt_soc* dt = src.dt()) {
    for (const std::string& w : dt->warnings()) {
      j.str(w);
    }
  }
  j.close(']');
  j.close('}');
  return j.done();
}

inline constexpr std::string_view info_help = R"(usage: thermo info (--dtb FILE.dtb | --soc PRESET) [--json]

Prints what thermo builds from a device tree (as Linux 6.12 does) or a built-in preset: cpufreq
policies and their Energy Models (per OPP: frequency, voltage, power, performance, cost and
efficiency), devfreq devices, cooling devices, thermal zones with trips and cooling maps, then
the zones and devices the kernel would not register and anything ignored.

  --json                print the whole description as one JSON object instead
)";

/// `thermo info …`.
inline int info_main(std::vector<std::string_view> argv, std::ostream& err) {
  args a("info", std::move(argv));
  if (a.wants_help()) {
    std::cout << info_help;
    return exit_ok;
  }
  failure f;
  const auto dtb = a.take("--dtb", f);
  const auto soc = a.take("--soc", f);
  const bool json = a.flag("--json");
  a.finish(f);
  if (f.message.empty() && dtb.has_value() == soc.has_value()) {
    f = {"info: give exactly one of --dtb FILE and --soc PRESET (see thermo info --help)", exit_usage};
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  auto src = dtb ? load_dtb(std::string(*dtb)) : load_preset(*soc);
  if (!src) {
    err << "thermo info: " << src.message() << '\n';
    return dtb ? exit_failure : exit_usage;
  }
  std::cout << (json ? info_json(*src) : info_text(*src));
  return std::cout ? exit_ok : exit_failure;
}

}  // namespace thermo::cli
