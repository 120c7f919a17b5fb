/*
 * limit_counter.h - a per-CPU statistical counter with a global limit
 * (perfbook's "limit counter"). [Assignment: docs/assignments/02-limit-counter.md]
 *
 * Use case: count something that must never exceed a limit (in-flight
 * requests, allocated objects) without every CPU hammering one shared
 * cache line. Each CPU owns a slice of the allowed total (its "budget");
 * adding within the budget is CPU-local; only when a CPU's budget runs
 * out does it take the global lock to rebalance.
 *
 * Contract:
 *  - limit_counter_add(lc, n) adds n and returns true, or returns false
 *    and adds nothing. The total NEVER exceeds the limit. The limit is
 *    approximate in the other direction only: add may fail while other
 *    CPUs still hold unused budget (at most `limit / 2` in all), which is
 *    the price of never looking at other CPUs' slots.
 *  - limit_counter_sub(lc, n) subtracts n (the caller knows n was added).
 *  - limit_counter_read(lc) returns the total; exact when no add or sub
 *    runs concurrently, otherwise off by the updates in flight.
 *  - May be called with preemption enabled (disables it inside); not
 *    from interrupt handlers; never sleeps.
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/percpu.h"
#include "sync/spinlock.h"

struct limit_counter_cpu {
	long count;		/* added on this CPU, not yet folded */
	long budget;		/* this CPU may reach count == budget */
} __cacheline_aligned;

struct limit_counter {
	spinlock_t lock;	/* guards global and every CPU's budget */
	long limit;
	long global;		/* folded counts */
	long reserved;		/* sum of all CPU budgets */
	struct limit_counter_cpu cpu[NR_CPUS];
};

void limit_counter_init(struct limit_counter *lc, long limit);
bool limit_counter_add(struct limit_counter *lc, long n);
void limit_counter_sub(struct limit_counter *lc, long n);
long limit_counter_read(struct limit_counter *lc);
