// `thermo sweep`: runs a scenario over a grid, a zip or a Latin hypercube of key values on all
// cores, one results row per point; shards for a cluster, merges the shards, resumes, ranks
// and plots. See docs/reference/sweep.md. Host code.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "run_export_point.hpp"
#include "scenario.hpp"
#include "sweep_axes.hpp"
#include "sweep_plot.hpp"
#include "sweep_results.hpp"
#include "sweep_runner.hpp"
#include "sweep_study.hpp"

namespace thermo::cli {

inline constexpr std::string_view sweep_help =
    R"(usage: thermo sweep SCENARIO --axis KEY=VALUES [--axis …] [--zip | --samples N [--seed S]]
                   [--kernel VERSION] [--jobs N] [--shard I/N] --output RESULTS.csv|RESULTS.jsonl
                   [--top K --by METRIC [--max]] [--pareto] [--plot FILE.svg]
                   [--export-point N (--ftrace FILE | --perfetto FILE.json)…]
       thermo sweep --study STUDY.ini [--kernel VERSION] [--jobs N] [--shard I/N] --output … [--top …] [--plot …]
       thermo sweep --merge SHARD_FILES… --output RESULTS.csv|RESULTS.jsonl [--top …] [--plot …]

Runs SCENARIO once per point and writes one row per point: the point's number, its value of
each axis, its status ("ok" or the error), every metric of the run and the hash of its trace.

  --axis KEY=VALUES  KEY is SECTION.KEY (run.ambient) or SECTION.NAME.KEY
                     (zone.cpu-thermal.sustainable_power); VALUES a list a,b,c, a range
                     lo:hi:n or a log range lo:hi:n:log, optionally followed by a unit that
                     every value gets ('1:10:5 min', '0.5,1 s')
  --zip              pair the axes' values (equal lengths) instead of the cross product
  --samples N        N points of a Latin hypercube over the axes (--seed S, default 0)
  --study FILE       the scenario, design and axes from a study file (docs/reference/sweep.md)
  --kernel VERSION   every point reproduces this Linux release's governor behaviour (6.12.0
                     or later; replaces [run] kernel; not recorded in the results); to compare
                     kernels, sweep the axis run.kernel=6.12.17,6.12 instead
  --jobs N           threads (default: all cores); the results do not depend on it
  --shard I/N        run only the points whose number modulo N is I (0 ≤ I < N)
  --output FILE      .csv or .jsonl; an existing file of the same study is resumed
  --merge            merge shard files (positional) into --output
  --top K --by M     print the K points with the smallest metric M (--max: largest;
                     --by -M also maximises)
  --pareto           print the Pareto front: the points no other beats on peak temperature,
                     work done (throughput) and energy together
  --plot FILE.svg    key metrics against each axis, and the Pareto front
  --export-point N   run point N once more after the sweep and write it with --ftrace FILE
                     (the thermal ftrace events as Linux 6.12 logs them) and/or --perfetto
                     FILE.json (trace-event JSON for ui.perfetto.dev); see
                     docs/how-to/look-at-a-simulation-in-perfetto-or-kernelshark.md

Details: docs/reference/sweep.md.
)";

namespace sweep_detail {

/// Seconds between the checkpoints a long sweep writes to --output (so that it can resume).
inline constexpr auto checkpoint_every = std::chrono::seconds(10);

struct shard_spec {
  std::size_t index{0};
  std::size_t count{1};
};

inline std::optional<shard_spec> parse_shard(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) {
    return std::nullopt;
  }
  const auto i = io::parse_int(s.substr(0, slash), 0, 1'000'000, io::exact);
  const auto n = io::parse_int(s.substr(slash + 1), 1, 1'000'000, io::exact);
  if (!i || !n || *i >= *n) {
    return std::nullopt;
  }
  return shard_spec{static_cast<std::size_t>(*i), static_cast<std::size_t>(*n)};
}

/// Writes `content` to `path` whole or not at all, never over one of `inputs`: "" or the message.
inline std::string write_whole(const std::string& path, std::string_view content, const std::vector<std::string>& inputs) {
  io::output_set outs;
  for (const std::string& in : inputs) {
    outs.add_input(in);
  }
  std::ostream* o = nullptr;
  io::file_error e = outs.open(path, o);
  if (e.ok()) {
    *o << content;
    e = outs.commit();
  }
  return e.ok() ? std::string() : e.message;
}

/// What the command does after the table is complete: --top, --plot.
struct reading {
  std::optional<std::size_t> top;
  std::string by;
  bool maximise{false};
  bool pareto{false};
  std::string plot;
  std::string plot_title;
};

inline int finish_table(const sweep::result_table& t, const std::string& output, const std::vector<std::string>& inputs,
                        const reading& rd, std::ostream& err) {
  const std::string text = sweep::render(t, output);
  std::string e;
  if (!rd.plot.empty()) {
    // both files appear together, or neither
    io::output_set outs;
    for (const std::string& in : inputs) {
      outs.add_input(in);
    }
    std::ostream* o1 = nullptr;
    std::ostream* o2 = nullptr;
    io::file_error fe = outs.open(output, o1);
    if (fe.ok()) {
      fe = outs.open(rd.plot, o2);
    }
    if (fe.ok()) {
      *o1 << text;
      *o2 << sweep::plot_svg(t, rd.plot_title);
      fe = outs.commit();
    }
    e = fe.ok() ? std::string() : fe.message;
  } else {
    e = write_whole(output, text, inputs);
  }
  if (!e.empty()) {
    err << "thermo sweep: " << e << '\n';
    return exit_failure;
  }
  if (rd.top) {
    const auto best = sweep::top_rows(t, rd.by, *rd.top, rd.maximise);
    if (best.empty()) {
      std::string names;
      for (const std::string& c : sweep::metric_columns(t)) {
        names += (names.empty() ? "" : ", ") + c;
      }
      err << "thermo sweep: --by " << rd.by << ": no point has this metric (metrics: " << (names.empty() ? "none" : names) << ")\n";
      return exit_failure;
    }
    std::cout << sweep::top_table(t, best, rd.by);
  }
  if (rd.pareto) {
    const std::string front = sweep::pareto_table(t);
    if (front.empty()) {
      err << "thermo sweep: --pareto: the results have no peak temperature or no work/throughput metric to trade\n";
      return exit_failure;
    }
    std::cout << "Pareto front (no other point is better in every column):\n" << front;
  }
  std::size_t failed = 0;
  for (const auto& r : t.rows) {
    failed += r.status == "ok" ? 0U : 1U;
  }
  if (failed > 0) {
    err << "thermo sweep: " << failed << " of " << t.rows.size() << " points failed (their status column says why)\n";
  }
  return exit_ok;
}

/// `--merge FILES… --output OUT`.
inline int merge_main(const std::vector<std::string_view>& files, const std::string& output, const reading& rd, std::ostream& err) {
  if (files.empty()) {
    err << "thermo sweep: --merge needs the shard files to merge\n";
    return exit_usage;
  }
  sweep::result_table all;
  std::vector<std::string> inputs;
  std::vector<std::string> from;  // per merged row: its file
  for (const std::string_view f : files) {
    const std::string path(f);
    inputs.push_back(path);
    const auto text = read_input(path);
    if (!text) {
      err << "thermo sweep: " << text.message() << '\n';
      return exit_failure;
    }
    auto t = sweep::read_results(*text, path);
    if (!t) {
      err << "thermo sweep: " << t.message() << '\n';
      return exit_failure;
    }
    if (inputs.size() == 1) {
      all.axes = t->axes;
    } else if (t->axes != all.axes) {
      const auto list = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& x : v) {
          s += (s.empty() ? "" : ", ") + x;
        }
        return s.empty() ? std::string("none") : s;
      };
      err << "thermo sweep: --merge: " << path << " has other parameters (" << list(t->axes) << ") than " << inputs.front() << " ("
          << list(all.axes) << "): not shards of one study\n";
      return exit_failure;
    }
    for (auto& r : t->rows) {
      all.rows.push_back(std::move(r));
      from.push_back(path);
    }
  }
  std::vector<std::size_t> order(all.rows.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return all.rows[a].point != all.rows[b].point ? all.rows[a].point < all.rows[b].point : a < b;
  });
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::size_t i = order[k];
    if (k > 0 && all.rows[order[k - 1]].point == all.rows[i].point) {
      err << "thermo sweep: --merge: point " << all.rows[i].point << " is in both " << from[order[k - 1]] << " and " << from[i] << '\n';
      return exit_failure;
    }
    if (all.rows[i].point != k) {
      err << "thermo sweep: --merge: point " << k << " is in none of the files (a shard missing or incomplete?)\n";
      return exit_failure;
    }
  }
  all.sort();
  return finish_table(all, output, inputs, rd, err);
}

}  // namespace sweep_detail

/// `thermo sweep …`.
inline int sweep_main(std::vector<std::string_view> argv, std::ostream& err) {
  args a("sweep", std::move(argv));
  if (a.wants_help()) {
    std::cout << sweep_help;
    return exit_ok;
  }
  failure f;
  const std::vector<std::string_view> axis_specs = a.take_all("--axis", f);
  const bool zip = a.flag("--zip");
  const bool merge = a.flag("--merge");
  const auto samples_opt = a.take("--samples", f);
  const auto seed_opt = a.take("--seed", f);
  const auto jobs_opt = a.take("--jobs", f);
  const auto shard_opt = a.take("--shard", f);
  const auto output_opt = a.take("--output", f);
  const auto top_opt = a.take("--top", f);
  const auto by_opt = a.take("--by", f);
  const bool maximise = a.flag("--max");
  const bool pareto = a.flag("--pareto");
  const auto plot_opt = a.take("--plot", f);
  const auto study_opt = a.take("--study", f);
  const auto kernel_opt = a.take("--kernel", f);
  const auto export_point_opt = a.take("--export-point", f);
  const auto ftrace_opt = a.take("--ftrace", f);
  const auto perfetto_opt = a.take("--perfetto", f);
  const std::vector<std::string_view> pos = a.positional();
  a.finish(f);
  const auto usage = [&](const std::string& m) {
    if (f.message.empty()) {
      f = {"sweep: " + m, exit_usage};
    }
  };
  std::optional<control::kernel_version> kernel;
  if (kernel_opt) {
    control::kernel_version k;
    if (const std::string m = io::read_modelled_kernel(*kernel_opt, k); !m.empty()) {
      std::string msg = "--kernel: ";  // appended: gcc 12 -O3 -Wrestrict (GCC bug 105329)
      msg += m;
      usage(msg);
    }
    kernel = k;
  }
  if (!output_opt) {
    usage("--output RESULTS.csv or RESULTS.jsonl is required");
  } else if (*output_opt != "-" && !output_opt->ends_with(".csv") && !output_opt->ends_with(".jsonl")) {
    usage("--output must end in .csv or .jsonl (or be - for CSV on standard output), not '" + std::string(*output_opt) + "'");
  }
  sweep_detail::reading rd;
  if (top_opt || by_opt) {
    const auto k = top_opt ? io::parse_int(*top_opt, 1, 1'000'000, io::exact) : std::nullopt;
    if (!top_opt || !by_opt) {
      usage("--top K and --by METRIC go together");
    } else if (!k) {
      usage("bad --top '" + std::string(*top_opt) + "' (an integer within 1..1000000)");
    } else {
      rd.top = static_cast<std::size_t>(*k);
      rd.by = std::string(*by_opt);
      rd.maximise = maximise;
      if (!rd.by.empty() && rd.by.front() == '-') {
        rd.by.erase(0, 1);
        rd.maximise = true;
      }
      if (rd.by.empty()) {
        usage("--by needs a metric name");
      }
    }
  } else if (maximise) {
    usage("--max goes with --top K --by METRIC");
  }
  rd.pareto = pareto;
  if (plot_opt) {
    rd.plot = std::string(*plot_opt);
    if (!rd.plot.ends_with(".svg")) {
      usage("--plot must end in .svg, not '" + rd.plot + "'");
    }
  }
  std::optional<std::size_t> export_point;
  if (export_point_opt) {
    const auto n = io::parse_int(*export_point_opt, 0, static_cast<std::int64_t>(sweep::max_points) - 1, io::exact);
    if (!n) {
      usage("bad --export-point '" + std::string(*export_point_opt) + "' (a point number within 0.." +
            std::to_string(sweep::max_points - 1) + ")");
    } else if (!ftrace_opt && !perfetto_opt) {
      usage("--export-point N goes with --ftrace FILE and/or --perfetto FILE.json");
    }
    export_point = n ? std::optional<std::size_t>(static_cast<std::size_t>(*n)) : std::nullopt;
  } else if (ftrace_opt || perfetto_opt) {
    usage("--ftrace and --perfetto export one point: give it with --export-point N");
  }
  if (merge) {
    if (!axis_specs.empty() || zip || samples_opt || seed_opt || jobs_opt || shard_opt || kernel_opt || export_point_opt) {
      usage("--merge takes only shard files, --output, --top/--by/--max, --pareto and --plot");
    }
    if (!f.message.empty()) {
      err << "thermo " << f.message << '\n';
      return f.code;
    }
    rd.plot_title = "sweep";
    return sweep_detail::merge_main(pos, std::string(*output_opt), rd, err);
  }
  if (study_opt && (!pos.empty() || !axis_specs.empty() || zip || samples_opt || seed_opt)) {
    usage("--study FILE holds the scenario, the axes and the design: give no SCENARIO, --axis, --zip, --samples or --seed with it");
  }
  if (!study_opt && pos.size() != 1) {
    usage("give one scenario file (see thermo sweep --help)");
  }
  if (!study_opt && axis_specs.empty()) {
    usage("give at least one --axis KEY=VALUES");
  }
  if (zip && samples_opt) {
    usage("--zip and --samples exclude each other");
  }
  if (seed_opt && !samples_opt) {
    usage("--seed goes with --samples");
  }
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  if (samples_opt) {
    const auto n = io::parse_int(*samples_opt, 1, static_cast<std::int64_t>(sweep::max_points), io::exact);
    if (!n) {
      usage("bad --samples '" + std::string(*samples_opt) + "' (an integer within 1.." + std::to_string(sweep::max_points) + ")");
    }
    samples = n ? static_cast<std::size_t>(*n) : 0;
  }
  if (seed_opt) {
    const auto s = io::parse_int(*seed_opt, 0, std::numeric_limits<std::int64_t>::max(), io::exact);
    if (!s) {
      usage("bad --seed '" + std::string(*seed_opt) + "' (an integer ≥ 0)");
    }
    seed = s ? static_cast<std::uint64_t>(*s) : 0;
  }
  std::size_t jobs = std::max(1U, std::thread::hardware_concurrency());
  if (jobs_opt) {
    const auto j = io::parse_int(*jobs_opt, 1, 1024, io::exact);
    if (!j) {
      usage("bad --jobs '" + std::string(*jobs_opt) + "' (an integer within 1..1024)");
    }
    jobs = j ? static_cast<std::size_t>(*j) : 1;
  }
  sweep_detail::shard_spec shard;
  if (shard_opt) {
    const auto s = sweep_detail::parse_shard(*shard_opt);
    if (!s) {
      usage("bad --shard '" + std::string(*shard_opt) + "' (I/N with 0 ≤ I < N, e.g. 0/4)");
    }
    shard = s.value_or(shard);
  }
  std::vector<sweep::axis> axes;
  for (const std::string_view spec : axis_specs) {
    auto ax = sweep::parse_axis(spec);
    if (!ax) {
      usage(ax.message());
      break;
    }
    axes.push_back(std::move(*ax));
  }
  if (!f.message.empty()) {
    err << "thermo " << f.message << '\n';
    return f.code;
  }

  sweep::design d = samples_opt ? sweep::design::latin_hypercube : (zip ? sweep::design::zip : sweep::design::cross);
  std::string path = study_opt ? std::string() : std::string(pos.front());
  std::vector<std::string> inputs;
  if (study_opt) {
    const std::string study_path(*study_opt);
    const auto stext = read_input(study_path);
    if (!stext) {
      err << "thermo sweep: " << stext.message() << '\n';
      return exit_failure;
    }
    auto sf = sweep::parse_study(*stext, study_path);
    if (!sf) {
      err << "thermo sweep: " << sf.message() << '\n';
      return exit_usage;
    }
    path = sf->scenario;
    axes = std::move(sf->axes);
    d = sf->kind;
    samples = sf->samples;
    seed = sf->seed;
    inputs.push_back(study_path);
  }
  inputs.push_back(path);
  const std::string output(*output_opt);
  const auto text = read_input(path);
  if (!text) {
    err << "thermo sweep: " << text.message() << '\n';
    return exit_failure;
  }
  if (auto base = parse_scenario(*text, path); !base) {
    err << "thermo sweep: " << base.message() << '\n';
    return exit_failure;
  }
  auto tmpl = sweep::scenario_template::make(*text, axes);
  if (!tmpl) {
    err << "thermo sweep: " << tmpl.message() << '\n';
    return exit_usage;
  }
  auto pts = sweep::make_points(axes, d, samples, seed);
  if (!pts) {
    err << "thermo sweep: " << pts.message() << '\n';
    return exit_usage;
  }
  for (const sweep::axis& ax : axes) {
    if (kernel && ax.section == "run" && ax.field == "kernel") {
      err << "thermo sweep: --kernel and the axis run.kernel exclude each other\n";
      return exit_usage;
    }
  }
  sweep::study st{path, axes, std::move(*tmpl), std::move(*pts)};
  st.kernel = kernel;
  if (std::string e = sweep::check_axes(st, d); !e.empty()) {
    err << "thermo sweep: " << e << '\n';
    return exit_usage;
  }
  // --export-point: checked and its outputs opened before any point runs (written after)
  io::output_set export_outputs;
  std::ostream* export_ftrace = nullptr;
  std::ostream* export_perfetto = nullptr;
  if (export_point) {
    if (*export_point >= st.points.size()) {
      err << "thermo sweep: --export-point " << *export_point << ": the sweep has " << st.points.size() << " points (0.."
          << st.points.size() - 1 << ")\n";
      return exit_usage;
    }
    for (const std::string& in : inputs) {
      export_outputs.add_input(in);
    }
    export_outputs.add_input(output);
    for (const auto& [file, out] : {std::pair{ftrace_opt, &export_ftrace}, std::pair{perfetto_opt, &export_perfetto}}) {
      if (!file) {
        continue;
      }
      if (const io::file_error e = export_outputs.open(std::string(*file), *out); !e.ok()) {
        err << "thermo sweep: " << e.message << '\n';
        return exit_failure;
      }
    }
  }
  sweep::result_table table;
  for (const auto& ax : axes) {
    table.axes.push_back(ax.key);
  }

  // This shard's points, and those an existing --output of the same study already holds.
  std::vector<bool> have(st.points.size(), false);
  std::vector<sweep::result_row> rows(st.points.size());
  std::error_code ec;
  if (output != "-" && std::filesystem::exists(output, ec)) {
    const auto old = read_input(output, io::default_max_file_bytes, "a results file");
    if (!old) {
      err << "thermo sweep: " << old.message() << '\n';
      return exit_failure;
    }
    auto t = sweep::read_results(*old, output);
    if (!t) {
      err << "thermo sweep: --output " << output << " exists and cannot be resumed: " << t.message()
          << " (remove it or choose another --output)\n";
      return exit_failure;
    }
    const std::string other = " (remove it or choose another --output)";
    if (t->axes != table.axes) {
      err << "thermo sweep: --output " << output << " holds results of another study: its parameters differ from this sweep's axes" << other
          << '\n';
      return exit_failure;
    }
    for (auto& r : t->rows) {
      if (r.point >= st.points.size() || r.point % shard.count != shard.index) {
        err << "thermo sweep: --output " << output << ": point " << r.point << " is not a point of this sweep"
            << (shard.count > 1 ? " shard" : "") << other << '\n';
        return exit_failure;
      }
      if (r.params != st.points[r.point]) {
        err << "thermo sweep: --output " << output << " holds results of another study: its point " << r.point
            << " has other parameter values" << other << '\n';
        return exit_failure;
      }
      if (have[r.point]) {
        err << "thermo sweep: --output " << output << ": point " << r.point << " appears twice" << other << '\n';
        return exit_failure;
      }
      have[r.point] = true;
      rows[r.point] = std::move(r);
    }
  }
  std::vector<std::size_t> todo;
  std::size_t in_shard = 0;
  for (std::size_t i = shard.index; i < st.points.size(); i += shard.count) {
    ++in_shard;
    if (!have[i]) {
      todo.push_back(i);
    }
  }

  progress prog("thermo sweep");
  auto last_checkpoint = std::chrono::steady_clock::now();
  std::string checkpoint_error;
  const auto snapshot = [&](const std::vector<std::size_t>& finished) {
    sweep::result_table t{table.axes, {}};
    std::vector<bool> in(st.points.size(), false);
    for (const std::size_t i : finished) {
      in[i] = true;
    }
    for (std::size_t i = 0; i < st.points.size(); ++i) {
      if (have[i] || in[i]) {
        t.rows.push_back(rows[i]);
      }
    }
    return t;
  };
  sweep::source_cache sources;
  sweep::plant_cache plants;
  sweep::run_points(st, todo, jobs, rows, sources, plants, [&](const std::vector<std::size_t>& finished) {
    const std::size_t done_now = in_shard - todo.size() + finished.size();
    prog.update(static_cast<double>(done_now) / static_cast<double>(std::max<std::size_t>(1, in_shard)),
                std::to_string(done_now) + "/" + std::to_string(in_shard) + " points");
    const auto now = std::chrono::steady_clock::now();
    if (output != "-" && finished.size() < todo.size() && now - last_checkpoint >= sweep_detail::checkpoint_every) {
      last_checkpoint = now;
      if (std::string e = sweep_detail::write_whole(output, sweep::render(snapshot(finished), output), inputs); !e.empty() && checkpoint_error.empty()) {
        checkpoint_error = std::move(e);
      }
    }
  });
  prog.done();
  if (!checkpoint_error.empty()) {
    err << "thermo sweep: warning: a checkpoint could not be written: " << checkpoint_error << '\n';
  }
  for (std::size_t i = shard.index; i < st.points.size(); i += shard.count) {
    table.rows.push_back(std::move(rows[i]));
  }
  rd.plot_title = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  const int code = sweep_detail::finish_table(table, output, inputs, rd, err);
  if (!export_point || code != exit_ok) {
    return code;
  }
  // The point again, as the sweep ran it (a run is a pure function of its text), with exports.
  auto scn = parse_scenario(st.text.apply(st.points[*export_point]), path);
  std::string e = scn ? std::string() : scn.message();
  if (e.empty() && st.kernel) {
    scn->kernel = *st.kernel;  // --kernel, as the sweep's run of the point had it
  }
  if (e.empty()) {
    const auto src = sources.get(*scn);
    e = !src->ok() ? cli::detail::at_line(*scn, scn->soc_line) + src->message()
                   : run_exported(*scn, src->value(), export_ftrace, export_perfetto);
  }
  if (!e.empty()) {
    err << "thermo sweep: --export-point " << *export_point << ": " << e << "; --ftrace/--perfetto not written\n";
    return exit_failure;
  }
  if (const io::file_error fe = export_outputs.commit(); !fe.ok()) {
    err << "thermo sweep: " << fe.message << '\n';
    return exit_failure;
  }
  return exit_ok;
}

}  // namespace thermo::cli
