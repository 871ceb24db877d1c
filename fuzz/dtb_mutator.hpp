// The structure-aware DTB mutator: a blob is parsed into a tree (dtb_model.hpp), changed the way
// a wrong or hostile device tree differs from a good one, and written back as a valid blob, so
// that the fuzzer spends its time in the import (io/dt_import.hpp, io/dt/*) rather than on
// blobs the reader rejects in the header. Each call applies one to three of:
//
// * properties moved, swapped or copied between nodes; a node's subtree moved or copied under
//   another node, or nested deeper;
// * cyclic phandles (a node references the node that references it, or itself), references
//   retargeted to other nodes, to 0, to 0xFFFFFFFF or to no node; two nodes with one phandle;
// * OPP tables out of order (decreasing or repeated `opp-hz`, 0 Hz), zero or inverted voltages,
//   edge powers (`opp-microwatt`, `dynamic-power-coefficient` 0 or 0xFFFFFFFF);
// * huge counts: a `trips` node with up to 65,535 trips, a node with up to 65,536 properties
//   (as many as fit in the size the fuzzer allows);
// * duplicate node and property names; edge cell values (0, 1, 2^31, 2^32 − 1, −273150 …);
//   values cut or extended off the cell grid; properties and nodes deleted; strings that the
//   import matches on (`compatible`, `status`, trip `type` …) set to other known values.
//
// Deterministic for a given seed. Used by fuzz/dtb_fuzz.cpp's LLVMFuzzerCustomMutator.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dtb_model.hpp"
#include "thermo/core/prng.hpp"

namespace thermo::fuzz {

class dtb_mutator {
 public:
  explicit dtb_mutator(std::uint64_t seed) : rng_(seed) {}

  /// Applies one to three mutations to `root`; the blob of the result is meant to stay within
  /// `max_bytes` (the huge-count mutations size themselves to it).
  void mutate(dtb_node& root, std::size_t max_bytes) {
    const std::size_t count = 1 + below(3);
    for (std::size_t k = 0; k < count; ++k) {
      collect(root);
      one(root, max_bytes);
    }
  }

 private:
  struct place {
    dtb_node* node;
    dtb_node* parent;  // nullptr for the root
    std::size_t depth;
  };

  std::size_t below(std::size_t n) { return n == 0 ? 0 : rng_() % n; }
  bool chance(std::size_t one_in) { return below(one_in) == 0; }
  template <class T>
  T& pick(std::vector<T>& v) {
    return v[below(v.size())];
  }

  void collect(dtb_node& root) {
    places_.clear();
    walk(root, nullptr, 1);
  }
  void walk(dtb_node& n, dtb_node* parent, std::size_t depth) {
    places_.push_back({&n, parent, depth});
    for (dtb_node& c : n.children) {
      walk(c, &n, depth + 1);
    }
  }
  place& any_place() { return pick(places_); }
  /// A place whose node has a property (or any place when none has).
  place& place_with_property() {
    for (int tries = 0; tries < 16; ++tries) {
      place& p = any_place();
      if (!p.node->properties.empty()) {
        return p;
      }
    }
    return any_place();
  }

  static std::uint32_t cell(const std::vector<std::uint8_t>& v, std::size_t i) {
    return (std::uint32_t{v[4 * i]} << 24U) | (std::uint32_t{v[(4 * i) + 1]} << 16U) | (std::uint32_t{v[(4 * i) + 2]} << 8U) |
           std::uint32_t{v[(4 * i) + 3]};
  }
  static void set_cell(std::vector<std::uint8_t>& v, std::size_t i, std::uint32_t c) {
    v[4 * i] = static_cast<std::uint8_t>(c >> 24U);
    v[(4 * i) + 1] = static_cast<std::uint8_t>(c >> 16U);
    v[(4 * i) + 2] = static_cast<std::uint8_t>(c >> 8U);
    v[(4 * i) + 3] = static_cast<std::uint8_t>(c);
  }
  static dtb_property* find(dtb_node& n, std::string_view name) {
    for (dtb_property& p : n.properties) {
      if (p.name == name) {
        return &p;
      }
    }
    return nullptr;
  }
  static std::uint32_t phandle_of(dtb_node& n) {
    for (const std::string_view name : {"phandle", "linux,phandle"}) {
      const dtb_property* p = find(n, name);
      if (p != nullptr && p->value.size() == 4) {
        return cell(p->value, 0);
      }
    }
    return 0;
  }
  /// The phandle of `n`, given one (an unused value) if it has none.
  std::uint32_t ensure_phandle(dtb_node& n) {
    if (const std::uint32_t ph = phandle_of(n); ph != 0) {
      return ph;
    }
    std::uint32_t top = 0;
    for (const place& p : places_) {
      top = std::max(top, phandle_of(*p.node));
    }
    n.properties.push_back({"phandle", dtb_cells({top + 1})});
    return top + 1;
  }

  /// A property cell that holds some node's phandle (a reference), as (place, property, cell).
  struct reference {
    place* at{nullptr};
    dtb_property* prop{nullptr};
    std::size_t cell{0};
    dtb_node* target{nullptr};
  };
  reference any_reference() {
    std::vector<std::pair<std::uint32_t, dtb_node*>> handles;
    for (const place& p : places_) {
      if (const std::uint32_t ph = phandle_of(*p.node); ph != 0) {
        handles.emplace_back(ph, p.node);
      }
    }
    std::vector<reference> refs;
    for (place& p : places_) {
      for (dtb_property& prop : p.node->properties) {
        if (prop.name == "phandle" || prop.name == "linux,phandle" || prop.value.size() % 4 != 0) {
          continue;
        }
        for (std::size_t i = 0; i < prop.value.size() / 4 && i < 64; ++i) {
          const std::uint32_t c = cell(prop.value, i);
          for (const auto& [ph, node] : handles) {
            if (c == ph) {
              refs.push_back({&p, &prop, i, node});
            }
          }
        }
      }
    }
    return refs.empty() ? reference{} : pick(refs);
  }

  std::uint32_t edge_value() {
    static constexpr std::array<std::uint32_t, 16> values{0U, 1U, 2U, 3U, 16U, 255U, 256U, 65'535U, 65'536U, 1'000'000U,
                                                          0x7FFF'FFFFU, 0x8000'0000U, 0xFFFF'FFFEU, 0xFFFF'FFFFU,
                                                          static_cast<std::uint32_t>(-273'150), static_cast<std::uint32_t>(-1'000)};
    return values[below(values.size())];
  }
  std::size_t huge_count(std::size_t room, std::size_t each) {
    static constexpr std::array<std::size_t, 7> counts{17, 33, 256, 257, 1'024, 65'535, 65'536};
    const std::size_t want = counts[below(counts.size())];
    return std::min(want, room / std::max<std::size_t>(each, 1));
  }

  void one(dtb_node& root, std::size_t max_bytes) {
    switch (below(17)) {
      case 0: {  // move a property to another node
        place& a = place_with_property();
        place& b = any_place();
        if (a.node->properties.empty()) {
          break;
        }
        const std::size_t i = below(a.node->properties.size());
        dtb_property p = std::move(a.node->properties[i]);
        a.node->properties.erase(a.node->properties.begin() + static_cast<std::ptrdiff_t>(i));
        auto& to = b.node->properties;
        to.insert(to.begin() + static_cast<std::ptrdiff_t>(below(to.size() + 1)), std::move(p));
        break;
      }
      case 1: {  // swap properties between two nodes
        place& a = place_with_property();
        place& b = place_with_property();
        if (!a.node->properties.empty() && !b.node->properties.empty()) {
          std::swap(pick(a.node->properties), pick(b.node->properties));
        }
        break;
      }
      case 2: {  // copy a property into another node (its name may be there already)
        place& a = place_with_property();
        place& b = any_place();
        if (!a.node->properties.empty()) {
          const dtb_property p = pick(a.node->properties);
          if (dtb_property* same = find(*b.node, p.name); same != nullptr && !chance(4)) {
            same->value = p.value;
          } else {
            b.node->properties.push_back(p);
          }
        }
        break;
      }
      case 3: {  // cyclic phandles: the target references back, or a node references itself
        reference r = any_reference();
        if (r.prop == nullptr) {
          break;
        }
        dtb_node& from = *r.at->node;
        // ensure_phandle may add a property to `from`: hold the reference by index
        const auto index = static_cast<std::size_t>(r.prop - from.properties.data());
        const std::uint32_t back = ensure_phandle(from);
        if (chance(3)) {
          set_cell(from.properties[index].value, r.cell, back);
          break;
        }
        dtb_property p = from.properties[index];
        set_cell(p.value, r.cell, back);
        if (dtb_property* there = find(*r.target, p.name); there != nullptr) {
          *there = std::move(p);
        } else {
          r.target->properties.push_back(std::move(p));
        }
        break;
      }
      case 4: {  // a reference to another node, to a reserved value or to no node
        reference r = any_reference();
        if (r.prop == nullptr) {
          break;
        }
        const std::uint32_t choices[] = {phandle_of(*any_place().node), 0U, 0xFFFF'FFFFU, 0xABCD'0000U + static_cast<std::uint32_t>(below(16))};
        set_cell(r.prop->value, r.cell, choices[below(4)]);
        break;
      }
      case 5: {  // two nodes with one phandle
        place& a = any_place();
        place& b = any_place();
        const std::uint32_t ph = phandle_of(*b.node);
        if (dtb_property* p = find(*a.node, "phandle"); p != nullptr && p->value.size() == 4) {
          set_cell(p->value, 0, ph != 0 ? ph : edge_value());
        } else {
          a.node->properties.push_back({"phandle", dtb_cells({ph != 0 ? ph : edge_value()})});
        }
        break;
      }
      case 6:
        opp_order();
        break;
      case 7:
        powers_and_voltages();
        break;
      case 8:
        many_trips(root, max_bytes);
        break;
      case 9: {  // many properties on one node
        place& a = any_place();
        const std::size_t bytes = dtb_to_blob(root).size();
        const std::size_t room = max_bytes > bytes ? max_bytes - bytes : 0;
        const bool same_name = chance(4);
        const std::size_t n = huge_count(room, same_name ? 16 : 24);
        for (std::size_t i = 0; i < n; ++i) {
          a.node->properties.push_back({same_name ? std::string("x") : std::string("x").append(std::to_string(i)), dtb_cells({static_cast<std::uint32_t>(i)})});
        }
        break;
      }
      case 10: {  // duplicate names: a node twice, a node renamed as its sibling, a property twice
        place& a = any_place();
        if (a.parent != nullptr && chance(2)) {
          auto& sib = a.parent->children;
          if (chance(2)) {
            const dtb_node copy = *a.node;
            sib.push_back(copy);
          } else {
            a.node->name = pick(sib).name;
          }
        } else if (!a.node->properties.empty()) {
          const dtb_property copy = pick(a.node->properties);
          a.node->properties.push_back(copy);
        }
        break;
      }
      case 11: {  // an edge value in some cell
        place& a = place_with_property();
        if (a.node->properties.empty()) {
          break;
        }
        dtb_property& p = pick(a.node->properties);
        if (p.value.size() >= 4) {
          set_cell(p.value, below(p.value.size() / 4), edge_value());
        }
        break;
      }
      case 12: {  // a value cut or extended off the cell grid, or emptied
        place& a = place_with_property();
        if (a.node->properties.empty()) {
          break;
        }
        dtb_property& p = pick(a.node->properties);
        const std::size_t k = below(3);
        if (k == 0) {
          p.value.clear();
        } else if (k == 1 && !p.value.empty()) {
          p.value.resize(p.value.size() - 1 - below(std::min<std::size_t>(p.value.size(), 8)));
        } else {
          p.value.resize(p.value.size() + 1 + below(8), static_cast<std::uint8_t>(rng_()));
        }
        break;
      }
      case 13: {  // a property or a node deleted
        place& a = any_place();
        if (a.parent != nullptr && chance(3)) {
          auto& sib = a.parent->children;
          for (std::size_t i = 0; i < sib.size(); ++i) {
            if (&sib[i] == a.node) {
              sib.erase(sib.begin() + static_cast<std::ptrdiff_t>(i));
              break;
            }
          }
        } else if (!a.node->properties.empty()) {
          a.node->properties.erase(a.node->properties.begin() + static_cast<std::ptrdiff_t>(below(a.node->properties.size())));
        }
        break;
      }
      case 14:
        move_or_copy_subtree();
        break;
      case 15: {  // a string the import matches on set to another known one
        static constexpr std::array<std::string_view, 6> names{"compatible", "status", "type", "critical-action", "device_type",
                                                               "operating-points-v2"};
        static constexpr std::array<std::string_view, 16> values{
            "okay",      "disabled", "passive",      "active",          "hot",         "critical", "reboot",
            "cpu",       "pwm-fan",  "gpio-fan",     "operating-points-v2", "arm,cortex-a53", "arm,cortex-a72",
            "",          "fail",     "arm,mali-t860"};
        place& a = any_place();
        const std::string_view name = names[below(names.size())];
        const std::string_view s = values[below(values.size())];
        std::vector<std::uint8_t> v(s.begin(), s.end());
        v.push_back(0);
        if (dtb_property* p = find(*a.node, name); p != nullptr) {
          p->value = std::move(v);
        } else {
          a.node->properties.push_back({std::string(name), std::move(v)});
        }
        break;
      }
      default: {  // a node nested deeper (up to past the reader's depth limit)
        place& a = any_place();
        if (a.parent == nullptr) {
          break;
        }
        const std::size_t levels = chance(4) ? 70 : 1 + below(4);
        dtb_node inner = std::move(*a.node);
        for (std::size_t i = 0; i < levels; ++i) {
          dtb_node wrap;
          wrap.name = std::string("n").append(std::to_string(i));
          wrap.children.push_back(std::move(inner));
          inner = std::move(wrap);
        }
        *a.node = std::move(inner);
        break;
      }
    }
  }

  /// OPP tables out of order: the `opp-hz` of a table's entries reversed, two swapped, one 0,
  /// one equal to its neighbour, or the largest value.
  void opp_order() {
    std::vector<dtb_node*> tables;
    for (const place& p : places_) {
      if (std::any_of(p.node->children.begin(), p.node->children.end(), [](dtb_node& c) { return find(c, "opp-hz") != nullptr; })) {
        tables.push_back(p.node);
      }
    }
    if (tables.empty()) {
      return;
    }
    std::vector<dtb_property*> hz;
    for (dtb_node& c : pick(tables)->children) {
      if (dtb_property* p = find(c, "opp-hz"); p != nullptr) {
        hz.push_back(p);
      }
    }
    switch (below(5)) {
      case 0:
        for (std::size_t i = 0; i < hz.size() / 2; ++i) {
          std::swap(hz[i]->value, hz[hz.size() - 1 - i]->value);
        }
        break;
      case 1:
        std::swap(pick(hz)->value, pick(hz)->value);
        break;
      case 2:
        pick(hz)->value = dtb_cells({0, 0});
        break;
      case 3: {
        const std::size_t i = below(hz.size());
        hz[i]->value = hz[i + 1 < hz.size() ? i + 1 : 0]->value;
        break;
      }
      default:
        pick(hz)->value = dtb_cells({0xFFFF'FFFFU, 0xFFFF'FFFFU});
        break;
    }
  }

  /// Zero voltages, voltage triplets with min > max, zero or huge powers and coefficients.
  void powers_and_voltages() {
    std::vector<dtb_property*> props;
    for (const place& p : places_) {
      for (dtb_property& prop : p.node->properties) {
        if (prop.name.starts_with("opp-microvolt") || prop.name.starts_with("opp-microwatt") ||
            prop.name == "dynamic-power-coefficient" || prop.name == "opp-microamp" || prop.name == "sustainable-power") {
          props.push_back(&prop);
        }
      }
    }
    if (props.empty()) {
      return;
    }
    dtb_property& p = *pick(props);
    const std::size_t cells = p.value.size() / 4;
    if (cells == 0) {
      p.value = dtb_cells({0});
      return;
    }
    switch (below(4)) {
      case 0:  // zero
        for (std::size_t i = 0; i < cells; ++i) {
          set_cell(p.value, i, 0);
        }
        break;
      case 1:  // largest
        for (std::size_t i = 0; i < cells; ++i) {
          set_cell(p.value, i, 0xFFFF'FFFFU);
        }
        break;
      case 2:  // <target min max> with min > max, or target outside
        if (cells >= 3) {
          set_cell(p.value, 1, cell(p.value, 2) + 1);
        } else {
          p.value = dtb_cells({900'000, 1'000'000, 800'000});
        }
        break;
      default:
        set_cell(p.value, below(cells), edge_value());
        break;
    }
  }

  /// A `trips` node with many trips (copies of one of its trips, each with its own name), as
  /// many as fit.
  void many_trips(dtb_node& root, std::size_t max_bytes) {
    std::vector<dtb_node*> trips;
    for (const place& p : places_) {
      if (p.node->name == "trips" && !p.node->children.empty()) {
        trips.push_back(p.node);
      }
    }
    if (trips.empty()) {
      return;
    }
    dtb_node& t = *pick(trips);
    const dtb_node model = pick(t.children);
    dtb_node one;
    one.children.push_back(model);
    const std::size_t each = dtb_to_blob(one).size() - dtb_to_blob(dtb_node{}).size() + 8;
    const std::size_t bytes = dtb_to_blob(root).size();
    const std::size_t n = huge_count(max_bytes > bytes ? max_bytes - bytes : 0, each);
    t.children.reserve(t.children.size() + n);
    for (std::size_t i = 0; i < n; ++i) {
      dtb_node c = model;
      c.name = std::string("t").append(std::to_string(i));
      t.children.push_back(std::move(c));
    }
  }

  static bool contains(const dtb_node& n, const dtb_node* x) {
    return std::any_of(n.children.begin(), n.children.end(), [&](const dtb_node& c) { return &c == x || contains(c, x); });
  }

  /// A subtree moved or copied under another node (not into itself).
  void move_or_copy_subtree() {
    place& a = any_place();
    place& b = any_place();
    if (a.parent == nullptr || a.node == b.node) {
      return;
    }
    if (contains(*a.node, b.node)) {  // b must not lie inside a
      return;
    }
    dtb_node copy = *a.node;
    if (chance(2)) {  // move: remove the original first (b stays valid: it is not inside a)
      auto& sib = a.parent->children;
      for (std::size_t i = 0; i < sib.size(); ++i) {
        if (&sib[i] == a.node) {
          if (b.node == a.parent || std::any_of(sib.begin(), sib.end(), [&](const dtb_node& s) { return &s == b.node; })) {
            // b is a's parent or sibling: erasing would move b in memory
            break;
          }
          sib.erase(sib.begin() + static_cast<std::ptrdiff_t>(i));
          break;
        }
      }
    }
    b.node->children.push_back(std::move(copy));
  }

  splitmix64 rng_;
  std::vector<place> places_;
};

}  // namespace thermo::fuzz
