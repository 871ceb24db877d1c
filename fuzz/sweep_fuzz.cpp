// Fuzz target: the `thermo sweep` readers (tools/thermo/sweep_axes.hpp, sweep_results.hpp,
// sweep_study.hpp). The first line of the input is an `--axis KEY=VALUES` argument and a
// `simulate --set KEY=VALUE` argument; the rest is a results file, read both as CSV and as JSON
// lines (a resumed --output, a --merge shard), and a study file (--study).
//
// A setting is accepted with one value, as written, one line without '#'. A study is accepted
// with a scenario and at least one axis; its errors are one line.
//
// Invariants: an axis is accepted with at least one value, each a one-line value without '#';
// a range's values lie within lo..hi. An accepted results table, written again in either format
// and read back, gives the same table again (written twice, the same bytes): a fixed point
// after one round, so that resume and merge never change a row.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "sweep_axes.hpp"
#include "sweep_results.hpp"
#include "sweep_study.hpp"

using thermo::fuzz::require;
namespace sweep = thermo::cli::sweep;

namespace {

void check_axis(std::string_view spec) {
  const auto a = sweep::parse_axis(spec);
  if (!a) {
    require(!a.message().empty() && a.message().find('\n') == std::string::npos, "an axis error is one line");
    return;
  }
  require(a->size() >= 1, "an accepted axis has values");
  const std::size_t n = std::min<std::size_t>(a->size(), 64);
  for (std::size_t i = 0; i < n; ++i) {
    const std::string v = a->value(i);
    require(v.find_first_of("#\r\n") == std::string::npos, "a value is one line without '#'", v);
    if (a->is_range()) {
      const auto x = thermo::io::parse_double(v.substr(0, v.find(' ')), thermo::io::exact);
      require(x.has_value(), "a range value is a number", v);
      const double slack_lo = 1e-9 * std::abs(a->lo) + 1e-300;  // %.10g rounds
      const double slack_hi = 1e-9 * std::abs(a->hi) + 1e-300;
      require(*x >= a->lo - slack_lo && *x <= a->hi + slack_hi, "a range value is within lo..hi", v);
    }
  }
}

void check_setting(std::string_view spec) {
  const auto a = sweep::parse_setting(spec);
  if (!a) {
    require(!a.message().empty() && a.message().find('\n') == std::string::npos, "a setting error is one line");
    return;
  }
  require(a->items.size() == 1 && !a->is_range(), "a setting has one value");
  require(!a->items.front().empty() && a->items.front().find_first_of("#\r\n") == std::string::npos,
          "a setting's value is one line without '#'", a->items.front());
}

void check_study(std::string_view text) {
  const auto st = sweep::parse_study(text, "f.study");
  if (!st) {
    require(!st.message().empty() && st.message().find('\n') == std::string::npos, "a study error is one line");
    return;
  }
  require(!st->scenario.empty() && !st->axes.empty(), "an accepted study has a scenario and an axis");
}

void check_results(std::string_view text, const std::string& name) {
  const auto t = sweep::read_results(text, name);
  if (!t) {
    require(t.message().find('\n') == std::string::npos, "a results error is one line");
    return;
  }
  for (const std::string& out : {std::string("r.csv"), std::string("r.jsonl")}) {
    const std::string once = sweep::render(*t, out);
    const auto back = sweep::read_results(once, out);
    require(back.ok(), "a written table reads back", back.ok() ? std::string_view() : std::string_view(back.message()));
    const std::string twice = sweep::render(*back, out);
    const auto again = sweep::read_results(twice, out);
    require(again.ok() && sweep::render(*again, out) == twice, "reading and writing again is a fixed point");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in(reinterpret_cast<const char*>(data), size);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  const auto nl = in.find('\n');
  check_axis(in.substr(0, nl));
  check_setting(in.substr(0, nl));
  const std::string_view rest = nl == std::string_view::npos ? std::string_view() : in.substr(nl + 1);
  check_study(rest);
  check_results(rest, "f.csv");
  check_results(rest, "f.jsonl");
  return 0;
}
