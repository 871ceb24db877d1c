// The command-line conventions every example program follows (examples only, not the library):
//
// * `--help` or `-h` anywhere: the program's usage text on stdout, exit code 0. The text starts
//   with "usage: <program>" (CTest thermo.examples.<program>.help checks every program).
// * a bad or unknown argument: "<program>: <problem>" and the usage text on stderr, exit code 2.
//
// Each program keeps its own small option loop (the options differ too much to share one); it
// calls `wants_help` before it, and `bad_usage` for its errors.
#pragma once

#include <cstdio>
#include <initializer_list>
#include <string>
#include <string_view>

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

}  // namespace example_cli
