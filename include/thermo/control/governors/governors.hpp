/// @file governors.hpp
/// Every governor: step_wise, bang_bang, fair_share, user_space, power_allocator and the
/// SCP-firmware thermal_mgmt port, and the registry that chooses one by name
/// (`kernel_governors`). See docs/explanation/governors.md.
#pragma once

#include "thermo/control/governors/bang_bang.hpp"
#include "thermo/control/governors/common.hpp"
#include "thermo/control/governors/fair_share.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/registry.hpp"
#include "thermo/control/governors/scp_thermal_mgmt.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/control/governors/user_space.hpp"
