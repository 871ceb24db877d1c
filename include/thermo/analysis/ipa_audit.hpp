/// @file ipa_audit.hpp
/// Audit of a real board's power allocator against the reference: every governor tick the
/// kernel logged is re-run with thermo's power allocator (control/governors/power_allocator.hpp,
/// bit-exact with Linux) from what the kernel logged — the current temperature, the control
/// temperature (current + delta), each actor's request — and the logged PID terms and grants
/// are compared with thermo's.
///
/// What a trace does not log is a `parameter` whose value comes from the user, from a device
/// tree (an Energy Model), from the trace itself where the trace pins it, or from the kernel's
/// defaults; each resolved value carries its `source` so that a report can say where it came
/// from. The trace pins:
/// * k_pu (ticks with err > 0) and k_po (err < 0): the kernel logs p = ⌊k·err / 1024⌋, so every
///   such tick bounds k to an interval; the intersection over the trace is the answer (an
///   empty intersection is itself a finding: no single gain explains the trace);
/// * k_i: i = ⌊k_i·err_integral / 1024⌋ on every tick with a non-zero integral (the kernel's
///   integral is a sum of whole m°C, so the logged integral is exact);
/// * the sustainable power: on a tick whose output is not clamped, output = sp + ⌊(p+i+d)_Q10 /
///   1024⌋ with the Q10 terms exact once the gains are known;
/// * one actor's maximum power: max_allocatable_power.
///
/// The controller's memory across ticks follows the kernel: the integral accumulates in the
/// PID, a zone update below the switch-on temperature resets it (the caller marks the ticks
/// after such an update, `logged_tick::reset_before`), and a trace that starts mid-run takes
/// its integral from its first tick. After a gap longer than `parameters::gap` in which the
/// logged integral cannot follow from the previous tick (ticks missing from the trace), the
/// integral is taken from the trace again and the tick counts as a resync, reported.
///
/// Host code (vectors, strings).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/core/fixed_point.hpp"

namespace thermo::analysis::ipa_audit {

/// One actor's numbers in a logged tick (mW). `req_power` is the actor's own (unweighted)
/// request, as both trace forms print it.
struct logged_actor {
  std::uint32_t req_power{0};
  std::uint32_t granted_power{0};
  std::size_t line{0};  ///< the line that logged it (0: the tick's allocator event)
};

/// One governor tick as the kernel logged it: a `thermal_power_allocator_pid` event, the
/// per-actor figures (6.8+: `thermal_power_actor` events; before: the allocator event's arrays)
/// and the `thermal_power_allocator` event.
struct logged_tick {
  std::int64_t time_ns{0};
  std::size_t line{0};      ///< the allocator event's line in the trace
  std::size_t pid_line{0};  ///< the PID event's line (0: the allocator event's)
  std::int32_t current_temperature{0};
  std::int32_t delta_temperature{0};
  std::int32_t err{0};
  std::int32_t err_integral{0};
  std::int64_t p{0};
  std::int64_t i{0};
  std::int64_t d{0};
  std::int32_t output{0};
  std::vector<logged_actor> actors;
  std::uint32_t total_req_power{0};
  std::uint32_t total_granted_power{0};
  std::uint32_t power_range{0};
  std::uint32_t max_allocatable_power{0};
  /// A zone update that reset the controller (below the switch-on temperature: no governor
  /// tick followed it) happened since the previous tick.
  bool reset_before{false};
};

/// Where a parameter's value came from.
enum class source : std::uint8_t {
  unset,     ///< not known (and not needed by the ticks seen)
  option,    ///< given on the command line
  device,    ///< from the device tree / SoC description (Energy Model, zone parameters)
  trace,     ///< pinned by the trace
  estimate,  ///< the kernel's default estimate from other parameters
  fallback,  ///< a kernel default (k_d = 0, integral_cutoff = 0, weights 0)
};

[[nodiscard]] constexpr const char* to_string(source s) noexcept {
  switch (s) {
    case source::unset: return "unknown";
    case source::option: return "option";
    case source::device: return "device tree";
    case source::trace: return "trace";
    case source::estimate: return "kernel estimate";
    case source::fallback: return "kernel default";
  }
  return "unknown";
}

/// A resolved parameter: the value, where it came from and, for a value the trace bounds, the
/// interval it allows ([lo, hi]).
template <class T>
struct parameter {
  std::optional<T> value;
  source from{source::unset};
  std::optional<std::int64_t> lo;
  std::optional<std::int64_t> hi;
  [[nodiscard]] bool known() const noexcept { return value.has_value(); }
  void set(T v, source s) {
    value = v;
    from = s;
  }
};

/// Everything the re-run needs. Unset values are resolved by `resolve`.
struct parameters {
  parameter<std::uint32_t> sustainable_power;
  parameter<std::int32_t> k_po;
  parameter<std::int32_t> k_pu;
  parameter<std::int32_t> k_i;
  parameter<std::int32_t> k_d;
  parameter<std::int32_t> integral_cutoff;
  parameter<std::int32_t> switch_on_temp;  ///< m°C (for the gains' estimate only)
  parameter<std::int32_t> control_temp;    ///< m°C; else current + delta per tick
  /// The derivative divisor in ms (`ipa::derivative_divisor(passive_delay)`); 0: d = 0.
  std::uint32_t divisor_ms{0};
  /// Instance weights per actor (1024 = 1.0); all 0 (or empty): every actor weighs 1024.
  std::vector<std::uint32_t> weights;
  /// Each actor's maximum power (state2power(lower)), when known.
  std::vector<parameter<std::uint32_t>> max_power;
  control::kernel_behaviour kernel{};
  /// Ticks further apart than this (ns) may have ticks missing between them (see the file
  /// comment).
  std::int64_t gap_ns{1'000'000'000};
};

/// Intersects the interval of integers k with ⌊k·x / 1024⌋ = y (x ≠ 0) into [lo, hi].
inline void bound_gain(std::int64_t x, std::int64_t y, std::int64_t& lo, std::int64_t& hi) noexcept {
  // k·x ∈ [1024·y, 1024·y + 1023]
  const std::int64_t a = 1024 * y;
  const std::int64_t b = 1024 * y + 1023;
  const auto floor_div = [](std::int64_t n, std::int64_t m) noexcept {
    std::int64_t q = n / m;
    if ((n % m != 0) && ((n < 0) != (m < 0))) {
      --q;
    }
    return q;
  };
  const auto ceil_div = [&](std::int64_t n, std::int64_t m) noexcept { return -floor_div(-n, m); };
  std::int64_t l = 0;
  std::int64_t h = 0;
  if (x > 0) {
    l = ceil_div(a, x);
    h = floor_div(b, x);
  } else {
    l = ceil_div(b, x);
    h = floor_div(a, x);
  }
  lo = std::max(lo, l);
  hi = std::min(hi, h);
}

namespace detail {

/// Resolves one gain from the trace: the interval every tick allows (`xs[k]·gain` floored by
/// 1024 gives `ys[k]`). The value kept: `preferred` when it lies in the interval, else the
/// lower end.
inline void pin_gain(parameter<std::int32_t>& g, const std::vector<std::int64_t>& xs, const std::vector<std::int64_t>& ys,
                     std::optional<std::int32_t> preferred) {
  if (g.known() || xs.empty()) {
    return;
  }
  std::int64_t lo = 0;
  std::int64_t hi = std::numeric_limits<std::int32_t>::max();
  for (std::size_t k = 0; k < xs.size(); ++k) {
    bound_gain(xs[k], ys[k], lo, hi);
  }
  g.lo = lo;
  g.hi = hi;
  if (lo > hi) {
    return;  // no single gain explains the trace: left unknown, reported
  }
  const std::int64_t v = preferred && *preferred >= lo && *preferred <= hi ? *preferred : lo;
  g.set(static_cast<std::int32_t>(v), source::trace);
}

}  // namespace detail

/// Fills in the parameters the caller left unset, in this order: kernel defaults for k_d and
/// the integral cutoff; the gains from the trace where it pins them (preferring the kernel's
/// estimate from the sustainable power and the trips when it lies in the interval the trace
/// allows); the sustainable power from an unclamped tick; the gains the trace does not pin from
/// the kernel's estimate; one actor's maximum power from `max_allocatable_power`.
inline void resolve(parameters& prm, std::span<const logged_tick> ticks) {
  if (!prm.k_d.known()) {
    prm.k_d.set(0, source::fallback);
  }
  if (!prm.integral_cutoff.known()) {
    prm.integral_cutoff.set(0, source::fallback);
  }
  // The kernel's estimate, when the sustainable power and the control temperature are known.
  const auto estimate = [&]() -> std::optional<control::thermal_zone_params> {
    if (!prm.sustainable_power.known()) {
      return std::nullopt;
    }
    std::optional<std::int32_t> ctrl = prm.control_temp.value;
    if (!ctrl && !ticks.empty()) {
      ctrl = ticks.front().current_temperature + ticks.front().delta_temperature;
    }
    if (!ctrl) {
      return std::nullopt;
    }
    control::thermal_zone_params tzp{};
    std::optional<millicelsius> sw;
    if (prm.switch_on_temp.value) {
      sw = millicelsius{*prm.switch_on_temp.value};
    }
    control::ipa::estimate_pid_constants(tzp, *prm.sustainable_power.value, sw, millicelsius{*ctrl});
    return tzp;
  };
  const std::optional<control::thermal_zone_params> est0 = estimate();
  std::vector<std::int64_t> xpu, ypu, xpo, ypo, xi, yi;
  for (const logged_tick& t : ticks) {
    if (t.err > 0) {
      xpu.push_back(t.err);
      ypu.push_back(t.p);
    } else if (t.err < 0) {
      xpo.push_back(t.err);
      ypo.push_back(t.p);
    }
    if (t.err_integral != 0) {
      xi.push_back(t.err_integral);
      yi.push_back(t.i);
    }
  }
  detail::pin_gain(prm.k_pu, xpu, ypu, est0 ? std::optional<std::int32_t>(est0->k_pu) : std::nullopt);
  detail::pin_gain(prm.k_po, xpo, ypo, est0 ? std::optional<std::int32_t>(est0->k_po) : std::nullopt);
  detail::pin_gain(prm.k_i, xi, yi, est0 ? std::optional<std::int32_t>(est0->k_i) : std::nullopt);
  // The sustainable power from an unclamped tick whose Q10 terms are exact.
  if (!prm.sustainable_power.known()) {
    for (const logged_tick& t : ticks) {
      if (t.output <= 0 || static_cast<std::uint32_t>(t.output) >= t.max_allocatable_power) {
        continue;
      }
      const parameter<std::int32_t>& kp = t.err < 0 ? prm.k_po : prm.k_pu;
      const bool p_exact = t.err == 0 || kp.known();
      const bool i_exact = t.err_integral == 0 || prm.k_i.known();
      const bool d_zero = t.d == 0 && prm.k_d.value.value_or(0) == 0;
      if (!p_exact || !i_exact || !d_zero) {
        continue;
      }
      const std::int64_t p_q10 = t.err == 0 ? 0 : std::int64_t{*kp.value} * t.err;
      const std::int64_t i_q10 = t.err_integral == 0 ? 0 : std::int64_t{*prm.k_i.value} * t.err_integral;
      const std::int64_t sp = t.output - frac_to_int(p_q10 + i_q10);
      if (sp >= 0 && sp < control::ipa::sustainable_power_limit) {
        prm.sustainable_power.set(static_cast<std::uint32_t>(sp), source::trace);
        break;
      }
    }
  }
  if (const std::optional<control::thermal_zone_params> est = estimate()) {
    if (!prm.k_pu.known() && !(prm.k_pu.lo && prm.k_pu.hi && *prm.k_pu.lo > *prm.k_pu.hi)) {
      prm.k_pu.set(est->k_pu, source::estimate);
    }
    if (!prm.k_po.known() && !(prm.k_po.lo && prm.k_po.hi && *prm.k_po.lo > *prm.k_po.hi)) {
      prm.k_po.set(est->k_po, source::estimate);
    }
    if (!prm.k_i.known() && !(prm.k_i.lo && prm.k_i.hi && *prm.k_i.lo > *prm.k_i.hi)) {
      prm.k_i.set(est->k_i, source::estimate);
    }
  }
  std::size_t actors = 0;
  for (const logged_tick& t : ticks) {
    actors = std::max(actors, t.actors.size());
  }
  if (prm.max_power.size() < actors) {
    prm.max_power.resize(actors);
  }
  if (actors == 1 && !prm.max_power[0].known() && !ticks.empty()) {
    prm.max_power[0].set(ticks.front().max_allocatable_power, source::trace);
  }
}

/// The quantities compared per tick, in report order.
enum class term : std::uint8_t { err, err_integral, p, i, d, output };
inline constexpr std::size_t term_count = 6;
[[nodiscard]] constexpr const char* to_string(term q) noexcept {
  switch (q) {
    case term::err: return "err";
    case term::err_integral: return "err_integral";
    case term::p: return "p";
    case term::i: return "i";
    case term::d: return "d";
    case term::output: return "output";
  }
  return "?";
}

/// One tick compared: logged and computed values (as the kernel logs them: m°C and mW, the Q10
/// terms floored), the grants per actor, and what could not be checked.
struct tick_result {
  std::int64_t time_ns{0};
  std::size_t line{0};
  std::int32_t current_temperature{0};
  std::array<std::int64_t, term_count> logged{};
  std::array<std::int64_t, term_count> computed{};
  std::array<bool, term_count> checked{};  ///< false: not comparable on this tick
  std::vector<std::int64_t> logged_granted;
  std::vector<std::int64_t> computed_granted;
  std::vector<bool> granted_checked;
  bool resync{false};   ///< the integral was taken from the trace again (see the file comment)
  bool seeded{false};   ///< the first tick: the integral was taken from it
  bool identical{true};
  bool within{true};    ///< within the tolerance
  std::uint32_t computed_max_allocatable{0};
  bool max_checked{false};
};

/// A divergence for the summary.
struct divergence {
  std::size_t tick{0};
  std::size_t line{0};
  std::int64_t time_ns{0};
  std::string what;  ///< "p", "granted", "max_allocatable_power"
  std::int64_t logged{0};
  std::int64_t computed{0};
  std::optional<std::size_t> actor;  ///< for "granted": the actor's index
};

/// The audit of a whole trace.
struct report {
  std::vector<tick_result> ticks;
  std::size_t identical{0};
  std::size_t within{0};
  std::size_t resyncs{0};
  std::size_t grants_unchecked{0};  ///< ticks whose grants needed unknown maximum powers
  std::optional<divergence> first;  ///< the first value outside the tolerance
  std::optional<divergence> first_difference;  ///< the first value not identical
};

namespace detail {

/// Runs the kernel's PID for one tick from state `s` (modified). Returns the Q10 terms.
inline control::ipa::pid_terms run_pid(const parameters& prm, control::ipa::pid_state& s, const logged_tick& t,
                                       std::uint32_t max_alloc) {
  control::thermal_zone_params tzp{};
  tzp.k_po = prm.k_po.value.value_or(0);
  tzp.k_pu = prm.k_pu.value.value_or(0);
  tzp.k_i = prm.k_i.value.value_or(0);
  tzp.k_d = prm.k_d.value.value_or(0);
  tzp.integral_cutoff = prm.integral_cutoff.value.value_or(0);
  const std::int32_t ctrl = prm.control_temp.value.value_or(t.current_temperature + t.delta_temperature);
  return control::ipa::pid_controller(tzp, s, millicelsius{ctrl}, millicelsius{t.current_temperature}, max_alloc,
                                      prm.sustainable_power.value.value_or(0), prm.divisor_ms);
}

/// The kernel's per-actor maximum powers for tick `t`, or nullopt when they are not all known:
/// the known ones, else — when exactly one is unknown — the rest of max_allocatable_power.
inline std::optional<std::vector<std::uint32_t>> max_powers(const parameters& prm, const logged_tick& t) {
  std::vector<std::uint32_t> m(t.actors.size(), 0);
  std::size_t unknown = t.actors.size();
  std::uint64_t known_sum = 0;
  std::size_t n_unknown = 0;
  for (std::size_t a = 0; a < t.actors.size(); ++a) {
    if (a < prm.max_power.size() && prm.max_power[a].known()) {
      m[a] = *prm.max_power[a].value;
      known_sum += m[a];
    } else {
      unknown = a;
      ++n_unknown;
    }
  }
  if (n_unknown == 0) {
    return m;
  }
  if (n_unknown == 1 && known_sum <= t.max_allocatable_power) {
    m[unknown] = t.max_allocatable_power - static_cast<std::uint32_t>(known_sum);
    return m;
  }
  return std::nullopt;
}

}  // namespace detail

/// Re-runs every tick (see the file comment) and compares. `tolerance` is in the logged units
/// (m°C for err and err_integral, mW for the rest).
inline report run(std::span<const logged_tick> ticks, const parameters& prm, std::int64_t tolerance = 0) {
  report rep;
  control::ipa::pid_state s{};
  s.sustainable_power = prm.sustainable_power.value.value_or(0);
  std::optional<std::int64_t> prev_time;
  for (std::size_t k = 0; k < ticks.size(); ++k) {
    const logged_tick& t = ticks[k];
    tick_result r;
    r.time_ns = t.time_ns;
    r.line = t.line;
    r.current_temperature = t.current_temperature;
    if (t.reset_before) {
      control::ipa::reset_pid_controller(s);
    }
    const std::optional<std::vector<std::uint32_t>> maxes = detail::max_powers(prm, t);
    std::uint32_t max_alloc = t.max_allocatable_power;
    if (maxes) {
      std::uint64_t sum = 0;
      for (const std::uint32_t m : *maxes) {
        sum += m;
      }
      r.computed_max_allocatable = static_cast<std::uint32_t>(sum);
      r.max_checked = true;
      max_alloc = static_cast<std::uint32_t>(sum);
    }
    const std::int64_t logged_ei_q10 = std::int64_t{t.err_integral} * 1024;
    const std::int32_t ctrl = prm.control_temp.value.value_or(t.current_temperature + t.delta_temperature);
    const std::int64_t err_q10 = (std::int64_t{ctrl} - t.current_temperature) * 1024;
    control::ipa::pid_terms pid{};
    bool d_checked = true;
    const auto seed = [&]() {
      // Two histories lead to the logged integral: this tick added err to it, or it did not.
      control::ipa::pid_state a = s;
      a.err_integral = logged_ei_q10 - err_q10;
      a.prev_err = static_cast<std::int32_t>(err_q10);
      control::ipa::pid_state b = s;
      b.err_integral = logged_ei_q10;
      b.prev_err = static_cast<std::int32_t>(err_q10);
      control::ipa::pid_state sa = a;
      const control::ipa::pid_terms pa = detail::run_pid(prm, sa, t, max_alloc);
      if (frac_to_int(pa.err_integral) == t.err_integral && frac_to_int(pa.i) == t.i) {
        s = sa;
        return pa;
      }
      control::ipa::pid_state sb = b;
      const control::ipa::pid_terms pb = detail::run_pid(prm, sb, t, max_alloc);
      s = sb;
      return pb;
    };
    if (k == 0) {
      pid = seed();
      r.seeded = true;
      d_checked = prm.k_d.value.value_or(0) == 0;
    } else {
      control::ipa::pid_state trial = s;
      const control::ipa::pid_terms p1 = detail::run_pid(prm, trial, t, max_alloc);
      const bool gap = prev_time && t.time_ns - *prev_time > prm.gap_ns;
      if (gap && frac_to_int(p1.err_integral) != t.err_integral) {
        pid = seed();
        r.resync = true;
        ++rep.resyncs;
        d_checked = prm.k_d.value.value_or(0) == 0;
      } else {
        s = trial;
        pid = p1;
      }
    }
    prev_time = t.time_ns;
    r.logged = {t.err, t.err_integral, t.p, t.i, t.d, t.output};
    r.computed = {frac_to_int(std::int64_t{pid.err}), frac_to_int(pid.err_integral), frac_to_int(pid.p),
                  frac_to_int(pid.i), frac_to_int(pid.d), static_cast<std::int64_t>(pid.power_range)};
    r.checked.fill(true);
    r.checked[static_cast<std::size_t>(term::d)] = d_checked;
    // The split.
    const std::size_t n = t.actors.size();
    r.logged_granted.resize(n);
    r.computed_granted.assign(n, 0);
    r.granted_checked.assign(n, false);
    for (std::size_t a = 0; a < n; ++a) {
      r.logged_granted[a] = t.actors[a].granted_power;
    }
    if (maxes) {
      std::vector<control::ipa::power_actor> pa(n);
      std::uint32_t total_weight = 0;
      for (std::size_t a = 0; a < n && a < prm.weights.size(); ++a) {
        total_weight += prm.weights[a];
      }
      std::uint32_t total_weighted = 0;
      for (std::size_t a = 0; a < n; ++a) {
        pa[a].req_power = t.actors[a].req_power;
        const std::uint32_t w = total_weight == 0 ? control::ipa::weight_one : (a < prm.weights.size() ? prm.weights[a] : 0U);
        pa[a].weighted_req_power = frac_to_int(w * pa[a].req_power);
        pa[a].max_power = (*maxes)[a];
        total_weighted += pa[a].weighted_req_power;
      }
      control::ipa::divvy_up_power(pa, total_weighted, pid.power_range, prm.kernel);
      for (std::size_t a = 0; a < n; ++a) {
        r.computed_granted[a] = pa[a].granted_power;
        r.granted_checked[a] = true;
      }
    } else {
      ++rep.grants_unchecked;
    }
    // Compare.
    const auto note = [&](const char* what, std::int64_t lg, std::int64_t cp, std::optional<std::size_t> actor = std::nullopt,
                          std::size_t at = 0) {
      if (lg == cp) {
        return;
      }
      const std::size_t line = at != 0 ? at : t.line;
      r.identical = false;
      if (!rep.first_difference) {
        rep.first_difference = divergence{k, line, t.time_ns, what, lg, cp, actor};
      }
      const std::int64_t diff = lg > cp ? lg - cp : cp - lg;
      if (diff > tolerance) {
        r.within = false;
        if (!rep.first) {
          rep.first = divergence{k, line, t.time_ns, what, lg, cp, actor};
        }
      }
    };
    for (std::size_t q = 0; q < term_count; ++q) {
      if (r.checked[q]) {
        note(to_string(static_cast<term>(q)), r.logged[q], r.computed[q], std::nullopt, t.pid_line);
      }
    }
    if (r.max_checked) {
      note("max_allocatable_power", t.max_allocatable_power, r.computed_max_allocatable);
    }
    for (std::size_t a = 0; a < n; ++a) {
      if (r.granted_checked[a]) {
        note("granted", r.logged_granted[a], r.computed_granted[a], a, t.actors[a].line);
      }
    }
    rep.identical += r.identical ? 1U : 0U;
    rep.within += r.within ? 1U : 0U;
    rep.ticks.push_back(std::move(r));
  }
  return rep;
}

}  // namespace thermo::analysis::ipa_audit
