/// @file fwd.hpp
/// Forward declarations of the simulation's main types, with `simulation`'s default template
/// argument (`default_limits`); sim/simulation.hpp includes this file and does not repeat it.
/// thermo/fwd.hpp gathers every area's declarations.
#pragma once

namespace thermo::sim {

struct default_limits;
template <class Limits = default_limits>
class simulation;
template <class Limits>
class shared_plant;
class recorder;

}  // namespace thermo::sim
