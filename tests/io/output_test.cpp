// io/output.hpp: outputs appear whole or not at all, only regular files are replaced, an input
// is never overwritten, and long names work.
#include <catch2/catch.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "thermo/io/output.hpp"

namespace fs = std::filesystem;
using thermo::io::file_error;
using thermo::io::output_set;

namespace {

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(THERMO_BINARY_DIR) / "output_test" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

void put(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f << text;
}

/// Names in `d` that are temporaries of an output set.
std::size_t temporaries(const fs::path& d) {
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(d)) {
    n += e.path().filename().string().rfind(".thermo-", 0) == 0 ? 1U : 0U;
  }
  return n;
}

}  // namespace

TEST_CASE("an output set's files appear together on commit, and not before", "[output]") {
  const fs::path d = fresh_dir("commit");
  put(d / "b.json", "old");
  {
    output_set set;
    std::ostream* a = nullptr;
    std::ostream* b = nullptr;
    REQUIRE(set.open((d / "a.csv").string(), a).ok());
    REQUIRE(set.open((d / "b.json").string(), b).ok());
    *a << "x,y\n1,2\n";
    *b << "{}\n";
    CHECK_FALSE(fs::exists(d / "a.csv"));
    CHECK(slurp(d / "b.json") == "old");
    const file_error e = set.commit();
    INFO(e.message);
    REQUIRE(e.ok());
  }
  CHECK(slurp(d / "a.csv") == "x,y\n1,2\n");
  CHECK(slurp(d / "b.json") == "{}\n");
  CHECK(temporaries(d) == 0);
}

TEST_CASE("an output set destroyed without commit leaves every target as it was", "[output]") {
  const fs::path d = fresh_dir("abort");
  put(d / "keep.csv", "previous");
  {
    output_set set;
    std::ostream* a = nullptr;
    std::ostream* b = nullptr;
    REQUIRE(set.open((d / "keep.csv").string(), a).ok());
    REQUIRE(set.open((d / "new.csv").string(), b).ok());
    *a << "half";
    *b << "written";
  }
  CHECK(slurp(d / "keep.csv") == "previous");
  CHECK_FALSE(fs::exists(d / "new.csv"));
  CHECK(temporaries(d) == 0);
}

TEST_CASE("only regular files are replaced: directories, FIFOs and devices are refused", "[output][validation]") {
  const fs::path d = fresh_dir("special");
  fs::create_directory(d / "dir");
  REQUIRE(::mkfifo((d / "fifo").c_str(), 0600) == 0);
  output_set set;
  std::ostream* o = nullptr;
  file_error e = set.open((d / "dir").string(), o);
  CHECK(e.message.find("is not a regular file (a directory)") != std::string::npos);
  e = set.open((d / "fifo").string(), o);
  CHECK(e.message.find("(a FIFO)") != std::string::npos);
  e = set.open("/dev/null", o);
  CHECK(e.message == "'/dev/null' is not a regular file (a character device); only regular files are replaced (use - for standard output)");
  CHECK(o == nullptr);
  CHECK(fs::is_fifo(d / "fifo"));
  CHECK(temporaries(d) == 0);
}

TEST_CASE("a symbolic link to a file is followed: the file is replaced and the link stays", "[output]") {
  const fs::path d = fresh_dir("symlink");
  put(d / "real.csv", "old");
  fs::create_symlink("real.csv", d / "link.csv");
  fs::create_symlink("missing.csv", d / "dangling.csv");
  output_set set;
  std::ostream* o = nullptr;
  REQUIRE(set.open((d / "link.csv").string(), o).ok());
  *o << "new";
  REQUIRE(set.commit().ok());
  CHECK(fs::is_symlink(d / "link.csv"));
  CHECK(slurp(d / "real.csv") == "new");
  const file_error e = set.open((d / "dangling.csv").string(), o);
  CHECK(e.message.find("is a symbolic link that cannot be followed") != std::string::npos);
}

TEST_CASE("an output that is also an input, or one file given twice, is refused", "[output][validation]") {
  const fs::path d = fresh_dir("input");
  put(d / "in.scn", "scenario");
  output_set set;
  set.add_input((d / "in.scn").string());
  std::ostream* o = nullptr;
  file_error e = set.open((d / "in.scn").string(), o);
  CHECK(e.message == "'" + (d / "in.scn").string() + "' is also an input");
  // The same file under another name.
  e = set.open((d / "." / "in.scn").string(), o);
  CHECK(e.message.find("is also an input ('") != std::string::npos);
  REQUIRE(set.open((d / "out.csv").string(), o).ok());
  e = set.open((d / "out.csv").string(), o);
  CHECK(e.message.find("is given as two outputs") != std::string::npos);
  REQUIRE(set.open("-", o).ok());
  CHECK(o == &std::cout);
  e = set.open("-", o);
  CHECK(e.message == "standard output (-) is given as two outputs");
  e = set.open("", o);
  CHECK(e.message == "an output has an empty name (use - for standard output)");
  CHECK(slurp(d / "in.scn") == "scenario");
}

TEST_CASE("a 250-character output name works", "[output]") {
  const fs::path d = fresh_dir("long");
  const std::string name(246, 'n');
  const fs::path p = d / (name + ".csv");
  REQUIRE(p.filename().string().size() == 250);
  output_set set;
  std::ostream* o = nullptr;
  const file_error e = set.open(p.string(), o);
  INFO(e.message);
  REQUIRE(e.ok());
  *o << "ok";
  REQUIRE(set.commit().ok());
  CHECK(slurp(p) == "ok");
}

TEST_CASE("a write error (file too large) fails the commit and names the file, not a temporary", "[output][validation]") {
  const fs::path d = fresh_dir("too_large");
  put(d / "a.csv", "old a");
  rlimit old{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old) == 0);
  const auto previous = std::signal(SIGXFSZ, SIG_IGN);
  file_error e;
  {
    output_set set;
    std::ostream* a = nullptr;
    std::ostream* b = nullptr;
    REQUIRE(set.open((d / "a.csv").string(), a).ok());
    REQUIRE(set.open((d / "b.csv").string(), b).ok());
    *a << "small";
    rlimit small = old;
    small.rlim_cur = 100000;
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    *b << std::string(300000, 'x');
    e = set.commit();
    REQUIRE(::setrlimit(RLIMIT_FSIZE, &old) == 0);
  }
  std::signal(SIGXFSZ, previous);
  CHECK(e.message == "cannot write '" + (d / "b.csv").string() + "': File too large");
  CHECK(slurp(d / "a.csv") == "old a");
  CHECK_FALSE(fs::exists(d / "b.csv"));
  CHECK(temporaries(d) == 0);
}

TEST_CASE("when a late rename fails, the outputs already moved get their old contents back", "[output]") {
  const fs::path d = fresh_dir("rollback");
  fs::create_directory(d / "gone");
  put(d / "a.csv", "old a");
  output_set set;
  std::ostream* a = nullptr;
  std::ostream* b = nullptr;
  std::ostream* c = nullptr;
  REQUIRE(set.open((d / "a.csv").string(), a).ok());
  REQUIRE(set.open((d / "new.csv").string(), c).ok());
  REQUIRE(set.open((d / "gone" / "b.csv").string(), b).ok());
  *a << "new a";
  *c << "new";
  *b << "new b";
  fs::remove_all(d / "gone");  // b's folder disappears under the set: its rename must fail
  const file_error e = set.commit();
  CHECK(e.message.rfind("cannot replace '" + (d / "gone" / "b.csv").string() + "': ", 0) == 0);
  CHECK(slurp(d / "a.csv") == "old a");
  CHECK_FALSE(fs::exists(d / "new.csv"));
  CHECK(temporaries(d) == 0);
}

TEST_CASE("write_output writes one file whole, and keeps the replaced file's permissions", "[output]") {
  const fs::path d = fresh_dir("single");
  put(d / "x.txt", "old");
  fs::permissions(d / "x.txt", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  REQUIRE(thermo::io::write_output((d / "x.txt").string(), "new").ok());
  CHECK(slurp(d / "x.txt") == "new");
  CHECK(fs::status(d / "x.txt").permissions() == (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  const file_error e = thermo::io::write_output((d / "x.txt").string(), "y", {(d / "x.txt").string()});
  CHECK(e.message.find("is also an input") != std::string::npos);
  CHECK(slurp(d / "x.txt") == "new");
}
