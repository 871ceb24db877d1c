// The firmware example on the host: the same controller as the Cortex-M4 image
// (mps2_an386/main.cpp), driven by a loop instead of interrupts, printing to stdout. Its output
// must equal the image's line for line (test thermo.firmware.mps2_an386_matches_host).
#include <cstddef>
#include <cstdio>

#include "decisions.hpp"

namespace {

void write_stdout(const char* text, std::size_t length) noexcept {
  static_cast<void>(std::fwrite(text, 1, length, stdout));
}

}  // namespace

int main() {
  // Zones and cooling devices point at each other: the controller is built in place, never moved.
  fw::controller controller{write_stdout};
  if (!controller.setup()) {
    static_cast<void>(controller.report());
    return 1;
  }
  // [host-loop]
  // The interrupts in the order the image takes them: the timer tick, then — if the tick left a
  // sensor channel outside its window — the alarm interrupt, before the next tick.
  while (!controller.finished()) {
    controller.on_timer_tick();
    if (controller.alarm_pending()) {
      controller.on_sensor_alarm();
    }
  }
  // [host-loop]
  return controller.report();
}
