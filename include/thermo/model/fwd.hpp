/// @file fwd.hpp
/// Forward declarations of the thermal network's types (model/rc_network.hpp), with their
/// default template arguments. rc_network.hpp includes this file and does not repeat the
/// defaults (a default may be given once); thermo/fwd.hpp gathers every area's declarations.
///
/// Only the rc_network family: every name here is one rc_network.hpp defines, so including
/// that header declares nothing more than before (model/'s names live directly in `thermo`,
/// where a new name could clash with a user's under `using namespace thermo`). The other model
/// templates (`power_domain`, `leakage_model` …) keep their defaults in their own headers.
#pragma once

#include <cstddef>

namespace thermo {

template <class Real = double, std::size_t MaxNodes = 32, std::size_t MaxEdges = 4 * MaxNodes>
class rc_network_builder;
template <class Real = double, std::size_t MaxNodes = 32>
class rc_network;
template <class Real = double, std::size_t MaxNodes = 32>
class rc_probe;

}  // namespace thermo
