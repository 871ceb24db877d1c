// Mutated blobs: every blob compiled for the tests is truncated, bit-flipped, given bad header
// fields, bad tokens, bad property lengths and name offsets, unterminated strings, duplicate /
// self-referencing / dangling phandles and bad #cells — about 2500 variants, deterministic
// (fixed seeds). Each must parse to a clean error or to a tree whose every read and whose import
// give values or clean errors: never a crash, an out-of-bounds read (the sanitize workflow runs
// this under ASan/UBSan) or an error without a message.
#include <catch2/catch.hpp>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "fdt_support.hpp"
// NOLINTBEGIN(cppcoreguidelines-macro-usage)
#include "thermo/core/prng.hpp"
#include "thermo/io/dt_import.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/schema/soc.hpp"

using namespace thermo;

namespace {

struct tally {
  std::size_t failures{0};
  std::string first_failure;
  std::size_t blobs{0};
  std::size_t parsed{0};
  std::size_t imported{0};
  std::set<std::string> parse_errors;
  std::set<std::string> import_errors;
};

/// Records a broken invariant (checked once at the end: Catch assertions in this loop would
/// cost more than the parsing).
#define FUZZ_EXPECT(cond)                                            \
  do {                                                               \
    if (!(cond)) {                                                   \
      ++t.failures;                                                  \
      if (t.first_failure.empty()) {                                 \
        t.first_failure = std::string(#cond) + " (blob " + std::to_string(t.blobs) + ")"; \
      }                                                              \
    }                                                                \
  } while (false)

template <class R>
bool clean(const io::fdt::tree& tree, const R& r) {
  return r.has_value() || (r.error().code != errc::ok && !tree.describe(r.error()).empty());
}

/// Exercises everything a consumer might do with a blob; checks the invariants.
void exercise(const std::vector<std::uint8_t>& blob, tally& t) {
  ++t.blobs;
  auto tr = test::parse_blob(blob);
  if (!tr) {
    FUZZ_EXPECT(tr.error().code != errc::ok);
    FUZZ_EXPECT(std::string(tr.error().what).size() > 3);
    FUZZ_EXPECT(!io::fdt::describe(tr.error()).empty());
    t.parse_errors.insert(tr.error().what);
    return;
  }
  ++t.parsed;
  const io::fdt::tree& tree = *tr;
  FUZZ_EXPECT(tree.size() >= 1);
  for (std::int32_t n = 0; static_cast<std::size_t>(n) < tree.size(); ++n) {
    const io::fdt::node& d = tree.at(n);
    FUZZ_EXPECT((n == 0) == (d.parent < 0));
    FUZZ_EXPECT(tree.find(tree.path(n)).has_value());
    for (const io::fdt::property& p : tree.properties(n)) {
      // every typed read answers with a value or a clean error
      FUZZ_EXPECT(clean(tree, tree.u32(n, p.name)));
      FUZZ_EXPECT(clean(tree, tree.u64(n, p.name)));
      FUZZ_EXPECT(clean(tree, tree.cells(n, p.name)));
      FUZZ_EXPECT(clean(tree, tree.strings(n, p.name)));
      FUZZ_EXPECT(clean(tree, tree.phandle_target(n, p.name)));
      FUZZ_EXPECT(clean(tree, io::parse_phandle_args(tree, n, p.name, "#cooling-cells")));
    }
  }
  for (const bool strict : {false, true}) {
    io::dt_import_options opt;
    opt.strict = strict;
    std::string msg;
    auto soc = io::import_device_tree(tree, opt, &msg);
    if (!soc) {
      FUZZ_EXPECT(soc.error().code != errc::ok);
      FUZZ_EXPECT(!msg.empty());
      t.import_errors.insert(soc.error().what);
      continue;
    }
    ++t.imported;
    const schema::soc_description& d = soc->description();
    for (const auto& cl : d.clusters) {
      FUZZ_EXPECT(!cl.opps.empty());
      FUZZ_EXPECT(!cl.cpu_ids.empty());
      static_cast<void>(schema::make_cluster_em(cl));
    }
    for (const auto& dv : d.devices) {
      static_cast<void>(schema::make_device_em(dv));
    }
    for (const auto& c : d.cooling_devices) {
      if (c.type == schema::cooling_device_type::cpufreq) {
        FUZZ_EXPECT(static_cast<std::size_t>(c.domain) < d.clusters.size());
        FUZZ_EXPECT(c.max_state + 1 == d.clusters[static_cast<std::size_t>(c.domain)].opps.size());
      }
    }
    for (const auto& z : d.thermal_zones) {
      FUZZ_EXPECT(z.name.size() < 20);
      for (const auto& m : z.cooling_maps) {
        FUZZ_EXPECT(m.trip < z.trips.size());
        for (const auto& e : m.devices) {
          FUZZ_EXPECT(e.cooling_device < static_cast<std::int32_t>(d.cooling_devices.size()));
        }
      }
    }
    for (const io::dt_problem& p : soc->problems()) {
      FUZZ_EXPECT(!p.message.empty());
    }
  }
}

/// Offsets of the properties called `name` (their FDT_PROP tokens) and of every phandle.
struct landmarks {
  std::vector<std::size_t> prop_tokens;  // every FDT_PROP token
  std::vector<std::size_t> phandle_values;  // value offset of every "phandle" property
  std::vector<std::uint32_t> phandles;
  std::vector<std::size_t> reference_values;  // value offset of properties that hold phandles
  std::vector<std::size_t> cells_values;      // value offset of #…-cells properties
};

landmarks find_landmarks(const std::vector<std::uint8_t>& blob) {
  landmarks l;
  auto tr = test::parse_blob(blob);
  REQUIRE(tr.has_value());
  for (std::int32_t n = 0; static_cast<std::size_t>(n) < tr->size(); ++n) {
    for (const io::fdt::property& p : tr->properties(n)) {
      l.prop_tokens.push_back(p.offset);
      const std::size_t value = p.offset + 12;
      if (p.name == "phandle") {
        l.phandle_values.push_back(value);
        l.phandles.push_back(io::fdt::load_be32(p.value.data()));
      } else if (p.name == "operating-points-v2" || p.name == "trip" || p.name == "cooling-device" ||
                 p.name == "thermal-sensors") {
        l.reference_values.push_back(value);
      } else if (p.name.size() > 6 && p.name.front() == '#' && p.name.substr(p.name.size() - 6) == "-cells") {
        l.cells_values.push_back(value);
      }
    }
  }
  return l;
}

}  // namespace

TEST_CASE("Mutated blobs give clean errors or consistent trees, never a crash", "[fdt][fuzz]") {
  tally t;
  splitmix64 rng(0x7E57'F00DULL);
  const auto below = [&](std::size_t n) -> std::size_t {
    if (n == 0) {
      return 0;
    }
    const std::size_t r = rng() % n;
    return r;
  };
  for (const std::string& name : test::dtb_names()) {
    INFO(name);
    const std::vector<std::uint8_t> good = test::read_dtb(name);
    exercise(good, t);
    const landmarks lm = find_landmarks(good);
    const std::size_t size = good.size();
    const std::size_t off_struct = test::get_be32(good, 8);
    const std::size_t off_strings = test::get_be32(good, 12);

    // truncation: plain (the header then says the blob is longer) and with the header fixed up
    // so the parser walks a structure block cut anywhere
    for (std::size_t len = 0; len < size; len += (len < 48 ? 1 : size / 24)) {
      std::vector<std::uint8_t> b(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(len));
      exercise(b, t);
      if (len > off_struct + 4 && len < off_strings) {
        std::vector<std::uint8_t> c = b;
        test::put_be32(c, 4, static_cast<std::uint32_t>(len));
        test::put_be32(c, 36, static_cast<std::uint32_t>(len - off_struct));
        test::put_be32(c, 12, static_cast<std::uint32_t>(len));
        test::put_be32(c, 32, 0);
        exercise(c, t);
      }
    }
    // single bit flips anywhere, and runs of random bytes
    for (int k = 0; k < 60; ++k) {
      std::vector<std::uint8_t> b = good;
      const std::size_t at = below(size);
      b[at] = static_cast<std::uint8_t>(b[at] ^ (1U << below(8)));
      exercise(b, t);
    }
    for (int k = 0; k < 20; ++k) {
      std::vector<std::uint8_t> b = good;
      const std::size_t at = below(size);
      for (std::size_t j = at; j < std::min(size, at + 1 + below(16)); ++j) {
        b[j] = static_cast<std::uint8_t>(rng());
      }
      exercise(b, t);
    }
    // header fields set to edge values
    for (std::size_t field = 0; field < 10; ++field) {
      for (const std::uint64_t v : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0xFFFF'FFFFU}, std::uint64_t{0x7FFF'FFFFU},
                                    std::uint64_t{size}, std::uint64_t{size - 1}, std::uint64_t{size + 1}, std::uint64_t{40},
                                    rng() & 0xFFFF'FFFFU}) {
        std::vector<std::uint8_t> b = good;
        test::put_be32(b, 4 * field, static_cast<std::uint32_t>(v));
        exercise(b, t);
      }
    }
    // structure tokens replaced by other tokens or garbage
    for (int k = 0; k < 30; ++k) {
      std::vector<std::uint8_t> b = good;
      const std::size_t at = off_struct + 4 * below((off_strings - off_struct) / 4);
      const std::uint32_t tokens[] = {1, 2, 3, 4, 9, 0, static_cast<std::uint32_t>(rng())};
      test::put_be32(b, at, tokens[below(7)]);
      exercise(b, t);
    }
    // property lengths and name offsets
    for (int k = 0; k < 30 && !lm.prop_tokens.empty(); ++k) {
      std::vector<std::uint8_t> b = good;
      const std::size_t tok = lm.prop_tokens[below(lm.prop_tokens.size())];
      const std::uint32_t len = test::get_be32(b, tok + 4);
      const std::uint32_t strings = test::get_be32(b, 32);
      const std::uint32_t lens[] = {0, len + 1, len - 1, len + 4, 0x7FFF'FFFFU, 0xFFFF'FFFFU, static_cast<std::uint32_t>(size)};
      const std::uint32_t offs[] = {strings, strings - 1, 0xFFFF'FFFFU, static_cast<std::uint32_t>(rng()) % (strings + 1)};
      if (k % 2 == 0) {
        test::put_be32(b, tok + 4, lens[below(7)]);
      } else {
        test::put_be32(b, tok + 8, offs[below(4)]);
      }
      exercise(b, t);
    }
    // unterminated and overlong strings: NULs in the strings block and in node names replaced
    for (int k = 0; k < 20; ++k) {
      std::vector<std::uint8_t> b = good;
      const bool in_strings = k % 2 == 0;
      const std::size_t from = in_strings ? off_strings : off_struct;
      const std::size_t to = in_strings ? size : off_strings;
      std::size_t at = from + below(to - from);
      while (at < to && b[at] != 0) {
        ++at;
      }
      for (std::size_t j = at; j < std::min(to, at + 1 + below(300)); ++j) {
        b[j] = 'a';
      }
      exercise(b, t);
    }
    // phandles: duplicates, reserved values, self references, dangling references, bad #cells
    for (int k = 0; k < 48 && !lm.phandle_values.empty(); ++k) {
      std::vector<std::uint8_t> b = good;
      switch (k % 4) {
        case 0: {  // one node takes another's phandle
          const std::size_t a = lm.phandle_values[below(lm.phandle_values.size())];
          test::put_be32(b, a, lm.phandles[below(lm.phandles.size())]);
          if (k % 8 == 0) {
            test::put_be32(b, a, k % 16 == 0 ? 0U : 0xFFFF'FFFFU);
          }
          break;
        }
        case 1: {  // a reference points back at its own node or at any other node (loops)
          if (lm.reference_values.empty()) {
            break;
          }
          const std::size_t r = lm.reference_values[below(lm.reference_values.size())];
          test::put_be32(b, r, lm.phandles[below(lm.phandles.size())]);
          break;
        }
        case 2: {  // dangling reference
          if (lm.reference_values.empty()) {
            break;
          }
          test::put_be32(b, lm.reference_values[below(lm.reference_values.size())], 0xABCD'0000U + static_cast<std::uint32_t>(k));
          break;
        }
        default: {  // #cooling-cells / #thermal-sensor-cells: 0, 1, 3, 17, huge
          if (lm.cells_values.empty()) {
            break;
          }
          const std::uint32_t v[] = {0, 1, 3, 17, 0xFFFF'FFFFU};
          test::put_be32(b, lm.cells_values[below(lm.cells_values.size())], v[below(5)]);
          break;
        }
      }
      exercise(b, t);
    }
  }
  // the mutations reach deep: many different rules fire, and many variants still import
  INFO("parse errors seen: " << t.parse_errors.size() << ", import errors seen: " << t.import_errors.size());
  INFO("first broken invariant: " << t.first_failure);
  CHECK(t.failures == 0);
  CHECK(t.blobs > 2000);
  CHECK(t.parse_errors.size() >= 25);
  CHECK(t.imported > 300);
  CHECK(t.parse_errors.count("two nodes have the same phandle") == 1);
  CHECK(t.parse_errors.count("blob truncated: totalsize is larger than the data") == 1);
  CHECK(t.parse_errors.count("structure block ends without FDT_END") == 1);
  CHECK(t.parse_errors.count("property name not NUL-terminated in the strings block") == 1);
  CHECK_FALSE(t.import_errors.empty());
}
// NOLINTEND(cppcoreguidelines-macro-usage)
