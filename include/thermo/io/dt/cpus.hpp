/// @file cpus.hpp
/// The device-tree import's CPUs, cpufreq policies and CPU capacities, as the kernel builds them
/// (drivers/base/arch_topology.c for capacities, cpufreq-dt for policies, cpufreq cooling for
/// their cooling devices; kernel-reference §3.3, §4.5):
///
/// * **CPUs** — children of `/cpus` with `device_type = "cpu"`, numbered 0, 1, … in tree order
///   (the logical CPU number); `capacity-dmips-mhz`, `dynamic-power-coefficient`,
///   `operating-points-v2` (io/dt/opp.hpp), `#cooling-cells`. Legacy `operating-points` (v1)
///   make no policy (a warning).
/// * **cpufreq policies** — the CPUs sharing one table marked `opp-shared` form one policy (one
///   CPU per policy otherwise), described as a `schema::cpu_cluster_desc` named "policyN" (N =
///   its first CPU); the policy's first CPU carries its cooling device `cpufreq-cpuN` if that
///   CPU node has `#cooling-cells` (cooling maps naming other CPUs of the policy bind nothing).
/// * **CPU capacity** — raw = dmips × the policy's highest non-turbo frequency, normalised to
///   1024; all 1024 when any CPU lacks `capacity-dmips-mhz` (the kernel's fallback).
/// * **Energy Models** — `has_energy_model`: the description builds one
///   (`schema::has_energy_model`) and the policy's CPUs have one capacity.
///
/// Errors (they stop the import): a malformed property of a CPU (index = the CPU node, index2 =
/// the property; a `dynamic-power-coefficient` above `dt_ranges`), a dangling or self-referencing `operating-points-v2`, and those of its table.
///
/// Host-side. See docs/reference/device-tree.md.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/units.hpp"
#include "thermo/io/dt/common.hpp"
#include "thermo/io/dt/opp.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/power/energy_model.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo::io {

/// A CPU as the device tree describes it.
struct dt_cpu {
  std::string node;                            ///< path, e.g. "/cpus/cpu@100"
  std::uint32_t logical_id{0};                 ///< tree order among the CPU nodes
  std::uint32_t capacity_dmips_mhz{0};         ///< 0 = absent
  std::uint32_t dynamic_power_coefficient{0};  ///< 0 = absent
  std::uint32_t capacity{1024};                ///< normalised capacity the kernel computes
  std::int32_t cluster{-1};  ///< cpufreq policy (index into clusters), −1 = none
  bool cooling_cells{false};  ///< has `#cooling-cells`
};

}  // namespace thermo::io

namespace thermo::io::dt {

/// A cpufreq policy: the CPUs sharing one clock, and its description.
struct cpu_policy {
  /// One CPU of the policy.
  struct member {
    std::uint32_t cpu{0};    ///< logical id (index into `cpu_topology::cpus`)
    std::int32_t node{-1};   ///< tree node
  };
  std::vector<member> members;       ///< ascending; the first carries the cooling device
  schema::cpu_cluster_desc cluster;  ///< views into the import's storage
};

/// What the CPU step finds.
struct cpu_topology {
  std::int32_t cpus_node{-1};        ///< the `/cpus` node, −1 when there is none
  std::vector<dt_cpu> cpus;          ///< in logical order
  std::vector<cpu_policy> policies;  ///< index = `dt_cpu::cluster`

  /// The policies' descriptions, in policy order.
  [[nodiscard]] std::vector<schema::cpu_cluster_desc> clusters() const {
    std::vector<schema::cpu_cluster_desc> out;
    out.reserve(policies.size());
    for (const cpu_policy& p : policies) {
      out.push_back(p.cluster);
    }
    return out;
  }
  /// Whether node `n` is `/cpus` or below it.
  [[nodiscard]] bool contains(const fdt::tree& t, std::int32_t n) const {
    for (std::int32_t k = n; k >= 0; k = t.at(k).parent) {
      if (k == cpus_node) {
        return true;
      }
    }
    return false;
  }
  /// Whether node `n` is a CPU of a policy whose cooling device sits on another CPU (it binds
  /// nothing, as in the kernel).
  [[nodiscard]] bool is_non_first_policy_cpu(std::int32_t n) const {
    for (const cpu_policy& p : policies) {
      for (std::size_t k = 1; k < p.members.size(); ++k) {
        if (p.members[k].node == n) {
          return true;
        }
      }
    }
    return false;
  }
};

/// Whether the kernel registers policy `cluster`'s Energy Model: its description builds one
/// (`schema::has_energy_model`) and its CPUs have one capacity — `em_dev_register_perf_domain`
/// refuses a domain whose CPUs differ, which a description (one capacity per cluster) cannot
/// say.
[[nodiscard]] inline bool has_energy_model(std::span<const dt_cpu> cpus,
                                           std::span<const schema::cpu_cluster_desc> clusters,
                                           std::size_t cluster) {
  const auto k = static_cast<std::int32_t>(cluster);
  const dt_cpu* first = nullptr;
  for (const dt_cpu& c : cpus) {
    if (c.cluster != k) {
      continue;
    }
    if (first == nullptr) {
      first = &c;
    } else if (c.capacity != first->capacity) {
      return false;
    }
  }
  return schema::has_energy_model(clusters[cluster]);
}

namespace detail {

/// Sets every CPU's capacity (kernel-reference §4.5), with a warning when the kernel falls back.
inline void compute_capacities(context& ctx, cpu_topology& topo) {
  std::vector<dt_cpu>& cpus = topo.cpus;
  if (cpus.empty()) {
    return;
  }
  bool all_dmips = true;
  bool all_policies = true;
  for (const dt_cpu& c : cpus) {
    all_dmips = all_dmips && c.capacity_dmips_mhz != 0;
    all_policies = all_policies && c.cluster >= 0;
  }
  if (!all_dmips) {
    for (dt_cpu& c : cpus) {
      c.capacity = power::sched_capacity_scale;
    }
    if (std::any_of(cpus.begin(), cpus.end(),
                    [](const dt_cpu& c) { return c.capacity_dmips_mhz != 0; })) {
      ctx.warn("capacity-dmips-mhz missing on some CPUs: every CPU gets capacity 1024 "
               "(kernel fallback)");
    }
    return;
  }
  if (!all_policies) {
    ctx.warn("some CPUs have no cpufreq policy: capacities from capacity-dmips-mhz alone");
  }
  std::vector<power::cpu_capacity_input> in;
  for (const dt_cpu& c : cpus) {
    kilohertz f{1};
    if (all_policies) {
      f = topo.policies[static_cast<std::size_t>(c.cluster)].cluster.max_nonturbo_frequency();
    }
    in.push_back({c.capacity_dmips_mhz, f});
  }
  std::vector<std::uint32_t> out(in.size());
  if (!power::normalize_cpu_capacity(in, out).ok()) {
    for (dt_cpu& c : cpus) {
      c.capacity = power::sched_capacity_scale;
    }
    ctx.warn("CPU capacities could not be normalised (overflow): every CPU gets 1024");
    return;
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    cpus[k].capacity = out[k];
  }
}

/// The description of a policy whose CPUs and table are known (capacity set later).
inline schema::cpu_cluster_desc describe_policy(context& ctx, const cpu_topology& topo,
                                                const cpu_policy& p, const opp_table& table) {
  const fdt::tree& t = ctx.tree();
  const dt_cpu& first = topo.cpus[p.members.front().cpu];
  std::vector<std::string_view> nodes;
  std::vector<std::uint32_t> ids;
  for (const cpu_policy::member& m : p.members) {
    nodes.push_back(ctx.keep(topo.cpus[m.cpu].node));
    ids.push_back(m.cpu);
  }
  // a CPU's malformed compatible is no error: the cluster's is then empty
  std::string compatible =
      read_string(t, p.members.front().node, "compatible").value_or(std::string{});
  schema::cpu_cluster_desc d{};
  d.name = ctx.keep("policy" + std::to_string(first.logical_id));
  d.compatible = ctx.keep(std::move(compatible));
  d.cpu_nodes = ctx.keep(std::move(nodes));
  d.cpu_ids = ctx.keep(std::move(ids));
  d.dynamic_power_coefficient = first.dynamic_power_coefficient;
  d.capacity_dmips_mhz = first.capacity_dmips_mhz;
  d.opp_table = ctx.keep(t.path(table.node));
  d.opps = table.opps;
  d.turbo_frequencies = table.turbo;
  d.opp_shared = table.shared;
  return d;
}

}  // namespace detail

/// Reads the CPUs, forms the cpufreq policies, describes them and computes the capacities (see
/// the file comment). Errors stop the import (the context holds the message).
[[nodiscard]] inline error import_cpus(context& ctx, opp_tables& tables, cpu_topology& topo) {
  const fdt::tree& t = ctx.tree();
  const auto cpus_node = t.find("/cpus");
  if (!cpus_node) {
    return {};
  }
  topo.cpus_node = *cpus_node;
  struct found {
    std::int32_t node;
    std::int32_t table;  // index into `tables`, −1 = none
  };
  std::vector<found> tree_cpus;  // index = logical id
  for (const std::int32_t c : t.at(*cpus_node).children) {
    if (!t.has(c, "device_type")) {
      continue;
    }
    auto type = t.string(c, "device_type");
    if (!type) {
      return ctx.fail(type.error(), "device_type");
    }
    if (*type != "cpu" || !t.available(c)) {
      continue;
    }
    dt_cpu cpu;
    cpu.node = t.path(c);
    cpu.logical_id = static_cast<std::uint32_t>(topo.cpus.size());
    auto dmips = read_u32(t, c, "capacity-dmips-mhz");
    if (!dmips) {
      return ctx.fail(dmips.error(), "capacity-dmips-mhz");
    }
    cpu.capacity_dmips_mhz = dmips->value_or(0);
    auto coeff = read_power_coefficient(t, c);
    if (!coeff) {
      return ctx.fail(coeff.error(), "dynamic-power-coefficient");
    }
    cpu.dynamic_power_coefficient = *coeff;
    cpu.cooling_cells = t.has(c, "#cooling-cells");
    std::int32_t table = -1;
    if (t.has(c, "operating-points-v2")) {
      auto k = tables.load_named_by(ctx, c, "operating-points-v2 points back at the CPU itself");
      if (!k) {
        return ctx.fail(k.error().err, k.error().property);
      }
      table = static_cast<std::int32_t>(*k);
    } else if (t.has(c, "operating-points")) {
      ctx.warn(cpu.node + ": legacy operating-points (v1) are not imported: no cpufreq policy");
    }
    tree_cpus.push_back({c, table});
    topo.cpus.push_back(std::move(cpu));
  }
  // cpufreq policies: CPUs sharing an opp-shared table, else one CPU each.
  for (std::size_t c = 0; c < topo.cpus.size(); ++c) {
    if (tree_cpus[c].table < 0 || topo.cpus[c].cluster >= 0) {
      continue;
    }
    const auto cluster = static_cast<std::int32_t>(topo.policies.size());
    const opp_table& table = tables[static_cast<std::size_t>(tree_cpus[c].table)];
    cpu_policy p;
    for (std::size_t o = c; o < topo.cpus.size(); ++o) {
      const bool joins = o == c || (table.shared && tree_cpus[o].table == tree_cpus[c].table &&
                                    topo.cpus[o].cluster < 0);
      if (joins) {
        topo.cpus[o].cluster = cluster;
        p.members.push_back({static_cast<std::uint32_t>(o), tree_cpus[o].node});
      }
    }
    p.cluster = detail::describe_policy(ctx, topo, p, table);
    topo.policies.push_back(std::move(p));
  }
  detail::compute_capacities(ctx, topo);
  for (cpu_policy& p : topo.policies) {
    p.cluster.cpu_capacity = topo.cpus[p.members.front().cpu].capacity;
  }
  return {};
}

/// Registers the cpufreq cooling device of each policy whose first CPU has `#cooling-cells`
/// ("cpufreq-cpuN" on that CPU's node; one state per OPP).
inline void add_cpufreq_cooling_devices(context& ctx, const cpu_topology& topo,
                                        std::vector<cooling_device>& out) {
  for (std::size_t p = 0; p < topo.policies.size(); ++p) {
    const cpu_policy& pol = topo.policies[p];
    const dt_cpu& first = topo.cpus[pol.members.front().cpu];
    if (!first.cooling_cells) {
      continue;
    }
    cooling_device e;
    e.node = pol.members.front().node;
    e.desc.name = ctx.keep("cpufreq-cpu" + std::to_string(first.logical_id));
    e.desc.node = ctx.keep(first.node);
    e.desc.type = schema::cooling_device_type::cpufreq;
    e.desc.domain = static_cast<std::int16_t>(p);
    e.desc.max_state = static_cast<std::uint32_t>(pol.cluster.opps.size() - 1);
    out.push_back(e);
  }
}

/// A warning for each policy whose Energy Model the kernel cannot register although its device
/// tree gives powers (a coefficient or `opp-microwatt`): it has no power callbacks.
inline void warn_unregistered_energy_models(context& ctx, std::span<const dt_cpu> cpus,
                                            std::span<const schema::cpu_cluster_desc> clusters) {
  for (std::size_t k = 0; k < clusters.size(); ++k) {
    const schema::cpu_cluster_desc& d = clusters[k];
    if (!has_energy_model(cpus, clusters, k) &&
        (d.dynamic_power_coefficient != 0 || d.opps.front().power.count() != 0)) {
      ctx.warn(std::string(d.name) + ": the Energy Model cannot be registered: no power callbacks");
    }
  }
}

}  // namespace thermo::io::dt
