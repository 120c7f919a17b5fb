// SPDX-License-Identifier: GPL-2.0
/*
 * completion_doc.c - the setup example of
 * Documentation/scheduler/completion.rst: one side waits for the other's
 * setup, which signals with complete(). The document draws it as two
 * CPUs side by side; here CPU#2 is a thread.
 *
 * Invariant: the waiter never returns before the setup it waits for has
 * finished (the setup's last store is seen), on every round, and a
 * wait_for_completion_timeout() with nothing to wait for times out
 * after the jiffies it was given, not sooner.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/random.h>

#define ROUNDS 200

static int setup_value;

static int do_setup(void *arg)
{
	struct completion *setup_done = arg;

	/* do setup */
	udelay(get_random_u32_below(20));
	WRITE_ONCE(setup_value, READ_ONCE(setup_value) + 1);
	complete(setup_done);
	return 0;
}

static int __init completion_doc_init(void)
{
	for (int round = 1; round <= ROUNDS; round++) {
		/* ---- from Documentation/scheduler/completion.rst ---- */
		struct completion setup_done;

		init_completion(&setup_done);
		/* initialize_work(...,&setup_done,...); */
		if (IS_ERR(kthread_run(do_setup, &setup_done, "setup")))
			return -ENOMEM;

		/* run non-dependent code */

		wait_for_completion(&setup_done);
		/* ---- end of the documentation's code ---- */
		if (READ_ONCE(setup_value) != round) {
			pr_err("completion_doc: round %d: returned before the setup\n", round);
			return -EINVAL;
		}
	}
	DECLARE_COMPLETION_ONSTACK(never);
	unsigned long j0 = jiffies;
	if (wait_for_completion_timeout(&never, HZ / 20) != 0 ||
	    time_before(jiffies, j0 + HZ / 20 - 1)) {
		pr_err("completion_doc: the time-out is not in jiffies\n");
		return -EINVAL;
	}
	pr_info("completion_doc: %d rounds, each waited for its setup\n", ROUNDS);
	return 0;
}

static void __exit completion_doc_exit(void)
{
}

module_init(completion_doc_init);
module_exit(completion_doc_exit);
MODULE_LICENSE("GPL");
