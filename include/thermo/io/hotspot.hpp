/// @file hotspot.hpp
/// Readers and a writer for HotSpot's file layouts (host-only: uses std::string/vector/fstream).
///
/// * Network CSVs as in `../shared/hotspot-data/`:
///   - conductance matrix `G`: n lines of n comma-separated numbers [W/K], no header;
///   - capacitance vector: header line, then `index,node,capacitance` [J/K] for index 0..n-1 in
///     order (the node names come from here);
///   - ambient-conductance vector: header line, then `index,node,conductance` [W/K] for any
///     subset of nodes (others are 0); each node name must match the capacitance file's.
/// * Power trace (`.ptrace`) and transient trace (`.ttrace`): a header line of block names, then
///   rows of numbers, whitespace (tab) separated, one value per name.
/// * Steady file (`.steady`): lines `node  temperature`.
///
/// Every reader returns a `load_error` whose message names the file and the line
/// ("G.csv:17: expected 132 values, found 131"); readers never throw and never crash on bad
/// input (every number is a whole field read by `parse_double`, io/text.hpp: finite, blanks,
/// CRs and LFs around it allowed).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "thermo/core/errc.hpp"
#include "thermo/io/file.hpp"
#include "thermo/io/text.hpp"

namespace thermo::io {

/// Outcome of a load: `code == errc::ok` on success, otherwise a message naming file and line.
struct load_error {
  errc code{errc::ok};
  std::string message;
  [[nodiscard]] bool ok() const noexcept { return code == errc::ok; }
};

/// A network in HotSpot's CSV layout (see the file comment). Node i is named `names[i]`.
struct hotspot_network {
  std::vector<std::string> names;
  std::vector<double> conductance;          ///< G, n×n row-major [W/K]
  std::vector<double> capacitance;          ///< C [J/K]
  std::vector<double> ambient_conductance;  ///< g_amb [W/K]
  [[nodiscard]] std::size_t size() const noexcept { return names.size(); }
  /// Index of the node called `name`, if any. O(n).
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const {
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (names[i] == name) {
        return i;
      }
    }
    return std::nullopt;
  }
};

/// A power or transient trace: header names and a row-major table of values.
struct hotspot_trace {
  std::string header;              ///< the header line as read (without the line end)
  std::vector<std::string> names;  ///< column names
  std::vector<double> values;      ///< rows × names.size(), row-major
  [[nodiscard]] std::size_t columns() const noexcept { return names.size(); }
  [[nodiscard]] std::size_t rows() const noexcept { return names.empty() ? 0 : values.size() / names.size(); }
  [[nodiscard]] std::span<const double> row(std::size_t r) const noexcept {
    return {values.data() + r * names.size(), names.size()};
  }
};

/// A steady-state file: node names and temperatures, in file order.
struct hotspot_steady {
  std::vector<std::string> names;
  std::vector<double> temperatures;
};

namespace detail::hotspot {

/// Concatenates string-like pieces by appending (avoids `const char* + std::string&&`, which
/// trips a GCC 12 -Wrestrict false positive at -O3).
template <class... Pieces>
std::string cat(const Pieces&... pieces) {
  std::string s;
  (s.append(std::string_view(pieces)), ...);
  return s;
}

/// Reads a file into lines (line ends stripped, including a trailing '\r').
inline load_error read_lines(const std::string& path, std::vector<std::string>& lines) {
  std::string text;
  if (file_error e = read_file(path, text); !e.ok()) {
    return {e.code, std::move(e.message)};
  }
  for (const std::string_view line : split_lines(skip_bom(text))) {
    lines.emplace_back(line);
  }
  return {};
}

inline load_error at(const std::string& path, std::size_t line, const std::string& what) {
  return {errc::parse_error, cat(path, ":", std::to_string(line), ": ", what)};
}

/// HotSpot fields may carry CRs and LFs at either end (`whitespace`), values split on spaces,
/// tabs and CRs.
inline constexpr std::string_view field_separators = " \t\r";

inline bool blank(std::string_view s) noexcept { return trim(s, whitespace).empty(); }

/// Reads a file whose first non-blank line is a header: `first` is that line's index. A file
/// of blank lines is `parse_error` "<path>: empty file<expected>".
inline load_error read_headed_lines(const std::string& path, std::vector<std::string>& lines,
                                    std::size_t& first, std::string_view expected) {
  if (load_error e = read_lines(path, lines); !e.ok()) {
    return e;
  }
  first = 0;
  while (first < lines.size() && blank(lines[first])) {
    ++first;
  }
  if (first == lines.size()) {
    return {errc::parse_error, cat(path, ": empty file", expected)};
  }
  return {};
}

// quoted(): io::quoted (io/text.hpp), which escapes control bytes and cuts long text.

}  // namespace detail::hotspot

/// Reads an indexed vector CSV (`index,node,value`, one header line). With `dense`, indices
/// must be 0, 1, 2 … in order and `names` is filled; otherwise every row's index must be below
/// `names.size()` and its node name must equal `names[index]`.
[[nodiscard]] inline load_error load_indexed_vector_csv(const std::string& path, bool dense,
                                                        std::vector<std::string>& names,
                                                        std::vector<double>& values) {
  using namespace detail::hotspot;
  std::vector<std::string> lines;
  std::size_t first = 0;
  if (load_error e = read_headed_lines(path, lines, first, ""); !e.ok()) {
    return e;
  }
  const auto header = split(lines[first], ',');
  if (header.size() != 3 || parse_double(header[0])) {
    return at(path, first + 1, "expected a header line 'index,node,value'");
  }
  if (dense) {
    names.clear();
    values.clear();
  } else {
    values.assign(names.size(), 0.0);
  }
  std::vector<bool> seen(names.size(), false);
  for (std::size_t l = first + 1; l < lines.size(); ++l) {
    if (blank(lines[l])) {
      continue;
    }
    const auto f = split(lines[l], ',');
    if (f.size() != 3) {
      return at(path, l + 1, cat("expected 3 comma-separated fields, found ", std::to_string(f.size())));
    }
    const auto index = parse_double(f[0]);
    if (!index || *index < 0.0 || *index != std::floor(*index) || *index > 1e9) {
      return at(path, l + 1, cat("bad index ", quoted(trim(f[0], whitespace))));
    }
    const auto i = static_cast<std::size_t>(*index);
    const std::string_view name = trim(f[1], whitespace);
    if (name.empty()) {
      return at(path, l + 1, "empty node name");
    }
    const auto v = parse_double(f[2]);
    if (!v) {
      return at(path, l + 1, cat("bad number ", quoted(trim(f[2], whitespace))));
    }
    if (dense) {
      if (i != names.size()) {
        return at(path, l + 1, cat("index ", std::to_string(i), " out of order (expected ",
                                   std::to_string(names.size()), ")"));
      }
      for (const auto& other : names) {
        if (other == name) {
          return at(path, l + 1, cat("duplicate node name ", quoted(name)));
        }
      }
      names.emplace_back(name);
      values.push_back(*v);
    } else {
      if (i >= names.size()) {
        return at(path, l + 1, cat("index ", std::to_string(i), " out of range (the network has ",
                                   std::to_string(names.size()), " nodes)"));
      }
      if (names[i] != name) {
        return at(path, l + 1, cat("node ", quoted(name), " at index ", std::to_string(i),
                                   " does not match ", quoted(names[i])));
      }
      if (seen[i]) {
        return at(path, l + 1, cat("index ", std::to_string(i), " given twice"));
      }
      seen[i] = true;
      values[i] = *v;
    }
  }
  if (dense && names.empty()) {
    return {errc::parse_error, cat(path, ": no data rows")};
  }
  return {};
}

/// Reads an n×n comma-separated matrix without header (`n` = expected size).
[[nodiscard]] inline load_error load_matrix_csv(const std::string& path, std::size_t n, std::vector<double>& out) {
  using namespace detail::hotspot;
  std::vector<std::string> lines;
  if (load_error e = read_lines(path, lines); !e.ok()) {
    return e;
  }
  out.clear();
  out.reserve(n * n);
  std::size_t rows = 0;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    if (blank(lines[l])) {
      continue;
    }
    const auto f = split(lines[l], ',');
    if (rows == n) {
      return at(path, l + 1, cat("more than ", std::to_string(n), " rows"));
    }
    if (f.size() != n) {
      return at(path, l + 1, cat("expected ", std::to_string(n), " values, found ", std::to_string(f.size())));
    }
    for (std::size_t j = 0; j < n; ++j) {
      const auto v = parse_double(f[j]);
      if (!v) {
        return at(path, l + 1, cat("bad number ", quoted(trim(f[j], whitespace)), " in column ", std::to_string(j + 1)));
      }
      out.push_back(*v);
    }
    ++rows;
  }
  if (rows != n) {
    return {errc::parse_error,
            cat(path, ": expected ", std::to_string(n), " rows, found ", std::to_string(rows))};
  }
  return {};
}

/// Reads a network from the three CSV files (see the file comment).
[[nodiscard]] inline load_error load_hotspot_network(const std::string& conductance_csv,
                                                     const std::string& capacitance_csv,
                                                     const std::string& ambient_conductance_csv,
                                                     hotspot_network& out) {
  out = hotspot_network{};
  if (load_error e = load_indexed_vector_csv(capacitance_csv, true, out.names, out.capacitance); !e.ok()) {
    return e;
  }
  if (load_error e = load_matrix_csv(conductance_csv, out.size(), out.conductance); !e.ok()) {
    return e;
  }
  return load_indexed_vector_csv(ambient_conductance_csv, false, out.names, out.ambient_conductance);
}

/// Reads a `.ptrace` or `.ttrace`: a header of names, then rows with one finite number per name.
[[nodiscard]] inline load_error load_hotspot_trace(const std::string& path, hotspot_trace& out) {
  using namespace detail::hotspot;
  out = hotspot_trace{};
  std::vector<std::string> lines;
  std::size_t first = 0;
  if (load_error e = read_headed_lines(path, lines, first, " (expected a header line of block names)"); !e.ok()) {
    return e;
  }
  out.header = lines[first];
  for (const auto name : words(lines[first], field_separators)) {
    if (parse_double(name)) {
      return at(path, first + 1, cat("expected a header of block names, found the number ", quoted(name)));
    }
    for (const auto& other : out.names) {
      if (other == name) {
        return at(path, first + 1, cat("duplicate column name ", quoted(name)));
      }
    }
    out.names.emplace_back(name);
  }
  for (std::size_t l = first + 1; l < lines.size(); ++l) {
    if (blank(lines[l])) {
      continue;
    }
    const auto f = words(lines[l], field_separators);
    if (f.size() != out.names.size()) {
      return at(path, l + 1,
                cat("expected ", std::to_string(out.names.size()), " values, found ", std::to_string(f.size())));
    }
    for (std::size_t j = 0; j < f.size(); ++j) {
      const auto v = parse_double(f[j]);
      if (!v) {
        return at(path, l + 1, cat("bad number ", quoted(f[j]), " in column ", std::to_string(j + 1), " (",
                                   out.names[j], ")"));
      }
      out.values.push_back(*v);
    }
  }
  return {};
}

/// Reads a `.steady` file: lines `name value` (whitespace separated).
[[nodiscard]] inline load_error load_hotspot_steady(const std::string& path, hotspot_steady& out) {
  using namespace detail::hotspot;
  out = hotspot_steady{};
  std::vector<std::string> lines;
  if (load_error e = read_lines(path, lines); !e.ok()) {
    return e;
  }
  for (std::size_t l = 0; l < lines.size(); ++l) {
    if (blank(lines[l])) {
      continue;
    }
    const auto f = words(lines[l], field_separators);
    if (f.size() != 2) {
      return at(path, l + 1, cat("expected 'node temperature', found ", std::to_string(f.size()), " fields"));
    }
    const auto v = parse_double(f[1]);
    if (!v) {
      return at(path, l + 1, cat("bad temperature ", quoted(f[1])));
    }
    for (const auto& other : out.names) {
      if (other == f[0]) {
        return at(path, l + 1, cat("duplicate node ", quoted(f[0])));
      }
    }
    out.names.emplace_back(f[0]);
    out.temperatures.push_back(*v);
  }
  if (out.names.empty()) {
    return {errc::parse_error, cat(path, ": no data lines")};
  }
  return {};
}

/// One `.ttrace` row: values with two decimals, tab separated, no trailing tab or newline.
[[nodiscard]] inline std::string format_ttrace_row(std::span<const double> values) {
  std::string s;
  s.reserve(values.size() * 8);
  std::array<char, 64> buf{};
  for (std::size_t j = 0; j < values.size(); ++j) {
    const int len = std::snprintf(buf.data(), buf.size(), "%.2f", values[j]);
    if (j > 0) {
      s.push_back('\t');
    }
    s.append(buf.data(), len > 0 ? static_cast<std::size_t>(len) : 0);
  }
  return s;
}

}  // namespace thermo::io
