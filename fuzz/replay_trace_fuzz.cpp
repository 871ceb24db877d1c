// Fuzz target: the `thermo replay` trace reader (tools/thermo/replay.hpp `parse_trace`), against
// three zones of the built-in presets (RK3399 cpu-thermal under step_wise with cpufreq columns,
// RK3399 gpu-thermal and HiKey960 cls0-thermal under power_allocator with devfreq and CPU
// columns), and for a trace it accepts, the replay itself (`run_replay`) on a fresh zone.
//
// Invariants: an error is one line naming the file; an accepted trace has a header with one
// temperature column, rows as wide as the header, a line number per row, time_ms not going
// backwards; its replay gives a CSV of a header and one row per trace row, every row as wide as
// the header.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "replay.hpp"
#include "system_source.hpp"
#include "zone_system.hpp"

using thermo::fuzz::require;

namespace {

constexpr std::string_view source = "fuzz/case.csv";

struct zone_choice {
  std::string_view soc;
  std::string_view zone;
  std::string_view governor;
};
constexpr zone_choice zones[] = {{"rk3399", "cpu-thermal", "step_wise"},
                                 {"rk3399", "gpu-thermal", "power_allocator"},
                                 {"hi3660", "cls0-thermal", "power_allocator"}};

std::size_t fields(std::string_view line) { return thermo::io::split_csv(line).size(); }

void check(const zone_choice& z, std::string_view text) {
  auto src = thermo::cli::load_preset(z.soc);
  require(src.ok(), "the preset exists", z.soc);
  auto sys = thermo::cli::zone_system::build(src->description(), src->dt(), z.zone, z.governor);
  require(sys.ok(), "the zone builds", sys.message());
  auto tr = thermo::cli::parse_trace(text, source, **sys);
  if (!tr) {
    thermo::fuzz::require_message(tr.message(), source);
    return;
  }
  std::size_t temperatures = 0;
  for (const thermo::cli::trace_column& c : tr->columns) {
    temperatures += c.k == thermo::cli::trace_column::kind::temperature ? 1U : 0U;
  }
  require(temperatures == 1, "one temperature column");
  require(!tr->rows.empty() && tr->rows.size() == tr->lines.size(), "rows, each with its line");
  for (std::size_t r = 0; r < tr->rows.size(); ++r) {
    require(tr->rows[r].size() == tr->columns.size(), "rows as wide as the header");
    require(tr->lines[r] > 0 && (r == 0 || tr->lines[r] > tr->lines[r - 1]), "line numbers increase");
    for (std::size_t k = 0; k < tr->columns.size(); ++k) {
      if (tr->columns[k].k == thermo::cli::trace_column::kind::time_ms) {
        require(tr->rows[r][k] >= 0 && (r == 0 || tr->rows[r][k] >= tr->rows[r - 1][k]), "time_ms does not go backwards");
      }
    }
  }
  auto out = thermo::cli::run_replay(**sys, *tr);
  if (!out) {
    thermo::fuzz::require_message(out.message(), source);
    return;
  }
  const std::vector<std::string_view> lines = thermo::io::split_lines(*out);
  require(lines.size() == tr->rows.size() + 1, "a header and one output row per trace row");
  const std::size_t width = fields(lines.front());
  for (const std::string_view l : lines) {
    require(fields(l) == width, "output rows as wide as the header", l);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = thermo::fuzz::as_text(data, size);
  for (const zone_choice& z : zones) {
    check(z, text);
  }
  return 0;
}
