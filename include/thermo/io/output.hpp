/// @file output.hpp
/// Outputs that appear whole or not at all (host-only: POSIX file descriptors).
///
/// Every thermo output file (traces, metrics, plots, replays, tables) is written through an
/// `output_set`: each output is streamed into a temporary file beside its target, and `commit`
/// moves all of them into place together. Until then nothing the user named is touched; if any
/// write fails, or the set is destroyed without `commit`, every temporary is removed and every
/// target keeps what it held before.
///
///     thermo::io::output_set out;
///     out.add_input(scenario_path);
///     std::ostream* csv = nullptr;
///     if (auto e = out.open("run.csv", csv); !e.ok()) { … }   // refused before any work
///     *csv << "time_s,T_C\n";                                  // streamed as the run goes
///     if (auto e = out.commit(); !e.ok()) { … }                // all outputs appear, or none
///
/// Rules, checked by `open` before anything is written:
/// * "-" is standard output (streamed directly: it cannot be taken back); at most one output
///   of a set may be "-".
/// * Only regular files are replaced. A name that is a directory, a FIFO, a device or a socket
///   is refused, so `--output /dev/null` never replaces the device. A symbolic link is followed:
///   the file it points to is replaced and the link stays.
/// * An output that is also one of the set's inputs (`add_input`; the same file, whatever the
///   path says) is refused, as is one file given as two outputs.
/// * Temporary names are short (`.thermo-<pid>-<n>.tmp` in the target's folder), so any name
///   the file system accepts works, and messages name the user's file, never a temporary.
///
/// All-or-nothing across several files: the temporaries are written, flushed and closed first
/// (where disk-full and write errors show); then each existing target is kept under a hard link
/// while the temporaries are renamed over the targets; if a rename fails, the targets already
/// replaced get their old contents back (files that did not exist are removed again).
#pragma once

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <iostream>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "thermo/core/errc.hpp"
#include "thermo/io/file.hpp"

namespace thermo::io {

namespace detail::output {

[[nodiscard]] inline std::string reason(int err) { return std::generic_category().message(err); }

/// A write-only stream buffer over a file descriptor (64 KiB buffer; EINTR retried). The first
/// write error is kept (`error()`); later writes are refused.
class fd_buf final : public std::streambuf {
 public:
  explicit fd_buf(int fd) : fd_(fd), buf_(std::make_unique<char[]>(size)) { setp(buf_.get(), buf_.get() + size); }
  fd_buf(const fd_buf&) = delete;
  fd_buf& operator=(const fd_buf&) = delete;
  fd_buf(fd_buf&&) = delete;
  fd_buf& operator=(fd_buf&&) = delete;
  ~fd_buf() override = default;

  /// The errno of the first failed write, or 0.
  [[nodiscard]] int error() const noexcept { return error_; }
  /// Writes what is buffered; false on error.
  bool drain() noexcept {
    const char* p = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno != EINTR) {
          error_ = errno;
        }
        continue;
      }
      p += n;
      left -= static_cast<std::size_t>(n);
    }
    setp(buf_.get(), buf_.get() + size);
    return error_ == 0;
  }

 protected:
  int_type overflow(int_type ch) override {
    if (!drain()) {
      return traits_type::eof();
    }
    if (!traits_type::eq_int_type(ch, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(ch);
      pbump(1);
    }
    return traits_type::not_eof(ch);
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  static constexpr std::size_t size = 65536;
  int fd_;
  std::unique_ptr<char[]> buf_;
  int error_{0};
};

/// The identity of an existing file (device and inode).
struct file_id {
  dev_t dev{};
  ino_t ino{};
  friend bool operator==(const file_id&, const file_id&) = default;
};

/// The folder part of `path` ("." for a bare name).
[[nodiscard]] inline std::string folder_of(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? std::string("/") : path.substr(0, slash);
}

}  // namespace detail::output

/// A set of outputs written together (see the file comment). Not copyable or movable (streams
/// handed out point into it).
class output_set {
 public:
  output_set() = default;
  output_set(const output_set&) = delete;
  output_set& operator=(const output_set&) = delete;
  output_set(output_set&&) = delete;
  output_set& operator=(output_set&&) = delete;
  /// Removes every temporary of an uncommitted set (the targets are untouched).
  ~output_set() { abort(); }

  /// Declares `path` an input of the command: an output naming the same file is refused. A
  /// path that does not exist (or "-") declares nothing.
  void add_input(const std::string& path) {
    struct stat st {};
    if (path != "-" && ::stat(path.c_str(), &st) == 0) {
      inputs_.push_back({path, {st.st_dev, st.st_ino}});
    }
  }

  /// Opens the output `path` and points `out` at a stream writing it (see the file comment
  /// for what is refused). Errors are `io_error` with a message naming `path`:
  /// "output '' has no name", "'P' is not a regular file …", "'P' is also an input",
  /// "'P' is given as two outputs", "cannot create 'P': REASON".
  file_error open(const std::string& path, std::ostream*& out) {
    out = nullptr;
    if (path.empty()) {
      return {errc::io_error, "an output has an empty name (use - for standard output)"};
    }
    if (path == "-") {
      if (stdout_used_) {
        return {errc::io_error, "standard output (-) is given as two outputs"};
      }
      stdout_used_ = true;
      out = &std::cout;
      return {};
    }
    std::string target = path;
    struct stat st {};
    bool exists = false;
    if (::lstat(path.c_str(), &st) == 0) {
      if (S_ISLNK(st.st_mode)) {
        // Follow the link: the file it names is replaced, the link stays.
        char* resolved = ::realpath(path.c_str(), nullptr);
        if (resolved == nullptr) {
          return {errc::io_error, "'" + path + "' is a symbolic link that cannot be followed: " + detail::output::reason(errno)};
        }
        target = resolved;
        std::free(resolved);  // NOLINT(cppcoreguidelines-no-malloc): realpath's buffer
        if (::stat(target.c_str(), &st) != 0) {
          return {errc::io_error, "'" + path + "' is a symbolic link that cannot be followed: " + detail::output::reason(errno)};
        }
      }
      if (!S_ISREG(st.st_mode)) {
        return {errc::io_error, "'" + path + "' is not a regular file (" + kind_of(st.st_mode) +
                                    "); only regular files are replaced (use - for standard output)"};
      }
      exists = true;
      const detail::output::file_id id{st.st_dev, st.st_ino};
      for (const auto& in : inputs_) {
        if (in.id == id) {
          return {errc::io_error, "'" + path + "' is also an input" + (in.path == path ? "" : " ('" + in.path + "')")};
        }
      }
      for (const auto& o : outputs_) {
        if (o->existed && o->id == id) {
          return {errc::io_error, "'" + path + "' is given as two outputs"};
        }
      }
    } else if (errno != ENOENT) {
      return {errc::io_error, "cannot write '" + path + "': " + detail::output::reason(errno)};
    }
    for (const auto& o : outputs_) {
      if (o->target == target) {
        return {errc::io_error, "'" + path + "' is given as two outputs"};
      }
    }
    auto p = std::make_unique<pending>();
    p->name = path;
    p->target = target;
    p->existed = exists;
    if (exists) {
      p->id = {st.st_dev, st.st_ino};
    }
    const std::string folder = detail::output::folder_of(target);
    for (int attempt = 0; attempt < 100; ++attempt) {
      p->temp = folder + "/.thermo-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".tmp";
      p->fd = ::open(p->temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
      if (p->fd >= 0 || errno != EEXIST) {
        break;
      }
    }
    if (p->fd < 0) {
      return {errc::io_error, "cannot create '" + path + "': " + detail::output::reason(errno)};
    }
    if (exists) {
      // Keep the replaced file's permission bits.
      static_cast<void>(::fchmod(p->fd, st.st_mode & 07777U));
    }
    p->buf = std::make_unique<detail::output::fd_buf>(p->fd);
    p->stream = std::make_unique<std::ostream>(p->buf.get());
    out = p->stream.get();
    outputs_.push_back(std::move(p));
    return {};
  }

  /// Flushes and closes every output, then moves them into place together (see the file
  /// comment). On error nothing is replaced and the message names the output and the reason.
  /// The set is empty afterwards, whatever the outcome.
  file_error commit() {
    if (stdout_used_) {
      std::cout.flush();
      if (!std::cout) {
        abort();
        return {errc::io_error, "cannot write to standard output"};
      }
    }
    for (auto& p : outputs_) {
      p->stream->flush();
      const bool written = p->buf->drain() && ::fsync(p->fd) == 0;
      const int err = written ? 0 : (p->buf->error() != 0 ? p->buf->error() : errno);
      const int closed = ::close(p->fd);
      p->fd = -1;
      if (!written || closed != 0) {
        const std::string name = p->name;
        abort();
        return {errc::io_error, "cannot write '" + name + "': " + detail::output::reason(written ? errno : err)};
      }
    }
    // Keep each existing target under a hard link, so a failed rename can be undone.
    for (auto& p : outputs_) {
      if (p->existed) {
        p->backup = p->temp + ".old";
        if (::link(p->target.c_str(), p->backup.c_str()) != 0) {
          p->backup.clear();  // no hard links here: that target cannot be restored
        }
      }
    }
    for (std::size_t i = 0; i < outputs_.size(); ++i) {
      if (std::rename(outputs_[i]->temp.c_str(), outputs_[i]->target.c_str()) != 0) {
        const int err = errno;
        for (std::size_t j = 0; j < i; ++j) {
          const auto& done = *outputs_[j];
          if (!done.backup.empty()) {
            static_cast<void>(std::rename(done.backup.c_str(), done.target.c_str()));
          } else if (!done.existed) {
            static_cast<void>(std::remove(done.target.c_str()));
          }
        }
        const std::string name = outputs_[i]->name;
        for (std::size_t j = 0; j < i; ++j) {
          outputs_[j]->temp.clear();  // already moved
        }
        abort();
        return {errc::io_error, "cannot replace '" + name + "': " + detail::output::reason(err)};
      }
    }
    for (auto& p : outputs_) {
      if (!p->backup.empty()) {
        static_cast<void>(std::remove(p->backup.c_str()));
      }
    }
    outputs_.clear();
    stdout_used_ = false;
    return {};
  }

  /// Removes every temporary and forgets the outputs; the targets are untouched.
  void abort() noexcept {
    for (auto& p : outputs_) {
      if (p->fd >= 0) {
        static_cast<void>(::close(p->fd));
        p->fd = -1;
      }
      if (!p->temp.empty()) {
        static_cast<void>(std::remove(p->temp.c_str()));
      }
      if (!p->backup.empty()) {
        static_cast<void>(std::remove(p->backup.c_str()));
      }
    }
    outputs_.clear();
    stdout_used_ = false;
  }

  /// How many outputs are open (standard output not counted).
  [[nodiscard]] std::size_t size() const noexcept { return outputs_.size(); }

 private:
  struct pending {
    std::string name;    ///< as the user gave it (messages)
    std::string target;  ///< the file replaced (a symbolic link resolved)
    std::string temp;
    std::string backup;
    bool existed{false};
    detail::output::file_id id{};
    int fd{-1};
    std::unique_ptr<detail::output::fd_buf> buf;
    std::unique_ptr<std::ostream> stream;
  };
  struct input {
    std::string path;
    detail::output::file_id id;
  };

  [[nodiscard]] static std::string kind_of(mode_t m) {
    if (S_ISDIR(m)) {
      return "a directory";
    }
    if (S_ISFIFO(m)) {
      return "a FIFO";
    }
    if (S_ISCHR(m)) {
      return "a character device";
    }
    if (S_ISBLK(m)) {
      return "a block device";
    }
    if (S_ISSOCK(m)) {
      return "a socket";
    }
    return "not a regular file";
  }

  std::vector<std::unique_ptr<pending>> outputs_;
  std::vector<input> inputs_;
  bool stdout_used_{false};
  unsigned counter_{0};
};

/// Writes `content` to `path` as a one-file `output_set` ("-" is standard output): the file
/// appears whole or not at all; inputs in `inputs` may not be overwritten.
[[nodiscard]] inline file_error write_output(const std::string& path, std::string_view content,
                                             std::initializer_list<std::string> inputs = {}) {
  output_set set;
  for (const std::string& in : inputs) {
    set.add_input(in);
  }
  std::ostream* out = nullptr;
  if (file_error e = set.open(path, out); !e.ok()) {
    return e;
  }
  out->write(content.data(), static_cast<std::streamsize>(content.size()));
  return set.commit();
}

}  // namespace thermo::io
