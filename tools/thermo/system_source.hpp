// Where a SoC description comes from: a device-tree blob (`--dtb`, imported with
// io/dt_import.hpp) or a built-in preset (`--soc`). Host code.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "cli.hpp"
#include "thermo/io/dt_import.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/io/file.hpp"
#include "thermo/presets/all.hpp"

namespace thermo::cli {

/// A SoC description and, when it came from a blob, the import's extra details.
class system_source {
 public:
  explicit system_source(const schema::soc_description& preset) : preset_(&preset) {}
  explicit system_source(io::dt_soc dt) : dt_(std::move(dt)) {}

  [[nodiscard]] const schema::soc_description& description() const noexcept {
    return dt_ ? dt_->description() : *preset_;
  }
  /// The import (null for a preset).
  [[nodiscard]] const io::dt_soc* dt() const noexcept { return dt_ ? &*dt_ : nullptr; }

 private:
  const schema::soc_description* preset_{nullptr};
  std::optional<io::dt_soc> dt_;
};

namespace detail {

/// Whether `bytes` (which are not a blob) look like device-tree source: text — no NUL or other
/// control byte but tab, CR and LF in its first 4 KiB — that has the `/dts-v1/` tag or a node's
/// closing `};` (a `.dtsi` has no tag).
[[nodiscard]] inline bool looks_like_dts(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, 4096);
  for (const char ch : head) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20U && ch != '\t' && ch != '\n' && ch != '\r') {
      return false;
    }
  }
  return !head.empty() && (bytes.find("/dts-v1/") != std::string_view::npos || bytes.find("};") != std::string_view::npos);
}

/// `path` as one word of a shell command: as is when it holds only safe characters, else in
/// single quotes (a quote inside as '\'') with other bytes escaped (io::printable).
[[nodiscard]] inline std::string shell_word(std::string_view path) {
  bool plain = !path.empty();
  for (const char c : path) {
    plain = plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view("._/-+,:@%").find(c) != std::string_view::npos);
  }
  if (plain) {
    return std::string(path);
  }
  std::string out = "'";
  for (const char c : io::printable(path, 200)) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

/// The hint for device-tree source given where a blob is expected: "'b.dts' is device-tree
/// source, not a blob: compile it with dtc -I dts -O dtb -o b.dtb b.dts" (a `.dts` name becomes
/// `.dtb`, another gets `.dtb` appended), plus a word about cpp when it uses `#include`.
[[nodiscard]] inline std::string dts_hint(const std::string& path, std::string_view text) {
  const bool dts_suffix = path.size() > 4 && path.compare(path.size() - 4, 4, ".dts") == 0;
  const std::string blob = (dts_suffix ? path.substr(0, path.size() - 4) : path) + ".dtb";
  std::string s = io::quoted(path, 200) + " is device-tree source, not a blob: compile it with dtc -I dts -O dtb -o " +
                  shell_word(blob) + " " + shell_word(path);
  if (text.find("#include") != std::string_view::npos) {
    s += " (it uses #include: run it through cpp -nostdinc -undef -x assembler-with-cpp first, as the kernel's build does)";
  }
  return s;
}

}  // namespace detail

/// Reads, parses and imports a `.dtb` (at most `io::fdt::max_blob_bytes`, 16 MiB). Messages:
/// "cannot read 'x': REASON", "'x' is larger than the 16 MiB limit of a device-tree blob", "x:
/// <what> at offset 0x…", "x: /path: property 'p': <what>"; device-tree source instead of a
/// blob gets the `dtc` command that compiles it (`detail::dts_hint`).
inline outcome<system_source> load_dtb(const std::string& path) {
  std::string bytes;
  if (io::file_error e = io::read_file(path, bytes, io::fdt::max_blob_bytes); !e.ok()) {
    return outcome<system_source>::fail(
        io::read_failure_message(std::move(e.message), path, io::fdt::max_blob_bytes, "a device-tree blob"));
  }
  auto t = io::fdt::tree::parse(bytes);
  if (!t) {
    if (detail::looks_like_dts(bytes)) {
      return outcome<system_source>::fail(detail::dts_hint(path, bytes));
    }
    return outcome<system_source>::fail(path + ": " + io::fdt::describe(t.error()));
  }
  std::string message;
  auto soc = io::import_device_tree(*t, {}, &message);
  if (!soc) {
    return outcome<system_source>::fail(path + ": " + message);
  }
  return system_source(std::move(*soc));
}

/// A built-in preset by id.
inline outcome<system_source> load_preset(std::string_view id) {
  const schema::soc_description* s = presets::find_soc(id);
  if (s == nullptr) {
    std::string names;
    for (const schema::soc_description* p : presets::all_socs) {
      names += names.empty() ? "" : ", ";
      names += p->id;
    }
    return outcome<system_source>::fail("unknown SoC preset " + io::quoted(id) + " (" + names + ")");
  }
  return system_source(*s);
}

}  // namespace thermo::cli
