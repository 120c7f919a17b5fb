/*
 * delay_hook.h - named delays at known race windows, opened by tests.
 *
 * A race that needs another CPU to act inside a window of a few
 * instructions is hit once in thousands of runs on an idle emulator, and
 * often on a student's busy laptop. To test that a fix holds, the code
 * marks the window where the fix matters:
 *
 *     DEFINE_DELAY_HOOK(kthread_wake_running);          in the .c file
 *     delay_hook(kthread_wake_running, t);              at the window
 *
 * and a test opens it for one object (NULL: for any), then closes it:
 *
 *     delay_hook_set(&delay_hook_kthread_wake_running, 5000, t);
 *     ...
 *     delay_hook_set(&delay_hook_kthread_wake_running, 0, NULL);
 *
 * An open hook busy-waits `us` microseconds (any context, interrupts off
 * included; it never sleeps) and counts its hits, so that a test can
 * check the window was really crossed. Closed, it costs one load and a
 * predicted branch. Each window's comment says which race it widens; the
 * test that opens it fails on the code before the fix.
 *
 * The hooks, declared here so that tests can reach them:
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/atomic.h"

struct delay_hook {
	const char *name;
	unsigned int us;		/* 0: closed */
	const void *match;		/* only for this object; NULL: any */
	atomic_t hits;			/* times it delayed since opened */
	const void *last;		/* the object it last delayed */
};

#define DECLARE_DELAY_HOOK(hname) extern struct delay_hook delay_hook_##hname
#define DEFINE_DELAY_HOOK(hname) struct delay_hook delay_hook_##hname = { .name = #hname }

void __delay_hook(struct delay_hook *h, const void *obj);

#define delay_hook(hname, obj)                                              \
	do {                                                                \
		if (unlikely(READ_ONCE(delay_hook_##hname.us)))             \
			__delay_hook(&delay_hook_##hname, (obj));           \
	} while (0)

/* Open (us > 0) or close (us == 0) a hook; opening resets its hits. */
void delay_hook_set(struct delay_hook *h, unsigned int us, const void *match);
int delay_hook_hits(struct delay_hook *h);
/* The object of the last delay (to clean up after a test that failed). */
const void *delay_hook_last(struct delay_hook *h);

/* sched/core.c: wake_up_process() found its target still on its CPU,
 * between reading its state and writing TASK_RUNNING (obj: the task). */
DECLARE_DELAY_HOOK(wake_running_task);
/* kernel/workqueue.c: an idle worker between its last look at
 * kthread_should_stop() and going to sleep (obj: the worker's task). */
DECLARE_DELAY_HOOK(wq_worker_idle);
/* sched/kthread.c: kthread_stop() before it sets the stop flag (obj:
 * the thread being stopped). */
DECLARE_DELAY_HOOK(kthread_stop_flag);
/* kernel/timer.c: a timer moving to another CPU's list, on neither
 * list and under neither lock (obj: the timer). */
DECLARE_DELAY_HOOK(timer_migrating);
/* sync/dec_and_lock.c: the last reference about to be dropped, before the
 * lock is taken (obj: the refcount_t or atomic_t). */
DECLARE_DELAY_HOOK(dec_and_lock_last);
/* kernel/hrtimer.c: an hrtimer callback has returned, in hard irq, and
 * its CPU's queue is not yet relocked to re-queue it and clear "running"
 * (obj: the timer). */
DECLARE_DELAY_HOOK(hrtimer_callback_done);
/* sync/lockdep.c push(): between a held lock's entry and the depth that
 * shows it, where an interrupt's own lock would overwrite the entry. */
DECLARE_DELAY_HOOK(lockdep_push);
