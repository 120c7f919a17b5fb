/*
 * <linux/kernel.h> - the grab bag every Linux file includes.
 */
#pragma once
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/bug.h>
#include <linux/build_bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "sched/sched.h"	/* might_sleep, cond_resched */

#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define DIV_ROUND_CLOSEST(x, d) (((x) + ((d) / 2)) / (d))
#define roundup(x, y) ((((x) + ((y) - 1)) / (y)) * (y))
#define rounddown(x, y) ((x) - ((x) % (y)))
#define round_up(x, y) ALIGN_UP(x, y)
#define round_down(x, y) ALIGN_DOWN(x, y)
#define ALIGN(x, a) ALIGN_UP(x, a)
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define abs(x) ({ __typeof__(x) __x = (x); __x < 0 ? -__x : __x; })
#define U8_MAX ((u8)~0U)
#define U16_MAX ((u16)~0U)
#define U32_MAX ((u32)~0U)
#define U64_MAX ((u64)~0ULL)
#define S32_MAX ((s32)(U32_MAX >> 1))
#define INT_MAX __INT_MAX__
#define INT_MIN (-INT_MAX - 1)
#define UINT_MAX (~0U)
#define LONG_MAX __LONG_MAX__
#define LONG_MIN (-LONG_MAX - 1)
#define ULONG_MAX (~0UL)
#define LLONG_MAX __LONG_LONG_MAX__
#define ULLONG_MAX (~0ULL)
#define sprintf(buf, ...) snprintf((buf), 1UL << 30, __VA_ARGS__)
#define vsprintf(buf, fmt, ap) vsnprintf((buf), 1UL << 30, (fmt), (ap))
#define might_sleep_if(cond) do { if (cond) might_sleep(); } while (0)
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
