/*
 * <linux/minmax.h> - min, max and clamp, with Linux's type check.
 */
#pragma once
#include "kernel/compiler.h"

/* As Linux's: comparing values of different types is a compile-time
 * warning ("comparison of distinct pointer types"), not a silent cast. */
#define __cmp_typecheck(x, y) ((void)(&(x) == &(y)))
#define min(x, y) ({ __typeof__(x) _x = (x); __typeof__(y) _y = (y); \
		     __cmp_typecheck(_x, _y); _x < _y ? _x : _y; })
#define max(x, y) ({ __typeof__(x) _x = (x); __typeof__(y) _y = (y); \
		     __cmp_typecheck(_x, _y); _x > _y ? _x : _y; })
#define min_t(type, x, y) ({ type _x = (x); type _y = (y); _x < _y ? _x : _y; })
#define max_t(type, x, y) ({ type _x = (x); type _y = (y); _x > _y ? _x : _y; })
#define min3(x, y, z) min(min(x, y), z)
#define max3(x, y, z) max(max(x, y), z)
#define clamp(val, lo, hi) min(max(val, lo), hi)
#define clamp_t(type, val, lo, hi) min_t(type, max_t(type, val, lo), hi)
#define clamp_val(val, lo, hi) clamp_t(__typeof__(val), val, lo, hi)
#define swap(a, b) do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)
