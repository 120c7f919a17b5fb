/*
 * <linux/delay.h> - busy and sleeping delays.
 */
#pragma once
#include "kernel/time.h"
#include "sched/sched.h"

static inline void ndelay(unsigned long ns)
{
	udelay((ns + 999) / 1000);
}

/* A sleep of min_us to max_us microseconds: at least min_us here. */
static inline void usleep_range(unsigned long min_us, unsigned long max_us)
{
	(void)max_us;
	msleep((unsigned int)((min_us + 999) / 1000));
}

static inline void ssleep(unsigned int s)
{
	msleep(s * 1000);
}

static inline void fsleep(unsigned long us)
{
	if (us < 10)
		udelay(us);
	else
		usleep_range(us, 2 * us);
}
