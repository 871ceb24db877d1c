// TEMPORARY stand-in for the scenario branch's run_metrics.hpp (same declared interface), so
// that the sweep builds before that branch is merged. Removed again before the merge.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "simulate.hpp"

namespace thermo::cli {

struct metric {
  std::string name;
  double value;
  std::string_view unit;
};

inline std::vector<metric> flat_metrics(const sim_bundle& b) {
  const auto m = b.sim.metrics();
  std::vector<metric> out;
  out.push_back({"energy_j", m.energy_j, "J"});
  for (std::size_t z = 0; z < m.zones.size(); ++z) {
    const std::string zn = "zone." + b.zone_names[z];
    out.push_back({zn + ".peak_c", m.zones[z].peak_c, "°C"});
    for (std::size_t t = 0; t < m.zones[z].trips.size(); ++t) {
      out.push_back({zn + ".trip" + std::to_string(t) + ".time_above_s", m.zones[z].trips[t].time_above_s, "s"});
    }
  }
  for (std::size_t d = 0; d < m.domains.size(); ++d) {
    out.push_back({"domain." + std::string(b.sim.domain(d).name()) + ".work_ratio", m.domains[d].work_ratio(), ""});
  }
  return out;
}

}  // namespace thermo::cli
