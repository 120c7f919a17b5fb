/*
 * <linux/build_bug.h> - compile-time assertions.
 */
#pragma once
#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")
#define BUILD_BUG_ON_MSG(cond, msg) _Static_assert(!(cond), msg)
#define BUILD_BUG() _Static_assert(0, "BUILD_BUG")
#define static_assert(expr, ...) _Static_assert(expr, #expr)
