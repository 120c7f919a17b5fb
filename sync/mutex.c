/*
 * mutex.c - the sleeping mutex (contract in mutex.h).
 *
 * State: `owner` holds the owning task's pointer (0 when free) and, in
 * its low bits (task pointers are aligned), two flags:
 *   WAITERS  someone sleeps on wait_list: unlock must wake the first one;
 *   HANDOFF  the first waiter lost a race once: the next release is
 *            reserved for it, nobody else may take the mutex.
 *
 * 1. Fast path: lock is cmpxchg(owner, 0 -> current); unlock is
 *    cmpxchg(owner, current -> 0). Both fail when a flag is set.
 *
 * 2. Optimistic spinning: if the owner is running on another CPU, it will
 *    probably unlock soon; spinning a little is far cheaper than sleeping
 *    and being woken. We spin while the owner is on a CPU and take the
 *    mutex as soon as it is free. We stop when the owner is not running
 *    (it may sleep for long), when the release is reserved (HANDOFF), or
 *    after MUTEX_SPIN_NS. When need_resched() says our CPU is wanted we
 *    let the scheduler run first, then go on. When the owner changes to
 *    another running task we go on spinning on the new one (as Linux
 *    does): the time limit bounds the whole. A spinner reads `owner`
 *    every few pauses while no flag is set (MUTEX_SPIN_PAUSES says why).
 *    Spinners first line up in the mutex's OSQ (osq_lock.c), and only the
 *    one at its head polls `owner`: with every spinner polling it, that
 *    cache line bounces between all their CPUs and slows down the owner's
 *    own lock and unlock (measured: 4 workers on 4 CPUs under QEMU went
 *    from ~150 to ~75 ns per lock+unlock). The first waiter waiting for
 *    its hand-off spins without queueing: nobody else may take the mutex.
 *
 * 3. Sleeping: under wait_lock, queue at the tail and set WAITERS, then
 *    try to take the mutex; if that fails, sleep. Unlock with WAITERS set
 *    clears the owner (keeping the flags) and then, under wait_lock, wakes
 *    the first waiter, which tries again. Only the first waiter tries:
 *    the others sleep until they are first. A waiter is woken once per
 *    sleep (wake_sent): until it has run, later unlocks skip the wake-up.
 *
 * Why no wake-up is lost: the waiter sets WAITERS *before* its last try,
 * and both are atomic operations on `owner`, as is the owner's release.
 * Either the release comes first and the try succeeds, or the flag comes
 * first and the release takes the slow path, which wakes the first waiter
 * under wait_lock. The waiter set TASK_UNINTERRUPTIBLE before dropping
 * wait_lock, so a wake-up that comes before its schedule() makes
 * schedule() return at once. The waiter lives on its own stack: it is
 * only touched under wait_lock while it is on the list.
 *
 * Why the woken waiter must compete instead of being handed the mutex at
 * once: it takes a while before it runs (its CPU may be busy, or idle and
 * slow to wake), and the mutex would be owned by a task that is not
 * running all that time, while the running contenders give up and queue
 * behind it: a convoy. Letting a running contender take the free mutex
 * keeps it busy. But then a waiter could lose every time, so a woken
 * first waiter that fails sets HANDOFF: from then on the release is for
 * it alone (fast path, spinners and trylock all refuse a reserved mutex).
 * It then waits for that release spinning while the owner runs, as a
 * spinner would: a reserved mutex must not wait for its taker to be
 * woken up, since everyone else waits too. Each waiter loses at most
 * once; the queue is FIFO: no starvation.
 */
#include "sync/mutex.h"
#include "kernel/errno.h"
#include "sched/sched.h"
#include "sync/rcu.h"
#include "kernel/cpumask.h"
#include "kernel/jitter.h"
#include "kernel/panic.h"
#include "kernel/time.h"

/*
 * A bound for a running owner that does not let go (a long critical
 * section): one time slice. Not shorter: under a hypervisor (QEMU with
 * more virtual CPUs than host cores) the owner's CPU is often paused for
 * a few milliseconds while the guest still sees it running, and a spinner
 * that gives up then sleeps, and everyone's unlock takes the slow path
 * until it has been woken. Linux has no bound at all.
 */
#define MUTEX_SPIN_NS (10 * NSEC_PER_MSEC)

/*
 * A spinner reads `owner` once every MUTEX_SPIN_PAUSES pauses, not at
 * every one: each read brings the cache line of `owner` to the spinner's
 * CPU, and the owner's next lock or unlock (a cmpxchg on that line) must
 * take it back first, so a spinner that polls flat out slows down the
 * very owner it waits for. Fewer reads cost the spinner a few pauses of
 * delay in seeing the release. Not when a flag is set (sleeping waiters,
 * a reserved hand-off): then every release already takes the slow path,
 * and a late look leaves the mutex free while tasks go to sleep on it -
 * spaced reads there doubled the cost with 16 workers on 2 CPUs.
 * Measured (counter experiment, RELEASE=1, medians of 5 boots in turn,
 * -smp 2), against reading at every pause as Linux does: 2 workers 123 ->
 * 99 ns per operation, 4 workers 122 -> 93, 8: 133 -> 85, 16: 161 -> 107.
 */
#define MUTEX_SPIN_PAUSES 4

static DEFINE_PER_CPU(unsigned long, mutex_spin_acquired);
static DEFINE_PER_CPU(unsigned long, mutex_slept);

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
	bool wake_sent;		/* woken, has not run its next try yet */
};

void __mutex_init(struct mutex *lock, const char *name, const void *key)
{
	atomic_long_set(&lock->owner, 0);
	osq_lock_init(&lock->osq);
	spin_lock_init(&lock->wait_lock);
	INIT_LIST_HEAD(&lock->wait_list);
	lockdep_init_map(&lock->dep_map, name, key);
	lockstat_init_map(&lock->stat, name, key);
	lock->stat.sleeping = true;
}

static struct task_struct *owner_task(long v)
{
	return (struct task_struct *)(v & ~MUTEX_FLAGS);
}

static bool mutex_trylock_fast(struct mutex *lock)
{
	return atomic_long_cmpxchg(&lock->owner, 0, (long)current) == 0;
}

/* Take the mutex if nobody owns it and it is not reserved for the first
 * waiter (unless we are that waiter). Keeps WAITERS, clears HANDOFF. */
static bool mutex_try_acquire(struct mutex *lock, bool first_waiter)
{
	long v = atomic_long_read(&lock->owner);

	for (;;) {
		if (owner_task(v))
			return false;
		if ((v & MUTEX_FLAG_HANDOFF) && !first_waiter)
			return false;
		long mine = (long)current | (v & MUTEX_FLAG_WAITERS);
		if (atomic_long_try_cmpxchg(&lock->owner, &v, mine))
			return true;
	}
}

/* Set or clear flag bits, whatever the owner does meanwhile. */
static void mutex_set_flags(struct mutex *lock, long set, long clear)
{
	long v = atomic_long_read(&lock->owner);

	while (!atomic_long_try_cmpxchg(&lock->owner, &v, (v | set) & ~clear))
		;
}

/* ---- debug checks (CONFIG_DEBUG_MUTEXES; the compiler drops them in
 * RELEASE builds) ---- */

/* Locking a mutex we own would sleep forever: say so and stop. */
static void debug_check_recursion(struct mutex *lock)
{
	if (IS_ENABLED(CONFIG_DEBUG_MUTEXES) && mutex_owner(lock) == current)
		panic("BUG: mutex recursion: %s/%d locks mutex %s (%p), which it holds",
		      current->comm, current->pid, lockdep_map_name(&lock->dep_map),
		      (void *)lock);
}

/* Returns false if there is nothing to unlock. */
static bool debug_check_unlock(struct mutex *lock)
{
	if (!IS_ENABLED(CONFIG_DEBUG_MUTEXES))
		return true;	/* before the reads: `owner` is volatile */
	struct task_struct *owner = mutex_owner(lock), *me = current;

	if (!owner || owner != me)
		count_warning();
	if (!owner) {
		printk(KERN_ERR "BUG: mutex unlock of unlocked mutex %s (%p) by %s/%d\n",
		       lockdep_map_name(&lock->dep_map), (void *)lock, me->comm, me->pid);
		dump_stack();
		return false;
	}
	if (owner != me) {
		printk(KERN_ERR "BUG: mutex unlock by non-owner: %s/%d unlocks mutex %s "
		       "(%p) owned by %s/%d; releasing it anyway\n", me->comm, me->pid,
		       lockdep_map_name(&lock->dep_map), (void *)lock, owner->comm,
		       owner->pid);
		dump_stack();
	}
	return true;
}

/* ---- slow paths ---- */

/*
 * Step 2, at the head of the OSQ (or as the first waiter, see below).
 * Preemption is off: a spinner cannot be switched out while it spins (it
 * would then wait without trying), and need_resched() is its signal to
 * stop. The owner may unlock, exit and drop its last reference while we
 * look at owner->on_cpu: a task is freed only after an RCU grace period
 * (put_task_struct), and we are an RCU reader, so the read is of a live
 * (if finished) task, and the next read of `owner` notices the change.
 */
enum spin_result { SPIN_TAKEN, SPIN_FAILED, SPIN_RESCHED };

static enum spin_result spin_on_owner(struct mutex *lock, bool first_waiter,
				      uint64_t *deadline)
{
	for (unsigned long spins = 0;; spins++) {
		long v = atomic_long_read(&lock->owner);
		struct task_struct *owner = owner_task(v);
		if (!owner) {
			if ((v & MUTEX_FLAG_HANDOFF) && !first_waiter)
				return SPIN_FAILED;	/* reserved for the first waiter */
			if (mutex_try_acquire(lock, first_waiter))
				return SPIN_TAKEN;
			continue;
		}
		if (!READ_ONCE(owner->on_cpu))
			return SPIN_FAILED;
		if (need_resched())
			return SPIN_RESCHED;
		/* The clock is slower than a load (under QEMU each read takes
		 * a lock that all emulated CPUs share): a short spin never
		 * reads it; the limit starts after 64 polls. */
		if ((spins & 63) == 63) {
			uint64_t now = ktime_get_ns();
			if (!*deadline)
				*deadline = now + MUTEX_SPIN_NS;
			else if (now > *deadline)
				return SPIN_FAILED;
		}
		for (int i = (v & MUTEX_FLAGS) ? 1 : MUTEX_SPIN_PAUSES; i > 0; i--)
			cpu_relax();
	}
}

static enum spin_result mutex_spin_on_owner(struct mutex *lock, bool first_waiter,
					    uint64_t *deadline)
{
	rcu_read_lock();		/* owner's task struct stays */
	enum spin_result r = spin_on_owner(lock, first_waiter, deadline);
	rcu_read_unlock();
	return r;
}

/* Worth spinning at all: the mutex is held by a task that is running. */
static bool mutex_can_spin_on_owner(struct mutex *lock)
{
	rcu_read_lock();
	struct task_struct *owner = owner_task(atomic_long_read(&lock->owner));
	bool running = !owner || READ_ONCE(owner->on_cpu);
	rcu_read_unlock();
	return running;
}

/*
 * When our CPU is wanted (or our slice is up) we leave the queue, let the
 * scheduler run, and then go on if time is left: the queue must not wait
 * for a spinner that was switched out.
 */
static bool mutex_optimistic_spin(struct mutex *lock, bool first_waiter)
{
	uint64_t deadline = 0;
	enum spin_result r;

	preempt_disable();
	for (;;) {
		if (!mutex_can_spin_on_owner(lock)) {
			r = SPIN_FAILED;
			break;
		}
		if (first_waiter) {
			r = mutex_spin_on_owner(lock, true, &deadline);
		} else if (osq_lock(&lock->osq)) {
			r = mutex_spin_on_owner(lock, false, &deadline);
			osq_unlock(&lock->osq);
		} else {
			r = SPIN_RESCHED;	/* osq_lock() gave up */
		}
		if (r != SPIN_RESCHED)
			break;
		preempt_enable();	/* the scheduler runs here */
		preempt_disable();
		uint64_t now = ktime_get_ns();
		if (!deadline) {
			deadline = now + MUTEX_SPIN_NS;	/* short spins, or only queued */
		} else if (now > deadline) {
			r = SPIN_FAILED;
			break;
		}
	}
	preempt_enable();
	return r == SPIN_TAKEN;
}

static bool first_in_line(struct mutex *lock, struct mutex_waiter *w)
{
	return list_first_entry(&lock->wait_list, struct mutex_waiter, list) == w;
}

/*
 * Step 3. Returns 0 with the mutex, or -EINTR: sleeping in an
 * interruptible `state`, a signal (kthread_stop()) came. The check comes
 * after the first waiter's try, under wait_lock, as in Linux: a first
 * waiter that leaves saw the mutex held, so its owner's release will wake
 * the next first waiter - no wake-up meant for us is lost with us.
 */
static int mutex_lock_sleep(struct mutex *lock, long state)
{
	struct mutex_waiter w = { .task = current };
	bool woken = false, spun = false;
	int ret = 0;

	spin_lock(&lock->wait_lock);
	list_add_tail(&w.list, &lock->wait_list);
	mutex_set_flags(lock, MUTEX_FLAG_WAITERS, 0);	/* before the last try */
	for (;;) {
		bool first = first_in_line(lock, &w);
		if (first && mutex_try_acquire(lock, true))
			break;
		if (signal_pending_state(state, current)) {
			/* A hand-off we reserved is ours to cancel: nobody
			 * else could take the mutex while it stays set. */
			if (first)
				mutex_set_flags(lock, 0, MUTEX_FLAG_HANDOFF);
			ret = -EINTR;
			break;
		}
		if (first && woken && !spun) {
			/* Woken and beaten: reserve the next release for us,
			 * and wait for it spinning while the owner runs, so
			 * the release finds us awake. */
			mutex_set_flags(lock, MUTEX_FLAG_HANDOFF, 0);
			spin_unlock(&lock->wait_lock);
			bool got = mutex_optimistic_spin(lock, true);
			spin_lock(&lock->wait_lock);
			spun = true;
			if (got)
				break;
			continue;
		}
		set_current_state(state);
		w.wake_sent = false;	/* the next release must wake us */
		spin_unlock(&lock->wait_lock);
		lockstat_mutex(&lock->stat, LOCKSTAT_SLEEP);
		schedule();
		lockstat_mutex(&lock->stat, LOCKSTAT_WOKEN);
		spin_lock(&lock->wait_lock);
		woken = true;
		spun = false;
	}
	list_del(&w.list);
	if (list_empty(&lock->wait_list))
		mutex_set_flags(lock, 0, MUTEX_FLAG_WAITERS);
	__set_current_state(TASK_RUNNING);
	spin_unlock(&lock->wait_lock);
	if (woken) {
		this_cpu_inc(mutex_slept);
		lockstat_mutex(&lock->stat, LOCKSTAT_SLEPT);
	}
	return ret;
}

static __noinline int mutex_lock_slow(struct mutex *lock, long state)
{
	uint64_t wait_start = lockstat_contended(&lock->stat);
	int ret = 0;

	debug_check_recursion(lock);
	jitter_point();
	lockstat_mutex(&lock->stat, LOCKSTAT_SPUN);
	if (mutex_optimistic_spin(lock, false)) {
		this_cpu_inc(mutex_spin_acquired);
		lockstat_mutex(&lock->stat, LOCKSTAT_SPIN_WON);
	} else {
		ret = mutex_lock_sleep(lock, state);
	}
	if (!ret)
		lockstat_acquired(&lock->stat, wait_start);
	return ret;
}

/*
 * A flag is set: release (owner = none, flags kept), then wake the first
 * waiter so that it tries again. The release comes first: a running
 * contender may take the mutex meanwhile (unless HANDOFF reserves it).
 */
static __noinline void mutex_unlock_slow(struct mutex *lock)
{
	mutex_set_flags(lock, 0, ~MUTEX_FLAGS);
	spin_lock(&lock->wait_lock);
	if (!list_empty(&lock->wait_list)) {
		struct mutex_waiter *first = list_first_entry(&lock->wait_list,
							      struct mutex_waiter, list);
		/* Until it runs, waking it again is wasted work: it will
		 * try again anyway, and re-arm wake_sent before sleeping. */
		if (!first->wake_sent) {
			first->wake_sent = true;
			wake_up_process(first->task);
		}
	}
	spin_unlock(&lock->wait_lock);
}

/* ---- the API ---- */

static __always_inline int __mutex_lock(struct mutex *lock, unsigned int subclass,
					unsigned long ip, long state)
{
	(void)subclass;
	(void)ip;
	might_sleep();
	mutex_acquire(&lock->dep_map, (int)subclass, false, ip);	/* before we may deadlock */
	if (likely(mutex_trylock_fast(lock))) {
		lockstat_acquired(&lock->stat, 0);
		return 0;
	}
	int ret = mutex_lock_slow(lock, state);	/* with its own hooks */
	if (ret)
		mutex_release(&lock->dep_map, ip);	/* not ours after all */
	return ret;
}

void mutex_lock(struct mutex *lock)
{
	__mutex_lock(lock, 0, _RET_IP_, TASK_UNINTERRUPTIBLE);
}

void mutex_lock_nested(struct mutex *lock, unsigned int subclass)
{
	__mutex_lock(lock, subclass, _RET_IP_, TASK_UNINTERRUPTIBLE);
}

int mutex_lock_interruptible(struct mutex *lock)
{
	return __mutex_lock(lock, 0, _RET_IP_, TASK_INTERRUPTIBLE);
}

int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass)
{
	return __mutex_lock(lock, subclass, _RET_IP_, TASK_INTERRUPTIBLE);
}

int mutex_trylock(struct mutex *lock)
{
	if (!mutex_try_acquire(lock, false))
		return 0;
	mutex_acquire(&lock->dep_map, 0, true, _RET_IP_);
	lockstat_acquired(&lock->stat, 0);
	return 1;
}

/* Lock events on (lockstat, the trace): the hook sees the mutex still
 * held, then the release. Out of line, so that the fast path below
 * needs no stack frame to keep `lock` across the hook's call. */
static __always_inline void mutex_release_owner(struct mutex *lock)
{
	long me = (long)current;

	if (!atomic_long_try_cmpxchg(&lock->owner, &me, 0))
		mutex_unlock_slow(lock);	/* a flag is set */
}

static __noinline void mutex_unlock_hooked(struct mutex *lock)
{
	lockstat_release(&lock->stat);
	mutex_release_owner(lock);
}

void mutex_unlock(struct mutex *lock)
{
	mutex_release(&lock->dep_map, _RET_IP_);
	if (!debug_check_unlock(lock))
		return;
	if (static_branch_unlikely(&lock_events_key)) {
		mutex_unlock_hooked(lock);
		return;
	}
	mutex_release_owner(lock);
}

void mutex_get_stats(struct mutex_stats *s)
{
	int cpu;

	s->spin_acquired = s->slept = 0;
	for_each_possible_cpu(cpu) {
		s->spin_acquired += per_cpu(mutex_spin_acquired, cpu);
		s->slept += per_cpu(mutex_slept, cpu);
	}
}
