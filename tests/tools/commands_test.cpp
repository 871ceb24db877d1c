// Issue 16, "the other commands meet the same standard": `thermo info` shows the Energy Model
// per OPP and has --json (parsed back with io/json.hpp); device-tree source given where a blob
// is expected gets the dtc command; `thermo boot` prices a cluster with its own core's
// decompressor profile or says which one stands in; boot prints energy; `boot` and `latency`
// take --plot.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "thermo/io/json.hpp"

using namespace thermo;
using namespace thermo::cli;
namespace fs = std::filesystem;

namespace {

struct ran {
  int code;
  std::string out;
  std::string err;
};
ran run(std::string_view cmd, std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* old = std::cout.rdbuf(out.rdbuf());
  const int code = dispatch(cmd, std::move(args), err);
  std::cout.rdbuf(old);
  return {code, out.str(), err.str()};
}

/// A fresh, empty folder of this test's own under the build tree.
std::string fresh_dir(const std::string& name) {
  const fs::path d = fs::path(THERMO_BINARY_DIR) / "commands_test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}

std::size_t files_in(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    static_cast<void>(e);
    ++n;
  }
  return n;
}

std::string dtb(const std::string& name) { return std::string(THERMO_DTB_DIR) + "/" + name + ".dtb"; }
std::string dts(const std::string& name) { return std::string(THERMO_TEST_DATA_DIR) + "/dts/" + name + ".dts"; }

std::string slurp(const std::string& path) {
  auto t = read_input(path);
  REQUIRE(t.ok());
  return *t;
}

}  // namespace

// ------------------------------------------------------------------ info: Energy Model

TEST_CASE("thermo info prints each OPP's Energy Model state as the kernel computes it", "[info][cli]") {
  const ran r = run("info", {"--soc", "rk3399"});
  REQUIRE(r.code == exit_ok);
  // the A72 at 1.8 GHz, 1.2 V, C = 436: P = floor(436 · 1200² · 1800 / 10⁶) µW
  const microwatts p = power::em_dt_power(436, microvolts(1'200'000), kilohertz(1'800'000));
  REQUIRE(p.count() == 1'130'112);
  const schema::soc_description* soc = presets::find_soc("rk3399");
  REQUIRE(soc != nullptr);
  const schema::cpu_cluster_desc* big = soc->find_cluster("big");
  REQUIRE(big != nullptr);
  const auto em = schema::make_cluster_em(*big);
  REQUIRE(em.has_value());
  const auto& top = em->states().back();
  CHECK(top.power == p);
  const std::string row = io::format_printf("  %10u %9s %12lld %6u %10llu %10.1f\n", 1'800'000U, "1200", static_cast<long long>(p.count()),
                                            top.performance, static_cast<unsigned long long>(top.cost),
                                            static_cast<double>(top.performance) / (static_cast<double>(p.count()) * 1e-6));
  CHECK(r.out.find(row) != std::string::npos);
  CHECK(r.out.find("  Energy Model: P = C·V²·f, C = 436 µW/(MHz·V²) (dynamic-power-coefficient), per CPU; cost = 10·P/perf") !=
        std::string::npos);
  // the kernel marks the A72's 408 and 600 MHz states inefficient (816 MHz costs no more)
  CHECK(r.out.find("      408000       825       121075    232       5218     1916.2  inefficient\n") != std::string::npos);
  // a GPU: frequency per watt instead of performance and cost
  CHECK(r.out.find("         kHz        mV    power µW      MHz/W\n") != std::string::npos);
  // opp-microwatt instead of a coefficient, and a boost OPP
  const ran edge = run("info", {"--dtb", dtb("import-edge-cases")});
  REQUIRE(edge.code == exit_ok);
  CHECK(edge.out.find("  Energy Model: P from opp-microwatt, per CPU; cost = 10·P/perf (Linux 6.9+)\n") != std::string::npos);
  CHECK(edge.out.find("     1500000      1100       500000   1024       4882     2048.0  turbo\n") != std::string::npos);
  // no coefficient: no Energy Model, and why
  const ran n2 = run("info", {"--dtb", dtb("g12b-odroid-n2")});
  REQUIRE(n2.code == exit_ok);
  CHECK(n2.out.find("no Energy Model (no dynamic-power-coefficient or opp-microwatt)\n") != std::string::npos);
  CHECK(n2.out.find("Energy Model: P") == std::string::npos);
}

TEST_CASE("thermo info --json is the whole description, valid JSON in a fixed key order", "[info][cli][json]") {
  const ran r = run("info", {"--soc", "rk3399", "--json"});
  REQUIRE(r.code == exit_ok);
  auto doc = io::parse_json(r.out);
  INFO(r.out.substr(0, 400));
  REQUIRE(doc.has_value());
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc->as_object()) {
    keys.push_back(k);
  }
  CHECK(keys == std::vector<std::string>{"soc", "clusters", "devices", "cooling_devices", "zones", "not_registered", "notes"});
  CHECK(doc->at("soc").at("id").as_string() == "rk3399");
  const auto& big = doc->at("clusters")[1];
  CHECK(big.at("name").as_string() == "big");
  CHECK(big.at("compatible").as_string() == "arm,cortex-a72");
  CHECK(big.at("energy_model").as_bool());
  CHECK(big.at("dynamic_power_coefficient").as_int64() == 436);
  const auto& top = big.at("opps")[7];
  CHECK(top.at("frequency_khz").as_int64() == 1'800'000);
  CHECK(top.at("voltage_uv").as_int64() == 1'200'000);
  CHECK(top.at("power_uw").as_int64() == 1'130'112);
  CHECK(top.at("performance").as_int64() == 1024);
  CHECK(big.at("opps")[0].at("inefficient").as_bool());
  CHECK(doc->at("devices")[0].at("opps")[5].at("power_uw").as_int64() == 2'555'520);
  const auto& zone = doc->at("zones")[0];
  CHECK(zone.at("name").as_string() == "cpu-thermal");
  CHECK(zone.at("polling_delay_ms").as_int64() == 1000);
  CHECK(zone.at("polling_delay_passive_ms").as_int64() == 100);
  CHECK(zone.at("sustainable_power_mw").as_int64() == 1550);
  CHECK(zone.at("trips").size() == 3);
  CHECK(zone.at("trips")[2].at("type").as_string() == "critical");
  const auto& entry = zone.at("cooling_maps")[0].at("devices")[0];
  CHECK(entry.at("lower").is_null());  // THERMAL_NO_LIMIT
  CHECK(entry.at("cooling_device").is_string());
  // the same bytes every time
  CHECK(run("info", {"--soc", "rk3399", "--json"}).out == r.out);
}

TEST_CASE("thermo info --json parses back for every preset and every test device tree", "[info][cli][json]") {
  for (const char* soc : {"rk3399", "hi3660", "mt8183", "mt8173", "exynos5422", "rk3588"}) {
    INFO(soc);
    const ran r = run("info", {"--soc", soc, "--json"});
    REQUIRE(r.code == exit_ok);
    CHECK(io::parse_json(r.out).has_value());
  }
  for (const auto& e : fs::directory_iterator(THERMO_DTB_DIR)) {
    const std::string path = e.path().string();
    INFO(path);
    const ran r = run("info", {"--dtb", path, "--json"});
    REQUIRE(r.code == exit_ok);
    auto doc = io::parse_json(r.out);
    REQUIRE(doc.has_value());
    if (path.find("import-edge-cases") != std::string::npos) {
      CHECK(doc->at("not_registered").size() == 5);
      CHECK(doc->at("notes").size() == 3);
      const auto& boost = doc->at("clusters")[0].at("opps")[2];
      CHECK(boost.at("turbo").as_bool());
      CHECK(boost.at("opp_microwatt").as_int64() == 500'000);
      CHECK(boost.at("power_uw").as_int64() == 500'000);
    }
    if (path.find("g12b-odroid-n2") != std::string::npos) {
      const auto& little = doc->at("clusters")[0];
      CHECK_FALSE(little.at("energy_model").as_bool());
      CHECK(little.at("energy_model_error").is_string());
      CHECK(little.at("opps")[0].find("power_uw") == nullptr);
    }
  }
}

TEST_CASE("thermo info --json refuses what it does not take, with one line", "[info][cli][json]") {
  const ran file = run("info", {"--soc", "rk3399", "--json", "out.json"});
  CHECK(file.code == exit_usage);
  CHECK(file.out.empty());
  CHECK(file.err == "thermo info: unexpected argument 'out.json' (see thermo info --help)\n");
  CHECK(run("info", {"--soc", "rk3399", "--json=yes"}).err == "thermo info: unknown option '--json=yes' (see thermo info --help)\n");
  CHECK(run("info", {"--json"}).err == "thermo info: give exactly one of --dtb FILE and --soc PRESET (see thermo info --help)\n");
  CHECK(run("info", {"--soc", "z80", "--json"}).code == exit_usage);
}

// ------------------------------------------------------------------ .dts for a .dtb

TEST_CASE("Device-tree source given where a blob is expected gets the dtc command that compiles it", "[dts][cli]") {
  const std::string src = dts("rk3399-rock960");
  const std::string stem = src.substr(0, src.size() - 4);
  const std::string hint = "'" + src + "' is device-tree source, not a blob: compile it with dtc -I dts -O dtb -o " + stem + ".dtb " + src;
  CHECK(run("info", {"--dtb", src}).err == "thermo info: " + hint + "\n");
  CHECK(run("latency", {"--dtb", src, "--zone", "cpu-thermal"}).err == "thermo latency: " + hint + "\n");
  CHECK(run("boot", {"--dtb", src, "--cluster", "big"}).err == "thermo boot: " + hint + "\n");
  const ran rp = run("replay", {"--dtb", src, "--zone", "cpu-thermal", "--input", std::string(THERMO_TEST_DATA_DIR) + "/traces/rk3399-cpu-thermal.csv"});
  CHECK(rp.code == exit_failure);
  CHECK(rp.err == "thermo replay: " + hint + "\n");

  // a scenario's `[soc] dtb =`: the same hint, after the scenario's [soc] line
  const std::string dir = fresh_dir("dts_scenario");
  fs::copy_file(src, dir + "/board.dts");
  {
    std::ofstream f(dir + "/s.scn");
    f << "[run]\nduration = 1 s\n\n[soc]\ndtb = board.dts\n\n[plant]\nreference = rk3399_board\n";
  }
  const ran sim = run("simulate", {dir + "/s.scn", "--trace", dir + "/t.csv", "--metrics", dir + "/m.json", "--plot", dir + "/p.svg"});
  CHECK(sim.code == exit_failure);
  CHECK(sim.err.find("s.scn:4: '" + dir + "/board.dts' is device-tree source, not a blob: compile it with dtc -I dts -O dtb -o " + dir +
                     "/board.dtb " + dir + "/board.dts\n") != std::string::npos);
  CHECK(files_in(dir) == 2);  // nothing written

  // a name without .dts gets .dtb appended; a name the shell would split is quoted; #include
  // needs the preprocessor first
  {
    std::ofstream f(dir + "/my board");
    f << "#include <dt-bindings/thermal/thermal.h>\n/dts-v1/;\n/ {\n};\n";
  }
  CHECK(run("info", {"--dtb", dir + "/my board"}).err ==
        "thermo info: '" + dir + "/my board' is device-tree source, not a blob: compile it with dtc -I dts -O dtb -o '" + dir +
            "/my board.dtb' '" + dir +
            "/my board' (it uses #include: run it through cpp -nostdinc -undef -x assembler-with-cpp first, as the kernel's build does)\n");
  // a .dtsi has no /dts-v1/ tag, but its nodes close with "};"
  {
    std::ofstream f(dir + "/soc.dtsi");
    f << "/ {\n\tcpus {\n\t};\n};\n";
  }
  CHECK(run("info", {"--dtb", dir + "/soc.dtsi"}).err.find("is device-tree source, not a blob") != std::string::npos);
  // other text is not taken for a source: the blob reader's message stays
  {
    std::ofstream f(dir + "/notes.txt");
    f << "time,temperature\n" << std::string(100, '0') << "\n";
  }
  CHECK(run("info", {"--dtb", dir + "/notes.txt"}).err.rfind("thermo info: " + dir + "/notes.txt: bad magic: not a flattened device tree", 0) == 0);
  fs::remove_all(dir);
}

TEST_CASE("looks_like_dts: text with the tag or a closing brace, never a blob", "[dts]") {
  CHECK(cli::detail::looks_like_dts("/dts-v1/;\n/ { };\n"));
  CHECK(cli::detail::looks_like_dts("// comment\n\n/dts-v1/;\n"));
  CHECK(cli::detail::looks_like_dts("&cpu0 {\n\tcpu-supply = <&vdd>;\n};\n"));
  CHECK_FALSE(cli::detail::looks_like_dts(""));
  CHECK_FALSE(cli::detail::looks_like_dts("time,temperature\n0,40000\n"));
  CHECK_FALSE(cli::detail::looks_like_dts(std::string("\xd0\x0d\xfe\xed\0\0\0\x40/dts-v1/ };", 20)));
  const std::string blob = slurp(dtb("rk3399-rock960"));
  CHECK_FALSE(cli::detail::looks_like_dts(blob));
  CHECK(cli::detail::shell_word("a/b-c_d.dtb") == "a/b-c_d.dtb");
  CHECK(cli::detail::shell_word("it's") == "'it'\\''s'");
}

// ------------------------------------------------------------------ boot: the profile

TEST_CASE("core_of_compatible spells a core as the decompressor profiles do", "[boot]") {
  CHECK(core_of_compatible("arm,cortex-a72") == "Cortex-A72");
  CHECK(core_of_compatible("arm,cortex-a9") == "Cortex-A9");
  CHECK(core_of_compatible("arm,arm926ej-s") == "ARM926EJ-S");
  CHECK(core_of_compatible("qcom,kryo") == "qcom,kryo");
}

TEST_CASE("choose_profile: the core's own profile, else a stand-in named in a note", "[boot]") {
  const auto gzip = schema::compressor::gzip;
  // a core with a measured profile: that one, no note
  const profile_choice own = choose_profile(std::nullopt, "Cortex-A9", "board cpu", gzip);
  REQUIRE(own.profile == presets::find_decompressor("Cortex-A9", gzip));
  CHECK(own.note.empty());
  CHECK(choose_profile(std::nullopt, "ARM926EJ-S", "board cpu", gzip).profile == presets::find_decompressor("ARM926EJ-S", gzip));
  // the RK3399's A72: no profile, Cortex-A9 stands in and the note says so
  const profile_choice a72 = choose_profile(std::nullopt, "Cortex-A72", "rk3399 big", gzip);
  REQUIRE(a72.profile == presets::find_decompressor("Cortex-A9", gzip));
  CHECK(a72.note.find("no gzip decompressor profile was measured on a Cortex-A72 (the rk3399 big cluster): the Cortex-A9 one stands in "
                      "(pandaboard gzip: 6965644 B in 0.5015 s, 72 cycles/byte, scaled to the clock)") == 0);
  CHECK(a72.note.find("--core picks another measured profile (Cortex-A9, ARM926EJ-S, x86-64 (QEMU host))") != std::string::npos);
  // no Cortex-A9 profile for lz4: the first of the table stands in
  const profile_choice lz4 = choose_profile(std::nullopt, "Cortex-A53", "rk3399 little", schema::compressor::lz4);
  REQUIRE(lz4.profile != nullptr);
  CHECK(lz4.profile->core == "ARMv7 1.5 GHz (Linux 3.4)");
  CHECK(lz4.note.find("the ARMv7 1.5 GHz (Linux 3.4) one stands in") != std::string::npos);
  // --core: that profile; a note when it is not the cluster's core
  const profile_choice given = choose_profile(std::string_view("Cortex-A9"), "Cortex-A72", "rk3399 big", gzip);
  CHECK(given.profile == presets::find_decompressor("Cortex-A9", gzip));
  CHECK(given.note == "the Cortex-A9 gzip profile (--core) prices the boot of the rk3399 big cluster, whose cores are Cortex-A72");
  CHECK(choose_profile(std::string_view("Cortex-A9"), "Cortex-A9", "x", gzip).note.empty());
  CHECK(choose_profile(std::string_view("Z80"), "", "", gzip).error == "no gzip profile for core 'Z80' (Cortex-A9, ARM926EJ-S, x86-64 (QEMU host))");
  // no cluster, no --core: Cortex-A9 as before, without a note
  const profile_choice plain = choose_profile(std::nullopt, "", "", gzip);
  CHECK(plain.profile == presets::find_decompressor("Cortex-A9", gzip));
  CHECK(plain.note.empty());
}

TEST_CASE("thermo boot --soc rk3399 --cluster big says which profile prices the A72, and shows energy", "[boot][cli]") {
  const ran r = run("boot", {"--soc", "rk3399", "--cluster", "big", "--bandwidth", "20"});
  REQUIRE(r.code == exit_ok);
  const auto lines = split_lines(r.out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "Cortex-A9 gzip at 1000 MHz, vmlinux 11800000 B, zImage 4800000 B, CPU 0.3365 W");
  CHECK(lines[1].find("zImage J  vmlinux J") != std::string_view::npos);
  // the energies are the model's: one CPU at the A72's 1008 MHz EM power
  schema::boot_platform p;
  p.cpu_frequency_hz = 1e9;
  p.storage_bytes_per_s = 20e6;
  p.cpu_power_w = 0.336483;
  const auto v = analysis::compare_boot({.uncompressed_bytes = presets::gemini_vmlinux_bytes, .compressed_bytes = presets::gemini_zimage_bytes},
                                        analysis::from_profile(*presets::find_decompressor("Cortex-A9", schema::compressor::gzip)), p);
  REQUIRE(v.has_value());
  CHECK(lines[2].find(io::format_printf("%10.3f %10.3f", v->compressed.energy_j, v->uncompressed.energy_j)) != std::string_view::npos);
  CHECK(lines[3].rfind("note: no gzip decompressor profile was measured on a Cortex-A72 (the rk3399 big cluster): the Cortex-A9 one stands in", 0) ==
        0);
  // without a cluster: no energy, and the table says why
  const ran plain = run("boot", {"--bandwidth", "20"});
  REQUIRE(plain.code == exit_ok);
  CHECK(plain.out.find(", no CPU power (energy: --soc or --dtb with --cluster)\n") != std::string::npos);
  CHECK(plain.out.find("          -          -") != std::string::npos);
  CHECK(plain.out.find("note:") == std::string::npos);
}

TEST_CASE("thermo boot --dtb: a Cortex-A9 cluster is priced with the Cortex-A9 profile, without a note", "[boot][cli]") {
  const ran r = run("boot", {"--dtb", dtb("cortex-a9-board"), "--cluster", "policy0", "--bandwidth", "20"});
  REQUIRE(r.code == exit_ok);
  const auto lines = split_lines(r.out);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0] == "Cortex-A9 gzip at 1000 MHz, vmlinux 11800000 B, zImage 4800000 B, no CPU power");
  CHECK(r.out.find("stands in") == std::string::npos);
  CHECK(lines[3] ==
        "note: the device tree's policy0 cluster has no Energy Model (no dynamic-power-coefficient or opp-microwatt): no energy figures");
  // ARM926EJ-S given for it: said
  const ran other = run("boot", {"--dtb", dtb("cortex-a9-board"), "--cluster", "policy0", "--bandwidth", "20", "--core", "ARM926EJ-S"});
  REQUIRE(other.code == exit_ok);
  CHECK(other.out.find("note: the ARM926EJ-S gzip profile (--core) prices the boot of the device tree's policy0 cluster, whose cores are "
                       "Cortex-A9\n") != std::string::npos);
  // the default clock is at most the cluster's highest OPP
  const ran little = run("boot", {"--soc", "rk3399", "--cluster", "little", "--compressor", "lz4", "--bandwidth", "20"});
  REQUIRE(little.code == exit_ok);
  CHECK(little.out.rfind("ARMv7 1.5 GHz (Linux 3.4) lz4 at 1416 MHz,", 0) == 0);
}

TEST_CASE("thermo boot refuses a bad cluster source with one line", "[boot][cli]") {
  CHECK(run("boot", {"--soc", "rk3399", "--dtb", "x.dtb", "--cluster", "big"}).err == "thermo boot: give one of --soc and --dtb\n");
  CHECK(run("boot", {"--cluster", "big"}).err == "thermo boot: --cluster needs --soc PRESET or --dtb FILE\n");
  CHECK(run("boot", {"--dtb", dtb("cortex-a9-board")}).err == "thermo boot: --cluster NAME goes with --soc or --dtb\n");
  CHECK(run("boot", {"--soc", "rk3399", "--cluster", "medium"}).err == "thermo boot: no cluster 'medium' in rk3399 (little, big)\n");
  CHECK(run("boot", {"--soc", "rk3399", "--cluster", "big", "--frequency", "2000"}).err ==
        "thermo boot: no CPU power at 2000 MHz on rk3399 big: boot frequency\n");
  const ran missing = run("boot", {"--dtb", "/nonexistent.dtb", "--cluster", "big"});
  CHECK(missing.code == exit_failure);
  CHECK(missing.err == "thermo boot: cannot read '/nonexistent.dtb': No such file or directory\n");
}

// ------------------------------------------------------------------ --plot

namespace {
/// Checks an SVG of --plot: whole, small, plain axis labels with units, no raw column names.
void check_svg(const std::string& svg, std::initializer_list<std::string_view> labels) {
  CHECK(svg.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 0) == 0);
  CHECK(svg.size() > 2000);
  CHECK(svg.size() < 100'000);
  CHECK(svg.substr(svg.size() - 7) == "</svg>\n");
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);
  for (const std::string_view l : labels) {
    INFO(l);
    std::string tag = ">";  // built piece by piece: ">" + std::string trips gcc 12's -Wrestrict at -O3 (GCC bug 105329)
    tag += l;
    tag += "</text>";
    CHECK(svg.find(tag) != std::string::npos);
  }
}
}  // namespace

TEST_CASE("thermo boot --plot draws time and energy against bandwidth, with the CSV, together", "[boot][cli][plot]") {
  const std::string dir = fresh_dir("boot_plot");
  const ran r = run("boot", {"--soc", "rk3399", "--cluster", "big", "--plot", dir + "/b.svg", "--csv", dir + "/b.csv"});
  REQUIRE(r.code == exit_ok);
  const std::string svg = slurp(dir + "/b.svg");
  check_svg(svg, {"storage read bandwidth (MB/s, log scale)", "boot time (s)", "boot energy (J)", "zImage (gzip)", "vmlinux",
                  "break-even 8.24 MB/s",
                  "Boot time, zImage vs vmlinux: Cortex-A9 gzip at 1000 MHz (boot CPU: Cortex-A72)"});
  CHECK(slurp(dir + "/b.csv").rfind("medium,mode,bandwidth_bytes_per_s,", 0) == 0);
  CHECK(files_in(dir) == 2);
  // deterministic
  REQUIRE(run("boot", {"--soc", "rk3399", "--cluster", "big", "--plot", dir + "/c.svg"}).code == exit_ok);
  CHECK(slurp(dir + "/c.svg") == svg);
  // no CPU power: the time panel only
  REQUIRE(run("boot", {"--bandwidth", "5", "--plot", dir + "/d.svg"}).code == exit_ok);
  const std::string one = slurp(dir + "/d.svg");
  check_svg(one, {"boot time (s)"});
  CHECK(one.find("boot energy (J)") == std::string::npos);
  fs::remove_all(dir);
}

TEST_CASE("thermo boot --plot: a name that cannot be written is refused before any work, nothing is left", "[boot][cli][plot]") {
  const std::string dir = fresh_dir("boot_plot_bad");
  const ran dev = run("boot", {"--plot", "/dev/null", "--csv", dir + "/b.csv"});
  CHECK(dev.code == exit_failure);
  CHECK(dev.out.empty());
  CHECK(dev.err == "thermo boot: '/dev/null' is not a regular file (a character device); only regular files are replaced (use - for standard output)\n");
  const ran missing = run("boot", {"--csv", dir + "/b.csv", "--plot", dir + "/no/such/folder/b.svg"});
  CHECK(missing.code == exit_failure);
  CHECK(missing.err == "thermo boot: cannot create '" + dir + "/no/such/folder/b.svg': No such file or directory\n");
  CHECK(run("boot", {"--csv", dir + "/b.x", "--plot", dir + "/b.x"}).err.find("is given as two outputs") != std::string::npos);
  CHECK(run("boot", {"--plot"}).err == "thermo boot: --plot needs a value\n");
  CHECK(files_in(dir) == 0);  // no output, no temporary
  // the device tree read is an input: never overwritten
  fs::copy_file(dtb("cortex-a9-board"), dir + "/board.dtb");
  const ran self = run("boot", {"--dtb", dir + "/board.dtb", "--cluster", "policy0", "--plot", dir + "/board.dtb"});
  CHECK(self.code == exit_failure);
  CHECK(self.err == "thermo boot: '" + dir + "/board.dtb' is also an input\n");
  CHECK(slurp(dir + "/board.dtb") == slurp(dtb("cortex-a9-board")));
  fs::remove_all(dir);
}

TEST_CASE("thermo latency --plot draws latency and overshoot against the polling period", "[latency][cli][plot]") {
  const std::string dir = fresh_dir("latency_plot");
  const ran r = run("latency", {"--soc", "rk3399", "--zone", "cpu-thermal", "--simulate", "--phases", "4", "--plot", dir + "/l.svg", "--csv",
                                dir + "/l.csv"});
  REQUIRE(r.code == exit_ok);
  const std::string svg = slurp(dir + "/l.svg");
  check_svg(svg, {"polling period (ms, log scale)", "detection latency (ms)", "overshoot at detection (°C)", "polling mean", "polling worst",
                  "simulated mean", "Detection latency of a 75 °C trip, rising at 20 °C/s (zone cpu-thermal)"});
  CHECK(slurp(dir + "/l.csv").rfind("mode,period_s,", 0) == 0);
  // interrupt mode: a labelled line
  REQUIRE(run("latency", {"--plot", dir + "/i.svg"}).code == exit_ok);
  const std::string both = slurp(dir + "/i.svg");
  check_svg(both, {"interrupt worst 50 ms", "interrupt worst 1 °C"});
  CHECK(both.find("simulated mean") == std::string::npos);
  // deterministic
  REQUIRE(run("latency", {"--plot", dir + "/j.svg"}).code == exit_ok);
  CHECK(slurp(dir + "/j.svg") == both);
  CHECK(files_in(dir) == 4);
  fs::remove_all(dir);
}

TEST_CASE("thermo latency --plot: refused before any run when it cannot be written, never over the device tree", "[latency][cli][plot]") {
  const std::string dir = fresh_dir("latency_plot_bad");
  const ran dev = run("latency", {"--plot", "/dev/null"});
  CHECK(dev.code == exit_failure);
  CHECK(dev.out.empty());
  CHECK(dev.err.rfind("thermo latency: '/dev/null' is not a regular file", 0) == 0);
  CHECK(run("latency", {"--plot", dir + "/missing/l.svg", "--csv", dir + "/l.csv"}).code == exit_failure);
  fs::copy_file(dtb("rk3399-rock960"), dir + "/board.dtb");
  const ran self = run("latency", {"--dtb", dir + "/board.dtb", "--zone", "cpu-thermal", "--plot", dir + "/board.dtb"});
  CHECK(self.code == exit_failure);
  CHECK(self.err == "thermo latency: '" + dir + "/board.dtb' is also an input\n");
  CHECK(files_in(dir) == 1);
  CHECK(slurp(dir + "/board.dtb") == slurp(dtb("rk3399-rock960")));
  fs::remove_all(dir);
}
