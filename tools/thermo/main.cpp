// The `thermo` command-line tool: replay a recorded trace through a zone, inspect what a device
// tree describes, run scenarios and analyses. See docs/reference/cli.md.
#include <iostream>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "commands.hpp"

namespace {

constexpr std::string_view main_help = R"(usage: thermo COMMAND [OPTIONS]   (thermo COMMAND --help for details)

commands:
  replay     replay a recorded temperature trace through one thermal zone (Linux 6.12 semantics)
  audit      check a board's power allocator against the reference, tick by tick, from its ftrace
  info       show what a device-tree blob or a preset describes (zones, trips, cooling devices)
  simulate   run a scenario file: trace, metrics and plot
  sweep      run a scenario over a grid of key values on all cores: one results row per point
  latency    polling versus interrupt detection latency of a zone
  boot       boot decompression cost: zImage versus vmlinux per storage medium
  help       this text

options: --help, --version
)";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args;
  for (int i = 1; i < argc; ++i) {
    args.emplace_back(argv[i]);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  }
  if (args.empty()) {
    std::cerr << "thermo: no command given (see thermo --help)\n";
    return thermo::cli::exit_usage;
  }
  const std::string_view cmd = args.front();
  if (cmd == "--help" || cmd == "-h" || cmd == "help") {
    std::cout << main_help;
    return thermo::cli::exit_ok;
  }
  if (cmd == "--version") {
    std::cout << "thermo " << THERMO_VERSION << '\n';
    return thermo::cli::exit_ok;
  }
  std::vector<std::string_view> rest(args.begin() + 1, args.end());
  return thermo::cli::dispatch(cmd, std::move(rest), std::cerr);
}
