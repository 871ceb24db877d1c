// The firmware example on a Cortex-M4F (QEMU mps2-an386): the controller of decisions.hpp driven
// by two interrupts — SysTick as the 10 ms control timer and an external interrupt as the
// temperature sensor's alarm — printing every decision on the semihosting console.
//
//   qemu-system-arm -M mps2-an386 -nographic -monitor none -serial none
//                   -semihosting-config enable=on,target=native -kernel firmware_mps2_an386.elf
//
// Its output equals the host program's (host_main.cpp) line for line.
#include <cstddef>
#include <cstdint>

#include "../decisions.hpp"
#include "board.hpp"
#include "semihosting.hpp"

namespace {

using board::reg32;
using board::reg8;

/// SysTick reload: 2500 cycles of the 25 MHz clock = 100 µs of wall time per 10 ms control tick.
/// Only the order of the interrupts matters, not their wall-clock rate: the controller's time is
/// the tick count, so the run takes a fraction of a second whatever QEMU's speed.
constexpr std::uint32_t systick_reload = board::cpu_hz / 10'000 - 1;

// ------------------------------------------------------------------------------------ console
std::int32_t console = -1;  // semihosting handle of ":tt" opened for writing

void write_console(const char* text, std::size_t length) noexcept {
  static_cast<void>(semihosting::write(console, text, length));
}

// Start-up self-check: .data was copied, .bss cleared and the FPU enabled (with CPACR left at
// its reset value the float multiply below raises a UsageFault and the run fails).
volatile std::uint32_t boot_data = 0x7E57'DA7AU;  // .data
volatile std::uint32_t boot_bss;                  // .bss
volatile float fpu_probe = 1.5F;

[[nodiscard]] bool startup_ok() noexcept {
  return boot_data == 0x7E57'DA7AU && boot_bss == 0 && fpu_probe * 2.0F > 2.9F;
}

// The whole thermal management, constructed by the reset handler's static-constructor loop.
// NOLINTNEXTLINE(cppcoreguidelines-avoid-non-const-global-variables): the interrupts share it
fw::controller controller{write_console};

}  // namespace

// [interrupts]
/// The control timer: one 10 ms step of the controller. When the step leaves a sensor reading
/// outside the window its zone programmed, the ADC's alarm line goes up.
extern "C" void SysTick_Handler() noexcept {
  controller.on_timer_tick();
  if (controller.alarm_pending()) {
    // Emulated hardware: the ADC raises its alarm line.
    reg32(board::nvic_ispr0) = 1U << board::adc_alarm_irq;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
  }
}

/// The sensor's alarm interrupt: update the zone whose reading crossed its window.
extern "C" void adc_alarm_handler() noexcept {
  controller.on_sensor_alarm();
}
// [interrupts]

int main() {
  if (!startup_ok()) {
    semihosting::write0("mps2-an386: start-up self-check failed (.data, .bss or FPU)\n");
    return 3;
  }
  static constexpr char tt[] = ":tt";
  console = semihosting::open(tt, sizeof tt - 1, semihosting::open_mode_write);
  if (console < 0) {
    semihosting::write0("mps2-an386: cannot open the semihosting console\n");
    return 2;
  }
  if (!controller.setup()) {
    static_cast<void>(controller.report());
    return 1;
  }
  // [start-timer]
  // Priorities: the alarm (0x40) above SysTick (0x80). The alarm line is raised by the timer
  // interrupt itself, after it is done with the zones, so the alarm runs at once — before the
  // next tick, as on the host. (With a real sensor, whose alarm is asynchronous, give both the
  // same priority: a zone update must never be interrupted by another one.)
  reg8(board::nvic_ipr0 + board::adc_alarm_irq) = 0x40;
  reg32(board::scb_shpr3) = (reg32(board::scb_shpr3) & 0x00FF'FFFFU) | (0x80U << 24);
  reg32(board::nvic_iser0) = 1U << board::adc_alarm_irq;
  reg32(board::syst_rvr) = systick_reload;
  reg32(board::syst_cvr) = 0;
  reg32(board::syst_csr) = 0x7;  // processor clock, interrupt, enable
  while (!controller.finished()) {
    __asm__ volatile("wfi" ::: "memory");  // sleep; the interrupts do the work
  }
  reg32(board::syst_csr) = 0;
  // [start-timer]
  return controller.report();
}
