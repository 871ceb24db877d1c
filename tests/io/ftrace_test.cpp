// Tests for io/ftrace.hpp: the ftrace text reader and writer of the thermal events.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "thermo/io/file.hpp"
#include "thermo/io/ftrace.hpp"

namespace ft = thermo::io::ftrace;

namespace {

std::vector<ft::event> read_file_events(const std::string& path, std::size_t* skipped = nullptr) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  ft::reader r(in, path);
  std::vector<ft::event> out;
  while (auto e = r.next()) {
    out.push_back(std::move(*e));
  }
  INFO(r.error().message);
  REQUIRE(r.error().ok());
  if (skipped != nullptr) {
    *skipped = r.skipped();
  }
  return out;
}

}  // namespace

TEST_CASE("ftrace reads the SC7180 power allocator excerpt", "[io][ftrace]") {
  const auto events = read_file_events(std::string(THERMO_SHARED_DIR) + "/data/traces/sc7180-ipa-2020.txt");
  REQUIRE(events.size() == 19);
  const ft::event& first = events[0];
  CHECK(first.task == "irq/40-c263000.");
  CHECK(first.pid == 157);
  CHECK(first.cpu == 0);
  CHECK(first.time_ns == 48'035'986'000);
  CHECK(first.line == 2);
  const auto& t = std::get<ft::thermal_temperature>(first.data);
  CHECK(t.zone == "cpu6-thermal");
  CHECK(t.id == 6);
  CHECK(t.temp_prev == 57800);
  CHECK(t.temp == 60000);
}
