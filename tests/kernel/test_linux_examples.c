/*
 * test_linux_examples.c - the Linux documentation examples of
 * tests/linux/, each a loadable module whose init runs the example on
 * every CPU and checks its invariant (docs/linux.md lists them). Here each
 * is loaded and unloaded like `insmod`/`rmmod`; the heap must be back to
 * where it was (every object freed once: a second kfree panics).
 *
 * The documents' threads signal, then return: until they have returned
 * they run the module's code, which rmmod takes away (as Linux frees it).
 * So, as a careful user of rmmod would, the test waits for every thread
 * whose function is in the module before unloading it.
 */
#include "tests/ktest.h"
#include "kernel/module.h"
#include "kernel/mm.h"
#include "sched/sched.h"
#include "sync/spinlock.h"

static int threads_in(struct module *m)
{
	struct task_struct *t;
	int n = 0;

	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &all_tasks, tasks)
		if ((char *)t->threadfn >= m->text_start && (char *)t->threadfn < m->text_end &&
		    READ_ONCE(t->state) != TASK_DEAD)
			n++;
	spin_unlock(&tasklist_lock);
	return n;
}

static void run_example(const char *name)
{
	struct kmalloc_stats before, after;
	struct module *m = find_module(name);

	KASSERT_MSG(m != NULL, "%s: not a loadable module", name);
	ktest_quiesce();
	kmalloc_get_stats(&before);
	int ret = load_module(name, NULL);
	KASSERT_MSG(ret == 0, "%s: init returned %d (its invariant broke; see above)", name, ret);
	for (int i = 0; i < 5000 && threads_in(m); i++)
		msleep(1);
	KASSERT_MSG(!threads_in(m), "%s: %d threads still in the module after 5 s", name,
		    threads_in(m));
	KASSERT_EQ(unload_module(name), 0);
	/* Returned threads switch out for the last time a moment later. */
	for (int i = 0; i < 200; i++) {
		ktest_quiesce();
		kmalloc_get_stats(&after);
		if (after.allocations == before.allocations)
			break;
		msleep(10);
	}
	KASSERT_MSG(after.allocations == before.allocations,
		    "%s: %ld objects left on the heap", name,
		    (long)(after.allocations - before.allocations));
}

KTEST(linux_doc, rcu_whatisrcu_update_and_read) { run_example("rcu_whatis"); }
KTEST(linux_doc, seqlock_read_retry_loop) { run_example("seqlock_doc"); }
KTEST(linux_doc, kref_my_data_handler) { run_example("kref_doc"); }
KTEST(linux_doc, completion_setup_wait) { run_example("completion_doc"); }
KTEST(linux_doc, this_cpu_ops_counters) { run_example("this_cpu_ops_doc"); }
KTEST(linux_doc, locking_guide_cache) { run_example("locking_cache"); }
KTEST(linux_doc, spinlocks_irqsave_and_rwlock) { run_example("spinlocks_doc"); }
KTEST(linux_doc, bh_locking_tasklet_and_work) { run_example("bh_locking_doc"); }
KTEST(linux_doc, srcu_requirements_sleeping_reader) { run_example("srcu_doc"); }
KTEST(linux_doc, vmalloc_kvmalloc_kvfree) { run_example("vmalloc_doc"); }
KTEST(linux_doc, hrtimer_periodic_per_cpu) { run_example("hrtimer_doc"); }
KTEST(linux_doc, seqcount_with_associated_lock) { run_example("seqcount_lock_doc"); }
KTEST(linux_doc, waitqueue_entries_pipe) { run_example("waitqueue_doc"); }
