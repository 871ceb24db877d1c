/// @file workload_ref.hpp
/// `workload_ref`: a non-owning, heap-free handle to any `Workload` (object pointer + a static
/// table of function pointers), so that one simulation can run workloads of different types.
#pragma once

#include <cstddef>
#include <span>
#include <type_traits>

#include "thermo/core/assert.hpp"
#include "thermo/core/time.hpp"
#include "thermo/workload/concepts.hpp"

namespace thermo::sim {

/// The operations behind a `workload_ref`.
struct workload_ops {
  std::size_t (*domain)(const void* self) noexcept;
  std::size_t (*cores)(const void* self) noexcept;
  void (*utilization)(const void* self, sim_time now, std::span<double> out) noexcept;
  sim_time (*next_event)(const void* self, sim_time now, const workload::domain_state& s) noexcept;
  void (*advance)(void* self, sim_time now, sim_duration dt, const workload::domain_state& s) noexcept;
  void (*on_event)(void* self, sim_time now, const workload::domain_state& s) noexcept;
};

namespace detail {
template <workload::Workload W>
inline constexpr workload_ops workload_ops_for{
    [](const void* p) noexcept { return static_cast<std::size_t>(static_cast<const W*>(p)->domain()); },
    [](const void* p) noexcept { return static_cast<std::size_t>(static_cast<const W*>(p)->cores()); },
    [](const void* p, sim_time now, std::span<double> out) noexcept { static_cast<const W*>(p)->utilization(now, out); },
    [](const void* p, sim_time now, const workload::domain_state& s) noexcept {
      return static_cast<const W*>(p)->next_event(now, s);
    },
    [](void* p, sim_time now, sim_duration dt, const workload::domain_state& s) noexcept {
      static_cast<W*>(p)->advance(now, dt, s);
    },
    [](void* p, sim_time now, const workload::domain_state& s) noexcept { static_cast<W*>(p)->on_event(now, s); },
};
}  // namespace detail

/// A non-owning handle to a workload (which must outlive the simulation that runs it).
/// Trivially copyable (two pointers); each call is one indirect call.
class workload_ref {
 public:
  constexpr workload_ref() noexcept = default;
  template <workload::Workload W>
    requires(!std::is_same_v<std::remove_cv_t<W>, workload_ref>)
  constexpr explicit workload_ref(W& w) noexcept : self_(&w), ops_(&detail::workload_ops_for<W>) {}

  [[nodiscard]] constexpr bool empty() const noexcept { return self_ == nullptr; }
  [[nodiscard]] const void* get() const noexcept { return self_; }

  [[nodiscard]] std::size_t domain() const noexcept {
    THERMO_ASSERT(!empty());
    return ops_->domain(self_);
  }
  [[nodiscard]] std::size_t cores() const noexcept {
    THERMO_ASSERT(!empty());
    return ops_->cores(self_);
  }
  void utilization(sim_time now, std::span<double> out) const noexcept { ops_->utilization(self_, now, out); }
  [[nodiscard]] sim_time next_event(sim_time now, const workload::domain_state& s) const noexcept {
    return ops_->next_event(self_, now, s);
  }
  void advance(sim_time now, sim_duration dt, const workload::domain_state& s) const noexcept {
    ops_->advance(self_, now, dt, s);
  }
  void on_event(sim_time now, const workload::domain_state& s) const noexcept { ops_->on_event(self_, now, s); }

 private:
  void* self_{nullptr};
  const workload_ops* ops_{nullptr};
};

}  // namespace thermo::sim
