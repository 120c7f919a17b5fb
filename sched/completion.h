/*
 * completion.h - "this has happened": one side waits, the other completes.
 *
 *   DECLARE_COMPLETION(done);
 *   wait_for_completion(&done);     waits until complete(&done) is called
 *
 * Contract (as in Linux):
 *  - complete() lets exactly one waiter through (now or later): each call
 *    adds one to a count that wait_for_completion() consumes.
 *  - complete_all() lets every waiter through, now and until
 *    reinit_completion().
 *  - wait_for_completion() may sleep; the _timeout variant takes jiffies
 *    and returns the jiffies left (>= 1), or 0 on time-out. try_wait_for_completion() never sleeps
 *    and returns true if it consumed a completion. completion_done() is
 *    true if a wait would not block.
 *  - complete()/complete_all() never sleep: callable from interrupts.
 */
#pragma once
#include "sched/wait.h"

struct completion {
	unsigned int done;		/* UINT_MAX after complete_all() */
	wait_queue_head_t wait;
};

#define COMPLETION_INITIALIZER(name) \
	{ .done = 0, .wait = __WAIT_QUEUE_HEAD_INITIALIZER(name.wait) }
#define DECLARE_COMPLETION(name) struct completion name = COMPLETION_INITIALIZER(name)
#define COMPLETION_INITIALIZER_ONSTACK(name) COMPLETION_INITIALIZER(name)
#define DECLARE_COMPLETION_ONSTACK(name) DECLARE_COMPLETION(name)
#define DECLARE_COMPLETION_ONSTACK_MAP(name, map) DECLARE_COMPLETION(name)

void init_completion(struct completion *c);
void reinit_completion(struct completion *c);
void complete(struct completion *c);
void complete_all(struct completion *c);
void wait_for_completion(struct completion *c);
unsigned long wait_for_completion_timeout(struct completion *c, unsigned long timeout);
bool try_wait_for_completion(struct completion *c);
/* Interrupted by a pending signal (kthread_stop()): -ERESTARTSYS, as in
 * Linux; _timeout otherwise returns the jiffies left, 0 on time-out.
 * Nothing is fatal here: the killable waits are the plain ones. */
long wait_for_completion_interruptible_timeout(struct completion *c, unsigned long timeout);
static inline int wait_for_completion_interruptible(struct completion *c)
{
	long r = wait_for_completion_interruptible_timeout(c, MAX_SCHEDULE_TIMEOUT);
	return r < 0 ? (int)r : 0;
}
static inline int wait_for_completion_killable(struct completion *c)
{ wait_for_completion(c); return 0; }
static inline long wait_for_completion_killable_timeout(struct completion *c,
							unsigned long timeout)
{ return (long)wait_for_completion_timeout(c, timeout); }
#define wait_for_completion_io(c) wait_for_completion(c)
#define wait_for_completion_io_timeout(c, t) wait_for_completion_timeout((c), (t))
bool completion_done(struct completion *c);
