// Firmware smoke library: every device-side header, compiled the way firmware is compiled
// (-fno-exceptions -fno-rtti; for the cortex-m4 preset with arm-none-eabi-g++ -Os), with a few
// extern "C" entry points so that real code is generated and its size can be tracked.
//
// thermo/device.hpp is every device-side header (core/, power/, schema/, control/ — never
// model/, io/ or presets/, which are host-only): tools/gen_umbrella.py keeps that list complete
// and checks that nothing host-only is reachable from it.
#include "thermo/device.hpp"

#include <cstdint>

namespace {

using namespace thermo::literals;

// The power allocator's PID step in Q10 (kernel-reference.md §2.5), as firmware would run it.
struct pid_state {
  std::int64_t err_integral = 0;
};

thermo::milliwatts pid_power_range(pid_state& s, thermo::millicelsius control,
                                   thermo::millicelsius now, thermo::milliwatts sustainable,
                                   std::uint32_t k_po, std::uint32_t k_pu, std::uint32_t k_i) {
  const std::int64_t err = thermo::int_to_frac(std::int64_t{(control - now).count()});
  const std::int64_t p = thermo::mul_frac(err < 0 ? k_po : k_pu, err);
  if (err < 0) {
    s.err_integral += err;
  }
  const std::int64_t i = thermo::mul_frac(k_i, s.err_integral);
  const std::int64_t range = sustainable.count() + thermo::frac_to_int(p + i);
  return thermo::milliwatts(static_cast<std::int32_t>(range < 0 ? 0 : range));
}

}  // namespace

// NOLINTBEGIN(misc-use-internal-linkage): the entry points are the library's reason to exist.

/// Power range for the HiKey960 reference step (expects 3960 mW).
extern "C" std::int32_t thermo_smoke_pid(std::int32_t temp_mc) {
  pid_state s;
  return pid_power_range(s, 75'000_mC, thermo::millicelsius(temp_mc), 4500_mW, 460, 921, 92)
      .count();
}

/// Index of the first trip at or above `temp_mc`, or −1: static_vector + result.
extern "C" std::int32_t thermo_smoke_trip(std::int32_t temp_mc) {
  thermo::static_vector<thermo::millicelsius, 4> trips;
  for (const auto t : {65'000_mC, 75'000_mC, 95'000_mC}) {
    if (trips.push_back(t) != thermo::errc::ok) {
      return -2;
    }
  }
  const auto find = [&]() -> thermo::result<std::int32_t> {
    for (std::size_t k = 0; k < trips.size(); ++k) {
      if (trips[k] >= thermo::millicelsius(temp_mc)) {
        return static_cast<std::int32_t>(k);
      }
    }
    return thermo::errc::not_found;
  };
  return find().value_or(-1);
}

/// Granted power of one actor (divvy-up rounding) in mW.
extern "C" std::uint32_t thermo_smoke_divvy(std::uint32_t weighted, std::uint32_t total,
                                            std::uint32_t range) {
  return static_cast<std::uint32_t>(
      thermo::div_round_closest_ull(std::uint64_t{weighted} * range, total == 0 ? 1U : total));
}

/// A dithered sensor reading: integer-only PRNG use.
extern "C" std::int32_t thermo_smoke_noise(std::uint64_t seed, std::int32_t temp_mc) {
  thermo::prng g(seed);
  return temp_mc + thermo::uniform_int(g, std::int32_t{-500}, std::int32_t{500});
}

/// Converts a kHz frequency to MHz with the chrono rule.
extern "C" std::uint32_t thermo_smoke_mhz(std::uint32_t khz) {
  return thermo::quantity_cast<thermo::megahertz>(thermo::kilohertz(khz)).count();
}

// NOLINTEND(misc-use-internal-linkage)
