// SPDX-License-Identifier: GPL-2.0
/*
 * srcu_doc.c - the SRCU reader of Documentation/RCU/Design/Requirements/
 * Requirements.rst ("Sleepable RCU": the cookie that srcu_read_lock()
 * returns goes back to srcu_read_unlock()), as the document writes it,
 * run by readers on every CPU while updaters replace what they read.
 *
 * The harness: `ss` is the domain, init_srcu_struct() at load and
 * cleanup_srcu_struct() at unload. do_something() - the document's
 * placeholder - reads the current struct foo through srcu_dereference(),
 * sleeps a millisecond now and then (the reason for SRCU), and reads it
 * again. Updaters (one per CPU pair) publish a new foo and free the old
 * one after synchronize_srcu(&ss), or through call_srcu(); a freed foo is
 * poisoned first. Invariant: no reader ever sees a poisoned foo, nor its
 * value change under it; every callback runs (srcu_barrier()); nothing
 * is left on the heap.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/delay.h>
#include <linux/random.h>

#define FOO_POISON 0x6b6b6b6bU

struct foo {
	unsigned int a;			/* FOO_POISON once freed */
	struct rcu_head rcu;
};

static struct srcu_struct ss;
static struct foo *gbl_foo;		/* __rcu */
static DEFINE_SPINLOCK(foo_lock);	/* serializes the updaters */
static atomic_t bad_reads, sleeps;

/* The document's placeholder, filled in: a reader that sleeps. */
static void do_something(void)
{
	struct foo *fp = srcu_dereference(gbl_foo, &ss);
	unsigned int a = READ_ONCE(fp->a);

	if (a == FOO_POISON)
		atomic_inc(&bad_reads);
	if (get_random_u32() % 8 == 0) {
		msleep(1);
		atomic_inc(&sleeps);
	}
	if (READ_ONCE(fp->a) != a)	/* freed (and poisoned) while we slept */
		atomic_inc(&bad_reads);
}

static void reader_once(void)
{
/* ---- from Documentation/RCU/Design/Requirements/Requirements.rst ---- */
	int idx;

	idx = srcu_read_lock(&ss);
	do_something();
	srcu_read_unlock(&ss, idx);
/* ---- end of the documentation's code ---- */
}

static void foo_free(struct foo *fp)
{
	WRITE_ONCE(fp->a, FOO_POISON);
	kfree(fp);
}

static void foo_reclaim(struct rcu_head *rp)
{
	foo_free(container_of(rp, struct foo, rcu));
}

/* Replace gbl_foo; free the old one after a grace period of ss. */
static int foo_update(unsigned int a, bool wait)
{
	struct foo *new_fp = kmalloc(sizeof(*new_fp), GFP_KERNEL), *old_fp;

	if (!new_fp)
		return -ENOMEM;
	new_fp->a = a;
	spin_lock(&foo_lock);
	old_fp = rcu_dereference_protected(gbl_foo, lockdep_is_held(&foo_lock));
	rcu_assign_pointer(gbl_foo, new_fp);
	spin_unlock(&foo_lock);
	if (wait) {
		synchronize_srcu(&ss);
		foo_free(old_fp);
	} else {
		call_srcu(&ss, &old_fp->rcu, foo_reclaim);
	}
	return 0;
}

#define UPDATES_PER_THREAD 60
#define READERS_PER_CPU 2

static atomic_t next_a, readers_left, updaters_left;
static bool stop_readers;
static DECLARE_COMPLETION(readers_done);
static DECLARE_COMPLETION(updaters_done);

static int updater(void *arg)
{
	(void)arg;
	for (int i = 0; i < UPDATES_PER_THREAD; i++)
		if (foo_update(atomic_inc_return(&next_a), i & 1))
			msleep(1);
	if (atomic_dec_and_test(&updaters_left))
		complete(&updaters_done);
	return 0;
}

static int reader(void *arg)
{
	(void)arg;
	while (!READ_ONCE(stop_readers)) {
		reader_once();
		cond_resched();
	}
	if (atomic_dec_and_test(&readers_left))
		complete(&readers_done);
	return 0;
}

/* Everything init made: the last foo and the domain's counters. */
static void srcu_doc_free(void)
{
	kfree(rcu_dereference_protected(gbl_foo, 1));
	RCU_INIT_POINTER(gbl_foo, NULL);
	cleanup_srcu_struct(&ss);	/* no reader, no callback left: frees its counters */
}

static int __init srcu_doc_init(void)
{
	int ncpu = num_online_cpus(), nupd = max(ncpu / 2, 1), ret;
	struct foo *first = kzalloc(sizeof(*first), GFP_KERNEL);

	if (!first)
		return -ENOMEM;
	ret = init_srcu_struct(&ss);
	if (ret) {
		kfree(first);
		return ret;
	}
	first->a = 1;
	RCU_INIT_POINTER(gbl_foo, first);
	atomic_set(&next_a, 1);
	atomic_set(&bad_reads, 0);
	atomic_set(&sleeps, 0);
	atomic_set(&readers_left, ncpu * READERS_PER_CPU);
	atomic_set(&updaters_left, nupd);
	WRITE_ONCE(stop_readers, false);
	reinit_completion(&readers_done);
	reinit_completion(&updaters_done);
	for (int i = 0; i < ncpu * READERS_PER_CPU; i++)
		if (IS_ERR(kthread_run(reader, NULL, "srcu_doc_r%d", i)))
			return -ENOMEM;
	for (int i = 0; i < nupd; i++)
		if (IS_ERR(kthread_run(updater, NULL, "srcu_doc_u%d", i)))
			return -ENOMEM;
	wait_for_completion(&updaters_done);
	WRITE_ONCE(stop_readers, true);
	wait_for_completion(&readers_done);
	srcu_barrier(&ss);		/* every call_srcu() callback has run */

	pr_info("srcu_doc: %d updates by %d threads, %d readers slept inside, %d bad reads\n",
		nupd * UPDATES_PER_THREAD, nupd, atomic_read(&sleeps), atomic_read(&bad_reads));
	if (atomic_read(&bad_reads)) {
		pr_err("srcu_doc: a reader saw a foo freed under it\n");
		srcu_doc_free();	/* a failed init is not unloaded */
		return -EINVAL;
	}
	return 0;
}

static void __exit srcu_doc_exit(void)
{
	srcu_doc_free();
}

module_init(srcu_doc_init);
module_exit(srcu_doc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Documentation/RCU/Design/Requirements/Requirements.rst's SRCU reader, "
		   "under load");
