// Tests for io/ftrace.hpp: the ftrace text reader and writer of the thermal events.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <vector>

#include "thermo/io/ftrace.hpp"

namespace ft = thermo::io::ftrace;
using thermo::control::trip_type;

namespace {

const std::string data_dir = std::string(THERMO_TEST_DATA_DIR) + "/traces/ftrace/";

struct file_result {
  std::vector<ft::event> events;
  std::size_t skipped = 0;
  std::map<std::string, std::size_t, std::less<>> skipped_names;
};

file_result read_path(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  ft::reader r(in, path);
  file_result out;
  while (auto e = r.next()) {
    out.events.push_back(std::move(*e));
  }
  INFO(r.error().message);
  REQUIRE(r.error().ok());
  out.skipped = r.skipped();
  out.skipped_names = r.skipped_events();
  return out;
}

ft::event ev(std::int64_t time_ns, std::string task, std::int32_t pid, std::int32_t cpu, ft::payload p) {
  ft::event e;
  e.time_ns = time_ns;
  e.task = std::move(task);
  e.pid = pid;
  e.cpu = cpu;
  e.data = std::move(p);
  return e;
}

ft::thermal_temperature temp(std::string zone, std::int32_t id, std::int32_t prev, std::int32_t now) {
  ft::thermal_temperature t;
  t.zone = std::move(zone);
  t.id = id;
  t.temp_prev = prev;
  t.temp = now;
  return t;
}

ft::power_allocator_pid pid_terms(std::int32_t tz, std::int32_t err, std::int32_t integral, std::int64_t p,
                                  std::int64_t i, std::int64_t d, std::int32_t output) {
  return {.tz_id = tz, .err = err, .err_integral = integral, .p = p, .i = i, .d = d, .output = output};
}

ft::power_allocator alloc(std::int32_t tz, std::vector<std::uint32_t> req, std::uint32_t total_req,
                          std::vector<std::uint32_t> granted, std::uint32_t total_granted, std::uint32_t range,
                          std::uint32_t max_alloc, std::int32_t current, std::int32_t delta) {
  ft::power_allocator a;
  a.tz_id = tz;
  a.has_arrays = true;
  a.req_power = std::move(req);
  a.total_req_power = total_req;
  a.granted_power = std::move(granted);
  a.total_granted_power = total_granted;
  a.power_range = range;
  a.max_allocatable_power = max_alloc;
  a.current_temperature = current;
  a.delta_temperature = delta;
  return a;
}

/// The error of reading `text` (named "trace.txt"), which must fail.
thermo::io::text_error error_of(std::string_view text) {
  std::vector<ft::event> events;
  const auto e = ft::read_all(text, "trace.txt", events);
  REQUIRE_FALSE(e.ok());
  return e;
}

/// One tracefs line of `name` with `fields`.
std::string line(std::string_view name, std::string_view fields) {
  std::string s = "     kworker/0:1-45      [000] .....   512.100200: ";
  s += name;
  s += ": ";
  s += fields;
  s += '\n';
  return s;
}

/// A stream of generated lines, made on demand (the whole text never exists at once).
class generated_stream : public std::streambuf {
 public:
  explicit generated_stream(std::size_t lines) : lines_(lines) {}

 protected:
  int_type underflow() override {
    if (next_ == lines_) {
      return traits_type::eof();
    }
    const std::size_t k = next_++;
    char buf[256];
    int n = 0;
    if (k % 10 == 9) {
      n = std::snprintf(buf, sizeof buf, "          <idle>-0       [001] d..2. %5zu.%06zu: sched_switch: prev_comm=swapper/1\n",
                        k / 1000, (k % 1000) * 1000);
    } else {
      n = std::snprintf(buf, sizeof buf,
                        "     kworker/1:2-1234    [001] ..... %5zu.%06zu: thermal_temperature: thermal_zone=cpu-thermal "
                        "id=0 temp_prev=%zu temp=%zu\n",
                        k / 1000, (k % 1000) * 1000, 40000 + k % 1000, 40000 + (k + 1) % 1000);
    }
    line_.assign(buf, static_cast<std::size_t>(n));
    setg(line_.data(), line_.data(), line_.data() + line_.size());  // NOLINT
    return traits_type::to_int_type(line_[0]);
  }

 private:
  std::size_t lines_;
  std::size_t next_ = 0;
  std::string line_;
};

/// An endless stream of one repeated byte.
class endless_stream : public std::streambuf {
 public:
  explicit endless_stream(char c) : buf_(4096, c) {}

 protected:
  int_type underflow() override {
    setg(buf_.data(), buf_.data(), buf_.data() + buf_.size());  // NOLINT
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  std::string buf_;
};

/// One event of every type and form.
std::vector<ft::event> every_event() {
  std::vector<ft::event> v;
  v.push_back(ev(1'000'000, "kworker/0:1", 45, 0, temp("cpu-thermal", 0, 45000, -1500)));
  v.push_back(ev(2'000'001, "irq/40-c263000.", 157, 2,
                 ft::thermal_zone_trip{.zone = "soc thermal", .id = 3, .trip = 1, .type = trip_type::critical}));
  for (const auto t : {trip_type::active, trip_type::passive, trip_type::hot}) {
    v.push_back(ev(2'000'002, "t", 1, 0, ft::thermal_zone_trip{.zone = "z", .id = 0, .trip = 0, .type = t}));
  }
  v.push_back(ev(3'000'000, "Jit thread pool", 2045, 5, ft::cdev_update{.type = "thermal-cpufreq-0", .target = 18446744073709551615ULL}));
  v.push_back(ev(4'000'000, "k", 1, 0, alloc(6, {150, 500, 0xFFFFFFFFU}, 650, {100, 400, 1}, 500, 600, 1776, 60000, -10000)));
  ft::power_allocator empty_arrays = alloc(6, {}, 0, {}, 0, 0, 0, 0, 0);
  v.push_back(ev(4'000'001, "k", 1, 0, empty_arrays));
  ft::power_allocator modern = alloc(1, {}, 2472, {}, 2090, 2424, 5200, 85538, -538);
  modern.has_arrays = false;
  v.push_back(ev(4'000'002, "k", 1, 0, modern));
  v.push_back(ev(5'000'000, "k", 1, 0, pid_terms(6, -2147483647 - 1, 2147483647, -9223372036854775807LL - 1, 9223372036854775807LL, -3, 897)));
  v.push_back(ev(6'000'000, "k", 1, 0, ft::power_actor{.tz_id = 0, .actor_id = 2, .req_power = 910, .granted_power = 778}));
  v.push_back(ev(7'000'000, "k", 1, 0,
                 ft::cpu_get_power{.cpus = {0, 1, 2, 3}, .freq = 1416000, .load = {80, 60, 40, 100}, .dynamic_power = 318, .static_power = std::nullopt}));
  v.push_back(ev(7'000'001, "k", 1, 0,
                 ft::cpu_get_power{.cpus = {4, 40, 8191}, .freq = 1, .load = {0, 1, 2}, .dynamic_power = 0, .static_power = 21}));
  v.push_back(ev(8'000'000, "k", 1, 0, ft::cpu_get_power_simple{.cpu = 4, .power = 1250}));
  v.push_back(ev(9'000'000, "k", 1, 0, ft::cpu_limit{.cpus = {4, 5, 6, 7}, .freq = 1800000, .cdev_state = 4, .power = 1000}));
  v.push_back(ev(10'000'000, "k", 1, 0,
                 ft::devfreq_get_power{.type = "gpu-devfreq", .freq = 800000000, .load = 62, .dynamic_power = std::nullopt, .static_power = std::nullopt, .power = 910}));
  v.push_back(ev(10'000'001, "k", 1, 0,
                 ft::devfreq_get_power{.type = "thermal-devfreq-0", .freq = 600000000, .load = 75, .dynamic_power = 812, .static_power = 43, .power = 855}));
  v.push_back(ev(11'000'000, "k", 1, 0, ft::devfreq_limit{.type = "thermal-devfreq-0", .freq = 400000000, .cdev_state = 2, .power = 690}));
  v.push_back(ev(12'000'000, "<idle>", 0, 4, ft::cpu_frequency{.state = 1800000, .cpu_id = 4}));
  v.push_back(ev(13'000'000, "k", 1, 0,
                 ft::devfreq_frequency{.dev_name = "fb000000.gpu", .freq = 800000000, .prev_freq = 600000000, .busy_time = 0, .total_time = 0, .load = 62}));
  v.push_back(ev(14'000'000, "k", 1, 0, ft::devfreq_monitor{.dev_name = "a-very-long-devfreq-device-name-beyond-30", .freq = 1, .polling_ms = 1000, .load = 100}));
  v.push_back(ev(9'000'000'000'999'999'999, "k", 2147483647, 2147483647, ft::cpu_get_power_simple{.cpu = -1, .power = 0}));
  return v;
}

}  // namespace

TEST_CASE("ftrace reads the SC7180 power allocator excerpt", "[io][ftrace]") {
  // 20 event lines (7 temperature, 6 PID, 7 allocator) under two comment lines.
  const auto r = read_path(std::string(THERMO_SHARED_DIR) + "/data/traces/sc7180-ipa-2020.txt");
  const std::string task = "irq/40-c263000.";
  const std::vector<ft::event> want{
      ev(48'035'986'000, task, 157, 0, temp("cpu6-thermal", 6, 57800, 60000)),
      ev(48'036'029'000, task, 157, 0, pid_terms(6, 10000, 0, 2402, 0, 0, 1776)),
      ev(48'036'036'000, task, 157, 0, alloc(6, {150}, 150, {1776}, 1776, 1776, 1776, 60000, 10000)),
      ev(52'480'888'000, task, 157, 0, temp("cpu6-thermal", 6, 60000, 70000)),
      ev(52'480'925'000, task, 157, 0, pid_terms(6, 0, 0, 0, 0, 0, 1202)),
      ev(52'480'931'000, task, 157, 0, alloc(6, {1118}, 1118, {1202}, 1202, 1202, 1776, 70000, 0)),
      ev(104'501'777'000, task, 156, 0, alloc(6, {817}, 817, {1425}, 1425, 1425, 1776, 67800, 2200)),
      ev(104'523'073'000, task, 156, 0, temp("cpu6-thermal", 6, 67800, 70000)),
      ev(104'523'121'000, task, 156, 0, pid_terms(6, 0, -31200, 0, -305, 0, 897)),
      ev(104'523'148'000, task, 156, 0, alloc(6, {1030}, 1030, {897}, 897, 897, 1776, 70000, 0)),
      ev(104'608'566'000, task, 156, 0, temp("cpu6-thermal", 6, 70000, 67800)),
      ev(104'608'612'000, task, 156, 0, pid_terms(6, 2200, -31200, 528, -305, 0, 1425)),
      ev(104'608'642'000, task, 156, 0, alloc(6, {817}, 817, {1425}, 1425, 1425, 1776, 67800, 2200)),
      ev(104'630'863'000, task, 156, 0, temp("cpu6-thermal", 6, 67800, 70000)),
      ev(104'630'907'000, task, 156, 0, pid_terms(6, 0, -31200, 0, -305, 0, 897)),
      ev(104'630'932'000, task, 156, 0, alloc(6, {1012}, 1012, {897}, 897, 897, 1776, 70000, 0)),
      ev(104'687'495'000, task, 156, 0, temp("cpu6-thermal", 6, 70000, 67800)),
      ev(104'687'541'000, task, 156, 0, pid_terms(6, 2200, -31200, 528, -305, 0, 1425)),
      ev(104'687'567'000, task, 156, 0, alloc(6, {824}, 824, {1425}, 1425, 1425, 1776, 67800, 2200)),
      ev(104'711'664'000, task, 156, 0, temp("cpu6-thermal", 6, 67800, 70000)),
  };
  REQUIRE(r.events.size() == want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    INFO("event " << k);
    CHECK(r.events[k] == want[k]);
  }
  CHECK(r.events.front().line == 2);
  CHECK(r.events[6].line == 9);  // after the second comment
  CHECK(r.events.back().line == 22);
  CHECK(r.skipped == 0);
}

TEST_CASE("ftrace reads a 5.4-era trace with three actors and arrays", "[io][ftrace]") {
  const auto r = read_path(data_dir + "linux-5.4-ipa-three-actors.txt");
  REQUIRE(r.events.size() == 14);
  CHECK(r.skipped == 1);
  CHECK(r.skipped_names.at("sched_switch") == 1);
  const auto& e0 = r.events[0];
  CHECK(e0.task == "kworker/2:1");
  CHECK(e0.pid == 87);
  CHECK(e0.cpu == 2);
  CHECK(e0.time_ns == 210'114'260'000);
  CHECK(std::get<ft::thermal_temperature>(e0.data) == temp("soc-thermal", 0, 68750, 71250));
  CHECK(std::get<ft::cpu_get_power>(r.events[1].data) ==
        ft::cpu_get_power{.cpus = {0, 1, 2, 3}, .freq = 1416000, .load = {80, 60, 40, 100}, .dynamic_power = 318, .static_power = std::nullopt});
  CHECK(std::get<ft::cpu_get_power>(r.events[2].data).cpus == std::vector<std::uint32_t>{4, 5});
  CHECK(std::get<ft::devfreq_get_power>(r.events[3].data) ==
        ft::devfreq_get_power{.type = "thermal-devfreq-0", .freq = 600000000, .load = 75, .dynamic_power = 812, .static_power = 43, .power = 855});
  CHECK(std::get<ft::power_allocator_pid>(r.events[4].data) == pid_terms(0, -1250, -3750, -512, -36, 0, 1688));
  CHECK(std::get<ft::power_allocator>(r.events[5].data) ==
        alloc(0, {318, 1020, 855}, 2193, {230, 676, 690}, 1596, 1688, 4120, 71250, -1250));
  CHECK(std::get<ft::cpu_limit>(r.events[6].data) == ft::cpu_limit{.cpus = {0, 1, 2, 3}, .freq = 1200000, .cdev_state = 2, .power = 230});
  CHECK(std::get<ft::cdev_update>(r.events[7].data) == ft::cdev_update{.type = "thermal-cpufreq-0", .target = 2});
  CHECK(r.events[8].line == 21);  // after the "CPU:4 [LOST 12 EVENTS]" line
  CHECK(std::get<ft::devfreq_limit>(r.events[10].data) ==
        ft::devfreq_limit{.type = "thermal-devfreq-0", .freq = 400000000, .cdev_state = 2, .power = 690});
  CHECK(std::get<ft::cpu_frequency>(r.events[12].data) == ft::cpu_frequency{.state = 1200000, .cpu_id = 0});
  CHECK(r.events[12].task == "sugov:0");
  CHECK(std::get<ft::devfreq_monitor>(r.events[13].data) ==
        ft::devfreq_monitor{.dev_name = "ff9a0000.gpu", .freq = 400000000, .polling_ms = 50, .load = 75});
}

TEST_CASE("ftrace reads a 6.8-era trace with per-actor events", "[io][ftrace]") {
  const auto r = read_path(data_dir + "linux-6.8-ipa-actors.txt");
  REQUIRE(r.events.size() == 15);
  CHECK(r.skipped == 1);
  CHECK(r.skipped_names.at("workqueue_execute_end") == 1);
  CHECK(std::get<ft::cpu_get_power_simple>(r.events[1].data) == ft::cpu_get_power_simple{.cpu = 0, .power = 312});
  CHECK(std::get<ft::devfreq_get_power>(r.events[3].data) ==
        ft::devfreq_get_power{.type = "gpu-devfreq", .freq = 800000000, .load = 62, .dynamic_power = std::nullopt, .static_power = std::nullopt, .power = 910});
  CHECK(std::get<ft::power_actor>(r.events[6].data) == ft::power_actor{.tz_id = 0, .actor_id = 1, .req_power = 1250, .granted_power = 1000});
  const auto& a = std::get<ft::power_allocator>(r.events[8].data);
  CHECK_FALSE(a.has_arrays);
  CHECK(a.req_power.empty());
  CHECK(a.total_req_power == 2472);
  CHECK(a.total_granted_power == 2090);
  CHECK(a.power_range == 2424);
  CHECK(a.max_allocatable_power == 5200);
  CHECK(a.current_temperature == 85538);
  CHECK(a.delta_temperature == -538);
  CHECK(std::get<ft::cpu_limit>(r.events[9].data).cpus == std::vector<std::uint32_t>{4, 5, 6, 7});
  CHECK(std::get<ft::thermal_zone_trip>(r.events[11].data) ==
        ft::thermal_zone_trip{.zone = "package-thermal", .id = 0, .trip = 1, .type = trip_type::passive});
  CHECK(r.events[12].task == "<idle>");
  CHECK(r.events[12].pid == 0);
  CHECK(r.events[12].cpu == 4);
  // the %-30s / %-12lu padding of the devfreq events is not part of the values
  CHECK(std::get<ft::devfreq_frequency>(r.events[13].data) ==
        ft::devfreq_frequency{.dev_name = "fb000000.gpu", .freq = 800000000, .prev_freq = 600000000, .busy_time = 0, .total_time = 0, .load = 62});
  CHECK(std::get<ft::devfreq_monitor>(r.events[14].data) ==
        ft::devfreq_monitor{.dev_name = "fb000000.gpu", .freq = 800000000, .polling_ms = 50, .load = 62});
}

TEST_CASE("ftrace reads tracefs text with the TGID column and blanks or dashes in task names", "[io][ftrace]") {
  const auto r = read_path(data_dir + "tracefs-tgid.txt");
  REQUIRE(r.events.size() == 5);
  CHECK(r.events[0].task == "kworker/0:1");  // "(-------)": no TGID recorded
  CHECK(r.events[0].pid == 45);
  CHECK(r.events[1].task == "thermal-engine");
  CHECK(r.events[1].pid == 812);
  CHECK(r.events[1].cpu == 3);
  CHECK(r.events[2].task == "Jit thread pool");
  CHECK(r.events[2].pid == 2045);
  CHECK(r.events[3].task == "irq/40-c263000.");
  CHECK(std::get<ft::thermal_zone_trip>(r.events[3].data).type == trip_type::critical);
  CHECK(r.events[4].task == "ui-thread 3-x");
  CHECK(r.events[4].pid == 4242);
  CHECK(std::get<ft::thermal_zone_trip>(r.events[4].data).type == trip_type::hot);
  CHECK(r.events[4].time_ns == 512'100'455'000);
}

TEST_CASE("ftrace reads trace-cmd report text with ns timestamps", "[io][ftrace]") {
  const auto r = read_path(data_dir + "trace-cmd-report-ns.txt");
  REQUIRE(r.events.size() == 6);
  CHECK(r.events[0].time_ns == 210'114'260'331);
  CHECK(r.events[0].line == 5);  // after "version = 6", two "CPU n is empty" and "cpus=4"
  CHECK(std::get<ft::thermal_temperature>(r.events[0].data) == temp("soc-thermal", 0, 68750, 71250));
  CHECK(std::get<ft::cpu_get_power>(r.events[1].data).cpus == std::vector<std::uint32_t>{0, 1, 2, 3});
  CHECK(std::get<ft::power_allocator>(r.events[3].data) ==
        alloc(0, {318}, 318, {318}, 318, 1688, 2060, 71250, -1250));
  CHECK(r.events[4].time_ns == 210'114'511'000);
  CHECK(std::get<ft::cpu_frequency>(r.events[4].data).state == 1200000);
  CHECK(r.events[5].time_ns == 210'120'000'999);
}

TEST_CASE("ftrace reads perf script text with subsystem prefixes and call chains", "[io][ftrace]") {
  const auto r = read_path(data_dir + "perf-script.txt");
  REQUIRE(r.events.size() == 4);
  CHECK(r.events[0].task == "kworker/2:1");
  CHECK(r.events[0].pid == 87);
  CHECK(r.events[0].cpu == 2);
  CHECK(std::get<ft::thermal_temperature>(r.events[0].data) == temp("soc-thermal", 0, 68750, 71250));
  CHECK(std::get<ft::power_allocator>(r.events[1].data).req_power == std::vector<std::uint32_t>{318});
  CHECK(r.events[2].line == 6);  // after two call-chain lines and an empty one
  CHECK(r.events[2].task == "sugov:0");
  CHECK(std::get<ft::cpu_frequency>(r.events[2].data).cpu_id == 0);
  CHECK(r.events[3].task == "Jit thread pool");
  CHECK(r.events[3].pid == 2045);
}

TEST_CASE("ftrace reads the oldest forms: numeric trip type and static power", "[io][ftrace]") {
  const auto r = read_path(data_dir + "linux-4.4-oldest-forms.txt");
  REQUIRE(r.events.size() == 3);
  CHECK(std::get<ft::thermal_zone_trip>(r.events[0].data).type == trip_type::passive);
  CHECK(std::get<ft::cpu_get_power>(r.events[1].data) ==
        ft::cpu_get_power{.cpus = {0, 1}, .freq = 1008000, .load = {100, 0}, .dynamic_power = 402, .static_power = 21});
  CHECK(std::get<ft::power_allocator>(r.events[2].data).req_power == std::vector<std::uint32_t>{423});
}

TEST_CASE("ftrace accepts both brace forms, cpulists, subsystem prefixes and CRLF", "[io][ftrace]") {
  std::string text = line("thermal_power_allocator",
                          "thermal_zone_id=1 req_power={0x96,0x1f4} total_req_power=650 granted_power={150,500} "
                          "total_granted_power=650 power_range=700 max_allocatable_power=900 current_temperature=1 "
                          "delta_temperature=2");
  text += line("thermal_power_cpu_limit", "cpus=0-3,6,8-9 freq=1 cdev_state=0 power=0");
  text += line("thermal_power_cpu_limit", "cpus=00000001,00000000 freq=1 cdev_state=0 power=0");
  text += "     kworker/0:1-45      [000] .....   512.100200: thermal:thermal_temperature: thermal_zone=a b id=1 temp_prev=2 temp=3\r\n";
  std::vector<ft::event> events;
  const auto e = ft::read_all("\xEF\xBB\xBF" + text, "t", events);
  INFO(e.message);
  REQUIRE(e.ok());
  REQUIRE(events.size() == 4);
  const auto& a = std::get<ft::power_allocator>(events[0].data);
  CHECK(a.req_power == std::vector<std::uint32_t>{150, 500});
  CHECK(a.granted_power == std::vector<std::uint32_t>{150, 500});
  CHECK(std::get<ft::cpu_limit>(events[1].data).cpus == std::vector<std::uint32_t>{0, 1, 2, 3, 6, 8, 9});
  CHECK(std::get<ft::cpu_limit>(events[2].data).cpus == std::vector<std::uint32_t>{32});
  CHECK(std::get<ft::thermal_temperature>(events[3].data) == temp("a b", 1, 2, 3));
}

TEST_CASE("ftrace skips and counts unknown events", "[io][ftrace]") {
  std::string text = line("sched_switch", "prev_comm=a prev_pid=1");
  text += line("thermal_temperature", "thermal_zone=z id=0 temp_prev=1 temp=2");
  text += line("sched_switch", "prev_comm=b prev_pid=2");
  text += line("thermal_pressure_update", "cpu=0 thermal_pressure=12");  // not one thermo reads
  text += "     kworker/0:1-45      [000] .....   512.100200: do_sys_open <-do_syscall_64\n";  // function tracer
  text += "<stack trace>\n => thermal_zone_device_update\n";
  ft::reader r(text, "t");
  const auto e = r.next();
  REQUIRE(e.has_value());
  CHECK(e->line == 2);
  CHECK_FALSE(r.next().has_value());
  CHECK(r.error().ok());
  CHECK(r.events() == 1);
  CHECK(r.skipped() == 4);
  CHECK(r.skipped_events().at("sched_switch") == 2);
  CHECK(r.skipped_events().at("thermal_pressure_update") == 1);
  CHECK(r.skipped_events().at("(no event name)") == 1);
}

TEST_CASE("ftrace rejects a bad integer", "[io][ftrace]") {
  const auto e = error_of(line("thermal_power_allocator_pid", "thermal_zone_id=6 err=x err_integral=0 p=0 i=0 d=0 output=0"));
  CHECK(e.code == thermo::errc::parse_error);
  CHECK(e.line == 1);
  CHECK(e.message == "trace.txt:1: thermal_power_allocator_pid: bad value 'x' for err (integer)");
  CHECK(error_of(line("thermal_temperature", "thermal_zone=z id=99999999999 temp_prev=1 temp=2")).message ==
        "trace.txt:1: thermal_temperature: bad value '99999999999' for id (integer)");
  CHECK(error_of(line("cdev_update", "type=t target=-1")).message ==
        "trace.txt:1: cdev_update: bad value '-1' for target (unsigned 64-bit integer)");
  CHECK(error_of(line("thermal_power_cpu_get_power_simple", "cpu=0 power=1.5")).message ==
        "trace.txt:1: thermal_power_cpu_get_power_simple: bad value '1.5' for power (unsigned integer)");
  CHECK(error_of(line("thermal_power_allocator_pid", "thermal_zone_id=6 err=0 err_integral=0 p=+1 i=0 d=0 output=0")).message ==
        "trace.txt:1: thermal_power_allocator_pid: bad value '+1' for p (64-bit integer)");
}

TEST_CASE("ftrace rejects a missing field", "[io][ftrace]") {
  std::string text = line("thermal_temperature", "thermal_zone=z id=0 temp_prev=1 temp=2");
  text += line("thermal_temperature", "thermal_zone=z id=0 temp=2");
  const auto e = error_of(text);
  CHECK(e.line == 2);
  CHECK(e.message == "trace.txt:2: thermal_temperature: missing field temp_prev");
  CHECK(error_of(line("thermal_power_devfreq_get_power", "type=g freq=1 load=2 dynamic_power=3 power=4")).message ==
        "trace.txt:1: thermal_power_devfreq_get_power: missing field static_power");
  CHECK(error_of(line("thermal_power_allocator", "thermal_zone_id=1 req_power={{0x1}} total_req_power=1 total_granted_power=1 "
                                                 "power_range=1 max_allocatable_power=1 current_temperature=1 delta_temperature=1"))
            .message == "trace.txt:1: thermal_power_allocator: missing field granted_power");
}

TEST_CASE("ftrace rejects unexpected, repeated and unnamed fields", "[io][ftrace]") {
  CHECK(error_of(line("cdev_update", "type=t target=1 extra=2")).message == "trace.txt:1: cdev_update: unexpected field 'extra'");
  CHECK(error_of(line("cdev_update", "type=t target=1 target=2")).message == "trace.txt:1: cdev_update: field target appears twice");
  CHECK(error_of(line("cdev_update", "garbage")).message == "trace.txt:1: cdev_update: expected name=value at 'garbage'");
}

TEST_CASE("ftrace rejects more fields than the limit", "[io][ftrace]") {
  std::string fields = "type=t target=1";
  for (int k = 0; k < 31; ++k) {
    fields += " f" + std::to_string(k) + "=1";
  }
  CHECK(error_of(line("cdev_update", fields)).message == "trace.txt:1: cdev_update: more than 32 fields");
}

TEST_CASE("ftrace reports a stream that cannot be read", "[io][ftrace]") {
  struct failing : std::streambuf {
    int_type underflow() override { throw std::runtime_error("disk gone"); }
  };
  failing buf;
  std::istream in(&buf);
  ft::reader r(in, "trace.txt");
  CHECK_FALSE(r.next().has_value());
  CHECK(r.error().code == thermo::errc::io_error);
  CHECK(r.error().message == "trace.txt:1: cannot read the input");
}

TEST_CASE("ftrace rejects a bad trip type", "[io][ftrace]") {
  CHECK(error_of(line("thermal_zone_trip", "thermal_zone=z id=0 trip=1 trip_type=WARM")).message ==
        "trace.txt:1: thermal_zone_trip: bad value 'WARM' for trip_type (CRITICAL, HOT, PASSIVE or ACTIVE)");
  CHECK(error_of(line("thermal_zone_trip", "thermal_zone=z id=0 trip=1 trip_type=4")).message ==
        "trace.txt:1: thermal_zone_trip: bad value '4' for trip_type (CRITICAL, HOT, PASSIVE or ACTIVE)");
  CHECK(error_of(line("thermal_zone_trip", "thermal_zone=z id=0 trip=1 trip_type=passive")).line == 1);
}

TEST_CASE("ftrace rejects a bad cpumask", "[io][ftrace]") {
  for (const std::string_view bad : {"0x0f", "000000000f", "0f,0f", "3-1", "1,1", "g", "", "0-8192", "1-", "1,"}) {
    INFO(bad);
    std::string fields = "cpus=";
    fields += bad;
    fields += " freq=1 cdev_state=0 power=0";
    const auto e = error_of(line("thermal_power_cpu_limit", fields));
    CHECK(e.message.find("trace.txt:1: thermal_power_cpu_limit: bad value '") == 0);
    CHECK(e.message.find("for cpus (cpumask: hex groups like 00000000,0000000f or a list like 0-3,6)") != std::string::npos);
  }
}

TEST_CASE("ftrace rejects arrays of mismatched length and bad arrays", "[io][ftrace]") {
  CHECK(error_of(line("thermal_power_allocator",
                      "thermal_zone_id=1 req_power={{0x1,0x2}} total_req_power=3 granted_power={{0x1}} total_granted_power=1 "
                      "power_range=1 max_allocatable_power=1 current_temperature=1 delta_temperature=1"))
            .message == "trace.txt:1: thermal_power_allocator: granted_power has 1 values, req_power 2 (one per actor)");
  CHECK(error_of(line("thermal_power_cpu_get_power", "cpus=0000000f freq=1 load={{0x1,0x2,0x3}} dynamic_power=1")).message ==
        "trace.txt:1: thermal_power_cpu_get_power: load has 3 values for 4 CPUs in cpus");
  for (const std::string_view bad : {"{{0xZZ}}", "{{0x1,}}", "0x1", "{{0x100000000}}", "{{1;2}}", "{{0x}}"}) {
    INFO(bad);
    std::string fields = "thermal_zone_id=1 req_power=";
    fields += bad;
    fields += " total_req_power=3 granted_power={{0x1}} total_granted_power=1 power_range=1 max_allocatable_power=1 "
              "current_temperature=1 delta_temperature=1";
    const auto e = error_of(line("thermal_power_allocator", fields));
    CHECK(e.message.find("trace.txt:1: thermal_power_allocator: bad value '") == 0);
    CHECK(e.message.find("' for req_power (array like {{0x96,0x1f4}})") != std::string::npos);
  }
}

TEST_CASE("ftrace rejects a line longer than the limit", "[io][ftrace]") {
  std::string text = line("thermal_temperature", "thermal_zone=z id=0 temp_prev=1 temp=2");
  text += line("sched_switch", std::string(ft::max_line_bytes, 'a'));
  const std::string want = "trace.txt:2: line longer than the 64 KiB limit of an ftrace line";
  const auto e = error_of(text);
  CHECK(e.code == thermo::errc::capacity_exceeded);
  CHECK(e.message == want);
  std::istringstream in(text);
  ft::reader r(in, "trace.txt");
  CHECK(r.next().has_value());
  CHECK_FALSE(r.next().has_value());
  CHECK(r.error().message == want);
  // a line of exactly the limit is read (and skipped: an unknown event)
  std::string at_limit = line("sched_switch", "x=");
  at_limit.insert(at_limit.size() - 1, ft::max_line_bytes - at_limit.size() + 1, 'a');
  REQUIRE(at_limit.size() == ft::max_line_bytes + 1);
  std::vector<ft::event> events;
  CHECK(ft::read_all(at_limit, "t", events).ok());
}

TEST_CASE("ftrace fails an endless stream without line ends at the limit", "[io][ftrace]") {
  endless_stream buf('x');
  std::istream in(&buf);
  ft::reader r(in, "/dev/zero");
  CHECK_FALSE(r.next().has_value());
  CHECK(r.error().code == thermo::errc::capacity_exceeded);
  CHECK(r.error().message == "/dev/zero:1: line longer than the 64 KiB limit of an ftrace line");
  ft::reader small("short line\nmuch longer line\n", "t", 12);
  CHECK_FALSE(small.next().has_value());
  CHECK(small.error().message == "t:1: not an ftrace event line 'short line'");
  ft::reader tiny("a much longer line\n", "t", 12);
  CHECK_FALSE(tiny.next().has_value());
  CHECK(tiny.error().message == "t:1: line longer than the 12-byte limit of an ftrace line");
}

TEST_CASE("ftrace rejects binary garbage", "[io][ftrace]") {
  const std::string garbage(std::string_view("\x00\x01\xff\xfe\x7f garbage [1] x", 19));
  const auto e = error_of(garbage);
  CHECK(e.line == 1);
  CHECK(e.message == "trace.txt:1: not an ftrace event line '\\0\\x01\\xff\\xfe\\x7f garbage [1] x'");
  CHECK(error_of(line("thermal_temperature", "thermal_zone=z id=0 temp_prev=1 temp=\x01\x02")).message ==
        "trace.txt:1: thermal_temperature: bad value '\\x01\\x02' for temp (integer)");
}

TEST_CASE("ftrace rejects a truncated line", "[io][ftrace]") {
  const std::string full =
      "  irq/40-c263000.-157   [000] ....    48.035986: thermal_temperature: thermal_zone=cpu6-thermal id=6 "
      "temp_prev=57800 temp=60000\n";
  CHECK(error_of(full.substr(0, 100)).message == "trace.txt:1: thermal_temperature: missing field temp_prev");
  CHECK(error_of(full.substr(0, 113)).message == "trace.txt:1: thermal_temperature: missing field temp");
  CHECK(error_of(full.substr(0, full.find("48.035") + 5)).message == "trace.txt:1: bad or missing timestamp '48.03' (seconds.microseconds:)");
  CHECK(error_of(full.substr(0, 28)).message == "trace.txt:1: not an ftrace event line '  irq/40-c263000.-157   [000'");
  CHECK(error_of("thermal_temperature: thermal_zone=z id=1 temp_prev=1 temp=2").message.find("not an ftrace event line") != std::string::npos);
}

TEST_CASE("ftrace stops at the first error", "[io][ftrace]") {
  std::string text = line("cdev_update", "type=t target=x");
  text += line("cdev_update", "type=t target=1");
  ft::reader r(text, "trace.txt");
  CHECK_FALSE(r.next().has_value());
  CHECK_FALSE(r.next().has_value());
  CHECK(r.error().line == 1);
  CHECK(r.events() == 0);
}

TEST_CASE("ftrace writes lines as tracefs prints them", "[io][ftrace]") {
  CHECK(ft::format(ev(48'035'986'000, "irq/40-c263000.", 157, 0, temp("cpu6-thermal", 6, 57800, 60000))) ==
        " irq/40-c263000.-157     [000] .....    48.035986: thermal_temperature: thermal_zone=cpu6-thermal id=6 "
        "temp_prev=57800 temp=60000");
  CHECK(ft::format(ev(3'021'466'102'001, "kworker/3:0", 77, 12, ft::devfreq_monitor{.dev_name = "fb000000.gpu", .freq = 800000000, .polling_ms = 50, .load = 62})) ==
        "     kworker/3:0-77      [012] .....  3021.466102001: devfreq_monitor: dev_name=fb000000.gpu                   "
        "freq=800000000    polling_ms=50  load=62");
  CHECK(ft::format_fields(alloc(6, {150, 500}, 650, {1776, 0}, 1776, 1776, 1776, 60000, 10000)) ==
        "thermal_zone_id=6 req_power={{0x96,0x1f4}} total_req_power=650 granted_power={{0x6f0,0x0}} total_granted_power=1776 "
        "power_range=1776 max_allocatable_power=1776 current_temperature=60000 delta_temperature=10000");
  CHECK(ft::format_fields(ft::cpu_limit{.cpus = {0, 40}, .freq = 1, .cdev_state = 2, .power = 3}) ==
        "cpus=00000100,00000001 freq=1 cdev_state=2 power=3");
  std::ostringstream out;
  ft::writer w(out);
  w.write(ev(1'000'000, "k", 1, 0, ft::cpu_frequency{.state = 1, .cpu_id = 2}));
  CHECK(w.ok());
  CHECK(w.written() == 1);
  CHECK(out.str().substr(0, 14) == "# tracer: nop\n");
  CHECK(out.str().ends_with("               k-1       [000] .....     0.001000: cpu_frequency: state=1 cpu_id=2\n"));
}

TEST_CASE("ftrace round-trips every event type", "[io][ftrace]") {
  const std::vector<ft::event> all = every_event();
  for (const ft::event& e : all) {
    const std::string text = ft::format(e);
    INFO(text);
    std::vector<ft::event> back;
    const auto err = ft::read_all(text, "rt", back);
    INFO(err.message);
    REQUIRE(err.ok());
    REQUIRE(back.size() == 1);
    CHECK(back[0] == e);
  }
  // through the writer and the streaming reader
  std::stringstream s;
  ft::writer w(s);
  for (const ft::event& e : all) {
    w.write(e);
  }
  REQUIRE(w.ok());
  ft::reader r(s, "written");
  std::size_t k = 0;
  while (auto e = r.next()) {
    REQUIRE(k < all.size());
    CHECK(*e == all[k]);
    ++k;
  }
  CHECK(r.error().ok());
  CHECK(k == all.size());
  CHECK(r.skipped() == 0);
}

TEST_CASE("ftrace reads a file the documented way", "[io][ftrace]") {
  const std::string path = data_dir + "linux-6.8-ipa-actors.txt";
  std::size_t actors = 0;
  // [read-loop]
  std::ifstream in(path, std::ios::binary);
  thermo::io::ftrace::reader r(in, path);
  while (const auto e = r.next()) {
    if (const auto* a = std::get_if<thermo::io::ftrace::power_actor>(&e->data)) {
      actors += a->req_power > 0 ? 1 : 0;
    }
  }
  if (!r.error().ok()) {
    std::fprintf(stderr, "%s\n", r.error().message.c_str());  // "trace.txt:12: …: bad value …"
  }
  // [read-loop]
  CHECK(r.error().ok());
  CHECK(actors == 3);
  CHECK(r.skipped() == 1);
}

TEST_CASE("ftrace streams a large generated input", "[io][ftrace]") {
  constexpr std::size_t lines = 200'000;  // about 25 MB of text, never held at once
  generated_stream buf(lines);
  std::istream in(&buf);
  ft::reader r(in, "generated");
  std::size_t count = 0;
  ft::event last;
  while (auto e = r.next()) {
    ++count;
    last = std::move(*e);
  }
  INFO(r.error().message);
  REQUIRE(r.error().ok());
  CHECK(count == lines - lines / 10);
  CHECK(r.skipped() == lines / 10);
  CHECK(r.line() == lines);
  const std::size_t k = lines - 2;  // the last thermal_temperature line (every tenth line is a sched_switch)
  CHECK(last.line == k + 1);
  CHECK(last.time_ns == static_cast<std::int64_t>(k / 1000 * 1'000'000'000 + (k % 1000) * 1'000'000));
  CHECK(std::get<ft::thermal_temperature>(last.data).temp_prev == static_cast<std::int32_t>(40000 + k % 1000));
}
