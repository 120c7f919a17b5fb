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
#include "kernel/counter.h"
#include "kernel/cpumask.h"
#include "kernel/jitter.h"
#include "sync/atomic.h"
#include "sync/percpu.h"
#include "sync/spinlock.h"
#include "sync/ticket_lock.h"
#include "sync/mutex.h"
#include "tests/assignment.h"

/*
 * The loop every mode runs: `body` iters times. jitter=SEED (a teaching
 * aid for replaying races) adds a perturbation point per iteration; the
 * test is made once, outside the loop, so the normal loop measures the
 * body alone.
 */
#define COUNTER_LOOP(iters, ...)  /* the body may contain commas */   \
	do {                                                        \
		if (unlikely(jitter_enabled)) {                     \
			for (long i__ = 0; i__ < (iters); i__++) {  \
				__VA_ARGS__;                        \
				__jitter_point();                   \
			}                                           \
		} else {                                            \
			for (long i__ = 0; i__ < (iters); i__++) {  \
				__VA_ARGS__;                        \
			}                                           \
		}                                                   \
	} while (0)

/*
 * Each mode's function is aligned to 256 bytes (each is shorter than that),
 * so its loop never straddles a 4 KiB page. Under QEMU a loop that
 * crosses a page boundary cannot jump back to itself directly and runs
 * about ten times slower with more than one CPU - an emulator artefact
 * that would otherwise come and go with unrelated code changes.
 */
#define MODE_LOOP __aligned(256) __noinline

static long counter __cacheline_aligned;
static spinlock_t counter_spinlock __cacheline_aligned;
static ticket_spinlock_t counter_ticket __cacheline_aligned;
static struct mutex counter_mutex __cacheline_aligned;
static atomic_long_t counter_atomic __cacheline_aligned;
static DEFINE_PER_CPU_ALIGNED(long, counter_percpu);

/* ---- none: no protection at all ---- */
static MODE_LOOP void none_op(long iters, long delta)
{
	COUNTER_LOOP(iters, { counter += delta; barrier(); });
}

/* ---- spinlock: test-and-test-and-set on xchg ---- */
static MODE_LOOP void spinlock_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		spin_lock(&counter_spinlock);
		counter += delta;
		spin_unlock(&counter_spinlock);
	});
}

/* ---- ticket: a fair, first-come first-served spinlock ---- */
static MODE_LOOP void ticket_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		ticket_spin_lock(&counter_ticket);
		counter += delta;
		ticket_spin_unlock(&counter_ticket);
	});
}

/* ---- mutex: sleeps when the owner is not running ---- */
static MODE_LOOP void mutex_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		mutex_lock(&counter_mutex);
		counter += delta;
		mutex_unlock(&counter_mutex);
	});
}

/* ---- atomic: one lock-prefixed add ---- */
static MODE_LOOP void atomic_op(long iters, long delta)
{
	COUNTER_LOOP(iters, atomic_long_add(delta, &counter_atomic));
}

/* ---- cmpxchg: a compare-and-swap loop (assignment 6) ---- */
static MODE_LOOP void cmpxchg_op(long iters, long delta)
{
	/* BEGIN SOLUTION */
	COUNTER_LOOP(iters, {
		long old = READ_ONCE(counter), seen;
		/* cmpxchg returns what it found: old if our update went in. */
		while ((seen = cmpxchg(&counter, old, old + delta)) != old)
			old = seen;
	});
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("counter_mode"); (void)iters; (void)delta; */
}

/* ---- percpu: each CPU its own counter, summed at the end ---- */
static MODE_LOOP void percpu_op(long iters, long delta)
{
	COUNTER_LOOP(iters, this_cpu_add(counter_percpu, delta)); /* one %gs: add */
}

/* ---- percpu_getcpu: the same, the long way, as the lab writes it ---- */
static MODE_LOOP void percpu_getcpu_op(long iters, long delta)
{
	COUNTER_LOOP(iters, {
		int cpu = get_cpu();			/* no migration now */
		(*per_cpu_ptr(&counter_percpu, cpu)) += delta;
		put_cpu();
	});
}

static void plain_reset(void)
{
	counter = 0;
	spin_lock_init(&counter_spinlock);
	ticket_spin_lock_init(&counter_ticket);
	mutex_init(&counter_mutex);
}

static long plain_read(void)
{
	return READ_ONCE(counter);
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

const struct counter_mode counter_modes[] = {
	MODE("none", "counter++ with no protection (loses updates on SMP)",
	     plain_reset, none_op, plain_read),
	MODE("atomic", "atomic_long_add: one lock-prefixed instruction",
	     atomic_reset, atomic_op, atomic_read_value),
	MODE("spinlock", "spin_lock: test-and-test-and-set on xchg",
	     plain_reset, spinlock_op, plain_read),
	MODE("ticket", "ticket_spin_lock: fair FIFO spinlock",
	     plain_reset, ticket_op, plain_read),
	MODE("mutex", "mutex_lock: sleeping lock with optimistic spinning",
	     plain_reset, mutex_op, plain_read),
	MODE("cmpxchg", "a compare-and-swap loop (assignment 6)",
	     plain_reset, cmpxchg_op, plain_read, .assignment = "counter_mode"),
	MODE("percpu", "this_cpu_add on a per-CPU counter, summed at the end",
	     percpu_reset, percpu_op, percpu_sum),
	MODE("percpu_getcpu", "get_cpu(); (*per_cpu_ptr(&c, cpu)) += d; put_cpu();",
	     percpu_reset, percpu_getcpu_op, percpu_sum),
};
const int nr_counter_modes = ARRAY_SIZE(counter_modes);
