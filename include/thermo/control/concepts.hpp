/// @file concepts.hpp
/// The contracts of the control half's components, as concepts.
///
/// * `TemperatureSensor` — what a zone reads (kernel `ops.get_temp`). Optional members a zone
///   picks up when present: `set_trips(low, high)`, `get_trend(trip_id)`, `hot(zone)`,
///   `critical(zone)`, `change_mode(mode)` (see `zone_ops_for`).
/// * `CoolingDevice` — the mandatory kernel trio `get_max_state` / `get_cur_state` /
///   `set_cur_state`. States run 0..max_state, 0 = no cooling.
/// * `PowerActor` — a cooling device that also offers the power-allocator trio
///   `get_requested_power` / `state2power` / `power2state` (all three, in mW).
/// * `PerfDomain` — an ascending table of (frequency kHz, power µW) performance states, the shape
///   of an Energy Model perf domain, used by the cpufreq and devfreq cooling devices.
/// * `Governor` — a zone's policy (kernel `struct thermal_governor`): `name()` and `manage(tz)`,
///   optional callbacks detected by `governor_ref` (control/governor.hpp).
/// * `scp::ScpPlatform` — what an Arm SCP-firmware thermal domain needs from its platform (the
///   power model), for `scp::thermal_domain` (control/governors/scp_thermal_mgmt.hpp).
///
/// Semantic requirements (not checkable by the compiler) are listed in docs/reference/control.md;
/// every requirement is `noexcept` and returns library vocabulary types.
#pragma once

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"

namespace thermo::control {

/// A temperature source: `get_temp()` returns m°C, `errc::try_again` for a transient failure
/// (kernel −EAGAIN) or any other `errc` for a hard failure. A value ≤ `temp_invalid` means "no
/// valid value yet" and makes the zone skip everything but its polling.
template <class S>
concept TemperatureSensor = requires(S& s) {
  { s.get_temp() } noexcept -> std::same_as<result<millicelsius>>;
};

/// A cooling device (kernel `thermal_cooling_device_ops` mandatory part).
/// `get_max_state()` is read once when the device is set up; `set_cur_state(s)` returns
/// `errc::out_of_range` for s > max_state and `errc::ok` otherwise (also when s is unchanged).
template <class D>
concept CoolingDevice = requires(D& d, const D& cd, cooling_state s) {
  { cd.get_max_state() } noexcept -> std::same_as<cooling_state>;
  { cd.get_cur_state() } noexcept -> std::same_as<cooling_state>;
  { d.set_cur_state(s) } noexcept -> std::same_as<errc>;
};

/// A cooling device with the power-allocator callbacks (kernel: all three or none).
/// `state2power(s)` is the power at state s (mW), `power2state(p)` the state that fits budget p,
/// `get_requested_power()` the power the device would use now (it may refresh internal load
/// statistics that `power2state` then uses, as cpufreq cooling does).
template <class D>
concept PowerActor = CoolingDevice<D> && requires(D& d, const D& cd, cooling_state s, milliwatts p) {
  { d.get_requested_power() } noexcept -> std::same_as<result<milliwatts>>;
  { cd.state2power(s) } noexcept -> std::same_as<result<milliwatts>>;
  { cd.power2state(p) } noexcept -> std::same_as<result<cooling_state>>;
};

/// An Energy-Model-like perf domain: `states()` is an indexable, sized range in ascending
/// frequency order whose elements have `frequency` (kHz) and `power` (µW per CPU for a CPU
/// domain). `thermo::power::em_perf_domain_view` satisfies it.
template <class D>
concept PerfDomain = requires(const D& d, std::size_t i) {
  { d.states().size() } -> std::convertible_to<std::size_t>;
  { d.states()[i].frequency } -> std::convertible_to<kilohertz>;
  { d.states()[i].power } -> std::convertible_to<microwatts>;
};

class thermal_zone_device;

/// A governor (policy). Required: `name()` and `manage(tz)`. Optional (detected by
/// `governor_ref`): `bind_to_tz(tz) -> errc`, `unbind_from_tz(tz)`,
/// `trip_crossed(tz, trip_id, up)`, `update_tz(tz, notify_event)`. All `noexcept`.
template <class G>
concept Governor = requires(G& g, const G& cg, thermal_zone_device& tz) {
  { cg.name() } noexcept -> std::convertible_to<std::string_view>;
  { g.manage(tz) } noexcept -> std::same_as<void>;
};

namespace scp {

/// What an SCP thermal domain's platform provides. Required: the power model. Optional
/// (detected): `read_temperature() -> result<uint32_t>` (a value = synchronous reading;
/// `errc::try_again` = started, complete it with `on_temperature`; another error = device error),
/// `get_activity_factor(actor) -> result<uint16_t>` (0..1024 busy fraction in 1/1024),
/// `warning()` and `critical()`.
template <class P>
concept ScpPlatform = requires(P& p, std::size_t actor, std::uint32_t v) {
  { p.level_to_power(actor, v) } noexcept -> std::same_as<std::uint32_t>;
  { p.power_to_level(actor, v) } noexcept -> std::same_as<std::uint32_t>;
};

}  // namespace scp

}  // namespace thermo::control
