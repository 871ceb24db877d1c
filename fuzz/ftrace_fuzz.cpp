// Fuzz target: the ftrace text reader (io/ftrace.hpp `io::ftrace::reader`, `read_all`) and the
// writer (`format`).
//
// Invariants: an error is one line naming the source and its line ("fuzz/trace.txt:7: …") with
// a line ≥ 1; the stream reader and the in-memory reader agree exactly (events, error,
// skipped counts); with a small line limit, the reading is the same up to the first line beyond
// it, which is refused as capacity_exceeded;
// an accepted event has a line, a time ≥ 0, a pid and a CPU ≥ 0, per-actor arrays of equal
// length, one load per CPU, CPUs ascending and below the limit; and it survives a round trip:
// written by `format` (one line, through `writer`) and read back, it is the same event.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "thermo/io/ftrace.hpp"

using thermo::fuzz::require;
namespace ft = thermo::io::ftrace;

namespace {

constexpr std::string_view source = "fuzz/trace.txt";

struct outcome {
  std::vector<ft::event> events;
  thermo::io::text_error error;
  std::size_t skipped = 0;
  std::size_t skipped_by_name = 0;
};

outcome drain(ft::reader& r) {
  outcome o;
  while (auto e = r.next()) {
    o.events.push_back(std::move(*e));
  }
  o.error = r.error();
  o.skipped = r.skipped();
  for (const auto& [name, n] : r.skipped_events()) {
    require(!name.empty() && n > 0, "a skipped name is counted");
    o.skipped_by_name += n;
  }
  return o;
}

void check_cpus(const std::vector<std::uint32_t>& cpus) {
  for (std::size_t k = 0; k < cpus.size(); ++k) {
    require(cpus[k] < ft::max_cpus, "CPUs are below the limit");
    require(k == 0 || cpus[k - 1] < cpus[k], "CPUs are ascending and distinct");
  }
}

void check_event(const ft::event& e) {
  require(e.line >= 1, "an event has a line");
  require(e.time_ns >= 0 && e.pid >= 0 && e.cpu >= 0, "time, pid and CPU are not negative");
  if (const auto* a = std::get_if<ft::power_allocator>(&e.data)) {
    require(a->req_power.size() == a->granted_power.size(), "one request and one grant per actor");
    require(a->has_arrays || a->req_power.empty(), "arrays only in the form that prints them");
  } else if (const auto* c = std::get_if<ft::cpu_get_power>(&e.data)) {
    require(c->load.size() == c->cpus.size(), "one load per CPU");
    check_cpus(c->cpus);
  } else if (const auto* l = std::get_if<ft::cpu_limit>(&e.data)) {
    check_cpus(l->cpus);
  } else if (const auto* d = std::get_if<ft::devfreq_get_power>(&e.data)) {
    require(d->dynamic_power.has_value() == d->static_power.has_value(), "the old devfreq form has both powers");
  }
  const std::string line = ft::format(e);
  require(line.find('\n') == std::string::npos, "a formatted event is one line", line);
  // through the writer, as a trace file is written: the header comes first, so a task that
  // starts with a UTF-8 BOM keeps it (the reader skips a BOM at the start of the text only)
  std::ostringstream out;
  ft::writer w(out);
  w.write(e);
  std::vector<ft::event> back;
  const auto err = ft::read_all(out.str(), "round-trip", back);
  require(err.ok(), "a formatted event reads back", err.message);
  require(back.size() == 1 && back[0] == e, "a formatted event reads back as itself", line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = thermo::fuzz::as_text(data, size);

  ft::reader memory(text, std::string(source));
  const outcome m = drain(memory);
  if (!m.error.ok()) {
    thermo::fuzz::require_message(m.error.message, source);
    require(m.error.line >= 1, "an error names a line", m.error.message);
    const std::string at = std::string(source) + ":" + std::to_string(m.error.line) + ": ";
    require(m.error.message.substr(0, at.size()) == at, "an error message names its line", m.error.message);
  }
  require(m.skipped == m.skipped_by_name, "the skipped events by name add up");
  for (const ft::event& e : m.events) {
    check_event(e);
  }

  // the stream reader sees the same
  std::istringstream in{std::string(text)};
  ft::reader stream(in, std::string(source));
  const outcome s = drain(stream);
  require(s.error.code == m.error.code && s.error.message == m.error.message && s.error.line == m.error.line,
          "stream and memory readers fail alike", s.error.message);
  require(s.events == m.events && s.skipped == m.skipped, "stream and memory readers read alike");
  for (std::size_t k = 0; k < s.events.size(); ++k) {
    require(s.events[k].line == m.events[k].line, "stream and memory readers count lines alike");
  }

  // a small line limit: the same reading up to the first line beyond it, which is refused
  ft::reader small(text, std::string(source), 256);
  const outcome t = drain(small);
  require(t.events.size() <= m.events.size(), "a line limit reads no more events");
  for (std::size_t k = 0; k < t.events.size(); ++k) {
    require(t.events[k] == m.events[k] && t.events[k].line == m.events[k].line, "a line limit reads the same events");
  }
  if (t.error.ok()) {
    require(m.error.ok() && t.events.size() == m.events.size(), "without a long line, the limit changes nothing");
  } else if (t.error.message != m.error.message) {
    require(t.error.code == thermo::errc::capacity_exceeded, "only a long line fails differently", t.error.message);
    require(m.error.ok() || t.error.line <= m.error.line, "the long line comes first", t.error.message);
    require(t.error.message.find("line longer than the") != std::string::npos, "a long line names the limit",
            t.error.message);
  }
  return 0;
}
