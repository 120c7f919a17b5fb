/*
 * srcu.h - sleepable RCU: readers that may sleep, in domains of their own.
 *
 *   DEFINE_STATIC_SRCU(my_srcu);            or: struct srcu_struct s;
 *                                               init_srcu_struct(&s);
 * Readers:                                Writer (holding its own lock):
 *   idx = srcu_read_lock(&my_srcu);         old = gp; rcu_assign_pointer(gp, new);
 *   p = srcu_dereference(gp, &my_srcu);     synchronize_srcu(&my_srcu);
 *   use(p); msleep(10); use(p);             kfree(old);
 *   srcu_read_unlock(&my_srcu, idx);      or: call_srcu(&my_srcu, &old->rcu, free_fn);
 *
 * The promise is RCU's (sync/rcu.h): synchronize_srcu(ssp) returns only
 * after every reader of ssp that was already inside srcu_read_lock(ssp)
 * when it was called has left. The differences:
 *  - readers may sleep, be preempted, and move to another CPU: they are
 *    counted (per CPU, summed over all CPUs), not inferred from context
 *    switches; so a reader costs two memory barriers, not zero;
 *  - each srcu_struct is a domain: a grace period of one waits only for
 *    that one's readers, so a reader that sleeps for a second slows no
 *    other domain;
 *  - srcu_read_lock() returns an index that srcu_read_unlock() needs back.
 *
 * Contract (Linux 6.1's):
 *  - srcu_read_lock(ssp) -> int idx (0 or 1) / srcu_read_unlock(ssp, idx):
 *    never sleep, never spin; any context but NMI: threads, softirqs
 *    (timers, tasklets), interrupt handlers. They nest, also across
 *    domains. Lock and unlock in the same context (not lock in a thread
 *    and unlock in an irq handler) and, for lockdep's sake here, with
 *    bottom halves in the same state. Between them the thread may sleep,
 *    be preempted and migrate: the unlock may run on another CPU.
 *  - Inside a reader of ssp, never wait for a grace period of ssp:
 *    synchronize_srcu(ssp), srcu_barrier(ssp), or a lock that is held
 *    across one. It would wait for itself. Debug builds report the direct
 *    case as Linux's lockdep does ("Illegal synchronize_srcu() in
 *    same-type SRCU ... read-side critical section"), then panic - the
 *    deadlock is certain; the indirect one (a mutex taken inside a reader
 *    and held across synchronize_srcu) as a circular locking dependency.
 *  - srcu_dereference(p, ssp): READ_ONCE of a pointer published with
 *    rcu_assign_pointer(); debug builds warn "suspicious RCU usage" outside
 *    a reader of ssp. srcu_dereference_check(p, ssp, c): or where c holds.
 *    srcu_read_lock_held(ssp): inside a reader of ssp? (1 where it cannot
 *    tell: interrupt or bottom-half context, lockdep off, RELEASE builds.)
 *  - synchronize_srcu(ssp), synchronize_srcu_expedited(ssp): may sleep
 *    (milliseconds, or as long as the longest reader of ssp); process
 *    context only. Full memory barrier on entry and on exit. Callers at
 *    the same time share grace periods. Expedited is the same here.
 *  - call_srcu(ssp, head, fn): never sleeps, any context but NMI, also
 *    inside a reader of ssp (it does not wait). fn(head) runs after a grace
 *    period of ssp, from a workqueue (process context) with bottom halves
 *    disabled, as in Linux: it must not sleep and should be short.
 *    Callbacks of one domain run one at a time, in the order queued.
 *  - srcu_barrier(ssp): may sleep; returns after every callback queued on
 *    ssp before it has returned. It waits for no grace period of its own.
 *  - get_state_synchronize_srcu(ssp) -> cookie; start_poll_synchronize_srcu
 *    (ssp) -> cookie, and makes sure a grace period will run; never sleep.
 *    poll_state_synchronize_srcu(ssp, cookie): true once a full grace
 *    period has passed since the cookie was taken (full barrier then).
 *  - init_srcu_struct(ssp): returns 0 or -ENOMEM; may sleep.
 *    cleanup_srcu_struct(ssp): may sleep; call it after the last reader
 *    and after srcu_barrier(). With a reader still inside, or callbacks
 *    not yet run, it WARNs and leaks the structure, as Linux does.
 *    DEFINE_SRCU/DEFINE_STATIC_SRCU structures need no init (and in a
 *    loadable module start afresh at each load).
 *
 * See sync/srcu.c for the algorithm: why two counters per CPU, why the
 * barriers, and why a grace period waits twice.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/delay_hook.h"
#include "sched/preempt.h"
#include "sync/barrier.h"
#include "sync/lockdep.h"
#include "sync/mutex.h"
#include "sync/percpu.h"
#include "sync/rcu.h"
#include "sync/spinlock.h"
#include "kernel/workqueue.h"

/* One CPU's readers of one domain, by index. Only this CPU writes them
 * (one instruction each, so an interrupt cannot split them); the grace
 * period reads every CPU's. Counts only grow; a reader that moved adds
 * its lock on one CPU and its unlock on another, so only the sums over
 * all CPUs mean something. */
struct srcu_data {
	unsigned long lock_count[2];
	unsigned long unlock_count[2];
};

struct srcu_struct {
	unsigned int srcu_idx;		/* readers use srcu_idx & 1 */
	struct srcu_data *sda;		/* per-CPU (a per-CPU variable's address) */
	bool sda_is_static;		/* DEFINE_SRCU: not ours to free */
	struct mutex gp_mutex;		/* one grace period at a time */
	unsigned long gp_seq;		/* 2 x grace periods done; odd: one running */
	unsigned long gp_seq_needed;	/* start_poll_synchronize_srcu()'s wish */
	spinlock_t cb_lock;		/* the callback list, and cb_pending */
	struct rcu_head *cb_head, **cb_tail;
	unsigned long cb_pending;	/* queued, and not yet returned */
	unsigned long cb_last_gp;	/* the last call_srcu()'s cookie */
	struct work_struct work;	/* grace periods for callbacks, and calls */
	struct lockdep_map dep_map;	/* readers "hold" it (debug builds) */
};

void srcu_process_callbacks(struct work_struct *work);	/* (the work function) */

#define __SRCU_STRUCT_INIT(name, pcpu_name) {                             \
		.sda = &(pcpu_name),                                      \
		.sda_is_static = true,                                    \
		.gp_mutex = __MUTEX_INITIALIZER((name).gp_mutex),         \
		.cb_lock = __SPIN_LOCK_UNLOCKED((name).cb_lock),          \
		.cb_tail = &(name).cb_head,                               \
		.work = __WORK_INITIALIZER((name).work, srcu_process_callbacks), \
		.dep_map = LOCKDEP_MAP_INIT(name),                        \
	}

/* As Linux's: the per-CPU counters are a static per-CPU variable beside
 * the structure. Not inside a function. */
#define __DEFINE_SRCU(name, is_static)                                    \
	static DEFINE_PER_CPU(struct srcu_data, name##_srcu_data);        \
	is_static struct srcu_struct name = __SRCU_STRUCT_INIT(name, name##_srcu_data)
#define DEFINE_SRCU(name)        __DEFINE_SRCU(name, /* not static */)
#define DEFINE_STATIC_SRCU(name) __DEFINE_SRCU(name, static)

int __init_srcu_struct(struct srcu_struct *ssp, const char *name, const void *key);
/* Every init_srcu_struct() line is one lockdep class, as in Linux. */
#define init_srcu_struct(ssp) __init_srcu_struct((ssp), #ssp, LOCKDEP_SITE_KEY)
void cleanup_srcu_struct(struct srcu_struct *ssp);

/* ---- readers ---- */

int __srcu_read_lock(struct srcu_struct *ssp);
void __srcu_read_unlock(struct srcu_struct *ssp, int idx);
void srcu_read_unlock_bad_idx(struct srcu_struct *ssp, int idx);

/*
 * Lockdep charges sleeping "locks" to the current task, so it can follow
 * only readers in task context (not interrupt handlers, nor with bottom
 * halves off: there it records nothing). A reader is told as a trylock:
 * it never waits, so nothing can wait for it through it, readers nest,
 * and no dependency ends at it (Linux: a recursive read acquisition).
 */
static inline void srcu_lock_acquire(struct srcu_struct *ssp)
{
	(void)ssp;		/* RELEASE: lockdep's calls are empty macros */
	if (!in_interrupt())
		lock_acquire(&ssp->dep_map, 0, true, LOCKDEP_SLEEP, _RET_IP_);
}

/* Only what was recorded: an unrecorded release would look for the map
 * among other tasks' locks (another reader's) and drop that. */
static inline void srcu_lock_release(struct srcu_struct *ssp)
{
	(void)ssp;
	if (!in_interrupt() && lock_is_held(&ssp->dep_map) == 1)
		lock_release(&ssp->dep_map, LOCKDEP_SLEEP);
}

static inline int srcu_read_lock(struct srcu_struct *ssp)
{
	int idx = __srcu_read_lock(ssp);

	srcu_lock_acquire(ssp);
	return idx;
}

static inline void srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	if (unlikely(idx & ~1)) {
		srcu_read_unlock_bad_idx(ssp, idx);	/* WARNs, counts nothing */
		return;
	}
	srcu_lock_release(ssp);
	__srcu_read_unlock(ssp, idx);
}

/* For tracing code: no lockdep. */
static inline int srcu_read_lock_notrace(struct srcu_struct *ssp)
{
	return __srcu_read_lock(ssp);
}

static inline void srcu_read_unlock_notrace(struct srcu_struct *ssp, int idx)
{
	__srcu_read_unlock(ssp, idx);
}

/* The unlock's barrier comes before its count: make it a full barrier
 * after it as well. */
static inline void smp_mb__after_srcu_read_unlock(void)
{
	smp_mb();
}

/* Is the current thread inside a reader of ssp? 1 when it cannot tell. */
static inline int srcu_read_lock_held(const struct srcu_struct *ssp)
{
	(void)ssp;
	if (in_interrupt())
		return 1;
	return lock_is_held(&ssp->dep_map) != 0;	/* -1: lockdep off */
}

#define srcu_dereference_check(p, ssp, c)                                 \
	({                                                                \
		__rcu_check((c) || srcu_read_lock_held(ssp),              \
			    "srcu_dereference_check() outside a read-side critical " \
			    "section of " #ssp ", and " #c " false");      \
		READ_ONCE(p);                                             \
	})
#define srcu_dereference(p, ssp)                                          \
	({                                                                \
		__rcu_check(srcu_read_lock_held(ssp), "srcu_dereference() outside " \
			    "a read-side critical section of " #ssp);     \
		READ_ONCE(p);                                             \
	})
#define srcu_dereference_notrace(p, ssp) READ_ONCE(p)

/* ---- waiting for readers ---- */

void synchronize_srcu(struct srcu_struct *ssp);
void synchronize_srcu_expedited(struct srcu_struct *ssp);
void call_srcu(struct srcu_struct *ssp, struct rcu_head *head, rcu_callback_t func);
void srcu_barrier(struct srcu_struct *ssp);

unsigned long get_state_synchronize_srcu(struct srcu_struct *ssp);
unsigned long start_poll_synchronize_srcu(struct srcu_struct *ssp);
bool poll_state_synchronize_srcu(struct srcu_struct *ssp, unsigned long cookie);

/* Grace periods completed by ssp (a statistic). */
static inline unsigned long srcu_batches_completed(struct srcu_struct *ssp)
{
	return READ_ONCE(ssp->gp_seq) / 2;
}

/* The race windows tests widen (kernel/delay_hook.h), obj: the ssp.
 * srcu_read_lock_idx: a reader has read the index, not yet counted
 * itself. srcu_between_sums: a grace period has summed one index's
 * unlocks, not yet its locks. */
DECLARE_DELAY_HOOK(srcu_read_lock_idx);
DECLARE_DELAY_HOOK(srcu_between_sums);
