/*
 * <linux/bug.h> - BUG_ON, WARN_ON and friends.
 */
#pragma once
#include "kernel/panic.h"
#define WARN_ONCE(cond, ...) ({ static bool __w; bool __c = !!(cond); \
	if (unlikely(__c) && !__w) { __w = true; WARN(1, __VA_ARGS__); } __c; })
