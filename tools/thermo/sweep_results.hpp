// `thermo sweep`: the results table — one row per point — written as CSV or JSON lines, read
// back (resume, --merge), and ranked (--top). Rows hold text: a value is formatted once, when
// its point runs, so a table read back and written again gives the same bytes. Host code.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "sweep_axes.hpp"
#include "thermo/io/csv.hpp"
#include "thermo/io/jsonl.hpp"

namespace thermo::cli::sweep {

/// One point's row.
struct result_row {
  std::size_t point{0};
  std::vector<std::string> params;                             ///< per axis, the value the scenario got
  std::string status;                                          ///< "ok", or what went wrong
  std::vector<std::pair<std::string, std::string>> metrics;    ///< name, value text (in flat_metrics order)
  std::string trace_hash;                                      ///< 16 hex digits ("" for a failed point)
};

/// A results table: the axis keys and the rows, kept in point order.
struct result_table {
  std::vector<std::string> axes;
  std::vector<result_row> rows;

  void sort() {
    std::sort(rows.begin(), rows.end(), [](const result_row& a, const result_row& b) { return a.point < b.point; });
  }
};

/// A metric value as a row holds it: the shortest text that reads back as the same double
/// (std::to_chars: one answer, whatever the compiler); "nan", "inf", "-inf" for the others.
[[nodiscard]] inline std::string format_metric(double v) {
  if (!std::isfinite(v)) {
    return io::format_number(v);
  }
  std::array<char, 32> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  return std::string(buf.data(), r.ptr);
}

/// The metric columns of a table: the union of the rows' metric names, each where it first
/// appears going through the rows in point order (a name new in a row goes after the names
/// already seen). A function of the rows alone, so a whole run, its shards merged and a resumed
/// run give the same columns whatever ran where and when.
[[nodiscard]] inline std::vector<std::string> metric_columns(const result_table& t) {
  std::vector<std::string> cols;
  std::map<std::string, bool, std::less<>> seen;
  for (const result_row& r : t.rows) {
    for (const auto& [name, value] : r.metrics) {
      if (seen.emplace(name, true).second) {
        cols.push_back(name);
      }
    }
  }
  return cols;
}

namespace detail {

inline const std::string* find_metric(const result_row& r, std::string_view name) {
  for (const auto& [n, v] : r.metrics) {
    if (n == name) {
      return &v;
    }
  }
  return nullptr;
}

}  // namespace detail

/// The table as CSV: `point`, one column per axis, `status`, the metric columns, `trace_hash`.
/// A metric a row lacks (a failed point) is an empty cell.
[[nodiscard]] inline std::string to_csv(const result_table& t) {
  // Fields are appended piece by piece: `"," + field` (operator+(const char*, string&&))
  // trips gcc 12's -Wrestrict false positive at -O3 (GCC bug 105329).
  const std::vector<std::string> cols = metric_columns(t);
  std::string s = "point";
  const auto field = [&s](const std::string& f) {
    s += ',';
    s += io::csv_field(f);
  };
  for (const std::string& a : t.axes) {
    field(a);
  }
  s += ",status";
  for (const std::string& c : cols) {
    field(c);
  }
  s += ",trace_hash\n";
  for (const result_row& r : t.rows) {
    s += std::to_string(r.point);
    for (const std::string& p : r.params) {
      field(p);
    }
    field(r.status);
    for (const std::string& c : cols) {
      const std::string* v = detail::find_metric(r, c);
      s += ',';
      if (v != nullptr) {
        s += io::csv_field(*v);
      }
    }
    s += ',';
    s += r.trace_hash;
    s += '\n';
  }
  return s;
}

/// The table as JSON lines, one object per point with the CSV's keys in the CSV's order;
/// parameters and status are strings, metrics numbers (null when not finite), a metric a row
/// lacks is left out.
[[nodiscard]] inline std::string to_jsonl(const result_table& t) {
  const std::vector<std::string> cols = metric_columns(t);
  std::string s;
  for (const result_row& r : t.rows) {
    s += "{\"point\": " + std::to_string(r.point);
    for (std::size_t k = 0; k < t.axes.size(); ++k) {
      s += ", " + io::json_string(t.axes[k]) + ": " + io::json_string(r.params[k]);
    }
    s += ", \"status\": " + io::json_string(r.status);
    for (const std::string& c : cols) {
      if (const std::string* v = detail::find_metric(r, c)) {
        const bool finite = *v != "nan" && *v != "inf" && *v != "-inf";
        s += ", " + io::json_string(c) + ": " + (finite ? *v : std::string("null"));
      }
    }
    s += ", \"trace_hash\": " + io::json_string(r.trace_hash) + "}\n";
  }
  return s;
}

/// True when `path` names a JSON-lines results file (".jsonl"); else CSV.
[[nodiscard]] inline bool is_jsonl(std::string_view path) { return path.size() > 6 && path.substr(path.size() - 6) == ".jsonl"; }

[[nodiscard]] inline std::string render(const result_table& t, std::string_view path) { return is_jsonl(path) ? to_jsonl(t) : to_csv(t); }

// ------------------------------------------------------------------ reading

namespace detail {

/// The fields of one CSV record (RFC 4180 quotes; a record holds no line break: the sweep
/// writes none). nullopt for an unterminated quote.
inline std::optional<std::vector<std::string>> csv_record(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t i = 0;
  while (true) {
    cur.clear();
    if (i < line.size() && line[i] == '"') {
      ++i;
      while (true) {
        if (i >= line.size()) {
          return std::nullopt;
        }
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            cur += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        cur += line[i++];
      }
      if (i < line.size() && line[i] != ',') {
        return std::nullopt;
      }
    } else {
      while (i < line.size() && line[i] != ',') {
        if (line[i] == '"') {
          return std::nullopt;
        }
        cur += line[i++];
      }
    }
    if (cur.find_first_of("\r\n") != std::string::npos) {
      return std::nullopt;  // a row is one line (JSON lines too)
    }
    out.push_back(cur);
    if (i >= line.size()) {
      return out;
    }
    ++i;  // the comma
  }
}

/// A flat JSON object of the sweep's shape: string keys; string, number or null values (a
/// number or null kept as its text, null as "nan"). nullopt when it is not one.
inline std::optional<std::vector<std::pair<std::string, std::string>>> json_record(std::string_view s, std::vector<bool>& is_string) {
  std::vector<std::pair<std::string, std::string>> out;
  is_string.clear();
  std::size_t i = 0;
  const auto ws = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) {
      ++i;
    }
  };
  const auto str = [&](std::string& v) -> bool {
    if (i >= s.size() || s[i] != '"') {
      return false;
    }
    ++i;
    while (i < s.size() && s[i] != '"') {
      if (s[i] == '\\') {
        if (++i >= s.size()) {
          return false;
        }
        const char e = s[i++];
        switch (e) {
          case '"': v += '"'; break;
          case '\\': v += '\\'; break;
          case '/': v += '/'; break;
          case 'b': v += '\b'; break;
          case 'f': v += '\f'; break;
          case 'n': v += '\n'; break;
          case 'r': v += '\r'; break;
          case 't': v += '\t'; break;
          case 'u': {
            if (i + 4 > s.size()) {
              return false;
            }
            unsigned cp = 0;
            const auto r = std::from_chars(s.data() + i, s.data() + i + 4, cp, 16);
            if (r.ptr != s.data() + i + 4) {
              return false;
            }
            i += 4;
            if (cp < 0x80) {
              v += static_cast<char>(cp);
            } else if (cp < 0x800) {
              v += static_cast<char>(0xC0U | (cp >> 6U));
              v += static_cast<char>(0x80U | (cp & 0x3FU));
            } else {
              v += static_cast<char>(0xE0U | (cp >> 12U));
              v += static_cast<char>(0x80U | ((cp >> 6U) & 0x3FU));
              v += static_cast<char>(0x80U | (cp & 0x3FU));
            }
            break;
          }
          default: return false;
        }
      } else {
        v += s[i++];
      }
    }
    if (i >= s.size() || v.find_first_of("\r\n") != std::string::npos) {
      return false;  // a row is one line, in CSV too
    }
    ++i;
    return true;
  };
  ws();
  if (i >= s.size() || s[i++] != '{') {
    return std::nullopt;
  }
  ws();
  if (i < s.size() && s[i] == '}') {
    ++i;
  } else {
    while (true) {
      ws();
      std::string key;
      if (!str(key)) {
        return std::nullopt;
      }
      ws();
      if (i >= s.size() || s[i++] != ':') {
        return std::nullopt;
      }
      ws();
      std::string value;
      bool quoted = false;
      if (i < s.size() && s[i] == '"') {
        if (!str(value)) {
          return std::nullopt;
        }
        quoted = true;
      } else if (s.substr(i, 4) == "null") {
        value = "nan";
        i += 4;
      } else {
        const std::size_t b = i;
        while (i < s.size() && std::string_view("+-0123456789.eE").find(s[i]) != std::string_view::npos) {
          ++i;
        }
        value = std::string(s.substr(b, i - b));
        if (value.empty()) {
          return std::nullopt;
        }
      }
      out.emplace_back(std::move(key), std::move(value));
      is_string.push_back(quoted);
      ws();
      if (i < s.size() && s[i] == ',') {
        ++i;
        continue;
      }
      if (i < s.size() && s[i] == '}') {
        ++i;
        break;
      }
      return std::nullopt;
    }
  }
  ws();
  return i == s.size() ? std::optional(out) : std::nullopt;
}

/// A metric cell as the sweep writes it: a finite number, or nan/inf/-inf.
inline bool metric_text(std::string_view s) {
  return s == "nan" || s == "inf" || s == "-inf" || io::parse_double(s, io::exact).has_value();
}
/// A trace hash as the sweep writes it: 16 hex digits, or "" for a failed point.
inline bool hash_text(std::string_view s) {
  return s.empty() || (s.size() == 16 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos);
}
/// Column names unique: the first repeated one, or "".
inline std::string repeated_name(const std::vector<std::string>& names) {
  std::map<std::string_view, bool, std::less<>> seen;
  for (const std::string& n : names) {
    if (!seen.emplace(n, true).second) {
      return n;
    }
  }
  return {};
}

inline std::optional<std::size_t> point_index(std::string_view s) {
  const auto v = io::parse_int(s, 0, static_cast<std::int64_t>(max_points), io::exact);
  return v ? std::optional(static_cast<std::size_t>(*v)) : std::nullopt;
}

}  // namespace detail

/// Reads a results file the sweep wrote (CSV, or JSON lines when `name` ends in .jsonl).
/// Errors name the file and line.
[[nodiscard]] inline outcome<result_table> read_results(std::string_view text, const std::string& name) {
  using R = outcome<result_table>;
  result_table t;
  const std::vector<std::string_view> lines = io::split_lines(text);
  const auto at = [&](std::size_t line) { return name + ":" + std::to_string(line) + ": "; };
  const std::string not_ours = "not a sweep results file";
  if (is_jsonl(name)) {
    std::vector<bool> quoted;
    bool first = true;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (trim(lines[i]).empty()) {
        continue;
      }
      const auto rec = detail::json_record(lines[i], quoted);
      if (!rec || rec->size() < 3 || rec->front().first != "point" || rec->back().first != "trace_hash") {
        return R::fail(at(i + 1) + not_ours + " (a JSON object from \"point\" to \"trace_hash\" on each line)");
      }
      const auto st = std::find_if(rec->begin(), rec->end(), [](const auto& kv) { return kv.first == "status"; });
      if (st == rec->end()) {
        return R::fail(at(i + 1) + not_ours + " (no \"status\")");
      }
      std::vector<std::string> keys;
      for (const auto& kv : *rec) {
        keys.push_back(kv.first);
      }
      if (const std::string d = detail::repeated_name(keys); !d.empty()) {
        return R::fail(at(i + 1) + "key " + io::quoted(d) + " appears twice");
      }
      const auto n_axes = static_cast<std::size_t>(st - rec->begin()) - 1;
      std::vector<std::string> axes;
      for (std::size_t k = 0; k < n_axes; ++k) {
        axes.push_back((*rec)[1 + k].first);
      }
      if (first) {
        t.axes = axes;
        first = false;
      } else if (axes != t.axes) {
        return R::fail(at(i + 1) + "the parameters differ from the first line's");
      }
      result_row r;
      const auto p = detail::point_index(rec->front().second);
      if (!p || quoted[0]) {
        return R::fail(at(i + 1) + "bad point '" + rec->front().second + "'");
      }
      r.point = *p;
      for (std::size_t k = 0; k < n_axes; ++k) {
        r.params.push_back((*rec)[1 + k].second);
      }
      r.status = st->second;
      for (auto it = st + 1; it + 1 != rec->end(); ++it) {
        if (quoted[static_cast<std::size_t>(it - rec->begin())] || !detail::metric_text(it->second)) {
          return R::fail(at(i + 1) + "metric " + io::quoted(it->first) + " is not a number");
        }
        r.metrics.push_back(*it);
      }
      r.trace_hash = rec->back().second;
      if (!detail::hash_text(r.trace_hash) || !quoted.back() || !quoted[static_cast<std::size_t>(st - rec->begin())]) {
        return R::fail(at(i + 1) + "bad status or trace_hash (a string; 16 hex digits or empty)");
      }
      t.rows.push_back(std::move(r));
    }
    return t;
  }
  if (lines.empty()) {
    return R::fail(name + ": " + not_ours + " (empty)");
  }
  const auto header = detail::csv_record(lines[0]);
  if (!header || header->size() < 3 || header->front() != "point" || header->back() != "trace_hash") {
    return R::fail(at(1) + not_ours + " (the header runs from 'point' to 'trace_hash')");
  }
  const auto st = std::find(header->begin(), header->end(), "status");
  if (st == header->end()) {
    return R::fail(at(1) + not_ours + " (no 'status' column)");
  }
  if (const std::string d = detail::repeated_name(*header); !d.empty()) {
    return R::fail(at(1) + "column " + io::quoted(d) + " appears twice");
  }
  const auto n_axes = static_cast<std::size_t>(st - header->begin()) - 1;
  t.axes.assign(header->begin() + 1, st);
  const std::vector<std::string> metric_names(st + 1, header->end() - 1);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) {
      continue;
    }
    const auto rec = detail::csv_record(lines[i]);
    if (!rec || rec->size() != header->size()) {
      return R::fail(at(i + 1) + "expected " + std::to_string(header->size()) + " fields as in the header");
    }
    result_row r;
    const auto p = detail::point_index((*rec)[0]);
    if (!p) {
      return R::fail(at(i + 1) + "bad point '" + io::printable((*rec)[0]) + "'");
    }
    r.point = *p;
    r.params.assign(rec->begin() + 1, rec->begin() + 1 + static_cast<std::ptrdiff_t>(n_axes));
    r.status = (*rec)[1 + n_axes];
    for (std::size_t m = 0; m < metric_names.size(); ++m) {
      const std::string& v = (*rec)[2 + n_axes + m];
      if (!v.empty()) {
        if (!detail::metric_text(v)) {
          return R::fail(at(i + 1) + "metric " + io::quoted(metric_names[m]) + ": " + io::quoted(v) + " is not a number");
        }
        r.metrics.emplace_back(metric_names[m], v);
      }
    }
    r.trace_hash = rec->back();
    if (!detail::hash_text(r.trace_hash)) {
      return R::fail(at(i + 1) + "bad trace_hash " + io::quoted(r.trace_hash) + " (16 hex digits, or empty)");
    }
    t.rows.push_back(std::move(r));
  }
  return t;
}

// ------------------------------------------------------------------ ranking

/// `--top K --by METRIC`: the best `k` rows that have the metric, smallest first (largest
/// first when `maximise`); ties in point order. Empty when no row has it.
[[nodiscard]] inline std::vector<const result_row*> top_rows(const result_table& t, std::string_view metric, std::size_t k, bool maximise) {
  std::vector<std::pair<double, const result_row*>> v;
  for (const result_row& r : t.rows) {
    if (const std::string* s = detail::find_metric(r, metric)) {
      const auto x = io::parse_double(*s, io::exact);
      if (x) {
        v.emplace_back(*x, &r);
      }
    }
  }
  // ties in point order (std::sort with the point as second key: stable_sort's temporary buffer
  // is deprecated in libstdc++ 12 under clang)
  std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) {
      return maximise ? a.first > b.first : a.first < b.first;
    }
    return a.second->point < b.second->point;
  });
  std::vector<const result_row*> out;
  for (std::size_t i = 0; i < v.size() && i < k; ++i) {
    out.push_back(v[i].second);
  }
  return out;
}

/// The --top table as text: rank, point, the parameters and the metric.
[[nodiscard]] inline std::string top_table(const result_table& t, const std::vector<const result_row*>& rows, std::string_view metric) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::string> head{"rank", "point"};
  head.insert(head.end(), t.axes.begin(), t.axes.end());
  head.emplace_back(metric);
  cells.push_back(head);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::vector<std::string> c{std::to_string(i + 1), std::to_string(rows[i]->point)};
    c.insert(c.end(), rows[i]->params.begin(), rows[i]->params.end());
    c.push_back(*detail::find_metric(*rows[i], metric));
    cells.push_back(std::move(c));
  }
  std::vector<std::size_t> w(head.size(), 0);
  for (const auto& row : cells) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      w[j] = std::max(w[j], row[j].size());
    }
  }
  std::string s;
  for (const auto& row : cells) {
    for (std::size_t j = 0; j < row.size(); ++j) {
      s += row[j] + (j + 1 < row.size() ? std::string(w[j] - row[j].size() + 2, ' ') : "\n");
    }
  }
  return s;
}

}  // namespace thermo::cli::sweep
