// Including a header declares no names of other areas. model/rc_network.hpp takes its default
// template arguments from model/fwd.hpp, which declares only the rc_network family: a user's own
// `power` beside `using namespace thermo;` (tests/model/integrators_test.cpp has one) must stay
// unambiguous, which a `thermo::power` namespace reaching this file would break (thermo/fwd.hpp
// explains the per-area layout). If this compiles, it passes.
#include "thermo/model/rc_network.hpp"

using namespace thermo;  // NOLINT(google-build-using-namespace): what the test is about

namespace {
constexpr int power = 1;
constexpr int control = 2;
constexpr int workload = 3;
constexpr int sim = 4;
}  // namespace

static_assert(power + control + workload + sim == 10);
static_assert(rc_network<>::capacity() == 32 && rc_network_builder<>::capacity() == 32);
