/// @file file.hpp
/// Reading a whole input file, bounded (host-only: std::string, C stdio).
///
/// Every reader of thermo's file formats (device-tree blobs, CSV traces, JSON, scenarios) takes
/// its bytes through `read_file`, so that all of them fail the same way: a directory, a file that
/// cannot be opened, a read error, or an input larger than the limit (an endless stream such as
/// `/dev/zero` included) is an `io_error` whose message names the path and the reason. Nothing
/// here throws: C stdio is used rather than iostreams, whose `filebuf` throws `ios_failure` on a
/// read error (reading a directory, for one) whatever the stream's exception mask says.
#pragma once

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <string>
#include <system_error>

#include "thermo/core/errc.hpp"

namespace thermo::io {

/// The default bound on an input file: 256 MiB.
inline constexpr std::size_t default_max_file_bytes = std::size_t{256} << 20U;

/// An error with a message naming the file and the reason.
struct file_error {
  errc code{errc::ok};
  std::string message;
  [[nodiscard]] bool ok() const noexcept { return code == errc::ok; }
  friend bool operator==(const file_error& e, errc c) noexcept { return e.code == c; }
};

/// Reads the open stream `f` (e.g. `stdin`), named `name` in messages, into `out` (cleared
/// first) until its end. Errors as for `read_file`; `f` is not closed.
[[nodiscard]] inline file_error read_stream(std::FILE* f, const std::string& name, std::string& out,
                                            std::size_t max_bytes = default_max_file_bytes) {
  out.clear();
  std::array<char, 65536> chunk{};
  errno = 0;
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), f);
    if (n > max_bytes - out.size()) {
      out.clear();
      return {errc::io_error, "'" + name + "' is larger than " + std::to_string(max_bytes) + " bytes"};
    }
    out.append(chunk.data(), n);
    if (n < chunk.size()) {
      break;
    }
  }
  if (std::ferror(f) != 0) {
    const int err = errno != 0 ? errno : EIO;
    out.clear();
    // generic_category().message: strerror's text, but thread-safe.
    return {errc::io_error, "cannot read '" + name + "': " + std::generic_category().message(err)};
  }
  return {};
}

/// Reads the file at `path` into `out` (cleared first). Errors, all `io_error`:
/// "cannot read 'PATH': REASON" (REASON from the C library, e.g. "No such file or directory",
/// "Is a directory"), and "'PATH' is larger than N bytes" when more than `max_bytes` bytes could
/// be read.
[[nodiscard]] inline file_error read_file(const std::string& path, std::string& out,
                                          std::size_t max_bytes = default_max_file_bytes) {
  out.clear();
  errno = 0;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    const int err = errno != 0 ? errno : EIO;
    return {errc::io_error, "cannot read '" + path + "': " + std::generic_category().message(err)};
  }
  file_error e = read_stream(f, path, out, max_bytes);
  std::fclose(f);  // NOLINT(cert-err33-c): a read-only stream; nothing to report on close
  return e;
}

}  // namespace thermo::io
