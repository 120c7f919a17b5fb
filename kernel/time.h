/*
 * time.h - time since boot, from the CPU's time-stamp counter (TSC).
 *
 * ktime_get_ns() is monotonic and comparable across CPUs (every CPU's TSC
 * starts together and runs at one invariant rate on the machines we
 * target; tests check the cross-CPU skew). Usable in any context; it never
 * waits for a lock (it reads the clock's parameters under a seqcount and
 * retries if they changed meanwhile: see arch/x86/tsc.c).
 *
 * timekeeping_rebase(): move the clock's reference point to now (CPU 0's
 *   tick does it every second; readings do not change).
 * timekeeping_adjust(ppb): from now on, run the clock ppb parts per
 *   billion faster (> 0) or slower (< 0) than the calibrated TSC rate, as
 *   a time daemon would steer it; 0 restores the calibrated rate. Time
 *   stays monotonic across the change. -EINVAL beyond +-1000 ppm.
 * Both may be called from any context, interrupts included; never sleep.
 */
#pragma once
#include <stdint.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

/* A time in ns on that clock, or a difference of two (signed: Linux's
 * type, long long as its s64). kernel/hrtimer.h keeps deadlines in it. */
typedef long long ktime_t;
#define KTIME_MAX ((ktime_t)(~0ULL >> 1))

uint64_t ktime_get_ns(void);
uint64_t tsc_khz(void);
uint64_t tsc_to_ns(uint64_t cycles);
void udelay(uint64_t us);
void mdelay(uint64_t ms);
/* A busy wait on the TSC alone (no timekeeping lock): debug tools. */
void delay_tsc_us(uint64_t us);

#define TIMEKEEPING_MAX_PPB 1000000L
void timekeeping_rebase(void);
int timekeeping_adjust(long ppb);
long timekeeping_get_adjust(void);
uint64_t timekeeping_rebase_count(void);
