// Fuzz target: the utilisation-trace CSV reader (io/utilization_csv.hpp
// `io::parse_utilization_csv`) and the heap-free workload built from what it accepts
// (`make_utilization_trace`), walked from start to end as a simulation would.
//
// Invariants: an error is one line naming the file and leaves the table empty; an accepted
// table has rows, CPU columns and rows × CPUs values, times ≥ 0 and strictly increasing,
// utilisations finite in [0, 1]; a table within the workload's capacity becomes a workload that
// replays exactly those values, and one beyond it is refused with a clean error.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "thermo/io/utilization_csv.hpp"

using thermo::fuzz::require;

namespace {

constexpr std::string_view source = "fuzz/case.csv";
constexpr std::size_t max_rows = 1024;
constexpr std::size_t max_cores = 8;
using trace_type = thermo::workload::utilization_trace<max_rows, max_cores>;

void check_workload(const thermo::io::utilization_table& t, thermo::workload::trace_end at_end) {
  thermo::workload::utilization_trace_config c;
  c.at_end = at_end;
  c.duration = t.times.back() + thermo::sim_duration{1};
  auto w = thermo::io::make_utilization_trace<max_rows, max_cores>(t, c);
  if (t.rows() > max_rows || t.cores() > max_cores) {
    require(!w && w.error().code == thermo::errc::capacity_exceeded && *w.error().what != '\0',
            "a table beyond the capacity is refused");
    return;
  }
  require(w.has_value(), "an accepted table within the capacity makes a workload",
          w ? std::string_view() : std::string_view(w.error().what));
  auto trace = std::make_unique<trace_type>(std::move(*w));
  require(trace->rows() == t.rows() && trace->cores() == t.cores(), "the workload has the table's shape");
  // walk every boundary: each row becomes active in turn with the table's values
  const thermo::workload::domain_state state{};
  std::array<double, max_cores> u{};
  thermo::sim_time now{};
  for (std::size_t steps = 0; steps <= t.rows() + 2; ++steps) {
    const thermo::sim_time next = trace->next_event(now, state);
    if (next == thermo::never) {
      break;
    }
    require(next >= now, "the next event is not in the past");
    now = next;
    trace->on_event(now, state);
    trace->utilization(now, std::span<double>(u));
    const std::size_t row = trace->active_row();
    for (std::size_t k = 0; k < t.cores(); ++k) {
      require(row < t.rows() ? u[k] == t.row(row)[k] : u[k] == 0.0, "the active row's values are the table's");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  thermo::io::utilization_table t;
  const thermo::io::csv_error e = thermo::io::parse_utilization_csv(thermo::fuzz::as_text(data, size), source, t);
  if (!e.ok()) {
    thermo::fuzz::require_message(e.message, source);
    require(t.rows() == 0 && t.cores() == 0 && t.values.empty(), "a rejected table is left empty");
    return 0;
  }
  require(t.rows() > 0 && t.cores() > 0, "an accepted table has rows and CPU columns");
  require(t.values.size() == t.rows() * t.cores(), "rows x CPUs values");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    require(t.times[r].count() >= 0 && (r == 0 || t.times[r] > t.times[r - 1]), "times >= 0, strictly increasing");
    for (const double v : t.row(r)) {
      require(std::isfinite(v) && v >= 0.0 && v <= 1.0, "utilisations in [0, 1]");
    }
  }
  for (const std::string& cpu : t.cpus) {
    require(!cpu.empty(), "CPU columns have names");
  }
  check_workload(t, thermo::workload::trace_end::hold);
  check_workload(t, thermo::workload::trace_end::idle);
  return 0;
}
