// QEMU mps2-an386 (Cortex-M4F): the system registers and interrupt numbers the firmware example
// uses (Armv7-M architecture reference: SysTick, NVIC, SCB).
#pragma once

#include <cstddef>
#include <cstdint>

namespace board {

/// A 32-bit / 8-bit memory-mapped register.
[[nodiscard]] inline volatile std::uint32_t& reg32(std::uintptr_t address) noexcept {
  return *reinterpret_cast<volatile std::uint32_t*>(address);
}
[[nodiscard]] inline volatile std::uint8_t& reg8(std::uintptr_t address) noexcept {
  return *reinterpret_cast<volatile std::uint8_t*>(address);
}

inline constexpr std::uintptr_t syst_csr = 0xE000E010;    ///< SysTick control and status
inline constexpr std::uintptr_t syst_rvr = 0xE000E014;    ///< SysTick reload value
inline constexpr std::uintptr_t syst_cvr = 0xE000E018;    ///< SysTick current value
inline constexpr std::uintptr_t nvic_iser0 = 0xE000E100;  ///< interrupt set-enable, IRQ 0..31
inline constexpr std::uintptr_t nvic_ispr0 = 0xE000E200;  ///< interrupt set-pending, IRQ 0..31
inline constexpr std::uintptr_t nvic_ipr0 = 0xE000E400;   ///< interrupt priority, a byte per IRQ
inline constexpr std::uintptr_t scb_shpr3 = 0xE000ED20;   ///< SysTick (31:24), PendSV priority
inline constexpr std::uintptr_t scb_cpacr = 0xE000ED88;   ///< coprocessor (FPU) access

/// The 25 MHz processor clock of the MPS2 board.
inline constexpr std::uint32_t cpu_hz = 25'000'000;
/// External interrupts of the AN386 image.
inline constexpr std::size_t num_irqs = 32;
/// The interrupt standing for the temperature ADC's alarm line (not wired to any AN386 device).
inline constexpr std::size_t adc_alarm_irq = 30;

}  // namespace board
