// thermo/fwd.hpp on its own: its declarations carry the default template arguments, so a header
// that includes nothing else can name `power_allocator<>` or `rc_network<>` and mean the same
// types as the definitions (tests/core/umbrella_test.cpp checks them against the definitions).
// Compiled with -fno-exceptions -fno-rtti and for a Cortex-M4: fwd.hpp is firmware-safe.
// If this compiles, it passes.

#include <ratio>
#include <type_traits>

#include "thermo/fwd.hpp"

namespace {

using std::is_same_v;
namespace c = thermo::control;
namespace p = thermo::power;
namespace w = thermo::workload;

// ---- the defaults, pinned ----------------------------------------------------------------------
static_assert(is_same_v<thermo::result<int>, thermo::result<int, thermo::errc>>);
static_assert(is_same_v<thermo::quantity<int, int>, thermo::quantity<int, int, std::ratio<1>>>);
static_assert(is_same_v<thermo::celsius<>, thermo::celsius<double>>);

static_assert(p::default_max_opps == 32 && p::default_max_dtpm_nodes == 16);
static_assert(is_same_v<p::opp_table<>, p::opp_table<32>>);
static_assert(is_same_v<p::em_perf_domain<>, p::em_perf_domain<32>>);
static_assert(is_same_v<p::power_budget<>, p::power_budget<16>>);

static_assert(is_same_v<c::thermal_zone<4, 8>, c::thermal_zone<4, 8, 0>>);
static_assert(is_same_v<c::fan_cooling<>, c::fan_cooling<16>>);
static_assert(is_same_v<c::bang_bang<>, c::bang_bang<4>>);
static_assert(is_same_v<c::power_allocator<>, c::power_allocator<8>>);
static_assert(is_same_v<c::scp_thermal_mgmt<>, c::scp_thermal_mgmt<8>>);
static_assert(is_same_v<c::scp::thermal_domain<>, c::scp::thermal_domain<8>>);

static_assert(is_same_v<thermo::rc_network<>, thermo::rc_network<double, 32>>);
using thermo::rc_network_builder;
static_assert(is_same_v<rc_network_builder<>, rc_network_builder<double, 32, 128>>);
static_assert(is_same_v<rc_network_builder<float, 4>, rc_network_builder<float, 4, 16>>);
static_assert(is_same_v<thermo::rc_probe<>, thermo::rc_probe<double, 32>>);

static_assert(is_same_v<w::inference<>, w::inference<8, 4096, 512>>);
static_assert(is_same_v<w::utilization_trace<>, w::utilization_trace<1024, 8>>);
static_assert(is_same_v<w::constant_demand<>, w::constant_demand<8>>);
static_assert(is_same_v<w::phased_demand<>, w::phased_demand<8, 8>>);
static_assert(is_same_v<w::cycle_jobs<>, w::cycle_jobs<8>>);

// ---- what fwd.hpp is for: naming the types without their definitions ---------------------------
struct uses_names_only {
  c::thermal_zone<4, 8>* zone;
  c::power_allocator<>* governor;
  c::step_wise<static_cast<c::step_wise_variant>(0)>* step;
  thermo::rc_network<>* network;
  thermo::sim::simulation<>* sim;  // the default (default_limits) comes from sim/fwd.hpp
};
static_assert(std::is_standard_layout_v<uses_names_only>);

}  // namespace
