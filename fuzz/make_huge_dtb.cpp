// Writes the huge-count blobs the DTB regressions replay, too big to keep in git: a copy of
// IN.dtb whose first `trips` node has 65,535 trips (copies of its first trip, named t0, t1 …).
//
//   thermo_fuzz_make_huge_dtb IN.dtb OUT.dtb
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "dtb_model.hpp"
#include "thermo/io/fdt.hpp"

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
  std::ifstream in(args[0], std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
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
    c.name = "t" + std::to_string(k);
    trips->children.push_back(std::move(c));
  }
  const std::vector<std::uint8_t> blob = thermo::fuzz::dtb_to_blob(root);
  std::ofstream out(args[1], std::ios::binary);
  out.write(reinterpret_cast<const char*>(blob.data()), static_cast<std::streamsize>(blob.size()));  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
  return out.good() ? 0 : 1;
}
