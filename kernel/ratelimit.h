/*
 * ratelimit.h - at most `burst` events per `interval` jiffies, as Linux's:
 *
 *   static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
 *                                 DEFAULT_RATELIMIT_BURST);
 *   if (__ratelimit(&rs))
 *           printk(...);        10 in 5 s, then quiet until 5 s passed
 *
 * __ratelimit() returns 1 when the event may go ahead. Any context.
 * When a quiet period ends, the number of events it suppressed is said.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/jiffies.h"

struct ratelimit_state {
	int lock;			/* a trylock: a busy state suppresses */
	int interval, burst;		/* jiffies, events */
	int printed, missed;
	unsigned long begin;
};

#define DEFAULT_RATELIMIT_INTERVAL (5 * HZ)
#define DEFAULT_RATELIMIT_BURST 10

#define RATELIMIT_STATE_INIT(name, interval_init, burst_init) \
	{ .interval = (interval_init), .burst = (burst_init) }
#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init) \
	struct ratelimit_state name = RATELIMIT_STATE_INIT(name, interval_init, burst_init)

int ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(state) ___ratelimit(state, __func__)
int printk_ratelimit(void);
