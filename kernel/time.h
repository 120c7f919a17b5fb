/*
 * time.h - time since boot, from the CPU's time-stamp counter (TSC).
 *
 * ktime_get_ns() is monotonic and comparable across CPUs (every CPU's TSC
 * starts together and runs at one invariant rate on the machines we
 * target; tests check the cross-CPU skew). Usable in any context.
 */
#pragma once
#include <stdint.h>

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL

uint64_t ktime_get_ns(void);
uint64_t tsc_khz(void);
uint64_t tsc_to_ns(uint64_t cycles);
void udelay(uint64_t us);
void mdelay(uint64_t ms);
void tsc_init(void);
