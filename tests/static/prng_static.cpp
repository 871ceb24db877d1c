// Compile-time guarantees of the PRNG: the generator and its distributions are constexpr, so the
// published vectors and our pinned values are checked by the compiler itself — here on the host
// and, through examples/firmware/firmware_smoke.cpp's includes, on arm-none-eabi too. If this
// compiles, it passes.
#include <array>
#include <cstdint>
#include <type_traits>

#include "static_support.hpp"
#include "thermo/core/prng.hpp"

namespace {

using namespace thermo;
using namespace thermo::static_test;

static_assert(sizeof(xoshiro256starstar) == 32);
static_assert(sizeof(splitmix64) == 8);
static_assert(std::is_trivially_copyable_v<xoshiro256starstar>);
static_assert(std::is_trivially_copyable_v<normal_distribution<float>>);
static_assert(!std::is_default_constructible_v<prng>);  // a seed is always explicit
static_assert(!std::is_convertible_v<std::uint64_t, prng>);
static_assert(std::is_same_v<prng, xoshiro256starstar>);
static_assert(RandomBitGenerator64<prng> && RandomBitGenerator64<splitmix64>);
static_assert(!RandomBitGenerator64<int>);

struct narrow_generator {
  using result_type = std::uint32_t;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return 0xffff'ffffU; }
  result_type operator()() { return 0; }
};
static_assert(!RandomBitGenerator64<narrow_generator>);

// Published: the first outputs of xoshiro256** from state {1, 2, 3, 4} (reference C code).
constexpr std::array<std::uint64_t, 4> first_outputs() {
  auto g = xoshiro256starstar::from_state({1, 2, 3, 4});
  std::array<std::uint64_t, 4> out{};
  for (auto& x : out) {
    x = g();
  }
  return out;
}
static_assert(first_outputs() ==
              std::array<std::uint64_t, 4>{11520U, 0U, 1509978240U, 1215971899390074240U});

// Published: SplitMix64 from seed 1234567.
static_assert(splitmix64(1234567)() == 6457827717110365317U);

// Pinned with tests/core/prng_reference.py: seeding, jump, distributions.
static_assert(prng(42)() == 0x15780b2e0c2ec716U);
static_assert([] {
  auto g = xoshiro256starstar::from_state({1, 2, 3, 4});
  g.jump();
  return g.state()[0];
}() == 0x8c7a153956b5f3d1U);
constexpr std::uint64_t four_dice_as_digits() {
  prng g(42);
  std::uint64_t digits = 0;
  for (int i = 0; i < 4; ++i) {
    digits = (digits * 10) + uniform_below(g, 6);
  }
  return digits;
}
static_assert(four_dice_as_digits() == 245);
static_assert([] {
  prng g(42);
  return uniform_int(g, -1000, 1000);
}() == -833);
static_assert([] {
  prng g(42);
  return uniform_real(g);
}() == 0x1.5780b2e0c2ec0p-4);
static_assert([] {
  prng g(42);
  normal_distribution<double> n;
  return n(g);
}() == -0x1.73d2feb0fb377p-1);
static_assert([] {
  prng g(42);
  normal_distribution<double> n;
  static_cast<void>(n(g));
  return n(g);
}() == -0x1.b088028693f9cp-3);

// Preconditions (checked by THERMO_ASSERT, which makes them non-constant).
#if THERMO_ENABLE_ASSERTS
static_assert(!ConstantEvaluable<[] { return xoshiro256starstar::from_state({0, 0, 0, 0}); }>);
static_assert(!ConstantEvaluable<[] {
  prng g(1);
  return uniform_below(g, 0);
}>);
static_assert(!ConstantEvaluable<[] {
  prng g(1);
  return uniform_int(g, 5, 4);
}>);
#endif

}  // namespace
