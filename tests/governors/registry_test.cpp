// control/governors/registry.hpp: every name of the kernel's registry parses and constructs that
// governor (the slot holds an object of the governor's own type, and the zone runs it), an
// unknown name is refused with the listed names, and the slot neither allocates nor moves.
#include <array>
#include <catch2/catch.hpp>
#include <cstddef>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include "governors_support.hpp"
#include "thermo/control/governors/registry.hpp"
#include "thermo/control/governors/scp_thermal_mgmt.hpp"

using namespace thermo;
using namespace thermo::control;
using namespace thermo::control::gtest;

namespace {

using registry = kernel_governors<2, 4>;
using registry_types = std::tuple<runtime_step_wise, bang_bang<2>, fair_share, user_space, power_allocator<4>>;

const std::array<thermal_trip, 2> trips{thermal_trip{mc(65000), millikelvin_delta{2000}, trip_type::passive},
                                        thermal_trip{mc(95000), millikelvin_delta{0}, trip_type::critical}};

/// Checks that `slot` holds governor `I` (its type, its name) and that a zone runs it.
template <std::size_t I>
void check_holds(registry::slot& slot) {
  using G = std::tuple_element_t<I, registry_types>;
  INFO(registry::names[I]);
  CHECK(registry::names[I] == G::name());
  REQUIRE(slot.index() == I);
  CHECK(slot.name() == G::name());
  G* held = slot.get<G>();
  REQUIRE(held != nullptr);
  const governor_ref ref = slot.ref();
  CHECK(ref.get() == held);  // the handle is to the object the slot holds
  CHECK(ref.name() == G::name());

  // driven through a zone: a passive trip crossed with a power actor bound
  linear_actor actor;
  thermal_cooling_device cdev;
  REQUIRE(cdev.setup(0, "cpufreq-cpu0", actor).ok());
  zone_rig<> z;
  REQUIRE(z.setup(trips, ref, 1000ms, 100ms).ok());
  REQUIRE(z.tz.bind(0, cdev).has_value());
  CHECK(z.tz.governor().get() == held);
  CHECK(z.at(50000, 0).status == update_status::updated);
  CHECK(z.at(70000, 1000).status == update_status::updated);
  CHECK(z.log.count(event_type::tz_trip_up) == 1);
}

template <std::size_t... I>
void check_every_name(std::index_sequence<I...>) {
  (
      [] {
        registry::slot slot;
        bool made = false;
        std::size_t allocations = 0;
        {
          thermo::test::heap_guard guard;
          made = slot.emplace(registry::names[I]).has_value();
          allocations = guard.allocations();
        }
        CHECK(allocations == 0U);  // constructed in place
        REQUIRE(made);
        check_holds<I>(slot);
      }(),
      ...);
}

}  // namespace

TEST_CASE("the kernel registry lists the five Linux governors under their own names", "[governors][registry]") {
  STATIC_REQUIRE(registry::size == 5);
  STATIC_REQUIRE(registry::names[0] == "step_wise");  // the kernel's default governor comes first
  STATIC_REQUIRE(registry::list == "step_wise, bang_bang, fair_share, user_space, power_allocator");
  STATIC_REQUIRE(registry::find("power_allocator") == 4);
  STATIC_REQUIRE(registry::find("fair_share") == 2);
  STATIC_REQUIRE_FALSE(registry::find("ondemand"));
  STATIC_REQUIRE_FALSE(registry::find("Step_wise"));
  STATIC_REQUIRE_FALSE(registry::find(""));
  STATIC_REQUIRE_FALSE(registry::find("scp_thermal_mgmt"));  // a firmware port, not a Linux governor
  // the names do not depend on the capacities
  STATIC_REQUIRE(kernel_governors<>::list == registry::list);
  STATIC_REQUIRE_FALSE(std::is_copy_constructible_v<registry::slot>);  // zones point at what it holds
  STATIC_REQUIRE_FALSE(std::is_move_constructible_v<registry::slot>);
  STATIC_REQUIRE_FALSE(std::is_move_assignable_v<governor_registry<step_wise<>>::slot>);
  // a registry of one's own lists what it is given
  using mine = governor_registry<scp_thermal_mgmt<2>, step_wise<>>;
  STATIC_REQUIRE(mine::list == "scp_thermal_mgmt, step_wise");
  STATIC_REQUIRE(mine::find("step_wise") == 1);
}

TEST_CASE("every name of the registry constructs that governor, and a zone runs it", "[governors][registry]") {
  check_every_name(std::make_index_sequence<registry::size>{});
}

TEST_CASE("an unknown name is refused and keeps the governor held, and emplacing replaces it", "[governors][registry]") {
  thermo::test::heap_guard guard;
  registry::slot slot;
  CHECK_FALSE(slot.index());
  CHECK(slot.name().empty());
  CHECK_FALSE(slot.ref());
  const auto bad = slot.emplace("ondemand");
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().code == errc::not_found);
  CHECK(std::string_view(bad.error().what) == "governor");
  CHECK_FALSE(slot.index());

  const governor_ref fs = slot.emplace(std::size_t{2});
  CHECK(fs.name() == "fair_share");
  CHECK_FALSE(slot.emplace("performance").has_value());
  CHECK(slot.name() == "fair_share");
  CHECK(slot.get<fair_share>() != nullptr);
  CHECK(slot.get<runtime_step_wise>() == nullptr);

  const governor_ref pa = *slot.emplace("power_allocator");
  CHECK(pa.name() == "power_allocator");
  CHECK(slot.get<fair_share>() == nullptr);
  REQUIRE(slot.get<power_allocator<4>>() != nullptr);
  CHECK(pa.get() == slot.get<power_allocator<4>>());
  CHECK(std::as_const(slot).get<power_allocator<4>>() == slot.get<power_allocator<4>>());
  CHECK(guard.allocations() == 0U);
}
