/// @file fwd.hpp
/// Forward declarations of the simulation's main types; thermo/fwd.hpp gathers every area's.
///
/// `simulation`'s default template argument (`default_limits`) is still given by its
/// definition in sim/simulation.hpp: that header is being split, and the default moves here
/// (with the new headers including this file) when the split lands. Until then
/// `sim::simulation<>` needs sim/simulation.hpp; `sim::simulation<sim::default_limits>` does not.
#pragma once

namespace thermo::sim {

struct default_limits;
template <class Limits>
class simulation;
class recorder;

}  // namespace thermo::sim
