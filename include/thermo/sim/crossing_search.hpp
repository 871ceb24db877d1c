/// @file crossing_search.hpp
/// When does a sensor's continuous temperature next cross a level? The question behind every
/// exact event time that is not on a timer: a comparator's interrupt (comparators.hpp) and a
/// trip crossing the metrics time (crossing_observer.hpp).
///
/// A search round expands each zone's sensor once (`rc_network::expand`, model/crossing.hpp) and
/// screens each level in O(1): out of reach for ever, or within the round's horizon, decided
/// without `exp` in almost every case. Only a level the screens cannot rule out is searched
/// (`rc_network::first_crossing`), and its time is rounded up to whole nanoseconds.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

#include "thermo/core/time.hpp"
#include "thermo/model/crossing.hpp"
#include "thermo/sim/plant.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// Per-zone bookkeeping of one kind of crossing search (the comparators', the observers'):
/// whether it must run again, and how far its last run looked.
template <std::size_t Zones>
class search_marks {
 public:
  /// Zone `z`'s search must run again (an input changed).
  void mark(std::size_t z) noexcept { marks_[z].dirty = true; }
  [[nodiscard]] bool dirty(std::size_t z) const noexcept { return marks_[z].dirty; }
  /// The search of zone `z` looked only up to before `t`: mark it for a new one.
  [[nodiscard]] bool expire(std::size_t z, sim_time t) noexcept {
    if (marks_[z].valid < t) {
      marks_[z].dirty = true;
      return true;
    }
    return false;
  }

 protected:
  /// A search of zone `z` runs now: nothing pending, and nothing known beyond now yet.
  void begin(std::size_t z) noexcept {
    marks_[z].dirty = false;
    marks_[z].valid = never;
  }
  /// It found nothing up to `until`: look again from there.
  void holds_until(std::size_t z, sim_time until) noexcept { marks_[z].valid = until; }

 private:
  // One record per zone (not two arrays: marking every zone is then a few strided stores, not
  // a call of memset at every input change).
  struct mark_state {
    bool dirty{false};
    sim_time valid{never};  // the last search covered up to here
  };
  std::array<mark_state, Zones> marks_{};
};

/// Crossing searches on the plant of a `simulation<Limits>`.
template <class Limits>
class crossing_search {
 public:
  /// Observers and comparators look for a level a little past the exact one: 1 nK, or more when
  /// the network's representation of this probe cannot resolve that (a huge steady state with
  /// cancelling modes), so that a crossing just reported is never reported again from the other
  /// side at the same instant. See `band`.
  static constexpr double min_band = 1e-9;  // °C

  /// A sensor's temperature as steady + Σ a_k e^{−λ_k τ} under the current inputs, with the
  /// totals every screen of the round needs, and the horizon its ends are for.
  struct expansion {
    probe_expansion<Limits::nodes> sum;  ///< built by `rc_network::expand` at every round
    sim_time ends_until{sim_duration{-1}};             ///< the horizon the ends are for (−1: not yet computed)
  };

  /// Outcome of a crossing screen/search.
  struct found {
    sim_time time{never};  ///< event time of the crossing, or `never`
    bool possible{true};             ///< false: the level is out of reach for ever (current inputs)
  };

  /// Expands sensor `sensor` of `p` from `now` for a round looking up to `until`.
  static void expand(const plant<Limits>& p, std::size_t sensor, sim_time now, sim_time until,
                     expansion& ex) noexcept {
    p.network().expand(p.probe(sensor), to_seconds(until - now), ex.sum);
    ex.ends_until = until;
  }

  /// The band past a level for sensor expansion `ex`: 1 nK or 64× the sum's rounding allowance
  /// (16× the screens'), whichever is larger.
  [[nodiscard]] static double band(const expansion& ex, double level) noexcept {
    return std::max(min_band, 64.0 * ex.sum.rounding(level));
  }

  /// The earliest instant in [now, until] at which sensor `sensor` reaches `thr` in direction
  /// `dir`. Two exact screens come first: the level is out of reach for ever when even the sum
  /// of the helpful modes at full strength cannot reach it (no `exp`), or within the horizon by
  /// the same bound with the opposing modes at their end values; only then the exact search
  /// (`rc_network::first_crossing`, to `tolerance` seconds, counted in `searches`) runs. Event
  /// times are rounded up to whole nanoseconds.
  [[nodiscard]] found find(expansion& ex, const plant<Limits>& p, std::size_t sensor, double thr,
                           crossing_direction dir, sim_time now, sim_time until, double tolerance,
                           std::uint64_t& searches) noexcept {
    if (!std::isfinite(thr)) {
      return {never, false};
    }
    // The modes that help give at most `reach` (at τ = 0): out of reach for ever below −slack …
    const auto r = ex.sum.reach(thr, dir);
    if (!ex.sum.ever(r)) {
      return {never, false};
    }
    // … and the opposing ones take at least their end values within the horizon H. Screened
    // first with a lower bound d_k ≤ e^{−λ_k H} that needs no `exp` (a weaker but still sound
    // screen), then, only if that cannot decide, with e^{−λ_k H} itself.
    if (ex.ends_until != until) {  // not the horizon expand made the ends for: the exact ones
      exact_ends(ex, p, now, until);
    }
    if (!ex.sum.within(r, dir)) {
      return {never, true};
    }
    return find_exact(ex, p, sensor, thr, dir, now, until, r, tolerance, searches);
  }

 private:
  using reach_bound = typename probe_expansion<Limits::nodes>::reach_bound;

  /// `find` past its cheap screens: the screen with e^{−λ_k H} itself, then the search.
  [[nodiscard]] found find_exact(expansion& ex, const plant<Limits>& p, std::size_t sensor, double thr,
                                 crossing_direction dir, sim_time now, sim_time until, const reach_bound& r,
                                 double tolerance, std::uint64_t& searches) noexcept {
    if (!ex.sum.ends_exact) {
      exact_ends(ex, p, now, until);
      if (!ex.sum.within(r, dir)) {
        return {never, true};
      }
    }
    ++searches;
    crossing_options<double> o;
    o.time_tolerance = tolerance;
    o.min_excursion = std::min(o.min_excursion, o.time_tolerance);
    const auto c = p.network().first_crossing(p.probe(sensor), thr, dir, to_seconds(until - now), o);
    if (!c || !c->found) {
      return {never, true};
    }
    return {add_saturating(now, ceil_ns(c->time)), true};
  }

  /// The ends of `ex` at horizon `until` with e^{−λ_k H} itself, for a screen the bound could not
  /// decide. The factors are shared by the screens of a round (computed once per horizon end and
  /// network: a later round with the same end reuses factors for a longer horizon, which only
  /// weakens the screen — still sound).
  void exact_ends(expansion& ex, const plant<Limits>& p, sim_time now, sim_time until) noexcept {
    if (decay_until_ != until || decay_slot_ != p.slot() || decay_builds_ != p.builds()) {
      p.network().decay_factors(to_seconds(until - now), std::span<double>(decay_.data(), p.size()));
      decay_until_ = until;
      decay_slot_ = p.slot();
      decay_builds_ = p.builds();
    }
    ex.sum.set_exact_ends(decay_.data());
    ex.ends_until = until;
  }

  std::array<double, Limits::nodes> decay_{};  // e^{−λ_k H} of the current search round …
  sim_time decay_until_{sim_duration{-1}};                   // … for this horizon end …
  std::size_t decay_slot_{static_cast<std::size_t>(-1)};  // … on this cached network …
  std::uint64_t decay_builds_{0};              // … as of this many network builds
};

}  // namespace thermo::sim
