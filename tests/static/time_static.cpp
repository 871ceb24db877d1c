// Compile-time guarantees of the simulation clock (core/time.hpp): an instant (`sim_time`) is
// an affine point over `sim_duration`, like millicelsius over millikelvin_delta. If this
// compiles, it passes (built with -fno-exceptions -fno-rtti, and for the Cortex-M4).
#include <chrono>
#include <cstdint>
#include <type_traits>

#include "static_support.hpp"
#include "thermo/core/time.hpp"

namespace {

using namespace thermo;
using namespace thermo::static_test;
using namespace std::chrono_literals;

// ---- layout: an instant is exactly its 64-bit count ------------------------------------------
static_assert(sizeof(sim_time) == sizeof(std::int64_t));
static_assert(std::is_trivially_copyable_v<sim_time> && std::is_standard_layout_v<sim_time>);
static_assert(sim_time{}.time_since_epoch() == sim_duration{0});

// ---- the affine algebra ---------------------------------------------------------------------
static_assert(std::is_same_v<decltype(sim_time{} - sim_time{}), sim_duration>);
static_assert(std::is_same_v<decltype(sim_time{} + 1ms), sim_time>);
static_assert(std::is_same_v<decltype(1ms + sim_time{}), sim_time>);
static_assert(std::is_same_v<decltype(sim_time{} - 1ms), sim_time>);
static_assert(!Addable<sim_time, sim_time>);              // point + point is meaningless
static_assert(!Subtractable<sim_duration, sim_time>);     // duration − point too
static_assert(!Multipliable<sim_time, int>);              // no scaling of an instant
static_assert(!Divisible<sim_time, sim_duration>);
static_assert(!Negatable<sim_time>);
static_assert(Ordered<sim_time, sim_time> && EqualityComparable<sim_time, sim_time>);
static_assert(!EqualityComparable<sim_time, sim_duration>);  // an instant is not a duration …
static_assert(!Ordered<sim_time, sim_duration>);
static_assert(!std::is_convertible_v<sim_duration, sim_time>);  // … nor converts to one
static_assert(!std::is_convertible_v<sim_time, sim_duration>);
static_assert(!std::is_constructible_v<sim_time, std::int64_t>);  // no raw counts either
static_assert(std::is_constructible_v<sim_time, std::chrono::seconds>);  // but "5 s after start"

// ---- values ---------------------------------------------------------------------------------
static_assert(sim_time{2s} - sim_time{500ms} == 1500ms);
static_assert((sim_time{1s} += 2s) == sim_time{3s});
static_assert(sim_time{1s} < sim_time{2s} && never == sim_time::max());

// ---- saturation and rounding ----------------------------------------------------------------
static_assert(add_saturating(sim_time{1s}, 2s) == sim_time{3s});
static_assert(add_saturating(never - 1ns, 2ns) == never);
static_assert(add_saturating(sim_time{1s}, sim_duration::max()) == never);
static_assert(ceil_ns(1.5e-9) == 2ns);
static_assert(ceil_ns(2e-9) == 2ns);
static_assert(ceil_ns(0.0) == 0ns && ceil_ns(-1.0) == 0ns);
static_assert(ceil_ns(1e10) == sim_duration::max());  // 10¹⁹ ns: past the clock
static_assert(ceil_ns(0.05 + 1e-17, 1e-3) == 50'000'000ns);  // a hair above rounds down …
static_assert(ceil_ns(0.05 + 1e-17) == 50'000'001ns);        // … unless no hair is allowed
static_assert(to_seconds(sim_time{750ms}) == 0.75);

}  // namespace
