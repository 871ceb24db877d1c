// Helpers for the device-tree tests: the blobs dtc compiled from tests/data/dts/ and a small
// writer that builds blobs token by token (so each malformation can be made on purpose).
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "thermo/io/fdt.hpp"

namespace thermo::test {

/// The blob dtc made from tests/data/dts/<name>.dts.
inline std::vector<std::uint8_t> read_dtb(const std::string& name) {
  const std::string path = std::string(THERMO_DTB_DIR) + "/" + name + ".dtb";
  std::ifstream in(path, std::ios::binary);
  INFO("missing " << path << " (is dtc installed? scripts/test.sh installs device-tree-compiler)");
  REQUIRE(in.good());
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

/// Every blob compiled for the tests.
inline const std::vector<std::string>& dtb_names() {
  static const std::vector<std::string> names{"rk3399-rock960",     "hi3660-hikey960",  "mt8183-evb",
                                              "mt8173-evb",         "exynos5422-odroidxu4", "rk3588-rock5b",
                                              "g12b-odroid-n2",     "import-edge-cases"};
  return names;
}

inline void put_be32(std::vector<std::uint8_t>& b, std::size_t at, std::uint32_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 24U);
  b[at + 1] = static_cast<std::uint8_t>(v >> 16U);
  b[at + 2] = static_cast<std::uint8_t>(v >> 8U);
  b[at + 3] = static_cast<std::uint8_t>(v);
}
inline std::uint32_t get_be32(const std::vector<std::uint8_t>& b, std::size_t at) { return io::fdt::load_be32(&b[at]); }

/// Builds a blob token by token: `begin("")`, `prop_u32("x", {1})`, `end()`, `finish()`.
class fdt_builder {
 public:
  fdt_builder& token(std::uint32_t t) {
    push32(t);
    return *this;
  }
  fdt_builder& begin(std::string_view name) {
    push32(io::fdt::fdt_begin_node);
    for (const char c : name) {
      st_.push_back(static_cast<std::uint8_t>(c));
    }
    st_.push_back(0);
    pad();
    return *this;
  }
  fdt_builder& end() { return token(io::fdt::fdt_end_node); }
  fdt_builder& prop(std::string_view name, const std::vector<std::uint8_t>& value) {
    push32(io::fdt::fdt_prop);
    push32(static_cast<std::uint32_t>(value.size()));
    push32(name_offset(name));
    st_.insert(st_.end(), value.begin(), value.end());
    pad();
    return *this;
  }
  fdt_builder& prop_u32(std::string_view name, std::initializer_list<std::uint32_t> cells) {
    std::vector<std::uint8_t> v;
    for (const std::uint32_t c : cells) {
      v.push_back(static_cast<std::uint8_t>(c >> 24U));
      v.push_back(static_cast<std::uint8_t>(c >> 16U));
      v.push_back(static_cast<std::uint8_t>(c >> 8U));
      v.push_back(static_cast<std::uint8_t>(c));
    }
    return prop(name, v);
  }
  fdt_builder& prop_str(std::string_view name, std::string_view s) {
    std::vector<std::uint8_t> v(s.begin(), s.end());
    v.push_back(0);
    return prop(name, v);
  }
  fdt_builder& prop_empty(std::string_view name) { return prop(name, {}); }
  /// Appends raw bytes to the strings block (to make unterminated names).
  fdt_builder& raw_strings(std::string_view s) {
    strings_.append(s);
    return *this;
  }
  /// A property whose name offset is given directly.
  fdt_builder& prop_at(std::uint32_t nameoff, const std::vector<std::uint8_t>& value) {
    push32(io::fdt::fdt_prop);
    push32(static_cast<std::uint32_t>(value.size()));
    push32(nameoff);
    st_.insert(st_.end(), value.begin(), value.end());
    pad();
    return *this;
  }

  /// The blob: header, empty reservation map, structure block (with FDT_END unless
  /// `no_end`), strings block.
  [[nodiscard]] std::vector<std::uint8_t> finish(bool with_end = true, std::uint32_t version = 17) const {
    std::vector<std::uint8_t> s = st_;
    if (with_end) {
      for (int k = 0; k < 3; ++k) {
        s.push_back(0);
      }
      s.push_back(static_cast<std::uint8_t>(io::fdt::fdt_end));
    }
    const std::size_t header = 40;
    const std::size_t rsv = header;  // 8-aligned
    const std::size_t off_struct = rsv + 16;
    const std::size_t off_strings = off_struct + s.size();
    const std::size_t total = off_strings + strings_.size();
    // Appended byte by byte: GCC 12 at -O3 flags stores into a vector sized by a sum it cannot
    // bound (-Wnull-dereference) and vector::insert's memcpy (-Warray-bounds).
    std::vector<std::uint8_t> b;
    b.reserve(total);
    const auto word = [&b](std::uint32_t v) {
      for (const unsigned shift : {24U, 16U, 8U, 0U}) {
        b.push_back(static_cast<std::uint8_t>(v >> shift));
      }
    };
    word(io::fdt::fdt_magic);
    word(static_cast<std::uint32_t>(total));
    word(static_cast<std::uint32_t>(off_struct));
    word(static_cast<std::uint32_t>(off_strings));
    word(static_cast<std::uint32_t>(rsv));
    word(version);
    word(16);
    word(0);
    word(static_cast<std::uint32_t>(strings_.size()));
    word(static_cast<std::uint32_t>(s.size()));
    while (b.size() < off_struct) {  // the empty reservation map's terminating entry
      b.push_back(0);
    }
    for (const std::uint8_t c : s) {
      b.push_back(c);
    }
    for (const char c : strings_) {
      b.push_back(static_cast<std::uint8_t>(c));
    }
    return b;
  }
  /// Offset of the structure block in `finish()`'s output.
  static constexpr std::size_t struct_offset = 56;

 private:
  void push32(std::uint32_t v) {
    st_.push_back(static_cast<std::uint8_t>(v >> 24U));
    st_.push_back(static_cast<std::uint8_t>(v >> 16U));
    st_.push_back(static_cast<std::uint8_t>(v >> 8U));
    st_.push_back(static_cast<std::uint8_t>(v));
  }
  void pad() {
    while (st_.size() % 4 != 0) {
      st_.push_back(0);
    }
  }
  std::uint32_t name_offset(std::string_view name) {
    const std::string key = std::string(name) + '\0';
    const auto at = strings_.find(key);
    if (at != std::string::npos && (at == 0 || strings_[at - 1] == '\0')) {
      return static_cast<std::uint32_t>(at);
    }
    const auto off = static_cast<std::uint32_t>(strings_.size());
    strings_ += key;
    return off;
  }
  std::vector<std::uint8_t> st_;
  std::string strings_;
};

/// Parses a blob.
inline result<io::fdt::tree, error> parse_blob(const std::vector<std::uint8_t>& b) {
  return io::fdt::tree::parse(std::span<const std::uint8_t>(b));
}

}  // namespace thermo::test
