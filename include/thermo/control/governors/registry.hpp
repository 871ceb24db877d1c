/// @file registry.hpp
/// Governors chosen by name at run time, as sysfs `policy` and a device tree's users do:
/// `governor_registry<G...>` lists a set of governors, each under its own `name()` — the one
/// string that both parses a name (`find`, the `list` an error message shows) and constructs the
/// governor (`slot::emplace`). A `slot` holds one governor of the set in place (no heap, no
/// exceptions, no RTTI) and hands the zone a `governor_ref` to it.
///
/// `kernel_governors<BangBangZones, PowerActors>` is the set Linux 6.12 offers: step_wise (the
/// kernel's default, first), bang_bang, fair_share, user_space, power_allocator. A slot can be
/// told which kernel release to reproduce (`slot::set_kernel_behaviour`,
/// control/kernel_version.hpp): it passes that on to step_wise and the power allocator. The SCP
/// firmware port (`scp_thermal_mgmt`) is not a Linux governor and is not in it; a registry of
/// your own may list it, or any `Governor` whose `name()` is a constant expression.
///
///     thermo::control::kernel_governors<>::slot governor;
///     governor.set_kernel_behaviour(kernel_behaviour_of({6, 12, 17}));  // optional: not 6.12.117
///     auto g = governor.emplace("power_allocator");  // result<governor_ref, error>
///     if (!g) { /* errc::not_found: not one of kernel_governors<>::list */ }
///     tz.setup(cfg, trips, sensor, *g);
///
/// See docs/reference/governors.md ("Choosing a governor by name").
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <variant>

#include "thermo/control/concepts.hpp"
#include "thermo/control/governor.hpp"
#include "thermo/control/governors/bang_bang.hpp"
#include "thermo/control/governors/fair_share.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/governors/step_wise.hpp"
#include "thermo/control/governors/user_space.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"

namespace thermo::control {

/// A set of governors selectable by name. Each `G` must be default-constructible and name
/// itself with a `static constexpr` `name()`; the names must differ.
template <Governor... Gs>
class governor_registry {
  static_assert(sizeof...(Gs) > 0, "at least one governor");

 public:
  /// Number of governors.
  static constexpr std::size_t size = sizeof...(Gs);
  /// Their names, each governor's own `name()`, in registry order.
  static constexpr std::array<std::string_view, size> names{Gs::name()...};

  /// The index of the governor called `name`, or nullopt. O(size).
  [[nodiscard]] static constexpr std::optional<std::size_t> find(std::string_view name) noexcept {
    for (std::size_t k = 0; k < size; ++k) {
      if (names[k] == name) {
        return k;
      }
    }
    return std::nullopt;
  }

 private:
  static constexpr std::size_t list_length = [] {
    std::size_t n = 2 * (size - 1);  // ", " between names
    for (const std::string_view s : names) {
      n += s.size();
    }
    return n;
  }();
  static constexpr std::array<char, list_length> list_chars = [] {
    std::array<char, list_length> out{};
    std::size_t at = 0;
    for (std::size_t k = 0; k < size; ++k) {
      if (k > 0) {
        out[at++] = ',';
        out[at++] = ' ';
      }
      for (const char c : names[k]) {
        out[at++] = c;
      }
    }
    return out;
  }();
  static_assert([] {
    for (std::size_t a = 0; a < size; ++a) {
      for (std::size_t b = a + 1; b < size; ++b) {
        if (names[a] == names[b]) {
          return false;
        }
      }
    }
    return true;
  }(), "two governors of a registry share a name");

 public:
  /// The names joined by ", " ("step_wise, bang_bang, …"): what an error about an unknown name
  /// lists.
  static constexpr std::string_view list{list_chars.data(), list_length};

  /// One governor of the registry, held in place; empty until `emplace`. Not copyable or
  /// movable: zones point at the governor it holds. Destroying the slot or emplacing another
  /// governor destroys the one held, which must no longer serve a zone.
  class slot {
   public:
    slot() noexcept = default;
    slot(const slot&) = delete;             // and so not movable either: no move is declared
    slot& operator=(const slot&) = delete;

    /// Constructs governor `index` (replacing the one held), gives it the slot's kernel
    /// behaviour (`set_kernel_behaviour`) and returns a handle to it. Precondition: index < size.
    governor_ref emplace(std::size_t index) noexcept {
      THERMO_ASSERT(index < size);
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        static_cast<void>(((index == I ? (static_cast<void>(v_.template emplace<I + 1>()), true) : false) || ...));
      }(std::make_index_sequence<size>{});
      apply_kernel_behaviour();
      return ref();
    }
    /// Constructs the governor called `name`; `not_found` "governor" (the held one is kept)
    /// when the registry has none of that name.
    [[nodiscard]] result<governor_ref, error> emplace(std::string_view name) noexcept {
      const std::optional<std::size_t> k = find(name);
      if (!k) {
        return error{errc::not_found, "governor"};
      }
      return emplace(*k);
    }

    /// The held governor's index, or nullopt when empty.
    [[nodiscard]] std::optional<std::size_t> index() const noexcept {
      return v_.index() == 0 ? std::nullopt : std::optional<std::size_t>(v_.index() - 1);
    }
    /// The held governor's name ("" when empty).
    [[nodiscard]] std::string_view name() const noexcept { return v_.index() == 0 ? std::string_view{} : names[v_.index() - 1]; }
    /// A handle to the held governor (an empty handle when none).
    [[nodiscard]] governor_ref ref() noexcept {
      governor_ref r;
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        static_cast<void>(((v_.index() == I + 1 ? (r = governor_ref(*std::get_if<I + 1>(&v_)), true) : false) || ...));
      }(std::make_index_sequence<size>{});
      return r;
    }
    /// Makes the held governor, and every one emplaced later, reproduce kernel behaviour `kb`
    /// (control/kernel_version.hpp): each governor whose behaviour differs between kernels
    /// takes it through its `set_kernel_behaviour(const kernel_behaviour&)` (step_wise's table,
    /// the power allocator's split); the others do not depend on it. Default: Linux
    /// 6.12.117's. Call it before the governor serves a zone, or between updates.
    void set_kernel_behaviour(const kernel_behaviour& kb) noexcept {
      kb_ = kb;
      apply_kernel_behaviour();
    }
    /// The kernel behaviour the slot gives its governors.
    [[nodiscard]] const kernel_behaviour& behaviour() const noexcept { return kb_; }

    /// The held governor as a `G`, or null when it holds another one (or none).
    template <class G>
    [[nodiscard]] G* get() noexcept {
      return std::get_if<G>(&v_);
    }
    template <class G>
    [[nodiscard]] const G* get() const noexcept {
      return std::get_if<G>(&v_);
    }

   private:
    void apply_kernel_behaviour() noexcept {
      [&]<std::size_t... I>(std::index_sequence<I...>) {
        (
            [&] {
              using G = std::variant_alternative_t<I + 1, std::variant<std::monostate, Gs...>>;
              if constexpr (requires(G& g, const kernel_behaviour& kb) {
                              { g.set_kernel_behaviour(kb) } noexcept;
                            }) {
                if (G* g = std::get_if<I + 1>(&v_)) {
                  g->set_kernel_behaviour(kb_);
                }
              }
            }(),
            ...);
      }(std::make_index_sequence<size>{});
    }

    std::variant<std::monostate, Gs...> v_{};
    kernel_behaviour kb_{};
  };
};

/// The governors of Linux 6.12 — step_wise (the default), bang_bang, fair_share, user_space,
/// power_allocator — with `bang_bang` serving up to `BangBangZones` zones and the power
/// allocator up to `PowerActors` actors. The names do not depend on the capacities. Its
/// step_wise is `runtime_step_wise` (6.12.117's table unless the slot is given another
/// kernel's behaviour with `slot::set_kernel_behaviour`).
template <std::size_t BangBangZones = 4, std::size_t PowerActors = 8>
using kernel_governors = governor_registry<runtime_step_wise, bang_bang<BangBangZones>, fair_share, user_space,
                                           power_allocator<PowerActors>>;

}  // namespace thermo::control
