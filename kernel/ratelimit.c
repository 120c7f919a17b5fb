/*
 * ratelimit.c - see ratelimit.h. The state is guarded by a trylock (an
 * xchg): a CPU that finds it busy, even an interrupt on the same CPU,
 * just counts as suppressed, so it can be used anywhere without waiting.
 */
#include "kernel/ratelimit.h"
#include "kernel/printk.h"
#include "sync/atomic.h"
#include "sync/barrier.h"

int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	int ok;

	if (!rs->interval)
		return 1;
	if (xchg(&rs->lock, 1))
		return 0;
	if (!rs->begin)
		rs->begin = jiffies;
	if (time_is_before_jiffies(rs->begin + (unsigned long)rs->interval)) {
		if (rs->missed)
			printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, rs->missed);
		rs->begin = jiffies;
		rs->printed = 0;
		rs->missed = 0;
	}
	ok = rs->burst && rs->burst > rs->printed;
	if (ok)
		rs->printed++;
	else
		rs->missed++;
	smp_store_release(&rs->lock, 0);
	return ok;
}

int printk_ratelimit(void)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);

	return __ratelimit(&rs);
}
