/// @file config.hpp
/// Compile-time configuration knobs of thermo.
///
/// Define `THERMO_USER_CONFIG` to a header name (e.g. `-DTHERMO_USER_CONFIG='"my_thermo_cfg.hpp"'`)
/// to set the knobs below in one place. Every knob has a documented default; none of them
/// changes the layout of any type. See docs/reference/core.md ("Preconditions").
#pragma once

#if defined(THERMO_USER_CONFIG)
#  include THERMO_USER_CONFIG
#endif

/// `THERMO_ENABLE_ASSERTS`: 1 checks preconditions with THERMO_ASSERT, 0 compiles them out
/// (the expression stays unevaluated). Default: on unless `NDEBUG` is defined.
#ifndef THERMO_ENABLE_ASSERTS
#  ifdef NDEBUG
#    define THERMO_ENABLE_ASSERTS 0
#  else
#    define THERMO_ENABLE_ASSERTS 1
#  endif
#endif

/// `THERMO_ASSERT_HANDLER(expr_text, file, line)`: what a failed precondition does.
/// Default: `__builtin_trap()` (no I/O, no exceptions; works on a Cortex-M and on the host).
#ifndef THERMO_ASSERT_HANDLER
#  define THERMO_ASSERT_HANDLER(expr_text, file, line) __builtin_trap()
#endif
