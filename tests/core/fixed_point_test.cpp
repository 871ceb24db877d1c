#include "thermo/core/fixed_point.hpp"

#include <cstdint>
#include <limits>
#include <type_traits>

#include <catch2/catch.hpp>

#include "support/heap_guard.hpp"

using namespace thermo;

namespace {

constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t i64_max = std::numeric_limits<std::int64_t>::max();
constexpr std::int32_t i32_min = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t i32_max = std::numeric_limits<std::int32_t>::max();
constexpr std::uint32_t u32_max = std::numeric_limits<std::uint32_t>::max();

// Independent references computed in 128 bits (gcc/clang extension, host tests only).
__extension__ using i128 = __int128;

// floor(a / b) for b > 0, exact.
i128 floor_div(i128 a, i128 b) {
  i128 q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) {
    --q;
  }
  return q;
}

// Round-half-away-from-zero of a / b, exact (what DIV_ROUND_CLOSEST means without overflow).
std::int64_t round_closest_exact(std::int64_t a, std::int64_t b) {
  const i128 num = static_cast<i128>(a);
  const i128 den = static_cast<i128>(b);
  const i128 abs_num = num < 0 ? -num : num;
  const i128 abs_den = den < 0 ? -den : den;
  const i128 q = (2 * abs_num + abs_den) / (2 * abs_den);
  return static_cast<std::int64_t>(((num < 0) != (den < 0)) ? -q : q);
}

}  // namespace

TEST_CASE("int_to_frac and frac_to_int are the kernel's Q10 shifts", "[fixed-point]") {
  STATIC_REQUIRE(frac_bits == 10);
  STATIC_REQUIRE(q10::one == 1024);
  CHECK(int_to_frac(1) == 1024);
  CHECK(int_to_frac(-1000) == -1'024'000);
  CHECK(frac_to_int(1024) == 1);
  CHECK(frac_to_int(1023) == 0);

  SECTION("frac_to_int floors negative numbers (arithmetic shift), it does not truncate") {
    CHECK(frac_to_int(-1) == -1);
    CHECK(frac_to_int(-1024) == -1);
    CHECK(frac_to_int(-1025) == -2);
    CHECK(frac_to_int(std::int64_t{-552'000}) == -540);  // floor(-539.06)
    for (std::int64_t x = -5000; x <= 5000; x += 7) {
      CHECK(frac_to_int(x) == static_cast<std::int64_t>(floor_div(x, 1024)));
    }
  }

  SECTION("the result keeps the promoted type of the operand, like the C macro") {
    STATIC_REQUIRE(std::is_same_v<decltype(int_to_frac(std::int32_t{1})), std::int32_t>);
    STATIC_REQUIRE(std::is_same_v<decltype(int_to_frac(std::uint32_t{1})), std::uint32_t>);
    STATIC_REQUIRE(std::is_same_v<decltype(int_to_frac(std::int64_t{1})), std::int64_t>);
    STATIC_REQUIRE(std::is_same_v<decltype(int_to_frac(std::int16_t{1})), int>);
    STATIC_REQUIRE(std::is_same_v<decltype(frac_to_int(std::uint8_t{1})), int>);
  }

  SECTION("a 32-bit operand wraps in 32 bits, as in the kernel's s32 err") {
    CHECK(int_to_frac(std::int32_t{(1 << 21) - 1}) == 2'147'482'624);
    CHECK(int_to_frac(std::int32_t{1 << 21}) == i32_min);
    CHECK(int_to_frac(std::int32_t{-(1 << 21)}) == i32_min);
    CHECK(int_to_frac(std::uint32_t{1U << 22U}) == 0U);
    CHECK(int_to_frac(std::int64_t{1} << 21) == std::int64_t{1} << 31);
  }
}

TEST_CASE("mul_frac floors a 64-bit product and div_frac truncates toward zero", "[fixed-point]") {
  CHECK(mul_frac(1024, 1024) == 1024);
  CHECK(mul_frac(1, 1) == 0);
  CHECK(mul_frac(-1, 1) == -1);  // floor, not truncation
  CHECK(mul_frac(-1024, 1) == -1);
  CHECK(mul_frac(-1025, 1) == -2);
  CHECK(mul_frac(std::int64_t{3} * 1024, -512) == -1536);  // 3 × −0.5 = −1.5

  SECTION("a product past 32 bits is exact (64-bit intermediate)") {
    CHECK(mul_frac(int_to_frac(std::int64_t{2'000'000}), int_to_frac(std::int64_t{3'000})) ==
          int_to_frac(std::int64_t{6'000'000'000}));
  }

  SECTION("a product past 64 bits wraps as the kernel's s64 multiply does") {
    for (const std::int64_t a :
         {i64_max, i64_min, std::int64_t{1} << 40, -(std::int64_t{3} << 50)}) {
      for (const std::int64_t b :
           {std::int64_t{-1}, std::int64_t{3}, std::int64_t{1} << 30, i64_max}) {
        const auto wrapped = static_cast<std::int64_t>(static_cast<std::uint64_t>(a) *
                                                       static_cast<std::uint64_t>(b));
        CHECK(mul_frac(a, b) == static_cast<std::int64_t>(floor_div(wrapped, 1024)));
      }
    }
    CHECK(mul_frac(i64_min, -1) == i64_min / 1024);  // −2^63 · −1 wraps to −2^63
  }

  SECTION("div_frac truncates toward zero for every sign combination") {
    CHECK(div_frac(7, 2) == 3584);  // 3.5
    CHECK(div_frac(-7, 2) == -3584);
    CHECK(div_frac(7, -2) == -3584);
    CHECK(div_frac(-7, -2) == 3584);
    CHECK(div_frac(1, 3) == 341);    // 341.33 → 341
    CHECK(div_frac(-1, 3) == -341);  // −341.33 → −341 (floor would be −342)
    CHECK(div_frac(mul_frac(int_to_frac(std::int64_t{5}), 1), 100) ==
          51);  // kernel's d / passive_delay
  }

  SECTION("div_frac's shift wraps in 64 bits") {
    CHECK(div_frac(std::int64_t{1} << 53, 1) == i64_min);
    CHECK(div_frac(i64_max, 1) == -1024);  // (2^63 − 1) << 10 wraps to −1024
  }
}

TEST_CASE("the power allocator's reference step comes out exactly", "[fixed-point]") {
  // kernel-reference.md §2.5: HiKey960, sustainable power 4500 mW, switch-on 65 °C, control 75 °C,
  // T = 76 °C on the first round above control.
  const std::uint32_t sustainable = 4500;
  const std::uint32_t threshold = 75'000 - 65'000;
  const std::uint32_t k_po = int_to_frac(sustainable) / threshold;
  const std::uint32_t k_pu = int_to_frac(2 * sustainable) / threshold;
  const std::uint32_t k_i = k_pu / 10;
  CHECK(k_po == 460);
  CHECK(k_pu == 921);
  CHECK(k_i == 92);

  const std::int32_t err = int_to_frac(std::int32_t{75'000 - 76'000});
  const std::int64_t p = mul_frac(err < 0 ? k_po : k_pu, err);
  const std::int64_t err_integral = err;  // accumulated once, since err < cutoff 0
  const std::int64_t i = mul_frac(k_i, err_integral);
  CHECK(p == -460'000);
  CHECK(i == -92'000);
  const std::int64_t power_range = sustainable + frac_to_int(p + i);
  CHECK(power_range == 3960);

  // divvy_up_power: weighted requests 980 and 3142 mW share 3960 mW.
  const std::uint64_t total = 980 + 3142;
  CHECK(div_round_closest_ull(std::uint64_t{980} * 3960U, static_cast<std::uint32_t>(total)) ==
        941U);
  CHECK(div_round_closest_ull(std::uint64_t{3142} * 3960U, static_cast<std::uint32_t>(total)) ==
        3019U);
}

TEST_CASE("div_round_closest rounds half away from zero for any signs, as the macro does",
          "[fixed-point]") {
  CHECK(div_round_closest(5, 2) == 3);
  CHECK(div_round_closest(-5, 2) == -3);
  CHECK(div_round_closest(5, -2) == -3);
  CHECK(div_round_closest(-5, -2) == 3);
  CHECK(div_round_closest(7, 3) == 2);
  CHECK(div_round_closest(-7, 3) == -2);
  CHECK(div_round_closest(0, -3) == 0);
  CHECK(div_round_closest(5U, 2U) == 3U);
  CHECK(div_round_closest(4U, 3U) == 1U);

  SECTION("agrees with exact rounding over a grid of small operands") {
    for (std::int64_t x = -60; x <= 60; ++x) {
      for (std::int64_t d = -9; d <= 9; ++d) {
        if (d != 0) {
          INFO(x << " / " << d);
          CHECK(div_round_closest(x, d) == round_closest_exact(x, d));
          CHECK(div_round_closest(static_cast<int>(x), static_cast<int>(d)) ==
                round_closest_exact(x, d));
        }
      }
    }
  }

  SECTION("the result type is the promoted common type") {
    STATIC_REQUIRE(
        std::is_same_v<decltype(div_round_closest(std::int16_t{1}, std::int16_t{1})), int>);
    STATIC_REQUIRE(std::is_same_v<decltype(div_round_closest(1, std::int64_t{1})), std::int64_t>);
    STATIC_REQUIRE(
        std::is_same_v<decltype(div_round_closest(1U, std::uint64_t{1})), std::uint64_t>);
  }

  SECTION("near the type's limits the sum wraps exactly like the kernel's") {
    CHECK(div_round_closest(u32_max, 2U) == 0U);                // (2^32 − 1 + 1) wraps to 0
    CHECK(div_round_closest(i32_max, 2) == i32_min / 2);        // 2^31 − 1 + 1 wraps to −2^31
    CHECK(div_round_closest(i32_min, 2) == (i32_max - 0) / 2);  // −2^31 − 1 wraps to 2^31 − 1
    CHECK(div_round_closest(i32_max - 1, 2) == (i32_max - 1) / 2);
  }

  SECTION("DIV_ROUND_CLOSEST_ULL: u64 dividend, 32-bit divisor, ties up") {
    CHECK(div_round_closest_ull(5, 2) == 3U);
    CHECK(div_round_closest_ull(std::uint64_t{1} << 40U, 3) == 366'503'875'925U);
    CHECK(div_round_closest_ull(std::numeric_limits<std::uint64_t>::max(), 2) == 0U);
  }
}

TEST_CASE("div_round_up is the ceiling for non-negative operands and the macro otherwise",
          "[fixed-point]") {
  CHECK(div_round_up(0, 4) == 0);
  CHECK(div_round_up(1, 4) == 1);
  CHECK(div_round_up(4, 4) == 1);
  CHECK(div_round_up(5, 4) == 2);
  CHECK(div_round_up(1'800'000'001U, 1000U) == 1'800'001U);  // devfreq: ceil(Hz / 1000) kHz
  CHECK(div_round_up_ull(std::uint64_t{1'800'000'000}, 1000) == 1'800'000U);
  CHECK(div_round_up_ull(std::uint64_t{1'800'000'001}, 1000) == 1'800'001U);
  SECTION("negative dividends: (n + d - 1) / d with C truncation, not the ceiling") {
    CHECK(div_round_up(-5, 2) == -2);  // ceil(−2.5) = −2, by luck
    CHECK(div_round_up(-4, 2) == -1);  // ceil(−2) would be −2
    CHECK(div_round_up(-1, 4) == 0);
  }
  SECTION("the sum wraps") {
    CHECK(div_round_up(u32_max, 2U) == 0U);
    CHECK(div_round_up_ull(std::numeric_limits<std::uint64_t>::max(), 2) == 0U);
  }
  SECTION("agrees with the exact ceiling for non-negative operands") {
    for (std::int64_t n = 0; n <= 100; ++n) {
      for (std::int64_t d = 1; d <= 9; ++d) {
        CHECK(div_round_up(n, d) == (n + d - 1) / d);
        CHECK(div_round_up(n, d) == -static_cast<std::int64_t>(floor_div(-n, d)));
      }
    }
  }
}

TEST_CASE("mult_frac scales by a fraction without overflowing the product", "[fixed-point]") {
  CHECK(mult_frac(2'000'000'000, 3, 4) == 1'500'000'000);  // 6e9 would overflow int
  CHECK(mult_frac(10, 2, 3) == 6);
  CHECK(mult_frac(-7, 1, 2) == -3);  // truncation toward zero
  CHECK(mult_frac(-10, 2, 3) == -6);
  CHECK(mult_frac(4'000'000'000U, 3U, 4U) == 3'000'000'000U);
  STATIC_REQUIRE(std::is_same_v<decltype(mult_frac(1, std::int64_t{1}, 1)), std::int64_t>);
  for (std::int64_t x = -300; x <= 300; x += 7) {
    for (std::int64_t n = -5; n <= 5; ++n) {
      for (std::int64_t d = 1; d <= 7; ++d) {
        INFO(x << " * " << n << " / " << d);
        CHECK(mult_frac(x, n, d) == x * n / d);  // = trunc(x·n/d) while x·n fits
      }
    }
  }
}

TEST_CASE("q<FracBits> generalises the Q10 helpers", "[fixed-point]") {
  using q16 = q<16>;
  STATIC_REQUIRE(q16::one == 65'536);
  STATIC_REQUIRE(q16::frac_bits == 16);
  CHECK(q16::from_int(std::int64_t{3}) == std::int64_t{3} * 65'536);
  CHECK(q16::to_int(std::int64_t{-1}) == -1);
  CHECK(q16::mul(q16::one / 2, q16::one / 2) == q16::one / 4);
  CHECK(q16::div(std::int64_t{1}, std::int64_t{3}) == 21'845);
  CHECK(q16::to_real(q16::one / 4) == 0.25);
  CHECK(q16::to_real<float>(-q16::one * 3 / 2) == -1.5F);
  CHECK(q<0>::mul(6, 7) == 42);
  CHECK(q<0>::div(7, 2) == 3);
  CHECK(q<62>::one == std::int64_t{1} << 62);
  CHECK(q10::to_real(int_to_frac(std::int64_t{-552'000})) == -552'000.0);
}

TEST_CASE("fixed-point helpers are usable in constant expressions and never allocate",
          "[fixed-point]") {
  STATIC_REQUIRE(mul_frac(460, int_to_frac(std::int64_t{-1000})) == -460'000);
  STATIC_REQUIRE(div_round_closest(-7, 2) == -4);
  STATIC_REQUIRE(div_round_up(7U, 2U) == 4U);
  STATIC_REQUIRE(mult_frac(9, 2, 3) == 6);
  THERMO_REQUIRE_NO_HEAP({
    std::int64_t acc = 0;
    for (std::int64_t k = -100; k < 100; ++k) {
      acc += mul_frac(int_to_frac(k), 512) + div_frac(k, 7) + div_round_closest(k, std::int64_t{3});
    }
    CHECK(acc != 0);
  });
}
