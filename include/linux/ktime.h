/*
 * <linux/ktime.h> - time since boot (no wall clock here).
 */
#pragma once
#include <linux/types.h>
#include "kernel/time.h"

/* ktime_t and KTIME_MAX: kernel/time.h. */
#define KTIME_SEC_MAX (KTIME_MAX / (s64)NSEC_PER_SEC)
static inline ktime_t ktime_get(void) { return (ktime_t)ktime_get_ns(); }
static inline ktime_t ktime_get_boottime(void) { return ktime_get(); }
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
#define ktime_sub_ns(kt, ns) ((kt) - (ns))
#define ktime_add_us(kt, us) ktime_add_ns(kt, (u64)(us) * NSEC_PER_USEC)
#define ktime_add_ms(kt, ms) ktime_add_ns(kt, (u64)(ms) * NSEC_PER_MSEC)
#define ktime_sub_us(kt, us) ktime_sub_ns(kt, (u64)(us) * NSEC_PER_USEC)
#define ktime_sub_ms(kt, ms) ktime_sub_ns(kt, (u64)(ms) * NSEC_PER_MSEC)

/* secs.nsecs as a ktime_t; KTIME_MAX beyond what it can hold. */
static inline ktime_t ktime_set(const s64 secs, const unsigned long nsecs)
{
	if (secs >= KTIME_SEC_MAX)
		return KTIME_MAX;
	return secs * (s64)NSEC_PER_SEC + (s64)nsecs;
}

/* a + b, KTIME_MAX instead of overflowing (Linux's ktime_add_safe). */
static inline ktime_t ktime_add_safe(const ktime_t a, const ktime_t b)
{
	ktime_t res;

	if (__builtin_add_overflow(a, b, &res) || res < 0)
		return KTIME_MAX;
	return res;
}

static inline s64 ktime_divns(const ktime_t kt, s64 div) { return kt / div; }
#define ktime_compare(a, b) ((a) < (b) ? -1 : (a) > (b) ? 1 : 0)
#define ktime_after(a, b) ((a) > (b))
#define ktime_before(a, b) ((a) < (b))
static inline s64 ktime_us_delta(ktime_t later, ktime_t earlier) { return (later - earlier) / 1000; }
static inline s64 ktime_ms_delta(ktime_t later, ktime_t earlier) { return (later - earlier) / 1000000; }
#define ktime_get_real() _Pragma("GCC error \"ktime_get_real: smpkern has no wall clock; ktime_get() counts from boot\"")
#define ktime_get_real_ns() _Pragma("GCC error \"ktime_get_real_ns: smpkern has no wall clock; ktime_get_ns() counts from boot\"")
