// `thermo audit` (issue 17): a board's logged power-allocator ticks re-run with the reference.
// The real SC7180 excerpt, hand-written traces of both kernel eras, a trace written from
// thermo's own power allocator on the RK3399 with its Energy Model, the kernel versions'
// power split, and every kind of bad input.
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "thermo/io/ftrace.hpp"

using namespace thermo;
using namespace thermo::cli;
namespace fs = std::filesystem;

namespace {

struct ran {
  int code;
  std::string out;
  std::string err;
};
ran audit(std::vector<std::string_view> args) {
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* old = std::cout.rdbuf(out.rdbuf());
  const int code = dispatch("audit", std::move(args), err);
  std::cout.rdbuf(old);
  return {code, out.str(), err.str()};
}

std::string fresh_dir(const std::string& name) {
  const fs::path d = fs::path(THERMO_BINARY_DIR) / "audit_test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d.string();
}
std::string data(const std::string& name) { return std::string(THERMO_TEST_DATA_DIR) + "/traces/audit/" + name; }
const std::string sc7180 = std::string(THERMO_SHARED_DIR) + "/data/traces/sc7180-ipa-2020.txt";

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}
void spit(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary);
  f << text;
}
bool has(const std::string& s, std::string_view what) { return s.find(what) != std::string::npos; }

}  // namespace

TEST_CASE("audit: the SC7180 excerpt matches the reference tick for tick") {
  const ran r = audit({sc7180});
  INFO(r.out << r.err);
  CHECK(r.code == exit_ok);
  CHECK(has(r.out, "zone cpu6-thermal (id 6)"));
  CHECK(has(r.out, "6.7 and earlier (per-actor arrays)"));
  CHECK(has(r.out, "sustainable_power 1202 mW (trace)"));
  CHECK(has(r.out, "k_pu 246 (trace)"));
  CHECK(has(r.out, "k_i 10 (trace)"));
  CHECK(has(r.out, "ticks compared: 6; identical: 6; within 0: 6"));
  CHECK(has(r.out, "sc7180-ipa-2020.txt:9: a thermal_power_allocator event without its PID event"));
  CHECK(has(r.out, "resyncs: 1"));
  CHECK(has(r.out, "every compared value is identical"));
}

TEST_CASE("audit: the per-tick CSV has logged and computed columns") {
  const std::string dir = fresh_dir("csv");
  const std::string csv = dir + "/ticks.csv";
  const ran r = audit({sc7180, "--output", csv});
  REQUIRE(r.code == exit_ok);
  const std::string t = slurp(csv);
  CHECK(t.rfind("time_s,current_temperature,logged:err,computed:err,logged:err_integral,computed:err_integral,logged:p,computed:p,"
                "logged:i,computed:i,logged:d,computed:d,logged:output,computed:output,logged:granted:actor0,computed:granted:actor0\n",
                0) == 0);
  CHECK(has(t, "\n48.036036,60000,10000,10000,0,0,2402,2402,0,0,0,0,1776,1776,1776,1776\n"));
  CHECK(has(t, "\n104.608642,67800,2200,2200,-31200,-31200,528,528,-305,-305,0,0,1425,1425,1425,1425\n"));
  // the trace is never overwritten
  const ran over = audit({sc7180, "--output", sc7180});
  CHECK(over.code == exit_failure);
}

TEST_CASE("audit: a board whose governor computes a different term fails, naming line and values") {
  const std::string dir = fresh_dir("diverge");
  std::string t = slurp(sc7180);
  const std::string from = "err=2200 err_integral=-31200 p=528 i=-305 d=0 output=1425";
  const auto at = t.find(from);
  REQUIRE(at != std::string::npos);
  t.replace(at, from.size(), "err=2200 err_integral=-31200 p=530 i=-305 d=0 output=1427");
  const std::string path = dir + "/board.txt";
  spit(path, t);
  // the gains are given: the trace would otherwise bound them to what it shows
  const ran r = audit({path, "--tzp", "k_pu=246", "--tzp", "k_i=10", "--tzp", "sustainable_power=1202"});
  INFO(r.out << r.err);
  CHECK(r.code == exit_failure);
  CHECK(has(r.out, "first divergence: " + path + ":14 (t = 104.608642 s): p logged 530, reference 528"));
  CHECK(has(r.out, "k_pu 246 (option)"));
  const ran tol = audit({path, "--tzp", "k_pu=246", "--tzp", "k_i=10", "--tzp", "sustainable_power=1202", "--tolerance-mw", "2"});
  CHECK(tol.code == exit_ok);
  CHECK(has(tol.out, "first difference (within the tolerance): " + path + ":14"));
}

TEST_CASE("audit: the 6.8 form with two weighted actors, names from cdev_update, and the kernel's split") {
  const std::vector<std::string_view> common{"--weight", "cpufreq-cpu0=1024", "--weight", "cpufreq-cpu4=512", "--max-power",
                                             "0=3000",   "--max-power",       "1=3000",    "--tzp",    "sustainable_power=1500"};
  const std::string now_trace = data("two-actors-6.8.txt");
  const std::string old_trace = data("two-actors-6.12.17.txt");
  std::vector<std::string_view> a{now_trace};
  a.insert(a.end(), common.begin(), common.end());
  const ran now = audit(a);
  INFO(now.out << now.err);
  CHECK(now.code == exit_ok);
  CHECK(has(now.out, "6.8 and later (thermal_power_actor events)"));
  CHECK(has(now.out, "named by the trace's cdev_update events"));
  CHECK(has(now.out, "cpufreq-cpu4: weight 512"));
  // the same tick as 6.8 … 6.12.17 split it: that kernel's trace matches only with --kernel
  std::vector<std::string_view> b{old_trace};
  b.insert(b.end(), common.begin(), common.end());
  const ran fixed = audit(b);
  CHECK(fixed.code == exit_failure);
  CHECK(has(fixed.out, "granted:cpufreq-cpu4 logged 1500, reference 750"));
  b.push_back("--kernel");
  b.push_back("6.12.17");
  const ran old = audit(b);
  INFO(old.out);
  CHECK(old.code == exit_ok);
  CHECK(has(old.out, "kernel 6.12.17"));
  a.push_back("--kernel");
  a.push_back("6.10");
  CHECK(audit(a).code == exit_failure);
}

TEST_CASE("audit: with no request at all, 6.13 grants every actor its maximum and 6.12 nothing") {
  const std::string dir = fresh_dir("zero");
  std::string t = slurp(data("two-actors-6.8.txt"));
  const auto rep = [&](const std::string& from, const std::string& to) {
    const auto at = t.find(from);
    REQUIRE(at != std::string::npos);
    t.replace(at, from.size(), to);
  };
  rep("req_power=1000 granted_power=750", "req_power=0 granted_power=3000");
  rep("req_power=2000 granted_power=750", "req_power=0 granted_power=3000");
  rep("total_req_power=3000 total_granted_power=1500", "total_req_power=0 total_granted_power=6000");
  const std::string path = dir + "/zero.txt";
  spit(path, t);
  const std::vector<std::string_view> common{path, "--max-power", "0=3000", "--max-power", "1=3000", "--tzp", "sustainable_power=1500"};
  std::vector<std::string_view> a = common;
  a.push_back("--kernel");
  a.push_back("6.13");
  const ran r13 = audit(a);
  INFO(r13.out);
  CHECK(r13.code == exit_ok);
  const ran r12 = audit(common);
  CHECK(r12.code == exit_failure);
  CHECK(has(r12.out, "granted:cpufreq-cpu0 logged 3000, reference 0"));
}

TEST_CASE("audit: a trace written from thermo's own allocator on the RK3399 matches with its Energy Model") {
  // Drive rk3399's cpu-thermal zone under the power allocator through a heating and cooling ramp
  // (all CPUs busy), and log each tick as a 6.12 kernel would (6.8+ form).
  auto src = load_preset("rk3399");
  REQUIRE(src.ok());
  auto built = zone_system::build(src->description(), src->dt(), "cpu-thermal", "power_allocator");
  REQUIRE(built.ok());
  zone_system& sys = **built;
  for (bound_device& d : sys.devices()) {
    if (d.cpufreq != nullptr) {
      for (std::size_t k = 0; k < d.cpus.size(); ++k) {
        static_cast<void>(d.cpufreq->set_cpu(k, control::cpufreq_cpu_load{d.capacity[k], d.capacity[k], true}));
      }
      d.cpufreq->set_current_frequency(d.cpufreq->max_frequency());
    }
  }
  const auto* ipa = sys.power_allocator();
  REQUIRE(ipa != nullptr);
  auto& tz = sys.zone();
  std::vector<io::ftrace::event> events;
  const auto push = [&](sim_time t, io::ftrace::payload p) {
    io::ftrace::event e;
    e.time_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
    e.task = "kworker/0:1";
    e.pid = 42;
    e.cpu = 0;
    e.data = std::move(p);
    events.push_back(std::move(e));
  };
  std::int32_t prev = 0;
  std::size_t ticks = 0;
  std::size_t below = 0;
  for (int k = 0; k < 120; ++k) {
    const sim_time now{std::chrono::milliseconds(100 * k)};
    // 60 °C up to 86 °C and back down to 60 °C
    const std::int32_t temp = k < 60 ? 60000 + 450 * k : 60000 + 450 * (119 - k);
    sys.sensor().set(millicelsius(temp));
    const control::update_result res = k == 0 ? tz.enable(now) : tz.update(now);
    REQUIRE(res.status == control::update_status::updated);
    push(now, io::ftrace::thermal_temperature{"cpu-thermal", 0, k == 0 ? temp : prev, temp});
    prev = temp;
    const control::ipa::round_trace& lr = ipa->last_round();
    if (!lr.allocated) {
      ++below;
      continue;
    }
    ++ticks;
    const control::ipa::pid_terms& p = lr.pid;
    push(now, io::ftrace::power_allocator_pid{0, frac_to_int(p.err), static_cast<std::int32_t>(frac_to_int(p.err_integral)),
                                              frac_to_int(p.p), frac_to_int(p.i), frac_to_int(p.d),
                                              static_cast<std::int32_t>(p.power_range)});
    const auto slots = ipa->actors();
    std::int32_t id = 0;
    for (const control::thermal_instance& i : tz.instances()) {
      if (i.trip != ipa->trips().max || !control::ipa::is_power_actor(i)) {
        continue;
      }
      const control::ipa::power_actor& pa = slots[static_cast<std::size_t>(id)];
      for (const bound_device& d : sys.devices()) {
        if (d.core == i.cdev && d.cpufreq != nullptr) {
          // the request as an older kernel logged it (frequency and per-CPU loads), and as 5.13+
          // logs it (first CPU and power, with the frequency from cpu_frequency)
          io::ftrace::cpu_get_power g;
          g.cpus = d.cpus;
          g.freq = d.cpufreq->current_frequency().count();
          g.load.assign(d.cpus.size(), 100);
          g.dynamic_power = pa.req_power;
          push(now, g);
          push(now, io::ftrace::cpu_frequency{d.cpufreq->current_frequency().count(), d.cpus.front()});
          push(now, io::ftrace::cpu_get_power_simple{static_cast<std::int32_t>(d.cpus.front()), pa.req_power});
        }
      }
      push(now, io::ftrace::cdev_update{std::string(i.cdev->type()), i.cdev->cur_state()});
      push(now, io::ftrace::power_actor{0, id, pa.req_power, pa.granted_power});
      ++id;
    }
    io::ftrace::power_allocator al;
    al.total_req_power = lr.total_req_power;
    al.total_granted_power = lr.total_granted_power;
    al.power_range = p.power_range;
    al.max_allocatable_power = lr.max_allocatable_power;
    al.current_temperature = temp;
    al.delta_temperature = tz.trip(static_cast<std::size_t>(ipa->trips().max)).trip.temperature.count() - temp;
    push(now, al);
  }
  REQUIRE(ticks > 20);
  REQUIRE(below > 10);
  std::string text;
  for (const auto& e : events) {
    text += io::ftrace::format(e);
    text += '\n';
  }
  const std::string dir = fresh_dir("rk3399");
  const std::string path = dir + "/rk3399.txt";
  spit(path, text);
  const ran r = audit({path, "--soc", "rk3399", "--zone", "cpu-thermal"});
  INFO(r.out << r.err);
  CHECK(r.code == exit_ok);
  CHECK(has(r.out, "every compared value is identical"));
  CHECK(has(r.out, "(device tree)"));
  CHECK(has(r.out, "without a tick (controller reset)"));
  CHECK(!has(r.out, "grants not checked"));
  CHECK(has(r.out, "power requests checked against the Energy Model: "));
  CHECK(!has(r.out, "first mismatch"));
  // A request the Energy Model cannot give is a mismatch, and fails the audit.
  std::string bad = text;
  const auto at = bad.find("dynamic_power=");
  REQUIRE(at != std::string::npos);
  const auto end = bad.find_first_not_of("0123456789", at + 14);
  bad.replace(at, end - at, "dynamic_power=1");
  spit(dir + "/bad-request.txt", bad);
  const ran br = audit({dir + "/bad-request.txt", "--soc", "rk3399", "--zone", "cpu-thermal"});
  INFO(br.out);
  CHECK(br.code == exit_failure);
  CHECK(has(br.out, "first mismatch: " + dir + "/bad-request.txt:"));
  CHECK(has(br.out, "requested 1 mW, the Energy Model gives "));
  // Without the Energy Model the two actors' maximum powers are unknown: PID terms still match.
  const ran bare = audit({path});
  INFO(bare.out);
  CHECK(has(bare.out, "grants not checked"));
}

TEST_CASE("audit: bad input is refused with a message naming what and where") {
  const std::string dir = fresh_dir("bad");
  CHECK(audit({}).code == exit_usage);
  CHECK(has(audit({}).err, "give the trace to audit"));
  CHECK(audit({sc7180, sc7180}).code == exit_usage);
  CHECK(has(audit({sc7180, "--kernel", "six"}).err, "--kernel six: kernel version"));
  CHECK(has(audit({sc7180, "--tolerance-mw", "-1"}).err, "--tolerance-mw -1"));
  CHECK(has(audit({sc7180, "--gap", "nan"}).err, "--gap nan"));
  CHECK(has(audit({sc7180, "--tzp", "k_x=1"}).err, "unknown parameter"));
  CHECK(has(audit({sc7180, "--tzp", "passive_delay=-5"}).err, "passive_delay is in ms"));
  CHECK(has(audit({sc7180, "--weight", "big"}).err, "expected ACTOR=W"));
  CHECK(has(audit({sc7180, "--weight", "big=2"}).err, "--weight big: no such actor (actor0)"));
  CHECK(has(audit({sc7180, "--control-temp", "hot"}).err, "--control-temp hot"));
  CHECK(has(audit({sc7180, "--soc", "rk3399"}).err, "--soc/--dtb need --zone"));
  CHECK(has(audit({sc7180, "--zone", "gpu-thermal"}).err, "no thermal_temperature event of zone 'gpu-thermal'"));
  CHECK(has(audit({sc7180, "--soc", "rk3399", "--zone", "cpu6-thermal"}).err, "no thermal zone 'cpu6-thermal'"));
  const ran missing = audit({dir + "/none.txt"});
  CHECK(missing.code == exit_failure);
  CHECK(has(missing.err, "cannot read"));
  CHECK(has(audit({dir}).err, "Is a directory"));
  // a malformed line of a known event: the reader's message with the line number
  std::string t = slurp(sc7180);
  t.replace(t.find("p=2402"), 6, "p=24x2");
  spit(dir + "/malformed.txt", t);
  const ran mal = audit({dir + "/malformed.txt"});
  CHECK(mal.code == exit_failure);
  CHECK(has(mal.err, "malformed.txt:3: thermal_power_allocator_pid"));
  // no allocator events at all
  spit(dir + "/temps.txt", "  kworker/0:1-42  [000] .....   1.000000: thermal_temperature: thermal_zone=x id=0 temp_prev=1 temp=2\n");
  CHECK(has(audit({dir + "/temps.txt"}).err, "no power-allocator events"));
  // two zones with ticks and no --zone
  std::string two = slurp(data("two-actors-6.8.txt"));
  std::string other = two;
  for (std::string::size_type at = other.find("thermal_zone_id=0"); at != std::string::npos; at = other.find("thermal_zone_id=0", at)) {
    other.replace(at, 17, "thermal_zone_id=1");
  }
  spit(dir + "/two.txt", two + other);
  const ran z = audit({dir + "/two.txt"});
  CHECK(z.code == exit_usage);
  CHECK(has(z.err, "several zones logged power-allocator ticks"));
}
