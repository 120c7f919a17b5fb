// SPDX-License-Identifier: GPL-2.0
/*
 * rcu_whatis.c - the example of Documentation/RCU/whatisRCU.rst (section
 * 3, and the call_rcu() variant of section 4), as the documentation
 * writes it, in a module whose init runs it on every CPU at once.
 *
 * The harness: one updater per CPU pair raises `a` with foo_update_a()
 * (the spinlock serializes them), readers on every CPU call foo_get_a()
 * in a loop. Invariant: every value a reader sees is one an updater
 * published, never a freed structure's (kfree poison, 0x6b6b6b6b) nor a
 * value from the future; and (the test that loads it) nothing leaks.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/rcupdate.h>
#include <linux/completion.h>
#include <linux/atomic.h>

/* ---- from Documentation/RCU/whatisRCU.rst ---- */
struct foo {
	int a;
	char b;
	long c;
};
DEFINE_SPINLOCK(foo_mutex);

struct foo __rcu *gbl_foo;

/*
 * Create a new struct foo that is the same as the one currently
 * pointed to by gbl_foo, except that field "a" is replaced
 * with "new_a".  Points gbl_foo to the new structure, and
 * frees up the old structure after a grace period.
 *
 * Uses rcu_assign_pointer() to ensure that concurrent readers
 * see the initialized version of the new structure.
 *
 * Uses synchronize_rcu() to ensure that any readers that might
 * have references to the old structure complete before freeing
 * the old structure.
 */
void foo_update_a(int new_a)
{
	struct foo *new_fp;
	struct foo *old_fp;

	new_fp = kmalloc(sizeof(*new_fp), GFP_KERNEL);
	spin_lock(&foo_mutex);
	old_fp = rcu_dereference_protected(gbl_foo, lockdep_is_held(&foo_mutex));
	*new_fp = *old_fp;
	new_fp->a = new_a;
	rcu_assign_pointer(gbl_foo, new_fp);
	spin_unlock(&foo_mutex);
	synchronize_rcu();
	kfree(old_fp);
}

/*
 * Return the value of field "a" of the current gbl_foo
 * structure.  Use rcu_read_lock() and rcu_read_unlock()
 * to ensure that the structure does not get deleted out
 * from under us, and use rcu_dereference() to ensure that
 * we see the initialized version of the structure (important
 * for DEC Alpha and for people reading the code).
 */
int foo_get_a(void)
{
	int retval;

	rcu_read_lock();
	retval = rcu_dereference(gbl_foo)->a;
	rcu_read_unlock();
	return retval;
}

/* Section 4: the updater that cannot block. */
struct foo_cb {
	int a;
	char b;
	long c;
	struct rcu_head rcu;
};

static void foo_reclaim(struct rcu_head *rp)
{
	struct foo_cb *fp = container_of(rp, struct foo_cb, rcu);

	kfree(fp);
}
/* ---- end of the documentation's code ---- */

#define UPDATES_PER_THREAD 40
#define READERS_PER_CPU 2

static atomic_t next_a = ATOMIC_INIT(1), published_max, bad_reads, readers_left,
	updaters_left;
static bool stop_readers;
static DECLARE_COMPLETION(readers_done);
static DECLARE_COMPLETION(updaters_done);

static int updater(void *arg)
{
	(void)arg;
	for (int i = 0; i < UPDATES_PER_THREAD; i++) {
		int a = atomic_inc_return(&next_a);
		foo_update_a(a);
		int m = atomic_read(&published_max);
		while (m < a && !atomic_try_cmpxchg(&published_max, &m, a))
			;
	}
	if (atomic_dec_and_test(&updaters_left))
		complete(&updaters_done);
	return 0;
}

static int reader(void *arg)
{
	(void)arg;
	while (!READ_ONCE(stop_readers)) {
		int a = foo_get_a();
		if (a < 1 || a > atomic_read(&next_a))	/* poison, or never published */
			atomic_inc(&bad_reads);
		cond_resched();
	}
	if (atomic_dec_and_test(&readers_left))
		complete(&readers_done);
	return 0;
}

static int __init rcu_whatis_init(void)
{
	int ncpu = num_online_cpus(), nupd = max(ncpu / 2, 1);
	struct foo *first = kzalloc(sizeof(*first), GFP_KERNEL);

	if (!first)
		return -ENOMEM;
	first->a = 1;
	RCU_INIT_POINTER(gbl_foo, first);
	atomic_set(&next_a, 1);
	atomic_set(&published_max, 1);
	atomic_set(&bad_reads, 0);
	atomic_set(&readers_left, ncpu * READERS_PER_CPU);
	WRITE_ONCE(stop_readers, false);
	reinit_completion(&readers_done);
	atomic_set(&updaters_left, nupd);
	reinit_completion(&updaters_done);
	for (int i = 0; i < ncpu * READERS_PER_CPU; i++)
		if (IS_ERR(kthread_run(reader, NULL, "rcu_whatis_r%d", i)))
			return -ENOMEM;
	for (int i = 0; i < nupd; i++)
		if (IS_ERR(kthread_run(updater, NULL, "rcu_whatis_u%d", i)))
			return -ENOMEM;
	wait_for_completion(&updaters_done);
	WRITE_ONCE(stop_readers, true);
	wait_for_completion(&readers_done);

	/* The call_rcu() form: frees in a callback, never blocks. */
	struct foo_cb *cb = kmalloc(sizeof(*cb), GFP_KERNEL);
	if (cb)
		call_rcu(&cb->rcu, foo_reclaim);
	rcu_barrier();

	int last = foo_get_a();
	pr_info("rcu_whatis: %d updates by %d threads, last a=%d, %d bad reads\n",
		nupd * UPDATES_PER_THREAD, nupd, last, atomic_read(&bad_reads));
	kfree(rcu_dereference_protected(gbl_foo, 1));
	RCU_INIT_POINTER(gbl_foo, NULL);
	if (atomic_read(&bad_reads) || last < 2 || last > atomic_read(&published_max)) {
		pr_err("rcu_whatis: a reader saw a value never published, or freed\n");
		return -EINVAL;
	}
	return 0;
}

static void __exit rcu_whatis_exit(void)
{
}

module_init(rcu_whatis_init);
module_exit(rcu_whatis_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Documentation/RCU/whatisRCU.rst's example, under load");
