/// @file fwd.hpp
/// Forward declarations of the control half's main types, with their default template
/// arguments. The definitions include this file and do not repeat the defaults (a default may
/// be given once); thermo/fwd.hpp gathers every area's declarations (see there).
///
/// Not declared here: `cpufreq_cooling` and `devfreq_cooling`, constrained by `PerfDomain`
/// (control/concepts.hpp is more than a forward declaration should pull in), and `step_wise`'s
/// default, an enumerator of `step_wise_variant` that only its definition can name.
#pragma once

#include <cstddef>
#include <cstdint>

namespace thermo::control {

struct thermal_trip;
struct thermal_instance;
class thermal_zone_device;
template <std::size_t MaxTrips, std::size_t MaxInstances, std::size_t MaxThresholds = 0>
class thermal_zone;
class thermal_cooling_device;
template <std::size_t MaxStates>
class cooling_device_stats;
class any_cooling_device;
class governor_ref;
template <std::size_t Capacity>
class event_ring;

// cooling devices
class idle_injection_cooling;
template <std::size_t MaxLevels = 16>
class fan_cooling;

// governors
enum class step_wise_variant : std::uint8_t;
template <step_wise_variant Variant>  // default (v6_12_117): in step_wise.hpp
class step_wise;
template <std::size_t MaxZones = 4>
class bang_bang;
class fair_share;
class user_space;
class power_allocator_core;
template <std::size_t MaxActors = 8>
class power_allocator;
template <std::size_t MaxActors = 8>
class scp_thermal_mgmt;
namespace scp {
template <std::size_t MaxActors = 8>
class thermal_domain;
}  // namespace scp

}  // namespace thermo::control
