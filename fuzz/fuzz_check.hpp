// What every fuzz target shares: the invariant check (a broken invariant aborts, so libFuzzer
// keeps the input as a crash and the regression driver fails) and the checks of an error
// message. Compiles with gcc 12 and clang-19, with or without libFuzzer (docs/how-to/fuzz.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <source_location>
#include <string>
#include <string_view>

namespace thermo::fuzz {

/// Aborts with "FILE:LINE: fuzz invariant broken: WHAT [DETAIL]" unless `ok`.
inline void require(bool ok, const char* what, std::string_view detail = {},
                    std::source_location at = std::source_location::current()) {
  if (ok) {
    return;
  }
  // detail may hold any input bytes: print it escaped, and not too much of it
  std::string shown;
  for (const char c : detail.substr(0, 400)) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F) {
      constexpr std::string_view hex = "0123456789abcdef";
      shown += "\\x";
      shown += hex[u >> 4U];
      shown += hex[u & 0xFU];
    } else {
      shown += c;
    }
  }
  std::fprintf(stderr, "%s:%s: fuzz invariant broken: %s [%s]\n", at.file_name(), std::to_string(at.line()).c_str(), what,
               shown.c_str());
  std::abort();
}

/// The input as text (the bytes as they are; readers must cope with any of them).
[[nodiscard]] inline std::string_view as_text(const std::uint8_t* data, std::size_t size) noexcept {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes are chars
  return size == 0 ? std::string_view() : std::string_view(reinterpret_cast<const char*>(data), size);
}

/// A reader's error message is one line that names its source: non-empty, starts with
/// `source`, no line feed in it.
inline void require_message(std::string_view message, std::string_view source,
                            std::source_location at = std::source_location::current()) {
  require(!message.empty(), "an error has a message", message, at);
  require(message.substr(0, source.size()) == source, "an error message names its source", message, at);
  require(message.find('\n') == std::string_view::npos, "an error message is one line", message, at);
}

}  // namespace thermo::fuzz
