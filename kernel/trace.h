/*
 * trace.h - a per-CPU event trace of the scheduler and the locks: who ran
 * where, who woke whom, who waited for which lock and for how long.
 *
 * Events (the `type` word in the dump; a, b as the dump prints them):
 *   switch      a = next pid, b = how prev left: 0 preempted or yielded,
 *               1 went to sleep, 2 died        (prev = the event's pid)
 *   wakeup      a = woken pid, b = the CPU it was queued on
 *   contended   a = lock address, b = lock class, plus 0x8000 for a mutex
 *               (a spinning lock is held by a CPU: its events pair up on
 *               that CPU; a mutex by a task: they pair up in that task)
 *               The event's task waits.
 *   acquired    a, b as above: it owns the lock (after a wait or not)
 *   released    a, b as above
 *   mutex_sleep / mutex_wake   a, b as above: a mutex waiter goes to sleep
 *               in schedule(), and runs again
 *   gp_start / gp_end   a = the RCU grace period's number
 *   mark        a label (trace_mark()): where an experiment's phase begins
 *
 * Each CPU writes its own ring of trace.size= events (default 16384),
 * allocated at the first start. Full, the ring keeps what it has and
 * counts the rest as dropped: the dump says "N events dropped".
 *
 * Using it: trace_start(), the work, trace_stop(), trace_dump(). From the
 * shell: `trace start [CLASS]`, `trace stop`, `trace dump`; the counter
 * experiment with counter.trace=1 traces each mode and dumps it. The dump
 * is text on the console (`trace: ...` lines, see trace.c), which
 * tools/trace.py turns into a Chrome trace (Perfetto) and a PNG timeline
 * (`make trace`).
 *
 * Contract: trace_event() and the hooks are callable in any context and
 * never sleep or take a lock; an event is written with interrupts off on
 * its CPU, so a CPU's events are in time order. trace_start(),
 * trace_stop() and trace_dump() may sleep (process context only). While
 * tracing is off an event costs a NOP (a static key).
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/jump_label.h"

enum trace_type {
	TRACE_SWITCH, TRACE_WAKEUP,
	TRACE_LOCK_CONTENDED, TRACE_LOCK_ACQUIRED, TRACE_LOCK_RELEASED,
	TRACE_MUTEX_SLEEP, TRACE_MUTEX_WAKE,
	TRACE_GP_START, TRACE_GP_END,
	TRACE_MARK,
	NR_TRACE_TYPES
};

struct trace_event {
	uint64_t ts;		/* TSC cycles since trace_start() (the dump
				 * prints ns: tsc_to_ns()) */
	uint64_t a;
	int pid;		/* the task the event happened in */
	unsigned short type;
	unsigned short b;
};

#define TRACE_LOCK_SLEEPING 0x8000

extern bool trace_on;			/* a trace is recording */
extern unsigned int trace_gen;		/* which trace: +1 at each start */
/* On while a trace runs: off, the hooks (in the context switch, the
 * wake-up) are a NOP, not a load and a branch. */
DECLARE_STATIC_KEY_FALSE(trace_key);

/* Record an event. Returns the trace it went into (trace_gen; kept or
 * dropped for a full ring), 0 if no trace was on. */
unsigned int __trace_event(enum trace_type type, uint64_t a, unsigned int b);
static __always_inline unsigned int trace_event(enum trace_type type, uint64_t a, unsigned int b)
{
	if (static_branch_unlikely(&trace_key))
		return __trace_event(type, a, b);
	return 0;
}

/* An event about task t (switch: the next task; wakeup: the woken one):
 * a = t's pid, and the dump can name t. */
struct task_struct;
void __trace_task_event(enum trace_type type, struct task_struct *t, unsigned int b);
static __always_inline void trace_task_event(enum trace_type type, struct task_struct *t,
					     unsigned int b)
{
	if (static_branch_unlikely(&trace_key))
		__trace_task_event(type, t, b);
}

/* A label into the trace; `label` must stay valid (a string literal). */
static inline void trace_mark(const char *label)
{
	trace_event(TRACE_MARK, (uintptr_t)label, 0);
}

/*
 * Start a new trace (forgetting the last one). lock_class says which
 * lock events are recorded: one class's (lockstat_class_of()),
 * TRACE_ALL_LOCKS, TRACE_LOCK_WAITS (every class, but only acquisitions
 * that waited: a contended lock's story over a long run, where recording
 * every operation fills the ring in milliseconds), or TRACE_NO_LOCKS.
 * Returns 0, -EBUSY if a trace runs, -ENOMEM.
 */
#define TRACE_ALL_LOCKS (-1)
#define TRACE_LOCK_WAITS (-2)
#define TRACE_NO_LOCKS 0
int trace_start(int lock_class);
void trace_stop(void);			/* waits until no CPU writes */
/* The lock hooks ask: record this class's events? (waited: the
 * acquisition followed a wait) */
bool trace_lock_wanted(int cls, bool waited);

/* Print the trace, between "trace: begin TITLE" and "trace: end". */
void trace_dump(const char *title);

/* What the rings hold (tests, the shell). */
int trace_size(void);				/* events per CPU */
unsigned long trace_len(int cpu);		/* events kept */
unsigned long trace_dropped(int cpu);		/* events lost: ring full */
const struct trace_event *trace_events(int cpu);
const char *trace_type_name(enum trace_type t);
const char *trace_task_comm(int pid);		/* NULL if never seen */
