// `thermo sweep --study FILE`: a study file holds what the command line would — the scenario,
// the design and the axes — in the scenario format's INI-like syntax:
//
//     [study]
//     scenario = rk3399-big-cores-flat-out.scn   # relative to the study file
//     design = cross                             # cross, zip or samples
//     samples = 100                              # with design = samples
//     seed = 1
//
//     [axes]
//     zone.cpu-thermal.sustainable_power = 1000:3000:5
//     zone.cpu-thermal.k_pu = 0.5:4:4:log
//
// Errors name the file and line. Host code.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "sweep_axes.hpp"

namespace thermo::cli::sweep {

/// What a study file says.
struct study_file {
  std::string scenario;  ///< resolved against the study file's folder
  design kind{design::cross};
  std::size_t samples{0};
  std::uint64_t seed{0};
  std::vector<axis> axes;
};

/// Parses a study file's text (`source` names it and gives the folder of `scenario`).
[[nodiscard]] inline outcome<study_file> parse_study(std::string_view text, const std::string& source) {
  using R = outcome<study_file>;
  study_file st;
  std::string section;
  bool has_design = false;
  bool has_samples = false;
  bool has_seed = false;
  std::size_t study_line = 0;
  const std::vector<std::string_view> lines = io::split_lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string at = source + ":" + std::to_string(i + 1) + ": ";
    const std::string_view l = detail::uncommented(lines[i]);
    if (l.empty()) {
      continue;
    }
    if (l.front() == '[') {
      if (l != "[study]" && l != "[axes]") {
        return R::fail(at + "unknown section " + io::quoted(l) + " ([study] or [axes])");
      }
      section = std::string(l.substr(1, l.size() - 2));
      if (section == "study") {
        if (study_line != 0) {
          return R::fail(at + "[study] appears twice (first at line " + std::to_string(study_line) + ")");
        }
        study_line = i + 1;
      }
      continue;
    }
    const auto eq = l.find('=');
    if (eq == std::string_view::npos || section.empty()) {
      return R::fail(at + (section.empty() ? "expected [study] or [axes]" : "expected 'key = value'"));
    }
    const std::string_view key = trim(l.substr(0, eq));
    const std::string_view value = trim(l.substr(eq + 1));
    if (section == "axes") {
      auto a = parse_axis(std::string(key) + "=" + std::string(value));
      if (!a) {
        return R::fail(at + a.message());
      }
      st.axes.push_back(std::move(*a));
      continue;
    }
    if (key == "scenario") {
      if (value.empty() || !st.scenario.empty()) {
        return R::fail(at + (value.empty() ? "scenario needs a file name" : "scenario given twice"));
      }
      const auto slash = source.rfind('/');
      st.scenario = value.front() == '/' || slash == std::string::npos ? std::string(value) : source.substr(0, slash + 1) + std::string(value);
    } else if (key == "design") {
      if (value != "cross" && value != "zip" && value != "samples") {
        return R::fail(at + "bad design " + io::quoted(value) + " (cross, zip or samples)");
      }
      st.kind = value == "cross" ? design::cross : (value == "zip" ? design::zip : design::latin_hypercube);
      has_design = true;
    } else if (key == "samples") {
      const auto n = io::parse_int(value, 1, static_cast<std::int64_t>(max_points), io::exact);
      if (!n) {
        return R::fail(at + "bad samples " + io::quoted(value) + " (an integer within 1.." + std::to_string(max_points) + ")");
      }
      st.samples = static_cast<std::size_t>(*n);
      has_samples = true;
    } else if (key == "seed") {
      const auto s = io::parse_int(value, 0, std::numeric_limits<std::int64_t>::max(), io::exact);
      if (!s) {
        return R::fail(at + "bad seed " + io::quoted(value) + " (an integer ≥ 0)");
      }
      st.seed = static_cast<std::uint64_t>(*s);
      has_seed = true;
    } else {
      return R::fail(at + "unknown key " + io::quoted(key) + " in [study] (scenario, design, samples, seed)");
    }
  }
  if (st.scenario.empty()) {
    return R::fail(source + ": no [study] scenario = FILE");
  }
  if (st.axes.empty()) {
    return R::fail(source + ": no axis: add KEY = VALUES lines under [axes]");
  }
  if ((st.kind == design::latin_hypercube) != has_samples || (has_seed && !has_samples)) {
    return R::fail(source + ": samples (and seed) go with design = samples, and design = samples needs samples");
  }
  (void)has_design;
  return st;
}

}  // namespace thermo::cli::sweep
