// dtpm_budget: how the kernel's DTPM splits a power budget over a real SoC's perf domains as the
// budget changes (power/power_budget.hpp, kernel-reference §5).
//
//   dtpm_budget [--soc NAME] [--step MW] [--csv FILE.csv] [--plot FILE.svg]
//               (defaults: rk3399, 25 mW, dtpm_budget.csv, dtpm_budget.svg)
//
// Builds the SoC's DTPM tree (soc → package → one leaf per CPU cluster and per GPU with an
// Energy Model, as drivers/soc/rockchip/dtpm.c does for the RK3399), then sweeps the root's
// power limit from its minimum to its maximum. For every budget it records each leaf's share,
// the OPP it is capped at and the power that OPP really allows. Prints a readable table at ten
// budgets and what the split wastes to OPP granularity; writes every budget as CSV and plots
// power limits and frequency caps against the budget. Exit codes: 0 ok, 1 a file could not be
// written, 2 bad usage or unknown SoC.
#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "example_cli.hpp"
#include "thermo/io/svg_plot.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/power/power_budget.hpp"
#include "thermo/presets/all.hpp"

namespace {

using thermo::microwatts;
using thermo::power::em_perf_domain;

constexpr std::string_view usage_text =
    "usage: dtpm_budget [--soc NAME] [--step MW] [--csv FILE.csv] [--plot FILE.svg]\n"
    "How the kernel's DTPM splits a power budget over a preset SoC's perf domains.\n"
    "  --soc NAME       a preset SoC (default rk3399)\n"
    "  --step MW        the budget step in mW (default 25)\n"
    "  --csv FILE.csv   every budget as CSV (default dtpm_budget.csv)\n"
    "  --plot FILE.svg  power limits and frequency caps (default dtpm_budget.svg)\n";

int usage(const std::string& problem) {
  example_cli::bad_usage("dtpm_budget", problem, usage_text);
  std::fprintf(stderr, "known SoCs:");
  for (const auto* s : thermo::presets::all_socs) {
    std::fprintf(stderr, " %.*s", static_cast<int>(s->id.size()), s->id.data());
  }
  std::fprintf(stderr, "\n");
  return 2;
}

struct leaf {
  std::string name;
  std::uint32_t cpus = 0;  // 0 for a device
  em_perf_domain<> em;
  thermo::power::dtpm_id id{};
};

// One budget of the sweep.
struct sample {
  long long budget_uw = 0;
  long long granted_uw = 0;  // Σ of the leaves' achievable limits
  std::vector<long long> limit_uw;
  std::vector<unsigned> freq_mhz;
  std::vector<std::size_t> state;
};

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string soc_id = "rk3399";
  long long step_mw = 25;
  std::string csv_path = "dtpm_budget.csv";
  std::string plot_path = "dtpm_budget.svg";
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (i + 1 >= argc && (a == "--soc" || a == "--step" || a == "--csv" || a == "--plot")) {
      return usage("missing value after " + std::string(a));
    }
    if (a == "--soc") {
      soc_id = argv[++i];
    } else if (a == "--step") {
      const std::string_view v = argv[++i];
      const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), step_mw);
      if (ec != std::errc{} || ptr != v.data() + v.size() || step_mw <= 0) {
        return usage("bad --step '" + std::string(v) + "' (a positive whole number of mW)");
      }
    } else if (a == "--csv") {
      csv_path = argv[++i];
    } else if (a == "--plot") {
      plot_path = argv[++i];
    } else {
      return usage(example_cli::unknown_argument(a));
    }
  }
  const auto* soc = thermo::presets::find_soc(soc_id);
  if (soc == nullptr) {
    return usage("unknown SoC '" + soc_id + "'");
  }

  // The tree: soc → package → a leaf per domain with an Energy Model.
  // [tree]
  std::vector<leaf> leaves;
  for (const auto& cl : soc->clusters) {
    if (auto em = thermo::schema::make_cluster_em(cl)) {
      leaves.push_back(
          {std::string(cl.name), static_cast<std::uint32_t>(cl.cpu_ids.size()), *em, {}});
    }
  }
  for (const auto& dev : soc->devices) {
    if (auto em = thermo::schema::make_device_em(dev)) {  // no coefficient: no EM, not a leaf
      leaves.push_back({std::string(dev.name), 0, *em, {}});
    }
  }
  thermo::power::power_budget<16> budget;
  const auto root = *budget.add_virtual(soc->id);
  const auto package = *budget.add_virtual("package", root);
  for (leaf& l : leaves) {
    l.id = l.cpus != 0 ? *budget.add_cpu(l.name, package, l.em.view())
                       : *budget.add_devfreq(l.name, package, l.em.view());
  }
  // [tree]
  const long long min_mw = budget.power_min(root).count() / 1000;
  const long long max_mw = budget.power_max(root).count() / 1000;

  // The sweep, from the maximum down (as a thermal controller would lower it): the exact
  // maximum, then whole multiples of the step, then the exact minimum.
  // [sweep]
  std::vector<long long> budgets_uw{budget.power_max(root).count()};
  for (long long b = max_mw / step_mw * step_mw; b * 1000 > budget.power_min(root).count();
       b -= step_mw) {
    if (b * 1000 < budgets_uw.back()) {
      budgets_uw.push_back(b * 1000);
    }
  }
  budgets_uw.push_back(budget.power_min(root).count());
  std::vector<sample> sweep;
  for (const long long b_uw : budgets_uw) {
    const auto change = budget.set_power_limit(root, microwatts(b_uw));
    if (!change) {
      std::fprintf(stderr, "dtpm_budget: %s\n", change.error().what);
      return 2;
    }
    sample s{b_uw, change->limit.count(), {}, {}, {}};
    for (const leaf& l : leaves) {
      s.limit_uw.push_back(budget.power_limit(l.id).count());
      s.freq_mhz.push_back(budget.leaf_frequency(l.id).count() / 1000);
      s.state.push_back(budget.leaf_state(l.id));
    }
    sweep.push_back(std::move(s));
  }
  // [sweep]

  // Summary.
  std::printf(
      "%.*s — DTPM budget split\n(Linux 6.12 rules: share = budget x weight / 1024, weight from "
      "each leaf's max power;\n"
      "a leaf takes the highest OPP whose power for all its CPUs fits its share)\n\n",
      static_cast<int>(soc->name.size()), soc->name.data());
  std::printf("Leaves (power for all CPUs of the domain):\n");
  for (const leaf& l : leaves) {
    std::printf("  %-8s %s, %zu OPPs, %lld .. %lld mW, weight %u/1024\n", l.name.c_str(),
                l.cpus != 0 ? (std::to_string(l.cpus) + " CPUs").c_str() : "device",
                l.em.nr_perf_states(),
                static_cast<long long>(budget.power_min(l.id).count() / 1000),
                static_cast<long long>(budget.power_max(l.id).count() / 1000), budget.weight(l.id));
  }
  std::printf("  root     %lld .. %lld mW; sweep step %lld mW, %zu budgets\n\n", min_mw, max_mw,
              step_mw, sweep.size());
  std::printf("%9s %9s %6s", "budget", "granted", "unused");
  for (const leaf& l : leaves) {
    std::printf("  %16s", (l.name + " mW@MHz").c_str());
  }
  std::printf("\n");
  double unused_sum = 0.0;
  long long unused_max = 0;
  for (std::size_t i = 0; i < sweep.size(); ++i) {
    const sample& s = sweep[i];
    const long long unused_mw = (s.budget_uw - s.granted_uw) / 1000;
    unused_sum += static_cast<double>(unused_mw);
    unused_max = std::max(unused_max, unused_mw);
    const std::size_t every = std::max<std::size_t>(1, (sweep.size() - 1) / 9);
    if (i % every != 0 && i + 1 != sweep.size()) {
      continue;
    }
    std::printf("%6lld mW %6lld mW %4lld%%", s.budget_uw / 1000, s.granted_uw / 1000,
                (s.budget_uw - s.granted_uw) * 100 / std::max(1LL, s.budget_uw));
    for (std::size_t k = 0; k < leaves.size(); ++k) {
      std::printf("  %8lld @ %5u", s.limit_uw[k] / 1000, s.freq_mhz[k]);
    }
    std::printf("\n");
  }
  std::printf(
      "\nOPP granularity: on average %.0f mW of the budget (at worst %lld mW) cannot be used: no "
      "leaf\n"
      "may take a higher OPP without exceeding its share, and DTPM does not hand the rest to "
      "others.\n",
      unused_sum / static_cast<double>(sweep.size()), unused_max);
  for (std::size_t k = 0; k < leaves.size(); ++k) {
    // The highest budget at which the leaf is no longer at its top OPP.
    long long first_cap = -1;
    for (const sample& s : sweep) {
      if (s.state[k] + 1 < leaves[k].em.nr_perf_states()) {
        first_cap = s.budget_uw / 1000;
        break;
      }
    }
    std::printf("  %-8s is held below its top OPP from a %lld mW budget down\n",
                leaves[k].name.c_str(), first_cap);
  }

  // CSV: one row per budget.
  {
    example_cli::output_file f_file(csv_path);
    std::ostream& f = f_file.stream();
    f << "budget_uw,granted_uw";
    for (const leaf& l : leaves) {
      f << ',' << l.name << "_limit_uw," << l.name << "_freq_mhz," << l.name << "_opp";
    }
    f << '\n';
    for (const sample& s : sweep) {
      f << s.budget_uw << ',' << s.granted_uw;
      for (std::size_t k = 0; k < leaves.size(); ++k) {
        f << ',' << s.limit_uw[k] << ',' << s.freq_mhz[k] << ',' << s.state[k];
      }
      f << '\n';
    }
    if (const std::string e = f_file.commit(); !e.empty()) {
      std::fprintf(stderr, "dtpm_budget: %s\n", e.c_str());
      return 1;
    }
  }

  // Plot: limits and frequency caps against the budget (ascending; a leaf's colour is the same
  // in both panels).
  const std::vector<std::string> colours{"#ff7f0e", "#2ca02c", "#d62728",
                                         "#9467bd", "#8c564b", "#e377c2"};
  thermo::io::svg_figure fig(std::string(soc->name) + " — DTPM budget split", 960, 330);
  std::vector<double> x;
  std::vector<double> granted;
  for (auto it = sweep.rbegin(); it != sweep.rend(); ++it) {
    x.push_back(static_cast<double>(it->budget_uw) / 1000.0);
    granted.push_back(static_cast<double>(it->granted_uw) / 1000.0);
  }
  auto series = [&](std::size_t k, auto field) {
    std::vector<double> y;
    for (auto it = sweep.rbegin(); it != sweep.rend(); ++it) {
      y.push_back(field(*it, k));
    }
    return thermo::io::line_series{.name = leaves[k].name,
                                   .x = x,
                                   .y = std::move(y),
                                   .step = true,
                                   .color = colours[k % colours.size()]};
  };
  auto& pp = fig.add_panel("package power budget (mW)", "power limit (mW)");
  pp.add({.name = "granted (sum)",
          .x = x,
          .y = granted,
          .step = true,
          .dashed = true,
          .color = "#1f77b4"});
  for (std::size_t k = 0; k < leaves.size(); ++k) {
    pp.add(series(k, [](const sample& s, std::size_t i) {
      return static_cast<double>(s.limit_uw[i]) / 1000.0;
    }));
  }
  auto& fp = fig.add_panel("package power budget (mW)", "frequency cap (MHz)");
  for (std::size_t k = 0; k < leaves.size(); ++k) {
    fp.add(series(
        k, [](const sample& s, std::size_t i) { return static_cast<double>(s.freq_mhz[i]); }));
  }
  if (fig.save(plot_path) != thermo::errc::ok) {
    std::fprintf(stderr, "dtpm_budget: cannot write %s\n", plot_path.c_str());
    return 1;
  }
  std::printf("\nCSV written to %s, plot to %s\n", csv_path.c_str(), plot_path.c_str());
  return 0;
}
