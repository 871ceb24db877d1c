// Fuzz target: `thermo replay --ftrace` (tools/thermo/replay_ftrace.hpp `run_ftrace_replay`) on
// three zones of the built-in presets (RK3399 cpu-thermal under step_wise and fair_share,
// HiKey960 cls0-thermal under power_allocator, which reads loads and frequencies from the
// trace): whatever the events say (any zone names, trip ids, targets, cpumasks, loads,
// frequencies, timestamps in any order), the replay ends with a report or a one-line error.
//
// Invariants: an error is one line naming the trace; a report has at least one update, a line
// range inside the text, a first difference exactly when something differs; the CSV has a
// header and one row per update, every row as wide as the header; the report's text ends with
// its verdict line.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "replay.hpp"
#include "replay_ftrace.hpp"
#include "system_source.hpp"
#include "zone_system.hpp"

using thermo::fuzz::require;

namespace {

constexpr std::string_view source = "fuzz/trace.txt";

struct zone_choice {
  std::string_view soc;
  std::string_view zone;
  std::string_view governor;
};
constexpr zone_choice zones[] = {{"rk3399", "cpu-thermal", "step_wise"},
                                 {"rk3399", "cpu-thermal", "fair_share"},
                                 {"hi3660", "cls0-thermal", "power_allocator"}};

std::size_t fields(std::string_view line) { return thermo::io::split_csv(line).size(); }

void check(const zone_choice& z, std::string_view text) {
  auto src = thermo::cli::load_preset(z.soc);
  require(src.ok(), "the preset exists", z.soc);
  auto sys = thermo::cli::zone_system::build(src->description(), src->dt(), z.zone, z.governor);
  require(sys.ok(), "the zone builds", sys.message());
  std::ostringstream csv;
  const auto rep = thermo::cli::run_ftrace_replay(**sys, text, source, &csv);
  if (!rep) {
    thermo::fuzz::require_message(rep.message(), source);
    return;
  }
  const std::size_t text_lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  require(rep->updates > 0, "a report has an update");
  require(rep->first_line > 0 && rep->first_line <= rep->last_line && rep->last_line <= text_lines, "the line range is in the text");
  require(rep->first_cooling.has_value() == (rep->cooling_differ > 0), "a first cooling difference exactly when one differs");
  require(rep->first_trips.has_value() == (rep->trips_differ > 0), "a first trip difference exactly when one differs");
  const std::string out = csv.str();
  const std::vector<std::string_view> lines = thermo::io::split_lines(out);
  require(lines.size() == rep->updates + 1, "a header and one CSV row per update");
  const std::size_t width = fields(lines.front());
  for (const std::string_view l : lines) {
    require(fields(l) == width, "CSV rows as wide as the header", l);
  }
  const std::string report = thermo::cli::format_ftrace_report(*rep, source);
  require(report.ends_with(rep->all_match() ? "thermo agrees with the kernel's log\n" : "thermo differs from the kernel's log\n"),
          "the report ends with its verdict", report);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = thermo::fuzz::as_text(data, size);
  for (const zone_choice& z : zones) {
    check(z, text);
  }
  return 0;
}
