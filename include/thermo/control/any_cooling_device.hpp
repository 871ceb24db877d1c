/// @file any_cooling_device.hpp
/// `any_cooling_device`: a non-owning, heap-free, type-erased handle to any `CoolingDevice`
/// (an object pointer and a pointer to a static ops table — the kernel's
/// `thermal_cooling_device_ops` idea, without `virtual`).
///
/// The handle itself satisfies `CoolingDevice` and forwards the power-allocator trio when the
/// wrapped type is a `PowerActor` (`is_power_actor()`); otherwise those calls return
/// `errc::not_supported`. The wrapped object must outlive the handle. Each call costs one
/// indirect call.
#pragma once

#include <type_traits>

#include "thermo/control/concepts.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"

namespace thermo::control {

/// The ops table behind `any_cooling_device` (one `constexpr` instance per wrapped type).
/// The three power entries are null for a device that is not a `PowerActor`.
struct cooling_device_ops {
  cooling_state (*get_max_state)(const void* self) noexcept;
  cooling_state (*get_cur_state)(const void* self) noexcept;
  errc (*set_cur_state)(void* self, cooling_state state) noexcept;
  result<milliwatts> (*get_requested_power)(void* self) noexcept;
  result<milliwatts> (*state2power)(const void* self, cooling_state state) noexcept;
  result<cooling_state> (*power2state)(const void* self, milliwatts power) noexcept;
};

namespace detail {
template <CoolingDevice D>
constexpr cooling_device_ops make_cooling_device_ops() noexcept {
  cooling_device_ops ops{};  // callbacks the type does not offer stay null
  ops.get_max_state = [](const void* p) noexcept { return static_cast<const D*>(p)->get_max_state(); };
  ops.get_cur_state = [](const void* p) noexcept { return static_cast<const D*>(p)->get_cur_state(); };
  ops.set_cur_state = [](void* p, cooling_state s) noexcept { return static_cast<D*>(p)->set_cur_state(s); };
  if constexpr (PowerActor<D>) {
    ops.get_requested_power = [](void* p) noexcept { return static_cast<D*>(p)->get_requested_power(); };
    ops.state2power = [](const void* p, cooling_state s) noexcept { return static_cast<const D*>(p)->state2power(s); };
    ops.power2state = [](const void* p, milliwatts w) noexcept { return static_cast<const D*>(p)->power2state(w); };
  }
  return ops;
}
/// The static ops table of `D` (a constant, not a mutable global).
template <CoolingDevice D>
inline constexpr cooling_device_ops cooling_device_ops_for = make_cooling_device_ops<D>();
}  // namespace detail

/// A non-owning handle to any cooling device. Trivially copyable (two pointers).
class any_cooling_device {
 public:
  /// An empty handle (`empty()`); calling through it is a precondition violation.
  constexpr any_cooling_device() noexcept = default;
  /// Wraps `device` (which must outlive the handle and every copy of it).
  template <CoolingDevice D>
    requires(!std::is_same_v<std::remove_cv_t<D>, any_cooling_device>)
  constexpr explicit any_cooling_device(D& device) noexcept
      : self_(&device), ops_(&detail::cooling_device_ops_for<D>) {}

  [[nodiscard]] constexpr bool empty() const noexcept { return self_ == nullptr; }
  /// True when the wrapped type offers the power-allocator trio.
  [[nodiscard]] constexpr bool is_power_actor() const noexcept {
    return ops_ != nullptr && ops_->get_requested_power != nullptr;
  }
  /// The wrapped object (for identity comparisons).
  [[nodiscard]] constexpr const void* get() const noexcept { return self_; }

  [[nodiscard]] constexpr cooling_state get_max_state() const noexcept {
    THERMO_ASSERT(!empty());
    return ops_->get_max_state(self_);
  }
  [[nodiscard]] constexpr cooling_state get_cur_state() const noexcept {
    THERMO_ASSERT(!empty());
    return ops_->get_cur_state(self_);
  }
  [[nodiscard]] constexpr errc set_cur_state(cooling_state s) noexcept {
    THERMO_ASSERT(!empty());
    return ops_->set_cur_state(self_, s);
  }
  /// `errc::not_supported` unless `is_power_actor()`.
  [[nodiscard]] constexpr result<milliwatts> get_requested_power() noexcept {
    if (!is_power_actor()) {
      return errc::not_supported;
    }
    return ops_->get_requested_power(self_);
  }
  /// `errc::not_supported` unless `is_power_actor()`.
  [[nodiscard]] constexpr result<milliwatts> state2power(cooling_state s) const noexcept {
    if (!is_power_actor()) {
      return errc::not_supported;
    }
    return ops_->state2power(self_, s);
  }
  /// `errc::not_supported` unless `is_power_actor()`.
  [[nodiscard]] constexpr result<cooling_state> power2state(milliwatts p) const noexcept {
    if (!is_power_actor()) {
      return errc::not_supported;
    }
    return ops_->power2state(self_, p);
  }

 private:
  void* self_{nullptr};
  const cooling_device_ops* ops_{nullptr};
};

}  // namespace thermo::control
