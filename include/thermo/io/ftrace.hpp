/// @file ftrace.hpp
/// Linux ftrace text for the thermal events of io/ftrace_events.hpp: a streaming reader of the
/// text both printers write (the tracefs `trace`/`trace_pipe` files and `trace-cmd report`),
/// `read_all` for a text in memory, and the writer (io/ftrace_format.hpp). The formats, per
/// kernel version, and what the reader accepts are in docs/reference/ftrace-events.md.
///
/// ```cpp
/// std::ifstream in("trace.txt");
/// io::ftrace::reader r(in, "trace.txt");
/// while (const auto e = r.next()) { … e->data … }
/// if (!r.error().ok()) { std::cerr << r.error().message << '\n'; }
/// ```
///
/// Memory is bounded: the reader holds one line (at most `max_line_bytes`) and one read chunk,
/// whatever the size of the input. Host code.
#pragma once

#include <cstddef>
#include <cstring>
#include <functional>
#include <istream>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/io/ftrace_events.hpp"
#include "thermo/io/ftrace_format.hpp"
#include "thermo/io/ftrace_parse.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io::ftrace {

/// Reads the known events of an ftrace text one at a time, from a stream or from text in
/// memory. Lines the printers write around events (comments, headers, lost-event and
/// buffer-started notes) are skipped; so are the lines of events thermo does not know, which
/// are counted (`skipped()`, `skipped_events()`). A malformed line of a known event, a line
/// that is no event line, a line longer than the limit or a read failure ends the reading with
/// `error()` set: "trace.txt:12: thermal_power_allocator_pid: bad value 'x' for err (integer)".
class reader {
 public:
  /// Reads `in` (not owned; it must outlive the reader). `source` names it in messages.
  reader(std::istream& in, std::string source, std::size_t max_line = max_line_bytes)
      : in_(&in), source_(std::move(source)), max_line_(max_line) {}
  /// Reads `text` (not copied; it must outlive the reader).
  reader(std::string_view text, std::string source, std::size_t max_line = max_line_bytes)
      : text_(text), source_(std::move(source)), max_line_(max_line) {}

  /// The next known event, or nullopt at the end of the input or at an error (`error()`).
  [[nodiscard]] std::optional<event> next() {
    std::string_view line;
    while (error_.ok() && next_line(line)) {
      if (line_ == 1 && line.substr(0, utf8_bom.size()) == utf8_bom) {
        line.remove_prefix(utf8_bom.size());
      }
      const std::string_view trimmed = detail::ftrace::rtrim(detail::ftrace::ltrim(line));
      if (detail::ftrace::is_skipped_line(trimmed) || (!line.empty() && line.front() == '\t')) {  // a perf call chain
        continue;
      }
      detail::ftrace::prefix p;
      if (std::string e = detail::ftrace::parse_prefix(line, p); !e.empty()) {
        fail(errc::parse_error, {}, e);
        return std::nullopt;
      }
      const std::optional<std::size_t> index = event_index(p.name);
      if (!index) {
        skip(p.name.empty() ? std::string_view("(no event name)") : p.name);
        continue;
      }
      event ev;
      if (std::string e = detail::ftrace::parse_payload(*index, p.fields, fields_, ev.data); !e.empty()) {
        fail(errc::parse_error, p.name, e);
        return std::nullopt;
      }
      ev.time_ns = p.time_ns;
      ev.task.assign(p.task);
      ev.pid = p.pid;
      ev.cpu = p.cpu;
      ev.line = line_;
      ++events_;
      return ev;
    }
    return std::nullopt;
  }

  /// `ok()` while reading and at a clean end; else what went wrong and where.
  [[nodiscard]] const text_error& error() const noexcept { return error_; }
  /// The source's name, as given.
  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  /// The number of lines read so far (the line of the last event or error).
  [[nodiscard]] std::size_t line() const noexcept { return line_; }
  /// The number of known events returned so far.
  [[nodiscard]] std::size_t events() const noexcept { return events_; }
  /// The number of event lines skipped because thermo does not know the event.
  [[nodiscard]] std::size_t skipped() const noexcept { return skipped_; }
  /// The skipped events by name, with their counts (sorted by name).
  [[nodiscard]] const std::map<std::string, std::size_t, std::less<>>& skipped_events() const noexcept {
    return skipped_names_;
  }

 private:
  /// Most distinct skipped names remembered (the rest are counted under "(other)").
  static constexpr std::size_t max_skipped_names = 256;
  static constexpr std::size_t chunk = std::size_t{64} << 10U;

  void skip(std::string_view name) {
    ++skipped_;
    if (const auto it = skipped_names_.find(name); it != skipped_names_.end()) {
      ++it->second;
    } else if (skipped_names_.size() < max_skipped_names) {
      skipped_names_.emplace(std::string(name), 1);
    } else {
      ++skipped_names_["(other)"];
    }
  }

  void fail(errc code, std::string_view event_name, std::string_view what) {
    std::string msg = source_;
    msg += ':';
    msg += std::to_string(line_);
    msg += ": ";
    if (!event_name.empty()) {
      msg += event_name;
      msg += ": ";
    }
    msg += what;
    error_ = {.code = code, .message = std::move(msg), .line = line_};
  }

  void too_long() {
    std::string what = "line longer than the ";
    if (max_line_ % 1024 == 0 && max_line_ > 0) {
      what += std::to_string(max_line_ >> 10U);
      what += " KiB";
    } else {
      what += std::to_string(max_line_);
      what += "-byte";
    }
    what += " limit of an ftrace line";
    fail(errc::capacity_exceeded, {}, what);
  }

  /// The next line without its line end (LF, CRLF); false at the end or on an error.
  bool next_line(std::string_view& line) {
    if (in_ == nullptr) {
      if (pos_ >= text_.size()) {
        return false;
      }
      const std::size_t nl = text_.find('\n', pos_);
      const std::size_t end = nl == std::string_view::npos ? text_.size() : nl;
      ++line_;
      if (end - pos_ > max_line_ + 1) {
        too_long();
        return false;
      }
      line = text_.substr(pos_, end - pos_);
      pos_ = end + 1;
      return finish_line(line);
    }
    while (true) {
      const char* const data = buf_.data();
      const void* const nl = std::memchr(data + scanned_, '\n', buf_.size() - scanned_);  // NOLINT
      if (nl != nullptr) {
        const auto end = static_cast<std::size_t>(static_cast<const char*>(nl) - data);
        ++line_;
        if (end - begin_ > max_line_ + 1) {
          too_long();
          return false;
        }
        line = std::string_view(buf_).substr(begin_, end - begin_);
        begin_ = end + 1;
        scanned_ = begin_;
        return finish_line(line);
      }
      scanned_ = buf_.size();
      if (buf_.size() - begin_ > max_line_ + 1) {
        ++line_;
        too_long();
        return false;
      }
      if (eof_) {
        if (begin_ == buf_.size()) {
          return false;
        }
        ++line_;
        line = std::string_view(buf_).substr(begin_);
        begin_ = buf_.size();
        scanned_ = begin_;
        return finish_line(line);
      }
      // drop the consumed lines, then read a chunk
      buf_.erase(0, begin_);
      scanned_ -= begin_;
      begin_ = 0;
      const std::size_t had = buf_.size();
      buf_.resize(had + chunk);
      in_->read(buf_.data() + had, static_cast<std::streamsize>(chunk));  // NOLINT
      const auto got = static_cast<std::size_t>(in_->gcount());
      buf_.resize(had + got);
      if (in_->bad()) {
        ++line_;
        fail(errc::io_error, {}, "cannot read the input");
        return false;
      }
      if (got < chunk) {
        eof_ = true;
      }
    }
  }

  bool finish_line(std::string_view& line) {
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    if (line.size() > max_line_) {
      too_long();
      return false;
    }
    return true;
  }

  std::istream* in_{nullptr};
  std::string_view text_;
  std::size_t pos_{0};
  std::string buf_;
  std::size_t begin_{0};
  std::size_t scanned_{0};
  bool eof_{false};
  std::string source_;
  std::size_t max_line_;
  std::size_t line_{0};
  std::size_t events_{0};
  std::size_t skipped_{0};
  std::map<std::string, std::size_t, std::less<>> skipped_names_;
  std::vector<detail::ftrace::field> fields_;
  text_error error_{};
};

/// Every known event of `text` into `out` (cleared first), in order. Returns `ok()`, or the
/// reader's error (with `out` holding the events before it). `skipped`, when given, receives
/// the number of unknown events skipped.
[[nodiscard]] inline text_error read_all(std::string_view text, std::string_view source, std::vector<event>& out,
                                         std::size_t* skipped = nullptr) {
  out.clear();
  reader r(text, std::string(source));
  while (auto e = r.next()) {
    out.push_back(std::move(*e));
  }
  if (skipped != nullptr) {
    *skipped = r.skipped();
  }
  return r.error();
}

}  // namespace thermo::io::ftrace
