/*
 * sched.h - kernel threads and the scheduler.
 *
 * Every CPU has a run queue of runnable threads and runs them round-robin,
 * a time slice each (sched.slice_ms, default 10 ms); a thread that wakes
 * up goes first. A thread leaves the CPU when:
 *   - it blocks: sets its state to TASK_UNINTERRUPTIBLE and calls
 *     schedule() (wait queues, completions, mutexes, msleep do this);
 *   - it calls schedule() or yield();
 *   - it is preempted: the tick found its slice used up, or another thread
 *     was woken on this CPU, and the thread is preemptible - at the return from an
 *     interrupt with preempt_count 0 and interrupts on, or at the
 *     preempt_enable() (e.g. spin_unlock()) that brings the count to 0.
 *
 * Rules:
 *  - Sleeping (anything that may call schedule()) is forbidden in atomic
 *    context: with preemption or interrupts disabled, in an interrupt
 *    handler, holding a spinlock. might_sleep() reports violations as
 *    "BUG: sleeping function called from invalid context", and schedule()
 *    itself as "BUG: scheduling while atomic".
 *  - A thread's kernel stack has a guard page and is freed by the switch
 *    away from the dead thread. Its struct task_struct lives while
 *    references to it are held (get_task_struct/put_task_struct; the
 *    thread holds one until that last switch), and is freed an RCU grace
 *    period after the last put: code that found a task pointer with
 *    preemption off (an RCU reader), like the mutex's spinner looking at
 *    owner->on_cpu, may read it meanwhile.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/err.h"
#include "kernel/jiffies.h"
#include "kernel/kcsan.h"
#include "kernel/list.h"
#include "sched/preempt.h"
#include "sync/spinlock.h"
#include "sync/atomic.h"
#include "sync/rcu_types.h"
#include "sync/refcount.h"

enum task_state {
	TASK_RUNNING = 0,		/* running or on a run queue */
	TASK_INTERRUPTIBLE = 1,		/* asleep; signal_pending() wakes it */
	TASK_UNINTERRUPTIBLE = 2,	/* asleep until woken */
	TASK_NEW = 4,			/* created, not yet woken */
	TASK_DEAD = 8,			/* exited */
	TASK_PARKED = 16,		/* in kthread_parkme(): only
					 * kthread_unpark() wakes it */
};

#define TASK_COMM_LEN 16

/* task_struct.flags, Linux's values. */
#define PF_WQ_WORKER	0x00000020	/* a workqueue worker (kworker) */

struct task_struct {
	/* Scheduler state (see core.c for which lock protects what). */
	volatile long state;
	int cpu;			/* run queue it is on / last ran on */
	int on_rq;			/* runnable: queued or running */
	int on_cpu;			/* registers live on a CPU right now */
	int bound_cpu;			/* -1: may run anywhere */
	int migration_disabled;		/* migrate_disable() depth: stays on
					 * t->cpu while > 0 */
	int slice_left;			/* ticks */
	int saved_preempt_count;
	uintptr_t saved_rsp;
	struct list_head run_list;
	spinlock_t pi_lock;		/* serializes wake-ups of this task */

	/* Identity and bookkeeping. */
	int pid;
	char comm[TASK_COMM_LEN];
	void *stack;			/* base of the guarded kernel stack */
	refcount_t usage;		/* get_task_struct()/put_task_struct() */
	struct rcu_head rcu;		/* freed a grace period after the last put */
	struct list_head tasks;		/* all_tasks list */
	uint64_t nr_switches;
	unsigned long nvcsw, nivcsw;	/* switches out: voluntary (slept),
					 * involuntary (preempted) - Linux's */
	uint64_t sum_exec_ns, exec_start_ns;

	unsigned int flags;		/* PF_* */
	int lock_depth;			/* the big kernel lock: -1 when not held
					 * (sync/bkl.h) */

	/* kthread. */
	int (*threadfn)(void *);
	void *data;
	int exit_code;
	bool should_stop;
	bool should_park;		/* kthread_park() asked */
	bool parked;			/* it is in kthread_parkme() */
	bool notify_signal;		/* kthread_stop(): signal_pending(), as
					 * Linux 6.1's TIF_NOTIFY_SIGNAL */
	bool exited;
	struct wait_queue_head *exit_wait;
	int rcu_read_depth;		/* for "sleeping in an RCU reader" checks */
	uint64_t jitter_state, jitter_seed;	/* jitter=SEED: this thread's stream */
	struct kcsan_ctx kcsan_ctx;	/* data_race(), seqlock sections
					 * (kernel/kcsan.h) */
};

DECLARE_PER_CPU(struct task_struct *, current_task);
#define current (this_cpu_read(current_task))

/* Core scheduler (core.c). */
void schedule(void);
void yield(void);
/* A preemption point for long loops in process context: reschedule if
 * asked (always safe to call where sleeping is; returns 1 if it did). */
int cond_resched(void);
/*
 * There are no signals (no user space), but as in Linux since 6.1 a
 * kernel thread that kthread_stop() is stopping has one "pending"
 * (TIF_NOTIFY_SIGNAL): its interruptible sleeps end at once and return
 * -ERESTARTSYS (waits) or -EINTR (locks), so a thread looping on
 * msleep_interruptible() or wait_event_interruptible() sees
 * kthread_should_stop() without sleeping its sleep to the end. Nothing
 * is fatal (no SIGKILL): the killable waits are never interrupted.
 */
static inline int signal_pending(struct task_struct *p) { return READ_ONCE(p->notify_signal); }
static inline int fatal_signal_pending(struct task_struct *p) { (void)p; return 0; }
/* Would a sleep in `state` be cut short by a pending signal? */
static inline int signal_pending_state(long state, struct task_struct *p)
{
	return (state & TASK_INTERRUPTIBLE) && signal_pending(p);
}
int wake_up_process(struct task_struct *t);
/* Wake t only if it sleeps in one of `state`'s states (Linux's): the
 * wait queues' wake_up_interruptible() leaves TASK_UNINTERRUPTIBLE
 * sleepers asleep. wake_up_process(t) is wake_up_state(t, TASK_NORMAL)
 * (and starts a new thread). */
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
int wake_up_state(struct task_struct *t, unsigned int state);
void set_current_state_fn(long state);
#define set_current_state(s) set_current_state_fn(s)
#define __set_current_state(s) WRITE_ONCE(current->state, (s))
/*
 * A state no wake-up may undo (TASK_DEAD), as Linux's set_special_state():
 * written under pi_lock, which wake_up_process() holds from reading the
 * state to writing TASK_RUNNING, so a wake-up that read the old state
 * finishes first and one that comes later sees the new one and leaves it.
 * A plain store could land inside a wake-up's window and be overwritten:
 * a dead task queued to run again.
 */
#define set_special_state(s)                                              \
	do {                                                              \
		unsigned long flags__;                                    \
		spin_lock_irqsave(&current->pi_lock, flags__);            \
		WRITE_ONCE(current->state, (s));                          \
		spin_unlock_irqrestore(&current->pi_lock, flags__);       \
	} while (0)
/* Timeouts in jiffies (kernel/jiffies.h), as in Linux: returns the
 * jiffies left, 0 if the time ran out. */
long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_idle(long timeout);
void msleep(unsigned int ms);
unsigned long msleep_interruptible(unsigned int ms);
__noreturn void cpu_idle(void);
void scheduler_tick(void);
int nr_running_on(int cpu);
void sched_print_tasks(void);		/* ps */
void sched_show_task(struct task_struct *t);	/* where a sleeping thread waits */

/*
 * might_sleep(): report a call that may sleep from atomic context even
 * when it does not sleep this time. Debug builds check the preemption
 * count and the interrupt flag (CONFIG_DEBUG_ATOMIC_SLEEP); RELEASE
 * builds only the count, because
 * reading the flag (pushf) costs as much as an uncontended mutex_lock()
 * under QEMU. schedule() checks both, in every build, when it really
 * sleeps.
 */
void __might_sleep(const char *file, int line);
#ifndef CONFIG_DEBUG_ATOMIC_SLEEP
#define might_sleep()                                                     \
	do {                                                              \
		if (unlikely(preempt_count() != 0))                       \
			__might_sleep(__FILE__, __LINE__);                \
	} while (0)
#else
#define might_sleep() __might_sleep(__FILE__, __LINE__)
#endif

/*
 * Threads (kthread.c), with Linux's contract:
 *  - kthread_create() returns a stopped thread (TASK_NEW), or ERR_PTR()
 *    on failure - never NULL: test with IS_ERR(). kthread_run() creates
 *    and wakes it.
 *  - A thread ends by returning from its function (or kthread_exit()).
 *    It is then freed at once, whether or not anyone waits for it.
 *  - kthread_stop(t): sets kthread_should_stop() for t, wakes it, waits
 *    until it has returned, and returns what it returned (-EINTR if it
 *    was stopped before it ever ran: its function is not called). Only
 *    for a thread that cannot have returned yet - or hold a reference
 *    (get_task_struct()) from before it could, and drop it afterwards;
 *    kthread_stop_put() does both.
 */
struct task_struct *kthread_create(int (*fn)(void *), void *data, const char *fmt, ...)
	__printf(3, 4);
void kthread_bind(struct task_struct *t, int cpu);
/* kthread_create() + kthread_bind(t, cpu); namefmt gets cpu as its one
 * argument ("worker/%u"). The thread stays bound to cpu across parks. */
struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *data,
					  unsigned int cpu, const char *namefmt);
bool kthread_should_stop(void);
/*
 * migrate_disable()/migrate_enable() (Linux's): the thread stays on this
 * CPU but remains preemptible - it may be preempted, and may sleep, and
 * comes back on the same CPU - so smp_processor_id() and this CPU's
 * per-CPU data stay its own without holding preemption off. Per-CPU data
 * still needs a lock or this_cpu_*() ops against other threads of this
 * CPU. Nest; pair on the same thread. Process context.
 */
void migrate_disable(void);
void migrate_enable(void);
/*
 * Parking (Linux's): kthread_park(t) asks t to stop working for a while
 * and waits until it has: t's loop calls kthread_parkme() when
 * kthread_should_park() says so, and sleeps there in TASK_PARKED, which
 * no wake-up but kthread_unpark(t) ends (not wake_up_process()). A thread
 * parked before it first ran parks before its function starts.
 * kthread_stop() of a parked thread unparks it first. kthread_park()
 * may sleep; returns 0, -EBUSY if t was already parked or being parked,
 * -ENOSYS if t has exited.
 */
bool kthread_should_park(void);
bool kthread_should_stop_or_park(void);
void kthread_parkme(void);
int kthread_park(struct task_struct *t);
void kthread_unpark(struct task_struct *t);
void *kthread_data(struct task_struct *t);
void *kthread_func(struct task_struct *t);
int kthread_stop(struct task_struct *t);
int kthread_stop_put(struct task_struct *t);
/* Threads that returned whose last switch (freeing their stack, dropping
 * their own reference) has not happened yet: tests wait for 0. */
int nr_threads_exiting(void);
void kthread_buried(void);		/* by that last switch (core.c) */
__noreturn void kthread_exit(int code);
/*
 * complete(comp), then kthread_exit(code), as in Linux: how a thread of a
 * loadable module signals that it is done. A thread that calls complete()
 * and then returns runs module code after its signal - code that rmmod
 * may already have taken away once whoever waited has moved on.
 */
struct completion;
__noreturn void kthread_complete_and_exit(struct completion *comp, long code);
#define kthread_run(fn, data, ...)                                        \
	({                                                                \
		struct task_struct *t__ = kthread_create(fn, data, __VA_ARGS__); \
		if (!IS_ERR(t__))                                         \
			wake_up_process(t__);                             \
		t__;                                                      \
	})
struct task_struct *get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
extern spinlock_t tasklist_lock;
extern struct list_head all_tasks;

/* Soft-lockup watchdog (watchdog.c). */
void watchdog_set_threshold_ms(uint64_t ms);	/* 0 = off */
void touch_softlockup_watchdog(void);
uint64_t watchdog_pauses(void);		/* ticks taken as a paused vCPU */
