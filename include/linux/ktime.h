/*
 * <linux/ktime.h> - time since boot (no wall clock here).
 */
#pragma once
#include <linux/types.h>
#include "kernel/time.h"

typedef s64 ktime_t;
#define KTIME_MAX ((ktime_t)~((u64)1 << 63))
static inline ktime_t ktime_get(void) { return (ktime_t)ktime_get_ns(); }
static inline u64 ktime_get_boottime_ns(void) { return ktime_get_ns(); }
static inline u64 ktime_get_mono_fast_ns(void) { return ktime_get_ns(); }
static inline s64 ktime_to_ns(ktime_t kt) { return kt; }
static inline s64 ktime_to_us(ktime_t kt) { return kt / 1000; }
static inline s64 ktime_to_ms(ktime_t kt) { return kt / 1000000; }
static inline ktime_t ns_to_ktime(u64 ns) { return (ktime_t)ns; }
static inline ktime_t ms_to_ktime(u64 ms) { return (ktime_t)(ms * 1000000); }
static inline ktime_t us_to_ktime(u64 us) { return (ktime_t)(us * 1000); }
#define ktime_add(a, b) ((a) + (b))
#define ktime_sub(a, b) ((a) - (b))
#define ktime_add_ns(kt, ns) ((kt) + (ns))
#define ktime_compare(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#define ktime_after(a, b) ((a) > (b))
#define ktime_before(a, b) ((a) < (b))
static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier) { return (later - earlier) / 1000; }
static inline s64 ktime_ms_delta(ktime_t later, ktime_t earlier) { return (later - earlier) / 1000000; }
#define ktime_get_real() _Pragma("GCC error \"ktime_get_real: smpkern has no wall clock; ktime_get() counts from boot\"")
#define ktime_get_real_ns() _Pragma("GCC error \"ktime_get_real_ns: smpkern has no wall clock; ktime_get_ns() counts from boot\"")
