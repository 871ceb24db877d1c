/// @file inference.hpp
/// The schema of ML inference as a workload (models.md §4): a CPU core type with its int8 MAC
/// rate, an inference framework, a model with its work W and its calibrated efficiency e and
/// Amdahl serial fraction s per framework — and the records the calibration is made of (the
/// platform a latency was measured on, a published latency with the model's prediction).
///
/// This is the schema; the presets are values of it. `presets/inference_models.hpp` holds the
/// calibrated models and core types (generated from workloads.json, how: docs/explanation/
/// inference-calibration.md); a user describes their own core or model with the same types and
/// `workload::make_inference_work` turns a model, a framework and a core into the work of one
/// inference:
///
///     constexpr thermo::schema::core_type_desc my_core{"MyCore", "vendor,my-core", 16.0, ""};
///     constexpr thermo::schema::inference_model_desc my_net{
///         "my_net", "MyNet", "int8", 224U, 300.0, 3.5,
///         {0.3, 0.1, "", ""}, {0.25, 0.1, "", ""}};  // (e, s) for TFLite, for TVM
///
/// Plain constexpr aggregates: no heap, usable in constant expressions and on a device.
/// See docs/reference/schema.md.
#pragma once

#include <cstdint>
#include <string_view>

namespace thermo::schema {

/// A CPU core type: its int8 multiply-accumulate rate.
struct core_type_desc {
  std::string_view name;        ///< "Cortex-A72"
  std::string_view compatible;  ///< device-tree compatible, "arm,cortex-a72"
  double int8_macs_per_cycle;   ///< m_k, int8 MACs per cycle per core
  std::string_view status;      ///< provenance class of the number (workloads.json vocabulary)
};

/// An inference framework as a workload sees it.
enum class framework : std::uint8_t {
  tflite,  ///< TensorFlow Lite: one thread unless told otherwise (benchmark_model --num_threads=1)
  tvm,     ///< Apache TVM: a thread per core of the cluster
};

/// e and s of one model under one framework.
struct framework_fit {
  double efficiency;        ///< e: sustained MACs per cycle / core int8 peak
  double serial_fraction;   ///< s: Amdahl serial fraction, S(n) = 1/(s + (1 − s)/n)
  std::string_view e_from;  ///< the published row (or rule) that fixed e
  std::string_view s_from;  ///< the published rows (or rule) that fixed s
};

/// An inference model (one image, batch 1).
struct inference_model_desc {
  std::string_view name;       ///< as in workloads.json, "Mobilenet_V1_1.0_224_quant"
  std::string_view family;     ///< "MobileNetV1", "MobileNetV3-Large" …
  std::string_view precision;  ///< "uint8 (quantization-aware training)", "fp32" …
  std::uint32_t input_size;    ///< input resolution (pixels per side); 0 when the data has none
  double macs_millions;        ///< W / 10⁶
  double params_millions;      ///< parameters / 10⁶
  framework_fit tflite;        ///< calibrated for TensorFlow Lite
  framework_fit tvm;           ///< calibrated for TVM

  [[nodiscard]] constexpr const framework_fit& fit(framework f) const noexcept {
    return f == framework::tvm ? tvm : tflite;
  }
};

/// A device a published latency was measured on: one core's rate R = m·f at e = 1.
struct measurement_platform_desc {
  std::string_view id;           ///< "pixel2_big"
  std::string_view description;  ///< device, core, clock
  std::string_view core;         ///< core type name, empty when the rate is calibrated
  double core_rate_macs_per_s;   ///< R = m_k · f [MAC/s]
  std::string_view rate_from;    ///< how R was obtained
};

/// Role of a published latency in the calibration.
enum class reference_role : std::uint8_t {
  calibration,  ///< fixed a parameter (the model reproduces it by construction)
  check,        ///< independent: the model predicts it
};

/// A published latency and the model's prediction for it.
struct reference_latency {
  std::string_view model;     ///< `inference_model_desc::name`
  framework fw;               ///< framework measured
  std::string_view platform;  ///< `measurement_platform_desc::id`
  std::uint32_t threads;      ///< n
  double published_ms;        ///< published latency [ms]
  double predicted_ms;        ///< W / (R · e · S(n)) with the calibrated e and s [ms]
  reference_role role;        ///< calibration or check
  std::string_view source;    ///< where it was published
};

}  // namespace thermo::schema
