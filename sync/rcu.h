/*
 * rcu.h - read-copy-update: readers that take no lock at all, and
 * writers that wait for them before freeing.
 *
 * Readers:                              Writer (holding its own lock):
 *   rcu_read_lock();                      new = kmalloc(..., GFP_KERNEL); *new = *old; change new
 *   p = rcu_dereference(gp);              rcu_assign_pointer(gp, new);   publish
 *   if (p) use(p->a, p->b);               synchronize_rcu();             wait
 *   rcu_read_unlock();                    kfree(old);                    reclaim
 *                                       or, without waiting:
 *                                         call_rcu(&old->rcu, free_old);
 *
 * The promise: synchronize_rcu() returns only after every reader that was
 * already inside rcu_read_lock() when it was called has left (a "grace
 * period"), so nothing that could still see `old` is running. Readers that
 * start later can only find `new`. call_rcu(head, fn) runs fn(head) after
 * such a grace period, from a kernel thread.
 *
 * This kernel's RCU is the non-preemptible kind (Linux's RCU-sched, and
 * its PREEMPT_NONE RCU): rcu_read_lock() only disables preemption. A CPU
 * that context-switches, sits in its idle loop, or takes a tick while
 * preemptible is therefore not inside any reader: that is a "quiescent
 * state" (QS). A grace period ends once every other CPU passed one.
 *
 * Contract:
 *  - rcu_read_lock()/rcu_read_unlock(): never sleep, nest, any context
 *    (interrupt handlers included); cost: a preempt_count increment (and
 *    a jitter_point(): with `jitter=SEED` readers last longer at random).
 *    Inside, NEVER sleep: it would be a quiescent state in the middle of
 *    the reader. The scheduler reports it as
 *    "BUG: sleeping function called inside an RCU read-side critical section".
 *    Code that runs with preemption or interrupts disabled is a reader too
 *    (synchronize_rcu() waits for it).
 *  - rcu_dereference(p): load a pointer published by rcu_assign_pointer();
 *    only inside a reader (debug builds warn "suspicious RCU usage"
 *    otherwise). The pointer is good until rcu_read_unlock(), not after.
 *    Update-side code that holds the writers' lock uses
 *    rcu_dereference_protected(p, lock_is_held) instead.
 *  - rcu_assign_pointer(p, v): store-release: the initialization of *v is
 *    visible before the pointer. RCU_INIT_POINTER(p, v): plain store, only
 *    for NULL or for pointers readers cannot reach yet.
 *  - synchronize_rcu(): may sleep (ms); never call it in a reader or in
 *    atomic context. Full memory barrier on entry and on exit.
 *  - call_rcu(head, fn): never sleeps, any context (not with a run-queue
 *    lock held: it may wake the grace-period thread). fn runs in a kernel thread with preemption disabled: it
 *    must not sleep and should be short (kfree, a counter, a list_del).
 *    Callbacks queued on one CPU run in the order they were queued.
 *  - rcu_barrier(): may sleep; returns after every callback queued before
 *    it has finished (use it before unloading what callbacks point to).
 *  - Writers still need a lock (or one writer) among themselves: RCU only
 *    separates readers from writers.
 *
 * See docs/rcu-seqlock.md for the algorithm, the rules and the classic
 * mistakes.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/jitter.h"
#include "kernel/panic.h"
#include "sched/sched.h"
#include "sync/barrier.h"
#include "sync/percpu.h"
#include "kernel/softirq.h"
#include "sync/rcu_types.h"

/* ---- readers ---- */

void rcu_read_unlock_imbalance(void);

static inline void rcu_read_lock(void)
{
	preempt_disable();
	struct task_struct *t = current;
	if (t)				/* NULL only before the scheduler */
		t->rcu_read_depth++;
	jitter_point();			/* `jitter=SEED`: longer readers */
}

static inline void rcu_read_unlock(void)
{
	struct task_struct *t = current;

	if (t) {
		if (unlikely(t->rcu_read_depth <= 0)) {
			rcu_read_unlock_imbalance();	/* reports, leaves counts alone */
			return;
		}
		t->rcu_read_depth--;
	}
	preempt_enable();
}

/* A reader that also keeps bottom halves off (Linux's RCU-bh flavour,
 * one with RCU since 5.0): the same grace periods here. */
static inline void rcu_read_lock_bh(void)
{
	local_bh_disable();
	rcu_read_lock();
}

static inline void rcu_read_unlock_bh(void)
{
	rcu_read_unlock();
	local_bh_enable();
}

/* Linux's RCU-sched reader: preemption off is the whole read section,
 * and synchronize_rcu() waits for it (one flavour since Linux 4.20; here
 * every RCU reader is one of these anyway). May be used where sleeping
 * is not allowed, interrupts included. */
static inline void rcu_read_lock_sched(void)
{
	preempt_disable();
}

static inline void rcu_read_unlock_sched(void)
{
	preempt_enable();
}
#define rcu_read_lock_sched_notrace() rcu_read_lock_sched()
#define rcu_read_unlock_sched_notrace() rcu_read_unlock_sched()

/* Is the current thread inside rcu_read_lock()? (For checks.) */
static inline bool rcu_read_lock_held(void)
{
	struct task_struct *t = current;

	return t && t->rcu_read_depth > 0;
}

/* In an RCU-sched (or -bh) reader: preemption, bottom halves or
 * interrupts off - every one of them keeps a grace period waiting here. */
static inline bool rcu_read_lock_sched_held(void)
{
	return preempt_count() != 0 || irqs_disabled();
}
#define rcu_read_lock_bh_held() rcu_read_lock_sched_held()

/* ---- publishing and subscribing ---- */

void rcu_suspicious_usage(const char *file, int line, const char *what);

#ifdef CONFIG_DEBUG_RCU
/* Any preempt-disabled or irq-disabled region is a reader here. */
#define __rcu_check(cond, what)                                           \
	do {                                                              \
		static bool warned__;                                     \
		if (unlikely(!(cond)) && !warned__) {                     \
			warned__ = true;                                  \
			rcu_suspicious_usage(__FILE__, __LINE__, what);   \
		}                                                         \
	} while (0)
#else
#define __rcu_check(cond, what) do { } while (0)
#endif

#define rcu_dereference(p)                                                \
	({                                                                \
		__rcu_check(preempt_count() != 0 || irqs_disabled(),      \
			    "rcu_dereference() outside an RCU read-side critical section"); \
		READ_ONCE(p);                                             \
	})

/* Update side, with the lock that serializes writers held: `c` says so. */
#define rcu_dereference_protected(p, c)                                   \
	({                                                                \
		__rcu_check(c, "rcu_dereference_protected() without the update-side lock: " #c); \
		READ_ONCE(p);                                             \
	})

/* In a reader, or where `c` holds (the writers' lock, say). */
#define rcu_dereference_check(p, c)                                       \
	({                                                                \
		__rcu_check((c) || preempt_count() != 0 || irqs_disabled(), \
			    "rcu_dereference_check() outside a reader, and " #c " false"); \
		READ_ONCE(p);                                             \
	})
#define rcu_dereference_raw(p) READ_ONCE(p)
#define rcu_dereference_sched(p) rcu_dereference(p)
#define rcu_dereference_bh(p) rcu_dereference(p)
#define rcu_dereference_sched_check(p, c) rcu_dereference_check(p, c)
#define rcu_dereference_bh_check(p, c) rcu_dereference_check(p, c)
#define rcu_pointer_handoff(p) (p)

/* Only the pointer's value (compare with NULL, never dereference it). */
#define rcu_access_pointer(p) READ_ONCE(p)

/* Publish: everything written to *v before is visible before v is. */
#define rcu_assign_pointer(p, v) smp_store_release(&(p), (v))

/* A plain store: for NULL, or before readers can reach p at all. */
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, v)

/* Publish `v` in place of the current pointer and return the old one. */
#define rcu_replace_pointer(p, v, c)                                      \
	({                                                                \
		__typeof__(p) old__ = rcu_dereference_protected(p, c);    \
		rcu_assign_pointer(p, v);                                 \
		old__;                                                    \
	})

/* ---- waiting for readers ---- */

void synchronize_rcu(void);
void call_rcu(struct rcu_head *head, rcu_callback_t func);
void rcu_barrier(void);

/*
 * kfree(ptr) after a grace period. kfree_rcu(ptr, field): `field` is
 * ptr's struct rcu_head, never sleeps. kfree_rcu(ptr) (Linux's older
 * one-argument form, kfree_rcu_mightsleep() today) needs no rcu_head and
 * waits for the grace period itself: it may sleep.
 */
#define __kfree_rcu_2(ptr, field) \
	__kfree_rcu(&(ptr)->field, offsetof(__typeof__(*(ptr)), field))
#define kfree_rcu_mightsleep(ptr) do { synchronize_rcu(); kfree(ptr); } while (0)
#define __kfree_rcu_pick(_1, _2, name, ...) name
#define kfree_rcu(...) \
	__kfree_rcu_pick(__VA_ARGS__, __kfree_rcu_2, kfree_rcu_mightsleep)(__VA_ARGS__)
void __kfree_rcu(struct rcu_head *head, unsigned long offset);
/* Expedited grace periods are a latency optimization: the same here. */
#define synchronize_rcu_expedited() synchronize_rcu()
#define synchronize_sched() synchronize_rcu()
#define rcu_barrier_sched() rcu_barrier()

/* ---- quiescent states ---- */

DECLARE_PER_CPU(unsigned long, rcu_qs_count);

/*
 * This CPU is in a quiescent state now. The increment comes after every
 * access of the reader that ended before it (x86 keeps loads and stores
 * before a later store), and the full barrier puts it before any access of
 * the next reader: otherwise a grace period could see the increment only
 * after the next reader already read the old pointer (store buffer).
 */
static inline void rcu_qs(void)
{
	barrier();
	this_cpu_inc(rcu_qs_count);
	smp_mb();
}

/* The scheduler, in every __schedule(). */
static inline void rcu_note_context_switch(void)
{
	rcu_qs();
}

/* Explicit report from a thread (a long loop, the idle loop): only where
 * it could sleep (not atomic, not in a reader); warns otherwise. */
void rcu_report_qs(void);

/* The scheduler: report sleeping inside a reader (prints nothing if not). */
void rcu_sleep_check(void);

/* ---- setup and diagnostics ---- */

void rcu_init(void);		/* after smp_init(): starts the rcu_gp thread */

struct rcu_stats {
	unsigned long gp_completed;	/* by the callback thread */
	unsigned long sync_calls;	/* synchronize_rcu() returns */
	unsigned long cbs_queued, cbs_invoked;
	unsigned long stalls;		/* stall warnings printed */
};
void rcu_get_stats(struct rcu_stats *st);
void rcu_print_stats(void);
/* Warn when a grace period waits longer than this on a CPU (0 = never;
 * default 10 s). Returns the previous value. */
unsigned long rcu_set_stall_timeout_ms(unsigned long ms);
