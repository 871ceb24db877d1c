/// @file event_queue.hpp
/// The simulation's scheduler: a fixed set of *timers* (one per event source — a zone's poll, a
/// sensor's comparator, a workload …) kept in an indexed binary min-heap ordered by the key
/// (time, kind, sequence).
///
/// * `time` is integer nanoseconds, so equal times are exactly equal;
/// * `kind` is a small integer fixing which sort of event goes first at one instant (the
///   simulation's `event_kind` order: inputs before observers before the control code before
///   the recorder);
/// * `sequence` is a counter incremented by every `schedule` call: among events of one kind at
///   one instant, the one scheduled first runs first.
///
/// The key is a total order, so the order of events — hence the whole run — is a pure function
/// of the inputs. Each timer is armed at most once: `schedule` on an armed timer moves it
/// (its sequence is renewed), `cancel` disarms it. All operations are O(log Capacity); storage is
/// in the object (no heap). See docs/explanation/simulation.md.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "thermo/core/assert.hpp"
#include "thermo/core/time.hpp"

namespace thermo::sim {

/// An event as the queue sees it: which timer, when, what kind, and its tie-break sequence.
struct queued_event {
  std::size_t timer{0};
  sim_time time{};
  std::uint8_t kind{0};
  std::uint64_t sequence{0};
};

/// Indexed min-heap of `Capacity` timers (see the file comment).
template <std::size_t Capacity>
class event_queue {
  static_assert(Capacity > 0, "at least one timer");

 public:
  static constexpr std::size_t none = static_cast<std::size_t>(-1);

  /// All timers disarmed; timer `i` has kind 0 until `set_kind`.
  constexpr event_queue() noexcept {
    for (std::size_t i = 0; i < Capacity; ++i) {
      pos_[i] = none;
    }
  }

  [[nodiscard]] static constexpr std::size_t capacity() noexcept { return Capacity; }

  /// Sets the kind (tie-break class) of timer `t`. Precondition: t < Capacity, t disarmed.
  constexpr void set_kind(std::size_t t, std::uint8_t kind) noexcept {
    THERMO_ASSERT(t < Capacity && pos_[t] == none);
    kind_[t] = kind;
  }
  [[nodiscard]] constexpr std::uint8_t kind(std::size_t t) const noexcept {
    THERMO_ASSERT(t < Capacity);
    return kind_[t];
  }

  /// Arms timer `t` at `time` (moving it if armed), with a fresh sequence number. O(log n).
  constexpr void schedule(std::size_t t, sim_time time) noexcept {
    THERMO_ASSERT(t < Capacity);
    time_[t] = time;
    seq_[t] = next_seq_++;
    if (pos_[t] == none) {
      pos_[t] = size_;
      heap_[size_++] = t;
      sift_up(pos_[t]);
    } else {
      sift_up(pos_[t]);
      sift_down(pos_[t]);
    }
  }

  /// Disarms timer `t` (no-op if not armed). O(log n).
  constexpr void cancel(std::size_t t) noexcept {
    THERMO_ASSERT(t < Capacity);
    const std::size_t p = pos_[t];
    if (p == none) {
      return;
    }
    pos_[t] = none;
    --size_;
    if (p != size_) {
      const std::size_t moved = heap_[size_];
      place(p, moved);
      sift_up(p);
      sift_down(pos_[moved]);
    }
  }

  [[nodiscard]] constexpr bool armed(std::size_t t) const noexcept {
    THERMO_ASSERT(t < Capacity);
    return pos_[t] != none;
  }
  /// The time timer `t` is armed for. Precondition: armed(t).
  [[nodiscard]] constexpr sim_time time(std::size_t t) const noexcept {
    THERMO_ASSERT(armed(t));
    return time_[t];
  }

  /// The earliest time among the armed timers `t` with `keep(t)`, or `otherwise` if that is
  /// earlier or there are none. O(armed timers), not O(capacity).
  template <class Keep>
  [[nodiscard]] constexpr sim_time earliest_if(Keep keep, sim_time otherwise) const noexcept {
    sim_time best = otherwise;
    for (std::size_t p = 0; p < size_; ++p) {
      const std::size_t t = heap_[p];
      if (time_[t] < best && keep(t)) {
        best = time_[t];
      }
    }
    return best;
  }

  [[nodiscard]] constexpr bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] constexpr std::size_t size() const noexcept { return size_; }

  /// The first event. Precondition: !empty(). O(1).
  [[nodiscard]] constexpr queued_event top() const noexcept {
    THERMO_ASSERT(size_ > 0);
    const std::size_t t = heap_[0];
    return {t, time_[t], kind_[t], seq_[t]};
  }
  /// Removes and returns the first event (its timer is disarmed). O(log n).
  constexpr queued_event pop() noexcept {
    const queued_event e = top();
    cancel(e.timer);
    return e;
  }

 private:
  [[nodiscard]] constexpr bool less(std::size_t a, std::size_t b) const noexcept {
    if (time_[a] != time_[b]) {
      return time_[a] < time_[b];
    }
    if (kind_[a] != kind_[b]) {
      return kind_[a] < kind_[b];
    }
    return seq_[a] < seq_[b];
  }
  constexpr void place(std::size_t p, std::size_t t) noexcept {
    heap_[p] = t;
    pos_[t] = p;
  }
  constexpr void sift_up(std::size_t p) noexcept {
    const std::size_t t = heap_[p];
    while (p > 0) {
      const std::size_t parent = (p - 1) / 2;
      if (!less(t, heap_[parent])) {
        break;
      }
      place(p, heap_[parent]);
      p = parent;
    }
    place(p, t);
  }
  constexpr void sift_down(std::size_t p) noexcept {
    const std::size_t t = heap_[p];
    while (true) {
      const std::size_t l = 2 * p + 1;
      if (l >= size_) {
        break;
      }
      const std::size_t r = l + 1;
      const std::size_t c = (r < size_ && less(heap_[r], heap_[l])) ? r : l;
      if (!less(heap_[c], t)) {
        break;
      }
      place(p, heap_[c]);
      p = c;
    }
    place(p, t);
  }

  std::array<std::size_t, Capacity> heap_{};
  std::array<std::size_t, Capacity> pos_{};
  std::array<sim_time, Capacity> time_{};
  std::array<std::uint64_t, Capacity> seq_{};
  std::array<std::uint8_t, Capacity> kind_{};
  std::size_t size_{0};
  std::uint64_t next_seq_{0};
};

}  // namespace thermo::sim
