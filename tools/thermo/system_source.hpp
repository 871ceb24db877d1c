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

/// Reads, parses and imports a `.dtb` (at most `io::fdt::max_blob_bytes`, 16 MiB). Messages:
/// "cannot read 'x': REASON", "'x' is larger than the 16 MiB limit of a device-tree blob", "x:
/// <what> at offset 0x…", "x: /path: property 'p': <what>".
inline outcome<system_source> load_dtb(const std::string& path) {
  std::string bytes;
  if (io::file_error e = io::read_file(path, bytes, io::fdt::max_blob_bytes); !e.ok()) {
    return outcome<system_source>::fail(
        io::read_failure_message(std::move(e.message), path, io::fdt::max_blob_bytes, "a device-tree blob"));
  }
  auto t = io::fdt::tree::parse(bytes);
  if (!t) {
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
