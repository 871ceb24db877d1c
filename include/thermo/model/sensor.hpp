/// @file sensor.hpp
/// The temperature sensor as the plant sees it: what an ADC turns a continuous temperature into
/// (models.md §3), and what its threshold comparator does.
///
/// A reading of a continuous temperature T [°C] (the value of a node or a weighted set of nodes,
/// see `rc_network::make_probe`) is, in integer m°C:
///
///     x = 1000·T + offset (+ noise, + spike)              [m°C, real]
///     reading = q·⌊x / q⌋            (quantisation::floor, a truncating ADC; default)
///             = q·⌊x / q + 1/2⌋      (quantisation::nearest)
///
/// with q the resolution (≥ 1 m°C). Noise is Gaussian with a seeded, portable generator
/// (core/prng.hpp), one draw per read, so a run is a pure function of its inputs. Reads can fail:
/// at random (`try_again_probability`, the kernel's −EAGAIN) or by a scripted fault (try-again,
/// hard error, a stuck value, a spike added to every read).
///
/// An interrupt-capable sensor has a comparator that watches the *noise-free* quantised value
/// `quantise(T)` against the window (low, high) the zone programmed with `set_trips`: it fires
/// when the value reaches `high` (value ≥ high; value > high when the window is a single point,
/// where the value already sits on it) or drops below `low` (value < low) — the same rules the
/// zone applies to trips, so an interrupt always means "a trip may have changed". Because the
/// quantiser is a step function, each condition is a *continuous* threshold on T
/// (`rising_threshold`, `falling_threshold`), which is what the simulation hands to the exact
/// first-crossing search. A stuck or failed sensor's comparator is silent.
///
/// Conversion time, IRQ latency and the comparator's sampling period are timing parameters the
/// simulation applies (sim/simulation.hpp). Host-side model code: no heap, `<cmath>` allowed.
/// See docs/explanation/simulation.md.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>

#include "thermo/core/errc.hpp"
#include "thermo/core/prng.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/time.hpp"
#include "thermo/core/units.hpp"

namespace thermo {

/// How the ADC rounds.
enum class quantisation : std::uint8_t {
  floor,    ///< truncation: the reading is the grid step at or below the value (default)
  nearest,  ///< round half up to the nearest grid step
};

/// A scripted sensor fault.
enum class sensor_fault_kind : std::uint8_t {
  none,        ///< healthy
  try_again,   ///< every read returns `errc::try_again` (the zone re-checks after 250 ms)
  hard_error,  ///< every read returns `errc::hardware_fault` (the zone backs off, then disables)
  stuck,       ///< every read returns `stuck_value`; the comparator is silent
  spike,       ///< `magnitude` is added to every read (a disturbed ADC); the comparator is not
};

/// A fault and its parameters.
struct sensor_fault {
  sensor_fault_kind kind{sensor_fault_kind::none};
  millicelsius stuck_value{0};       ///< for `stuck`
  millikelvin_delta magnitude{0};    ///< for `spike`
};

/// What a sensor is made of. Timing (`conversion_time`, `irq_latency`, `comparator_period`) is
/// used by the simulation; the rest by `sensor_model`.
struct sensor_params {
  millikelvin_delta offset{0};        ///< added to the true temperature (calibration error), m°C
  millikelvin_delta resolution{1};    ///< quantisation step q, ≥ 1 m°C (e.g. 500 or 1000)
  quantisation rounding{quantisation::floor};
  double noise_stddev_mc{0.0};        ///< Gaussian read noise, standard deviation in m°C (≥ 0)
  std::uint64_t seed{1};              ///< noise and random-fault stream
  double try_again_probability{0.0};  ///< chance that a read fails with try_again, [0, 1]
  double spike_probability{0.0};      ///< chance that a read carries a spike, [0, 1]
  millikelvin_delta spike_magnitude{0};  ///< the spike added to such a read, m°C
  sim_duration conversion_time{0};    ///< a read's value is delivered this long after it starts (≥ 0)
  bool interrupt{false};              ///< has a threshold comparator (`set_trips`)
  sim_duration irq_latency{0};        ///< comparator trip → handler runs (≥ 0)
  sim_duration comparator_period{0};  ///< comparator samples on this grid; 0 = continuous (≥ 0)
};

/// `errc::ok` or what is wrong with `p`: `non_positive` "sensor resolution";
/// `not_finite`/`negative` "sensor noise"; `out_of_range` "sensor try-again probability" /
/// "sensor spike probability" (outside [0, 1] or NaN); `negative` "sensor conversion time" /
/// "sensor irq latency" / "sensor comparator period".
[[nodiscard]] constexpr error validate(const sensor_params& p) noexcept {
  if (p.resolution.count() <= 0) {
    return {errc::non_positive, "sensor resolution"};
  }
  if (!(p.noise_stddev_mc - p.noise_stddev_mc == 0.0)) {
    return {errc::not_finite, "sensor noise"};
  }
  if (p.noise_stddev_mc < 0.0) {
    return {errc::negative, "sensor noise"};
  }
  if (!(p.try_again_probability >= 0.0 && p.try_again_probability <= 1.0)) {
    return {errc::out_of_range, "sensor try-again probability"};
  }
  if (!(p.spike_probability >= 0.0 && p.spike_probability <= 1.0)) {
    return {errc::out_of_range, "sensor spike probability"};
  }
  if (p.conversion_time.count() < 0) {
    return {errc::negative, "sensor conversion time"};
  }
  if (p.irq_latency.count() < 0) {
    return {errc::negative, "sensor irq latency"};
  }
  if (p.comparator_period.count() < 0) {
    return {errc::negative, "sensor comparator period"};
  }
  return {};
}

/// A sensor's value path: quantisation, offset, noise, faults, comparator thresholds.
/// Trivially copyable; no heap.
class sensor_model {
 public:
  /// A 1 m°C, offset-free, noise-free sensor.
  sensor_model() noexcept : sensor_model(sensor_params{}) {}

  /// Validates `p` (see `validate`) and builds the model.
  [[nodiscard]] static result<sensor_model, error> make(const sensor_params& p) noexcept {
    if (const error e = validate(p); !e.ok()) {
      return e;
    }
    return sensor_model(p);
  }

  [[nodiscard]] const sensor_params& params() const noexcept { return p_; }

  /// The noise-free reading of temperature `celsius`: offset and quantisation, saturated to
  /// the int32 range. What the comparator compares. O(1).
  [[nodiscard]] millicelsius quantise(double celsius) const noexcept {
    return grid(celsius * 1000.0 + static_cast<double>(p_.offset.count()));
  }

  /// One read of temperature `celsius` at the ADC: scripted fault, random try-again, spike and
  /// noise, then quantisation. Draws from the generator only for the features in use (order:
  /// try-again, spike, noise), so adding noise does not change when faults happen. O(1).
  [[nodiscard]] result<millicelsius> read(double celsius) noexcept {
    switch (fault_.kind) {
      case sensor_fault_kind::try_again:
        return errc::try_again;
      case sensor_fault_kind::hard_error:
        return errc::hardware_fault;
      case sensor_fault_kind::stuck:
        return fault_.stuck_value;
      case sensor_fault_kind::none:
      case sensor_fault_kind::spike:
        break;
    }
    if (p_.try_again_probability > 0.0 && bernoulli(rng_, p_.try_again_probability)) {
      return errc::try_again;
    }
    double x = celsius * 1000.0 + static_cast<double>(p_.offset.count());
    if (p_.spike_probability > 0.0 && bernoulli(rng_, p_.spike_probability)) {
      x += static_cast<double>(p_.spike_magnitude.count());
    }
    if (fault_.kind == sensor_fault_kind::spike) {
      x += static_cast<double>(fault_.magnitude.count());
    }
    if (p_.noise_stddev_mc > 0.0) {
      x += noise_(rng_);
    }
    return grid(x);
  }

  /// The lowest temperature [°C] whose noise-free reading is ≥ `high` (or > `high` when
  /// `strict`): the comparator's rising threshold. `+inf` when no finite temperature reaches it
  /// (high ≥ INT32_MAX). Exact in integer arithmetic up to the final division by 1000.
  [[nodiscard]] double rising_threshold(millicelsius high, bool strict = false) const noexcept {
    const std::int64_t h = static_cast<std::int64_t>(high.count()) + (strict ? 1 : 0);
    if (h >= std::numeric_limits<std::int32_t>::max()) {
      return std::numeric_limits<double>::infinity();
    }
    return edge(h);
  }

  /// The temperature [°C] below which the noise-free reading is < `low`: the comparator fires
  /// once the temperature is strictly below this. `−inf` for low ≤ −INT32_MAX (no lower edge).
  [[nodiscard]] double falling_threshold(millicelsius low) const noexcept {
    if (low.count() <= -std::numeric_limits<std::int32_t>::max()) {
      return -std::numeric_limits<double>::infinity();
    }
    return edge(low.count());
  }

  /// Starts a scripted fault (replacing any other). A `stuck` fault with `stuck_value` 0 keeps
  /// whatever value is passed as `current` (the last reading before the fault).
  void set_fault(sensor_fault f, millicelsius current = millicelsius{0}) noexcept {
    fault_ = f;
    if (f.kind == sensor_fault_kind::stuck && f.stuck_value.count() == 0) {
      fault_.stuck_value = current;
    }
  }
  /// Ends any scripted fault.
  void clear_fault() noexcept { fault_ = sensor_fault{}; }
  [[nodiscard]] const sensor_fault& fault() const noexcept { return fault_; }
  /// False while the comparator cannot fire (hard error or stuck sensor).
  [[nodiscard]] bool comparator_active() const noexcept {
    return fault_.kind != sensor_fault_kind::hard_error && fault_.kind != sensor_fault_kind::stuck;
  }

 private:
  explicit sensor_model(const sensor_params& p) noexcept
      : p_(p), rng_(p.seed), noise_(0.0, p.noise_stddev_mc) {}

  [[nodiscard]] millicelsius grid(double x) const noexcept {
    const auto q = static_cast<double>(p_.resolution.count());
    const double k = p_.rounding == quantisation::floor ? std::floor(x / q) : std::floor(x / q + 0.5);
    const double v = k * q;
    constexpr double lo = -2147483647.0;
    constexpr double hi = 2147483647.0;
    if (!(v > lo)) {
      return millicelsius(-std::numeric_limits<std::int32_t>::max());
    }
    if (v >= hi) {
      return millicelsius(std::numeric_limits<std::int32_t>::max());
    }
    return millicelsius(static_cast<std::int32_t>(v));
  }

  // The continuous value x at which the quantised reading first is ≥ h: q·⌈h/q⌉ (floor) or
  // q·(⌈h/q⌉ − 1/2) (nearest), minus the offset, in °C.
  [[nodiscard]] double edge(std::int64_t h) const noexcept {
    const std::int64_t q = p_.resolution.count();
    const std::int64_t k = h >= 0 ? (h + q - 1) / q : -((-h) / q);  // ⌈h/q⌉
    double x = static_cast<double>(k * q);
    if (p_.rounding == quantisation::nearest) {
      x -= 0.5 * static_cast<double>(q);
    }
    return (x - static_cast<double>(p_.offset.count())) / 1000.0;
  }

  sensor_params p_{};
  prng rng_;
  normal_distribution<double> noise_;
  sensor_fault fault_{};
};

}  // namespace thermo
