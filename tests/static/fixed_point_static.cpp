// Compile-time guarantees of the fixed-point helpers: kernel semantics pinned as constants.
// If this compiles, it passes.
#include <cstdint>
#include <limits>
#include <type_traits>

#include "static_support.hpp"
#include "thermo/core/fixed_point.hpp"

namespace {

using namespace thermo;
using namespace thermo::static_test;

constexpr std::int64_t i64_min = std::numeric_limits<std::int64_t>::min();
constexpr std::int32_t i32_min = std::numeric_limits<std::int32_t>::min();
constexpr std::int32_t i32_max = std::numeric_limits<std::int32_t>::max();

// ---- Q10 as the power allocator uses it -------------------------------------------------------
static_assert(frac_bits == 10 && q10::one == 1024);
static_assert(int_to_frac(3) == 3072);
static_assert(frac_to_int(3072 + 1023) == 3);
static_assert(frac_to_int(-1) == -1);  // floor
static_assert(frac_to_int(-1025) == -2);
static_assert(mul_frac(-1, 1) == -1);  // floor
static_assert(mul_frac(460, -1'024'000) == -460'000);
static_assert(div_frac(-1, 3) == -341);                        // truncation toward zero
static_assert(div_frac(std::int64_t{1} << 53, 1) == i64_min);  // the shift wraps
static_assert(int_to_frac(std::int32_t{1} << 21) == i32_min);  // 32-bit operand wraps in 32 bits
static_assert(int_to_frac(4500U) / 10'000U == 460U);           // k_po of the reference step
static_assert(4500 + frac_to_int(std::int64_t{-552'000}) == 3960);  // its power_range

// Result types follow C's integral promotions.
static_assert(std::is_same_v<decltype(int_to_frac(std::int8_t{1})), int>);
static_assert(std::is_same_v<decltype(int_to_frac(std::uint32_t{1})), std::uint32_t>);
static_assert(std::is_same_v<decltype(frac_to_int(std::int64_t{1})), std::int64_t>);
static_assert(std::is_same_v<decltype(mul_frac(1, 1)), std::int64_t>);
static_assert(std::is_same_v<decltype(div_round_up(std::uint16_t{1}, std::uint16_t{1})), int>);

// ---- generic Q format ---------------------------------------------------------------------------
static_assert(q<16>::mul(q<16>::one * 3, q<16>::one / 2) == q<16>::one * 3 / 2);
static_assert(q<16>::div(3, 2) == q<16>::one * 3 / 2);
static_assert(q<0>::one == 1 && q<62>::one == std::int64_t{1} << 62);
static_assert(q<8>::to_real(-384) == -1.5);
template <int F>
concept ValidQ = requires { q<F>::one; };

// ---- rounding macros
// ------------------------------------------------------------------------------
static_assert(div_round_closest(5, 2) == 3 && div_round_closest(-5, 2) == -3);
static_assert(div_round_closest(5, -2) == -3 && div_round_closest(-5, -2) == 3);
static_assert(div_round_closest(-4, 3) == -1 && div_round_closest(4U, 3U) == 1U);
static_assert(div_round_closest(0xffff'ffffU, 2U) == 0U);  // the kernel's wrap
static_assert(div_round_closest(i32_max, 2) == i32_min / 2);
static_assert(div_round_closest_ull(12'442'320, 4122) == 3019);
static_assert(div_round_up(5, 4) == 2 && div_round_up(-4, 2) == -1);
static_assert(div_round_up_ull(1'800'000'001, 1000) == 1'800'001);
static_assert(mult_frac(2'000'000'000, 3, 4) == 1'500'000'000);
static_assert(mult_frac(-7, 1, 2) == -3);

// ---- operand rules: no bool, no mixed signedness (the macros are undefined there) --------------
template <class X, class D>
concept RoundClosestCallable = requires(X x, D d) { div_round_closest(x, d); };
template <class N, class D>
concept RoundUpCallable = requires(N n, D d) { div_round_up(n, d); };
template <class X, class N, class D>
concept MultFracCallable = requires(X x, N n, D d) { mult_frac(x, n, d); };
static_assert(RoundClosestCallable<int, long>);
static_assert(RoundClosestCallable<unsigned, std::uint64_t>);
static_assert(!RoundClosestCallable<int, unsigned>);
static_assert(!RoundClosestCallable<std::uint64_t, std::int32_t>);
static_assert(!RoundClosestCallable<bool, int>);
static_assert(!RoundClosestCallable<double, int>);
static_assert(!RoundUpCallable<int, unsigned>);
static_assert(!MultFracCallable<int, unsigned, int>);
static_assert(MultFracCallable<std::int16_t, int, long long>);
template <class T>
concept IntToFracCallable = requires(T t) { int_to_frac(t); };
static_assert(IntToFracCallable<std::uint8_t>);
static_assert(!IntToFracCallable<bool>);
static_assert(!IntToFracCallable<float>);
static_assert(SameSignedness<int, long, short>);
static_assert(!SameSignedness<int, unsigned char>);
static_assert(KernelInteger<char> && !KernelInteger<bool>);

// ---- preconditions: division by zero and min / -1 are not constant expressions ----------------
static_assert(ConstantEvaluable<[] { return div_frac(1, 1); }>);
static_assert(!ConstantEvaluable<[] { return div_frac(1, 0); }>);
static_assert(!ConstantEvaluable<[] { return div_frac(std::int64_t{1} << 53, -1); }>);
static_assert(!ConstantEvaluable<[] { return div_round_closest(1, 0); }>);
static_assert(!ConstantEvaluable<[] { return div_round_closest(i32_min, -1); }>);
static_assert(!ConstantEvaluable<[] { return div_round_up(1U, 0U); }>);
static_assert(!ConstantEvaluable<[] { return div_round_up_ull(1, 0); }>);
static_assert(!ConstantEvaluable<[] { return div_round_closest_ull(1, 0); }>);
static_assert(!ConstantEvaluable<[] { return mult_frac(1, 1, 0); }>);
static_assert(!ConstantEvaluable<[] { return q<4>::div(1, 0); }>);

}  // namespace
