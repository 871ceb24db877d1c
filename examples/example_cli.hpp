// The command-line conventions every example program follows (examples only, not the library):
//
// * `--help` or `-h` anywhere: the program's usage text on stdout, exit code 0. The text starts
//   with "usage: <program>" (CTest thermo.examples.<program>.help checks every program).
// * a bad or unknown argument: "<program>: <problem>" and the usage text on stderr, exit code 2.
//
// Each program keeps its own small option loop (the options differ too much to share one); it
// calls `wants_help` before it, and `bad_usage` for its errors.
//
// * an output file appears whole or not at all, never over a special file (`output_file`, over
//   thermo/io/output.hpp); the error names the file and the reason.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <ostream>
#include <string>
#include <string_view>

#include "thermo/io/output.hpp"

namespace example_cli {

/// True if any argument is `--help` or `-h`: help wins over every other argument.
[[nodiscard]] inline bool wants_help(int argc, char** argv) noexcept {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      return true;
    }
  }
  return false;
}

/// Prints `usage` on stdout; returns 0, the exit code of `--help`.
inline int help(std::string_view usage) noexcept {
  static_cast<void>(std::fwrite(usage.data(), 1, usage.size(), stdout));
  return 0;
}

/// Prints "<program>: <problem>" and `usage` on stderr; returns 2, the exit code of bad usage.
inline int bad_usage(std::string_view program, std::string_view problem,
                     std::string_view usage) noexcept {
  std::fprintf(stderr, "%.*s: %.*s\n%.*s", static_cast<int>(program.size()), program.data(),
               static_cast<int>(problem.size()), problem.data(), static_cast<int>(usage.size()),
               usage.data());
  return 2;
}

/// "unknown argument '<a>'", the problem every program reports for an option it does not know.
[[nodiscard]] inline std::string unknown_argument(std::string_view a) {
  std::string s = "unknown argument '";
  s.append(a);
  s.append("'");
  return s;
}

/// The problem with `a` when no argument follows it: "missing value after <a>" if `a` is one of
/// the program's options (`known`), else an unknown argument.
[[nodiscard]] inline std::string missing_value(std::string_view a,
                                               std::initializer_list<std::string_view> known) {
  for (const std::string_view k : known) {
    if (a == k) {
      std::string s = "missing value after ";
      s.append(a);
      return s;
    }
  }
  return unknown_argument(a);
}

/// A CSV or text output written whole or not at all: write to `stream()`, then `commit()`.
/// If the file cannot be opened, `stream()` discards what is written and `commit()` returns
/// the reason.
class output_file {
 public:
  explicit output_file(const std::string& path) : error_(set_.open(path, os_)) {}
  [[nodiscard]] std::ostream& stream() noexcept { return os_ != nullptr ? *os_ : discard_; }
  /// Moves the file into place: "" or the error ("cannot write 'x.csv': No space left on device").
  [[nodiscard]] std::string commit() {
    if (!error_.ok()) {
      set_.abort();
      return error_.message;
    }
    const thermo::io::file_error e = set_.commit();
    return e.ok() ? std::string{} : e.message;
  }

 private:
  thermo::io::output_set set_;
  std::ostream* os_{nullptr};
  thermo::io::file_error error_;
  std::ostream discard_{nullptr};
};

}  // namespace example_cli
