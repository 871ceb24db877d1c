// io/fdt.hpp: the flattened device-tree reader — structure of real blobs compiled by dtc, typed
// property reads, and one test per kind of malformed blob the reader rejects.
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "fdt_support.hpp"
#include "thermo/io/fdt.hpp"

using namespace thermo;
using thermo::io::fdt::tree;
using thermo::test::fdt_builder;
using thermo::test::parse_blob;

namespace {

/// A minimal valid tree: / { a { x = <1>; }; }.
fdt_builder minimal() {
  fdt_builder b;
  b.begin("").begin("a").prop_u32("x", {1}).end().end();
  return b;
}

error parse_error_of(const std::vector<std::uint8_t>& blob) {
  auto t = parse_blob(blob);
  REQUIRE_FALSE(t.has_value());
  return t.error();
}

}  // namespace

TEST_CASE("A dtc blob parses into nodes with paths, properties and phandles", "[fdt]") {
  const auto blob = test::read_dtb("rk3399-rock960");
  auto t = parse_blob(blob);
  REQUIRE(t.has_value());
  CHECK(t->header().magic == io::fdt::fdt_magic);
  CHECK(t->header().version == 17);
  CHECK(t->header().totalsize == blob.size());
  CHECK(t->path(tree::root()) == "/");
  const auto cpu = t->find("/cpus/cpu@100");
  REQUIRE(cpu.has_value());
  CHECK(t->path(*cpu) == "/cpus/cpu@100");
  CHECK(t->base_name(*cpu) == "cpu");
  CHECK(t->unit_address(*cpu) == "100");
  CHECK(t->at(t->at(*cpu).parent).name == "cpus");
  CHECK(*t->u32(*cpu, "dynamic-power-coefficient") == 436U);
  CHECK(*t->u32(*cpu, "capacity-dmips-mhz") == 1024U);
  CHECK(*t->string(*cpu, "device_type") == "cpu");
  CHECK(t->is_compatible(*cpu, "arm,cortex-a72"));
  CHECK_FALSE(t->is_compatible(*cpu, "arm,cortex-a53"));
  CHECK(t->available(*cpu));
  // operating-points-v2 resolves through the phandle index to the table
  auto table = t->phandle_target(*cpu, "operating-points-v2");
  REQUIRE(table.has_value());
  CHECK(t->path(*table) == "/opp-table-1");
  CHECK(t->has(*table, "opp-shared"));
  CHECK(t->at(*table).phandle != 0);
  CHECK(*t->by_phandle(t->at(*table).phandle) == *table);
  // opp-hz is a 64-bit value, opp-microvolt three cells
  const auto opp = t->child(*table, "opp07");
  REQUIRE(opp.has_value());
  CHECK(*t->u64(*opp, "opp-hz") == 1'800'000'000ULL);
  const auto uv = t->cells(*opp, "opp-microvolt");
  REQUIRE(uv.has_value());
  CHECK(*uv == std::vector<std::uint32_t>{1'200'000, 1'200'000, 1'250'000});
  CHECK(t->find("/thermal-zones/cpu-thermal/trips/cpu_crit").has_value());
  CHECK_FALSE(t->find("/cpus/cpu@7").has_value());
  CHECK_FALSE(t->find("cpus").has_value());
}

TEST_CASE("Every blob compiled for the tests parses and every phandle is unique", "[fdt]") {
  for (const std::string& name : test::dtb_names()) {
    INFO(name);
    auto t = parse_blob(test::read_dtb(name));
    REQUIRE(t.has_value());
    std::vector<std::uint32_t> seen;
    for (std::int32_t n = 0; static_cast<std::size_t>(n) < t->size(); ++n) {
      CHECK(t->find(t->path(n)) == n);
      if (t->at(n).phandle != 0) {
        CHECK(std::find(seen.begin(), seen.end(), t->at(n).phandle) == seen.end());
        seen.push_back(t->at(n).phandle);
        CHECK(*t->by_phandle(t->at(n).phandle) == n);
      }
    }
    CHECK_FALSE(seen.empty());
  }
}

TEST_CASE("Typed reads reject values of the wrong shape and name node and property", "[fdt]") {
  fdt_builder b;
  b.begin("")
      .begin("n@1")
      .prop_u32("one", {7})
      .prop_u32("two", {1, 2})
      .prop("three-bytes", {1, 2, 3})
      .prop("unterminated", {'a', 'b'})
      .prop_empty("flag")
      .prop_str("s", "okay")
      .prop_u32("phandle", {5})
      .prop_u32("ref", {5})
      .prop_u32("dangling", {9})
      .end()
      .end();
  auto t = parse_blob(b.finish());
  REQUIRE(t.has_value());
  const std::int32_t n = *t->find("/n@1");
  CHECK(*t->u32(n, "one") == 7U);
  CHECK(*t->u64(n, "one") == 7U);
  CHECK(*t->u64(n, "two") == ((1ULL << 32U) | 2U));
  CHECK(*t->cells(n, "two") == std::vector<std::uint32_t>{1, 2});
  CHECK(t->has(n, "flag"));
  CHECK(*t->phandle_target(n, "ref") == n);

  auto e = t->u32(n, "two");
  REQUIRE_FALSE(e.has_value());
  CHECK(e.error().code == errc::parse_error);
  CHECK(e.error().index == n);
  CHECK(t->describe(e.error()) == "/n@1: property 'two': property is not one 32-bit cell");

  auto missing = t->u32(n, "nothing");
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == errc::not_found);
  CHECK(t->describe(missing.error(), "nothing") == "/n@1: property 'nothing': missing property");

  CHECK(t->cells(n, "three-bytes").error().code == errc::parse_error);
  CHECK(t->u64(n, "three-bytes").error().code == errc::parse_error);
  auto s = t->string(n, "unterminated");
  REQUIRE_FALSE(s.has_value());
  CHECK(t->describe(s.error()) == "/n@1: property 'unterminated': string property is not NUL-terminated");
  CHECK(t->string(n, "flag").error().code == errc::parse_error);
  auto d = t->phandle_target(n, "dangling");
  REQUIRE_FALSE(d.has_value());
  CHECK(d.error().code == errc::not_found);
  CHECK(t->describe(d.error()) == "/n@1: property 'dangling': phandle points at no node");
  CHECK(t->by_phandle(9).error().code == errc::not_found);
}

TEST_CASE("status other than okay makes a node unavailable", "[fdt]") {
  fdt_builder b;
  b.begin("").begin("a").prop_str("status", "disabled").end().begin("b").prop_str("status", "okay").end().begin("c").end().end();
  auto t = parse_blob(b.finish());
  REQUIRE(t.has_value());
  CHECK_FALSE(t->available(*t->find("/a")));
  CHECK(t->available(*t->find("/b")));
  CHECK(t->available(*t->find("/c")));
}

TEST_CASE("The reader accepts version 16 blobs and NOP tokens", "[fdt]") {
  fdt_builder b;
  b.begin("").token(io::fdt::fdt_nop).begin("a").prop_u32("x", {3}).end().token(io::fdt::fdt_nop).end();
  auto blob = b.finish(true, 16);
  auto t = parse_blob(blob);
  REQUIRE(t.has_value());
  CHECK(*t->u32(*t->find("/a"), "x") == 3U);
  CHECK(t->header().version == 16);
}

TEST_CASE("Header errors: short blob, bad magic, version, truncation, blocks out of range", "[fdt]") {
  const auto good = minimal().finish();
  REQUIRE(parse_blob(good).has_value());

  SECTION("shorter than a header") {
    const error e = parse_error_of(std::vector<std::uint8_t>(good.begin(), good.begin() + 39));
    CHECK(e.code == errc::parse_error);
    CHECK(io::fdt::describe(e) == "blob shorter than the FDT header (truncated) at offset 0x27");
  }
  SECTION("bad magic") {
    auto b = good;
    b[0] = 0xCA;
    const error e = parse_error_of(b);
    CHECK(std::string(e.what) == "bad magic: not a flattened device tree");
    CHECK(e.index == 0);
  }
  SECTION("unsupported versions") {
    auto b = good;
    test::put_be32(b, 20, 15);
    CHECK(parse_error_of(b).code == errc::not_supported);
    b = good;
    test::put_be32(b, 24, 18);
    CHECK(parse_error_of(b).code == errc::not_supported);
  }
  SECTION("totalsize beyond the data: a truncated file") {
    auto b = good;
    b.resize(b.size() - 4);
    const error e = parse_error_of(b);
    CHECK(std::string(e.what) == "blob truncated: totalsize is larger than the data");
    CHECK(e.index == 4);
  }
  SECTION("totalsize below the header") {
    auto b = good;
    test::put_be32(b, 4, 20);
    CHECK(std::string(parse_error_of(b).what) == "totalsize smaller than the header");
  }
  SECTION("structure block outside the blob") {
    auto b = good;
    test::put_be32(b, 36, 0xFFFF'FF00U);
    CHECK(std::string(parse_error_of(b).what) == "structure block outside the blob");
    b = good;
    test::put_be32(b, 8, 8);  // overlaps the header
    CHECK(parse_error_of(b).code == errc::out_of_range);
  }
  SECTION("structure block misaligned") {
    auto b = good;
    test::put_be32(b, 8, test::get_be32(b, 8) + 2);
    test::put_be32(b, 36, test::get_be32(b, 36) - 4);
    CHECK(std::string(parse_error_of(b).what) == "structure block not 4-byte aligned");
  }
  SECTION("strings block outside the blob") {
    auto b = good;
    test::put_be32(b, 12, 0x7FFF'FFF0U);
    CHECK(std::string(parse_error_of(b).what) == "strings block outside the blob");
    b = good;
    test::put_be32(b, 32, 0xFFFF'FFFFU);
    CHECK(std::string(parse_error_of(b).what) == "strings block outside the blob");
  }
  SECTION("memory reservation map misplaced, misaligned or unterminated") {
    auto b = good;
    test::put_be32(b, 16, 0x10000);
    CHECK(std::string(parse_error_of(b).what) == "memory reservation map outside the blob");
    b = good;
    test::put_be32(b, 16, 44);
    CHECK(std::string(parse_error_of(b).what) == "memory reservation map not 8-byte aligned");
    b = good;
    b[40 + 15] = 1;  // the terminator (0, 0) becomes an entry; what follows never terminates
    for (std::size_t k = 56; k < b.size(); ++k) {
      b[k] = 0xFF;
    }
    CHECK(std::string(parse_error_of(b).what) == "memory reservation map not terminated");
  }
}

TEST_CASE("Structure errors: tokens, names, nesting and properties", "[fdt]") {
  SECTION("unknown token") {
    fdt_builder b;
    b.begin("").token(7).end();
    const error e = parse_error_of(b.finish());
    CHECK(std::string(e.what) == "unknown structure token");
    CHECK(e.index == static_cast<std::int32_t>(fdt_builder::struct_offset + 8));
    CHECK(e.index2 == 7);
  }
  SECTION("no FDT_END") {
    fdt_builder b;
    b.begin("").end();
    CHECK(std::string(parse_error_of(b.finish(false)).what) == "structure block ends without FDT_END");
  }
  SECTION("FDT_END inside a node") {
    fdt_builder b;
    b.begin("").begin("a");
    CHECK(std::string(parse_error_of(b.finish()).what) == "FDT_END inside an open node");
  }
  SECTION("FDT_END_NODE without a node") {
    fdt_builder b;
    b.begin("").end().end();
    CHECK(std::string(parse_error_of(b.finish()).what) == "FDT_END_NODE without an open node");
  }
  SECTION("no root at all") {
    fdt_builder b;
    CHECK(std::string(parse_error_of(b.finish()).what) == "no root node");
  }
  SECTION("a second root") {
    fdt_builder b;
    b.begin("").end().begin("").end();
    CHECK(std::string(parse_error_of(b.finish()).what) == "a second root node");
  }
  SECTION("root with a name, empty child name, malformed unit address") {
    fdt_builder r;
    r.begin("x").end();
    CHECK(std::string(parse_error_of(r.finish()).what) == "root node name is not empty");
    fdt_builder c;
    c.begin("").begin("").end().end();
    CHECK(std::string(parse_error_of(c.finish()).what) == "empty node name");
    fdt_builder u;
    u.begin("").begin("a@1@2").end().end();
    CHECK(std::string(parse_error_of(u.finish()).what) == "malformed node name (unit address)");
  }
  SECTION("node names: invalid character, too long, unterminated") {
    fdt_builder b;
    b.begin("").begin("bad name").end().end();
    const error e = parse_error_of(b.finish());
    CHECK(std::string(e.what) == "node name has an invalid character");
    CHECK(e.index2 == ' ');
    fdt_builder l;
    l.begin("").begin(std::string(300, 'a')).end().end();
    CHECK(std::string(parse_error_of(l.finish()).what) == "node name too long");
    // put FDT_BEGIN_NODE then 8 letters with no NUL as the last bytes of the structure block
    fdt_builder v;
    v.begin("");
    auto b2 = v.finish(false);
    std::vector<std::uint8_t> tail{0, 0, 0, 1, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'};
    b2.insert(b2.end(), tail.begin(), tail.end());
    test::put_be32(b2, 4, static_cast<std::uint32_t>(b2.size()));
    test::put_be32(b2, 36, test::get_be32(b2, 36) + static_cast<std::uint32_t>(tail.size()));
    test::put_be32(b2, 12, static_cast<std::uint32_t>(b2.size()));  // empty strings block at the end
    CHECK(std::string(parse_error_of(b2).what) == "node name not NUL-terminated");
  }
  SECTION("nesting deeper than the limit") {
    fdt_builder b;
    b.begin("");
    for (int k = 0; k < 70; ++k) {
      b.begin("n");
    }
    for (int k = 0; k < 71; ++k) {
      b.end();
    }
    const error e = parse_error_of(b.finish());
    CHECK(e.code == errc::capacity_exceeded);
    CHECK(std::string(e.what) == "nodes nested deeper than the limit");
    io::fdt::limits lim;
    lim.max_depth = 100;
    CHECK(io::fdt::tree::parse(std::span<const std::uint8_t>(b.finish()), lim).has_value());
  }
  SECTION("more nodes than the limit") {
    fdt_builder b;
    b.begin("");
    for (int k = 0; k < 10; ++k) {
      b.begin("n@" + std::to_string(k)).end();
    }
    b.end();
    io::fdt::limits lim;
    lim.max_nodes = 5;
    auto t = io::fdt::tree::parse(std::span<const std::uint8_t>(b.finish()), lim);
    REQUIRE_FALSE(t.has_value());
    CHECK(std::string(t.error().what) == "more nodes than the limit");
  }
  SECTION("property outside any node, after a subnode, repeated") {
    fdt_builder o;
    o.prop_u32("x", {1}).begin("").end();
    CHECK(std::string(parse_error_of(o.finish()).what) == "property outside any node");
    fdt_builder a;
    a.begin("").begin("c").end().prop_u32("x", {1}).end();
    CHECK(std::string(parse_error_of(a.finish()).what) == "property after a subnode");
    fdt_builder r;
    r.begin("").prop_u32("x", {1}).prop_u32("x", {2}).end();
    const error e = parse_error_of(r.finish());
    CHECK(e.code == errc::already_exists);
    CHECK(std::string(e.what) == "property repeated in one node");
  }
  SECTION("property value or header past the structure block") {
    fdt_builder b;
    b.begin("").prop_u32("x", {1, 2}).end();
    auto blob = b.finish();
    const std::size_t len_at = fdt_builder::struct_offset + 8 + 4;
    test::put_be32(blob, len_at, 0x1000);
    const error e = parse_error_of(blob);
    CHECK(std::string(e.what) == "property value runs past the structure block");
    CHECK(e.index == static_cast<std::int32_t>(fdt_builder::struct_offset + 8));
    fdt_builder h;
    h.begin("").token(io::fdt::fdt_prop);
    CHECK(std::string(parse_error_of(h.finish(false)).what) == "property header runs past the structure block");
  }
  SECTION("property names: offset outside the strings block, unterminated, invalid, empty") {
    fdt_builder b;
    b.begin("").prop_at(0x100, {0, 0, 0, 1}).end();
    const error e = parse_error_of(b.finish());
    CHECK(e.code == errc::out_of_range);
    CHECK(std::string(e.what) == "property name offset outside the strings block");
    CHECK(e.index2 == 0x100);
    fdt_builder u;
    u.raw_strings("abc").begin("").prop_at(0, {}).end();
    CHECK(std::string(parse_error_of(u.finish()).what) == "property name not NUL-terminated in the strings block");
    fdt_builder i;
    i.raw_strings(std::string("a b") + '\0').begin("").prop_at(0, {}).end();
    CHECK(std::string(parse_error_of(i.finish()).what) == "property name has an invalid character");
    fdt_builder z;
    z.raw_strings(std::string(1, '\0')).begin("").prop_at(0, {}).end();
    CHECK(std::string(parse_error_of(z.finish()).what) == "empty property name");
    fdt_builder l;
    l.raw_strings(std::string(400, 'p') + '\0').begin("").prop_at(0, {}).end();
    CHECK(std::string(parse_error_of(l.finish()).what) == "property name too long");
  }
}

TEST_CASE("Phandle errors: wrong size, reserved values, disagreement, duplicates", "[fdt]") {
  SECTION("not one cell") {
    fdt_builder b;
    b.begin("").begin("a").prop_u32("phandle", {1, 2}).end().end();
    CHECK(std::string(parse_error_of(b.finish()).what) == "phandle property is not one 32-bit cell");
  }
  SECTION("0 and 0xffffffff are not phandles") {
    fdt_builder b;
    b.begin("").begin("a").prop_u32("phandle", {0}).end().end();
    CHECK(std::string(parse_error_of(b.finish()).what) == "phandle value 0 or 0xffffffff");
    fdt_builder c;
    c.begin("").begin("a").prop_u32("linux,phandle", {0xFFFF'FFFFU}).end().end();
    CHECK(std::string(parse_error_of(c.finish()).what) == "phandle value 0 or 0xffffffff");
  }
  SECTION("phandle and linux,phandle must agree") {
    fdt_builder b;
    b.begin("").begin("a").prop_u32("phandle", {1}).prop_u32("linux,phandle", {2}).end().end();
    CHECK(std::string(parse_error_of(b.finish()).what) == "phandle and linux,phandle differ");
    fdt_builder ok;
    ok.begin("").begin("a").prop_u32("phandle", {3}).prop_u32("linux,phandle", {3}).end().end();
    auto t = parse_blob(ok.finish());
    REQUIRE(t.has_value());
    CHECK(*t->by_phandle(3) == *t->find("/a"));
  }
  SECTION("two nodes with one phandle") {
    fdt_builder b;
    b.begin("").begin("a").prop_u32("phandle", {4}).end().begin("b").prop_u32("phandle", {4}).end().end();
    const error e = parse_error_of(b.finish());
    CHECK(e.code == errc::already_exists);
    CHECK(std::string(e.what) == "two nodes have the same phandle");
    CHECK(e.index != e.index2);
  }
}

TEST_CASE("read_file reports a missing file as an I/O error", "[fdt]") {
  auto t = io::fdt::tree::read_file("/nonexistent/board.dtb");
  REQUIRE_FALSE(t.has_value());
  CHECK(t.error().code == errc::io_error);
  auto ok = io::fdt::tree::read_file(std::string(THERMO_DTB_DIR) + "/hi3660-hikey960.dtb");
  REQUIRE(ok.has_value());
  CHECK(ok->find("/thermal-zones/cls0-thermal").has_value());
}

TEST_CASE("read_file says why it cannot read: a directory, an endless stream, a blob over the limit", "[fdt][limits]") {
  std::string message;
  auto dir = io::fdt::tree::read_file("/tmp", {}, &message);
  REQUIRE_FALSE(dir.has_value());
  CHECK(dir.error().code == errc::io_error);
  CHECK(message == "cannot read '/tmp': Is a directory");
  // /dev/zero never ends: the read stops at the 16 MiB limit of a blob
  auto zero = io::fdt::tree::read_file("/dev/zero", {}, &message);
  REQUIRE_FALSE(zero.has_value());
  CHECK(zero.error().code == errc::capacity_exceeded);
  CHECK(message == "'/dev/zero' is larger than the 16 MiB limit of a device-tree blob");
  STATIC_REQUIRE(io::fdt::max_blob_bytes == std::size_t{16} << 20U);
  // parse checks the limit before it copies anything
  io::fdt::limits lim;
  lim.max_bytes = 100;
  fdt_builder b;
  b.begin("").prop_str("model", std::string(200, 'm')).end();
  const auto blob = b.finish();
  auto big = io::fdt::tree::parse(std::span<const std::uint8_t>(blob), lim);
  REQUIRE_FALSE(big.has_value());
  CHECK(big.error().code == errc::capacity_exceeded);
  CHECK(std::string(big.error().what) == "blob larger than the size limit (16 MiB by default)");
}

TEST_CASE("100000 properties on one node parse in linear-logarithmic time, and a repeat among them is found", "[fdt][limits]") {
  // built by hand: the test builder's name lookup is itself linear per name
  constexpr std::uint32_t count = 100'000;
  fdt_builder b;
  std::string names;
  std::vector<std::uint32_t> offsets;
  for (std::uint32_t k = 0; k < count; ++k) {
    offsets.push_back(static_cast<std::uint32_t>(names.size()));
    names += 'p';
    names += std::to_string(k);
    names += '\0';
  }
  b.raw_strings(names);
  b.begin("");
  for (const std::uint32_t o : offsets) {
    b.prop_at(o, {0, 0, 0, 1});
  }
  SECTION("all distinct: parses") {
    b.end();
    auto t = parse_blob(b.finish());
    REQUIRE(t.has_value());
    CHECK(t->properties(tree::root()).size() == count);
  }
  SECTION("the last one repeats an early one: the repeat and the first are named") {
    b.prop_at(offsets[7], {0, 0, 0, 2}).prop_at(offsets[3], {0, 0, 0, 2}).end();
    const error e = parse_error_of(b.finish());
    CHECK(e.code == errc::already_exists);
    CHECK(std::string(e.what) == "property repeated in one node");
    // the first repeat in blob order is p7's (the 100,001st property); index2 = p7's first
    constexpr std::int32_t first_prop = fdt_builder::struct_offset + 8;  // after the root's token and name
    constexpr std::int32_t prop_size = 16;                              // token, len, nameoff, one cell
    CHECK(e.index2 == first_prop + 7 * prop_size);
    CHECK(e.index == first_prop + static_cast<std::int32_t>(count) * prop_size);
  }
  SECTION("more properties than the limit: refused before the repeat check") {
    b.end();
    io::fdt::limits lim;
    lim.max_properties = 1000;
    const auto blob = b.finish();
    auto t = io::fdt::tree::parse(std::span<const std::uint8_t>(blob), lim);
    REQUIRE_FALSE(t.has_value());
    CHECK(t.error().code == errc::capacity_exceeded);
    CHECK(std::string(t.error().what) == "more properties than the limit");
  }
}

TEST_CASE("A repeated property is reported at its first repeat in blob order, whatever the names' order", "[fdt]") {
  fdt_builder b;
  b.begin("").prop_u32("z", {1}).prop_u32("a", {1}).prop_u32("z", {2}).prop_u32("a", {2}).end();
  const error e = parse_error_of(b.finish());
  CHECK(e.code == errc::already_exists);
  constexpr std::int32_t first_prop = fdt_builder::struct_offset + 8;
  CHECK(e.index == first_prop + 2 * 16);  // the second "z"
  CHECK(e.index2 == first_prop);          // the first "z"
  fdt_builder c;  // a repeat in a node with children is found before the children are read
  c.begin("").prop_u32("x", {1}).prop_u32("x", {1}).begin("n").end().end();
  CHECK(parse_error_of(c.finish()).code == errc::already_exists);
}

TEST_CASE("Sibling nodes with one name are refused, as dtc refuses them", "[fdt][validation]") {
  // A path such as /a/x could name either node: the tree is ambiguous (found by the DTB fuzz
  // target; fuzz/regressions/dtb/duplicate-sibling-names*.dtb).
  fdt_builder b;
  b.begin("").begin("a").begin("x").end().begin("y").end().begin("x").end().end().end();
  const auto e = parse_error_of(b.finish());
  CHECK(e.code == errc::already_exists);
  CHECK(std::string(e.what) == "node name repeated among siblings");
  CHECK(e.index > e.index2);  // at the second, naming the first
  // Same names under different parents, and names differing only in the unit address, are fine.
  fdt_builder ok;
  ok.begin("").begin("a").begin("x").end().end().begin("b").begin("x").end().begin("x@1").end().end().end();
  CHECK(parse_blob(ok.finish()).has_value());
}
