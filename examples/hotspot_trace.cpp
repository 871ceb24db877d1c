// hotspot_trace — a drop-in for HotSpot's transient solver, using thermo's exact RC solver.
//
//   hotspot_trace --conductance G.csv --capacitance C.csv --ambient-conductance g_amb.csv
//                 --ambient KELVIN --init FILE.steady --ptrace FILE.ptrace --interval SECONDS
//
// Reads a block-model network in the CSV layouts of ../shared/hotspot-data/ and an initial state
// in HotSpot's .steady layout, holds each power row constant for one interval (zero-order hold;
// ptrace columns map to nodes by name) and writes HotSpot's .ttrace layout to stdout: the
// ptrace's header line, then per power row the block temperatures [K] at the end of that
// interval, two decimals, tab separated. Errors go to stderr with exit code 2; nothing but the
// trace goes to stdout.
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "example_cli.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/io/hotspot.hpp"
#include "thermo/model/rc_network.hpp"

namespace {

constexpr std::size_t max_nodes = 512;  // a HotSpot block model of up to 125 blocks
using network = thermo::rc_network<double, max_nodes>;

constexpr std::string_view usage =
    "usage: hotspot_trace --conductance G.csv --capacitance C.csv --ambient-conductance g_amb.csv\n"
    "                     --ambient KELVIN --init FILE.steady --ptrace FILE.ptrace --interval SECONDS\n"
    "HotSpot's transient solver, with thermo's exact RC solver: the .ttrace on stdout.\n";

// Joins pieces by appending (GCC 12 warns falsely about `"literal" + std::string` at -O3).
std::string cat(std::initializer_list<std::string_view> pieces) {
  std::string s;
  for (const auto p : pieces) {
    s.append(p);
  }
  return s;
}

int fail(const std::string& message) {
  std::cerr << "hotspot_trace: " << message << '\n';
  return 2;
}

struct options {
  std::string conductance;
  std::string capacitance;
  std::string ambient_conductance;
  std::string ambient;
  std::string init;
  std::string ptrace;
  std::string interval;
};

// Parses "--name value" pairs; returns an error message or "".
std::string parse_args(std::span<char*> args, options& o) {
  struct flag {
    std::string_view name;
    std::string* value;
  };
  const flag flags[] = {{"--conductance", &o.conductance},
                        {"--capacitance", &o.capacitance},
                        {"--ambient-conductance", &o.ambient_conductance},
                        {"--ambient", &o.ambient},
                        {"--init", &o.init},
                        {"--ptrace", &o.ptrace},
                        {"--interval", &o.interval}};
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view a = args[i];
    const flag* match = nullptr;
    for (const auto& f : flags) {
      if (f.name == a) {
        match = &f;
      }
    }
    if (match == nullptr) {
      return cat({"unknown argument '", a, "'"});
    }
    if (i + 1 == args.size()) {
      return cat({"missing value after ", a});
    }
    if (!match->value->empty()) {
      return cat({a, " given twice"});
    }
    *match->value = args[++i];
    if (match->value->empty()) {
      return cat({"empty value for ", a});
    }
  }
  for (const auto& f : flags) {
    if (f.value->empty()) {
      return cat({"missing ", f.name});
    }
  }
  return {};
}

std::string node_name(const thermo::io::hotspot_network& net, std::int32_t i) {
  if (i >= 0 && static_cast<std::size_t>(i) < net.size()) {
    return cat({"'", net.names[static_cast<std::size_t>(i)], "'"});
  }
  return cat({"#", std::to_string(i)});
}

// "the network is invalid: conductance between 'a' and 'b': negative".
std::string describe(const thermo::error& e, const thermo::io::hotspot_network& net) {
  std::string s = std::string(e.what);
  if (e.index != thermo::error::no_index && e.index2 != thermo::error::no_index) {
    s += cat({" between ", node_name(net, e.index), " and ", node_name(net, e.index2)});
  } else if (e.index != thermo::error::no_index && std::string_view(e.what) != "node count") {
    s += cat({" of node ", node_name(net, e.index)});
  } else if (e.index != thermo::error::no_index) {
    s += cat({" ", std::to_string(e.index)});
  }
  return cat({s, ": ", thermo::to_string(e.code)});
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  if (example_cli::wants_help(argc, argv)) {
    return example_cli::help(usage);
  }
  if (const std::string err = parse_args(std::span<char*>(argv + 1, static_cast<std::size_t>(argc - 1)), opt);
      !err.empty()) {
    std::cerr << usage;
    return fail(err);
  }
  const auto ambient = thermo::io::parse_double(opt.ambient);
  if (!ambient || !(*ambient > 0.0)) {
    return fail(cat({"bad --ambient '", opt.ambient, "' (expected a temperature in kelvin > 0)"}));
  }
  const auto interval = thermo::io::parse_double(opt.interval);
  if (!interval || !(*interval > 0.0)) {
    return fail(cat({"bad --interval '", opt.interval, "' (expected seconds > 0)"}));
  }

  thermo::io::hotspot_network desc;
  if (const auto e = thermo::io::load_hotspot_network(opt.conductance, opt.capacitance, opt.ambient_conductance, desc);
      !e.ok()) {
    return fail(e.message);
  }
  if (desc.size() > max_nodes) {
    return fail(cat({"the network has ", std::to_string(desc.size()), " nodes; this tool handles at most ",
                 std::to_string(max_nodes)}));
  }
  // [init-from-matrices]
  const auto net = std::make_unique<network>();  // the only allocation of the solver
  if (const thermo::error e = net->init(desc.size(), desc.conductance, desc.capacitance, desc.ambient_conductance,
                                        *ambient);
      !e.ok()) {
    return fail(cat({"invalid network: ", describe(e, desc)}));
  }
  // [init-from-matrices]

  thermo::io::hotspot_steady init;
  if (const auto e = thermo::io::load_hotspot_steady(opt.init, init); !e.ok()) {
    return fail(e.message);
  }
  std::vector<double> t0(desc.size(), std::nan(""));
  for (std::size_t k = 0; k < init.names.size(); ++k) {
    const auto i = desc.find(init.names[k]);
    if (!i) {
      return fail(cat({opt.init, ": unknown node '", init.names[k], "'"}));
    }
    t0[*i] = init.temperatures[k];
  }
  for (std::size_t i = 0; i < desc.size(); ++i) {
    if (std::isnan(t0[i])) {
      return fail(cat({opt.init, ": no initial temperature for node '", desc.names[i], "'"}));
    }
  }
  if (const thermo::error e = net->set_temperatures(t0); !e.ok()) {
    return fail(cat({opt.init, ": ", describe(e, desc)}));
  }

  thermo::io::hotspot_trace trace;
  if (const auto e = thermo::io::load_hotspot_trace(opt.ptrace, trace); !e.ok()) {
    return fail(e.message);
  }
  std::vector<std::size_t> nodes;
  for (const auto& name : trace.names) {
    const auto i = desc.find(name);
    if (!i) {
      return fail(cat({opt.ptrace, ": unknown block '", name, "' (not a node of ", opt.capacitance, ")"}));
    }
    nodes.push_back(*i);
  }

  std::vector<double> temps(nodes.size());
  std::string out = trace.header + '\n';
  // [zoh-rows]
  for (std::size_t r = 0; r < trace.rows(); ++r) {
    if (const thermo::error e = net->set_power(nodes, trace.row(r)); !e.ok()) {
      return fail(cat({opt.ptrace, ": row ", std::to_string(r + 1), ": ", describe(e, desc)}));
    }
    net->step(*interval);
    net->temperatures(nodes, temps);
    out += thermo::io::format_ttrace_row(temps);
    out += '\n';
  }
  // [zoh-rows]
  std::cout << out << std::flush;
  if (!std::cout) {
    return fail("cannot write to stdout");
  }
  return 0;
}
