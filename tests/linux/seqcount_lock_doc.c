// SPDX-License-Identifier: GPL-2.0
/*
 * seqcount_lock_doc.c - Documentation/locking/seqlock.rst's "Sequence
 * counters with associated locks (seqcount_LOCKNAME_t)" and its seqlock_t
 * reader categories ("Locking readers", "Conditional lockless reader"),
 * as written there (the critical sections filled in), run on every CPU.
 *
 * Writers keep a pair equal under foo_lock, the seqcount's associated
 * lock (a writer without it is a lockdep WARNING, which fails the test);
 * lockless readers retry, locking readers never need to. Invariant: no
 * reader of any kind leaves with a torn pair.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/delay.h>

static struct { long first, second; } foo_pair, bar_pair;

/* ---- from Documentation/locking/seqlock.rst ---- */
/* static */
static DEFINE_SPINLOCK(foo_lock);
static seqcount_spinlock_t foo_seqcount = SEQCNT_SPINLOCK_ZERO(foo_seqcount, &foo_lock);

static DEFINE_SEQLOCK(foo_seqlock);

static void seqcount_write_path(long v)
{
	spin_lock(&foo_lock);		/* the associated lock */
	write_seqcount_begin(&foo_seqcount);

	/* ... [[write-side critical section]] ... */
	WRITE_ONCE(foo_pair.first, v);
	udelay(2);
	WRITE_ONCE(foo_pair.second, v);

	write_seqcount_end(&foo_seqcount);
	spin_unlock(&foo_lock);
}

static bool seqcount_read_path(void)
{
	unsigned int seq;
	long first, second;

	do {
		seq = read_seqcount_begin(&foo_seqcount);

		/* ... [[read-side critical section]] ... */
		first = READ_ONCE(foo_pair.first);
		second = READ_ONCE(foo_pair.second);

	} while (read_seqcount_retry(&foo_seqcount, seq));
	return first == second;
}

static bool locking_reader(void)
{
	long first, second;

	read_seqlock_excl(&foo_seqlock);

	/* ... [[read-side critical section]] ... */
	first = READ_ONCE(bar_pair.first);
	second = READ_ONCE(bar_pair.second);

	read_sequnlock_excl(&foo_seqlock);
	return first == second;
}

static bool conditional_lockless_reader(void)
{
	long first, second;

	/* marker; even initialization */
	int seq = 0;
	do {
		read_seqbegin_or_lock(&foo_seqlock, &seq);

		/* ... [[read-side critical section]] ... */
		first = READ_ONCE(bar_pair.first);
		second = READ_ONCE(bar_pair.second);

	} while (need_seqretry(&foo_seqlock, seq));
	done_seqretry(&foo_seqlock, seq);
	return first == second;
}
/* ---- end of the documentation's code ---- */

static void seqlock_write_path(long v)
{
	write_seqlock(&foo_seqlock);
	WRITE_ONCE(bar_pair.first, v);
	udelay(2);
	WRITE_ONCE(bar_pair.second, v);
	write_sequnlock(&foo_seqlock);
}

#define WRITES 1500
#define READS 6000

static atomic_t torn, left;
static DECLARE_COMPLETION(all_done);

static void done_one(void)
{
	if (atomic_dec_and_test(&left))
		complete(&all_done);
}

static int writer(void *arg)
{
	for (long i = 1; i <= WRITES; i++) {
		seqcount_write_path(i + (long)arg * WRITES);
		seqlock_write_path(i + (long)arg * WRITES);
	}
	done_one();
	return 0;
}

static int reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < READS; i++) {
		bool whole;

		switch (i % 3) {
		case 0: whole = seqcount_read_path(); break;
		case 1: whole = locking_reader(); break;
		default: whole = conditional_lockless_reader(); break;
		}
		if (!whole)
			atomic_inc(&torn);
	}
	done_one();
	return 0;
}

static int __init seqcount_lock_doc_init(void)
{
	int ncpu = num_online_cpus(), threads = 2 * ncpu;

	atomic_set(&torn, 0);
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	for (int i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(i % 2 ? reader : writer, (void *)(long)i,
				       "seqcnt%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	pr_info("seqcount_lock_doc: %d readers x %d reads (3 kinds) against %d writers: %d torn\n",
		ncpu, READS, ncpu, atomic_read(&torn));
	return atomic_read(&torn) ? -EINVAL : 0;
}

static void __exit seqcount_lock_doc_exit(void)
{
}

module_init(seqcount_lock_doc_init);
module_exit(seqcount_lock_doc_exit);
MODULE_LICENSE("GPL");
