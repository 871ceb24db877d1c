// io/text.hpp: the one trim, line/field splitter and number parser that the HotSpot readers, the
// utilisation CSV, the scenario format and the `thermo` tool share — including the edge cases
// where their old copies differed (what surrounds a value) and the quirks they all had (a '+'
// before a sign).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <string_view>
#include <vector>

#include "thermo/io/text.hpp"

using namespace thermo;
using sv = std::string_view;

TEST_CASE("trim removes the characters of its set at each end", "[text]") {
  // blanks (the default): spaces and tabs, and a CR at the end only
  CHECK(io::trim(" \t a b \t\r") == "a b");
  CHECK(io::trim("\ra\r") == "\ra");
  CHECK(io::trim("a\n") == "a\n");
  CHECK(io::trim(" \r ") == "");  // all blanks from the back
  // whitespace: CRs at either end, LFs at the end
  CHECK(io::trim("\r a\r\n", io::whitespace) == "a");
  CHECK(io::trim("\na", io::whitespace) == "\na");
  // exact: nothing
  CHECK(io::trim(" a ", io::exact) == " a ");
  CHECK(io::trim("", io::whitespace).empty());
  STATIC_REQUIRE(io::trim("  x  ") == "x");
}

TEST_CASE("split_lines takes LF and CRLF, keeps empty lines and drops an empty last one", "[text]") {
  CHECK(io::split_lines("a\r\n\nb") == std::vector<sv>{"a", "", "b"});
  CHECK(io::split_lines("a\n") == std::vector<sv>{"a"});
  CHECK(io::split_lines("a\n\n") == std::vector<sv>{"a", ""});
  CHECK(io::split_lines("a\r") == std::vector<sv>{"a"});
  CHECK(io::split_lines("\r").empty());
  CHECK(io::split_lines("").empty());
  CHECK(io::split_lines("a\r\r\nb") == std::vector<sv>{"a\r", "b"});  // one CR per line end
}

TEST_CASE("split, split_csv and words cut fields and words", "[text]") {
  CHECK(io::split(" a ,b,,", ',') == std::vector<sv>{" a ", "b", "", ""});
  CHECK(io::split("", ',') == std::vector<sv>{""});
  CHECK(io::split(" a\r,\rb ", ',', io::whitespace) == std::vector<sv>{"a", "b"});
  CHECK(io::split_csv(" temperature , load:cpu0\t") == std::vector<sv>{"temperature", "load:cpu0"});
  CHECK(io::words("  10 s\t1.0  x2 ") == std::vector<sv>{"10", "s", "1.0", "x2"});
  CHECK(io::words("a\rb") == std::vector<sv>{"a\rb"});
  CHECK(io::words("a\rb", " \t\r") == std::vector<sv>{"a", "b"});
  CHECK(io::words(" \t ").empty());
}

TEST_CASE("parse_double reads a whole finite number, trimmed as asked", "[text]") {
  CHECK(io::parse_double("1.5") == 1.5);
  CHECK(io::parse_double("+7") == 7.0);
  CHECK(io::parse_double("-2e-3") == -2e-3);
  CHECK(io::parse_double("1E3") == 1000.0);
  CHECK(io::parse_double(".5") == 0.5);
  CHECK(io::parse_double("5.") == 5.0);
  CHECK(io::parse_double("+-5") == -5.0);  // one '+' is dropped, then from_chars reads "-5"
  for (const sv bad : {"", "+", "-", "1.5x", "x1", "nan", "NAN", "inf", "-inf", "infinity", "1e999", "--1", "++1",
                       "0x10", "1,5", "1 5"}) {
    INFO(bad);
    CHECK_FALSE(io::parse_double(bad));
  }
  // around the number: whitespace (the default) takes CR and LF, exact nothing
  CHECK(io::parse_double(" \r-2e-3\t\n") == -2e-3);
  CHECK_FALSE(io::parse_double(" 1", io::exact));
  CHECK_FALSE(io::parse_double("1\r", io::exact));
  CHECK(io::parse_double("1\r", io::blanks) == 1.0);
  CHECK_FALSE(io::parse_double("\r1", io::blanks));
  CHECK_FALSE(io::parse_double("+ 5"));  // the sign belongs to the number
}

TEST_CASE("parse_int reads a whole integer within its bounds", "[text]") {
  CHECK(io::parse_int("42", 0, 100) == 42);
  CHECK(io::parse_int("+42", 0, 100) == 42);
  CHECK(io::parse_int("-5", -10, 10) == -5);
  CHECK(io::parse_int("+-5", -10, 10) == -5);
  CHECK(io::parse_int("100", 0, 100) == 100);
  CHECK_FALSE(io::parse_int("101", 0, 100));
  CHECK_FALSE(io::parse_int("-1", 0, 100));
  CHECK(io::parse_int("-9223372036854775808", INT64_MIN, INT64_MAX) == INT64_MIN);
  for (const sv bad : {"", "+", "1.0", "1e3", "0x10", "12a", "99999999999999999999", "++1"}) {
    INFO(bad);
    CHECK_FALSE(io::parse_int(bad, INT64_MIN, INT64_MAX));
  }
  CHECK(io::parse_int(" 7\r\n", 0, 10) == 7);
  CHECK_FALSE(io::parse_int(" 7", 0, 10, io::exact));
}

TEST_CASE("parse_fixed scales a decimal exactly", "[text]") {
  CHECK(io::parse_fixed("37.5", 3, 100'000) == 37'500);
  CHECK(io::parse_fixed("100", 3, 100'000) == 100'000);
  CHECK(io::parse_fixed("0.001", 3, 100'000) == 1);
  CHECK(io::parse_fixed("+12.25", 3, 100'000) == 12'250);
  CHECK(io::parse_fixed("++5", 3, 100'000) == 5'000);  // as the tool's old reader: its integer part takes a '+'
  for (const sv bad : {"", "100.001", "101", "-1", "-0", "1.2345", "5.", ".5", "1e2", "1.-5", "1.+5", "nan"}) {
    INFO(bad);
    CHECK_FALSE(io::parse_fixed(bad, 3, 100'000));
  }
  CHECK_FALSE(io::parse_fixed(" 5", 3, 100'000, io::exact));
  CHECK(io::parse_fixed(" 5 ", 3, 100'000) == 5'000);
}

TEST_CASE("parse_duration takes a number and a unit", "[text]") {
  using namespace std::chrono;
  STATIC_REQUIRE(io::unit_nanoseconds("ms") == 1e6);
  STATIC_REQUIRE(io::unit_nanoseconds("h") == 3600e9);
  STATIC_REQUIRE_FALSE(io::unit_nanoseconds("min", 4));  // a trace's time column: s, ms, us, ns only
  STATIC_REQUIRE_FALSE(io::unit_nanoseconds("sec"));
  CHECK(io::parse_duration("600 s") == sim_duration(seconds(600)));
  CHECK(io::parse_duration(" 100ms ") == sim_duration(milliseconds(100)));
  CHECK(io::parse_duration("1.5 h") == sim_duration(minutes(90)));
  CHECK(io::parse_duration("+2 min") == sim_duration(minutes(2)));
  CHECK(io::parse_duration("1e3 ns") == sim_duration(1000));
  CHECK(io::parse_duration("0.4 ns") == sim_duration(0));  // rounded to whole nanoseconds
  CHECK(io::parse_duration("0") == sim_duration(0));        // zero needs no unit
  CHECK(io::parse_duration(" 0.0 ") == sim_duration(0));
  for (const sv bad : {"10", "0.1", "10 days", "-1 s", "s", "1 S", "1 s x", "inf s", "3000000 h"}) {
    INFO(bad);
    CHECK_FALSE(io::parse_duration(bad));
  }
}

TEST_CASE("printable escapes control and non-UTF-8 bytes and cuts long text", "[text]") {
  CHECK(io::printable("plain text, 37.5 °C") == "plain text, 37.5 °C");  // valid UTF-8 is kept
  CHECK(io::printable("\x1b[31mred\r\n\t") == "\\x1b[31mred\\r\\n\\t");
  CHECK(io::printable(std::string_view("a\0b", 3)) == "a\\0b");
  CHECK(io::printable("back\\slash\x7f") == "back\\\\slash\\x7f");
  CHECK(io::printable("\xff\xfe bad \xc3") == "\\xff\\xfe bad \\xc3");  // not UTF-8
  CHECK(io::printable("\xc0\xaf \xed\xa0\x80") == "\\xc0\\xaf \\xed\\xa0\\x80");  // overlong, surrogate
  CHECK(io::printable("\xf0\x9f\x94\xa5") == "\xf0\x9f\x94\xa5");  // a 4-byte character is one character
  CHECK(io::printable(std::string(100, 'x'), 10) == std::string(10, 'x') + "\xE2\x80\xA6");
  CHECK(io::printable(std::string(10, 'x'), 10) == std::string(10, 'x'));
  CHECK(io::printable(std::string(20'000'000, 'y')).size() == 60 + 3);  // a 20 MB line: 60 characters and "…"
  CHECK(io::quoted("a\rb") == "'a\\rb'");
}

TEST_CASE("skip_bom drops one leading UTF-8 byte order mark only", "[text]") {
  STATIC_REQUIRE(io::skip_bom("\xEF\xBB\xBFx") == "x");
  STATIC_REQUIRE(io::skip_bom("x\xEF\xBB\xBF") == "x\xEF\xBB\xBF");
  STATIC_REQUIRE(io::skip_bom("\xEF\xBB") == "\xEF\xBB");
  STATIC_REQUIRE(io::skip_bom("") == "");
}

TEST_CASE("A text with only CR line ends (old Mac OS) is split at each CR", "[text]") {
  CHECK(io::split_lines("a\rb\r\rc") == std::vector<sv>{"a", "b", "", "c"});
  CHECK(io::split_lines("a\rb\r") == std::vector<sv>{"a", "b"});
  CHECK(io::split_lines("a\r\nb\rc") == std::vector<sv>{"a", "b\rc"});  // an LF anywhere: LF line ends
}

TEST_CASE("size_limit_message names the input and the limit", "[text]") {
  CHECK(io::size_limit_message("/dev/zero", std::size_t{16} << 20U, "a device-tree blob") ==
        "'/dev/zero' is larger than the 16 MiB limit of a device-tree blob");
  CHECK(io::size_limit_message("x", 1000, "a file") == "'x' is larger than the 1000 bytes limit of a file");
  CHECK(io::read_failure_message("cannot read 'x': Is a directory", "x", 10, "a file") == "cannot read 'x': Is a directory");
  CHECK(io::read_failure_message("'x' is larger than 10 bytes", "x", 10, "a file") == "'x' is larger than the 10 bytes limit of a file");
}
