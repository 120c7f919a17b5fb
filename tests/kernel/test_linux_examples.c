/*
 * test_linux_examples.c - the Linux documentation examples of
 * tests/linux/, each a loadable module whose init runs the example on
 * every CPU and checks its invariant (docs/linux.md lists them). Here each
 * is loaded and unloaded like `insmod`/`rmmod`; the heap must be back to
 * where it was (every object freed once: a second kfree panics).
 */
#include "tests/ktest.h"
#include "kernel/module.h"
#include "kernel/mm.h"
#include "sched/sched.h"

static void run_example(const char *name)
{
	struct kmalloc_stats before, after;

	ktest_quiesce();
	kmalloc_get_stats(&before);
	int ret = load_module(name, NULL);
	KASSERT_MSG(ret == 0, "%s: init returned %d (its invariant broke; see above)", name, ret);
	KASSERT_EQ(unload_module(name), 0);
	/* The example's threads return on their own, a moment after they
	 * signalled the init: give them that moment. */
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
