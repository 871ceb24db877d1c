// The generated inference presets against the library's own formula: every published latency the
// calibration used is reproduced, every other one is predicted exactly as
// docs/explanation/inference-calibration.md says (the generator and the C++ model agree).
#include <cmath>
#include <cstddef>
#include <string>

#include <catch2/catch.hpp>

#include "thermo/presets/inference.hpp"
#include "thermo/presets/inference_models.hpp"
#include "thermo/workload/inference.hpp"

using namespace thermo;
using namespace thermo::workload;
using schema::reference_role;

namespace {

// The library's latency for a published row: the model's work on one core of the row's platform
// (R = m·f, or the calibrated rate) with the row's thread count.
double library_ms(const schema::reference_latency& r) {
  const auto* m = presets::find_inference_model(r.model);
  REQUIRE(m != nullptr);
  const auto* p = presets::find_measurement_platform(r.platform);
  REQUIRE(p != nullptr);
  const auto& fit = m->fit(r.fw);
  // Express the platform as m = 1 MAC/cycle at f = R: the formula only sees the product.
  const inference_work w{m->macs_millions * 1e6, 1.0, fit.efficiency, fit.serial_fraction,
                         r.threads};
  const auto t = inference_seconds(w, p->core_rate_macs_per_s);
  REQUIRE(t.has_value());
  return *t * 1e3;
}

}  // namespace

TEST_CASE("every calibration row is reproduced and every check row is predicted as documented",
          "[inference][presets]") {
  std::size_t calibrations = 0;
  std::size_t checks = 0;
  for (const auto& r : presets::reference_latencies) {
    INFO(std::string(r.model) << " on " << r.platform << ", " << r.threads << " threads");
    const double ms = library_ms(r);
    CHECK(ms == Approx(r.predicted_ms).epsilon(1e-12));
    if (r.role == reference_role::calibration) {
      ++calibrations;
      CHECK(ms == Approx(r.published_ms).epsilon(1e-9));
    } else {
      ++checks;
      // A prediction, not a fit: within the documented spread (worst check: 34 %).
      CHECK(std::abs(ms - r.published_ms) / r.published_ms < 0.35);
    }
  }
  CHECK(calibrations >= 60U);
  CHECK(checks >= 50U);
}

TEST_CASE(
    "the Raspberry Pi 4 TFLite rows are true predictions from Pixel 2 and XNNPACK calibrations",
    "[inference][presets]") {
  // MobileNet V1: e from the Pixel 2 (70.2 ms, 1 thread), s from XNNPACK (86 → 27 ms), A72 = 8
  // MAC/cycle at 1.5 GHz, 4 threads → 34.5 ms; published 35.59 ms.
  const auto w =
      presets::preset_work("Mobilenet_V1_1.0_224_quant", schema::framework::tflite, "arm,cortex-a72", 4, 4);
  REQUIRE(w.has_value());
  const double ms = *inference_seconds(*w, 1.5e9) * 1e3;
  CHECK(ms == Approx(34.53).margin(0.01));
  CHECK(std::abs(ms - 35.59) / 35.59 < 0.035);
}

TEST_CASE(
    "preset tables are consistent: e and s in their ranges, core rates positive, names unique",
    "[inference][presets]") {
  for (const auto& m : presets::inference_models) {
    INFO(std::string(m.name));
    CHECK(m.macs_millions > 0.0);
    for (const auto* fit : {&m.tflite, &m.tvm}) {
      CHECK(fit->efficiency > 0.0);
      CHECK(fit->efficiency <= 1.0);
      CHECK(fit->serial_fraction >= 0.0);
      CHECK(fit->serial_fraction <= 1.0);
      CHECK_FALSE(fit->e_from.empty());
      CHECK_FALSE(fit->s_from.empty());
    }
    CHECK(presets::find_inference_model(m.name) == &m);
  }
  for (const auto& c : presets::core_types) {
    CHECK(c.int8_macs_per_cycle > 0.0);
    CHECK(presets::find_core_type(c.compatible) == &c);
    CHECK(presets::find_core_type(c.name) == &c);
  }
  CHECK(presets::find_core_type("arm,cortex-a53")->int8_macs_per_cycle == 4.0);
  CHECK(presets::find_core_type("arm,cortex-a55")->int8_macs_per_cycle == 16.0);
  CHECK(presets::find_core_type("arm,cortex-a72")->int8_macs_per_cycle == 8.0);
  CHECK(presets::find_core_type("arm,cortex-a73")->int8_macs_per_cycle == 8.0);
  CHECK(presets::find_core_type("arm,cortex-a76")->int8_macs_per_cycle == 32.0);
  CHECK(presets::find_core_type("arm,cortex-a15") == nullptr);
  CHECK(presets::find_inference_model("no such model") == nullptr);
  CHECK(presets::find_measurement_platform("pixel9") == nullptr);
  for (const auto& p : presets::measurement_platforms) {
    CHECK(p.core_rate_macs_per_s > 0.0);
  }
}
