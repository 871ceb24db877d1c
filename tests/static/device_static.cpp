// thermo/device.hpp, the firmware umbrella (core, power, schema, control), compiles with
// -fno-exceptions -fno-rtti and the house warnings, here and for a Cortex-M4
// (thermo.static.cortex_m4.device_static), and gives the device-side API in one include.
// tools/gen_umbrella.py --check keeps its list complete and host-only headers out of it.
// If this compiles, it passes.
#include <type_traits>

#include "thermo/device.hpp"

namespace {

using namespace thermo;

static_assert(std::is_same_v<control::power_allocator<>, control::power_allocator<8>>);
static_assert(std::is_same_v<power::em_perf_domain<>, power::em_perf_domain<32>>);
static_assert(control::PowerActor<control::cpufreq_cooling<power::em_perf_domain_view>>);
static_assert(control::Governor<control::step_wise<>>);
static_assert(Quantity<milliwatts> && !Quantity<millicelsius>);

}  // namespace
