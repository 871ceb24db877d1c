/// @file leakage.hpp
/// Temperature-dependent leakage (static) power of a power domain, for the plant model:
///
///     I_leak(T) = I_0 · e^{k (T − T_0)}          [A per core]
///     P_static  = n_cores · V · I_leak(T)        [W]
///
/// Off by default (zero power). Hot silicon leaks more, which heats it further: with a large
/// enough `k` and a weak path to ambient the loop runs away, which is what a simulation must be
/// able to show (and a critical trip must stop).
///
/// Host-side, templated on `Real`; no heap. See models.md §2 and docs/reference/power.md.
#pragma once

#include <cmath>
#include <cstddef>

#include "thermo/core/assert.hpp"
#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"

namespace thermo {

/// Parameters of the exponential leakage model.
template <class Real = double>
struct leakage_params {
  bool enabled = false;         ///< off by default: no static power
  Real i0_amps = Real(0);       ///< I_0: leakage current per core at T_0, A (≥ 0)
  Real k_per_kelvin = Real(0);  ///< k: exponential coefficient, 1/K (≥ 0; ~0.01–0.04 for CMOS)
  celsius<Real> t0{Real(25)};   ///< T_0: reference temperature, °C
};

/// The exponent `k (T − T_0)` is capped here so that the model saturates at a huge but finite
/// power instead of overflowing (e^60 ≈ 1.1·10²⁶; reachable only hundreds of kelvin past any
/// real silicon), keeping every output finite for `float` too.
inline constexpr double leakage_max_exponent = 60.0;

/// Validated exponential leakage model. Trivially copyable.
template <class Real = double>
class leakage_model {
 public:
  /// The disabled model (zero leakage).
  constexpr leakage_model() noexcept = default;

  /// Validates the parameters. Errors: `not_finite` "leakage i0" / "leakage k" / "leakage t0";
  /// `negative` "leakage i0" / "leakage k". A disabled model is accepted without checks.
  [[nodiscard]] static result<leakage_model, error> make(const leakage_params<Real>& p) noexcept {
    if (!p.enabled) {
      return leakage_model{};
    }
    if (!std::isfinite(p.i0_amps)) {
      return error{errc::not_finite, "leakage i0"};
    }
    if (p.i0_amps < Real(0)) {
      return error{errc::negative, "leakage i0"};
    }
    if (!std::isfinite(p.k_per_kelvin)) {
      return error{errc::not_finite, "leakage k"};
    }
    if (p.k_per_kelvin < Real(0)) {
      return error{errc::negative, "leakage k"};
    }
    if (!std::isfinite(p.t0.count())) {
      return error{errc::not_finite, "leakage t0"};
    }
    leakage_model m;
    m.p_ = p;
    return m;
  }

  [[nodiscard]] constexpr bool enabled() const noexcept { return p_.enabled; }
  [[nodiscard]] constexpr const leakage_params<Real>& params() const noexcept { return p_; }

  /// Leakage current per core at temperature t, A. Precondition: t finite.
  [[nodiscard]] Real current(celsius<Real> t) const noexcept {
    THERMO_ASSERT(std::isfinite(t.count()));
    if (!p_.enabled) {
      return Real(0);
    }
    Real x = p_.k_per_kelvin * (t - p_.t0).count();
    x = x < static_cast<Real>(leakage_max_exponent) ? x : static_cast<Real>(leakage_max_exponent);
    return p_.i0_amps * std::exp(x);
  }

  /// Static power of `cores` cores at supply voltage v and temperature t: n·V·I_leak(T), W.
  /// Preconditions: v ≥ 0 and finite, t finite.
  [[nodiscard]] watts<Real> power(volts<Real> v, celsius<Real> t,
                                  std::size_t cores) const noexcept {
    THERMO_ASSERT(std::isfinite(v.count()) && v.count() >= Real(0));
    return watts<Real>(static_cast<Real>(cores) * v.count() * current(t));
  }

 private:
  leakage_params<Real> p_{};
};

}  // namespace thermo
