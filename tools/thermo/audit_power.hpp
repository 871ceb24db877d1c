// `thermo audit`, part 2: with an Energy Model (--soc/--dtb), the cooling devices' requested
// power as the kernel logged it (`thermal_power_cpu_get_power[_simple]`,
// `thermal_power_devfreq_get_power`) checked against the same computation from the logged
// frequency and load. Host code.
//
// What each event allows (Linux 6.12 cpufreq_cooling.c / devfreq_cooling.c, restated):
// * `thermal_power_cpu_get_power` (older kernels) logs the policy's frequency and each CPU's
//   load: the request is exactly P(f) · Σ load / 100, P(f) the EM power (mW) of the lowest OPP
//   at or above f — checked exactly;
// * `thermal_power_cpu_get_power_simple` (5.13 and later) logs only the policy's first CPU and
//   the power; with the policy's frequency from `cpu_frequency` events the request must be
//   P(f) · L / 100 for some total load L in 0..100·n — checked for consistency;
// * `thermal_power_devfreq_get_power` logs the frequency (Hz) and load = ⌊100·busy / total⌋ %;
//   the request is P(f) · ⌊1024·busy / total⌋ >> 10, so it must lie in the range those loads
//   allow — checked for consistency; a frequency that is no OPP of the device is a mismatch (the
//   kernel skips such an actor).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "thermo/io/ftrace_events.hpp"
#include "zone_system.hpp"

namespace thermo::cli {

/// The checks of the power requests of the zone's cooling devices.
class power_request_audit {
 public:
  explicit power_request_audit(zone_system& sys) : sys_(&sys) {}

  /// Feeds one event, in trace order.
  void add(const io::ftrace::event& e) {
    if (const auto* f = std::get_if<io::ftrace::cpu_frequency>(&e.data)) {
      freq_[f->cpu_id] = f->state;
      return;
    }
    if (const auto* g = std::get_if<io::ftrace::cpu_get_power>(&e.data)) {
      const bound_device* d = policy_of(g->cpus.empty() ? ~0U : g->cpus.front());
      if (d == nullptr || d->cpufreq == nullptr) {
        return;
      }
      std::uint64_t total_load = 0;
      for (const std::uint32_t l : g->load) {
        total_load += l;
      }
      const std::uint64_t p = d->cpufreq->power_at(kilohertz(static_cast<std::uint32_t>(g->freq)));
      check(e, d->column, g->dynamic_power, (p * total_load) / 100U, (p * total_load) / 100U);
      return;
    }
    if (const auto* s = std::get_if<io::ftrace::cpu_get_power_simple>(&e.data)) {
      if (s->cpu < 0) {
        return;
      }
      const bound_device* d = policy_of(static_cast<std::uint32_t>(s->cpu));
      if (d == nullptr || d->cpufreq == nullptr) {
        return;
      }
      const auto f = freq_.find(static_cast<std::uint32_t>(s->cpu));
      if (f == freq_.end()) {
        ++unchecked_;
        return;
      }
      const std::uint64_t p = d->cpufreq->power_at(kilohertz(static_cast<std::uint32_t>(f->second)));
      const std::uint64_t n = d->cpus.size();
      // some total load L in 0..100·n gives ⌊p·L/100⌋ = power?
      bool possible = false;
      if (p == 0) {
        possible = s->power == 0;
      } else {
        const std::uint64_t l = (std::uint64_t{s->power} * 100U + p - 1U) / p;  // smallest L with p·L/100 ≥ power
        possible = l <= 100U * n && (p * l) / 100U == s->power;
      }
      check(e, d->column, s->power, 0, p * n, possible);
      return;
    }
    if (const auto* g = std::get_if<io::ftrace::devfreq_get_power>(&e.data)) {
      const bound_device* d = nullptr;
      for (const bound_device& b : sys_->devices()) {
        if (b.devfreq != nullptr && b.column == g->type) {
          d = &b;
        }
      }
      if (d == nullptr) {
        return;
      }
      std::optional<std::uint64_t> p;
      for (control::cooling_state st = 0; st <= d->devfreq->get_max_state(); ++st) {
        if (std::uint64_t{d->devfreq->frequency_of(st).count()} * 1000U == g->freq) {
          const result<milliwatts> pw = d->devfreq->state2power(st);
          if (pw) {
            p = static_cast<std::uint64_t>(pw->count());
          }
        }
      }
      if (!p) {
        mismatch(e, d->column, g->power, "frequency " + std::to_string(g->freq) + " Hz is not an OPP of the device");
        return;
      }
      // busy·1024/total lies in [⌈1024·load/100⌉ − 1, 1024·(load+1)/100] for the logged load
      const std::uint64_t lo_busy = std::uint64_t{g->load} * 1024U / 100U;
      const std::uint64_t hi_busy = (std::uint64_t{g->load} + 1U) * 1024U / 100U;
      const std::uint64_t lo = (*p * (lo_busy > 0 ? lo_busy - 1U : 0U)) >> 10U;
      const std::uint64_t hi = (*p * hi_busy) >> 10U;
      check(e, d->column, g->power, lo, hi);
    }
  }

  [[nodiscard]] std::size_t checked() const noexcept { return checked_; }
  [[nodiscard]] std::size_t matched() const noexcept { return matched_; }
  [[nodiscard]] std::size_t unchecked() const noexcept { return unchecked_; }
  /// The first mismatch: "trace.txt:12: cpufreq-cpu4 requested 812 mW, the Energy Model gives 800".
  [[nodiscard]] const std::optional<std::string>& first() const noexcept { return first_; }

  void set_source(std::string name) { source_ = std::move(name); }

 private:
  const bound_device* policy_of(std::uint32_t cpu) const {
    for (const bound_device& d : sys_->devices()) {
      if (d.cpufreq != nullptr && !d.cpus.empty() && d.cpus.front() == cpu) {
        return &d;
      }
    }
    return nullptr;
  }

  void check(const io::ftrace::event& e, const std::string& dev, std::uint64_t logged, std::uint64_t lo, std::uint64_t hi,
             std::optional<bool> possible = std::nullopt) {
    const bool ok = possible ? *possible : (logged >= lo && logged <= hi);
    if (ok) {
      ++checked_;
      ++matched_;
      return;
    }
    std::string why;
    if (possible) {
      why = "no total load gives it at the policy's frequency (at most " + std::to_string(hi) + " mW)";
    } else if (lo == hi) {
      why = "the Energy Model gives " + std::to_string(lo);
    } else {
      why = "the Energy Model allows " + std::to_string(lo) + ".." + std::to_string(hi);
    }
    mismatch(e, dev, logged, why);
  }

  void mismatch(const io::ftrace::event& e, const std::string& dev, std::uint64_t logged, const std::string& why) {
    ++checked_;
    if (!first_) {
      first_ = source_ + ":" + std::to_string(e.line) + ": " + dev + " requested " + std::to_string(logged) + " mW, " + why;
    }
  }

  zone_system* sys_;
  std::string source_;
  std::map<std::uint32_t, std::uint64_t> freq_;
  std::size_t checked_{0};
  std::size_t matched_{0};
  std::size_t unchecked_{0};
  std::optional<std::string> first_;
};

}  // namespace thermo::cli
