// The scheduler: a total order (time, kind, sequence), moves and cancellations, against a
// brute-force reference.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <tuple>
#include <vector>

#include "thermo/core/prng.hpp"
#include "thermo/sim/event_queue.hpp"

using thermo::sim_duration;
using thermo::sim_time;
using thermo::sim::event_queue;

TEST_CASE("events at one instant run by kind, then by scheduling order", "[event_queue]") {
  event_queue<6> q;
  q.set_kind(0, 5);
  q.set_kind(1, 1);
  q.set_kind(2, 1);
  q.set_kind(3, 0);
  q.set_kind(4, 9);
  q.set_kind(5, 1);
  q.schedule(0, sim_time{sim_duration{10}});
  q.schedule(2, sim_time{sim_duration{10}});
  q.schedule(1, sim_time{sim_duration{10}});
  q.schedule(3, sim_time{sim_duration{20}});
  q.schedule(4, sim_time{sim_duration{5}});
  q.schedule(5, sim_time{sim_duration{10}});
  std::vector<std::size_t> order;
  while (!q.empty()) {
    order.push_back(q.pop().timer);
  }
  CHECK(order == std::vector<std::size_t>{4, 2, 1, 5, 0, 3});
}

TEST_CASE("rescheduling moves a timer and renews its sequence, and cancel disarms it", "[event_queue]") {
  event_queue<3> q;
  q.schedule(0, sim_time{sim_duration{10}});
  q.schedule(1, sim_time{sim_duration{10}});
  q.schedule(0, sim_time{sim_duration{10}});  // same time, now after timer 1
  CHECK(q.size() == 2);
  CHECK(q.top().timer == 1);
  q.schedule(2, sim_time{sim_duration{1}});
  q.cancel(2);
  q.cancel(2);  // no-op
  CHECK_FALSE(q.armed(2));
  CHECK(q.pop().timer == 1);
  CHECK(q.pop().timer == 0);
  CHECK(q.empty());
}

TEST_CASE("earliest_if finds the earliest armed timer that passes a filter", "[event_queue]") {
  event_queue<5> q;
  const sim_time otherwise{sim_duration{1000}};
  const auto odd = [](std::size_t t) { return t % 2 == 1; };
  CHECK(q.earliest_if(odd, otherwise) == otherwise);  // nothing armed
  q.schedule(0, sim_time{sim_duration{5}});
  q.schedule(2, sim_time{sim_duration{7}});
  CHECK(q.earliest_if(odd, otherwise) == otherwise);  // only even timers armed
  q.schedule(3, sim_time{sim_duration{40}});
  q.schedule(1, sim_time{sim_duration{30}});
  CHECK(q.earliest_if(odd, otherwise) == sim_time{sim_duration{30}});
  CHECK(q.earliest_if(odd, sim_time{sim_duration{20}}) == sim_time{sim_duration{20}});  // `otherwise` is earlier
  q.cancel(1);  // a disarmed timer no longer counts
  CHECK(q.earliest_if(odd, otherwise) == sim_time{sim_duration{40}});
  q.schedule(3, sim_time{sim_duration{2}});  // moved
  CHECK(q.earliest_if(odd, otherwise) == sim_time{sim_duration{2}});
  CHECK(q.earliest_if([](std::size_t) { return true; }, otherwise) == sim_time{sim_duration{2}});
  CHECK(q.earliest_if([](std::size_t t) { return t != 3; }, otherwise) == sim_time{sim_duration{5}});
}

TEST_CASE("the queue agrees with a sorted reference over random operations", "[event_queue]") {
  constexpr std::size_t n = 12;
  event_queue<n> q;
  struct ref_entry {
    bool armed = false;
    std::int64_t t = 0;
    std::uint64_t seq = 0;
  };
  std::vector<ref_entry> ref(n);
  for (std::size_t i = 0; i < n; ++i) {
    q.set_kind(i, static_cast<std::uint8_t>(i % 3));
  }
  thermo::prng g(42);
  std::uint64_t seq = 0;
  for (int step = 0; step < 20000; ++step) {
    const auto op = thermo::uniform_below(g, 4);
    const std::size_t i = thermo::uniform_below(g, n);
    if (op <= 1) {
      const auto t = static_cast<std::int64_t>(thermo::uniform_below(g, 50));
      q.schedule(i, sim_time{sim_duration{t}});
      ref[i] = {true, t, seq++};
    } else if (op == 2) {
      q.cancel(i);
      ref[i].armed = false;
    } else if (!q.empty()) {
      std::size_t best = n;
      for (std::size_t k = 0; k < n; ++k) {
        if (!ref[k].armed) {
          continue;
        }
        const auto key = [&](std::size_t j) { return std::tuple(ref[j].t, j % 3, ref[j].seq); };
        if (best == n || key(k) < key(best)) {
          best = k;
        }
      }
      const auto e = q.pop();
      REQUIRE(e.timer == best);
      REQUIRE(e.time.time_since_epoch().count() == ref[best].t);
      ref[best].armed = false;
    }
    std::size_t armed = 0;
    for (const auto& r : ref) {
      armed += r.armed ? 1U : 0U;
    }
    REQUIRE(q.size() == armed);
  }
}
