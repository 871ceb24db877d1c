// Writes the huge-count blobs the DTB regressions replay, too big to keep in git: a copy of
// IN.dtb whose first `trips` node has 65,535 trips (copies of its first trip, named t0, t1 …).
//
//   thermo_fuzz_make_huge_dtb IN.dtb OUT.dtb
#include <cstdio>
#include <string>
#include <vector>

#include "dtb_model.hpp"
#include "thermo/io/fdt.hpp"
#include "thermo/io/file.hpp"

namespace {

thermo::fuzz::dtb_node* first_named(thermo::fuzz::dtb_node& n, const std::string& name) {
  if (n.name == name && !n.children.empty()) {
    return &n;
  }
  for (thermo::fuzz::dtb_node& c : n.children) {
    if (thermo::fuzz::dtb_node* found = first_named(c, name); found != nullptr) {
      return found;
    }
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: thermo_fuzz_make_huge_dtb IN.dtb OUT.dtb\n");
    return 2;
  }
  const std::vector<std::string> args(argv + 1, argv + argc);  // NOLINT(cppcoreguidelines-pro-bounds-pointer-arithmetic)
  std::string bytes;
  if (const thermo::io::file_error e = thermo::io::read_file(args[0], bytes); !e.ok()) {
    std::fprintf(stderr, "%s\n", e.message.c_str());
    return 1;
  }
  auto t = thermo::io::fdt::tree::parse(bytes);
  if (!t) {
    std::fprintf(stderr, "%s: %s\n", args[0].c_str(), thermo::io::fdt::describe(t.error()).c_str());
    return 1;
  }
  thermo::fuzz::dtb_node root = thermo::fuzz::dtb_from_tree(*t);
  thermo::fuzz::dtb_node* trips = first_named(root, "trips");
  if (trips == nullptr) {
    std::fprintf(stderr, "%s: no trips node\n", args[0].c_str());
    return 1;
  }
  const thermo::fuzz::dtb_node model = trips->children.front();
  trips->children.clear();
  for (unsigned k = 0; k < 65'535U; ++k) {
    thermo::fuzz::dtb_node c = model;
    c.name = std::string("t").append(std::to_string(k));
    trips->children.push_back(std::move(c));
  }
  const std::vector<std::uint8_t> blob = thermo::fuzz::dtb_to_blob(root);
  std::FILE* out = std::fopen(args[1].c_str(), "wb");
  if (out == nullptr) {
    std::fprintf(stderr, "cannot write '%s'\n", args[1].c_str());
    return 1;
  }
  const bool ok = std::fwrite(blob.data(), 1, blob.size(), out) == blob.size();
  return std::fclose(out) == 0 && ok ? 0 : 1;
}
