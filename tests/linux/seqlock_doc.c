// SPDX-License-Identifier: GPL-2.0
/*
 * seqlock_doc.c - the seqlock_t read and write paths of
 * Documentation/locking/seqlock.rst, as written there (the critical
 * sections filled in), run by writers and readers on every CPU.
 *
 * The protected data is a pair that writers keep equal (first = second).
 * Invariant: a reader that leaves the retry loop saw them equal - a torn
 * read would have to retry.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/seqlock.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/delay.h>

static struct { long first, second; } foo_pair;

/* ---- from Documentation/locking/seqlock.rst ---- */
/* static */
static DEFINE_SEQLOCK(foo_seqlock);

static void write_path(long v)
{
	write_seqlock(&foo_seqlock);

	/* ... [[write-side critical section]] ... */
	WRITE_ONCE(foo_pair.first, v);
	udelay(2);			/* widen the window a torn read needs */
	WRITE_ONCE(foo_pair.second, v);

	write_sequnlock(&foo_seqlock);
}

static bool read_path(void)
{
	unsigned int seq;
	long first, second;

	do {
		seq = read_seqbegin(&foo_seqlock);

		/* ... [[read-side critical section]] ... */
		first = READ_ONCE(foo_pair.first);
		second = READ_ONCE(foo_pair.second);

	} while (read_seqretry(&foo_seqlock, seq));
	return first == second;
}
/* ---- end of the documentation's code ---- */

#define WRITES 2000
#define READS 20000

static atomic_t torn, left;
static DECLARE_COMPLETION(all_done);

static int writer(void *arg)
{
	for (long i = 1; i <= WRITES; i++)
		write_path(i + (long)arg * WRITES);
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int reader(void *arg)
{
	(void)arg;
	for (int i = 0; i < READS; i++)
		if (!read_path())
			atomic_inc(&torn);
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init seqlock_doc_init(void)
{
	int ncpu = num_online_cpus(), threads = 2 * ncpu;

	atomic_set(&torn, 0);
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	for (int i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(i % 2 ? reader : writer, (void *)(long)i,
				       "seqdoc%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	pr_info("seqlock_doc: %d readers x %d reads against %d writers: %d torn\n",
		ncpu, READS, ncpu, atomic_read(&torn));
	return atomic_read(&torn) ? -EINVAL : 0;
}

static void __exit seqlock_doc_exit(void)
{
}

module_init(seqlock_doc_init);
module_exit(seqlock_doc_exit);
MODULE_LICENSE("GPL");
