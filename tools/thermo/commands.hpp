// The `thermo` subcommands and their dispatch (shared by main.cpp and the tests).
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "audit.hpp"
#include "boot.hpp"
#include "info.hpp"
#include "latency.hpp"
#include "replay.hpp"
#include "simulate.hpp"
#include "sweep.hpp"

namespace thermo::cli {

/// Runs subcommand `cmd` with its arguments; returns the exit code. Errors: one line on `err`.
inline int dispatch(std::string_view cmd, std::vector<std::string_view> args, std::ostream& err) {
  if (cmd == "replay") {
    return replay_main(std::move(args), err);
  }
  if (cmd == "audit") {
    return audit_main(std::move(args), err);
  }
  if (cmd == "simulate") {
    return simulate_main(std::move(args), err);
  }
  if (cmd == "latency") {
    return latency_main(std::move(args), err);
  }
  if (cmd == "boot") {
    return boot_main(std::move(args), err);
  }
  if (cmd == "sweep") {
    return sweep_main(std::move(args), err);
  }
  if (cmd == "info") {
    return info_main(std::move(args), err);
  }
  err << "thermo: unknown command '" << cmd << "' (see thermo --help)\n";
  return exit_usage;
}

}  // namespace thermo::cli
