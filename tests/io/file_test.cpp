// io/file.hpp: every input file is read through read_file, which fails with a message naming
// the path and the reason instead of throwing, hanging or reading forever.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "thermo/io/file.hpp"

using namespace thermo;

TEST_CASE("read_file reads a whole file, binary and all", "[file]") {
  const std::string path = std::string(THERMO_BINARY_DIR) + "/file_test.bin";
  std::string content(200'000, 'x');  // more than one read chunk
  content[7] = '\0';
  content[199'999] = '\r';
  {
    std::ofstream f(path, std::ios::binary);
    f.write(content.data(), static_cast<std::streamsize>(content.size()));
  }
  std::string out = "stale";
  const io::file_error e = io::read_file(path, out);
  CHECK(e.ok());
  CHECK(out == content);
  SECTION("a file at exactly the limit is read; one byte over is refused") {
    CHECK(io::read_file(path, out, content.size()).ok());
    const io::file_error big = io::read_file(path, out, content.size() - 1);
    CHECK(big.code == errc::io_error);
    CHECK(big.message == "'" + path + "' is larger than 199999 bytes");
    CHECK(out.empty());
  }
  std::filesystem::remove(path);
}

TEST_CASE("read_file names the path and the reason when it cannot read", "[file]") {
  std::string out = "stale";
  SECTION("a missing file") {
    const io::file_error e = io::read_file("/nonexistent/x.csv", out);
    CHECK(e.code == errc::io_error);
    CHECK(e.message == "cannot read '/nonexistent/x.csv': No such file or directory");
  }
  SECTION("a directory") {
    const io::file_error e = io::read_file("/tmp", out);
    CHECK(e.code == errc::io_error);
    CHECK(e.message == "cannot read '/tmp': Is a directory");
  }
  SECTION("an endless stream stops at the limit") {
    const io::file_error e = io::read_file("/dev/zero", out, 1'000'000);
    CHECK(e.code == errc::io_error);
    CHECK(e.message == "'/dev/zero' is larger than 1000000 bytes");
  }
  CHECK(out.empty());
}

TEST_CASE("read_stream reads an open stream and bounds it", "[file]") {
  std::FILE* f = std::fopen("/dev/zero", "rb");
  REQUIRE(f != nullptr);
  std::string out;
  const io::file_error e = io::read_stream(f, "<stdin>", out, 100);
  CHECK(e.message == "'<stdin>' is larger than 100 bytes");
  CHECK(std::fclose(f) == 0);
}
