// `thermo audit TRACE`: a board's power allocator checked against the reference. Every governor
// tick the kernel logged is re-run with thermo's power allocator from what the kernel logged,
// and the logged PID terms and grants are compared (analysis/ipa_audit.hpp). Parameters the
// trace does not log come from the options, from a device tree or SoC preset, or from the trace
// where it pins them, and the report says which. Reference: docs/reference/cli.md; how-to:
// docs/how-to/check-your-boards-power-allocator.md.
#pragma once

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit_power.hpp"
#include "audit_trace.hpp"
#include "cli.hpp"
#include "replay.hpp"
#include "system_source.hpp"
#include "thermo/analysis/ipa_audit.hpp"
#include "thermo/control/kernel_version.hpp"
#include "thermo/io/ftrace.hpp"
#include "zone_system.hpp"

namespace thermo::cli {

inline constexpr std::string_view audit_help = R"(usage: thermo audit TRACE [--zone NAME] [--soc PRESET | --dtb FILE.dtb]
                    [--tzp NAME=VALUE]... [--control-temp MC] [--switch-on-temp MC]
                    [--weight ACTOR=W]... [--max-power ACTOR=MW]... [--kernel VERSION]
                    [--tolerance-mw N] [--gap SECONDS] [--output FILE.csv]

Re-runs the power allocator on every governor tick a kernel logged in TRACE (ftrace text, as
trace-cmd report or tracefs print it; '-' = standard input) and compares the logged PID terms
(err, err_integral, p, i, d, output) and each actor's granted power with the reference.

  --zone NAME         the thermal zone (its type, e.g. cpu-thermal); needed when several zones
                      logged power-allocator ticks, and with --soc/--dtb
  --soc PRESET        take the zone's trips, sustainable power, weights and each actor's
  --dtb FILE          maximum power from a built-in SoC or a device-tree blob (Energy Model)
  --tzp NAME=VALUE    sustainable_power, k_po, k_pu, k_i, k_d, integral_cutoff (as in sysfs),
                      or passive_delay (ms, for the derivative term); repeatable
  --control-temp MC   the control temperature (default: current + delta of each tick)
  --switch-on-temp MC the switch-on temperature (used for the default gains)
  --weight ACTOR=W    an actor's weight (contribution, 1024 = 1.0); ACTOR is its name or index
  --max-power ACTOR=MW  an actor's maximum power (state2power of its lower limit)
  --kernel VERSION    whose power split to reproduce (default 6.12 = 6.12.117); see
                      docs/reference/kernel-versions.md
  --tolerance-mw N    values within N (mW, m°C for err) count as matching (default 0)
  --gap SECONDS       ticks further apart may have ticks missing between them: the integral is
                      taken from the trace again when it cannot follow (default 1)
  --output FILE       one row per tick: time_s,current_temperature, then logged:Q,computed:Q
                      for Q in err, err_integral, p, i, d, output and granted:<actor>

Exit status 0 when every compared value matches within the tolerance, 1 otherwise.
)";

namespace detail {

/// A file name as messages show it: made printable, never cut (a long path stays whole).
inline std::string shown_name(std::string_view s) { return io::printable(s, 4096); }

/// "NAME=VALUE" of a repeatable option, the value an integer in [lo, hi].
struct named_value {
  std::string name;
  std::int64_t value{0};
};

inline outcome<named_value> parse_named(std::string_view flag, std::string_view s, std::int64_t lo, std::int64_t hi,
                                        std::string_view unit) {
  const auto eq = s.find('=');
  if (eq == std::string_view::npos || eq == 0) {
    return outcome<named_value>::fail(std::string(flag) + " " + io::printable(s) + ": expected ACTOR=" + std::string(unit));
  }
  const auto v = io::parse_int(s.substr(eq + 1), lo, hi, io::exact);
  if (!v) {
    std::string m(flag);
    m += ' ';
    m += io::printable(s);
    m += ": not an integer within ";
    m += std::to_string(lo);
    m += "..";
    m += std::to_string(hi);
    return outcome<named_value>::fail(m);
  }
  return named_value{std::string(s.substr(0, eq)), *v};
}

/// The actor an `--weight`/`--max-power` name means: its name, or its index.
inline std::optional<std::size_t> actor_index(const std::vector<std::string>& names, std::string_view a) {
  for (std::size_t k = 0; k < names.size(); ++k) {
    if (names[k] == a) {
      return k;
    }
  }
  const auto v = io::parse_int(a, 0, static_cast<std::int64_t>(names.size()) - 1, io::exact);
  if (v) {
    return static_cast<std::size_t>(*v);
  }
  return std::nullopt;
}

inline std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) {
    if (!s.empty()) {
      s += ", ";
    }
    s += x;
  }
  return s;
}

/// What a device tree / SoC says about the zone's power allocator.
struct em_zone {
  std::optional<std::int32_t> switch_on;
  std::optional<std::int32_t> control;
  std::uint32_t sustainable_power{0};  ///< the zone's, or the kernel's estimate
  bool sustainable_estimated{false};
  control::thermal_zone_params tzp{};  ///< after bind
  std::vector<std::string> names;      ///< actors in bind order
  std::vector<std::uint32_t> weights;
  std::vector<std::uint32_t> max_power;
  std::uint32_t divisor_ms{0};
};

inline outcome<em_zone> em_from(zone_system& sys) {
  em_zone out;
  auto& tz = sys.zone();
  const control::ipa::governor_trips gt = control::ipa::get_governor_trips(tz.trips());
  if (gt.max < 0) {
    return outcome<em_zone>::fail("zone " + io::quoted(sys.description().name) + " has no passive or active trip for the power allocator");
  }
  out.control = tz.trip(static_cast<std::size_t>(gt.max)).trip.temperature.count();
  if (gt.switch_on >= 0) {
    out.switch_on = tz.trip(static_cast<std::size_t>(gt.switch_on)).trip.temperature.count();
  }
  out.tzp = tz.params();
  out.divisor_ms = control::ipa::derivative_divisor(tz.passive_delay());
  std::uint32_t estimate = 0;
  for (control::thermal_instance& i : tz.instances()) {
    if (i.trip != gt.max || !control::ipa::is_power_actor(i)) {
      continue;
    }
    out.names.emplace_back(i.cdev->type());
    out.weights.push_back(i.weight);
    const result<milliwatts> mx = i.cdev->device().state2power(i.lower);
    out.max_power.push_back(mx && mx->count() >= 0 ? static_cast<std::uint32_t>(mx->count()) : 0U);
    const result<milliwatts> up = i.cdev->device().state2power(i.upper);
    if (up && up->count() >= 0) {
      estimate += static_cast<std::uint32_t>(up->count());
    }
  }
  if (out.names.empty()) {
    return outcome<em_zone>::fail("zone " + io::quoted(sys.description().name) + " has no power actor on its control trip");
  }
  out.sustainable_power = out.tzp.sustainable_power > 0 ? static_cast<std::uint32_t>(out.tzp.sustainable_power) : estimate;
  out.sustainable_estimated = out.tzp.sustainable_power <= 0;
  return out;
}

/// "246 (trace: 246..246)".
template <class T>
std::string describe(const analysis::ipa_audit::parameter<T>& p, std::string_view unit = {}, bool used = true) {
  std::string s = p.value ? std::to_string(*p.value) : std::string("unknown");
  if (p.value && !unit.empty()) {
    s += ' ';
    s += unit;
  }
  s += " (";
  s += analysis::ipa_audit::to_string(p.from);
  if (p.lo && p.hi && p.from != analysis::ipa_audit::source::option) {
    if (*p.lo > *p.hi) {
      s = "unknown (no single value explains the trace's terms";
    } else if (*p.lo != *p.hi) {
      s += ", the trace allows ";
      s += std::to_string(*p.lo);
      s += "..";
      s += std::to_string(*p.hi);
    }
  }
  if (!used) {
    s += "; no tick uses it";
  }
  s += ')';
  return s;
}

inline std::string seconds(std::int64_t ns) {
  std::ostringstream os;
  os.setf(std::ios::fixed);
  os.precision(6);
  os << static_cast<double>(ns) / 1e9;
  return os.str();
}

}  // namespace detail

/// `thermo audit …`: returns the exit code; the report goes to `out`, errors to `err`.
inline int audit_main(std::vector<std::string_view> argv, std::ostream& err, std::ostream& out = std::cout) {
  namespace ia = analysis::ipa_audit;
  args a("audit", std::move(argv));
  if (a.wants_help()) {
    out << audit_help;
    return exit_ok;
  }
  failure f;
  const auto zone = a.take("--zone", f);
  const auto soc = a.take("--soc", f);
  const auto dtb = a.take("--dtb", f);
  const std::vector<std::string_view> tzps = a.take_all("--tzp", f);
  const auto control_opt = a.take("--control-temp", f);
  const auto switch_opt = a.take("--switch-on-temp", f);
  const std::vector<std::string_view> weight_opts = a.take_all("--weight", f);
  const std::vector<std::string_view> max_opts = a.take_all("--max-power", f);
  const auto kernel_opt = a.take("--kernel", f);
  const auto tolerance_opt = a.take("--tolerance-mw", f);
  const auto gap_opt = a.take("--gap", f);
  const auto output = a.take("--output", f);
  const std::vector<std::string_view> pos = a.positional();
  a.finish(f);
  const auto usage = [&](std::string m) {
    if (f.message.empty()) {
      f = {"audit: " + std::move(m), exit_usage};
    }
  };
  if (f.message.empty() && pos.size() != 1) {
    usage(pos.empty() ? "give the trace to audit (see thermo audit --help)" : "one trace at a time (see thermo audit --help)");
  }
  if (soc && dtb) {
    usage("give at most one of --soc and --dtb");
  }
  if ((soc || dtb) && !zone) {
    usage("--soc/--dtb need --zone NAME");
  }
  ia::parameters prm;
  std::optional<std::int64_t> passive_delay_ms;
  for (const std::string_view s : tzps) {
    if (s.substr(0, 14) == "passive_delay=") {
      const auto v = io::parse_int(s.substr(14), 0, 3'600'000, io::exact);
      if (!v) {
        usage("--tzp " + io::printable(s) + ": passive_delay is in ms, an integer within 0..3600000");
      } else {
        passive_delay_ms = *v;
      }
      continue;
    }
    auto w = parse_tzp(s);
    if (!w) {
      usage(w.message());
      continue;
    }
    const auto v32 = static_cast<std::int32_t>(w->value);
    if (w->name == "sustainable_power") {
      if (w->value >= control::ipa::sustainable_power_limit) {
        usage("--tzp sustainable_power must be below 2097152 mW");
      }
      prm.sustainable_power.set(static_cast<std::uint32_t>(w->value), ia::source::option);
    } else if (w->name == "k_po") {
      prm.k_po.set(v32, ia::source::option);
    } else if (w->name == "k_pu") {
      prm.k_pu.set(v32, ia::source::option);
    } else if (w->name == "k_i") {
      prm.k_i.set(v32, ia::source::option);
    } else if (w->name == "k_d") {
      prm.k_d.set(v32, ia::source::option);
    } else {
      prm.integral_cutoff.set(v32, ia::source::option);
    }
  }
  const auto temp_opt = [&](const std::optional<std::string_view>& o, std::string_view flag, ia::parameter<std::int32_t>& p) {
    if (!o) {
      return;
    }
    const auto v = io::parse_int(*o, -273'000, 1'000'000, io::exact);
    if (!v) {
      usage(std::string(flag) + " " + io::printable(*o) + ": m°C, an integer within -273000..1000000");
    } else {
      p.set(static_cast<std::int32_t>(*v), ia::source::option);
    }
  };
  temp_opt(control_opt, "--control-temp", prm.control_temp);
  temp_opt(switch_opt, "--switch-on-temp", prm.switch_on_temp);
  std::vector<detail::named_value> weights;
  std::vector<detail::named_value> maxes;
  for (const std::string_view s : weight_opts) {
    auto v = detail::parse_named("--weight", s, 0, 4'294'967'295LL, "W");
    v ? weights.push_back(*v) : usage(v.message());
  }
  for (const std::string_view s : max_opts) {
    auto v = detail::parse_named("--max-power", s, 0, 4'294'967'295LL, "MW");
    v ? maxes.push_back(*v) : usage(v.message());
  }
  control::kernel_version kv = control::default_kernel;
  if (kernel_opt) {
    const auto k = control::parse_kernel_version(*kernel_opt);
    if (!k) {
      usage("--kernel " + io::printable(*kernel_opt) + ": " + std::string(k.error().what));
    } else {
      kv = *k;
    }
  }
  prm.kernel = control::kernel_behaviour_of(kv);
  std::int64_t tolerance = 0;
  if (tolerance_opt) {
    const auto v = io::parse_int(*tolerance_opt, 0, 1'000'000'000, io::exact);
    v ? void(tolerance = *v) : usage("--tolerance-mw " + io::printable(*tolerance_opt) + ": an integer within 0..1000000000");
  }
  if (gap_opt) {
    const auto v = io::parse_double(*gap_opt, io::exact);
    if (!v || !(*v > 0.0) || *v > 1e6) {
      usage("--gap " + io::printable(*gap_opt) + ": seconds, a number within (0, 1e6]");
    } else {
      prm.gap_ns = static_cast<std::int64_t>(*v * 1e9);
    }
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }

  // The Energy Model, first: a bad --soc/--dtb fails before the trace is read.
  std::unique_ptr<zone_system> sys;
  std::optional<system_source> src;
  if (soc || dtb) {
    auto s = dtb ? load_dtb(std::string(*dtb)) : load_preset(*soc);
    if (!s) {
      err << "thermo audit: " << s.message() << '\n';
      return dtb ? exit_failure : exit_usage;
    }
    src.emplace(std::move(*s));
    auto built = zone_system::build(src->description(), src->dt(), *zone, "power_allocator");
    if (!built) {
      err << "thermo audit: " << built.message() << '\n';
      return exit_usage;
    }
    sys = std::move(*built);
  }

  // The trace, streamed.
  const std::string path(pos.front());
  std::ifstream file;
  std::istream* in = &std::cin;
  const std::string name = path == "-" ? std::string("<stdin>") : path;
  if (path != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      err << "thermo audit: cannot read '" << detail::shown_name(path) << "': Is a directory\n";
      return exit_failure;
    }
    file.open(path, std::ios::binary);
    if (!file.is_open()) {
      err << "thermo audit: cannot read '" << detail::shown_name(path) << "'\n";
      return exit_failure;
    }
    in = &file;
  }
  io::ftrace::reader rd(*in, name);
  audit_collector col;
  std::optional<power_request_audit> requests;
  if (sys) {
    requests.emplace(*sys);
    requests->set_source(detail::shown_name(name));
  }
  while (auto e = rd.next()) {
    col.add(*e);
    if (requests) {
      requests->add(*e);
    }
  }
  if (!rd.error().ok()) {
    err << "thermo audit: " << rd.error().message << '\n';
    return exit_failure;
  }
  // The zone.
  const std::map<std::int32_t, std::string> zones = col.allocator_zones();
  std::int32_t tz_id = -1;
  if (zone) {
    const std::map<std::string, std::int32_t> named = col.named_zones();
    if (const auto it = named.find(std::string(*zone)); it != named.end()) {
      tz_id = it->second;
    } else if (zones.size() == 1 && zones.begin()->second.empty()) {
      tz_id = zones.begin()->first;  // no temperature event names it: the only zone with ticks
    } else {
      std::vector<std::string> names;
      for (const auto& [n, id] : named) {
        names.push_back(n + " (id " + std::to_string(id) + ")");
      }
      err << "thermo audit: no thermal_temperature event of zone " << io::quoted(*zone) << " in " << detail::shown_name(name)
          << " (zones: " << (names.empty() ? std::string("none") : detail::join(names)) << ")\n";
      return exit_failure;
    }
  } else if (zones.size() == 1) {
    tz_id = zones.begin()->first;
  } else if (zones.empty()) {
    err << "thermo audit: no power-allocator events in " << detail::shown_name(name)
        << " (record thermal_power_allocator:* events; see docs/how-to/check-your-boards-power-allocator.md)\n";
    return exit_failure;
  } else {
    std::vector<std::string> names;
    for (const auto& [id, n] : zones) {
      names.push_back((n.empty() ? std::string("id ") : n + " id ") + std::to_string(id));
    }
    err << "thermo audit: several zones logged power-allocator ticks (" << detail::join(names) << "): choose one with --zone\n";
    return exit_usage;
  }
  audit_ticks at = col.take(tz_id);
  if (at.ticks.empty()) {
    err << "thermo audit: no complete power-allocator tick of zone " << (at.zone.empty() ? std::to_string(tz_id) : at.zone)
        << " in " << detail::shown_name(name) << " (a tick is a thermal_power_allocator_pid event and its thermal_power_allocator event)\n";
    return exit_failure;
  }
  std::size_t n_actors = 0;
  for (const auto& t : at.ticks) {
    n_actors = std::max(n_actors, t.actors.size());
  }
  for (const auto& t : at.ticks) {
    if (t.actors.size() != n_actors) {
      err << "thermo audit: " << detail::shown_name(name) << ":" << t.line << ": " << t.actors.size() << " actors where earlier ticks had "
          << n_actors << "\n";
      return exit_failure;
    }
  }
  std::vector<std::string> notes;
  // Parameters from the Energy Model, under the options.
  prm.max_power.resize(n_actors);
  std::vector<std::string> actor_names = at.actor_names;
  if (sys) {
    auto em = detail::em_from(*sys);
    if (!em) {
      err << "thermo audit: " << em.message() << '\n';
      return exit_usage;
    }
    if (em->names.size() != n_actors) {
      err << "thermo audit: the trace's zone has " << n_actors << " actors, " << (dtb ? "the device tree" : "the SoC") << " binds "
          << em->names.size() << " (" << detail::join(em->names) << ")\n";
      return exit_failure;
    }
    // Actor k of the trace is the EM actor of the same name, else of the same position.
    std::vector<std::size_t> map(n_actors);
    for (std::size_t k = 0; k < n_actors; ++k) {
      map[k] = k;
      if (at.names_from_trace) {
        const auto it = std::find(em->names.begin(), em->names.end(), at.actor_names[k]);
        if (it == em->names.end()) {
          err << "thermo audit: actor " << io::quoted(at.actor_names[k]) << " of the trace is not an actor of zone "
              << io::quoted(*zone) << " (" << detail::join(em->names) << ")\n";
          return exit_failure;
        }
        map[k] = static_cast<std::size_t>(it - em->names.begin());
      }
    }
    if (!at.names_from_trace) {
      actor_names = em->names;
    }
    prm.weights.resize(n_actors);
    for (std::size_t k = 0; k < n_actors; ++k) {
      prm.weights[k] = em->weights[map[k]];
      prm.max_power[k].set(em->max_power[map[k]], ia::source::device);
    }
    if (!prm.sustainable_power.known()) {
      prm.sustainable_power.set(em->sustainable_power, ia::source::device);
      if (em->sustainable_estimated) {
        notes.push_back("the device tree gives no sustainable-power: the kernel's estimate, the actors' power at their upper limits");
      }
    }
    if (!prm.switch_on_temp.known() && em->switch_on) {
      prm.switch_on_temp.set(*em->switch_on, ia::source::device);
    }
    if (!prm.control_temp.known() && em->control) {
      prm.control_temp.set(*em->control, ia::source::device);
    }
    if (!passive_delay_ms) {
      prm.divisor_ms = em->divisor_ms;
    }
    if (prm.sustainable_power.from == ia::source::device) {
      // the gains the kernel estimates from it at bind
      control::thermal_zone_params tzp{};
      std::optional<millicelsius> sw;
      if (prm.switch_on_temp.value) {
        sw = millicelsius{*prm.switch_on_temp.value};
      }
      control::ipa::estimate_pid_constants(tzp, *prm.sustainable_power.value, sw, millicelsius{prm.control_temp.value.value_or(0)});
      if (!prm.k_po.known()) {
        prm.k_po.set(tzp.k_po, ia::source::estimate);
      }
      if (!prm.k_pu.known()) {
        prm.k_pu.set(tzp.k_pu, ia::source::estimate);
      }
      if (!prm.k_i.known()) {
        prm.k_i.set(tzp.k_i, ia::source::estimate);
      }
    }
  }
  if (passive_delay_ms) {
    prm.divisor_ms = control::ipa::derivative_divisor(milliseconds{*passive_delay_ms});
  }
  for (const auto& w : weights) {
    const auto k = detail::actor_index(actor_names, w.name);
    if (!k) {
      err << "thermo audit: --weight " << io::printable(w.name) << ": no such actor (" << detail::join(actor_names) << ")\n";
      return exit_usage;
    }
    prm.weights.resize(n_actors);
    prm.weights[*k] = static_cast<std::uint32_t>(w.value);
  }
  for (const auto& m : maxes) {
    const auto k = detail::actor_index(actor_names, m.name);
    if (!k) {
      err << "thermo audit: --max-power " << io::printable(m.name) << ": no such actor (" << detail::join(actor_names) << ")\n";
      return exit_usage;
    }
    prm.max_power[*k].set(static_cast<std::uint32_t>(m.value), ia::source::option);
  }
  ia::resolve(prm, at.ticks);
  const ia::report rep = ia::run(at.ticks, prm, tolerance);

  // The per-tick CSV, before the summary (written whole or not at all).
  if (output) {
    std::string csv = "time_s,current_temperature";
    for (std::size_t q = 0; q < ia::term_count; ++q) {
      const char* qn = ia::to_string(static_cast<ia::term>(q));
      csv += ",logged:";
      csv += qn;
      csv += ",computed:";
      csv += qn;
    }
    for (const std::string& n : actor_names) {
      csv += ",logged:granted:";
      csv += n;
      csv += ",computed:granted:";
      csv += n;
    }
    csv += '\n';
    for (const ia::tick_result& r : rep.ticks) {
      csv += detail::seconds(r.time_ns);
      csv += ',';
      csv += std::to_string(r.current_temperature);
      for (std::size_t q = 0; q < ia::term_count; ++q) {
        csv += ',';
        csv += std::to_string(r.logged[q]);
        csv += ',';
        if (r.checked[q]) {
          csv += std::to_string(r.computed[q]);
        }
      }
      for (std::size_t k = 0; k < r.logged_granted.size(); ++k) {
        csv += ',';
        csv += std::to_string(r.logged_granted[k]);
        csv += ',';
        if (r.granted_checked[k]) {
          csv += std::to_string(r.computed_granted[k]);
        }
      }
      csv += '\n';
    }
    io::output_set set;
    set.add_input(path);
    if (dtb) {
      set.add_input(std::string(*dtb));
    }
    std::ostream* os = nullptr;
    io::file_error e = set.open(std::string(*output), os);
    if (e.ok()) {
      *os << csv;
      e = set.commit();
    }
    if (!e.ok()) {
      err << "thermo audit: " << e.message << '\n';
      return exit_failure;
    }
  }

  // The summary.
  std::ostringstream s;
  s << "thermo audit: " << detail::shown_name(name) << ", zone " << (at.zone.empty() ? std::string("?") : at.zone) << " (id " << tz_id
    << "), kernel " << kv.major << '.' << kv.minor << '.' << kv.patch << '\n';
  s << "  trace form: "
    << (at.per_actor_events ? "6.8 and later (thermal_power_actor events)"
                            : (at.arrays ? "6.7 and earlier (per-actor arrays)" : "no per-actor figures"))
    << "; " << at.temperature_events << " zone updates, " << at.resets << " without a tick (controller reset)\n";
  s << "  parameters:\n";
  s << "    sustainable_power " << detail::describe(prm.sustainable_power, "mW") << '\n';
  bool po_used = false;
  bool pu_used = false;
  bool i_used = false;
  for (const auto& t : at.ticks) {
    po_used = po_used || t.err < 0;
    pu_used = pu_used || t.err > 0;
    i_used = i_used || t.err_integral != 0;
  }
  s << "    k_po " << detail::describe(prm.k_po, {}, po_used) << ", k_pu " << detail::describe(prm.k_pu, {}, pu_used) << '\n';
  s << "    k_i " << detail::describe(prm.k_i, {}, i_used) << ", k_d " << detail::describe(prm.k_d) << ", integral_cutoff "
    << detail::describe(prm.integral_cutoff, "m°C") << '\n';
  s << "    control temperature: "
    << (prm.control_temp.known() ? detail::describe(prm.control_temp, "m°C") : std::string("current + delta of each tick (trace)"))
    << '\n';
  if (prm.switch_on_temp.known()) {
    s << "    switch-on temperature: " << detail::describe(prm.switch_on_temp, "m°C") << '\n';
  }
  std::uint32_t total_weight = 0;
  for (const std::uint32_t w : prm.weights) {
    total_weight += w;
  }
  s << "    actors (" << (at.names_from_trace ? "named by the trace's cdev_update events" : (sys ? "named by the zone's bindings" : "in logged order"))
    << "):\n";
  for (std::size_t k = 0; k < n_actors; ++k) {
    s << "      " << actor_names[k] << ": weight "
      << (total_weight == 0 ? std::string("1024 (all weights 0)") : std::to_string(k < prm.weights.size() ? prm.weights[k] : 0U))
      << ", max power " << detail::describe(prm.max_power[k], "mW") << '\n';
  }
  for (const std::string& n : notes) {
    s << "  note: " << n << '\n';
  }
  for (const std::size_t line : at.incomplete) {
    s << "  note: " << detail::shown_name(name) << ":" << line << ": a thermal_power_allocator event without its PID event: not compared\n";
  }
  for (const std::string& p : at.problems) {
    s << "  warning: " << detail::shown_name(name) << ":" << p << '\n';
  }
  s << "  ticks compared: " << rep.ticks.size() << "; identical: " << rep.identical << "; within " << tolerance
    << (tolerance == 0 ? "" : " mW") << ": " << rep.within << '\n';
  if (rep.resyncs > 0) {
    s << "  resyncs: " << rep.resyncs << " (after gaps with ticks missing, the integral was taken from the trace:";
    for (const ia::tick_result& r : rep.ticks) {
      if (r.resync) {
        s << " line " << r.line;
      }
    }
    s << ")\n";
  }
  if (rep.grants_unchecked > 0) {
    s << "  grants not checked on " << rep.grants_unchecked
      << " ticks: the actors' maximum powers are unknown (give --soc/--dtb or --max-power)\n";
  }
  const auto describe_div = [&](const ia::divergence& d) {
    std::string w = d.what;
    if (d.actor) {
      w += ':';
      w += actor_names[*d.actor];
    }
    return detail::shown_name(name) + ":" + std::to_string(d.line) + " (t = " + detail::seconds(d.time_ns) + " s): " + w +
           " logged " + std::to_string(d.logged) + ", reference " + std::to_string(d.computed);
  };
  if (rep.first) {
    s << "  first divergence: " << describe_div(*rep.first) << '\n';
  } else if (rep.first_difference) {
    s << "  first difference (within the tolerance): " << describe_div(*rep.first_difference) << '\n';
  } else {
    s << "  every compared value is identical\n";
  }
  bool requests_ok = true;
  if (requests) {
    if (requests->checked() == 0 && requests->unchecked() == 0) {
      s << "  power requests: no thermal_power_cpu_get_power[_simple] or thermal_power_devfreq_get_power events of the zone's devices\n";
    } else {
      s << "  power requests checked against the Energy Model: " << requests->checked() << "; consistent: " << requests->matched();
      if (requests->unchecked() > 0) {
        s << "; not checked (no cpu_frequency event before them): " << requests->unchecked();
      }
      s << '\n';
      if (requests->first()) {
        s << "  first mismatch: " << *requests->first() << '\n';
        requests_ok = false;
      }
    }
  }
  out << s.str();
  return rep.first || !requests_ok ? exit_failure : exit_ok;
}

}  // namespace thermo::cli
