// A minimal event loop that drives a Workload the way the simulation does (workload/concepts.hpp
// call protocol): next_event → advance up to it → on_event, with the domain state changed only
// at scripted instants. Used by the workload tests; no heap.
#pragma once

#include <array>
#include <cstddef>
#include <span>

#include "thermo/core/time.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::test {

/// A domain state change at `at`.
struct state_change {
  sim_time at;
  workload::domain_state state;
};

/// Runs `w` from `now` to `end` with the state `s`, applying `changes` (ascending times) on the
/// way. Returns the number of workload events handled. `on_each(now)` is called after each
/// on_event (for sampling utilisation).
template <workload::Workload W, class OnEvent>
std::size_t drive(W& w, sim_time& now, sim_time end, workload::domain_state& s,
                  std::span<const state_change> changes, OnEvent&& on_each) {
  std::size_t events = 0;
  std::size_t next_change = 0;
  while (now < end) {
    const sim_time change_at =
        next_change < changes.size() ? changes[next_change].at : never;
    const sim_time ev = w.next_event(now, s);
    const sim_time stop =
        ev < change_at ? (ev < end ? ev : end) : (change_at < end ? change_at : end);
    w.advance(now, stop - now, s);
    now = stop;
    if (now == change_at) {
      s = changes[next_change].state;
      ++next_change;
      continue;
    }
    if (now == ev && ev != never) {
      w.on_event(now, s);
      ++events;
      on_each(now);
    }
  }
  return events;
}

template <workload::Workload W>
std::size_t drive(W& w, sim_time& now, sim_time end, workload::domain_state& s) {
  return drive(w, now, end, s, std::span<const state_change>{}, [](sim_time) {});
}

}  // namespace thermo::test
