// Compile-time guarantees of the unit types (style.md "Units" rule 7). If this compiles, it passes.
#include <chrono>
#include <concepts>
#include <cstdint>
#include <type_traits>

#include "static_support.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace {

using namespace thermo;
using namespace thermo::literals;
using namespace thermo::static_test;

template <class Q, class Rep>
constexpr bool plain_wrapper_of =
    sizeof(Q) == sizeof(Rep) && alignof(Q) == alignof(Rep) && std::is_trivially_copyable_v<Q> &&
    std::is_standard_layout_v<Q> && std::is_nothrow_default_constructible_v<Q>;

// ---- layout: each unit is exactly its integer ---------------------------------------------------
static_assert(plain_wrapper_of<millicelsius, std::int32_t>);
static_assert(plain_wrapper_of<millikelvin_delta, std::int32_t>);
static_assert(plain_wrapper_of<milliwatts, std::int32_t>);
static_assert(plain_wrapper_of<microwatts, std::int64_t>);
static_assert(plain_wrapper_of<microjoules, std::int64_t>);
static_assert(plain_wrapper_of<kilohertz, std::uint32_t>);
static_assert(plain_wrapper_of<megahertz, std::uint32_t>);
static_assert(plain_wrapper_of<hertz, std::uint64_t>);
static_assert(plain_wrapper_of<millivolts, std::int32_t>);
static_assert(plain_wrapper_of<microvolts, std::int32_t>);
static_assert(plain_wrapper_of<milliamps, std::int32_t>);
static_assert(plain_wrapper_of<watts<double>, double>);
static_assert(plain_wrapper_of<watts_f, float>);
static_assert(plain_wrapper_of<celsius<float>, float>);
static_assert(millicelsius{}.count() == 0 && milliwatts{}.count() == 0);  // value-initialised

// ---- construction from a raw number is explicit; extraction is count() ------------------------
static_assert(std::is_constructible_v<millicelsius, std::int32_t>);
static_assert(!std::is_convertible_v<int, millicelsius>);
static_assert(!std::is_convertible_v<int, milliwatts>);
static_assert(!std::is_convertible_v<unsigned, kilohertz>);
static_assert(!std::is_convertible_v<double, watts<double>>);
static_assert(!std::is_convertible_v<millicelsius, std::int32_t>);
static_assert(!std::is_convertible_v<milliwatts, std::int32_t>);
static_assert(!std::is_convertible_v<milliwatts, bool>);

// ---- no implicit conversion between units, even of one dimension ------------------------------
static_assert(!std::is_convertible_v<milliwatts, microwatts>);
static_assert(!std::is_convertible_v<microwatts, milliwatts>);
static_assert(!std::is_constructible_v<milliwatts, microwatts>);
static_assert(!std::is_convertible_v<watts_f, milliwatts>);
static_assert(!std::is_convertible_v<kilohertz, megahertz>);
static_assert(!std::is_convertible_v<millikelvin_delta, millicelsius>);
static_assert(!std::is_convertible_v<millicelsius, millikelvin_delta>);
static_assert(!std::is_constructible_v<millicelsius, millikelvin_delta>);
static_assert(!std::is_convertible_v<celsius<double>, millicelsius>);

// ---- implicit narrowing is ill-formed ---------------------------------------------------------
static_assert(BraceConstructible<milliwatts, std::int32_t>);
static_assert(!BraceConstructible<milliwatts, std::int64_t>);  // 64 → 32 bits
static_assert(!BraceConstructible<milliwatts, double>);        // floating → integer
static_assert(!BraceConstructible<kilohertz, std::int32_t>);   // signed → unsigned
static_assert(!BraceConstructible<millicelsius, std::int64_t>);
static_assert(!BraceConstructible<millicelsius, float>);
static_assert(!BraceConstructible<watts_f, double>);  // double → float
// Scaling an integer quantity by a floating factor would truncate the factor: deleted.
static_assert(Multipliable<milliwatts, std::int32_t>);
static_assert(Multipliable<std::int32_t, milliwatts>);
static_assert(!Multipliable<milliwatts, double>);
static_assert(!Multipliable<float, milliwatts>);
static_assert(!Divisible<kilohertz, double>);
static_assert(Multipliable<watts<double>, double>);

// ---- affine temperature: point − point → delta, point ± delta → point, no point + point -------
static_assert(!Addable<millicelsius, millicelsius>);
static_assert(Addable<millicelsius, millikelvin_delta>);
static_assert(Addable<millikelvin_delta, millicelsius>);
static_assert(Subtractable<millicelsius, millikelvin_delta>);
static_assert(!Subtractable<millikelvin_delta, millicelsius>);
static_assert(std::same_as<decltype(millicelsius{} - millicelsius{}), millikelvin_delta>);
static_assert(std::same_as<decltype(millicelsius{} + millikelvin_delta{}), millicelsius>);
static_assert(!Multipliable<millicelsius, std::int32_t>);
static_assert(!Divisible<millicelsius, std::int32_t>);
static_assert(!Addable<millicelsius, std::int32_t>);
static_assert(!Addable<millicelsius, milliwatts>);
static_assert(Ordered<millicelsius, millicelsius>);
static_assert(!EqualityComparable<millicelsius, millikelvin_delta>);
static_assert(!Addable<celsius<double>, celsius<double>>);
static_assert(std::same_as<decltype(celsius<double>{} - celsius<double>{}), kelvin_delta<double>>);

// ---- same-unit arithmetic only ----------------------------------------------------------------
static_assert(Addable<milliwatts, milliwatts>);
static_assert(!Addable<milliwatts, kilohertz>);
static_assert(!Addable<milliwatts, microwatts>);  // same dimension, other unit: cast first
static_assert(!Subtractable<millivolts, microvolts>);
static_assert(!Addable<milliwatts, std::int32_t>);
static_assert(!Multipliable<milliwatts, milliwatts>);  // products across units are named functions
static_assert(!EqualityComparable<milliwatts, microwatts>);
static_assert(!Ordered<kilohertz, megahertz>);
static_assert(!EqualityComparable<milliwatts, std::int32_t>);
static_assert(std::same_as<decltype(milliwatts{} / milliwatts{}), std::int32_t>);  // a ratio
static_assert(!Negatable<kilohertz>);  // unsigned: no negation
static_assert(Negatable<milliwatts>);
static_assert(!Negatable<millicelsius>);  // a point has no negative

// ---- quantity_cast: explicit, same dimension only, chrono's rule --------------------------------
template <class To, class From>
concept QuantityCastable = requires(From f) { quantity_cast<To>(f); };
static_assert(QuantityCastable<milliwatts, microwatts>);
static_assert(QuantityCastable<milliwatts, watts_f>);
static_assert(!QuantityCastable<milliwatts, kilohertz>);
static_assert(!QuantityCastable<millivolts, milliamps>);
static_assert(!QuantityCastable<milliwatts, std::int32_t>);
static_assert(quantity_cast<milliwatts>(watts_f(1.5F)).count() == 1500);  // not 1000
static_assert(quantity_cast<milliwatts>(microwatts(-2'500'999)).count() == -2500);
static_assert(quantity_cast<kilohertz>(megahertz(4000)).count() == 4'000'000U);
static_assert(quantity_cast<megahertz>(hertz(1'799'999'999)).count() == 1799U);
static_assert(std::same_as<decltype(quantity_cast<microwatts>(1_mW)), microwatts>);

// ---- concepts, literals, named formulas -------------------------------------------------------
static_assert(Quantity<milliwatts>);
static_assert(Quantity<const watts<float>&>);
static_assert(!Quantity<millicelsius>);  // an affine point is not a linear quantity
static_assert(!Quantity<std::int32_t>);
static_assert(std::same_as<decltype(85'000_mC), millicelsius>);
static_assert(std::same_as<decltype(2'000_mK), millikelvin_delta>);
static_assert(std::same_as<decltype(1500_mW), milliwatts>);
static_assert(std::same_as<decltype(7_uW), microwatts>);
static_assert(std::same_as<decltype(2'400'000_kHz), kilohertz>);
static_assert(std::same_as<decltype(1800_MHz), megahertz>);
static_assert(std::same_as<decltype(900_mV), millivolts>);
static_assert(std::same_as<decltype(900'000_uV), microvolts>);
static_assert(std::same_as<decltype(10_mA), milliamps>);
static_assert(std::same_as<decltype(1.5_W), watts<double>>);
static_assert(std::same_as<decltype(25.0_degC), celsius<double>>);
static_assert((85'000_mC - 2'000_mK).count() == 83'000);
static_assert(85'000_mC - 80'000_mC == 5'000_mK);
static_assert(millicelsius::invalid() < millicelsius(-273'150));  // below absolute zero
static_assert(power_from_voltage_current(1'000_mV, 1'500_mA) == 1500_mW);
static_assert(energy_uj(microwatts(2'000), 500).count() == 1'000);
static_assert(to_millicelsius(celsius<double>(45.0005)).count() == 45'001);
static_assert(to_millicelsius(celsius<float>(8388.609F)).count() == 8'388'609);

// ---- time is std::chrono ----------------------------------------------------------------------
static_assert(std::same_as<sim_duration::rep, std::int64_t>);
static_assert(std::same_as<sim_duration::period, std::nano>);
static_assert(std::same_as<thermo::milliseconds, std::chrono::milliseconds>);
static_assert(to_seconds(thermo::milliseconds(1500)) == 1.5);
static_assert(to_seconds<float>(sim_duration(250'000'000)) == 0.25F);
static_assert(!std::is_convertible_v<sim_duration, thermo::milliseconds>);  // lossy: explicit only

}  // namespace
