/// @file assert.hpp
/// `THERMO_ASSERT(expr)`: precondition checks that go to an overridable handler.
///
/// Broken preconditions inside the library (an index out of range, `value()` on an error) are
/// programming errors, not run-time conditions, so they do not return `errc`; they call
/// `THERMO_ASSERT_HANDLER(text, file, line)` (see config.hpp). With `THERMO_ENABLE_ASSERTS == 0`
/// the expression is not evaluated at all.
#pragma once

#include "thermo/config.hpp"

#if THERMO_ENABLE_ASSERTS
#  define THERMO_ASSERT(expr) \
    ((expr) ? static_cast<void>(0) : [] { THERMO_ASSERT_HANDLER(#expr, __FILE__, __LINE__); }())
#else
#  define THERMO_ASSERT(expr) static_cast<void>(sizeof((expr) ? 1 : 0))
#endif
