/*
 * bench_rcu.c - what the lock-free readers cost, and what writers pay:
 * rcu_read_lock/unlock, a seqlock read, ktime_get_ns (a seqcount reader),
 * synchronize_rcu and call_rcu + rcu_barrier.
 */
#include "tests/kbench.h"
#include "sync/rcu.h"
#include "sync/seqlock.h"
#include "sync/atomic.h"
#include "kernel/time.h"

#define READS 1000000

static int *bench_ptr;
static int bench_val = 1;

KBENCH(rcu, read_lock_unlock)
{
	long sum = 0;

	RCU_INIT_POINTER(bench_ptr, &bench_val);
	uint64_t t0 = ktime_get_ns();
	for (int i = 0; i < READS; i++) {
		rcu_read_lock();
		sum += *rcu_dereference(bench_ptr);
		rcu_read_unlock();
	}
	uint64_t t1 = ktime_get_ns();
	kbench_report("rcu.read_lock_unlock", t1 - t0, READS, sum == READS ? "" : "bad-sum");
}

static DEFINE_SEQLOCK(bench_seq);
static long bench_words[4];

KBENCH(seqlock, read)
{
	long sum = 0;
	unsigned seq;

	uint64_t t0 = ktime_get_ns();
	for (int i = 0; i < READS; i++) {
		long a, b;
		do {
			seq = read_seqbegin(&bench_seq);
			a = bench_words[0];
			b = bench_words[3];
		} while (read_seqretry(&bench_seq, seq));
		sum += a + b;
	}
	uint64_t t1 = ktime_get_ns();
	kbench_report("seqlock.read", t1 - t0, READS, sum == 0 ? "" : "bad-sum");
}

KBENCH(time, ktime_get_ns)
{
	uint64_t last = 0, t0 = ktime_get_ns();

	for (int i = 0; i < READS; i++)
		last = ktime_get_ns();
	kbench_report("time.ktime_get_ns", last - t0, READS, "");
}

KBENCH(rcu, synchronize_rcu)
{
	const int n = 50;
	uint64_t t0 = ktime_get_ns();

	for (int i = 0; i < n; i++)
		synchronize_rcu();
	kbench_report("rcu.synchronize_rcu", ktime_get_ns() - t0, n, "");
}

static struct rcu_head bench_heads[1000];
static atomic_t bench_cbs;

static void bench_cb(struct rcu_head *h)
{
	(void)h;
	atomic_inc(&bench_cbs);
}

KBENCH(rcu, call_rcu_and_barrier)
{
	atomic_set(&bench_cbs, 0);
	uint64_t t0 = ktime_get_ns();
	for (int i = 0; i < 1000; i++)
		call_rcu(&bench_heads[i], bench_cb);
	uint64_t t1 = ktime_get_ns();
	rcu_barrier();
	uint64_t t2 = ktime_get_ns();
	kbench_report("rcu.call_rcu", t1 - t0, 1000, "");
	kbench_report("rcu.barrier_after_1000_callbacks", t2 - t1, 1,
		      atomic_read(&bench_cbs) == 1000 ? "" : "missing-callbacks");
}
