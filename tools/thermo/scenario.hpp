// The scenario format of `thermo simulate` is the library's (include/thermo/io/scenario.hpp:
// text → plain records, with errors naming the file and line); this header gives the tool its
// records under short names and its value-or-message result. Host code.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "cli.hpp"
#include "thermo/io/scenario.hpp"

namespace thermo::cli {

using io::scenario;

/// Parses scenario text; `source` names it in messages (and gives the directory relative paths
/// start from). The scenario, or "file:line: what is wrong".
inline outcome<scenario> parse_scenario(std::string_view text, std::string source) {
  scenario s;
  if (const io::text_error e = io::parse_scenario(text, std::move(source), s); !e.ok()) {
    return outcome<scenario>::fail(e.message);
  }
  return s;
}

}  // namespace thermo::cli
