// The plain driver of a fuzz target (no libFuzzer: gcc or clang, any build): feeds every file
// named on the command line to the target's LLVMFuzzerTestOneInput, directories recursively
// (in name order, skipping names that start with '.'). ctest runs it on the target's
// regressions (fuzz/regressions/<target>/) and seeds as thermo.fuzz.<target>.regressions.
//
//   thermo_fuzz_<target>_replay [--mutations=N] [--max-len=BYTES] PATH...
//
// --mutations=N (targets with a LLVMFuzzerCustomMutator): after each input of at most --max-len
// bytes (default 1 MiB), N inputs made from it by the target's mutator, chained, each fed to the
// target too (deterministic seeds), so the structure-aware mutator itself runs in every build.
// Here LLVMFuzzerMutate, which that mutator falls back on, is a small deterministic byte
// mutation of our own.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "thermo/core/prng.hpp"
#include "thermo/io/file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
// Defined by targets with a structure-aware mutator only.
extern "C" __attribute__((weak)) std::size_t LLVMFuzzerCustomMutator(std::uint8_t* data, std::size_t size,
                                                                      std::size_t max_size, unsigned int seed);

namespace {

thermo::splitmix64 byte_rng(0xF022'5EEDULL);

}  // namespace

// libFuzzer's byte-level mutation, as a custom mutator's fallback calls it; here: overwrite, insert
// or erase a few bytes.
extern "C" std::size_t LLVMFuzzerMutate(std::uint8_t* data, std::size_t size, std::size_t max_size) {
  const std::uint64_t r = byte_rng();
  const std::uint64_t kind = r % 3U;
  if (size == 0 || (kind == 1 && size < max_size)) {  // insert one byte
    const std::size_t at = size == 0 ? 0 : (r >> 8U) % (size + 1);
    if (size >= max_size) {
      return size;
    }
    std::copy_backward(data + at, data + size, data + size + 1);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    data[at] = static_cast<std::uint8_t>(r >> 40U);               // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    return size + 1;
  }
  const std::size_t at = (r >> 8U) % size;
  if (kind == 2 && size > 1) {  // erase one byte
    std::copy(data + at + 1, data + size, data + at);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    return size - 1;
  }
  data[at] = static_cast<std::uint8_t>(data[at] ^ (1U << ((r >> 40U) % 8U)));  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  return size;
}

namespace {

bool read_all(const std::filesystem::path& p, std::vector<std::uint8_t>& out) {
  std::string bytes;
  if (!thermo::io::read_file(p.string(), bytes).ok()) {
    return false;
  }
  out.assign(bytes.begin(), bytes.end());
  return true;
}

bool hidden(const std::filesystem::path& p) { return p.filename().string().starts_with("."); }

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  std::size_t mutations = 0;
  std::size_t max_len = std::size_t{1} << 20U;
  std::vector<std::filesystem::path> files;
  for (const std::string_view a : args) {
    if (a.starts_with("--mutations=")) {
      mutations = std::stoul(std::string(a.substr(12)));
      continue;
    }
    if (a.starts_with("--max-len=")) {
      max_len = std::stoul(std::string(a.substr(10)));
      continue;
    }
    const std::filesystem::path p(a);
    std::error_code ec;
    if (std::filesystem::is_directory(p, ec)) {
      std::vector<std::filesystem::path> in_dir;
      for (const auto& e : std::filesystem::recursive_directory_iterator(p, ec)) {
        if (e.is_regular_file() && !hidden(e.path())) {
          in_dir.push_back(e.path());
        }
      }
      std::sort(in_dir.begin(), in_dir.end());
      files.insert(files.end(), in_dir.begin(), in_dir.end());
    } else if (std::filesystem::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      std::fprintf(stderr, "%s: no such file or directory: '%s'\n", argv[0], std::string(a).c_str());
      return 2;
    }
  }
  if (mutations > 0 && LLVMFuzzerCustomMutator == nullptr) {
    std::fprintf(stderr, "%s: --mutations needs a target with a custom mutator\n", argv[0]);
    return 2;
  }
  std::size_t runs = 0;
  std::size_t bytes = 0;
  unsigned int seed = 1;
  for (const std::filesystem::path& f : files) {
    std::vector<std::uint8_t> data;
    if (!read_all(f, data)) {
      std::fprintf(stderr, "%s: cannot read '%s'\n", argv[0], f.c_str());
      return 2;
    }
    std::fprintf(stderr, "%s\n", f.c_str());
    static_cast<void>(LLVMFuzzerTestOneInput(data.data(), data.size()));
    ++runs;
    bytes += data.size();
    if (mutations > 0 && data.size() <= max_len) {  // (inputs larger than --max-len: replayed only)
      std::vector<std::uint8_t> buf(data);
      std::size_t size = buf.size();
      for (std::size_t k = 0; k < mutations; ++k) {
        buf.resize(max_len);
        size = LLVMFuzzerCustomMutator(buf.data(), size, buf.size(), seed++);
        static_cast<void>(LLVMFuzzerTestOneInput(buf.data(), size));
        ++runs;
        bytes += size;
      }
    }
  }
  if (runs == 0) {
    std::fprintf(stderr, "%s: no inputs\n", argv[0]);
    return 2;
  }
  std::printf("%s: %zu inputs (%zu bytes), every invariant held\n", argv[0], runs, bytes);
  return 0;
}
