/*
 * litmus.c - the SB and MP litmus experiments, run for real on two CPUs
 * (contract in litmus.h; the shell's `litmus` command, and the test
 * tests/kernel/test_litmus.c, which checks x86-TSO's promises).
 *
 * The harness: CPU A leads. For trial t it resets x and y, publishes t in
 * round_a, waits a few loop iterations and runs its side; CPU B spins until
 * it sees round_a == t, runs its side and publishes its result with
 * round_b = t. A waits for that before the next reset.
 *
 * B starts late by the time round_a takes to reach it (a cache-line
 * transfer), and the store buffer only shows when both sides run within a
 * few ns of each other - so A's delay must match that transfer time. It
 * depends on the machine and the load, so each run first calibrates: SB
 * trials with A's delay swept over 0..255 iterations in buckets of 4; the
 * counted experiments then wait around the bucket where SB's relaxed
 * outcome showed most (with some random spread). Only the counted trials
 * are reported. All three experiments use the same delay, and each stops
 * early after 0.8 s if the host is too busy to run all its trials (a
 * busy host rarely runs both virtual CPUs at the same moment).
 */
#include "lab/litmus.h"
#include "lab/shell.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "sync/barrier.h"

enum litmus_kind { LITMUS_SB, LITMUS_SB_MB, LITMUS_MP };

#define LITMUS_CHUNK   64		/* trials per preempt_disable() and clock check */
#define LITMUS_MAX_NS  (800 * NSEC_PER_MSEC)	/* per experiment */
#define LITMUS_BUCKETS 64		/* calibration: A's delay 0..255 by 4 */
#define LITMUS_CALIB_PER_BUCKET 256
#define LITMUS_SPREAD  12		/* main run: base - 4 .. base + 7 */

static struct {
	long x __cacheline_aligned;
	long y __cacheline_aligned;
	long round_a __cacheline_aligned;	/* A: trial t may start */
	long round_b __cacheline_aligned;	/* B: trial t done, result below */
	long b_r0, b_r1;
	long stop __cacheline_aligned;		/* A: no more trials after round_a */
	enum litmus_kind kind;
	bool calibrate;				/* sweep A's delay, count per bucket */
	long delay_base;			/* A's delay: base + random spread */
	long trials;
	long hits;				/* the interesting outcome */
	long bucket_hits[LITMUS_BUCKETS];
	struct completion done;			/* each side, as it returns */
} lt;

static inline uint64_t litmus_rand(uint64_t *rnd)
{
	uint64_t x = *rnd;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*rnd = x;
	return x;
}

static inline void litmus_delay(long n)
{
	for (long i = n; i > 0; i--)
		barrier();
}

static int litmus_a(void *arg)
{
	uint64_t rnd = 0x9e3779b97f4a7c15ULL, t0 = ktime_get_ns();
	long n = (long)(uintptr_t)arg, t = 0, hits = 0;

	while (t < n) {
		preempt_disable();
		for (int c = 0; c < LITMUS_CHUNK && t < n; c++) {
			long r0;

			t++;
			WRITE_ONCE(lt.x, 0);
			WRITE_ONCE(lt.y, 0);
			uint64_t r = litmus_rand(&rnd);
			long bucket = (t - 1) % LITMUS_BUCKETS;
			long d = lt.calibrate ? bucket * 4 + (long)(r % 4)
					      : lt.delay_base - 4 + (long)(r % LITMUS_SPREAD);
			WRITE_ONCE(lt.round_a, t);		/* go */
			litmus_delay(d);
			switch (lt.kind) {
			case LITMUS_SB:
				WRITE_ONCE(lt.x, 1);
				r0 = READ_ONCE(lt.y);
				break;
			case LITMUS_SB_MB:
				WRITE_ONCE(lt.x, 1);
				smp_mb();
				r0 = READ_ONCE(lt.y);
				break;
			default:				/* MP */
				WRITE_ONCE(lt.x, 1);
				WRITE_ONCE(lt.y, 1);
				r0 = 0;
				break;
			}
			while (READ_ONCE(lt.round_b) != t)
				;				/* B is a few ns away */
			long b0 = READ_ONCE(lt.b_r0), b1 = READ_ONCE(lt.b_r1);
			bool hit = lt.kind == LITMUS_MP ? b0 == 1 && b1 == 0
							: r0 == 0 && b1 == 0;
			hits += hit;
			if (lt.calibrate)
				lt.bucket_hits[bucket] += hit;
		}
		preempt_enable();
		if (ktime_get_ns() - t0 > LITMUS_MAX_NS)
			break;
	}
	lt.trials = t;
	lt.hits = hits;
	WRITE_ONCE(lt.stop, 1);
	WRITE_ONCE(lt.round_a, t + 1);			/* release B */
	complete(&lt.done);
	return 0;
}

static int litmus_b(void *arg)
{
	long t = 0;

	(void)arg;
	for (;;) {
		preempt_disable();
		for (int c = 0; c < LITMUS_CHUNK; c++) {
			long r0 = 0, r1;

			t++;
			while (READ_ONCE(lt.round_a) != t)
				;
			if (READ_ONCE(lt.stop))
				goto out;
			switch (lt.kind) {
			case LITMUS_SB:
				WRITE_ONCE(lt.y, 1);
				r1 = READ_ONCE(lt.x);
				break;
			case LITMUS_SB_MB:
				WRITE_ONCE(lt.y, 1);
				smp_mb();
				r1 = READ_ONCE(lt.x);
				break;
			default:				/* MP */
				r0 = READ_ONCE(lt.y);
				r1 = READ_ONCE(lt.x);
				break;
			}
			WRITE_ONCE(lt.b_r0, r0);
			WRITE_ONCE(lt.b_r1, r1);
			smp_store_release(&lt.round_b, t);	/* results before t */
		}
		preempt_enable();
	}
out:
	preempt_enable();
	complete(&lt.done);
	return 0;
}

/* One experiment; returns the trials run, *hits the outcome's count. */
static long litmus_one(enum litmus_kind kind, long n, bool calibrate, long delay_base,
		       int cpu_a, int cpu_b, long *hits)
{
	memset(&lt, 0, sizeof(lt));
	init_completion(&lt.done);
	lt.kind = kind;
	lt.calibrate = calibrate;
	lt.delay_base = delay_base;
	struct task_struct *b = kthread_create(litmus_b, NULL, "litmus_b");
	struct task_struct *a = kthread_create(litmus_a, (void *)(uintptr_t)n, "litmus_a");
	if (IS_ERR(a) || IS_ERR(b)) {
		if (!IS_ERR(a))
			kthread_stop(a);	/* never woken: never runs */
		if (!IS_ERR(b))
			kthread_stop(b);
		*hits = 0;
		return 0;
	}
	kthread_bind(b, cpu_b);
	kthread_bind(a, cpu_a);
	wake_up_process(b);
	wake_up_process(a);
	/* Both return on their own, and are freed when they do. */
	wait_for_completion(&lt.done);
	wait_for_completion(&lt.done);
	*hits = lt.hits;
	return lt.trials;
}

int litmus_run_result(int iterations, struct litmus_result *res)
{
	int cpu, found = 0;

	memset(res, 0, sizeof(*res));
	for_each_online_cpu(cpu)
		if (found < 2)
			res->cpus[found++] = cpu;
	if (found < 2)
		return -1;
	/* Calibrate A's delay on SB itself (not counted). A busy host may
	 * not run both CPUs at once for a while: try up to three times. */
	long dummy, best = 0, base = 16;
	uint64_t t0 = ktime_get_ns();
	for (int tries = 0; tries < 3 && !best && ktime_get_ns() - t0 < LITMUS_MAX_NS / 2;
	     tries++) {
		litmus_one(LITMUS_SB, LITMUS_BUCKETS * LITMUS_CALIB_PER_BUCKET, true, 0,
			   res->cpus[0], res->cpus[1], &dummy);
		for (int b = 0; b < LITMUS_BUCKETS; b++)
			if (lt.bucket_hits[b] > best) {
				best = lt.bucket_hits[b];
				base = b * 4 + 2;
			}
	}
	res->delay = base;
	res->sb_trials = litmus_one(LITMUS_SB, iterations, false, base, res->cpus[0],
				    res->cpus[1], &res->sb_relaxed);
	res->sb_mb_trials = litmus_one(LITMUS_SB_MB, iterations, false, base, res->cpus[0],
				       res->cpus[1], &res->sb_mb_relaxed);
	res->mp_trials = litmus_one(LITMUS_MP, iterations, false, base, res->cpus[0],
				    res->cpus[1], &res->mp_forbidden);
	return 0;
}

void litmus_run(int iterations)
{
	struct litmus_result r;

	if (litmus_run_result(iterations, &r) < 0) {
		printk(KERN_INFO "litmus: needs 2 CPUs, this kernel runs on %d: "
		       "nothing to race\n", num_online_cpus());
		return;
	}
	printk(KERN_INFO "litmus: SB without smp_mb: %ld/%ld relaxed; with smp_mb: "
	       "%ld/%ld; MP forbidden: %ld/%ld\n", r.sb_relaxed, r.sb_trials,
	       r.sb_mb_relaxed, r.sb_mb_trials, r.mp_forbidden, r.mp_trials);
}

static void cmd_litmus(int argc, char **argv)
{
	long long n = 200000;

	if (argc > 1 && (kstrtoll(argv[1], 0, &n) || n < 1 || n > 100000000)) {
		printk(KERN_WARNING "litmus: iterations must be a number from 1 to 100000000\n");
		return;
	}
	litmus_run((int)n);
}
SHELL_COMMAND(litmus, "[iterations]", "store-buffering and message-passing litmus tests", cmd_litmus);
