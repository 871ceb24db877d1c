// Shared pieces of the `thermo` command-line tool: a value-or-message result, option parsing,
// the text helpers (io/text.hpp), whole-file output (io/output.hpp: nothing half-written is
// left behind, no input or special file is replaced) and a progress line on stderr for long runs. Host code; no
// exceptions are thrown.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <unistd.h>

#include "thermo/control/governors/registry.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/output.hpp"
#include "thermo/io/text.hpp"

namespace thermo::cli {

/// Exit codes: 0 success, 1 a run failed (bad input file, I/O), 2 bad usage.
inline constexpr int exit_ok = 0;
inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

/// A value or a one-line message saying what is wrong.
template <class T>
class outcome {
 public:
  outcome(T v) : v_(std::move(v)) {}  // NOLINT(google-explicit-constructor)
  static outcome fail(std::string message) {
    outcome o;
    o.message_ = std::move(message);
    return o;
  }
  [[nodiscard]] bool ok() const noexcept { return v_.has_value(); }
  explicit operator bool() const noexcept { return ok(); }
  [[nodiscard]] T& value() { return *v_; }
  [[nodiscard]] const T& value() const { return *v_; }
  T* operator->() { return &*v_; }
  const T* operator->() const { return &*v_; }
  T& operator*() { return *v_; }
  const T& operator*() const { return *v_; }
  [[nodiscard]] const std::string& message() const noexcept { return message_; }

 private:
  outcome() = default;
  std::optional<T> v_;
  std::string message_;
};

/// A usage or run error: message and exit code.
struct failure {
  std::string message;
  int code{exit_failure};
};

// ------------------------------------------------------------------ text

// Lines, fields, trimming and durations as every thermo text format reads them (io/text.hpp).
// Numbers are read with io::parse_int / parse_double / parse_fixed and `io::exact`: a
// command-line value or a field that was already trimmed must be the number, whole.
using io::parse_duration;
using io::split_csv;
using io::split_lines;
using io::trim;

// ------------------------------------------------------------------ governors

/// The governors the tool runs a zone with (`replay --governor`, a scenario's `[zone]
/// governor`): the kernel's, one slot per zone — bang_bang serves that one zone, the power
/// allocator up to 16 actors.
using cli_governors = control::kernel_governors<1, 16>;

/// "unknown governor 'NAME' (step_wise, bang_bang, …)": the registry's names.
inline std::string unknown_governor(std::string_view name) {
  return "unknown governor '" + std::string(name) + "' (" + std::string(cli_governors::list) + ")";
}

// ------------------------------------------------------------------ options

/// Command-line arguments of one subcommand: `--name value`, `--name=value`, flags and
/// positional arguments. Each `take`/`flag` consumes what it reads; `finish` reports leftovers.
class args {
 public:
  args(std::string_view command, std::vector<std::string_view> v) : command_(command), v_(std::move(v)), used_(v_.size(), false) {}

  /// True when `--help`/`-h` is present anywhere.
  [[nodiscard]] bool wants_help() const {
    for (const auto a : v_) {
      if (a == "--help" || a == "-h") {
        return true;
      }
    }
    return false;
  }
  /// The value of `--name` (last one wins), or nullopt; error when given without a value.
  [[nodiscard]] std::optional<std::string_view> take(std::string_view name, failure& err) {
    std::vector<std::string_view> all = take_all(name, err);
    if (all.empty()) {
      return std::nullopt;
    }
    return all.back();
  }
  /// Every value of a repeatable `--name`.
  [[nodiscard]] std::vector<std::string_view> take_all(std::string_view name, failure& err) {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < v_.size(); ++i) {
      if (used_[i]) {
        continue;
      }
      const std::string_view a = v_[i];
      if (a == name) {
        used_[i] = true;
        if (i + 1 >= v_.size() || (v_[i + 1].size() > 1 && v_[i + 1].substr(0, 2) == "--")) {
          if (err.message.empty()) {
            err = {std::string(command_) + ": " + std::string(name) + " needs a value", exit_usage};
          }
          continue;
        }
        used_[i + 1] = true;
        out.push_back(v_[i + 1]);
        ++i;
      } else if (a.size() > name.size() && a.substr(0, name.size()) == name && a[name.size()] == '=') {
        used_[i] = true;
        out.push_back(a.substr(name.size() + 1));
      }
    }
    return out;
  }
  /// True when the flag `--name` is present.
  [[nodiscard]] bool flag(std::string_view name) {
    bool found = false;
    for (std::size_t i = 0; i < v_.size(); ++i) {
      if (!used_[i] && v_[i] == name) {
        used_[i] = true;
        found = true;
      }
    }
    return found;
  }
  /// The positional arguments (not starting with "--") not consumed yet; marks them used.
  [[nodiscard]] std::vector<std::string_view> positional() {
    std::vector<std::string_view> out;
    for (std::size_t i = 0; i < v_.size(); ++i) {
      if (!used_[i] && (v_[i].size() < 2 || v_[i].substr(0, 2) != "--") && v_[i] != "-h") {
        used_[i] = true;
        out.push_back(v_[i]);
      }
    }
    return out;
  }
  /// An error for the first argument nobody consumed (or keeps `err` if already set).
  void finish(failure& err) const {
    if (!err.message.empty()) {
      return;
    }
    for (std::size_t i = 0; i < v_.size(); ++i) {
      if (!used_[i]) {
        const bool option = v_[i].size() > 1 && v_[i].front() == '-';
        err = {std::string(command_) + ": " + (option ? "unknown option '" : "unexpected argument '") + std::string(v_[i]) +
                   "' (see thermo " + std::string(command_) + " --help)",
               exit_usage};
        return;
      }
    }
  }

 private:
  std::string_view command_;
  std::vector<std::string_view> v_;
  std::vector<bool> used_;
};

// ------------------------------------------------------------------ files

/// Reads a whole input file of at most `max_bytes`, or standard input for "-". The message
/// names the file and the reason ("cannot read 'x': Is a directory"), or the limit ("'x' is
/// larger than the 64 MiB limit of a CSV trace", `what` naming the kind of input); an endless
/// stream (/dev/zero) stops at the limit.
inline outcome<std::string> read_input(const std::string& path, std::size_t max_bytes = io::default_max_file_bytes,
                                       std::string_view what = "an input file") {
  std::string text;
  const std::string name = path == "-" ? std::string("<stdin>") : path;
  io::file_error e = path == "-" ? io::read_stream(stdin, name, text, max_bytes) : io::read_file(path, text, max_bytes);
  if (!e.ok()) {
    return outcome<std::string>::fail(io::read_failure_message(std::move(e.message), name, max_bytes, what));
  }
  return text;
}

/// Writes `content` to `path` ("-": standard output) whole or not at all, never over one of
/// `inputs` or a file that is not a regular file (io/output.hpp). Returns an error message
/// naming the file and the reason, or "".
inline std::string write_file_atomically(const std::string& path, std::string_view content,
                                         std::initializer_list<std::string> inputs = {}) {
  const io::file_error e = io::write_output(path, content, inputs);
  return e.ok() ? std::string{} : e.message;
}

// ------------------------------------------------------------------ progress

/// A progress line on stderr, shown only when stderr is a terminal and the run has already
/// taken more than a second; refreshed at most ten times a second, erased by `done`.
class progress {
 public:
  explicit progress(std::string label) : label_(std::move(label)), tty_(::isatty(2) == 1), start_(clock::now()), last_(start_) {}
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;
  ~progress() { done(); }

  /// `fraction` in [0, 1]; `detail` e.g. "1200/5000 rows".
  void update(double fraction, std::string_view detail = {}) {
    if (!tty_) {
      return;
    }
    const auto now = clock::now();
    if (now - start_ < std::chrono::seconds(1) || now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    shown_ = true;
    std::string pct = std::to_string(static_cast<int>(fraction * 100.0));
    pct.insert(0, pct.size() < 3 ? 3 - pct.size() : 0, ' ');
    const std::string line = "\r" + label_ + ": " + pct + "% " + std::string(detail) + "\x1b[K";
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }
  /// Erases the line if one was shown.
  void done() {
    if (shown_) {
      std::fprintf(stderr, "\r\x1b[K");
      std::fflush(stderr);
      shown_ = false;
    }
  }

 private:
  using clock = std::chrono::steady_clock;
  std::string label_;
  bool tty_;
  bool shown_{false};
  clock::time_point start_;
  clock::time_point last_;
};

/// Opens the optional outputs `files` (name → where its stream goes; a name not given stays
/// null) in `outputs`, before any work, so that a name that cannot be written is refused first
/// and they appear together after it, or not at all (io/output.hpp). On failure prints
/// "thermo COMMAND: message" to `err` and returns false.
inline bool open_outputs(io::output_set& outputs,
                         std::initializer_list<std::pair<std::optional<std::string_view>, std::ostream**>> files,
                         std::string_view command, std::ostream& err) {
  for (const auto& [file, out] : files) {
    if (file) {
      if (const io::file_error e = outputs.open(std::string(*file), *out); !e.ok()) {
        err << "thermo " << command << ": " << e.message << '\n';
        return false;
      }
    }
  }
  return true;
}

}  // namespace thermo::cli
