// Start-up code for QEMU's mps2-an386 (Arm MPS2 with the AN386 FPGA image: a Cortex-M4F), linked
// with mps2_an386.ld, -nostartfiles and newlib's rdimon (semihosting) system calls.
//
// Reset: enable the FPU, copy .data from its load address, clear .bss, open the semihosting
// standard handles, run the static constructors, then exit(main()). newlib's rdimon start-up
// (rdimon-crt0, dropped by -nostartfiles) is made for images a debugger loads into RAM: it has no
// vector table, does not enable the FPU, does not copy .data from a flash load address and takes
// its stack from the debugger (SYS_HEAPINFO).
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "board.hpp"
#include "semihosting.hpp"

// Symbols of the linker script, newlib and the C++ ABI. Their names are fixed by those
// interfaces (hence the reserved identifiers).
extern "C" {
extern std::uint32_t __data_load__[];
extern std::uint32_t __data_start__[];
extern std::uint32_t __data_end__[];
extern std::uint32_t __bss_start__[];
extern std::uint32_t __bss_end__[];
extern std::uint32_t __stack_top__[];
extern void (*__preinit_array_start[])();
extern void (*__preinit_array_end[])();
extern void (*__init_array_start[])();
extern void (*__init_array_end[])();

/// newlib/rdimon: opens the semihosting handles of stdin, stdout and stderr (and learns which
/// semihosting extensions the host has — `exit` then reports main's status).
void initialise_monitor_handles();

/// The program's `main`, declared under another name: ISO C++ forbids calling `main`.
int app_main() __asm__("main");

// [abi-stubs]
/// crtbegin.o's DSO handle (not linked with -nostartfiles): the address `__cxa_atexit`
/// registers static destructors under.
void* __dso_handle = nullptr;  // NOLINT

/// crti.o's `_fini` (not linked with -nostartfiles), called by newlib's `__libc_fini_array`
/// at exit after the .fini_array entries. Nothing to do.
void _fini() {}  // NOLINT

/// newlib's stdio initialiser, called by rdimon's system calls. The image uses no stdio; newlib's
/// own `__sinit` lives in the object that allocates FILE structures and would link `_malloc_r`.
void __sinit(void* /*reent*/) {}  // NOLINT
// [abi-stubs]

[[noreturn]] void thermo_fw_start() noexcept;
[[noreturn]] void reset_handler() noexcept;
void default_handler() noexcept;
void SysTick_Handler() noexcept;
void adc_alarm_handler() noexcept;
}

// [reset]
/// The reset vector. Naked and written in assembly because the FPU must be on before the first
/// floating-point instruction — which compiled C++ (even a copy loop, with -mfloat-abi=hard) may
/// contain: set CPACR.CP10 and CP11 to full access, then synchronise.
extern "C" [[noreturn, gnu::naked]] void reset_handler() noexcept {
  __asm__ volatile(
      "movw r0, #0xED88\n\t"  // r0 = CPACR (board::scb_cpacr, 0xE000ED88)
      "movt r0, #0xE000\n\t"
      "ldr r1, [r0]\n\t"
      "orr r1, r1, #(0xF << 20)\n\t"
      "str r1, [r0]\n\t"
      "dsb\n\t"
      "isb\n\t"
      "b thermo_fw_start");
}

extern "C" [[noreturn]] void thermo_fw_start() noexcept {
  for (std::uint32_t *src = __data_load__, *dst = __data_start__; dst < __data_end__;) {
    *dst++ = *src++;  // .data: initial values from the image to RAM
  }
  for (std::uint32_t* dst = __bss_start__; dst < __bss_end__;) {
    *dst++ = 0;  // .bss: zero
  }
  initialise_monitor_handles();
  for (void (**f)() = __preinit_array_start; f < __preinit_array_end; ++f) {
    (*f)();
  }
  for (void (**f)() = __init_array_start; f < __init_array_end; ++f) {
    (*f)();  // static constructors (the controller, the governors …)
  }
  std::exit(app_main());  // runs the static destructors, then SYS_EXIT with main's status
}
// [reset]

/// Any fault or unexpected interrupt: say so on the debug channel and stop with an error.
extern "C" void default_handler() noexcept {
  semihosting::write0("mps2-an386: unexpected exception (fault)\n");
  semihosting::exit(semihosting::stopped_runtime_error);
}

/// The vector table (ARMv7-M): the initial stack pointer, then the handlers of the 15 system
/// exceptions and of the external interrupts. Placed at address 0 by the linker script; every
/// entry is a link-time constant, so the table is data in the image, not built at run time.
using handler = void (*)() noexcept;
struct vector_table {
  std::uint32_t* initial_stack_pointer;
  std::array<handler, 15 + board::num_irqs> handlers;
};

namespace {
constexpr std::array<handler, 15 + board::num_irqs> make_handlers() noexcept {
  std::array<handler, 15 + board::num_irqs> h{};
  h.fill(default_handler);  // NMI, faults, SVCall, PendSV, unused interrupts
  h[0] = reset_handler;
  for (const std::size_t reserved : {6U, 7U, 8U, 9U, 12U}) {
    h[reserved] = nullptr;
  }
  h[14] = SysTick_Handler;                           // the control loop's timer (main.cpp)
  h[15 + board::adc_alarm_irq] = adc_alarm_handler;  // the sensor's alarm (main.cpp)
  return h;
}
}  // namespace

extern "C" {
[[gnu::section(".vectors"), gnu::used]] const vector_table vectors{__stack_top__, make_handlers()};
}
