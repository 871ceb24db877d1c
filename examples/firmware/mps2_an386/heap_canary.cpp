// Negative control of the image symbol check (examples/firmware/check_image.cmake): an image
// built like firmware_mps2_an386 — same start-up, flags and libraries — that allocates with
// malloc and operator new. Test thermo.firmware.mps2_an386_symbol_check_rejects_heap requires
// the check to reject it, naming those symbols.
#include <cstdlib>

extern "C" void SysTick_Handler() noexcept {}
extern "C" void adc_alarm_handler() noexcept {}

namespace {
void* volatile sink = nullptr;  // stores that the optimiser must keep
}

int main() {
  sink = std::malloc(16);
  sink = new int(42);
  return sink == nullptr ? 1 : 0;
}
