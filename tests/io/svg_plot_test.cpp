#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "support/xml_check.hpp"
#include "thermo/io/svg_plot.hpp"

using thermo::io::svg_figure;
using thermo::test::xml_check;

TEST_CASE("the XML checker accepts well-formed documents and rejects broken ones", "[svg]") {
  CHECK(xml_check("<?xml version=\"1.0\"?>\n<svg a=\"1\"><g><text>x &amp; y</text></g></svg>\n").empty());
  CHECK_FALSE(xml_check("<svg><g></svg>").empty());
  CHECK_FALSE(xml_check("<svg a=1/>").empty());
  CHECK_FALSE(xml_check("<svg><text>a < b</text></svg>").empty());
  CHECK_FALSE(xml_check("<svg a=\"1\" a=\"2\"/>").empty());
  CHECK_FALSE(xml_check("<svg/><svg/>").empty());
  CHECK_FALSE(xml_check("<svg>&nbsp;</svg>").empty());
}

TEST_CASE("an SVG figure is well-formed XML with axes labels, legend and reference lines", "[svg]") {
  svg_figure fig("Step <response> & trips");
  auto& p = fig.add_panel("time (s)", "temperature (°C)");
  std::vector<double> t;
  std::vector<double> y;
  for (int i = 0; i <= 50; ++i) {
    t.push_back(0.1 * i);
    y.push_back(25.0 + 40.0 * (1.0 - std::exp(-0.1 * i)));
  }
  p.add({.name = "die \"hot\"", .x = t, .y = y});
  p.add({.name = "cap", .x = {0.0, 2.0, 5.0}, .y = {30.0, 50.0, 40.0}, .step = true, .dashed = true});
  p.add_hline("trip 60 °C", 60.0);
  fig.add_panel("period (ms)", "latency (ms)").log_x().add({.name = "mean", .x = {10, 100, 1000}, .y = {5, 50, 500}, .markers = true});

  const std::string doc = fig.render();
  INFO(doc.substr(0, 400));
  CHECK(xml_check(doc).empty());
  CHECK(doc.find("time (s)") != std::string::npos);
  CHECK(doc.find("temperature (°C)") != std::string::npos);
  CHECK(doc.find("Step &lt;response&gt; &amp; trips") != std::string::npos);
  CHECK(doc.find("die &quot;hot&quot;") != std::string::npos);
  CHECK(doc.find("trip 60 °C") != std::string::npos);
  CHECK(doc.find("<polyline") != std::string::npos);
  CHECK(doc.find("<circle") != std::string::npos);  // markers
  CHECK(fig.render() == doc);                          // deterministic
}

TEST_CASE("non-finite points are skipped, never written", "[svg]") {
  svg_figure fig("skip");
  fig.add_panel("x", "y").add({.name = "s", .x = {0.0, 1.0, 2.0}, .y = {1.0, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}});
  const std::string doc = fig.render();
  CHECK(xml_check(doc).empty());
  CHECK(doc.find("nan") == std::string::npos);
  CHECK(doc.find("inf") == std::string::npos);
}

TEST_CASE("saving to an unwritable path is an io_error", "[svg]") {
  svg_figure fig("x");
  CHECK(fig.save("/nonexistent-dir/x.svg") == thermo::errc::io_error);
}

TEST_CASE("panel references stay valid when more panels are added", "[svg]") {
  svg_figure fig("three panels");
  auto& first = fig.add_panel("x", "first y");
  fig.add_panel("x", "second y");
  fig.add_panel("x", "third y");
  first.add({.name = "late series", .x = {0.0, 1.0}, .y = {0.0, 1.0}});  // filled after the others exist
  const std::string doc = fig.render();
  CHECK(xml_check(doc).empty());
  CHECK(doc.find("late series") != std::string::npos);
}

TEST_CASE("tick labels carry as many decimals as the tick step needs", "[svg]") {
  using thermo::io::detail::tick_label;
  CHECK(tick_label(7.5, 2.5) == "7.5");
  CHECK(tick_label(10.0, 2.5) == "10.0");
  CHECK(tick_label(20.0, 5.0) == "20");
  CHECK(tick_label(0.25, 0.05) == "0.25");
  CHECK(tick_label(1e-12, 0.5) == "0.0");
}

TEST_CASE("vertical lines, bands and whole-number ticks", "[svg]") {
  svg_figure fig("extras");
  auto& p = fig.add_panel("time (s)", "state");
  p.integer_y().add_vline("fan fails", 2.0).add_vline("", 3.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  p.add({.name = "s", .x = {0.0, 1.0, 2.0, 4.0}, .y = {0.0, 1.5, 2.0, 2.0}, .step = true,
         .band_lo = {nan, 1.0, nan, nan}, .band_hi = {nan, 2.0, nan, nan}});
  const std::string doc = fig.render();
  CHECK(xml_check(doc).empty());
  CHECK(doc.find(">fan fails<") != std::string::npos);
  CHECK(doc.find("stroke-dasharray=\"2,3\"") != std::string::npos);  // both event lines
  CHECK(doc.find("<polygon class=\"band\"") != std::string::npos);
  CHECK(doc.find("<polygon class=\"band\"", doc.find("<polygon class=\"band\"") + 1) == std::string::npos);  // one run
  CHECK(doc.find("text-anchor=\"end\">0.5<") == std::string::npos);  // whole-number y ticks only
  CHECK(doc.find("text-anchor=\"end\">1<") != std::string::npos);
  CHECK(doc.find("nan") == std::string::npos);
}

TEST_CASE("the legend column is as wide as its longest entry", "[svg]") {
  svg_figure narrow("n");
  narrow.add_panel("x", "y").add({.name = "a", .x = {0.0, 1.0}, .y = {0.0, 1.0}});
  svg_figure wide("w");
  wide.add_panel("x", "y").add({.name = "a very long legend entry that needs room (units)", .x = {0.0, 1.0}, .y = {0.0, 1.0}});
  CHECK(narrow.plot_width() == 960.0 - 80.0 - 190.0);
  CHECK(wide.plot_width() < narrow.plot_width());
  CHECK(80.0 + wide.plot_width() + 42.0 + thermo::io::text_width("a very long legend entry that needs room (units)", 12.0) <= 960.0);
}
