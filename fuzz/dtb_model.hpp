// A device tree as an editable value (nodes owning their properties and children), read from a
// parsed blob and written back as a valid blob (version 17, empty reservation map, one strings
// block with each name once). The structure-aware DTB mutator (dtb_mutator.hpp) edits trees in
// this form. Test and fuzz support only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "thermo/io/fdt.hpp"

namespace thermo::fuzz {

struct dtb_property {
  std::string name;
  std::vector<std::uint8_t> value;
};

struct dtb_node {
  std::string name;
  std::vector<dtb_property> properties;
  std::vector<dtb_node> children;
};

/// The tree below node `n` of `t`.
inline dtb_node dtb_from_tree(const io::fdt::tree& t, std::int32_t n = io::fdt::tree::root()) {
  dtb_node out;
  out.name = std::string(t.at(n).name);
  for (const io::fdt::property& p : t.properties(n)) {
    out.properties.push_back({std::string(p.name), std::vector<std::uint8_t>(p.value.begin(), p.value.end())});
  }
  for (const std::int32_t c : t.at(n).children) {
    out.children.push_back(dtb_from_tree(t, c));
  }
  return out;
}

/// Writes `root` as a blob.
class dtb_writer {
 public:
  [[nodiscard]] std::vector<std::uint8_t> write(const dtb_node& root) {
    st_.clear();
    strings_.clear();
    offsets_.clear();
    node(root);
    word(st_, io::fdt::fdt_end);
    constexpr std::size_t header = 40;
    constexpr std::size_t off_struct = header + 16;  // header, then the empty reservation map
    const std::size_t off_strings = off_struct + st_.size();
    const std::size_t total = off_strings + strings_.size();
    std::vector<std::uint8_t> b;
    b.reserve(total);
    for (const std::size_t v : {std::size_t{io::fdt::fdt_magic}, total, off_struct, off_strings, header, std::size_t{17},
                                std::size_t{16}, std::size_t{0}, strings_.size(), st_.size()}) {
      word(b, static_cast<std::uint32_t>(v));
    }
    b.resize(off_struct, 0);
    b.insert(b.end(), st_.begin(), st_.end());
    b.insert(b.end(), strings_.begin(), strings_.end());
    return b;
  }

 private:
  static void word(std::vector<std::uint8_t>& b, std::uint32_t v) {
    for (const unsigned shift : {24U, 16U, 8U, 0U}) {
      b.push_back(static_cast<std::uint8_t>(v >> shift));
    }
  }
  void pad() {
    while (st_.size() % 4 != 0) {
      st_.push_back(0);
    }
  }
  std::uint32_t name_offset(const std::string& name) {
    const auto it = offsets_.find(name);
    if (it != offsets_.end()) {
      return it->second;
    }
    const auto off = static_cast<std::uint32_t>(strings_.size());
    strings_.insert(strings_.end(), name.begin(), name.end());
    strings_.push_back(0);
    offsets_.emplace(name, off);
    return off;
  }
  void node(const dtb_node& n) {
    word(st_, io::fdt::fdt_begin_node);
    st_.insert(st_.end(), n.name.begin(), n.name.end());
    st_.push_back(0);
    pad();
    for (const dtb_property& p : n.properties) {
      word(st_, io::fdt::fdt_prop);
      word(st_, static_cast<std::uint32_t>(p.value.size()));
      word(st_, name_offset(p.name));
      st_.insert(st_.end(), p.value.begin(), p.value.end());
      pad();
    }
    for (const dtb_node& c : n.children) {
      node(c);
    }
    word(st_, io::fdt::fdt_end_node);
  }

  std::vector<std::uint8_t> st_;
  std::vector<std::uint8_t> strings_;
  std::map<std::string, std::uint32_t> offsets_;
};

/// `root` as a blob.
[[nodiscard]] inline std::vector<std::uint8_t> dtb_to_blob(const dtb_node& root) { return dtb_writer().write(root); }

/// Big-endian cells as property bytes.
[[nodiscard]] inline std::vector<std::uint8_t> dtb_cells(std::initializer_list<std::uint32_t> cells) {
  std::vector<std::uint8_t> v;
  for (const std::uint32_t c : cells) {
    for (const unsigned shift : {24U, 16U, 8U, 0U}) {
      v.push_back(static_cast<std::uint8_t>(c >> shift));
    }
  }
  return v;
}

}  // namespace thermo::fuzz
