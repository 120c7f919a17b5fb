/*
 * counter_modes.c - the ways the counter experiment protects its counter.
 *
 * Each shared variable sits alone on its own 64-byte cache line, so the
 * numbers measure the protection, not accidental sharing with a
 * neighbour. `none` is the race the lab starts from: counter++ is a load,
 * an add and a store, and two CPUs interleaving those lose updates. The
 * barrier() stops the compiler from turning the loop into one addition
 * (as the Linux lab module does), so each iteration really touches memory.
 */
#include "lab/counter.h"
#include "kernel/cpumask.h"
#include "sync/atomic.h"
#include "sync/percpu.h"
#include "sync/spinlock.h"
#include "sync/ticket_lock.h"
#include "sync/mutex.h"
#include "sync/bkl.h"

long counter_shared __cacheline_aligned;
static spinlock_t counter_spinlock __cacheline_aligned;
/* The _bh and _irqsave modes' lock: a lock of its own, so that lockdep,
 * which remembers that it was taken in a softirq (counter.bh=1), does not
 * hold that against the plain spinlock mode's lock. */
static spinlock_t counter_bh_spinlock __cacheline_aligned;
static ticket_spinlock_t counter_ticket __cacheline_aligned;
static struct mutex counter_mutex __cacheline_aligned;
static atomic_long_t counter_atomic __cacheline_aligned;
static DEFINE_PER_CPU_ALIGNED(long, counter_percpu);

/* ---- none: no protection at all ---- */
static MODE_LOOP int none_op(long iters, long delta)
{
	COUNTER_LOOP(iters, { counter_shared += delta; barrier(); });
	return 0;
}

/* ---- irqoff: interrupts off on this CPU - no protection from the others ---- */
static MODE_LOOP int irqoff_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		unsigned long flags;
		local_irq_save(flags);		/* nothing can interrupt us here... */
		counter_shared += delta;	/* ...but other CPUs run on */
		local_irq_restore(flags);
	});
	return 0;
}

/* ---- spinlock: test-and-test-and-set on xchg ---- */
static MODE_LOOP int spinlock_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		spin_lock(&counter_spinlock);
		counter_shared += delta;
		spin_unlock(&counter_spinlock);
	});
	return 0;
}

/* ---- spinlock_bh: the same, bottom halves off while held ---- */
static MODE_LOOP int spinlock_bh_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		spin_lock_bh(&counter_bh_spinlock);	/* no softirq here now */
		counter_shared += delta;
		spin_unlock_bh(&counter_bh_spinlock);	/* runs what was raised */
	});
	return 0;
}

/* ---- spinlock_irqsave: the same, interrupts off while held ---- */
static MODE_LOOP int spinlock_irqsave_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		unsigned long flags;
		spin_lock_irqsave(&counter_bh_spinlock, flags);
		counter_shared += delta;
		spin_unlock_irqrestore(&counter_bh_spinlock, flags);
	});
	return 0;
}

/* ---- ticket: a fair, first-come first-served spinlock ---- */
static MODE_LOOP int ticket_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		ticket_spin_lock(&counter_ticket);
		counter_shared += delta;
		ticket_spin_unlock(&counter_ticket);
	});
	return 0;
}

/* ---- mutex: sleeps when the owner is not running ---- */
static MODE_LOOP int mutex_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		mutex_lock(&counter_mutex);
		counter_shared += delta;
		mutex_unlock(&counter_mutex);
	});
	return 0;
}

/* ---- atomic: one lock-prefixed add ---- */
static MODE_LOOP int atomic_op(long iters, long delta)
{
	COUNTER_LOOP(iters, atomic_long_add(delta, &counter_atomic));
	return 0;
}

/* ---- percpu: each CPU its own counter, summed at the end ---- */
static MODE_LOOP int percpu_op(long iters, long delta)
{
	COUNTER_LOOP(iters, this_cpu_add(counter_percpu, delta)); /* one %gs: add */
	return 0;
}

/* ---- percpu_getcpu: the same, the long way, as the lab writes it ---- */
static MODE_LOOP int percpu_getcpu_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		int cpu = get_cpu();			/* no migration now */
		(*per_cpu_ptr(&counter_percpu, cpu)) += delta;
		put_cpu();
	});
	return 0;
}

/* ---- bkl: each CPU's own counter, under the one big kernel lock ----
 * The data need no lock at all (see percpu): the cost is the BKL's
 * alone - what every subsystem paid when it ran under it. */
static MODE_LOOP int bkl_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		lock_kernel();
		this_cpu_add(counter_percpu, delta);
		unlock_kernel();
	});
	return 0;
}

/* ---- counter.bh=1: what the timers do, each with its mode's protection.
 * A softirq runs with interrupts on: the modes that take the lock with
 * plain spin_lock can be interrupted while holding it, and the softirq
 * below then spins on its own CPU's lock. ---- */
static void shared_bh(void)
{
	counter_shared++;
}

static void spinlock_bh_side(void)
{
	spin_lock(&counter_spinlock);	/* in softirq: bottom halves are off */
	counter_shared++;
	spin_unlock(&counter_spinlock);
}

static void bh_spinlock_bh_side(void)
{
	spin_lock(&counter_bh_spinlock);
	counter_shared++;
	spin_unlock(&counter_bh_spinlock);
}

static void ticket_bh_side(void)
{
	ticket_spin_lock(&counter_ticket);
	counter_shared++;
	ticket_spin_unlock(&counter_ticket);
}

static void atomic_bh(void)
{
	atomic_long_inc(&counter_atomic);
}

static void percpu_bh(void)
{
	this_cpu_inc(counter_percpu);	/* one instruction: irq-safe */
}

/* The shared counter, and the locks that guard it in the modes above. */
void counter_shared_reset(void)
{
	counter_shared = 0;
	spin_lock_init(&counter_spinlock);
	spin_lock_init(&counter_bh_spinlock);
	ticket_spin_lock_init(&counter_ticket);
	mutex_init(&counter_mutex);
}

long counter_shared_read(void)
{
	return READ_ONCE(counter_shared);
}

static void atomic_reset(void)
{
	atomic_long_set(&counter_atomic, 0);
}

static long atomic_read_value(void)
{
	return atomic_long_read(&counter_atomic);
}

static void percpu_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		per_cpu(counter_percpu, cpu) = 0;
}

static long percpu_sum(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(per_cpu(counter_percpu, cpu));
	return sum;
}

#define MODE(n, w, res, o, rd, ...) \
	{ .name = n, .what = w, .reset = res, .op = o, .read = rd, __VA_ARGS__ }

/* To add a mode: its loop above, and one line here. */
const struct counter_mode counter_modes[] = {
	MODE("none", "counter++ with no protection (loses updates on SMP)",
	     counter_shared_reset, none_op, counter_shared_read, .unprotected = true,
	     .bh_op = shared_bh),
	MODE("irqoff", "local_irq_save; counter++: enough on one CPU, not on SMP",
	     counter_shared_reset, irqoff_op, counter_shared_read, .unprotected = true,
	     .bh_op = shared_bh),
	MODE("atomic", "atomic_long_add: one lock-prefixed instruction",
	     atomic_reset, atomic_op, atomic_read_value, .bh_op = atomic_bh),
	MODE("spinlock", "spin_lock: test-and-test-and-set on xchg",
	     counter_shared_reset, spinlock_op, counter_shared_read,
	     .bh_op = spinlock_bh_side, .bh_deadlocks = true),
	MODE("spinlock_bh", "spin_lock_bh: the same, bottom halves off while held",
	     counter_shared_reset, spinlock_bh_op, counter_shared_read,
	     .bh_op = bh_spinlock_bh_side),
	MODE("spinlock_irqsave", "spin_lock_irqsave: the same, interrupts off while held",
	     counter_shared_reset, spinlock_irqsave_op, counter_shared_read,
	     .bh_op = bh_spinlock_bh_side),
	MODE("ticket", "ticket_spin_lock: fair FIFO spinlock",
	     counter_shared_reset, ticket_op, counter_shared_read,
	     .bh_op = ticket_bh_side, .bh_deadlocks = true),
	MODE("mutex", "mutex_lock: sleeping lock with optimistic spinning",
	     counter_shared_reset, mutex_op, counter_shared_read),
	MODE("percpu", "this_cpu_add on a per-CPU counter, summed at the end",
	     percpu_reset, percpu_op, percpu_sum, .bh_op = percpu_bh),
	MODE("percpu_getcpu", "get_cpu(); (*per_cpu_ptr(&c, cpu)) += d; put_cpu();",
	     percpu_reset, percpu_getcpu_op, percpu_sum, .bh_op = percpu_bh),
	MODE("bkl", "lock_kernel(); this CPU's own counter += d: one lock for all",
	     percpu_reset, bkl_op, percpu_sum),
};
const int nr_counter_modes = ARRAY_SIZE(counter_modes);
