// Arm semihosting, called directly: the debugger (here QEMU, `-semihosting-config
// enable=on,target=native`) services a `bkpt 0xAB` with the operation number in r0 and a pointer
// to its arguments in r1; the result comes back in r0. Only what the example needs: open the
// console, write to it, write a C string to the debug channel, and stop.
//
// Why not newlib's printf: it links the FILE machinery and with it `_malloc_r`; the image must
// stay heap-free (test thermo.firmware.mps2_an386_symbols).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace semihosting {

/// Operation numbers of the Arm semihosting specification.
enum class op : std::uint32_t {
  sys_open = 0x01,    ///< {path, mode, strlen(path)} → handle or −1
  sys_write0 = 0x04,  ///< NUL-terminated string → debug channel (QEMU: its stderr)
  sys_write = 0x05,   ///< {handle, buffer, length} → bytes NOT written
  sys_exit = 0x18,    ///< reason code (32-bit: the value itself)
};

/// `ADP_Stopped_ApplicationExit` / `ADP_Stopped_RunTimeErrorUnknown`: the reasons of SYS_EXIT.
inline constexpr std::uint32_t stopped_application_exit = 0x20026U;
inline constexpr std::uint32_t stopped_runtime_error = 0x20023U;

/// Mode 4 of SYS_OPEN is fopen's "w"; on the special path ":tt" it is the console's output.
inline constexpr std::uint32_t open_mode_write = 4U;

/// One semihosting call.
inline std::int32_t call(op operation, const void* argument) noexcept {
  std::int32_t result = 0;
  // The operation goes in r0, the argument in r1; the result comes back in r0. "memory": the
  // host reads and writes the argument block.
  __asm__ volatile(
      "mov r0, %1\n\t"
      "mov r1, %2\n\t"
      "bkpt 0xAB\n\t"
      "mov %0, r0"
      : "=r"(result)
      : "r"(static_cast<std::uint32_t>(operation)), "r"(argument)
      : "r0", "r1", "memory");
  return result;
}

/// Opens `path` (NUL-terminated, `length` characters) with `mode`; the handle, or −1.
inline std::int32_t open(const char* path, std::size_t length, std::uint32_t mode) noexcept {
  const std::array<std::uintptr_t, 3> args{reinterpret_cast<std::uintptr_t>(path), mode, length};
  return call(op::sys_open, args.data());
}

/// Writes `length` bytes; the number of bytes that were NOT written (0 on success).
inline std::int32_t write(std::int32_t handle, const char* data, std::size_t length) noexcept {
  const std::array<std::uintptr_t, 3> args{static_cast<std::uintptr_t>(handle),
                                           reinterpret_cast<std::uintptr_t>(data), length};
  return call(op::sys_write, args.data());
}

/// Writes a NUL-terminated string to the debug channel (usable before anything is set up).
inline void write0(const char* text) noexcept {
  static_cast<void>(call(op::sys_write0, text));
}

/// Stops the program (QEMU exits: status 0 for `stopped_application_exit`, 1 otherwise).
[[noreturn]] inline void exit(std::uint32_t reason) noexcept {
  static_cast<void>(
      call(op::sys_exit, reinterpret_cast<const void*>(static_cast<std::uintptr_t>(reason))));
  for (;;) {
  }
}

}  // namespace semihosting
