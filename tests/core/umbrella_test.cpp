// thermo/thermo.hpp includes every public header (tools/gen_umbrella.py --check keeps the list
// complete: CTest thermo.umbrella_headers_up_to_date), compiles with the house warnings, and
// thermo/fwd.hpp's default template arguments name the same complete types as the definitions.
#include <catch2/catch.hpp>

#include <type_traits>

#include "thermo/thermo.hpp"
#include "thermo/fwd.hpp"  // again, after the definitions: a repeated declaration must be harmless

namespace {

using std::is_same_v;
namespace c = thermo::control;
namespace w = thermo::workload;

template <class T>
constexpr bool complete = requires { sizeof(T); };

}  // namespace

TEST_CASE("the umbrella header gives the complete types behind fwd.hpp's defaults", "[umbrella]") {
  STATIC_REQUIRE(complete<c::thermal_zone<4, 8>>);
  STATIC_REQUIRE(is_same_v<c::thermal_zone<4, 8>, c::thermal_zone<4, 8, 0>>);
  STATIC_REQUIRE(c::Governor<c::power_allocator<>>);
  STATIC_REQUIRE(sizeof(c::power_allocator<>) == sizeof(c::power_allocator<8>));
  STATIC_REQUIRE(c::Governor<c::step_wise<>>);
  STATIC_REQUIRE(c::Governor<c::bang_bang<>>);
  STATIC_REQUIRE(c::Governor<c::scp_thermal_mgmt<>>);
  STATIC_REQUIRE(c::CoolingDevice<c::fan_cooling<>>);
  STATIC_REQUIRE(w::Workload<w::inference<>>);
  STATIC_REQUIRE(w::Workload<w::utilization_trace<>>);
  STATIC_REQUIRE(complete<thermo::rc_network<>>);
  STATIC_REQUIRE(thermo::rc_network<>::capacity() == 32);
  STATIC_REQUIRE(complete<thermo::sim::simulation<>>);
  STATIC_REQUIRE(is_same_v<thermo::sim::simulation<>,
                           thermo::sim::simulation<thermo::sim::default_limits>>);
  STATIC_REQUIRE(thermo::power::opp_table<>::capacity() == thermo::power::default_max_opps);
}
