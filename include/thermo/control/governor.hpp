/// @file governor.hpp
/// The governor interface of a zone: `governor_ref`, a non-owning handle for any `Governor`
/// (the concept, the 6.12 callbacks as member functions, is in control/concepts.hpp) (object pointer + static ops table) the
/// zone stores and calls during its update, exactly where the kernel calls
/// `struct thermal_governor`:
///
/// | callback | when the zone calls it |
/// |---|---|
/// | `bind_to_tz(tz)` → errc | `setup` / `set_governor` (a failure keeps the previous governor) |
/// | `unbind_from_tz(tz)` | `set_governor` (old one), `unregister_zone` |
/// | `trip_crossed(tz, trip_id, up)` | for each crossing, after its netlink event (never for hot/critical trips) |
/// | `manage(tz)` | once per successful update, after all crossings |
/// | `update_tz(tz, reason)` | bind/unbind of a cooling device, weight change, resume |
///
/// All callbacks but `manage` are optional. A governor reads the zone (`temperature()`,
/// `trip(i)`, `trend(i)`, `instances()` …), writes instance `target`s, calls
/// `cdev->mark_for_update()` and then `cdev->update(tz.now())` (or `update_nocheck`).
/// One governor object may serve several zones if it keeps no per-zone state.
#pragma once

#include <concepts>
#include <cstdint>
#include <string_view>
#include <type_traits>

#include "thermo/control/concepts.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"

namespace thermo::control {

class thermal_zone_device;

/// The ops table behind `governor_ref` (null entries = callback not offered).
struct governor_ops {
  std::string_view (*name)(const void* self) noexcept;
  errc (*bind_to_tz)(void* self, thermal_zone_device& tz) noexcept;
  void (*unbind_from_tz)(void* self, thermal_zone_device& tz) noexcept;
  void (*trip_crossed)(void* self, thermal_zone_device& tz, std::int32_t trip_id, bool up) noexcept;
  void (*manage)(void* self, thermal_zone_device& tz) noexcept;
  void (*update_tz)(void* self, thermal_zone_device& tz, notify_event reason) noexcept;
};

namespace detail {
template <Governor G>
constexpr governor_ops make_governor_ops() noexcept {
  governor_ops o{};  // callbacks the type does not offer stay null
  o.name = [](const void* p) noexcept { return std::string_view(static_cast<const G*>(p)->name()); };
  o.manage = [](void* p, thermal_zone_device& tz) noexcept { static_cast<G*>(p)->manage(tz); };
  if constexpr (requires(G& g, thermal_zone_device& tz) {
                  { g.bind_to_tz(tz) } noexcept -> std::same_as<errc>;
                }) {
    o.bind_to_tz = [](void* p, thermal_zone_device& tz) noexcept { return static_cast<G*>(p)->bind_to_tz(tz); };
  }
  if constexpr (requires(G& g, thermal_zone_device& tz) {
                  { g.unbind_from_tz(tz) } noexcept;
                }) {
    o.unbind_from_tz = [](void* p, thermal_zone_device& tz) noexcept { static_cast<G*>(p)->unbind_from_tz(tz); };
  }
  if constexpr (requires(G& g, thermal_zone_device& tz, std::int32_t t, bool up) {
                  { g.trip_crossed(tz, t, up) } noexcept;
                }) {
    o.trip_crossed = [](void* p, thermal_zone_device& tz, std::int32_t t, bool up) noexcept {
      static_cast<G*>(p)->trip_crossed(tz, t, up);
    };
  }
  if constexpr (requires(G& g, thermal_zone_device& tz, notify_event r) {
                  { g.update_tz(tz, r) } noexcept;
                }) {
    o.update_tz = [](void* p, thermal_zone_device& tz, notify_event r) noexcept { static_cast<G*>(p)->update_tz(tz, r); };
  }
  return o;
}
template <Governor G>
inline constexpr governor_ops governor_ops_for = make_governor_ops<G>();
}  // namespace detail

/// A non-owning handle to a governor object (which must outlive the zones using it).
/// A default-constructed handle is "no governor": the zone then runs no policy.
class governor_ref {
 public:
  constexpr governor_ref() noexcept = default;
  template <Governor G>
    requires(!std::is_same_v<std::remove_cv_t<G>, governor_ref>)
  constexpr explicit governor_ref(G& g) noexcept : self_(&g), ops_(&detail::governor_ops_for<G>) {}

  constexpr explicit operator bool() const noexcept { return ops_ != nullptr; }
  /// The governor object (identity).
  [[nodiscard]] constexpr const void* get() const noexcept { return self_; }
  [[nodiscard]] constexpr std::string_view name() const noexcept { return ops_ ? ops_->name(self_) : std::string_view{}; }

  [[nodiscard]] constexpr errc bind_to_tz(thermal_zone_device& tz) const noexcept {
    return (ops_ && ops_->bind_to_tz) ? ops_->bind_to_tz(self_, tz) : errc::ok;
  }
  constexpr void unbind_from_tz(thermal_zone_device& tz) const noexcept {
    if (ops_ && ops_->unbind_from_tz) {
      ops_->unbind_from_tz(self_, tz);
    }
  }
  constexpr void trip_crossed(thermal_zone_device& tz, std::int32_t trip_id, bool up) const noexcept {
    if (ops_ && ops_->trip_crossed) {
      ops_->trip_crossed(self_, tz, trip_id, up);
    }
  }
  constexpr void manage(thermal_zone_device& tz) const noexcept {
    if (ops_ && ops_->manage) {
      ops_->manage(self_, tz);
    }
  }
  constexpr void update_tz(thermal_zone_device& tz, notify_event reason) const noexcept {
    if (ops_ && ops_->update_tz) {
      ops_->update_tz(self_, tz, reason);
    }
  }

 private:
  void* self_{nullptr};
  const governor_ops* ops_{nullptr};
};

}  // namespace thermo::control
