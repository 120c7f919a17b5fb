/*
 * test_module.c - modules keep Linux's built-in semantics: a built-in
 * module (modules/hello.c) was initialized at boot; a loadable one
 * (tools/linux-lab/counter_lab.c) was not; rmmod runs the exit, insmod
 * sets the parameters and runs the init again, bad input is refused
 * with an error and nothing run.
 */
#include "tests/ktest.h"
#include "kernel/errno.h"
#include "kernel/module.h"

KTEST(module, builtin_started_at_boot_loadable_not)
{
	KASSERT_EQ(module_state("hello"), MODULE_STATE_LIVE);
	if (!cmdline_has("modules-load") && !cmdline_has("modules_load"))
		KASSERT_EQ(module_state("counter_lab"), MODULE_STATE_UNLOADED);
}

KTEST(module, rmmod_insmod_rerun_exit_and_init_with_parameters)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(unload_module("hello"), 0);
	KASSERT_EQ(module_state("hello"), MODULE_STATE_UNLOADED);
	KASSERT(ktest_log_contains(mark, "hello: goodbye, "));
	KASSERT_EQ(unload_module("hello"), -EINVAL);		/* not loaded */
	mark = ktest_log_mark();
	KASSERT_EQ(load_module("hello", "who=ktest times=2"), 0);
	KASSERT(ktest_log_contains(mark, "hello: hello, ktest"));
	KASSERT_EQ(load_module("hello", NULL), -EEXIST);	/* loaded */
	KASSERT_EQ(unload_module("hello"), 0);
	/* Loaded again, it starts from its compiled-in values: who=world
	 * (or the command line's hello.who), not the last insmod's. */
	mark = ktest_log_mark();
	KASSERT_EQ(load_module("hello", NULL), 0);
	KASSERT(!ktest_log_contains(mark, "hello: hello, ktest"));
	KASSERT_EQ(module_state("hello"), MODULE_STATE_LIVE);
}

KTEST(module, bad_input_refused)
{
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(load_module("no_such_module", NULL), -ENOENT);
	KASSERT_EQ(unload_module("no_such_module"), -ENOENT);
	KASSERT_EQ(unload_module("hello"), 0);
	KASSERT_EQ(load_module("hello", "times=abc"), -EINVAL);
	KASSERT(ktest_log_contains(mark, "hello: bad value 'abc' for parameter 'times'"));
	KASSERT_EQ(load_module("hello", "nosuch=1"), -EINVAL);
	KASSERT(ktest_log_contains(mark, "hello: unknown parameter 'nosuch' ignored"));
	KASSERT_EQ(module_state("hello"), MODULE_STATE_UNLOADED);	/* init never ran */
	KASSERT_EQ(load_module("hello", "times=11"), -EINVAL);		/* init refused */
	KASSERT_EQ(module_state("hello"), MODULE_STATE_FAILED);
	KASSERT_EQ(load_module("hello", NULL), 0);			/* and recovers */
}
