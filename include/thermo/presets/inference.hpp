/// @file inference.hpp
/// The calibrated inference presets by name: `preset_work` looks a model and a core type up in
/// presets/inference_models.hpp (generated data) and builds the work of one inference with
/// `workload::make_inference_work` (workload/inference.hpp). A model or core of your own needs
/// no lookup: fill a `schema::inference_model_desc` / `schema::core_type_desc`
/// (schema/inference.hpp) and call `make_inference_work` directly.
///
///     // one TVM inference of MobileNet V1 on the RK3399's two Cortex-A72s:
///     auto w = thermo::presets::preset_work("Mobilenet_V1_1.0_224_quant",
///                                           thermo::schema::framework::tvm, "arm,cortex-a72", 2);
///
/// No heap; constexpr. See docs/explanation/inference-workloads.md.
#pragma once

#include <cstddef>
#include <string_view>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/presets/inference_models.hpp"
#include "thermo/schema/inference.hpp"
#include "thermo/workload/inference.hpp"

namespace thermo::presets {

/// The work of preset model `model` under framework `fw` on a cluster of `cluster_cores` cores
/// of type `core` (a device-tree compatible such as "arm,cortex-a72", or a name such as
/// "Cortex-A72"), with `threads` threads (0 = the framework's default). e and s are the
/// calibrated values of presets/inference_models.hpp.
/// Errors: `not_found` "inference model" / "core type"; then those of
/// `workload::make_inference_work` (`non_positive` "cluster cores"; `out_of_range` "threads",
/// more than the cluster has). O(models).
[[nodiscard]] constexpr result<workload::inference_work, error> preset_work(
    std::string_view model, schema::framework fw, std::string_view core, std::size_t cluster_cores,
    std::size_t threads = 0) noexcept {
  const schema::inference_model_desc* m = find_inference_model(model);
  if (m == nullptr) {
    return error{errc::not_found, "inference model"};
  }
  const schema::core_type_desc* c = find_core_type(core);
  if (c == nullptr) {
    return error{errc::not_found, "core type"};
  }
  return workload::make_inference_work(*m, fw, *c, cluster_cores, threads);
}

}  // namespace thermo::presets
