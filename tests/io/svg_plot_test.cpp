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
