/*
 * test_module.c - modules keep Linux's semantics: a built-in module
 * (modules/hello.c) was initialized at boot and cannot be removed; a
 * loadable one (tests/modules/modtest.c) is not there until loaded, is
 * a fresh copy at each load, is refused by rmmod while in use, and takes
 * its memory with it at rmmod, so that a callback it left behind faults
 * naming it; bad input is refused with an error and nothing run.
 */
#include "tests/ktest.h"
#include "kernel/errno.h"
#include "kernel/module.h"
#include "kernel/time.h"
#include "sched/sched.h"

KTEST(module, builtin_started_at_boot_loadable_not)
{
	KASSERT_EQ(module_state("hello"), MODULE_STATE_LIVE);
	KASSERT_EQ(module_state("modtest"), MODULE_STATE_UNLOADED);
	if (!cmdline_has("modules-load") && !cmdline_has("modules_load"))
		KASSERT_EQ(module_state("counter_lab"), MODULE_STATE_UNLOADED);
	KASSERT(find_module("hello") == NULL);		/* built in: no record */
	KASSERT(find_module("modtest") != NULL);
}

/* As Linux: `rmmod hello` of built-in code is refused ("builtin"). */
KTEST(module, builtin_cannot_be_removed)
{
	KASSERT_EQ(unload_module("hello"), -EPERM);
	KASSERT_EQ(module_state("hello"), MODULE_STATE_LIVE);
}

/*
 * Each load starts from the module as compiled: its .bss zero, its .data
 * as initialized, its parameters at their defaults unless given. Before,
 * a reload kept what the last run left (loads=2 seed=44).
 */
KTEST(module, each_load_is_a_fresh_copy)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(load_module("modtest", "tag=first"), 0);
	KASSERT(ktest_log_contains(mark, "modtest: init: loads=1 seed=43 tag=first"));
	KASSERT_EQ(load_module("modtest", NULL), -EEXIST);	/* loaded */
	KASSERT_EQ(unload_module("modtest"), 0);
	KASSERT(ktest_log_contains(mark, "modtest: exit: loads=1 tag=first"));
	KASSERT_EQ(unload_module("modtest"), -EINVAL);		/* not loaded */
	mark = ktest_log_mark();
	KASSERT_EQ(load_module("modtest", NULL), 0);
	KASSERT(ktest_log_contains(mark, "modtest: init: loads=1 seed=43 tag=none"));
	KASSERT_EQ(unload_module("modtest"), 0);
	/* Not loaded, its parameters are what it was compiled with. */
	mark = ktest_log_mark();
	module_print_params("modtest");
	KASSERT(ktest_log_contains(mark, "modtest.tag=none"));
}

/*
 * try_module_get()/module_put() count users; rmmod refuses while there
 * are any (-EWOULDBLOCK, Linux's "in use"), and try_module_get() fails on
 * a module that is not loaded. Before, both were no-ops.
 */
KTEST(module, in_use_is_refused)
{
	struct module *m = find_module("modtest");

	KASSERT(m != NULL);
	KASSERT(!try_module_get(m));			/* not loaded */
	KASSERT_EQ(load_module("modtest", "pin_ms=300"), 0);
	KASSERT_EQ(module_users("modtest"), 1);
	KASSERT_EQ(unload_module("modtest"), -EWOULDBLOCK);
	KASSERT_EQ(module_state("modtest"), MODULE_STATE_LIVE);
	KASSERT(try_module_get(m));			/* live: a second user */
	KASSERT_EQ(module_users("modtest"), 2);
	module_put(m);
	for (int i = 0; i < 5000 && module_users("modtest") > 0; i++)
		msleep(1);				/* the thread lets go */
	KASSERT_EQ(module_users("modtest"), 0);
	msleep(10);					/* it has exited */
	KASSERT_EQ(unload_module("modtest"), 0);
	KASSERT(!try_module_get(m));
	KASSERT(try_module_get(NULL));			/* built-in code: always */
}

KTEST(module, bad_input_refused)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(load_module("no_such_module", NULL), -ENOENT);
	KASSERT_EQ(unload_module("no_such_module"), -ENOENT);
	KASSERT_EQ(load_module("modtest", "pin_ms=abc"), -EINVAL);
	KASSERT(ktest_log_contains(mark, "modtest: bad value 'abc' for parameter 'pin_ms'"));
	KASSERT_EQ(load_module("modtest", "nosuch=1"), -EINVAL);
	KASSERT(ktest_log_contains(mark, "modtest: unknown parameter 'nosuch' ignored"));
	KASSERT_EQ(module_state("modtest"), MODULE_STATE_UNLOADED);	/* init never ran */
	KASSERT_EQ(load_module("modtest", "pin_ms=-1"), -EINVAL);	/* init refused */
	KASSERT_EQ(module_state("modtest"), MODULE_STATE_FAILED);
	KASSERT_EQ(load_module("modtest", NULL), 0);			/* and recovers */
	KASSERT_EQ(unload_module("modtest"), 0);
}

/*
 * The bug this semantics exists to expose: an exit that forgets
 * del_timer_sync(). In Linux the module's memory is freed at rmmod and
 * the late callback oopses; here its pages are gone, and the fault says
 * whose they were. Before, the callback kept running stale code.
 */
#ifdef CONFIG_DEBUG_OBJECTS
/*
 * Debug builds: as in Linux with CONFIG_DEBUG_OBJECTS, freeing the
 * module's memory finds its timer (or delayed work) still armed, says so,
 * and deletes it: no callback runs from the unloaded module.
 */
static void left_armed_is_reported(const char *param, const char *hint)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	KASSERT_EQ(load_module("modtest", param), 0);
	KASSERT_EQ(unload_module("modtest"), 0);
	KASSERT(ktest_log_contains(mark, "ODEBUG: free active (active state 0) object: "));
	KASSERT(ktest_log_contains(mark, hint));
	mark = ktest_log_mark();
	msleep(300);			/* past the expiry: nothing runs */
	KASSERT(!ktest_log_contains(mark, "modtest:"));
}

KTEST(module, a_timer_left_armed_at_rmmod_is_reported)
{
	left_armed_is_reported("leak_timer=1", "object type: timer_list hint: late_fn");
}

KTEST(module, a_work_item_left_pending_at_rmmod_is_reported)
{
	left_armed_is_reported("leak_work=1",
			       "object type: timer_list hint: delayed_work_timer_fn");
}
#else
/* RELEASE builds (no debugobjects): the callback runs in memory the
 * module no longer has, and the fault names the module. */
KTEST_EXPECT_PANIC(module, a_timer_left_after_rmmod_faults_naming_the_module,
		   "is in module modtest, which is not loaded")
{
	KASSERT_EQ(load_module("modtest", "leak_timer=1"), 0);
	KASSERT_EQ(unload_module("modtest"), 0);
	msleep(1000);			/* the timer fires meanwhile */
	KTEST_FAIL("the timer left behind ran without a fault");
}
#endif

/* The example of modules/loadable/: started, stopped, started again,
 * nothing of it left running in between (a fault would say so). */
KTEST(module, ticker_example_loads_and_unloads_cleanly)
{
	for (int round = 0; round < 3; round++) {
		unsigned long mark = ktest_log_mark();
		KASSERT_EQ(load_module("ticker", "period_ms=2"), 0);
		msleep(30);
		KASSERT_EQ(unload_module("ticker"), 0);
		KASSERT(ktest_log_contains(mark, "ticker: every 2 ms"));
		KASSERT(ktest_log_contains(mark, "ticker: stopped after "));
		msleep(10);		/* a callback left behind would fault now */
	}
	KASSERT_EQ(load_module("ticker", "period_ms=0"), -EINVAL);
	KASSERT_EQ(module_state("ticker"), MODULE_STATE_FAILED);
}

/* tests/modules/own_names.c built (its functions are named like the
 * kernel's start-up functions): loaded, it runs its own. */
KTEST(module, a_module_may_name_its_functions_like_kernel_internals)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(load_module("own_names", NULL), 0);
	KASSERT(ktest_log_contains(mark, "own_names: 9 of my own functions ran"));
	KASSERT_EQ(unload_module("own_names"), 0);
}

/* tests/modules/module_h_only.c built with only <linux/module.h> and
 * <linux/timer.h>: on_each_cpu() ran once on each CPU. */
KTEST(module, module_h_brings_what_linux_brings)
{
	KASSERT_EQ(load_module("module_h_only", NULL), 0);
	KASSERT_EQ(unload_module("module_h_only"), 0);
	/* Loaded again: its per-CPU counts start from zero, as Linux's
	 * module per-CPU data does. */
	KASSERT_EQ(load_module("module_h_only", NULL), 0);
	KASSERT_EQ(unload_module("module_h_only"), 0);
}

/* tests/modules/course_headers.c: S_IRUGO parameters, <linux/hashtable.h>. */
KTEST(module, course_headers_stat_and_hashtable)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(load_module("course_headers", "nr_objs=300"), 0);
	KASSERT(ktest_log_contains(mark, "course_headers: 300 objects"));
	KASSERT_EQ(unload_module("course_headers"), 0);
}

/* tests/modules/rbtree_doc.c: rbtree.rst's my_search()/my_insert() as the
 * document writes them; init fails if any invariant broke. */
KTEST(module, rbtree_doc_example)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(load_module("rbtree_doc", NULL), 0);
	KASSERT(ktest_log_contains(mark, "rbtree_doc: 501 keys inserted, searched, walked (501), erased; 0 bad, empty after: 1"));
	KASSERT_EQ(unload_module("rbtree_doc"), 0);
}
