// Fuzz target: the device-tree blob reader (io/fdt.hpp), every typed read of every property, the
// import (io/dt_import.hpp + io/dt/*, lenient and strict), and for an imported SoC, what
// `thermo replay --dtb` builds from it: each zone bound to its cooling devices
// (tools/thermo/zone_system.hpp) under step_wise and power_allocator. With a structure-aware
// mutator (dtb_mutator.hpp) that falls back to libFuzzer's byte mutation one time in four.
//
// Invariants: a rejected blob gives an error with a code and a message; in a parsed tree every
// node but the root has a parent, every node's path finds it (unless a node on it has a namesake sibling), every typed read gives a value or
// an error with a message; an import error has a message; an imported SoC has clusters with
// CPUs and ascending OPPs, cooling devices that point at existing clusters and devices with one
// state per OPP, cooling maps that point at existing trips and cooling devices, problems with
// messages; each zone builds or is refused with a message.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dtb_model.hpp"
#include "dtb_mutator.hpp"
#include "fuzz_check.hpp"
#include "system_source.hpp"
#include "thermo/core/prng.hpp"
#include "thermo/io/dt_import.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/schema/soc.hpp"
#include "zone_system.hpp"

using thermo::fuzz::require;
namespace fdt = thermo::io::fdt;

namespace {

/// A read gives a value or an error with a code and a rule; the first errors of each input are
/// also described (`describe` looks the property up among all of the tree's: linear).
struct reads {
  std::size_t described{0};
  template <class R>
  void require_clean(const fdt::tree& t, const R& r, const char* what) {
    if (!r) {
      require(r.error().code != thermo::errc::ok && *r.error().what != '\0', what);
      if (++described <= 64) {
        require(!t.describe(r.error()).empty(), what);
      }
    }
  }
};


void check_tree(const fdt::tree& t) {
  reads rd;
  require(t.size() >= 1, "a tree has a root");
  for (std::int32_t n = 0; static_cast<std::size_t>(n) < t.size(); ++n) {
    require((n == 0) == (t.at(n).parent < 0), "only the root has no parent");
    const std::string path = t.path(n);
    // a path finds its node (siblings of one name are refused by the reader:
    // fuzz/regressions/dtb/duplicate-sibling-names.dtb)
    require(t.find(path) == n, "a node's path finds the node", path);
    // every read looks its property up by name (linear in the node's properties): read the
    // first 64 of each node, so that a node with 10,000 properties costs no more than the import
    const auto props = t.properties(n);
    for (const fdt::property& p : props.first(std::min<std::size_t>(props.size(), 64))) {
      rd.require_clean(t, t.u32(n, p.name), "u32 reads cleanly");
      rd.require_clean(t, t.u64(n, p.name), "u64 reads cleanly");
      rd.require_clean(t, t.cells(n, p.name), "cells read cleanly");
      rd.require_clean(t, t.strings(n, p.name), "strings read cleanly");
      rd.require_clean(t, t.phandle_target(n, p.name), "phandles read cleanly");
      rd.require_clean(t, thermo::io::parse_phandle_args(t, n, p.name, "#cooling-cells"), "phandle lists read cleanly");
    }
  }
}

void check_soc(const thermo::io::dt_soc& soc) {
  const thermo::schema::soc_description& d = soc.description();
  for (const auto& cl : d.clusters) {
    require(!cl.opps.empty() && !cl.cpu_ids.empty(), "a cluster has OPPs and CPUs", cl.name);
    for (std::size_t i = 1; i < cl.opps.size(); ++i) {
      require(cl.opps[i - 1].frequency < cl.opps[i].frequency, "a cluster's OPPs ascend", cl.name);
    }
    static_cast<void>(thermo::schema::make_cluster_em(cl));
  }
  for (const auto& dv : d.devices) {
    for (std::size_t i = 1; i < dv.opps.size(); ++i) {
      require(dv.opps[i - 1].frequency < dv.opps[i].frequency, "a device's OPPs ascend", dv.name);
    }
    static_cast<void>(thermo::schema::make_device_em(dv));
  }
  for (const auto& c : d.cooling_devices) {
    if (c.type == thermo::schema::cooling_device_type::cpufreq) {
      require(c.domain >= 0 && static_cast<std::size_t>(c.domain) < d.clusters.size(), "a cpufreq device has its cluster", c.name);
      require(c.max_state + 1 == d.clusters[static_cast<std::size_t>(c.domain)].opps.size(), "one state per OPP", c.name);
    } else if (c.type == thermo::schema::cooling_device_type::devfreq) {
      require(c.domain >= 0 && static_cast<std::size_t>(c.domain) < d.devices.size(), "a devfreq device has its device", c.name);
    }
  }
  for (const auto& z : d.thermal_zones) {
    for (const auto& t : z.trips) {
      require(t.hysteresis.count() >= 0, "hysteresis >= 0", z.name);
    }
    for (const auto& m : z.cooling_maps) {
      require(m.trip < z.trips.size(), "a map's trip exists", z.name);
      for (const auto& e : m.devices) {
        require(e.cooling_device >= -1 && e.cooling_device < static_cast<std::int32_t>(d.cooling_devices.size()),
                "a map's cooling device exists or is -1", z.name);
      }
    }
  }
  for (const thermo::io::dt_problem& p : soc.problems()) {
    require(!p.message.empty(), "a problem has a message", p.node);
  }
  for (const std::string& w : soc.warnings()) {
    require(!w.empty(), "a warning has a text");
  }
  // what `thermo replay --dtb` does next: bind each zone (a few, to keep each run short)
  std::size_t built = 0;
  for (const auto& z : d.thermal_zones) {
    if (++built > 4) {
      break;
    }
    for (const std::string_view governor : {"step_wise", "power_allocator"}) {
      auto sys = thermo::cli::zone_system::build(d, &soc, z.name, governor);
      if (!sys) {
        require(!sys.message().empty(), "a zone that does not build says why", z.name);
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto t = fdt::tree::parse(std::span<const std::uint8_t>(data, size));
  if (!t) {
    require(t.error().code != thermo::errc::ok, "a rejected blob has an error code");
    require(*t.error().what != '\0' && !fdt::describe(t.error()).empty(), "a rejected blob has a message");
    return 0;
  }
  check_tree(*t);
  for (const bool strict : {false, true}) {
    thermo::io::dt_import_options opt;
    opt.strict = strict;
    std::string message;
    auto soc = thermo::io::import_device_tree(*t, opt, &message);
    if (!soc) {
      require(soc.error().code != thermo::errc::ok && !message.empty(), "an import error has a message");
      require(message.find('\n') == std::string::npos, "an import error is one line", message);
      continue;
    }
    check_soc(*soc);
  }
  return 0;
}

extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size);

/// One time in four, and for blobs that do not parse, libFuzzer's byte mutation; otherwise the
/// blob as a tree, changed by dtb_mutator, written back.
extern "C" std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size, std::size_t max_size, unsigned int seed) {
  thermo::splitmix64 rng(seed);
  if (rng() % 4 == 0) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  auto t = fdt::tree::parse(std::span<const std::uint8_t>(data, size));
  if (!t) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  thermo::fuzz::dtb_node root = thermo::fuzz::dtb_from_tree(*t);
  thermo::fuzz::dtb_mutator(rng()).mutate(root, max_size);
  const std::vector<std::uint8_t> blob = thermo::fuzz::dtb_to_blob(root);
  if (blob.size() > max_size) {
    return LLVMFuzzerMutate(data, size, max_size);
  }
  std::memcpy(data, blob.data(), blob.size());
  return blob.size();
}
