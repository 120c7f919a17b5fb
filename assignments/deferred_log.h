/*
 * deferred_log.h - an event log fed from any context, consumed in process
 * context. [Assignment: docs/assignments/07-deferred-log.md]
 *
 * Use case: an interrupt handler or a timer (a softirq) must record
 * events, but handling one may sleep (write it to a disk, allocate with
 * GFP_KERNEL, take a mutex). The classic answer is a bottom half: the
 * producer only queues the event and a work item, running later in a
 * kernel thread, consumes what was queued.
 *
 * Contract:
 *  - deferred_log_add(log, value) may be called from any context: a
 *    thread, a softirq (timer, tasklet), a hard interrupt. It never
 *    sleeps. It returns 0, or -ENOMEM (nothing recorded) when no memory
 *    is left.
 *  - Every recorded event is passed to log->consume(log, value) exactly
 *    once, in process context (consume may sleep), in the order the
 *    events were added (for events added by one thread or on one CPU),
 *    one consume call at a time.
 *  - deferred_log_flush(log) returns once every event added before the
 *    call has been consumed. Process context only; not from consume.
 *  - deferred_log_destroy(log): no add may run or come any more; events
 *    not yet consumed are dropped (freed, not consumed); on return nothing
 *    of the log runs any more and nothing it allocated is left.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "kernel/workqueue.h"
#include "sync/spinlock.h"

struct deferred_log {
	spinlock_t lock;		/* guards pending */
	struct list_head pending;	/* struct log_event, oldest first */
	struct work_struct work;	/* consumes pending in process context */
	void (*consume)(struct deferred_log *log, long value);
};

struct log_event {
	struct list_head node;
	long value;
};

void deferred_log_init(struct deferred_log *log,
		       void (*consume)(struct deferred_log *log, long value));
int deferred_log_add(struct deferred_log *log, long value);
void deferred_log_flush(struct deferred_log *log);
void deferred_log_destroy(struct deferred_log *log);
