// Fuzz target: the scenario reader (io/scenario.hpp `io::parse_scenario`), and for a scenario it
// accepts, the simulation build `thermo simulate` does next (tools/thermo/simulate.hpp
// `build_simulation`, not run).
//
// Invariants: an error is one line naming the file ("fuzz.scn:LINE: …") and leaves the
// scenario empty; an accepted scenario holds only finite numbers within the documented ranges,
// its names refer to each other as the format requires, and building it on its preset gives a
// simulation or a one-line error naming the file.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "simulate.hpp"
#include "system_source.hpp"
#include "thermo/io/scenario.hpp"

using thermo::fuzz::require;

namespace {

constexpr std::string_view source = "fuzz/case.scn";

bool finite_at_least(double v, double lo) { return std::isfinite(v) && v >= lo; }

void check_accepted(const thermo::io::scenario& s) {
  require(s.source == source, "the scenario keeps its source name");
  require(s.duration.count() > 0, "a scenario has a duration");
  require(s.record_interval.count() >= 0, "the record interval is not negative (0: no periodic rows)");
  require(s.step.count() > 0, "the step is positive");
  require(std::isfinite(s.ambient), "the ambient is finite");
  require(!s.kernel || *s.kernel >= thermo::control::oldest_modelled_kernel, "an accepted kernel is 6.12.0 or later");
  require(s.preset.empty() != s.dtb.empty(), "exactly one of preset and dtb");
  require(s.reference.empty() != s.nodes.empty(), "a reference plant or nodes");
  const auto known = [&](const std::string& n) {
    if (!s.reference.empty()) {
      return std::find(thermo::sim::rk3399_node_names.begin(), thermo::sim::rk3399_node_names.end(), n) !=
             thermo::sim::rk3399_node_names.end();
    }
    return std::any_of(s.nodes.begin(), s.nodes.end(), [&](const thermo::io::scenario_node& x) { return x.name == n; });
  };
  for (const auto& n : s.nodes) {
    require(finite_at_least(n.capacitance, 0.0) && n.capacitance > 0.0, "capacitance > 0", n.name);
    require(finite_at_least(n.to_ambient, 0.0), "to_ambient >= 0", n.name);
    require(!n.initial || std::isfinite(*n.initial), "initial temperature finite", n.name);
  }
  for (const auto& l : s.links) {
    require(finite_at_least(l.conductance, 0.0) && l.conductance > 0.0, "link conductance > 0", l.a);
    require(known(l.a) && known(l.b) && l.a != l.b, "a link joins two known nodes", l.a + " - " + l.b);
  }
  for (const auto& h : s.heat) {
    require(!h.nodes.empty(), "[heat] has nodes", h.part);
    for (const auto& w : h.nodes) {
      require(known(w.name) && std::isfinite(w.weight), "[heat] names known nodes with finite weights", w.name);
    }
  }
  for (const auto& sn : s.sensors) {
    require(!sn.probe.empty(), "[sensor] has nodes", sn.name);
    for (const auto& w : sn.probe) {
      require(known(w.name) && std::isfinite(w.weight), "[sensor] names known nodes with finite weights", w.name);
    }
  }
  for (const auto& z : s.zones) {
    require(std::any_of(s.sensors.begin(), s.sensors.end(), [&](const auto& x) { return x.name == z.sensor; }),
            "a zone's sensor exists", z.name);
    require(!z.sustainable_power || (*z.sustainable_power >= 0 && *z.sustainable_power < (1 << 21)),
            "sustainable_power within [0, 2^21) mW", z.name);
    for (const auto* k : {&z.k_po, &z.k_pu, &z.k_i, &z.k_d}) {
      require(!*k || **k >= 0, "PID gains >= 0", z.name);
    }
    require(!z.integral_cutoff || (*z.integral_cutoff > -(1 << 21) && *z.integral_cutoff < (1 << 21)),
            "integral_cutoff within ±2^21 m°C", z.name);
    for (const auto* d : {&z.polling_delay, &z.passive_delay}) {
      require(!*d || (*d)->count() >= 0, "delays >= 0", z.name);
    }
    for (const auto& t : z.trips) {
      require(t.index <= thermo::io::scenario_max_zone_index && (t.temperature || t.hysteresis), "a trip override is in range",
              z.name);
      require(!t.hysteresis || *t.hysteresis >= 0, "trip hysteresis >= 0", z.name);
    }
    for (const auto& m : z.maps) {
      require(m.index <= thermo::io::scenario_max_zone_index && (m.weight || m.lower || m.upper), "a map override is in range",
              z.name);
    }
  }
  for (const auto& f : s.fans) {
    require(known(f.node) && (f.peer.empty() || known(f.peer)), "a fan cools known nodes", f.name);
    require(std::isfinite(f.off) && std::isfinite(f.full) && f.full >= f.off, "fan conductances finite, full >= off", f.name);
    require(std::isfinite(f.exponent), "fan exponent finite", f.name);
  }
  for (const auto& w : s.workloads) {
    require(!w.cluster.empty(), "a workload names its cluster", w.name);
    require(w.utilization >= 0.0 && w.utilization <= 1.0, "utilisation in [0, 1]", w.name);
    for (const auto& p : w.phases) {
      require(p.duration.count() > 0 && p.utilization >= 0.0 && p.utilization <= 1.0, "a phase is positive, 0..1", w.name);
    }
    require(w.type != thermo::io::scenario_workload_type::phased || !w.phases.empty(), "a phased workload has phases", w.name);
    require(w.type != thermo::io::scenario_workload_type::trace || !w.file.empty(), "a trace workload has a file", w.name);
    require(w.type != thermo::io::scenario_workload_type::inference || !w.inference.model.empty(), "an inference workload has a model",
            w.name);
    require(w.inference.arrivals != "periodic" || w.inference.period.count() > 0, "a periodic inference has a period", w.name);
    require(w.inference.window.count() > 0, "an inference window is positive", w.name);
    require(std::isfinite(w.boot.vmlinux_bytes) && w.boot.vmlinux_bytes >= 1.0 && std::isfinite(w.boot.zimage_bytes) &&
                w.boot.zimage_bytes >= 1.0 && std::isfinite(w.boot.bandwidth_mb_s) && w.boot.bandwidth_mb_s > 0.0,
            "boot sizes and bandwidth finite and positive", w.name);
  }
  for (const auto& e : s.events) {
    require(!e.action.empty(), "an event has an action");
    require(e.at >= thermo::sim_time{}, "an event is not before the start", e.action);
  }
}

/// The build `thermo simulate` does next, for scenarios that need no other file (a dtb or a
/// trace workload would make the fuzzer read files).
void check_build(const thermo::io::scenario& s) {
  if (!s.dtb.empty() || std::any_of(s.workloads.begin(), s.workloads.end(), [](const auto& w) {
        return w.type == thermo::io::scenario_workload_type::trace;
      })) {
    return;
  }
  auto src = thermo::cli::load_preset(s.preset);
  if (!src) {
    require(!src.message().empty(), "an unknown preset is named", s.preset);
    return;
  }
  auto b = thermo::cli::build_simulation(s, *src);
  if (!b) {
    thermo::fuzz::require_message(b.message(), source);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  thermo::io::scenario s;
  const thermo::io::text_error e = thermo::io::parse_scenario(thermo::fuzz::as_text(data, size), std::string(source), s);
  if (!e.ok()) {
    thermo::fuzz::require_message(e.message, source);
    require(s.nodes.empty() && s.zones.empty() && s.events.empty() && s.preset.empty() && s.source.empty(),
            "a rejected scenario is left empty");
    return 0;
  }
  check_accepted(s);
  check_build(s);
  return 0;
}
