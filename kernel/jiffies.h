/*
 * jiffies.h - time in ticks, Linux's unit for every timeout.
 *
 * `jiffies` counts ticks (HZ a second, kernel/config.h) since boot. Every
 * *_timeout() argument and return value is in jiffies, as in Linux:
 *
 *   wait_for_completion_timeout(&done, HZ)         at most one second
 *   schedule_timeout(msecs_to_jiffies(20))         about 20 ms
 *   unsigned long end = jiffies + HZ / 10;
 *   while (time_before(jiffies, end)) ...          100 ms of polling
 *
 * Contract:
 *  - jiffies is an unsigned long that wraps. Compare with time_after()
 *    and friends, never with < or >: they look at the signed difference,
 *    which is right across the wrap. As in Linux, it starts 5 minutes
 *    before its low 32 bits wrap (INITIAL_JIFFIES), so code that keeps
 *    jiffies in an int, or compares them with <, breaks within minutes
 *    instead of after 49 days.
 *  - It advances on CPU 0's tick and is recomputed from the clock there,
 *    so ticks a busy host swallowed are caught up: jiffies follows
 *    ktime_get_ns(). Read it anywhere (it is volatile: each use reads it).
 *  - msecs_to_jiffies() rounds up: a timeout is never shorter than asked.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/time.h"

extern volatile unsigned long jiffies;

#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))
#define MAX_JIFFY_OFFSET ((long)(~0UL >> 2) - 1)
/* schedule_timeout(MAX_SCHEDULE_TIMEOUT): no time limit at all. */
#define MAX_SCHEDULE_TIMEOUT ((long)(~0UL >> 1))

#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)

/* a after b, in wrap-around arithmetic. */
#define time_after(a, b)     ((long)((b) - (a)) < 0)
#define time_before(a, b)    time_after(b, a)
#define time_after_eq(a, b)  ((long)((a) - (b)) >= 0)
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_in_range(a, b, c) (time_after_eq(a, b) && time_before_eq(a, c))
#define time_is_before_jiffies(a)    time_after(jiffies, a)
#define time_is_after_jiffies(a)     time_before(jiffies, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a)  time_before_eq(jiffies, a)

static inline unsigned long nsecs_to_jiffies(uint64_t ns)
{
	uint64_t j = (ns + TICK_NSEC - 1) / TICK_NSEC;

	return j > (uint64_t)MAX_JIFFY_OFFSET ? (unsigned long)MAX_JIFFY_OFFSET
					      : (unsigned long)j;
}

static inline unsigned long msecs_to_jiffies(unsigned int ms)
{
	return nsecs_to_jiffies((uint64_t)ms * NSEC_PER_MSEC);
}

static inline unsigned long usecs_to_jiffies(unsigned int us)
{
	return nsecs_to_jiffies((uint64_t)us * NSEC_PER_USEC);
}

static inline uint64_t jiffies_to_nsecs(unsigned long j)
{
	return (uint64_t)j * TICK_NSEC;
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(jiffies_to_nsecs(j) / NSEC_PER_MSEC);
}

static inline unsigned int jiffies_to_usecs(unsigned long j)
{
	return (unsigned int)(jiffies_to_nsecs(j) / NSEC_PER_USEC);
}

/* The 64-bit count, which never wraps in practice (here jiffies is
 * 64-bit already). */
static inline uint64_t get_jiffies_64(void)
{
	return jiffies;
}

/* CPU 0's tick: jiffies = INITIAL_JIFFIES + elapsed ticks (kernel/timer.c). */
void jiffies_update(void);
