/// @file fdt.hpp
/// A reader for flattened device-tree blobs (`.dtb`, the format `dtc` writes and boot loaders
/// hand to Linux): header, memory-reservation map, structure block and strings block, parsed
/// into a small tree of nodes and properties with phandle lookup and typed property reads.
///
/// Host-side (std::vector, std::string). The reader never reads outside the blob, whatever the
/// input: every offset, length and string is checked first, nesting depth and node count are
/// bounded, and anything malformed is a `thermo::error` value:
///
/// * parse errors (`tree::parse`): `code` (`parse_error`, `out_of_range`, `not_supported`,
///   `capacity_exceeded`, `already_exists`), `what` = the rule broken, `index` = the byte offset
///   in the blob where it was found, `index2` = a second offset (e.g. the first of two duplicate
///   phandles) or the value found. `describe(error)` renders them ("… at offset 0x1c4").
/// * property reads (`tree::u32`, `cells`, `string` …): `index` = the node, `index2` = the
///   blob offset of the property (−1 when it is missing). `tree::describe(error, name)` renders
///   them with the node's path and the property's name.
///
/// Supported: versions 16 and 17 (`last_comp_version` ≤ 17), i.e. everything dtc has written
/// since 2008. Properties must precede subnodes (the specification's order, which dtc follows).
///
///     auto t = thermo::io::fdt::tree::read_file("board.dtb");
///     if (!t) { std::cerr << thermo::io::fdt::describe(t.error()) << '\n'; }
///     auto cpu = t->find("/cpus/cpu@0");
///     auto coeff = t->u32(*cpu, "dynamic-power-coefficient");
///
/// See docs/reference/device-tree.md (the reader and the import built on it) and
/// docs/how-to/import-device-tree-and-replay.md.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/core/result.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io::fdt {

/// `FDT_MAGIC`, the first four bytes of every blob (big-endian).
inline constexpr std::uint32_t fdt_magic = 0xD00D'FEEDU;
/// Structure-block tokens.
inline constexpr std::uint32_t fdt_begin_node = 1;
inline constexpr std::uint32_t fdt_end_node = 2;
inline constexpr std::uint32_t fdt_prop = 3;
inline constexpr std::uint32_t fdt_nop = 4;
inline constexpr std::uint32_t fdt_end = 9;
/// Oldest and newest versions this reader accepts.
inline constexpr std::uint32_t first_supported_version = 16;
inline constexpr std::uint32_t last_supported_version = 17;

/// The largest blob `tree::read_file` reads and `tree::parse` takes: 16 MiB (a board's blob is
/// tens of KiB; the kernel's own bound on an unflattened tree is far below this).
inline constexpr std::size_t max_blob_bytes = std::size_t{16} << 20U;

/// Bounds that keep a hostile blob from costing unbounded time or memory. Each is checked as
/// the blob is read, before any work that grows with it; the parse is O(bytes + properties ·
/// log properties).
struct limits {
  std::size_t max_bytes = max_blob_bytes;  ///< largest blob, bytes
  std::size_t max_depth = 64;          ///< deepest node nesting (the root is depth 1)
  std::size_t max_name_length = 255;   ///< longest node or property name, bytes
  std::size_t max_nodes = 1U << 16;    ///< most nodes in one tree
  std::size_t max_properties = 1U << 20;  ///< most properties in one tree
};

/// The blob header (`struct fdt_header`), host byte order.
struct header {
  std::uint32_t magic{0};
  std::uint32_t totalsize{0};
  std::uint32_t off_dt_struct{0};
  std::uint32_t off_dt_strings{0};
  std::uint32_t off_mem_rsvmap{0};
  std::uint32_t version{0};
  std::uint32_t last_comp_version{0};
  std::uint32_t boot_cpuid_phys{0};
  std::uint32_t size_dt_strings{0};
  std::uint32_t size_dt_struct{0};  ///< version ≥ 17; for 16 the rest of the blob
};

/// One memory-reservation entry.
struct reserve_entry {
  std::uint64_t address{0};
  std::uint64_t size{0};
};

/// One property: its name (in the strings block), its raw big-endian value and the blob offset
/// of its `FDT_PROP` token.
struct property {
  std::string_view name;
  std::span<const std::uint8_t> value;
  std::uint32_t offset{0};
};

/// One node. `name` is the full node name ("cpu@0"; "" for the root).
struct node {
  std::string_view name;
  std::int32_t parent{-1};          ///< index of the parent, −1 for the root
  std::uint32_t offset{0};          ///< blob offset of its `FDT_BEGIN_NODE` token
  std::uint32_t first_property{0};  ///< index into the tree's property list
  std::uint32_t property_count{0};
  std::uint32_t phandle{0};         ///< `phandle` / `linux,phandle`, 0 = none
  std::vector<std::int32_t> children;
};

/// Reads a big-endian u32 at `p` (4 readable bytes).
[[nodiscard]] constexpr std::uint32_t load_be32(const std::uint8_t* p) noexcept {
  // NOLINTBEGIN(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  return (std::uint32_t{p[0]} << 24U) | (std::uint32_t{p[1]} << 16U) | (std::uint32_t{p[2]} << 8U) |
         std::uint32_t{p[3]};
  // NOLINTEND(cppcoreguidelines-pro-bounds-pointer-arithmetic)
}

/// "what at offset 0x…" for a parse error (`index` = offset, `index2` = second offset or value).
[[nodiscard]] inline std::string describe(const error& e) {
  std::string s = e.what;
  if (e.index != error::no_index) {
    std::array<char, 64> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), " at offset 0x%x", static_cast<unsigned>(e.index));
    s.append(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
  }
  if (e.index2 != error::no_index) {
    std::array<char, 64> buf{};
    const int n = std::snprintf(buf.data(), buf.size(), " (0x%x)", static_cast<unsigned>(e.index2));
    s.append(buf.data(), n > 0 ? static_cast<std::size_t>(n) : 0U);
  }
  return s;
}

namespace detail {
[[nodiscard]] constexpr bool node_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ',' || c == '.' ||
         c == '_' || c == '+' || c == '-' || c == '@';
}
[[nodiscard]] constexpr bool property_name_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ',' || c == '.' ||
         c == '_' || c == '+' || c == '-' || c == '?' || c == '#';
}
[[nodiscard]] constexpr std::int32_t off(std::size_t o) noexcept { return static_cast<std::int32_t>(o); }
}  // namespace detail

/// A parsed device tree. Owns a copy of the blob; every `string_view`/`span` it hands out points
/// into that copy and stays valid as long as the tree (moving the tree keeps them valid).
class tree {
 public:
  /// Parses `blob` (at most `lim.max_bytes`, else `capacity_exceeded` before any copy).
  /// O(size of the blob + nodes · log nodes + properties · log properties).
  [[nodiscard]] static result<tree, error> parse(std::span<const std::uint8_t> blob, const limits& lim = {}) {
    if (blob.size() > lim.max_bytes) {
      return error{errc::capacity_exceeded, "blob larger than the size limit (16 MiB by default)", error::no_index,
                   static_cast<std::int32_t>(std::min<std::size_t>(lim.max_bytes, 0x7FFF'FFFFU))};
    }
    tree t;
    t.blob_.assign(blob.begin(), blob.end());
    const error e = t.load(lim);
    if (!e.ok()) {
      return e;
    }
    return t;
  }
  /// Parses a blob held in a string (e.g. a file read into memory).
  [[nodiscard]] static result<tree, error> parse(std::string_view bytes, const limits& lim = {}) {
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes are bytes
    const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data());
    return parse(std::span<const std::uint8_t>(p, bytes.size()), lim);
  }
  /// Reads and parses a file of at most `lim.max_bytes`. When it cannot be read: `io_error`
  /// "cannot read the device-tree blob" or `capacity_exceeded` "blob larger than the size
  /// limit", and `*message` (when given) says which file and why ("cannot read 'x': Is a
  /// directory", "'x' is larger than the 16 MiB limit of a device-tree blob").
  [[nodiscard]] static result<tree, error> read_file(const std::string& path, const limits& lim = {},
                                                     std::string* message = nullptr) {
    std::string bytes;
    if (file_error e = io::read_file(path, bytes, lim.max_bytes); !e.ok()) {
      const bool too_big = is_size_limit_failure(e.message);
      if (message != nullptr) {
        *message = read_failure_message(std::move(e.message), path, lim.max_bytes, "a device-tree blob");
      }
      if (too_big) {
        return error{errc::capacity_exceeded, "blob larger than the size limit (16 MiB by default)"};
      }
      return error{errc::io_error, "cannot read the device-tree blob"};
    }
    return parse(bytes, lim);
  }

  // ------------------------------------------------------------------ structure

  [[nodiscard]] const fdt::header& header() const noexcept { return header_; }
  [[nodiscard]] std::span<const reserve_entry> reserved() const noexcept { return reserved_; }
  /// Number of nodes; node 0 is the root.
  [[nodiscard]] std::size_t size() const noexcept { return nodes_.size(); }
  [[nodiscard]] static constexpr std::int32_t root() noexcept { return 0; }
  /// Node `n` (precondition: 0 ≤ n < size()).
  [[nodiscard]] const fdt::node& at(std::int32_t n) const noexcept { return nodes_[static_cast<std::size_t>(n)]; }
  [[nodiscard]] bool valid(std::int32_t n) const noexcept { return n >= 0 && static_cast<std::size_t>(n) < nodes_.size(); }
  /// The node's properties, in blob order.
  [[nodiscard]] std::span<const property> properties(std::int32_t n) const noexcept {
    const fdt::node& d = at(n);
    return std::span<const property>(props_).subspan(d.first_property, d.property_count);
  }
  /// The full path ("/cpus/cpu@0"; "/" for the root). O(depth).
  [[nodiscard]] std::string path(std::int32_t n) const {
    if (n == root()) {
      return "/";
    }
    std::vector<std::string_view> parts;
    for (std::int32_t k = n; k > 0; k = at(k).parent) {
      parts.push_back(at(k).name);
    }
    std::string s;
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
      s += '/';
      s += *it;
    }
    return s;
  }
  /// The name without its unit address ("cpu" for "cpu@0").
  [[nodiscard]] std::string_view base_name(std::int32_t n) const noexcept {
    const std::string_view s = at(n).name;
    return s.substr(0, s.find('@'));
  }
  /// The unit address ("0" for "cpu@0"; empty when there is none).
  [[nodiscard]] std::string_view unit_address(std::int32_t n) const noexcept {
    const std::string_view s = at(n).name;
    const auto at_sign = s.find('@');
    return at_sign == std::string_view::npos ? std::string_view{} : s.substr(at_sign + 1);
  }
  /// The child of `n` whose full name is `name`. O(children).
  [[nodiscard]] std::optional<std::int32_t> child(std::int32_t n, std::string_view name) const noexcept {
    for (const std::int32_t c : at(n).children) {
      if (at(c).name == name) {
        return c;
      }
    }
    return std::nullopt;
  }
  /// The node at an absolute path ("/", "/cpus/cpu@0"); exact names, no aliases. O(path · children).
  [[nodiscard]] std::optional<std::int32_t> find(std::string_view p) const noexcept {
    if (p.empty() || p.front() != '/' || nodes_.empty()) {
      return std::nullopt;
    }
    std::int32_t n = root();
    p.remove_prefix(1);
    while (!p.empty()) {
      const auto slash = p.find('/');
      const std::string_view part = p.substr(0, slash);
      if (!part.empty()) {
        const auto c = child(n, part);
        if (!c) {
          return std::nullopt;
        }
        n = *c;
      }
      if (slash == std::string_view::npos) {
        break;
      }
      p.remove_prefix(slash + 1);
    }
    return n;
  }
  /// The node whose `phandle` is `ph`; `not_found` "no node has this phandle" (index2 = ph).
  [[nodiscard]] result<std::int32_t, error> by_phandle(std::uint32_t ph) const noexcept {
    std::size_t lo = 0;
    std::size_t hi = phandles_.size();
    while (lo < hi) {
      const std::size_t mid = lo + ((hi - lo) / 2);
      if (phandles_[mid].first < ph) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    if (lo < phandles_.size() && phandles_[lo].first == ph) {
      return phandles_[lo].second;
    }
    return error{errc::not_found, "no node has this phandle", error::no_index, static_cast<std::int32_t>(ph)};
  }

  // ------------------------------------------------------------------ properties

  /// The property `name` of node `n`, or nullptr. O(properties of n).
  [[nodiscard]] const property* find_property(std::int32_t n, std::string_view name) const noexcept {
    for (const property& p : properties(n)) {
      if (p.name == name) {
        return &p;
      }
    }
    return nullptr;
  }
  [[nodiscard]] bool has(std::int32_t n, std::string_view name) const noexcept { return find_property(n, name) != nullptr; }

  /// A property holding exactly one u32 cell. Errors: `not_found` "missing property",
  /// `parse_error` "property is not one 32-bit cell".
  [[nodiscard]] result<std::uint32_t, error> u32(std::int32_t n, std::string_view name) const noexcept {
    auto p = one_cell(n, name);
    if (!p) {
      return p.error();
    }
    return load_be32((*p)->value.data());
  }
  /// A property holding one u32 (4 bytes) or one u64 (8 bytes, two cells, high first), like
  /// `opp-hz`. Errors: `not_found`, `parse_error` "property is not a 32- or 64-bit number".
  [[nodiscard]] result<std::uint64_t, error> u64(std::int32_t n, std::string_view name) const noexcept {
    const property* p = find_property(n, name);
    if (p == nullptr) {
      return missing(n);
    }
    if (p->value.size() == 4) {
      return std::uint64_t{load_be32(p->value.data())};
    }
    if (p->value.size() != 8) {
      return error{errc::parse_error, "property is not a 32- or 64-bit number", n, detail::off(p->offset)};
    }
    return (std::uint64_t{load_be32(p->value.data())} << 32U) | load_be32(p->value.subspan(4).data());
  }
  /// A list of u32 cells (possibly empty). Errors: `not_found`, `parse_error` "property length is
  /// not a multiple of 4 bytes".
  [[nodiscard]] result<std::vector<std::uint32_t>, error> cells(std::int32_t n, std::string_view name) const {
    const property* p = find_property(n, name);
    if (p == nullptr) {
      return missing(n);
    }
    return cells_of(n, *p);
  }
  /// The cells of a property already found.
  [[nodiscard]] static result<std::vector<std::uint32_t>, error> cells_of(std::int32_t n, const property& p) {
    if (p.value.size() % 4 != 0) {
      return error{errc::parse_error, "property length is not a multiple of 4 bytes", n, detail::off(p.offset)};
    }
    std::vector<std::uint32_t> v(p.value.size() / 4);
    for (std::size_t i = 0; i < v.size(); ++i) {
      v[i] = load_be32(p.value.subspan(4 * i, 4).data());
    }
    return v;
  }
  /// The list of NUL-terminated strings of a property (`compatible`, `clock-names` …). Errors:
  /// `not_found`, `parse_error` "string property is not NUL-terminated" / "empty string
  /// property".
  [[nodiscard]] result<std::vector<std::string_view>, error> strings(std::int32_t n, std::string_view name) const {
    const property* p = find_property(n, name);
    if (p == nullptr) {
      return missing(n);
    }
    if (p->value.empty()) {
      return error{errc::parse_error, "empty string property", n, detail::off(p->offset)};
    }
    if (p->value.back() != 0) {
      return error{errc::parse_error, "string property is not NUL-terminated", n, detail::off(p->offset)};
    }
    std::vector<std::string_view> out;
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes are chars
    const auto* chars = reinterpret_cast<const char*>(p->value.data());
    std::size_t start = 0;
    for (std::size_t i = 0; i < p->value.size(); ++i) {
      if (p->value[i] == 0) {
        out.emplace_back(std::string_view(chars, p->value.size()).substr(start, i - start));
        start = i + 1;
      }
    }
    return out;
  }
  /// The first string of a string property.
  [[nodiscard]] result<std::string_view, error> string(std::int32_t n, std::string_view name) const {
    auto s = strings(n, name);
    if (!s) {
      return s.error();
    }
    return s->front();
  }
  /// True when `compatible` lists `c`.
  [[nodiscard]] bool is_compatible(std::int32_t n, std::string_view c) const {
    auto s = strings(n, "compatible");
    if (!s) {
      return false;
    }
    for (const std::string_view x : *s) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }
  /// False when `status` is present and neither "okay" nor "ok" (`of_device_is_available`).
  [[nodiscard]] bool available(std::int32_t n) const {
    if (!has(n, "status")) {
      return true;
    }
    auto s = string(n, "status");
    return s && (*s == "okay" || *s == "ok");
  }
  /// A phandle property of one cell resolved to its node. Errors: `not_found` (missing or
  /// dangling), `parse_error` (not one cell).
  [[nodiscard]] result<std::int32_t, error> phandle_target(std::int32_t n, std::string_view name) const noexcept {
    auto p = one_cell(n, name);
    if (!p) {
      return p.error();
    }
    auto t = by_phandle(load_be32((*p)->value.data()));
    if (!t) {
      return error{errc::not_found, "phandle points at no node", n, detail::off((*p)->offset)};
    }
    return *t;
  }

  /// A one-line description of a property-read error: "/path: property 'name': what". `name`
  /// is used when the error has no property offset (a missing property).
  [[nodiscard]] std::string describe(const error& e, std::string_view name = {}) const {
    std::string s;
    if (valid(e.index)) {
      s += path(e.index);
    }
    std::string_view prop = name;
    if (e.index2 != error::no_index) {
      // properties are kept in blob order: ascending offsets (O(log n) per message)
      const auto it = std::lower_bound(props_.begin(), props_.end(), e.index2,
                                       [](const property& p, std::int32_t o) { return detail::off(p.offset) < o; });
      if (it != props_.end() && detail::off(it->offset) == e.index2) {
        prop = it->name;
      }
    }
    if (!prop.empty()) {
      s += s.empty() ? "property '" : ": property '";
      s += prop;
      s += '\'';
    }
    if (!s.empty()) {
      s += ": ";
    }
    s += e.what;
    return s;
  }

 private:
  tree() = default;

  [[nodiscard]] static error missing(std::int32_t n) noexcept { return error{errc::not_found, "missing property", n}; }

  // The property `name` of node `n` when it holds exactly one u32 cell.
  [[nodiscard]] result<const property*, error> one_cell(std::int32_t n, std::string_view name) const noexcept {
    const property* p = find_property(n, name);
    if (p == nullptr) {
      return missing(n);
    }
    if (p->value.size() != 4) {
      return error{errc::parse_error, "property is not one 32-bit cell", n, detail::off(p->offset)};
    }
    return p;
  }

  [[nodiscard]] std::uint32_t be32_at(std::size_t o) const noexcept { return load_be32(blob_.data() + o); }

  // A NUL-terminated name at [o, end): its length, or an error.
  [[nodiscard]] error read_name(std::size_t o, std::size_t end, std::size_t max_len, bool node_name, std::string_view& out,
                                std::int32_t token_offset) const noexcept {
    std::size_t i = o;
    while (i < end && blob_[i] != 0) {
      if (i - o >= max_len) {
        return {errc::parse_error, node_name ? "node name too long" : "property name too long", token_offset};
      }
      const auto c = static_cast<char>(blob_[i]);
      if (!(node_name ? detail::node_name_char(c) : detail::property_name_char(c))) {
        return {errc::parse_error, node_name ? "node name has an invalid character" : "property name has an invalid character",
                detail::off(i), static_cast<std::int32_t>(blob_[i])};
      }
      ++i;
    }
    if (i >= end) {
      return {errc::parse_error, node_name ? "node name not NUL-terminated" : "property name not NUL-terminated in the strings block",
              token_offset};
    }
    // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): bytes are chars
    out = std::string_view(reinterpret_cast<const char*>(blob_.data() + o), i - o);
    return {};
  }

  error load(const limits& lim) {
    const std::size_t size = blob_.size();
    if (size > 0x7FFF'FFFFU) {
      return {errc::capacity_exceeded, "blob larger than 2 GiB"};
    }
    if (size < 40) {
      return {errc::parse_error, "blob shorter than the FDT header (truncated)", detail::off(size)};
    }
    header_.magic = be32_at(0);
    if (header_.magic != fdt_magic) {
      return {errc::parse_error, "bad magic: not a flattened device tree", 0, static_cast<std::int32_t>(header_.magic)};
    }
    header_.totalsize = be32_at(4);
    header_.off_dt_struct = be32_at(8);
    header_.off_dt_strings = be32_at(12);
    header_.off_mem_rsvmap = be32_at(16);
    header_.version = be32_at(20);
    header_.last_comp_version = be32_at(24);
    header_.boot_cpuid_phys = be32_at(28);
    header_.size_dt_strings = be32_at(32);
    header_.size_dt_struct = be32_at(36);
    if (header_.version < first_supported_version || header_.last_comp_version > last_supported_version) {
      return {errc::not_supported, "unsupported FDT version", 20, static_cast<std::int32_t>(header_.version & 0x7FFF'FFFFU)};
    }
    const std::size_t header_size = header_.version >= 17 ? 40 : 36;
    if (header_.totalsize > size) {
      return {errc::parse_error, "blob truncated: totalsize is larger than the data", 4,
              static_cast<std::int32_t>(header_.totalsize & 0x7FFF'FFFFU)};
    }
    if (header_.totalsize < header_size) {
      return {errc::parse_error, "totalsize smaller than the header", 4, static_cast<std::int32_t>(header_.totalsize)};
    }
    const std::size_t total = header_.totalsize;
    if (header_.version < 17) {
      if (header_.off_dt_struct > total) {
        return {errc::out_of_range, "structure block offset outside the blob", 8};
      }
      header_.size_dt_struct = static_cast<std::uint32_t>(total - header_.off_dt_struct);
    }
    const auto block_ok = [&](std::uint64_t o, std::uint64_t n) { return o >= header_size && o <= total && n <= total - o; };
    if (!block_ok(header_.off_dt_struct, header_.size_dt_struct)) {
      return {errc::out_of_range, "structure block outside the blob", 8,
              static_cast<std::int32_t>(header_.off_dt_struct & 0x7FFF'FFFFU)};
    }
    if (header_.off_dt_struct % 4 != 0) {
      return {errc::parse_error, "structure block not 4-byte aligned", 8, static_cast<std::int32_t>(header_.off_dt_struct)};
    }
    if (!block_ok(header_.off_dt_strings, header_.size_dt_strings)) {
      return {errc::out_of_range, "strings block outside the blob", 12,
              static_cast<std::int32_t>(header_.off_dt_strings & 0x7FFF'FFFFU)};
    }
    if (const error e = load_reserve_map(total, header_size); !e.ok()) {
      return e;
    }
    return load_structure(lim);
  }

  error load_reserve_map(std::size_t total, std::size_t header_size) {
    std::size_t o = header_.off_mem_rsvmap;
    if (o < header_size || o > total) {
      return {errc::out_of_range, "memory reservation map outside the blob", 16, static_cast<std::int32_t>(o & 0x7FFF'FFFFU)};
    }
    if (o % 8 != 0) {
      return {errc::parse_error, "memory reservation map not 8-byte aligned", 16, static_cast<std::int32_t>(o)};
    }
    while (true) {
      if (total - o < 16) {
        return {errc::parse_error, "memory reservation map not terminated", detail::off(o)};
      }
      const std::uint64_t a = (std::uint64_t{be32_at(o)} << 32U) | be32_at(o + 4);
      const std::uint64_t n = (std::uint64_t{be32_at(o + 8)} << 32U) | be32_at(o + 12);
      o += 16;
      if (a == 0 && n == 0) {
        return {};
      }
      if (reserved_.size() >= 4096) {
        return {errc::capacity_exceeded, "more than 4096 memory reservations", detail::off(o - 16)};
      }
      reserved_.push_back({a, n});
    }
  }

  error load_structure(const limits& lim) {
    const std::size_t begin = header_.off_dt_struct;
    const std::size_t end = begin + header_.size_dt_struct;
    const std::size_t str_begin = header_.off_dt_strings;
    const std::size_t str_end = str_begin + header_.size_dt_strings;
    std::vector<std::int32_t> stack;
    std::vector<bool> has_child;
    std::vector<std::uint32_t> scratch;  // property indices of one node, for the repeat check
    bool root_done = false;
    std::size_t o = begin;
    while (true) {
      if (end - o < 4) {
        return {errc::parse_error, "structure block ends without FDT_END", detail::off(o)};
      }
      const auto token_offset = detail::off(o);
      const std::uint32_t tok = be32_at(o);
      o += 4;
      switch (tok) {
        case fdt_nop:
          break;
        case fdt_begin_node: {
          if (root_done) {
            return {errc::parse_error, "a second root node", token_offset};
          }
          if (stack.size() >= lim.max_depth) {
            return {errc::capacity_exceeded, "nodes nested deeper than the limit", token_offset};
          }
          if (nodes_.size() >= lim.max_nodes) {
            return {errc::capacity_exceeded, "more nodes than the limit", token_offset};
          }
          std::string_view name;
          if (const error e = read_name(o, end, lim.max_name_length, true, name, token_offset); !e.ok()) {
            return e;
          }
          if (stack.empty() && !name.empty()) {
            return {errc::parse_error, "root node name is not empty", token_offset};
          }
          if (!stack.empty() && name.empty()) {
            return {errc::parse_error, "empty node name", token_offset};
          }
          if (!stack.empty() && (name.front() == '@' || name.find('@') != name.rfind('@'))) {
            return {errc::parse_error, "malformed node name (unit address)", token_offset};
          }
          o += (name.size() + 1 + 3) & ~std::size_t{3};
          if (o > end) {
            return {errc::parse_error, "node name runs past the structure block", token_offset};
          }
          fdt::node d;
          d.name = name;
          d.parent = stack.empty() ? -1 : stack.back();
          d.offset = static_cast<std::uint32_t>(token_offset);
          d.first_property = static_cast<std::uint32_t>(props_.size());
          const auto index = static_cast<std::int32_t>(nodes_.size());
          if (!stack.empty() && !has_child.back()) {
            // the parent's properties are complete (they precede its subnodes)
            if (const error e = check_repeated_properties(stack.back(), scratch); !e.ok()) {
              return e;
            }
          }
          if (!stack.empty()) {
            nodes_[static_cast<std::size_t>(stack.back())].children.push_back(index);
            has_child.back() = true;
          }
          nodes_.push_back(std::move(d));
          stack.push_back(index);
          has_child.push_back(false);
          break;
        }
        case fdt_end_node:
          if (stack.empty()) {
            return {errc::parse_error, "FDT_END_NODE without an open node", token_offset};
          }
          if (!has_child.back()) {
            if (const error e = check_repeated_properties(stack.back(), scratch); !e.ok()) {
              return e;
            }
          } else if (const error e = check_repeated_children(stack.back(), scratch); !e.ok()) {
            return e;
          }
          stack.pop_back();
          has_child.pop_back();
          root_done = root_done || stack.empty();
          break;
        case fdt_prop: {
          if (stack.empty()) {
            return {errc::parse_error, "property outside any node", token_offset};
          }
          if (has_child.back()) {
            return {errc::parse_error, "property after a subnode", token_offset};
          }
          if (end - o < 8) {
            return {errc::parse_error, "property header runs past the structure block", token_offset};
          }
          const std::uint32_t len = be32_at(o);
          const std::uint32_t nameoff = be32_at(o + 4);
          o += 8;
          if (len > end - o) {
            return {errc::parse_error, "property value runs past the structure block", token_offset,
                    static_cast<std::int32_t>(len & 0x7FFF'FFFFU)};
          }
          if (nameoff >= header_.size_dt_strings) {
            return {errc::out_of_range, "property name offset outside the strings block", token_offset,
                    static_cast<std::int32_t>(nameoff & 0x7FFF'FFFFU)};
          }
          if (props_.size() >= lim.max_properties) {
            return {errc::capacity_exceeded, "more properties than the limit", token_offset};
          }
          std::string_view name;
          if (const error e = read_name(str_begin + nameoff, str_end, lim.max_name_length, false, name, token_offset); !e.ok()) {
            return e;
          }
          if (name.empty()) {
            return {errc::parse_error, "empty property name", token_offset};
          }
          fdt::node& d = nodes_[static_cast<std::size_t>(stack.back())];
          props_.push_back(property{name, std::span<const std::uint8_t>(blob_).subspan(o, len),
                                    static_cast<std::uint32_t>(token_offset)});
          ++d.property_count;
          o += (std::size_t{len} + 3) & ~std::size_t{3};
          if (o > end) {
            return {errc::parse_error, "property padding runs past the structure block", token_offset};
          }
          break;
        }
        case fdt_end:
          if (!stack.empty()) {
            return {errc::parse_error, "FDT_END inside an open node", token_offset};
          }
          if (!root_done) {
            return {errc::parse_error, "no root node", token_offset};
          }
          return index_phandles();
        default:
          return {errc::parse_error, "unknown structure token", token_offset, static_cast<std::int32_t>(tok & 0x7FFF'FFFFU)};
      }
    }
  }

  // `already_exists` "property repeated in one node" (at the second of the first repeated name
  // in blob order, index2 = the first) when two properties of node `n` share a name.
  // O(p log p) for p properties.
  [[nodiscard]] error check_repeated_properties(std::int32_t n, std::vector<std::uint32_t>& idx) const {
    const fdt::node& d = at(n);
    idx.resize(d.property_count);
    for (std::uint32_t k = 0; k < d.property_count; ++k) {
      idx[k] = d.first_property + k;
    }
    return first_repeated_name(idx, props_, "property repeated in one node");
  }

  // `already_exists` "node name repeated among siblings" (likewise) when two children of node
  // `n` share a full name: dtc refuses such a tree, and a path could name either. O(c log c).
  [[nodiscard]] error check_repeated_children(std::int32_t n, std::vector<std::uint32_t>& idx) const {
    const std::vector<std::int32_t>& ch = at(n).children;
    idx.resize(ch.size());
    for (std::size_t k = 0; k < ch.size(); ++k) {
      idx[k] = static_cast<std::uint32_t>(ch[k]);
    }
    return first_repeated_name(idx, nodes_, "node name repeated among siblings");
  }

  // Of `items[idx[k]]` (each with a `name` and a blob `offset`; `idx` in blob order), the first
  // name repeated, in blob order: an error at the repeat naming the first, or ok. Sorts `idx`
  // by (name, blob order).
  template <class Item>
  [[nodiscard]] static error first_repeated_name(std::vector<std::uint32_t>& idx, const std::vector<Item>& items, const char* what) {
    if (idx.size() < 2) {
      return {};
    }
    std::sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) {
      return items[a].name != items[b].name ? items[a].name < items[b].name : a < b;
    });
    const Item* first = nullptr;
    const Item* repeat = nullptr;
    for (std::size_t k = 1; k < idx.size(); ++k) {
      const Item& a = items[idx[k - 1]];
      const Item& b = items[idx[k]];
      const bool group_start = k == 1 || items[idx[k - 2]].name != a.name;
      if (group_start && a.name == b.name && (repeat == nullptr || b.offset < repeat->offset)) {
        first = &a;
        repeat = &b;
      }
    }
    if (repeat != nullptr) {
      return {errc::already_exists, what, detail::off(repeat->offset), detail::off(first->offset)};
    }
    return {};
  }

  error index_phandles() {
    for (std::size_t n = 0; n < nodes_.size(); ++n) {
      fdt::node& d = nodes_[n];
      std::uint32_t ph = 0;
      for (const char* key : {"phandle", "linux,phandle"}) {
        const property* p = find_property(static_cast<std::int32_t>(n), key);
        if (p == nullptr) {
          continue;
        }
        if (p->value.size() != 4) {
          return {errc::parse_error, "phandle property is not one 32-bit cell", detail::off(p->offset)};
        }
        const std::uint32_t v = load_be32(p->value.data());
        if (v == 0 || v == 0xFFFF'FFFFU) {
          return {errc::parse_error, "phandle value 0 or 0xffffffff", detail::off(p->offset)};
        }
        if (ph != 0 && ph != v) {
          return {errc::parse_error, "phandle and linux,phandle differ", detail::off(p->offset)};
        }
        ph = v;
      }
      d.phandle = ph;
      if (ph != 0) {
        phandles_.emplace_back(ph, static_cast<std::int32_t>(n));
      }
    }
    std::vector<std::pair<std::uint32_t, std::int32_t>>& v = phandles_;
    std::sort(v.begin(), v.end());
    for (std::size_t i = 1; i < v.size(); ++i) {
      if (v[i].first == v[i - 1].first) {
        return {errc::already_exists, "two nodes have the same phandle", static_cast<std::int32_t>(at(v[i].second).offset),
                static_cast<std::int32_t>(at(v[i - 1].second).offset)};
      }
    }
    return {};
  }

  std::vector<std::uint8_t> blob_;
  fdt::header header_{};
  std::vector<reserve_entry> reserved_;
  std::vector<fdt::node> nodes_;
  std::vector<property> props_;
  std::vector<std::pair<std::uint32_t, std::int32_t>> phandles_;  // sorted by phandle
};

}  // namespace thermo::io::fdt
