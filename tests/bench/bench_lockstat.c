/*
 * bench_lockstat.c - what watching a lock costs: `bench=lockstat.*`.
 *
 * One thread, uncontended lock+unlock pairs of a spinlock and a mutex:
 *   *_off     lockstat and the trace off: the price every lock pays for
 *             having the hooks (compare with locks.uncontended of a build
 *             before them)
 *   *_stat    lockstat on: two clock reads and the per-CPU update
 *   *_trace   the trace on, recording the lock's events (fewer pairs:
 *             they must fit in the ring)
 */
#include "tests/kbench.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "kernel/vsprintf.h"
#include "sync/lockstat.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"

#define PAIRS 1000000

static DEFINE_SPINLOCK(bl_spin);
static DEFINE_MUTEX(bl_mutex);

static uint64_t spin_pairs(int n)
{
	uint64_t t0 = ktime_get_ns();

	for (int i = 0; i < n; i++) {
		spin_lock(&bl_spin);
		spin_unlock(&bl_spin);
	}
	return ktime_get_ns() - t0;
}

static uint64_t mutex_pairs(int n)
{
	uint64_t t0 = ktime_get_ns();

	for (int i = 0; i < n; i++) {
		mutex_lock(&bl_mutex);
		mutex_unlock(&bl_mutex);
	}
	return ktime_get_ns() - t0;
}

static void measure(const char *lock, uint64_t (*pairs)(int n))
{
	char name[48];
	bool was_on = lockstat_enabled();

	lockstat_enable(false);
	snprintf(name, sizeof(name), "lockstat.%s_off", lock);
	kbench_report(name, pairs(PAIRS), PAIRS, "");
	lockstat_enable(true);
	snprintf(name, sizeof(name), "lockstat.%s_stat", lock);
	kbench_report(name, pairs(PAIRS), PAIRS, "");
	lockstat_enable(was_on);
	if (trace_start(TRACE_ALL_LOCKS) == 0) {
		int n = trace_size() / 4;	/* 2 events a pair, with room to spare */
		uint64_t ns = pairs(n);
		trace_stop();
		snprintf(name, sizeof(name), "lockstat.%s_trace", lock);
		kbench_report(name, ns, (uint64_t)n, "");
	}
}

KBENCH(lockstat, cost)
{
	measure("spinlock", spin_pairs);
	measure("mutex", mutex_pairs);
}
