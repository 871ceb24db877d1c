/// @file fan.hpp
/// Fan cooling devices: `pwm-fan` (state s → PWM duty `cooling-levels[s]`, 0..255) and
/// `gpio-fan` (state s → entry s of the speed map, RPM), as the Linux 6.12 drivers expose them.
///
/// max_state = number of levels − 1. `set_cur_state(s)`: s > max_state → `out_of_range`; an
/// unchanged state is a no-op; otherwise the output level becomes `levels[s]`. pwm-fan starts in
/// its highest state (its probe drives the fan at full speed until the first update).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "thermo/control/fwd.hpp"
#include "thermo/control/types.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"

namespace thermo::control {

/// Which driver a `fan_cooling` models.
enum class fan_kind : std::uint8_t {
  pwm,   ///< pwm-fan: levels are PWM duty values 0..255 (`MAX_PWM`)
  gpio,  ///< gpio-fan: levels are the speed map's RPM values
};

/// Highest PWM value pwm-fan accepts in `cooling-levels`.
inline constexpr std::uint32_t fan_max_pwm = 255;

/// A fan with at most `MaxLevels` cooling levels. Satisfies `CoolingDevice`. Trivially copyable.
template <std::size_t MaxLevels /* = 16 */>
class fan_cooling {
  static_assert(MaxLevels > 0, "at least one level");

 public:
  /// Builds a fan from its levels (`cooling-levels` or the gpio-fan speed map). Errors:
  /// `empty` (no level), `capacity_exceeded` (more than MaxLevels), `out_of_range` (a PWM level
  /// above 255, index = level), `invalid_argument` (initial state above max).
  [[nodiscard]] static constexpr result<fan_cooling, error> create(std::span<const std::uint32_t> levels,
                                                                   fan_kind kind = fan_kind::pwm,
                                                                   cooling_state initial_state = no_limit) noexcept {
    if (levels.empty()) {
      return error{errc::empty, "fan cooling levels"};
    }
    if (levels.size() > MaxLevels) {
      return error{errc::capacity_exceeded, "more fan cooling levels than capacity",
                   static_cast<std::int32_t>(levels.size())};
    }
    fan_cooling f;
    for (std::size_t i = 0; i < levels.size(); ++i) {
      if (kind == fan_kind::pwm && levels[i] > fan_max_pwm) {
        return error{errc::out_of_range, "pwm-fan cooling level above 255", static_cast<std::int32_t>(i)};
      }
      f.levels_[i] = levels[i];
    }
    f.count_ = levels.size();
    f.kind_ = kind;
    const auto max = static_cast<cooling_state>(levels.size() - 1);
    const cooling_state init = initial_state == no_limit ? max : initial_state;
    if (init > max) {
      return error{errc::invalid_argument, "fan initial state above max_state", static_cast<std::int32_t>(init)};
    }
    f.state_ = init;
    return f;
  }

  [[nodiscard]] constexpr cooling_state get_max_state() const noexcept { return static_cast<cooling_state>(count_ - 1); }
  [[nodiscard]] constexpr cooling_state get_cur_state() const noexcept { return state_; }
  [[nodiscard]] constexpr errc set_cur_state(cooling_state s) noexcept {
    if (s > get_max_state()) {
      return errc::out_of_range;
    }
    state_ = s;  // equal state: nothing to drive, same result
    return errc::ok;
  }

  /// The output the fan is driven at: PWM duty (pwm) or RPM (gpio) of the current state.
  [[nodiscard]] constexpr std::uint32_t level() const noexcept { return levels_[state_]; }
  /// PWM duty in permille of full scale, rounded down (pwm fans; 0 for gpio fans).
  [[nodiscard]] constexpr std::uint32_t duty_permille() const noexcept {
    return kind_ == fan_kind::pwm ? level() * 1000U / fan_max_pwm : 0U;
  }
  [[nodiscard]] constexpr std::span<const std::uint32_t> levels() const noexcept { return {levels_.data(), count_}; }
  [[nodiscard]] constexpr fan_kind kind() const noexcept { return kind_; }

 private:
  constexpr fan_cooling() noexcept = default;
  std::array<std::uint32_t, MaxLevels> levels_{};
  std::size_t count_{1};
  cooling_state state_{0};
  fan_kind kind_{fan_kind::pwm};
};

}  // namespace thermo::control
