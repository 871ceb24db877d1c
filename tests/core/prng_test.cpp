#include "thermo/core/prng.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"

using namespace thermo;

namespace {

// Mean and (population) variance of a sample, in double.
struct moments {
  double mean = 0.0;
  double variance = 0.0;
  double skewness = 0.0;
  double excess_kurtosis = 0.0;
};
moments moments_of(const std::vector<double>& xs) {
  moments m;
  const auto n = static_cast<double>(xs.size());
  for (const double x : xs) {
    m.mean += x;
  }
  m.mean /= n;
  double m2 = 0.0;
  double m3 = 0.0;
  double m4 = 0.0;
  for (const double x : xs) {
    const double d = x - m.mean;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  m2 /= n;
  m3 /= n;
  m4 /= n;
  m.variance = m2;
  m.skewness = m3 / (m2 * std::sqrt(m2));
  m.excess_kurtosis = m4 / (m2 * m2) - 3.0;
  return m;
}

// A generator that replays a fixed list of words (to drive the rejection paths) and counts calls.
struct scripted_generator {
  using result_type = std::uint64_t;
  std::array<std::uint64_t, 4> words{};
  std::size_t calls = 0;
  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return std::numeric_limits<std::uint64_t>::max(); }
  result_type operator()() { return words.at(calls++); }
};

}  // namespace

TEST_CASE("xoshiro256** reproduces the published reference outputs", "[prng]") {
  // State {1, 2, 3, 4}: the first ten outputs of the reference C implementation
  // (prng.di.unimi.it/xoshiro256starstar.c); the same vector is in other ports' test suites,
  // e.g. Rust's rand_xoshiro. Recomputed by tests/core/prng_reference.py.
  auto g = xoshiro256starstar::from_state({1, 2, 3, 4});
  const std::array<std::uint64_t, 10> expected = {11520U,
                                                  0U,
                                                  1509978240U,
                                                  1215971899390074240U,
                                                  1216172134540287360U,
                                                  607988272756665600U,
                                                  16172922978634559625U,
                                                  8476171486693032832U,
                                                  10595114339597558777U,
                                                  2904607092377533576U};
  for (const std::uint64_t e : expected) {
    CHECK(g() == e);
  }
}

TEST_CASE("splitmix64 reproduces the published reference outputs", "[prng]") {
  // Seed 1234567: Vigna's splitmix64.c; the vector of Rust rand_xoshiro's SplitMix64 test.
  splitmix64 g(1234567);
  CHECK(g() == 6457827717110365317U);
  CHECK(g() == 3203168211198807973U);
  CHECK(g() == 9817491932198370423U);
  CHECK(g() == 4593380528125082431U);
  CHECK(g() == 16408922859458223821U);
}

TEST_CASE("seeding, jump and long_jump agree with an independent implementation", "[prng]") {
  SECTION("PHP's Random\\Engine\\Xoshiro256StarStar vector") {
    // php-src ext/random/tests/02_engine/xoshiro256starstar_value.phpt: seed 1234 (expanded by
    // SplitMix64), 10000 outputs, jump(), jumpLong(), then one output printed as little-endian
    // hex "1f197e9ca7969123".
    prng g(1234);
    g.discard(10000);
    g.jump();
    g.long_jump();
    CHECK(g() == 0x239196a79c7e191fU);
  }
  SECTION("jump and long_jump from {1, 2, 3, 4} (tests/core/prng_reference.py)") {
    auto a = xoshiro256starstar::from_state({1, 2, 3, 4});
    a.jump();
    CHECK(a.state() == xoshiro256starstar::state_type{0x8c7a153956b5f3d1U, 0x701f1a713401d85eU,
                                                      0x6527f66a65469085U, 0x8386b786c4408050U});
    auto b = xoshiro256starstar::from_state({1, 2, 3, 4});
    b.long_jump();
    CHECK(b.state() == xoshiro256starstar::state_type{0x096a8eb71295a400U, 0xdbf84991e50f4516U,
                                                      0x534ee745810d2a0eU, 0x31655ca1a2215bf1U});
  }
  SECTION("a seed expands to the first four SplitMix64 outputs") {
    splitmix64 sm(42);
    const xoshiro256starstar::state_type s = {sm(), sm(), sm(), sm()};
    CHECK(prng(42).state() == s);
    CHECK(prng(42) == xoshiro256starstar::from_state(s));
  }
}

TEST_CASE("the same seed gives the same sequence and different seeds differ", "[prng]") {
  prng a(7);
  prng b(7);
  prng c(8);
  int differing = 0;
  for (int i = 0; i < 1000; ++i) {
    const auto x = a();
    CHECK(x == b());
    differing += x != c() ? 1 : 0;
  }
  CHECK(differing == 1000);

  SECTION("a copy continues the same stream; discard(n) equals n calls") {
    prng d = a;
    CHECK(d == a);
    prng e = a;
    for (int i = 0; i < 37; ++i) {
      static_cast<void>(d());
    }
    e.discard(37);
    CHECK(d == e);
    CHECK(d() == e());
  }
  SECTION("zero is a valid seed") {
    prng z(0);
    CHECK(z.state() != xoshiro256starstar::state_type{});
    CHECK(z() != z());
  }
  SECTION("a jumped stream does not start where the original continues") {
    prng j = a;
    j.jump();
    CHECK(j != a);
    CHECK(j() != a());
  }
}

TEST_CASE("the 128-bit product is exact", "[prng]") {
  __extension__ using u128 = unsigned __int128;
  prng g(99);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t a = g();
    const std::uint64_t b = (i % 3 == 0) ? std::numeric_limits<std::uint64_t>::max() : g();
    const auto p = detail::mul_wide(a, b);
    const u128 r = static_cast<u128>(a) * b;
    REQUIRE(p.hi == static_cast<std::uint64_t>(r >> 64U));
    REQUIRE(p.lo == static_cast<std::uint64_t>(r));
  }
}

TEST_CASE("uniform_below and uniform_int are unbiased and in range", "[prng]") {
  SECTION("pinned values for seed 42 (tests/core/prng_reference.py)") {
    prng g(42);
    const std::array<std::uint64_t, 8> dice = {0, 2, 4, 5, 5, 4, 4, 5};
    for (const auto d : dice) {
      CHECK(uniform_below(g, 6) == d);
    }
    prng h(42);
    CHECK(uniform_int(h, -1000, 1000) == -833);
    CHECK(uniform_int(h, -1000, 1000) == -242);
    CHECK(uniform_int(h, -1000, 1000) == 360);
    CHECK(uniform_int(h, -1000, 1000) == 850);
  }

  SECTION("a die is fair: every face within 5 sigma of 1/6") {
    prng g(2024);
    std::array<int, 6> counts{};
    constexpr int n = 60'000;
    for (int i = 0; i < n; ++i) {
      ++counts.at(uniform_below(g, 6));
    }
    const double expected = n / 6.0;
    const double sigma = std::sqrt(n * (1.0 / 6.0) * (5.0 / 6.0));
    for (const int c : counts) {
      CHECK(std::abs(c - expected) < 5 * sigma);
    }
  }

  SECTION("no modulo bias for a bound where `x % bound` would be badly biased") {
    // bound = 3·2^62: with `x % bound`, values below 2^62 would come up half the time; unbiased
    // they come up a third of the time.
    const std::uint64_t bound = std::uint64_t{3} << 62U;
    prng g(5);
    int low = 0;
    constexpr int n = 30'000;
    for (int i = 0; i < n; ++i) {
      const auto x = uniform_below(g, bound);
      REQUIRE(x < bound);
      low += x < (std::uint64_t{1} << 62U) ? 1 : 0;
    }
    CHECK(std::abs((low / static_cast<double>(n)) - (1.0 / 3.0)) < 0.015);  // 5.5 sigma
  }

  SECTION("the rejection path draws again") {
    // bound 3·2^62: threshold 2^64 mod bound = 2^62. x = 0 gives a low half of 0 (< threshold),
    // rejected; x = 1 gives 3·2^62, accepted, with high half 0.
    scripted_generator s{.words = {0, 1, 0, 0}};
    CHECK(uniform_below(s, std::uint64_t{3} << 62U) == 0U);
    CHECK(s.calls == 2U);
    scripted_generator t{.words = {std::numeric_limits<std::uint64_t>::max(), 0, 0, 0}};
    CHECK(uniform_below(t, 6) == 5U);
    CHECK(t.calls == 1U);
  }

  SECTION("every value of a small signed range appears, and nothing outside it") {
    prng g(3);
    std::array<int, 7> seen{};
    for (int i = 0; i < 7000; ++i) {
      const int x = uniform_int(g, -3, 3);
      REQUIRE(x >= -3);
      REQUIRE(x <= 3);
      const int slot = x + 3;
      ++seen.at(static_cast<std::size_t>(slot));
    }
    for (const int c : seen) {
      CHECK(c > 800);
    }
  }

  SECTION("degenerate and full ranges") {
    prng g(11);
    CHECK(uniform_int(g, 5, 5) == 5);
    CHECK(uniform_int(g, std::int8_t{-128}, std::int8_t{-128}) == -128);
    const auto lo = std::numeric_limits<std::int64_t>::min();
    const auto hi = std::numeric_limits<std::int64_t>::max();
    prng r1(11);
    prng r2(11);
    static_cast<void>(r1());  // uniform_int(g, 5, 5) used one output
    static_cast<void>(r1());
    const std::int64_t full = uniform_int(r1, lo, hi);
    static_cast<void>(r2());
    static_cast<void>(r2());
    // The full range is the raw output, offset from the minimum.
    CHECK(static_cast<std::uint64_t>(full) == r2() + (std::uint64_t{1} << 63U));
    CHECK(uniform_int(g, std::uint64_t{0}, std::numeric_limits<std::uint64_t>::max()) != 0U);
    for (int i = 0; i < 1000; ++i) {
      const auto x = uniform_int(g, std::uint8_t{250}, std::uint8_t{255});
      REQUIRE(x >= 250);
    }
  }
}

TEST_CASE("uniform_real lies in the half-open unit interval with the right moments", "[prng]") {
  SECTION("pinned values for seed 42") {
    prng g(42);
    CHECK(uniform_real(g) == 0x1.5780b2e0c2ec0p-4);
    CHECK(uniform_real(g) == 0x1.84136619b444ep-2);
  }
  SECTION("double: 53-bit grid, mean 1/2, variance 1/12") {
    prng g(17);
    std::vector<double> xs(200'000);
    for (double& x : xs) {
      x = uniform_real(g);
      REQUIRE(x >= 0.0);
      REQUIRE(x < 1.0);
      const double scaled = x * 0x1.0p53;
      REQUIRE(scaled == std::floor(scaled));
    }
    const auto m = moments_of(xs);
    CHECK(m.mean == Approx(0.5).margin(0.004));  // sigma = 0.00065
    CHECK(m.variance == Approx(1.0 / 12).margin(0.002));
  }
  SECTION("float: 24-bit grid, never 1") {
    prng g(18);
    double sum = 0.0;
    for (int i = 0; i < 100'000; ++i) {
      const auto x = uniform_real<float>(g);
      REQUIRE(x >= 0.0F);
      REQUIRE(x < 1.0F);
      const float scaled = x * 0x1.0p24F;
      REQUIRE(scaled == std::floor(scaled));
      sum += static_cast<double>(x);
    }
    CHECK(sum / 100'000 == Approx(0.5).margin(0.005));
    scripted_generator top{.words = {std::numeric_limits<std::uint64_t>::max(), 0, 0, 0}};
    CHECK(uniform_real<float>(top) == 1.0F - 0x1.0p-24F);
    scripted_generator top53{.words = {std::numeric_limits<std::uint64_t>::max(), 0, 0, 0}};
    CHECK(uniform_real(top53) == 1.0 - 0x1.0p-53);
  }
  SECTION("a range [a, b)") {
    prng g(19);
    for (int i = 0; i < 10'000; ++i) {
      const double x = uniform_real(g, -2.5, 7.5);
      REQUIRE(x >= -2.5);
      REQUIRE(x < 7.5);
    }
  }
}

TEST_CASE("bernoulli gives true with probability p", "[prng]") {
  prng g(23);
  int hits = 0;
  for (int i = 0; i < 50'000; ++i) {
    hits += bernoulli(g, 0.3) ? 1 : 0;
    CHECK_FALSE(bernoulli(g, 0.0));
    CHECK(bernoulli(g, 1.0));
  }
  CHECK(hits / 50'000.0 == Approx(0.3).margin(0.01));  // sigma = 0.002
}

TEST_CASE("our log and sqrt match the C library to a few ulp", "[prng]") {
  prng g(31);
  for (int i = 0; i < 20'000; ++i) {
    // Log-uniform over the whole double range, subnormals included.
    const double mant = 1.0 + uniform_real(g);
    const int exp = uniform_int(g, -1070, 1020);
    const double x = std::ldexp(mant, exp);
    const double ref_log = std::log(x);
    const double ref_sqrt = std::sqrt(x);
    INFO("x = " << x);
    REQUIRE(std::abs(detail::log_positive(x) - ref_log) <=
            (4 * std::numeric_limits<double>::epsilon() * std::abs(ref_log)) + 1e-300);
    REQUIRE(std::abs(detail::sqrt_nonnegative(x) - ref_sqrt) <=
            std::numeric_limits<double>::epsilon() * ref_sqrt);
  }
  SECTION("near 1, where the logarithm is small") {
    for (int k = -1000; k <= 1000; ++k) {
      const double x = 1.0 + (k * 1e-4);
      REQUIRE(std::abs(detail::log_positive(x) - std::log(x)) <=
              (4 * std::numeric_limits<double>::epsilon() * std::abs(std::log(x))) + 1e-300);
    }
    CHECK(detail::log_positive(1.0) == 0.0);
  }
  SECTION("exact cases") {
    CHECK(detail::sqrt_nonnegative(0.0) == 0.0);
    CHECK(detail::sqrt_nonnegative(4.0) == 2.0);
    CHECK(detail::sqrt_nonnegative(0x1.0p-1074) == 0x1.0p-537);
    const double big = std::sqrt(std::numeric_limits<double>::max());
    CHECK(std::abs(detail::sqrt_nonnegative(std::numeric_limits<double>::max()) - big) <=
          std::numeric_limits<double>::epsilon() * big);  // within 1 ulp, not always exact
    CHECK(detail::log_positive(std::numeric_limits<double>::denorm_min()) ==
          Approx(std::log(std::numeric_limits<double>::denorm_min())).epsilon(1e-15));
  }
}

TEST_CASE("normal_distribution has the moments and tails of a normal", "[prng]") {
  SECTION("pinned values for seed 42 (bit-exact, tests/core/prng_reference.py)") {
    prng g(42);
    normal_distribution<double> n;
    CHECK(n(g) == -0x1.73d2feb0fb377p-1);
    CHECK(n(g) == -0x1.b088028693f9cp-3);
    CHECK(n(g) == 0x1.c5e21f7812a4ep-3);
    CHECK(n(g) == 0x1.0ba8bb0c5fa51p-1);
  }
  SECTION("standard normal: mean, variance, skewness, kurtosis and the 1/2/3-sigma masses") {
    prng g(1);
    normal_distribution<double> n;
    std::vector<double> xs(200'000);
    int within1 = 0;
    int within2 = 0;
    int within3 = 0;
    for (double& x : xs) {
      x = n(g);
      within1 += std::abs(x) < 1.0 ? 1 : 0;
      within2 += std::abs(x) < 2.0 ? 1 : 0;
      within3 += std::abs(x) < 3.0 ? 1 : 0;
    }
    const auto m = moments_of(xs);
    const auto count = static_cast<double>(xs.size());
    CHECK(m.mean == Approx(0.0).margin(0.012));  // sigma = 0.0022
    CHECK(m.variance == Approx(1.0).margin(0.016));
    CHECK(m.skewness == Approx(0.0).margin(0.03));
    CHECK(m.excess_kurtosis == Approx(0.0).margin(0.06));
    CHECK(within1 / count == Approx(0.682689).margin(0.006));
    CHECK(within2 / count == Approx(0.954500).margin(0.003));
    CHECK(within3 / count == Approx(0.997300).margin(0.0008));
  }
  SECTION("mean and standard deviation scale the standard normal; float works too") {
    prng g(2);
    normal_distribution<float> n(25.0F, 0.5F);
    CHECK(n.mean() == 25.0F);
    CHECK(n.stddev() == 0.5F);
    std::vector<double> xs(50'000);
    for (double& x : xs) {
      x = static_cast<double>(n(g));
    }
    const auto m = moments_of(xs);
    CHECK(m.mean == Approx(25.0).margin(0.02));
    CHECK(std::sqrt(m.variance) == Approx(0.5).margin(0.01));
  }
  SECTION("the second value of a pair is cached; reset drops it") {
    prng g1(4);
    prng g2(4);
    normal_distribution<double> a;
    normal_distribution<double> b;
    static_cast<void>(a(g1));
    static_cast<void>(b(g2));
    CHECK(a == b);
    const prng before = g1;
    static_cast<void>(a(g1));  // the cached spare: no draw
    CHECK(g1 == before);
    b.reset();
    static_cast<void>(b(g2));  // a fresh pair: at least two draws
    CHECK(g2 != before);
  }
  SECTION("zero standard deviation gives the mean") {
    prng g(6);
    normal_distribution<double> n(3.0, 0.0);
    CHECK(n(g) == 3.0);
  }
}

TEST_CASE("the generator works with any 64-bit bit generator and never allocates", "[prng]") {
  STATIC_REQUIRE(RandomBitGenerator64<prng>);
  STATIC_REQUIRE(RandomBitGenerator64<splitmix64>);
  STATIC_REQUIRE(RandomBitGenerator64<std::mt19937_64>);
  STATIC_REQUIRE_FALSE(RandomBitGenerator64<std::mt19937>);  // 32-bit words
  STATIC_REQUIRE(std::uniform_random_bit_generator<prng>);
  std::mt19937_64 mt(5);  // NOLINT(cert-msc32-c,cert-msc51-cpp): reproducible on purpose
  CHECK(uniform_below(mt, 10) < 10U);
  std::uniform_int_distribution<int> d(1, 6);  // std distributions accept it too (not portable)
  prng g(8);
  const int roll = d(g);
  CHECK((roll >= 1 && roll <= 6));
  THERMO_REQUIRE_NO_HEAP({
    prng h(9);
    normal_distribution<double> n;
    double acc = 0.0;
    for (int i = 0; i < 1000; ++i) {
      acc += n(h) + uniform_real(h) + static_cast<double>(uniform_int(h, 0, 9));
    }
    h.jump();
    CHECK(acc != 0.0);
  });
}
