/*
 * test_seqlock.c - seqcounts and seqlocks: readers never accept a torn
 * value, a reader that skips the retry check is caught tearing, and the
 * kernel's own seqcount user - the clock (arch/x86/tsc.c) - stays
 * monotonic while it is rebased and steered.
 *
 * The torture: one writer keeps rewriting 8 words, all equal to a sequence
 * number, one word at a time with a pause after each, under
 * write_seqlock(). Readers on every CPU copy the 8 words in a
 * read_seqbegin()/read_seqretry() loop and check the copy is whole (all
 * words equal) and never older than the previous one. Retries are counted:
 * on several CPUs there must be some, or the test did not overlap readers
 * with the writer and proved nothing.
 */
#include "tests/ktest.h"
#include "sync/seqlock.h"
#include "sync/atomic.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/smp.h"
#include "kernel/time.h"

/* torture.ms=N (declared in test_rcu.c) lengthens the torture test. */

static void spin_ns(uint64_t ns)
{
	uint64_t t0 = ktime_get_ns();

	while (ktime_get_ns() - t0 < ns)
		barrier();
}

/* ---- the API on one CPU ---- */

KTEST(seqlock, seqcount_protocol)
{
	seqcount_t sc = SEQCNT_ZERO(sc);

	unsigned s = read_seqcount_begin(&sc);
	KASSERT_EQ(s & 1, 0);
	KASSERT(!read_seqcount_retry(&sc, s));		/* nothing happened */
	preempt_disable();
	write_seqcount_begin(&sc);
	KASSERT_EQ(sc.sequence & 1, 1);			/* odd while writing */
	write_seqcount_end(&sc);
	preempt_enable();
	KASSERT(read_seqcount_retry(&sc, s));		/* a write overlapped */
	s = read_seqcount_begin(&sc);
	KASSERT_EQ(s, 2);
	raw_write_seqcount_begin(&sc);
	raw_write_seqcount_end(&sc);
	KASSERT(read_seqcount_retry(&sc, s));
}

static DEFINE_SEQLOCK(api_lock);

KTEST(seqlock, seqlock_api_and_irqsave)
{
	unsigned long flags;
	seqlock_t dyn;

	seqlock_init(&dyn);
	unsigned s = read_seqbegin(&dyn);
	KASSERT(!read_seqretry(&dyn, s));
	write_seqlock(&dyn);
	KASSERT_EQ(preempt_count(), 1);			/* spin_lock inside */
	write_sequnlock(&dyn);
	KASSERT(read_seqretry(&dyn, s));
	KASSERT_EQ(preempt_count(), 0);

	KASSERT(!irqs_disabled());
	write_seqlock_irqsave(&api_lock, flags);
	KASSERT(irqs_disabled());
	write_sequnlock_irqrestore(&api_lock, flags);
	KASSERT(!irqs_disabled());
	local_irq_disable();				/* nests: stays off */
	write_seqlock_irqsave(&api_lock, flags);
	write_sequnlock_irqrestore(&api_lock, flags);
	KASSERT(irqs_disabled());
	local_irq_enable();
	write_seqlock_irq(&api_lock);
	KASSERT(irqs_disabled());
	write_sequnlock_irq(&api_lock);
	KASSERT(!irqs_disabled());
	KASSERT_EQ(raw_read_seqcount(&api_lock.seqcount), 6);
}

/* A preemptible writer of a bare seqcount is a bug: it is reported. */
KTEST(seqlock, preemptible_writer_is_reported)
{
	seqcount_t sc = SEQCNT_ZERO(sc);
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();
	write_seqcount_begin(&sc);		/* planted: preemption on */
	write_seqcount_end(&sc);
	KASSERT(ktest_log_contains(mark, "WARNING: CPU:"));
	KASSERT(ktest_log_contains(mark, "write_seqcount_begin"));
}

/* ---- the torture test ---- */

#define SQ_WORDS 8

static struct {
	seqlock_t lock;
	unsigned long words[SQ_WORDS];
	volatile bool stop;
	bool busted;			/* readers skip read_seqretry() */
	atomic_long_t reads, retries, torn, backwards, writes;
} sq = { .lock = __SEQLOCK_UNLOCKED(sq.lock) };

static int sq_writer(void *arg)
{
	uint64_t rnd = 99;
	unsigned long v = 0;

	(void)arg;
	while (!READ_ONCE(sq.stop)) {
		write_seqlock(&sq.lock);
		v++;
		for (int i = 0; i < SQ_WORDS; i++) {
			WRITE_ONCE(sq.words[i], v);
			spin_ns(150);		/* a reader may look now */
		}
		write_sequnlock(&sq.lock);
		atomic_long_inc(&sq.writes);
		spin_ns(ktest_rand(&rnd) % 3000);
		if ((v & 1023) == 0)
			yield();		/* let this CPU's reader run too */
	}
	return 0;
}

static int sq_reader(void *arg)
{
	long reads = 0, retries = 0, torn = 0, backwards = 0;
	unsigned long copy[SQ_WORDS], last = 0;
	unsigned seq;

	(void)arg;
	while (!READ_ONCE(sq.stop)) {
		for (;;) {
			seq = read_seqbegin(&sq.lock);
			for (int i = 0; i < SQ_WORDS; i++) {
				copy[i] = READ_ONCE(sq.words[i]);
				spin_ns(20);
			}
			if (sq.busted || !read_seqretry(&sq.lock, seq))
				break;
			retries++;
		}
		reads++;
		if ((reads & 255) == 0) {	/* publish as we go: sq_run watches */
			atomic_long_add(retries, &sq.retries);
			retries = 0;
		}
		for (int i = 1; i < SQ_WORDS; i++)
			if (copy[i] != copy[0]) {
				torn++;
				break;
			}
		if (copy[0] < last)
			backwards++;
		last = copy[0];
		if (sq.busted && torn)
			break;			/* caught: enough */
		if ((reads & 1023) == 0)
			yield();
	}
	atomic_long_add(reads, &sq.reads);
	atomic_long_add(retries, &sq.retries);
	atomic_long_add(torn, &sq.torn);
	atomic_long_add(backwards, &sq.backwards);
	return 0;
}

/*
 * Run the writer and a reader per CPU for at least min_ms, and on more
 * than one CPU until `enough` has been seen (retries, or tears for the
 * busted reader), up to max_ms.
 */
static void sq_run(bool busted, long min_ms, long max_ms)
{
	struct task_struct *readers[NR_CPUS], *writer;
	int n = num_online_cpus();

	sq.stop = false;
	sq.busted = busted;
	for (int i = 0; i < SQ_WORDS; i++)	/* a new writer counts from 0 */
		sq.words[i] = 0;
	atomic_long_set(&sq.reads, 0);
	atomic_long_set(&sq.retries, 0);
	atomic_long_set(&sq.torn, 0);
	atomic_long_set(&sq.backwards, 0);
	atomic_long_set(&sq.writes, 0);
	for (int i = 0; i < n; i++) {
		readers[i] = ktest_kthread_create(sq_reader, NULL, "sq_reader/%d", i);
		if (readers[i]) {
			kthread_bind(readers[i], nth_online_cpu(i));
			wake_up_process(readers[i]);
		}
	}
	writer = ktest_kthread_run(sq_writer, NULL, "sq_writer");
	uint64_t t0 = ktime_get_ns();
	for (;;) {
		msleep(10);
		uint64_t ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
		if ((long)ms >= max_ms)
			break;
		if ((long)ms < min_ms)
			continue;
		if (n == 1)
			break;
		/* The busted readers stop once they tore; the others need
		 * retries to have shown anything. */
		if (busted ? atomic_long_read(&sq.torn) > 0 : atomic_long_read(&sq.retries) > 0)
			break;
	}
	WRITE_ONCE(sq.stop, true);
	for (int i = 0; i < n; i++)
		if (readers[i])
			ktest_join(readers[i]);
	if (writer)
		ktest_join(writer);
	printk(KERN_INFO "seqlock-torture(%s): %ld reads on %d CPUs in %llu ms, "
	       "%ld writes, %ld retries, %ld torn, %ld went backwards\n",
	       busted ? "busted reader" : "seqlock", atomic_long_read(&sq.reads), n,
	       (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_MSEC),
	       atomic_long_read(&sq.writes), atomic_long_read(&sq.retries),
	       atomic_long_read(&sq.torn), atomic_long_read(&sq.backwards));
}

KTEST(seqlock, torture)
{
	long ms = cmdline_get_int("torture.ms", 0, 0, 3600000);

	ms = ms ? ms : 300;
	sq_run(false, ms, ms + 3000);
	KASSERT_EQ(atomic_long_read(&sq.torn), 0);
	KASSERT_EQ(atomic_long_read(&sq.backwards), 0);
	KASSERT_GT(atomic_long_read(&sq.reads), 0);
	KASSERT_GT(atomic_long_read(&sq.writes), 0);
	if (num_online_cpus() > 1)
		KASSERT_MSG(atomic_long_read(&sq.retries) > 0,
			    "no reader ever overlapped the writer: the protocol was not exercised");
}

/* Without read_seqretry() the same readers do see half-written values:
 * the checker above can fail. */
KTEST(seqlock, busted_reader_is_caught_tearing)
{
	if (num_online_cpus() < 2) {
		ktest_info("seqlock.busted_reader_is_caught_tearing: needs 2 CPUs "
			   "(on one, the writer's section is never interrupted by a reader)\n");
		return;
	}
	sq_run(true, 20, 4000);
	KASSERT_MSG(atomic_long_read(&sq.torn) > 0,
		    "a reader that ignores read_seqretry() never saw a torn value");
}

/* ---- the clock: a real seqcount reader/writer pair ---- */

struct clock_watch {
	volatile bool *stop;
	long backwards, reads;
};

static int clock_watcher(void *arg)
{
	struct clock_watch *w = arg;
	uint64_t prev = ktime_get_ns();

	while (!READ_ONCE(*w->stop)) {
		uint64_t now = ktime_get_ns();
		if (now < prev)
			w->backwards++;
		prev = now;
		w->reads++;
	}
	return 0;
}

/* Rebase and steer the clock as fast as possible while every CPU reads it:
 * no reader ever sees time go back (the seqcount hands out whole lines). */
KTEST(time, monotonic_while_rebased_and_adjusted)
{
	static struct clock_watch w[NR_CPUS];
	struct task_struct *t[NR_CPUS];
	volatile bool stop = false;
	int n = num_online_cpus();
	uint64_t before = timekeeping_rebase_count();

	for (int i = 0; i < n; i++) {
		w[i] = (struct clock_watch){ .stop = &stop };
		t[i] = ktest_kthread_create(clock_watcher, &w[i], "clockwatch/%d", i);
		KASSERT(t[i]);
		kthread_bind(t[i], nth_online_cpu(i));
		wake_up_process(t[i]);
	}
	uint64_t t0 = ktime_get_ns();
	long updates = 0;
	while (ktime_get_ns() - t0 < 300 * NSEC_PER_MSEC) {
		timekeeping_rebase();
		timekeeping_adjust((updates & 1) ? 900000 : -900000);	/* +-900 ppm */
		updates += 2;
		if ((updates & 63) == 0)
			yield();
	}
	timekeeping_adjust(0);
	stop = true;
	long backwards = 0, reads = 0;
	for (int i = 0; i < n; i++) {
		ktest_join(t[i]);
		backwards += w[i].backwards;
		reads += w[i].reads;
	}
	ktest_info("clock: %ld reads on %d CPUs during %ld updates, %ld went back\n",
		   reads, n, updates, backwards);
	KASSERT_EQ(timekeeping_get_adjust(), 0);
	KASSERT_GE(timekeeping_rebase_count() - before, (uint64_t)updates);
	KASSERT_GT(reads, 0);
	KASSERT_EQ(backwards, 0);
}

/* ktime and the TSC read together: the TSC is read on both sides of the
 * clock, and the tightest of many tries is kept (the host may stop a
 * virtual CPU anywhere, for milliseconds). Returns the uncertainty, ns. */
static uint64_t clock_sample(uint64_t *k, uint64_t *c)
{
	uint64_t best = UINT64_MAX;

	for (int tries = 0; tries < 200 && best > 1000; tries++) {
		uint64_t before = rdtsc();
		uint64_t kt = ktime_get_ns();
		uint64_t after = rdtsc();
		uint64_t gap = tsc_to_ns(after - before);
		if (gap < best) {
			best = gap;
			*k = kt;
			*c = before + (after - before) / 2;
		}
	}
	return best;
}

/*
 * Run the clock with `ppb` for about `ms` (busy waiting); return how much
 * it gained on the calibrated TSC time, and in *want what it should have
 * gained over the time that really passed (the host may stretch the
 * wait), in *err the measurement's own uncertainty.
 */
static int64_t clock_gain_ns(long ppb, unsigned ms, int64_t *want, int64_t *err)
{
	uint64_t k0, c0, k1, c1;

	timekeeping_adjust(ppb);
	*err = (int64_t)clock_sample(&k0, &c0);
	mdelay(ms);
	*err += (int64_t)clock_sample(&k1, &c1);
	int64_t elapsed = (int64_t)tsc_to_ns(c1 - c0);
	*want = elapsed / 1000 * ppb / 1000000;		/* elapsed * ppb / 10^9 */
	return (int64_t)(k1 - k0) - elapsed;
}

/* Within 10 us (10% of the largest effect) plus the sampling uncertainty. */
static bool near(int64_t got, int64_t want, int64_t err)
{
	int64_t d = got > want ? got - want : want - got;

	return d <= 10000 + err;
}

KTEST(time, adjust_steers_the_rate)
{
	KASSERT_EQ(timekeeping_adjust(TIMEKEEPING_MAX_PPB + 1), -EINVAL);
	KASSERT_EQ(timekeeping_adjust(-TIMEKEEPING_MAX_PPB - 1), -EINVAL);
	int64_t w1, w2, w3, e1, e2, e3;
	int64_t fast = clock_gain_ns(1000000, 100, &w1, &e1);	/* +1000 ppm: ~+100 us */
	int64_t slow = clock_gain_ns(-500000, 100, &w2, &e2);	/* -500 ppm: ~-50 us */
	int64_t none = clock_gain_ns(0, 100, &w3, &e3);		/* calibrated: 0 */
	KASSERT_EQ(timekeeping_get_adjust(), 0);
	ktest_info("clock gain over ~100 ms: %lld ns at +1000 ppm (want %lld), %lld ns "
		   "at -500 ppm (want %lld), %lld ns at 0; sampling uncertainty %lld ns\n",
		   (long long)fast, (long long)w1, (long long)slow, (long long)w2,
		   (long long)none, (long long)(e1 + e2 + e3));
	KASSERT(near(fast, w1, e1));
	KASSERT(near(slow, w2, e2));
	KASSERT(near(none, w3, e3));
}

/* CPU 0's tick moves the clock's reference point every second. */
KTEST(time, tick_rebases_every_second)
{
	uint64_t before = timekeeping_rebase_count();
	uint64_t t0 = ktime_get_ns();

	while (timekeeping_rebase_count() == before &&
	       ktime_get_ns() - t0 < 2500 * NSEC_PER_MSEC)
		msleep(5);
	KASSERT_GE(timekeeping_rebase_count() - before, 1);
}

/* Interrupt handlers read the clock too (the tick, printk, the cross-CPU
 * call here): with the writer holding interrupts off on its CPU, they
 * never spin forever on the odd counter. */
static void read_clock_in_irq(void *arg)
{
	atomic_long_add((long)(ktime_get_ns() & 1) + 1, (atomic_long_t *)arg);
}

KTEST(time, readers_in_interrupts_while_adjusting)
{
	atomic_long_t hits = ATOMIC_LONG_INIT(0);
	int n = 0;

	for (int i = 0; i < 200; i++) {
		timekeeping_adjust(i & 1 ? 1000 : 0);
		on_each_cpu(read_clock_in_irq, &hits, true);
		n++;
	}
	timekeeping_adjust(0);
	KASSERT_GE(atomic_long_read(&hits), (long)n * num_online_cpus());
}

/* ---- seqcount_LOCKNAME_t: a seqcount that names its writers' lock ---- */

static DEFINE_SPINLOCK(assoc_lock);
static seqcount_spinlock_t assoc_sc = SEQCNT_SPINLOCK_ZERO(assoc_sc, &assoc_lock);

KTEST(seqlock, seqcount_spinlock_api)
{
	unsigned s = read_seqcount_begin(&assoc_sc);

	KASSERT_EQ(s % 2, 0);
	spin_lock(&assoc_lock);
	write_seqcount_begin(&assoc_sc);
	KASSERT_EQ(raw_read_seqcount(&assoc_sc) % 2, 1);	/* odd, no wait */
	KASSERT_EQ(raw_seqcount_begin(&assoc_sc) % 2, 0);
	write_seqcount_end(&assoc_sc);
	spin_unlock(&assoc_lock);
	KASSERT(read_seqcount_retry(&assoc_sc, s));
	s = raw_read_seqcount_begin(&assoc_sc);
	write_seqcount_invalidate(&assoc_sc);			/* readers retry */
	KASSERT(read_seqcount_retry(&assoc_sc, s));
	KASSERT_EQ(raw_read_seqcount(&assoc_sc) % 2, 0);

	seqcount_spinlock_t dyn;
	seqcount_spinlock_init(&dyn, &assoc_lock);
	KASSERT(dyn.lock == &assoc_lock);
	KASSERT_EQ(read_seqcount_begin(&dyn), 0u);
}

#ifdef CONFIG_LOCKDEP
/* Writing without the associated lock is reported (lockdep_assert_held). */
KTEST(seqlock, seqcount_spinlock_writer_without_its_lock_is_reported)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();
	preempt_disable();			/* only the lock is missing */
	write_seqcount_begin(&assoc_sc);	/* planted */
	write_seqcount_end(&assoc_sc);
	preempt_enable();
	KASSERT(ktest_log_contains(mark, "WARNING: CPU:"));
}
#endif

/* A mutex leaves preemption on: the write section turns it off itself. */
KTEST(seqlock, seqcount_mutex_writer_runs_with_preemption_off)
{
	DEFINE_MUTEX(m);
	seqcount_mutex_t sc;

	seqcount_mutex_init(&sc, &m);
	mutex_lock(&m);
	KASSERT_EQ(preempt_count(), 0);
	write_seqcount_begin(&sc);
	KASSERT_GT(preempt_count(), 0);
	write_seqcount_end(&sc);
	KASSERT_EQ(preempt_count(), 0);
	mutex_unlock(&m);
	KASSERT_EQ(raw_read_seqcount(&sc), 2u);
}

/* read_seqbegin_or_lock(): the locked pass excludes writers, so it never
 * needs a retry; the lockless pass retries when a write overlapped. */
KTEST(seqlock, seqbegin_or_lock_second_pass_is_locked)
{
	static DEFINE_SEQLOCK(sl);
	int seq = 0;

	read_seqbegin_or_lock(&sl, &seq);		/* lockless */
	KASSERT_EQ(seq % 2, 0);
	KASSERT(!spin_is_locked(&sl.lock));
	write_seqlock(&sl);				/* overlaps it */
	write_sequnlock(&sl);
	KASSERT(need_seqretry(&sl, seq));
	seq = 1;					/* next pass: locked */
	read_seqbegin_or_lock(&sl, &seq);
	KASSERT(spin_is_locked(&sl.lock));
	KASSERT(!need_seqretry(&sl, seq));
	done_seqretry(&sl, seq);
	KASSERT(!spin_is_locked(&sl.lock));

	read_seqlock_excl(&sl);
	unsigned before = raw_read_seqcount(&sl.seqcount);
	read_sequnlock_excl(&sl);
	KASSERT_EQ(raw_read_seqcount(&sl.seqcount), before);	/* no write */

	unsigned long flags;
	seq = 1;
	flags = read_seqbegin_or_lock_irqsave(&sl, &seq);
	KASSERT(irqs_disabled());
	done_seqretry_irqrestore(&sl, seq, flags);
	KASSERT(!irqs_disabled());
	write_seqlock_bh(&sl);
	KASSERT(in_softirq());
	write_sequnlock_bh(&sl);
	KASSERT(!in_softirq());
}
