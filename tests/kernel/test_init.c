/*
 * test_init.c - initcalls run level by level, in the init thread, before
 * the tests (which are themselves a late_initcall).
 */
#include "tests/ktest.h"
#include "kernel/init.h"
#include "kernel/string.h"
#include "sched/sched.h"

static const char *order[4];
static int nr_seen;
static bool could_sleep;

static void seen(const char *level)
{
	if (nr_seen < 4)
		order[nr_seen] = level;
	nr_seen++;
	could_sleep |= !in_atomic() && strcmp(current->comm, "init") == 0;
}

/* Declared in the opposite order of their levels, on purpose. */
static int test_device_init(void) { seen("device"); return 0; }
device_initcall(test_device_init);
static int test_subsys_init(void) { seen("subsys"); return 0; }
subsys_initcall(test_subsys_init);
static int test_core_init(void) { seen("core"); return 0; }
core_initcall(test_core_init);

KTEST(init, initcalls_run_by_level_in_the_init_thread)
{
	KASSERT_EQ(nr_seen, 3);			/* once each, already done */
	KASSERT_STREQ(order[0], "core");
	KASSERT_STREQ(order[1], "subsys");
	KASSERT_STREQ(order[2], "device");
	KASSERT(could_sleep);
}

/* test=PATTERNS: globs, commas, and '-' to leave some out (a handout's
 * make test runs "*,-assignment_*"). */
KTEST(ktest, test_filter_patterns)
{
	KASSERT(ktest_name_selected("", "mem.basic"));
	KASSERT(ktest_name_selected("mem.*", "mem.basic"));
	KASSERT(!ktest_name_selected("mem.*", "memx.basic"));
	KASSERT(ktest_name_selected("rcu.*,mem.*", "mem.basic"));
	KASSERT(ktest_name_selected("*,-assignment_*", "mem.basic"));
	KASSERT(!ktest_name_selected("*,-assignment_*", "assignment_mcs.basic"));
	KASSERT(ktest_name_selected("-assignment_*", "sched.yield"));
	KASSERT(!ktest_name_selected("mem.*,-mem.basic", "mem.basic"));
	KASSERT(ktest_name_selected("mem.*,-mem.basic", "mem.other"));
}
