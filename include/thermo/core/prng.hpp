/// @file prng.hpp
/// A seeded, portable pseudo-random generator and hand-written distributions.
///
/// The standard library's engines are portable but its *distributions* are not: libstdc++,
/// libc++ and MSVC turn the same engine output into different numbers. thermo promises that a
/// run is a pure function of its inputs on every compiler and target, so everything here is
/// specified down to the bit:
///
/// * `xoshiro256starstar` (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
///   ACM TOMS 2021; https://prng.di.unimi.it/): 256-bit state, 64-bit output, period 2^256 − 1,
///   `jump()`/`long_jump()` for 2^64/2^128 non-overlapping streams. `prng` names it.
/// * `splitmix64` (Steele, Lea & Flood, OOPSLA 2014) turns one 64-bit seed into the 256-bit
///   state, as the xoshiro authors recommend.
/// * `uniform_below`, `uniform_int` (Lemire's multiply-and-reject method, ACM TOMACS 2019: no
///   modulo bias), `uniform_real` (the top 53 or 24 bits scaled by 2^-53 or 2^-24), `bernoulli`,
///   and `normal_distribution` (Marsaglia's polar method with our own `log` and `sqrt` built
///   from + − × ÷ only, so the result does not depend on the platform's libm).
///
/// The generator core is integer-only, `constexpr`, heap-free and fine in device code. The
/// floating distributions use IEEE-754 double arithmetic: they are bit-identical across
/// platforms as long as the compiler does not contract `a*b + c` into an FMA (thermo's targets
/// build with `-ffp-contract=off`). They are meant for the
/// model half (sensor noise, workload jitter). See docs/reference/core.md.
#pragma once

#include <array>
#include <bit>
#include <concepts>
#include <cstdint>
#include <limits>
#include <numbers>
#include <type_traits>

#include "thermo/core/assert.hpp"
#include "thermo/core/concepts.hpp"  // RandomBitGenerator64

namespace thermo {

// ---- generators --------------------------------------------------------------------------------

/// SplitMix64: a 64-bit state advanced by the golden-ratio increment and scrambled by two
/// xor-shift-multiply rounds. Used to expand a seed; fine as a small generator itself.
class splitmix64 {
 public:
  using result_type = std::uint64_t;

  /// Starts from `seed` (any value, zero included).
  constexpr explicit splitmix64(std::uint64_t seed) noexcept : state_(seed) {}

  [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
  [[nodiscard]] static constexpr result_type max() noexcept {
    return std::numeric_limits<result_type>::max();
  }

  /// The next output. O(1).
  constexpr result_type operator()() noexcept {
    state_ += 0x9e3779b97f4a7c15U;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9U;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebU;
    return z ^ (z >> 31U);
  }

  /// The current state (the seed advanced by one increment per output).
  [[nodiscard]] constexpr std::uint64_t state() const noexcept { return state_; }

  friend constexpr bool operator==(const splitmix64&, const splitmix64&) noexcept = default;

 private:
  std::uint64_t state_;
};

/// xoshiro256** 1.0: the all-purpose 64-bit generator of Blackman and Vigna.
///
/// 32 bytes of state, trivially copyable; each call is a handful of shifts, xors, two
/// multiplications and a rotation (no division, no branch). Copying a generator copies its
/// stream; `jump()` gives independent streams for parallel runs.
class xoshiro256starstar {
 public:
  using result_type = std::uint64_t;
  using state_type = std::array<std::uint64_t, 4>;

  /// Seeds the state with the first four outputs of `splitmix64(seed)`. Every seed (zero
  /// included) gives a valid, distinct stream.
  constexpr explicit xoshiro256starstar(std::uint64_t seed) noexcept {
    splitmix64 sm(seed);
    for (std::uint64_t& w : s_) {
      w = sm();
    }
  }

  /// A generator with exactly this state (for reproducing published vectors or restoring a
  /// saved run). Precondition: not all four words zero (the one state that never leaves zero).
  [[nodiscard]] static constexpr xoshiro256starstar from_state(const state_type& s) noexcept {
    THERMO_ASSERT((s[0] | s[1] | s[2] | s[3]) != 0U);
    xoshiro256starstar g(0);
    g.s_ = s;
    return g;
  }

  [[nodiscard]] static constexpr result_type min() noexcept { return 0; }
  [[nodiscard]] static constexpr result_type max() noexcept {
    return std::numeric_limits<result_type>::max();
  }

  /// The next 64-bit output. O(1).
  constexpr result_type operator()() noexcept {
    const std::uint64_t result = std::rotl(s_[1] * 5U, 7) * 9U;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = std::rotl(s_[3], 45);
    return result;
  }

  /// Advances the state as if by 2^128 calls (256 steps of work): use it to split one seed
  /// into up to 2^128 non-overlapping streams of 2^128 outputs.
  constexpr void jump() noexcept {
    constexpr state_type poly = {0x180ec6d33cfd0abaU, 0xd5a61266f0c9392cU, 0xa9582618e03fc9aaU,
                                 0x39abdc4529b1661cU};
    apply_jump(poly);
  }

  /// Advances the state as if by 2^192 calls: up to 2^64 starting points, each with room for
  /// 2^64 `jump()` sub-streams.
  constexpr void long_jump() noexcept {
    constexpr state_type poly = {0x76e15d3efefdcbbfU, 0xc5004e441c522fb3U, 0x77710069854ee241U,
                                 0x39109bb02acbe635U};
    apply_jump(poly);
  }

  /// Skips `n` outputs. O(n).
  constexpr void discard(std::uint64_t n) noexcept {
    for (; n > 0; --n) {
      static_cast<void>((*this)());
    }
  }

  /// The current 256-bit state.
  [[nodiscard]] constexpr const state_type& state() const noexcept { return s_; }

  friend constexpr bool operator==(const xoshiro256starstar&,
                                   const xoshiro256starstar&) noexcept = default;

 private:
  // Multiplies the state by the jump polynomial: xor together the states reached at the
  // positions of the polynomial's set bits.
  constexpr void apply_jump(const state_type& poly) noexcept {
    state_type acc{};
    for (const std::uint64_t word : poly) {
      for (unsigned b = 0; b < 64U; ++b) {
        if (((word >> b) & 1U) != 0U) {
          for (std::size_t i = 0; i < acc.size(); ++i) {
            acc[i] ^= s_[i];
          }
        }
        static_cast<void>((*this)());
      }
    }
    s_ = acc;
  }

  state_type s_{};
};

/// thermo's default generator.
using prng = xoshiro256starstar;

// ---- distributions -----------------------------------------------------------------------------

namespace detail {

/// The full 128-bit product of two 64-bit words, from 32-bit halves (no `__int128`, so the
/// same code runs on a 32-bit MCU).
struct wide_product {
  std::uint64_t hi;
  std::uint64_t lo;
};
[[nodiscard]] constexpr wide_product mul_wide(std::uint64_t a, std::uint64_t b) noexcept {
  constexpr std::uint64_t mask = 0xffffffffU;
  const std::uint64_t a_lo = a & mask;
  const std::uint64_t a_hi = a >> 32U;
  const std::uint64_t b_lo = b & mask;
  const std::uint64_t b_hi = b >> 32U;
  const std::uint64_t p0 = a_lo * b_lo;
  const std::uint64_t p1 = a_lo * b_hi;
  const std::uint64_t p2 = a_hi * b_lo;
  const std::uint64_t p3 = a_hi * b_hi;
  const std::uint64_t mid = (p0 >> 32U) + (p1 & mask) + (p2 & mask);  // < 3 * 2^32
  return {.hi = p3 + (p1 >> 32U) + (p2 >> 32U) + (mid >> 32U), .lo = (mid << 32U) | (p0 & mask)};
}

/// Natural logarithm of a positive finite `x` with + − × ÷ only (a few ulp; bit-identical on
/// every IEEE-754 platform without FMA contraction). x = m·2^e with m in [√½, √2);
/// ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716, summed to s^21 (truncation < 2^-56).
[[nodiscard]] constexpr double log_positive(double x) noexcept {
  THERMO_ASSERT(x > 0.0 && x <= std::numeric_limits<double>::max());
  int e = 0;
  if (x < std::numeric_limits<double>::min()) {  // subnormal: scale into the normal range
    x *= 0x1.0p54;
    e = -54;
  }
  const auto bits = std::bit_cast<std::uint64_t>(x);
  e += static_cast<int>(bits >> 52U) - 1023;
  constexpr std::uint64_t mantissa_mask = (std::uint64_t{1} << 52U) - 1U;
  auto m = std::bit_cast<double>((bits & mantissa_mask) | (std::uint64_t{1023} << 52U));
  if (m > std::numbers::sqrt2) {
    m *= 0.5;
    ++e;
  }
  const double f = m - 1.0;  // exact (Sterbenz)
  const double s = f / (2.0 + f);
  const double s2 = s * s;
  double poly = 1.0 / 21.0;
  for (int k = 9; k >= 0; --k) {
    poly = (poly * s2) + (1.0 / static_cast<double>((2 * k) + 1));
  }
  return (static_cast<double>(e) * std::numbers::ln2) + (2.0 * s * poly);
}

/// Square root of a finite `x >= 0` by Newton's iteration from an exponent-halving first
/// guess (within 1 ulp; bit-identical on every IEEE-754 platform without FMA contraction).
[[nodiscard]] constexpr double sqrt_nonnegative(double x) noexcept {
  THERMO_ASSERT(x >= 0.0 && x <= std::numeric_limits<double>::max());
  if (x == 0.0) {
    return x;
  }
  // Tiny or subnormal: scale by an even power of two (exact), unscale the root at the end.
  const bool tiny = x < 0x1.0p-1000;
  if (tiny) {
    x *= 0x1.0p100;
  }
  // Halving the biased exponent (with the mantissa bits riding along) is within ~6 %.
  auto y =
      std::bit_cast<double>((std::bit_cast<std::uint64_t>(x) >> 1U) + (std::uint64_t{1023} << 51U));
  for (int i = 0; i < 6; ++i) {
    y = 0.5 * (y + (x / y));
  }
  return tiny ? y * 0x1.0p-50 : y;
}

}  // namespace detail

/// A uniform integer in `[0, bound)`, without modulo bias (Lemire's method: the high half of
/// `g() * bound`, rejecting the `2^64 mod bound` lowest low halves). Calls to `g` per result:
/// 1 / (1 − (2^64 mod bound)/2^64) on average, below 2 for every bound and ~1 for small ones;
/// one division, on the rare slow path only.
/// Precondition: `bound > 0`.
template <RandomBitGenerator64 G>
[[nodiscard]] constexpr std::uint64_t uniform_below(G& g, std::uint64_t bound) noexcept {
  THERMO_ASSERT(bound > 0U);
  detail::wide_product p = detail::mul_wide(g(), bound);
  if (p.lo < bound) {
    const std::uint64_t threshold = (0U - bound) % bound;  // 2^64 mod bound
    while (p.lo < threshold) {
      p = detail::mul_wide(g(), bound);
    }
  }
  return p.hi;
}

/// A uniform integer in the closed range `[lo, hi]`, without modulo bias, for any integer type
/// up to 64 bits (the full range of `int64_t`/`uint64_t` included). Precondition: `lo <= hi`.
template <std::integral T, RandomBitGenerator64 G>
  requires(!std::same_as<std::remove_cv_t<T>, bool>)
[[nodiscard]] constexpr T uniform_int(G& g, T lo, T hi) noexcept {
  static_assert(sizeof(T) <= sizeof(std::uint64_t), "at most 64-bit integers");
  THERMO_ASSERT(lo <= hi);
  // Differences of the two's-complement images modulo 2^64 are the exact span.
  // NOLINTBEGIN(bugprone-signed-char-misuse,cert-str34-c): sign extension is the point here
  const auto ulo = static_cast<std::uint64_t>(lo);
  const std::uint64_t span = static_cast<std::uint64_t>(hi) - ulo;
  // NOLINTEND(bugprone-signed-char-misuse,cert-str34-c)
  const std::uint64_t offset =
      span == std::numeric_limits<std::uint64_t>::max() ? g() : uniform_below(g, span + 1U);
  return static_cast<T>(ulo + offset);  // in [lo, hi]: the conversion is exact
}

/// A uniform real in `[0, 1)`: the top 53 (double) or 24 (float) bits of one output, times
/// 2^-53 or 2^-24. Every value is a multiple of that step; 1 is never returned.
template <std::floating_point Real = double, RandomBitGenerator64 G>
  requires(std::same_as<Real, double> || std::same_as<Real, float>)
[[nodiscard]] constexpr Real uniform_real(G& g) noexcept {
  if constexpr (std::same_as<Real, double>) {
    return static_cast<double>(g() >> 11U) * 0x1.0p-53;
  } else {
    return static_cast<float>(g() >> 40U) * 0x1.0p-24F;
  }
}

/// A uniform real in `[a, b)`: `a + (b − a)·u` with u from `uniform_real`. As with
/// `std::uniform_real_distribution`, rounding can return `b` itself when `b − a` is much
/// larger than `a`'s ulp. Precondition: `a < b`, both finite.
template <std::floating_point Real, RandomBitGenerator64 G>
  requires(std::same_as<Real, double> || std::same_as<Real, float>)
[[nodiscard]] constexpr Real uniform_real(G& g, Real a, Real b) noexcept {
  THERMO_ASSERT(a < b);
  return a + ((b - a) * uniform_real<Real>(g));
}

/// True with probability `p` (`uniform_real<double>(g) < p`): always false for `p <= 0`, always
/// true for `p >= 1`. One call to `g`.
template <RandomBitGenerator64 G>
[[nodiscard]] constexpr bool bernoulli(G& g, double p) noexcept {
  return uniform_real<double>(g) < p;
}

/// Normally distributed reals with a given mean and standard deviation (Marsaglia's polar
/// method).
///
/// Each accepted pair (u, v) uniform in the unit disc gives two independent standard normals
/// u·f and v·f, f = √(−2 ln s / s), s = u² + v²; the second is kept for the next call
/// (`reset()` drops it). A pair is accepted with probability π/4, so a sample costs 1.27 draws
/// from `g` on average; more than 20 rejections in a row has probability below 1e-14. Computed
/// in `double` whatever `Real` is, with detail::log_positive / sqrt_nonnegative (no libm).
template <std::floating_point Real = double>
  requires(std::same_as<Real, double> || std::same_as<Real, float>)
class normal_distribution {
 public:
  using result_type = Real;

  /// The standard normal (mean 0, standard deviation 1).
  constexpr normal_distribution() noexcept = default;
  /// Precondition: `stddev >= 0`, both finite.
  constexpr normal_distribution(Real mean, Real stddev) noexcept : mean_(mean), stddev_(stddev) {
    THERMO_ASSERT(stddev >= Real{0} && stddev <= std::numeric_limits<Real>::max());
    THERMO_ASSERT(mean >= std::numeric_limits<Real>::lowest() &&
                  mean <= std::numeric_limits<Real>::max());
  }

  [[nodiscard]] constexpr Real mean() const noexcept { return mean_; }
  [[nodiscard]] constexpr Real stddev() const noexcept { return stddev_; }

  /// Forgets the cached second value, so the next call starts a fresh pair.
  constexpr void reset() noexcept { has_spare_ = false; }

  /// The next sample.
  template <RandomBitGenerator64 G>
  [[nodiscard]] constexpr Real operator()(G& g) noexcept {
    double z = 0.0;
    if (has_spare_) {
      has_spare_ = false;
      z = spare_;
    } else {
      double u = 0.0;
      double v = 0.0;
      double s = 0.0;
      for (;;) {
        u = (2.0 * uniform_real<double>(g)) - 1.0;  // exact: a multiple of 2^-52 in [-1, 1)
        v = (2.0 * uniform_real<double>(g)) - 1.0;
        s = (u * u) + (v * v);
        if (s < 1.0 && s != 0.0) {
          break;
        }
      }
      const double f = detail::sqrt_nonnegative(-2.0 * detail::log_positive(s) / s);
      spare_ = v * f;
      has_spare_ = true;
      z = u * f;
    }
    return static_cast<Real>(static_cast<double>(mean_) + (static_cast<double>(stddev_) * z));
  }

  friend constexpr bool operator==(const normal_distribution&,
                                   const normal_distribution&) noexcept = default;

 private:
  Real mean_{0};
  Real stddev_{1};
  double spare_{0.0};
  bool has_spare_{false};
};

}  // namespace thermo
