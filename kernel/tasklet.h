/*
 * tasklet.h - tasklets: small deferred functions run by a softirq, as in
 * Linux (where they are deprecated for new code, but every course and
 * much old code meets them).
 *
 *   static void my_fn(struct tasklet_struct *t) { ... }
 *   static DECLARE_TASKLET(my_tasklet, my_fn);
 *   tasklet_schedule(&my_tasklet);          from an interrupt, say
 *
 * Contract (Linux's):
 *  - The callback runs in softirq context (TASKLET_SOFTIRQ, or HI_SOFTIRQ
 *    for tasklet_hi_schedule()), on the CPU that scheduled it, at least
 *    once after each tasklet_schedule(); scheduling it again before it
 *    ran runs it once.
 *  - One tasklet never runs on two CPUs at once (its RUN bit), unlike a
 *    softirq: its callback need not be reentrant. Different tasklets do
 *    run in parallel on different CPUs.
 *  - tasklet_disable() waits until it is not running and keeps it from
 *    running (it stays scheduled) until tasklet_enable(); they nest.
 *  - tasklet_kill() waits until it is neither scheduled nor running; it
 *    may sleep (process context only), and the tasklet must not be
 *    scheduled again by anyone meanwhile.
 */
#pragma once
#include "kernel/compiler.h"
#include "arch/x86/cpu.h"
#include "sync/atomic.h"
#include "sync/bitops.h"

enum { TASKLET_STATE_SCHED, TASKLET_STATE_RUN };

struct tasklet_struct {
	struct tasklet_struct *next;
	unsigned long state;
	atomic_t count;			/* > 0: disabled */
	bool use_callback;
	union {
		void (*func)(unsigned long data);	/* the old interface */
		void (*callback)(struct tasklet_struct *t);
	};
	unsigned long data;
};

#define DECLARE_TASKLET(name, _callback)                                  \
	struct tasklet_struct name = { .count = ATOMIC_INIT(0),            \
		.callback = (_callback), .use_callback = true }
#define DECLARE_TASKLET_DISABLED(name, _callback)                         \
	struct tasklet_struct name = { .count = ATOMIC_INIT(1),            \
		.callback = (_callback), .use_callback = true }
#define DECLARE_TASKLET_OLD(name, _func)                                  \
	struct tasklet_struct name = { .count = ATOMIC_INIT(0), .func = (_func) }
#define from_tasklet(var, callback_tasklet, tasklet_fieldname)            \
	container_of(callback_tasklet, __typeof__(*var), tasklet_fieldname)

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *));
void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
void __tasklet_schedule(struct tasklet_struct *t);
void __tasklet_hi_schedule(struct tasklet_struct *t);

static inline void tasklet_schedule(struct tasklet_struct *t)
{
	if (!test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		__tasklet_schedule(t);
}

static inline void tasklet_hi_schedule(struct tasklet_struct *t)
{
	if (!test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		__tasklet_hi_schedule(t);
}

/* The RUN bit: held while the callback runs, so it runs on one CPU. */
static inline bool tasklet_trylock(struct tasklet_struct *t)
{
	return !test_and_set_bit(TASKLET_STATE_RUN, &t->state);
}

static inline void tasklet_unlock(struct tasklet_struct *t)
{
	clear_bit_unlock(TASKLET_STATE_RUN, &t->state);
}

static inline void tasklet_unlock_wait(struct tasklet_struct *t)
{
	while (test_bit(TASKLET_STATE_RUN, &t->state))
		cpu_relax();
}

static inline void tasklet_disable_nosync(struct tasklet_struct *t)
{
	atomic_inc(&t->count);
}

static inline void tasklet_disable(struct tasklet_struct *t)
{
	tasklet_disable_nosync(t);
	tasklet_unlock_wait(t);
}

static inline void tasklet_enable(struct tasklet_struct *t)
{
	atomic_dec(&t->count);
}

void tasklet_kill(struct tasklet_struct *t);
