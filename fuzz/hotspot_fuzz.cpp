// Fuzz target: the HotSpot file readers (io/hotspot.hpp): `.ptrace`/`.ttrace` traces, `.steady`
// files, indexed vector CSVs (dense, as the capacitance file; sparse, as the ambient
// conductance file) and the n×n conductance matrix. They read files, so the input is written to
// an in-memory file (memfd) and read through /proc/self/fd/N; every reader reads every input.
//
// Invariants: an error is one line naming the file; an accepted trace has rows × columns finite
// values under unique names; a steady file has unique names and finite temperatures; a vector
// has one finite value per name; a matrix has n × n finite values.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "thermo/io/hotspot.hpp"

using thermo::fuzz::require;

namespace {

/// The in-memory file every input is written to.
const std::string& input_path() {
  static const std::string path = [] {
    const int fd = memfd_create("thermo-fuzz-input", 0);
    require(fd >= 0, "memfd_create works");
    return "/proc/self/fd/" + std::to_string(fd);
  }();
  return path;
}

void write_input(const std::uint8_t* data, std::size_t size) {
  const std::string& path = input_path();
  const int fd = std::stoi(path.substr(path.rfind('/') + 1));
  require(ftruncate(fd, 0) == 0, "the input file can be emptied");
  std::size_t done = 0;
  while (done < size) {
    const ssize_t n = pwrite(fd, data + done, size - done, static_cast<off_t>(done));  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
    require(n > 0, "the input file can be written");
    done += static_cast<std::size_t>(n);
  }
}

bool all_finite(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

bool unique(const std::vector<std::string>& names) {
  std::vector<std::string> s = names;
  std::sort(s.begin(), s.end());
  return std::adjacent_find(s.begin(), s.end()) == s.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  write_input(data, size);
  const std::string& path = input_path();
  {
    thermo::io::hotspot_trace t;
    if (const auto e = thermo::io::load_hotspot_trace(path, t); !e.ok()) {
      thermo::fuzz::require_message(e.message, path);
    } else {
      require(!t.names.empty() && unique(t.names), "a trace has unique column names");
      require(t.values.size() == t.rows() * t.columns(), "rows x columns values");
      require(all_finite(t.values), "trace values are finite");
      for (std::size_t r = 0; r < t.rows(); ++r) {
        const std::string row = thermo::io::format_ttrace_row(t.row(r));
        require(row.find('\n') == std::string::npos, "a formatted row is one line");
      }
    }
  }
  {
    thermo::io::hotspot_steady s;
    if (const auto e = thermo::io::load_hotspot_steady(path, s); !e.ok()) {
      thermo::fuzz::require_message(e.message, path);
    } else {
      require(!s.names.empty() && s.names.size() == s.temperatures.size(), "a name per temperature");
      require(unique(s.names) && all_finite(s.temperatures), "unique names, finite temperatures");
    }
  }
  std::vector<std::string> names;
  std::vector<double> values;
  if (const auto e = thermo::io::load_indexed_vector_csv(path, true, names, values); !e.ok()) {
    thermo::fuzz::require_message(e.message, path);
    names.clear();
  } else {
    require(!names.empty() && names.size() == values.size(), "a dense vector has a value per name");
    require(unique(names) && all_finite(values), "unique names, finite values");
    // the same text as the sparse (ambient) vector of that network
    std::vector<double> sparse;
    if (const auto e2 = thermo::io::load_indexed_vector_csv(path, false, names, sparse); !e2.ok()) {
      thermo::fuzz::require_message(e2.message, path);
    } else {
      require(sparse.size() == names.size() && all_finite(sparse), "a sparse vector has a value per name");
    }
  }
  // the matrix of a network of as many nodes as the dense vector had, else as the text has lines
  std::size_t n = names.size();
  if (n == 0) {
    for (const std::string_view l : thermo::io::split_lines(thermo::fuzz::as_text(data, size))) {
      n += thermo::io::trim(l, thermo::io::whitespace).empty() ? 0U : 1U;
    }
  }
  std::vector<double> g;
  if (const auto e = thermo::io::load_matrix_csv(path, n, g); !e.ok()) {
    thermo::fuzz::require_message(e.message, path);
  } else {
    require(g.size() == n * n && all_finite(g), "a matrix has n x n finite values");
  }
  return 0;
}
