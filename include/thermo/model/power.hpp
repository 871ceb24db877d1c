/// @file power.hpp
/// The plant's electrical power per power domain (a CPU cluster, a GPU), in SI units:
///
///     P_dyn    = Σ_c u_c · C · V² · f        per core c, u_c ∈ [0, 1] its utilisation
///     P_static = n · V · I_0 · e^{k (T − T_0)} (model/leakage.hpp; off by default)
///     P_idle   = a constant, drawn only while no core runs (Σ u_c = 0; 0 by default)
///
/// C is the device tree's `dynamic-power-coefficient` in µW/(MHz·V²), so one core at u = 1 draws
/// `C · V² · f[MHz] · 10⁻⁶` W — the same number the kernel's Energy Model stores as
/// `floor(C · mV² · MHz / 10⁶)` µW, minus the kernel's truncations (mV, MHz, µW). The model uses
/// the exact voltage and frequency, so it is never below the EM and exceeds it by less than the
/// EM's rounding (a test checks this for every preset OPP). OPPs with an explicit
/// `opp-microwatt` use that power per core instead of C·V²·f.
///
/// Leakage is the part that depends on temperature: evaluate `power()` again whenever the
/// temperature moves (the simulation does so at every event and at least every
/// `leakage_interval`).
///
/// Host-side, templated on `Real`; built once (validated), then no heap. See models.md §2 and
/// docs/reference/power.md.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/core/units.hpp"
#include "thermo/model/leakage.hpp"
#include "thermo/power/opp.hpp"
#include "thermo/schema/soc.hpp"

namespace thermo {

/// What a power domain is made of.
template <class Real = double>
struct power_domain_config {
  std::string_view name;                     ///< for reports
  std::span<const power::opp> opps;          ///< ascending frequency (validated like an OPP table)
  Real dynamic_power_coefficient = Real(0);  ///< C, µW/(MHz·V²) (≥ 0, the DT value)
  std::size_t cores = 1;                     ///< n ≥ 1 (1 for a GPU)
  leakage_params<Real> leakage{};            ///< off by default
  watts<Real> idle_power{Real(0)};           ///< drawn while no core runs (≥ 0)
};

/// The power of a domain split by cause, W.
template <class Real = double>
struct power_breakdown {
  watts<Real> dynamic{};
  watts<Real> leakage{};
  watts<Real> idle{};
  watts<Real> total{};
};

/// A validated power domain with room for `MaxOpps` OPPs.
template <class Real = double, std::size_t MaxOpps = power::default_max_opps>
class power_domain {
 public:
  /// Validates and copies the configuration. Errors: those of `validate_opps` ("opp …");
  /// `not_finite` / `negative` "dynamic-power-coefficient" and "idle power"; `non_positive`
  /// "cores"; those of `leakage_model::make`.
  [[nodiscard]] static result<power_domain, error> make(
      const power_domain_config<Real>& c) noexcept {
    auto table = power::opp_table<MaxOpps>::make(c.opps);
    if (!table) {
      return table.error();
    }
    if (!std::isfinite(c.dynamic_power_coefficient)) {
      return error{errc::not_finite, "dynamic-power-coefficient"};
    }
    if (c.dynamic_power_coefficient < Real(0)) {
      return error{errc::negative, "dynamic-power-coefficient"};
    }
    if (c.cores == 0) {
      return error{errc::non_positive, "cores"};
    }
    if (!std::isfinite(c.idle_power.count())) {
      return error{errc::not_finite, "idle power"};
    }
    if (c.idle_power.count() < Real(0)) {
      return error{errc::negative, "idle power"};
    }
    auto leak = leakage_model<Real>::make(c.leakage);
    if (!leak) {
      return leak.error();
    }
    return power_domain(c, *table, *leak);
  }

  /// A CPU cluster of a SoC description (schema/soc.hpp): its OPPs, coefficient and CPU count.
  [[nodiscard]] static result<power_domain, error> from_cluster(
      const schema::cpu_cluster_desc& cl, leakage_params<Real> leakage = {},
      watts<Real> idle = watts<Real>(Real(0))) noexcept {
    return make({cl.name, cl.opps, static_cast<Real>(cl.dynamic_power_coefficient),
                 cl.cpu_ids.size(), leakage, idle});
  }
  /// A device (GPU) of a SoC description: one "core".
  [[nodiscard]] static result<power_domain, error> from_device(
      const schema::device_desc& d, leakage_params<Real> leakage = {},
      watts<Real> idle = watts<Real>(Real(0))) noexcept {
    return make({d.name, d.opps, static_cast<Real>(d.dynamic_power_coefficient), 1, leakage, idle});
  }

  [[nodiscard]] std::string_view name() const noexcept { return name_; }
  [[nodiscard]] std::size_t cores() const noexcept { return cores_; }
  [[nodiscard]] const power::opp_table<MaxOpps>& opps() const noexcept { return opps_; }
  [[nodiscard]] const leakage_model<Real>& leakage() const noexcept { return leakage_; }
  [[nodiscard]] Real dynamic_power_coefficient() const noexcept { return c_; }
  [[nodiscard]] watts<Real> idle_power() const noexcept { return idle_; }

  /// OPP `k`'s frequency in Hz and voltage in V. Precondition: k < opps().size().
  [[nodiscard]] hertz_f<Real> frequency(std::size_t k) const noexcept {
    return hertz_f<Real>(static_cast<Real>(opps_[k].frequency.count()) * Real(1000));
  }
  [[nodiscard]] volts<Real> voltage(std::size_t k) const noexcept {
    return volts<Real>(static_cast<Real>(opps_[k].voltage.count()) * Real(1e-6));
  }

  /// Dynamic power of one fully busy core at OPP k: C·V²·f (or the OPP's explicit power), W.
  /// Precondition: k < opps().size(). O(1).
  [[nodiscard]] watts<Real> core_dynamic_power(std::size_t k) const noexcept {
    const power::opp& o = opps_[k];
    if (o.power.count() != 0) {
      return watts<Real>(static_cast<Real>(o.power.count()) * Real(1e-6));
    }
    const Real v = voltage(k).count();
    const Real f_mhz = static_cast<Real>(o.frequency.count()) * Real(1e-3);
    return watts<Real>(c_ * v * v * f_mhz * Real(1e-6));
  }

  /// The domain's power at OPP `k` with per-core utilisations `util` (at most `cores()`
  /// entries; missing cores are idle) and die temperature `t`.
  /// Errors: `out_of_range` "opp index"; `invalid_argument` "utilisation entries (more than
  /// cores)"; `out_of_range` "utilisation" (not in [0, 1] or NaN; index = core);
  /// `not_finite` "temperature". O(cores).
  [[nodiscard]] result<power_breakdown<Real>, error> power(std::size_t k,
                                                           std::span<const Real> util,
                                                           celsius<Real> t) const noexcept {
    if (k >= opps_.size()) {
      return error{errc::out_of_range, "opp index", static_cast<std::int32_t>(k)};
    }
    if (util.size() > cores_) {
      return error{errc::invalid_argument, "utilisation entries (more than cores)",
                   static_cast<std::int32_t>(util.size())};
    }
    if (!std::isfinite(t.count())) {
      return error{errc::not_finite, "temperature"};
    }
    Real busy = Real(0);
    for (std::size_t c = 0; c < util.size(); ++c) {
      if (!(util[c] >= Real(0) && util[c] <= Real(1))) {
        return error{errc::out_of_range, "utilisation", static_cast<std::int32_t>(c)};
      }
      busy += util[c];
    }
    return power_at(k, busy, core_dynamic_power(k), [t] { return t; });
  }

  /// `power`'s arithmetic without its input checks, the fast entry of a caller that keeps its
  /// inputs valid by construction (the simulation, at every operating-point change): the power
  /// at OPP `k` with `busy` = Σ per-core utilisation (in [0, cores()]), one busy core's dynamic
  /// power `core_dynamic` (= `core_dynamic_power(k)`, which such a caller caches), and the die
  /// temperature from `temperature()` — called only when leakage is enabled. No checks, O(1).
  template <class Temperature>
  [[nodiscard]] power_breakdown<Real> power_at(std::size_t k, Real busy, watts<Real> core_dynamic,
                                               Temperature&& temperature) const noexcept {
    power_breakdown<Real> b;
    b.dynamic = watts<Real>(busy * core_dynamic.count());
    if (leakage_.enabled()) {
      b.leakage = leakage_.power(voltage(k), temperature(), cores_);
    }
    b.idle = busy == Real(0) ? idle_ : watts<Real>(Real(0));
    b.total = b.dynamic + b.leakage + b.idle;
    return b;
  }

 private:
  power_domain(const power_domain_config<Real>& c, const power::opp_table<MaxOpps>& t,
               const leakage_model<Real>& l) noexcept
      : name_(c.name),
        opps_(t),
        c_(c.dynamic_power_coefficient),
        cores_(c.cores),
        leakage_(l),
        idle_(c.idle_power) {}

  std::string_view name_;
  power::opp_table<MaxOpps> opps_;
  Real c_;
  std::size_t cores_;
  leakage_model<Real> leakage_;
  watts<Real> idle_;
};

}  // namespace thermo
