// `thermo info`: what thermo (and Linux 6.12) builds from a device tree or a preset — cpufreq
// policies, Energy Models, cooling devices, thermal zones with their trips and cooling maps —
// plus everything the import skipped or ignored. Host code.
#pragma once

#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "system_source.hpp"
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
           std::to_string(em->states().back().power.count()) + " uW per CPU";
    } else {
      s += ", no Energy Model";
    }
    s += '\n';
  }
  for (const auto& dv : d.devices) {
    s += "device " + std::string(dv.name) + " " + std::string(dv.node) + ": " + std::to_string(dv.opps.size()) + " OPPs";
    s += schema::make_device_em(dv) ? ", Energy Model\n" : ", no Energy Model\n";
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

inline constexpr std::string_view info_help = R"(usage: thermo info (--dtb FILE.dtb | --soc PRESET)

Prints what thermo builds from a device tree (as Linux 6.12 does) or a built-in preset: cpufreq
policies and their Energy Models, devfreq devices, cooling devices, thermal zones with trips and
cooling maps, then the zones and devices the kernel would not register and anything ignored.
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
  std::cout << info_text(*src);
  return std::cout ? exit_ok : exit_failure;
}

}  // namespace thermo::cli
