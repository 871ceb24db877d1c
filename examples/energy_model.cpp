// energy_model: the Linux 6.12 Energy Model of a real SoC, and how a power budget splits over it.
//
//   energy_model --soc rk3399                 CSV + summary on stdout
//   energy_model --soc rk3588 --plot em.svg   also draws power and cost against frequency
//
// stdout: the EM as CSV (header `domain,frequency_khz,voltage_uv,power_uw,performance,cost,
// inefficient`, one row per OPP, ascending frequency per domain), a blank line, then a readable
// summary: inefficient OPPs, the max power of each domain and how a 3 W DTPM budget splits
// across the SoC's domains. Exit codes: 0 ok, 1 the plot could not be written, 2 bad usage or
// unknown SoC (the error lists the known ones).
#include "thermo/power/energy_model.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "example_cli.hpp"
#include "thermo/io/svg_plot.hpp"
#include "thermo/power/power_budget.hpp"
#include "thermo/presets/all.hpp"

namespace {

using thermo::power::em_perf_domain;
using thermo::schema::soc_description;

// One perf domain of the SoC with its Energy Model.
struct domain {
  std::string name;
  std::string core;       // "4x arm,cortex-a53" or the GPU's compatible
  std::uint32_t cpus{0};  // 0 for a device
  std::vector<std::int64_t> voltages_uv;
  em_perf_domain<> em;
};

constexpr std::string_view usage_text =
    "usage: energy_model --soc NAME [--plot FILE.svg]\n"
    "The Linux 6.12 Energy Model of a preset SoC as CSV, then how a 3 W DTPM budget splits.\n"
    "  --soc NAME       a preset SoC (required)\n"
    "  --plot FILE.svg  power and cost against frequency (default: none)\n";

int usage(const std::string& problem) {
  example_cli::bad_usage("energy_model", problem, usage_text);
  std::fprintf(stderr, "known SoCs:");
  for (const soc_description* s : thermo::presets::all_socs) {
    std::fprintf(stderr, " %.*s", static_cast<int>(s->id.size()), s->id.data());
  }
  std::fprintf(stderr, "\n");
  return 2;
}

std::string mhz(thermo::kilohertz f) {
  const auto khz = f.count();
  std::string s = std::to_string(khz / 1000);
  if (khz % 1000 != 0) {
    s += "." + std::to_string(khz % 1000 / 100);
  }
  return s + " MHz";
}

}  // namespace

int main(int argc, char** argv) {
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage_text);
  }
  std::string_view soc_id;
  std::string plot_path;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if ((arg == "--soc" || arg == "--plot") && i + 1 >= argc) {
      return usage("missing value after " + std::string(arg));
    }
    if (arg == "--soc") {
      soc_id = argv[++i];
    } else if (arg == "--plot") {
      plot_path = argv[++i];
    } else {
      return usage(example_cli::unknown_argument(arg));
    }
  }
  if (soc_id.empty()) {
    return usage("--soc is required");
  }
  const soc_description* soc = thermo::presets::find_soc(soc_id);
  if (soc == nullptr) {
    return usage("unknown SoC '" + std::string(soc_id) + "'");
  }

  // One Energy Model per CPU cluster and per GPU that has a power coefficient.
  // [build-em]
  std::vector<domain> domains;
  std::vector<std::string> without_em;
  for (const auto& cl : soc->clusters) {
    auto em = thermo::schema::make_cluster_em(cl);
    if (!em) {
      std::fprintf(stderr, "%s: %.*s: %s (row %d)\n", argv[0], static_cast<int>(cl.name.size()),
                   cl.name.data(), em.error().what, em.error().index);
      return 1;
    }
    domain d{std::string(cl.name),
             std::to_string(cl.cpu_ids.size()) + "x " + std::string(cl.compatible),
             static_cast<std::uint32_t>(cl.cpu_ids.size()),
             {},
             *em};
    for (const auto& o : cl.opps) {
      d.voltages_uv.push_back(o.voltage.count());
    }
    domains.push_back(std::move(d));
  }
  for (const auto& dev : soc->devices) {
    auto em = thermo::schema::make_device_em(dev);
    if (!em) {  // no dynamic-power-coefficient: the kernel registers no EM either
      without_em.push_back(std::string(dev.name) + " (" + std::string(dev.compatible) + ")");
      continue;
    }
    domain d{std::string(dev.name), std::string(dev.compatible), 0, {}, *em};
    for (const auto& o : dev.opps) {
      d.voltages_uv.push_back(o.voltage.count());
    }
    domains.push_back(std::move(d));
  }
  // [build-em]

  // The Energy Model as CSV.
  std::printf("domain,frequency_khz,voltage_uv,power_uw,performance,cost,inefficient\n");
  for (const domain& d : domains) {
    for (std::size_t k = 0; k < d.em.nr_perf_states(); ++k) {
      const auto& s = d.em[k];
      std::printf("%s,%u,%lld,%lld,%u,%llu,%d\n", d.name.c_str(), s.frequency.count(),
                  static_cast<long long>(d.voltages_uv[k]), static_cast<long long>(s.power.count()),
                  s.performance, static_cast<unsigned long long>(s.cost), s.inefficient() ? 1 : 0);
    }
  }

  // Summary.
  std::printf("\n%.*s — %.*s (%.*s)\n", static_cast<int>(soc->name.size()), soc->name.data(),
              static_cast<int>(soc->model.size()), soc->model.data(),
              static_cast<int>(soc->board_dts.size()), soc->board_dts.data());
  std::printf(
      "Energy Model as Linux 6.12 builds it from the device tree (power per CPU, cost = "
      "10*P/perf).\n\n");
  std::printf(
      "Inefficient OPPs (a faster OPP does the same work for no more energy; schedutil skips "
      "them):\n");
  for (const domain& d : domains) {
    if (!d.em.is_cpu_domain()) {
      continue;
    }
    std::string list;
    for (const auto& s : d.em.states()) {
      if (s.inefficient()) {
        list += (list.empty() ? "" : ", ") + mhz(s.frequency);
      }
    }
    std::printf("  %-8s %s\n", d.name.c_str(), list.empty() ? "none" : list.c_str());
  }
  std::printf("\nMax power per domain:\n");
  long long soc_max_uw = 0;
  for (const domain& d : domains) {
    const auto& top = d.em.highest();
    const long long n = d.cpus == 0 ? 1 : d.cpus;
    const long long total_mw = top.power.count() * n / 1000;
    soc_max_uw += top.power.count() * n;
    if (d.cpus != 0) {
      std::printf("  %-8s %-24s %5d mW per CPU, %5lld mW for %lld CPUs at %s\n", d.name.c_str(),
                  d.core.c_str(), top.power_mw().count(), total_mw, n, mhz(top.frequency).c_str());
    } else {
      std::printf("  %-8s %-24s %5lld mW at %s\n", d.name.c_str(), d.core.c_str(), total_mw,
                  mhz(top.frequency).c_str());
    }
  }
  std::printf("  %-8s %-24s %5lld mW\n", "all", "", soc_max_uw / 1000);
  for (const std::string& w : without_em) {
    std::printf("  (no Energy Model for %s: no dynamic-power-coefficient)\n", w.c_str());
  }

  // A 3 W budget through the kernel's DTPM tree: soc -> package -> one leaf per domain.
  // [budget]
  thermo::power::power_budget<16> budget;
  const auto root = *budget.add_virtual("soc");
  const auto package = *budget.add_virtual("package", root);
  std::vector<thermo::power::dtpm_id> leaves;
  for (const domain& d : domains) {
    const auto leaf = d.em.is_cpu_domain() ? budget.add_cpu(d.name, package, d.em.view())
                                           : budget.add_devfreq(d.name, package, d.em.view());
    leaves.push_back(*leaf);
  }
  const thermo::microwatts request(3'000'000);
  const auto change = budget.set_power_limit(root, request);
  // [budget]
  std::printf(
      "\nA %lld mW budget split by DTPM (share = budget x weight / 1024, weight = 1024 x max / "
      "package\n"
      "max; each domain takes the highest OPP whose power for all its CPUs fits its share):\n",
      static_cast<long long>(request.count() / 1000));
  std::printf("  %-8s %6s %9s %9s %9s  %s\n", "domain", "weight", "min mW", "max mW", "limit mW",
              "frequency cap");
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    const auto id = leaves[i];
    std::printf("  %-8s %6u %9lld %9lld %9lld  %s (OPP %zu of 0..%zu)\n", domains[i].name.c_str(),
                budget.weight(id), static_cast<long long>(budget.power_min(id).count() / 1000),
                static_cast<long long>(budget.power_max(id).count() / 1000),
                static_cast<long long>(budget.power_limit(id).count() / 1000),
                mhz(budget.leaf_frequency(id)).c_str(), budget.leaf_state(id),
                domains[i].em.nr_perf_states() - 1);
  }
  std::printf("  %-8s %6s %9lld %9lld %9lld\n", "package", "",
              static_cast<long long>(budget.power_min(package).count() / 1000),
              static_cast<long long>(budget.power_max(package).count() / 1000),
              static_cast<long long>(change->limit.count() / 1000));
  if (request > budget.power_max(root)) {
    std::printf("  The SoC's max (%lld mW) is below the budget: nothing is capped.\n",
                static_cast<long long>(budget.power_max(root).count() / 1000));
  } else {
    std::printf(
        "  %zu domains capped; %lld mW of the %lld mW budget is usable at the chosen OPPs.\n",
        change->leaves_changed, static_cast<long long>(change->limit.count() / 1000),
        static_cast<long long>(request.count() / 1000));
  }

  if (!plot_path.empty()) {
    thermo::io::svg_figure fig(std::string(soc->name) + " — Energy Model (Linux 6.12)");
    std::vector<thermo::io::line_series> power;
    std::vector<thermo::io::line_series> cost;
    for (const domain& d : domains) {
      std::vector<double> f;
      std::vector<double> p;
      std::vector<double> c;
      for (const auto& s : d.em.states()) {
        f.push_back(static_cast<double>(s.frequency.count()) / 1000.0);
        p.push_back(static_cast<double>(s.power.count()) / 1000.0);
        c.push_back(static_cast<double>(s.cost));
      }
      if (d.em.is_cpu_domain()) {
        cost.push_back({.name = d.name, .x = f, .y = c, .markers = true});
      }
      power.push_back({.name = d.name, .x = std::move(f), .y = std::move(p), .markers = true});
    }
    // Fill each panel before adding the next: add_panel() may move the earlier ones.
    auto& power_panel = fig.add_panel("frequency (MHz)", "power per CPU (mW)");
    for (auto& s : power) {
      power_panel.add(std::move(s));
    }
    auto& cost_panel = fig.add_panel("frequency (MHz)", "cost = 10·P/perf (lower is better)");
    for (auto& s : cost) {
      cost_panel.add(std::move(s));
    }
    if (fig.save(plot_path) != thermo::errc::ok) {
      std::fprintf(stderr, "%s: cannot write %s\n", argv[0], plot_path.c_str());
      return 1;
    }
    std::printf("\nPlot written to %s\n", plot_path.c_str());
  }
  return 0;
}
