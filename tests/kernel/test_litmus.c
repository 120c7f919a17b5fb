/*
 * test_litmus.c - the litmus experiments of lab/litmus.c check x86-TSO's
 * promises: SB with smp_mb() never shows the relaxed outcome, MP never
 * shows the forbidden one. SB without a fence may show it: that count is
 * printed - it is the store buffer, seen from C.
 */
#include "tests/ktest.h"
#include "lab/litmus.h"
#include "kernel/cmdline.h"

CMDLINE_OPTION("litmus.iterations", "trials per litmus experiment (default 200000)");

KTEST(litmus, sb_and_mp_on_two_cpus)
{
	struct litmus_result r;
	long n = cmdline_get_int("litmus.iterations", 200000, 1000, 100000000);

	if (litmus_run_result((int)n, &r) < 0) {
		ktest_info("litmus.sb_and_mp_on_two_cpus: needs 2 CPUs; "
			   "nothing can race on one (passes without running)\n");
		return;
	}
	printk(KERN_INFO "litmus: SB without smp_mb: %ld/%ld relaxed; with smp_mb: "
	       "%ld/%ld; MP forbidden: %ld/%ld (CPUs %d and %d, delay %ld)\n", r.sb_relaxed,
	       r.sb_trials, r.sb_mb_relaxed, r.sb_mb_trials, r.mp_forbidden, r.mp_trials,
	       r.cpus[0], r.cpus[1], r.delay);
	if (r.sb_relaxed == 0)
		ktest_info("litmus: the store buffer did not show in %ld SB trials "
			   "(the host may not have run both CPUs at once)\n", r.sb_trials);
	KASSERT_GT(r.sb_trials, 0);
	KASSERT_GT(r.sb_mb_trials, 0);
	KASSERT_GT(r.mp_trials, 0);
	KASSERT_EQ(r.sb_mb_relaxed, 0);		/* smp_mb() forbids it */
	KASSERT_EQ(r.mp_forbidden, 0);		/* x86-TSO forbids it */
}
