// `thermo replay`: a recorded temperature trace through one thermal zone, exactly as Linux 6.12
// processes it — the first row enables the zone, every later row is one
// `thermal_zone_device_update()`. Input and output formats: docs/reference/cli.md.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "run_export_replay.hpp"
#include "system_source.hpp"
#include "thermo/control/events.hpp"
#include "thermo/control/governors/power_allocator.hpp"
#include "thermo/control/thermal_of.hpp"
#include "thermo/io/output.hpp"
#include "thermo/io/scenario.hpp"  // io::read_modelled_kernel
#include "zone_system.hpp"

namespace thermo::cli {

/// One column of a replay trace.
struct trace_column {
  enum class kind : std::uint8_t { temperature, time_ms, load_cpu, freq_cpu, load_device, freq_device };
  kind k{kind::temperature};
  std::uint32_t cpu{0};     ///< load_cpu / freq_cpu
  std::size_t device{0};    ///< load_device / freq_device: index in zone_system::devices()
};

/// A parsed trace: columns and integer rows (temperature m°C, time ms, load in m%, freq kHz).
struct trace {
  std::vector<trace_column> columns;
  std::vector<std::vector<std::int64_t>> rows;
  std::vector<std::size_t> lines;  ///< 1-based source line of each row
};

/// Why `prefix` + `what` names no devfreq device of `sys`. Devices are named by their kernel
/// type ("devfreq-ff9a0000.gpu"); a column naming one by its device-tree node (gpu@ff9a0000,
/// or its path) gets the column to write instead.
inline std::string unknown_device_column(const zone_system& sys, std::string_view prefix, std::string_view what) {
  for (const bound_device& d : sys.devices()) {
    if ((d.devfreq != nullptr || d.devfreq_plain_dev != nullptr) && (what == d.node || what == control::of_node_name(d.node))) {
      return "devices are named as the kernel names them: write '" + std::string(prefix) + d.column + "'";
    }
  }
  return "expected cpuN or a devfreq device bound to the zone";
}

/// "408000, 600000, …, 1416000 kHz": an OPP list for a message (at most 12 values shown).
inline std::string opp_list(std::span<const std::uint32_t> khz) {
  std::string s;
  for (std::size_t k = 0; k < khz.size(); ++k) {
    if (khz.size() > 12 && k == 6) {
      s += ", \xE2\x80\xA6";  // …, then the last six
      k = khz.size() - 6;
    }
    s += (s.empty() ? "" : ", ") + std::to_string(khz[k]);
  }
  return s + " kHz";
}

/// Why `khz` in a frequency column `c` is not an OPP ("" when it is): a CPU's frequency is one
/// of its cpufreq policy's OPPs (cpufreq only ever runs at one); a devfreq device's one of its
/// table's (devfreq cooling prices an exact OPP only, else the kernel skips the actor).
inline std::string not_an_opp(const zone_system& sys, const trace_column& c, std::uint32_t khz) {
  std::vector<std::uint32_t> opps;
  std::string owner;
  if (c.k == trace_column::kind::freq_cpu) {
    const zone_system::cpu_policy* p = sys.policy_of(c.cpu);
    if (p == nullptr) {
      return {};
    }
    opps = p->frequencies;
    owner = "cpufreq " + p->name;
  } else if (c.k == trace_column::kind::freq_device) {
    const bound_device& d = sys.devices()[c.device];
    if (d.devfreq == nullptr) {
      return {};
    }
    for (control::cooling_state st = d.devfreq->get_max_state() + 1; st-- > 0;) {
      opps.push_back(d.devfreq->frequency_of(st).count());  // state 0 is the highest OPP
    }
    owner = d.column;
  } else {
    return {};
  }
  if (std::find(opps.begin(), opps.end(), khz) != opps.end()) {
    return {};
  }
  return "frequency " + std::to_string(khz) + " kHz is not an OPP of " + owner + " (" + opp_list(opps) + ")";
}

/// Why two frequency columns of one cpufreq policy cannot both hold on one row.
inline std::string policy_disagreement(const zone_system& sys, std::uint32_t cpu_a, std::uint32_t cpu_b, std::int64_t khz_a,
                                       std::int64_t khz_b) {
  std::string policy;
  for (const bound_device& d : sys.devices()) {
    if (d.cpufreq != nullptr && std::find(d.cpus.begin(), d.cpus.end(), cpu_a) != d.cpus.end()) {
      policy = d.column;
    }
  }
  if (policy.empty()) {
    policy = "cpufreq ";
    policy += sys.policy_of(cpu_a)->name;
  }
  std::string s = "freq:cpu";
  s += std::to_string(cpu_a);
  s += " (";
  s += std::to_string(khz_a);
  s += ") and freq:cpu";
  s += std::to_string(cpu_b);
  s += " (";
  s += std::to_string(khz_b);
  s += ") differ but name one cpufreq policy (";
  s += policy;
  s += "), which runs all its CPUs at one frequency: keep one freq column per policy";
  return s;
}

/// Parses a replay trace for `sys` (column names are checked against its CPUs and devices).
/// Errors name the source and line: "trace.csv:7: bad temperature 'abc' (integer m°C)"; a
/// frequency must be one of the policy's or device's OPPs, and two frequency columns of one
/// policy (freq:cpu0 and freq:cpu1) must agree on every row. Input quoted in a message is escaped
/// and cut (io::quoted). A leading UTF-8 BOM is skipped; CR-only line ends are accepted.
inline outcome<trace> parse_trace(std::string_view text, std::string_view source, const zone_system& sys) {
  const auto fail = [&](std::size_t line, const std::string& what) {
    return outcome<trace>::fail(std::string(source) + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + what);
  };
  trace t;
  const std::vector<std::string_view> lines = split_lines(io::skip_bom(text));
  bool have_header = false;
  std::vector<std::string_view> header;
  std::size_t temperature_columns = 0;
  std::vector<std::pair<std::size_t, std::size_t>> same_policy;  // (earlier, later) freq columns of one policy
  for (std::size_t li = 0; li < lines.size(); ++li) {
    const std::string_view line = trim(lines[li]);
    const std::size_t lineno = li + 1;
    if (line.empty() || line.front() == '#') {
      continue;
    }
    const std::vector<std::string_view> fields = split_csv(line);
    if (!have_header) {
      have_header = true;
      header = fields;
      std::vector<std::string_view> seen;
      for (const std::string_view f : fields) {
        if (std::find(seen.begin(), seen.end(), f) != seen.end()) {
          return fail(lineno, "column " + io::quoted(f) + " appears twice");
        }
        seen.push_back(f);
        trace_column c;
        if (f == "temperature") {
          c.k = trace_column::kind::temperature;
          ++temperature_columns;
        } else if (f == "time_ms") {
          c.k = trace_column::kind::time_ms;
        } else if (f.substr(0, 5) == "load:" || f.substr(0, 5) == "freq:") {
          const bool load = f.substr(0, 5) == "load:";
          const std::string_view what = f.substr(5);
          std::optional<std::int64_t> cpu;
          if (what.substr(0, 3) == "cpu") {
            cpu = io::parse_int(what.substr(3), 0, 4095, io::exact);
          }
          if (cpu) {
            const auto& known = sys.known_cpus();
            if (std::find(known.begin(), known.end(), static_cast<std::uint32_t>(*cpu)) == known.end()) {
              return fail(lineno, "column " + io::quoted(f) + ": CPU " + std::to_string(*cpu) + " is in no cpufreq policy of this SoC");
            }
            c.k = load ? trace_column::kind::load_cpu : trace_column::kind::freq_cpu;
            c.cpu = static_cast<std::uint32_t>(*cpu);
          } else {
            bool found = false;
            const auto devs = sys.devices();
            for (std::size_t d = 0; d < devs.size(); ++d) {
              if (devs[d].column == what && (devs[d].devfreq != nullptr || devs[d].devfreq_plain_dev != nullptr)) {
                c.k = load ? trace_column::kind::load_device : trace_column::kind::freq_device;
                c.device = d;
                found = true;
              }
            }
            if (!found) {
              return fail(lineno, "column " + io::quoted(f) + ": " + unknown_device_column(sys, f.substr(0, 5), what));
            }
          }
        } else {
          return fail(lineno, "unknown column " + io::quoted(f) +
                                  " (temperature, time_ms, load:cpuN, freq:cpuN, load:<devfreq device>, freq:<devfreq device>)");
        }
        t.columns.push_back(c);
      }
      if (temperature_columns != 1) {
        return fail(lineno, "the header needs a 'temperature' column");
      }
      // Two frequency columns of one policy (a recording with a column per CPU) are accepted
      // when they agree on every row: cpufreq runs all CPUs of a policy at one frequency.
      for (std::size_t b = 0; b < t.columns.size(); ++b) {
        for (std::size_t a = 0; a < b && t.columns[b].k == trace_column::kind::freq_cpu; ++a) {
          if (t.columns[a].k == trace_column::kind::freq_cpu && sys.policy_of(t.columns[a].cpu) == sys.policy_of(t.columns[b].cpu)) {
            same_policy.emplace_back(a, b);
            break;
          }
        }
      }
      continue;
    }
    if (fields.size() != t.columns.size()) {
      return fail(lineno, "expected " + std::to_string(t.columns.size()) + " fields, found " + std::to_string(fields.size()));
    }
    std::vector<std::int64_t> row(fields.size());
    for (std::size_t k = 0; k < fields.size(); ++k) {
      const std::string_view f = fields[k];
      std::optional<std::int64_t> v;
      switch (t.columns[k].k) {
        case trace_column::kind::temperature:
          v = io::parse_int(f, -2'147'483'647, 2'147'483'647, io::exact);
          if (!v) {
            return fail(lineno, "bad temperature " + io::quoted(f) + " (an integer in m°C)");
          }
          break;
        case trace_column::kind::time_ms:
          v = io::parse_int(f, 0, std::int64_t{1} << 40, io::exact);
          if (!v) {
            return fail(lineno, "bad time_ms " + io::quoted(f) + " (an integer number of ms, >= 0)");
          }
          if (!t.rows.empty() && *v < t.rows.back()[k]) {
            return fail(lineno, "time_ms goes backwards (" + io::printable(f) + " after " + std::to_string(t.rows.back()[k]) + ")");
          }
          break;
        case trace_column::kind::load_cpu:
        case trace_column::kind::load_device:
          v = io::parse_fixed(f, 3, 100'000, io::exact);
          if (!v) {
            return fail(lineno, "bad load " + io::quoted(f) + " (a percentage 0..100, at most 3 decimals)");
          }
          break;
        case trace_column::kind::freq_cpu:
        case trace_column::kind::freq_device:
          v = io::parse_int(f, 1, 0xFFFF'FFFF, io::exact);
          if (!v) {
            return fail(lineno, "bad frequency " + io::quoted(f) + " (an integer in kHz, > 0)");
          }
          if (const std::string e = not_an_opp(sys, t.columns[k], static_cast<std::uint32_t>(*v)); !e.empty()) {
            return fail(lineno, "column " + std::to_string(k + 1) + " (" + io::printable(header[k]) + "): " + e);
          }
          break;
      }
      row[k] = *v;
    }
    for (const auto& [a, b] : same_policy) {
      if (row[a] != row[b]) {
        return fail(lineno, policy_disagreement(sys, t.columns[a].cpu, t.columns[b].cpu, row[a], row[b]));
      }
    }
    t.rows.push_back(std::move(row));
    t.lines.push_back(lineno);
  }
  if (!have_header) {
    return fail(0, "empty trace (no header line)");
  }
  if (t.rows.empty()) {
    return fail(0, "no data rows after the header");
  }
  return t;
}

/// A `--tzp NAME=VALUE` write, as to the zone's sysfs file of that name.
struct tzp_write {
  std::string name;
  std::int64_t value{0};
};

/// Parses `NAME=VALUE` with the kernel's sysfs rules: sustainable_power is a u32
/// (`kstrtou32`), the others s32 (`kstrtos32`).
inline outcome<tzp_write> parse_tzp(std::string_view s) {
  const auto eq = s.find('=');
  const std::string_view name = eq == std::string_view::npos ? s : s.substr(0, eq);
  static constexpr std::array<std::string_view, 6> names{"sustainable_power", "k_po", "k_pu", "k_i", "k_d", "integral_cutoff"};
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    return outcome<tzp_write>::fail("--tzp " + io::printable(s) +
                                    ": unknown parameter (sustainable_power, k_po, k_pu, k_i, k_d, integral_cutoff)");
  }
  if (eq == std::string_view::npos) {
    return outcome<tzp_write>::fail("--tzp " + io::printable(s) + ": expected NAME=VALUE");
  }
  const std::string_view value = s.substr(eq + 1);
  const bool u32 = name == "sustainable_power";
  const auto v = io::parse_int(value, u32 ? 0 : -2'147'483'648LL, u32 ? 4'294'967'295LL : 2'147'483'647LL, io::exact);
  if (!v || (u32 && !value.empty() && value.front() == '-')) {
    return outcome<tzp_write>::fail("--tzp " + io::printable(s) + ": " +
                                    (u32 ? "not an unsigned 32-bit integer" : "not a signed 32-bit integer"));
  }
  return tzp_write{std::string(name), *v};
}

/// Applies `--tzp` writes to the zone parameters, in order, each validated as thermo's
/// `set_sustainable_power` / `set_pid_gains` do. Returns "" or a one-line error.
inline std::string apply_tzp(control::thermal_zone_device& tz, const std::vector<tzp_write>& writes) {
  for (const tzp_write& w : writes) {
    error e{};
    if (w.name == "sustainable_power") {
      if (w.value > 0x7FFF'FFFF) {
        return "--tzp sustainable_power=" + std::to_string(w.value) + ": above what thermo can hold";
      }
      e = control::set_sustainable_power(tz, milliwatts(static_cast<std::int32_t>(w.value)));
    } else {
      control::pid_gains g = control::get_pid_gains(tz);
      const auto v = static_cast<std::int32_t>(w.value);
      if (w.name == "k_po") {
        g.k_po = v;
      } else if (w.name == "k_pu") {
        g.k_pu = v;
      } else if (w.name == "k_i") {
        g.k_i = v;
      } else if (w.name == "k_d") {
        g.k_d = v;
      } else {
        g.integral_cutoff = v;
      }
      e = control::set_pid_gains(tz, g);
    }
    if (!e.ok()) {
      return "--tzp " + w.name + "=" + std::to_string(w.value) + ": " + e.what + " (" + std::string(to_string(e.code)) + ")";
    }
  }
  return {};
}

/// What replay prints for one power-allocator actor.
struct ipa_actor_column {
  std::string name;
  const control::thermal_cooling_device* core{nullptr};
};

/// Replays `t` through `sys`, streaming the output CSV to `os` row by row (memory does not
/// grow with the trace); returns the number of rows. `progress` may be null.
/// `exports` (optional) is told after each row's update (--export-ftrace, --perfetto).
inline outcome<std::size_t> run_replay(zone_system& sys, const trace& t, std::ostream& os, progress* prog = nullptr,
                                       replay_exports* exports = nullptr) {
  auto& tz = sys.zone();
  const auto* ipa = sys.power_allocator();
  // actors: instances of trip_max with power callbacks, in instance order
  std::vector<ipa_actor_column> actors;
  if (ipa != nullptr && ipa->trips().max >= 0) {
    for (const control::thermal_instance& i : tz.instances()) {
      if (i.trip != ipa->trips().max || !control::ipa::is_power_actor(i)) {
        continue;
      }
      for (const bound_device& d : sys.devices()) {
        if (d.core == i.cdev) {
          actors.push_back({d.column, d.core});
        }
      }
    }
  }
  std::string out = "step,temperature,crossings,window_low,window_high,poll_ms";
  for (const bound_device& d : sys.devices()) {
    out += ",state:" + d.column;
  }
  if (ipa != nullptr) {
    out += ",err,p,i,d,power_range";
    for (const ipa_actor_column& a : actors) {
      out += ",requested:" + a.name + ",max:" + a.name + ",granted:" + a.name;
    }
  }
  out += '\n';
  os << out;

  std::optional<std::size_t> time_col;
  std::size_t temp_col = 0;
  for (std::size_t k = 0; k < t.columns.size(); ++k) {
    if (t.columns[k].k == trace_column::kind::time_ms) {
      time_col = k;
    } else if (t.columns[k].k == trace_column::kind::temperature) {
      temp_col = k;
    }
  }
  sim_time now{};
  std::int64_t next_step_ms = 1000;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const std::vector<std::int64_t>& row = t.rows[r];
    if (time_col) {
      now = sim_time(std::chrono::milliseconds(row[*time_col]));
    } else if (r > 0) {
      now += std::chrono::milliseconds(next_step_ms);
    }
    // inputs: per-CPU load (default 100 %), policy frequency (default: the cap)
    for (bound_device& d : sys.devices()) {
      if (d.cpufreq != nullptr) {
        std::optional<std::uint32_t> freq;
        for (std::size_t k = 0; k < d.cpus.size(); ++k) {
          std::int64_t load = 100'000;
          for (std::size_t c = 0; c < t.columns.size(); ++c) {
            if (t.columns[c].cpu == d.cpus[k] && t.columns[c].k == trace_column::kind::load_cpu) {
              load = row[c];
            } else if (t.columns[c].cpu == d.cpus[k] && t.columns[c].k == trace_column::kind::freq_cpu) {
              freq = static_cast<std::uint32_t>(row[c]);
            }
          }
          const std::uint64_t cap = d.capacity[k];
          const auto util = static_cast<std::uint32_t>((static_cast<std::uint64_t>(load) * cap + 99'999U) / 100'000U);
          static_cast<void>(d.cpufreq->set_cpu(k, control::cpufreq_cpu_load{util, d.capacity[k], true}));
        }
        d.cpufreq->set_current_frequency(freq ? kilohertz(*freq) : d.cpufreq->max_frequency());
      } else if (d.devfreq != nullptr) {
        std::int64_t load = 100'000;
        std::optional<std::uint64_t> khz;
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          if (&sys.devices()[t.columns[c].device] != &d) {
            continue;
          }
          if (t.columns[c].k == trace_column::kind::load_device) {
            load = row[c];
          } else if (t.columns[c].k == trace_column::kind::freq_device) {
            khz = static_cast<std::uint64_t>(row[c]);
          }
        }
        const std::uint64_t cur_khz = khz ? *khz : d.devfreq->frequency_of(d.devfreq->get_cur_state()).count();
        d.devfreq->set_status(control::devfreq_status{static_cast<std::uint64_t>(load), 100'000U, hertz(cur_khz * 1000U)});
      }
    }
    sys.sensor().set(millicelsius(static_cast<std::int32_t>(row[temp_col])));
    sys.events().clear();
    const control::update_result res = r == 0 ? tz.enable(now) : tz.update(now);
    if (exports != nullptr) {
      exports->after_update(now, sys.events());
    }

    std::string crossings;
    auto& ev = sys.events();
    for (std::size_t k = 0; k < ev.size(); ++k) {
      const control::thermal_event& e = ev[k];
      if (e.type == control::event_type::tz_trip_up || e.type == control::event_type::tz_trip_down) {
        crossings += crossings.empty() ? "" : ";";
        crossings += e.type == control::event_type::tz_trip_up ? "up:" : "down:";
        crossings += std::to_string(e.trip_id);
      }
    }
    std::int64_t poll_ms = 0;
    if (res.next_update && *res.next_update > now) {
      poll_ms = std::chrono::duration_cast<std::chrono::milliseconds>(*res.next_update - now).count();
    }
    next_step_ms = poll_ms > 0 ? poll_ms : 1000;

    out = std::to_string(r);
    out += ',' + std::to_string(row[temp_col]);
    out += ',' + crossings;
    out += ',' + std::to_string(tz.window_low().count());
    out += ',' + std::to_string(tz.window_high().count());
    out += ',' + std::to_string(poll_ms);
    for (const bound_device& d : sys.devices()) {
      out += ',' + std::to_string(d.core->cur_state());
    }
    if (ipa != nullptr) {
      const control::ipa::round_trace& lr = ipa->last_round();
      const bool allocated = res.status == control::update_status::updated && lr.allocated;
      if (allocated) {
        out += ',' + std::to_string(lr.pid.err) + ',' + std::to_string(lr.pid.p) + ',' + std::to_string(lr.pid.i) + ',' +
               std::to_string(lr.pid.d) + ',' + std::to_string(lr.pid.power_range);
        const auto slots = ipa->actors();
        for (std::size_t a = 0; a < actors.size(); ++a) {
          if (a < slots.size()) {
            out += ',' + std::to_string(slots[a].req_power) + ',' + std::to_string(slots[a].max_power) + ',' +
                   std::to_string(slots[a].granted_power);
          } else {
            out += ",,,";
          }
        }
      } else {
        out += ",,,,,";
        for (std::size_t a = 0; a < actors.size(); ++a) {
          out += ",,,";
        }
      }
    }
    out += '\n';
    os << out;
    if (prog != nullptr) {
      prog->update(static_cast<double>(r + 1) / static_cast<double>(t.rows.size()),
                   std::to_string(r + 1) + "/" + std::to_string(t.rows.size()) + " rows");
    }
  }
  return t.rows.size();
}

/// `run_replay` into a string (the whole output CSV).
inline outcome<std::string> run_replay(zone_system& sys, const trace& t, progress* prog = nullptr) {
  std::ostringstream os;
  if (auto rows = run_replay(sys, t, os, prog); !rows) {
    return outcome<std::string>::fail(rows.message());
  }
  return os.str();
}

/// `thermo replay --ftrace TRACE` on a built zone (tools/thermo/replay_ftrace.hpp, included at
/// the end of this file): returns the exit code; errors go to `err` as one line.
inline int replay_ftrace_main(zone_system& sys, const std::string& trace_path, const std::string& output,
                              const std::vector<std::string>& inputs, std::ostream& err);

inline constexpr std::string_view replay_help = R"(usage: thermo replay (--dtb FILE.dtb | --soc PRESET) --zone NAME (--input TRACE.csv | --ftrace TRACE.txt)
                     [--governor NAME] [--kernel VERSION] [--sustainable-power MW]
                     [--tzp NAME=VALUE]... [--output FILE.csv] [--export-ftrace FILE]
                     [--perfetto FILE.json]

Replays a recorded temperature trace through one thermal zone exactly as Linux 6.12 processes
it: the first row enables the zone, every later row is one thermal_zone_device_update().

  --dtb FILE        device-tree blob of the board (e.g. a copy of /sys/firmware/fdt)
  --soc PRESET      a built-in SoC instead (rk3399, hi3660, mt8183, mt8173, exynos5422, rk3588)
  --zone NAME       thermal zone (the device-tree node name, e.g. cpu-thermal)
  --input FILE      trace CSV ('-' = standard input); header: temperature (m°C), optional
                    time_ms, load:cpuN (%, default 100), freq:cpuN (kHz, default: the policy's
                    cap), load:<dev> / freq:<dev> for a devfreq device (its kernel name, e.g.
                    load:devfreq-ff9a0000.gpu)
  --ftrace FILE     a kernel ftrace text instead ('trace-cmd report' or tracefs 'trace'): every
                    thermal_temperature event of the zone is one update, and the cdev_update
                    and thermal_zone_trip events logged after it are compared with what thermo
                    decides; prints the comparison, exit 0 only when all match
  --governor NAME   step_wise (default), bang_bang, fair_share, user_space, power_allocator
  --kernel VERSION  the Linux release whose governor behaviour to reproduce, 6.12.0 or later
                    (default 6.12 = 6.12.117), e.g. 6.12.17: the power allocator's split of
                    6.8 … 6.12.17; see docs/reference/kernel-versions.md
  --sustainable-power MW
                    the zone's sustainable power as its device tree would give it: the power
                    allocator estimates its gains from it when it binds, and --tzp gain writes
                    then stick (a --tzp sustainable_power write re-estimates them instead)
  --tzp NAME=VALUE  write a zone parameter after binding, as to its sysfs file:
                    sustainable_power, k_po, k_pu, k_i, k_d, integral_cutoff (repeatable)
  --output FILE     output CSV (default: standard output); written whole or not at all.
                    With --ftrace: time_s, temperature, logged:<dev>, thermo:<dev> per device,
                    logged_trips, thermo_trips, line per update (default: none)
  --export-ftrace FILE
                    the replay as ftrace text, the thermal events as Linux 6.12 logs them
                    (Perfetto UI opens it; docs/how-to/look-at-a-simulation-in-perfetto-or-kernelshark.md)
  --perfetto FILE   the replay as Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing)

Output: step,temperature,crossings,window_low,window_high,poll_ms, state:<cooling device> for
every bound device, and with power_allocator err,p,i,d (Q10), power_range and
requested:<dev>,max:<dev>,granted:<dev> (mW) per actor; devices under the kernel's names
(cpufreq-cpu0, devfreq-ff9a0000.gpu, pwm-fan). See docs/reference/cli.md.
)";

/// `thermo replay …`: returns the exit code; errors go to `err` as one line.
inline int replay_main(std::vector<std::string_view> argv, std::ostream& err) {
  args a("replay", std::move(argv));
  if (a.wants_help()) {
    std::cout << replay_help;
    return exit_ok;
  }
  failure f;
  const auto dtb = a.take("--dtb", f);
  const auto soc = a.take("--soc", f);
  const auto zone = a.take("--zone", f);
  const auto input = a.take("--input", f);
  const auto ftrace = a.take("--ftrace", f);
  const auto governor = a.take("--governor", f);
  const auto output = a.take("--output", f);
  const std::vector<std::string_view> tzps = a.take_all("--tzp", f);
  const auto sustainable_opt = a.take("--sustainable-power", f);
  const auto kernel_opt = a.take("--kernel", f);
  const auto export_ftrace = a.take("--export-ftrace", f);
  const auto perfetto_opt = a.take("--perfetto", f);
  a.finish(f);
  control::kernel_version kernel = control::default_kernel;
  if (f.message.empty() && kernel_opt) {
    if (const std::string m = io::read_modelled_kernel(*kernel_opt, kernel); !m.empty()) {
      std::string msg = "replay: --kernel: ";  // appended: gcc 12 -O3 -Wrestrict (GCC bug 105329)
      msg += m;
      f = {std::move(msg), exit_usage};
    }
  }
  std::optional<std::uint32_t> sustainable;
  if (f.message.empty() && sustainable_opt) {
    // thermo's power allocator holds sustainable powers below 2^21 mW (as --tzp)
    const auto v = io::parse_int(*sustainable_opt, 0, (1 << 21) - 1, io::exact);
    if (!v) {
      f = {"replay: bad --sustainable-power '" + io::printable(*sustainable_opt) + "' (mW, an integer within 0..2097151)", exit_usage};
    } else {
      sustainable = static_cast<std::uint32_t>(*v);
    }
  }
  if (f.message.empty()) {
    if (dtb.has_value() == soc.has_value()) {
      f = {"replay: give exactly one of --dtb FILE and --soc PRESET (see thermo replay --help)", exit_usage};
    } else if (!zone) {
      f = {"replay: --zone NAME is required (see thermo replay --help)", exit_usage};
    } else if (!input && !ftrace) {
      f = {"replay: --input FILE is required (see thermo replay --help)", exit_usage};
    } else if (input && ftrace) {
      f = {"replay: give one of --input FILE.csv and --ftrace FILE, not both", exit_usage};
    } else if (ftrace && (export_ftrace || perfetto_opt)) {
      f = {"replay: --export-ftrace and --perfetto export the replay of a CSV trace (--input); with --ftrace the input is "
           "already the kernel's trace (open it in ui.perfetto.dev as it is)",
           exit_usage};
    }
  }
  std::vector<tzp_write> writes;
  for (const std::string_view s : tzps) {
    if (!f.message.empty()) {
      break;
    }
    auto w = parse_tzp(s);
    if (!w) {
      f = {"replay: " + w.message(), exit_usage};
    } else {
      writes.push_back(*w);
    }
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }
  auto src = dtb ? load_dtb(std::string(*dtb)) : load_preset(*soc);
  if (!src) {
    err << "thermo replay: " << src.message() << '\n';
    return dtb ? exit_failure : exit_usage;
  }
  auto sys = zone_system::build(src->description(), src->dt(), *zone, governor.value_or("step_wise"), sustainable,
                                control::kernel_behaviour_of(kernel));
  if (!sys) {
    err << "thermo replay: " << sys.message() << '\n';
    return exit_usage;
  }
  if (const std::string e = apply_tzp((*sys)->zone(), writes); !e.empty()) {
    err << "thermo replay: " << e << '\n';
    return exit_usage;
  }
  if (ftrace) {
    std::vector<std::string> inputs;
    if (dtb) {
      inputs.emplace_back(*dtb);
    }
    return replay_ftrace_main(**sys, std::string(*ftrace), std::string(output.value_or("")), inputs, err);
  }
  const std::string in_name(*input);
  const auto text = read_input(in_name, io::max_csv_trace_bytes, "a CSV trace");
  if (!text) {
    err << "thermo replay: " << text.message() << '\n';
    return exit_failure;
  }
  auto tr = parse_trace(*text, in_name == "-" ? std::string_view("<stdin>") : std::string_view(in_name), **sys);
  if (!tr) {
    err << "thermo replay: " << tr.message() << '\n';
    return exit_failure;
  }
  io::output_set outputs;
  outputs.add_input(in_name);
  if (dtb) {
    outputs.add_input(std::string(*dtb));
  }
  std::ostream* os = nullptr;
  if (const io::file_error e = outputs.open(std::string(output.value_or("-")), os); !e.ok()) {
    err << "thermo replay: " << e.message << '\n';
    return exit_failure;
  }
  std::ostream* ftrace_out = nullptr;
  std::ostream* perfetto_out = nullptr;
  for (const auto& [file, out] : {std::pair{export_ftrace, &ftrace_out}, std::pair{perfetto_opt, &perfetto_out}}) {
    if (!file) {
      continue;
    }
    if (const io::file_error e = outputs.open(std::string(*file), *out); !e.ok()) {
      err << "thermo replay: " << e.message << '\n';
      return exit_failure;
    }
  }
  replay_exports exports(ftrace_out, perfetto_out, **sys);
  progress prog("thermo replay");
  auto rows = run_replay(**sys, *tr, *os, &prog, exports.active() ? &exports : nullptr);
  prog.done();
  if (!rows) {
    err << "thermo replay: " << rows.message() << '\n';
    return exit_failure;
  }
  if (const std::string e = exports.finish(); !e.empty()) {
    err << "thermo replay: " << e << '\n';
    return exit_failure;
  }
  if (const io::file_error e = outputs.commit(); !e.ok()) {
    err << "thermo replay: " << e.message << '\n';
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace thermo::cli

#include "replay_ftrace.hpp"  // IWYU pragma: keep (defines replay_ftrace_main)
