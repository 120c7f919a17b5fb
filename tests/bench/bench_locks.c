/*
 * bench_locks.c - what a lock costs: `bench=locks.*`.
 *
 * locks.uncontended: one thread, 10^6 lock+unlock pairs per lock type,
 *   nothing else running: the price of the fast path (in debug builds,
 *   including the lock debugging and lockdep; RELEASE=1 shows the bare
 *   cost).
 * locks.contended: two threads bound to two CPUs, each doing N
 *   lock+unlock pairs around a tiny critical section (one increment), both
 *   started together; ns per pair = wall time / (2 N). Skipped on one CPU.
 *   For the mutex the line also says how contended acquisitions ended
 *   (optimistic spinning or sleeping).
 */
#include "tests/kbench.h"
#include "sched/sched.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/spinlock.h"
#include "sync/ticket_lock.h"
#include "sync/rwlock.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"
#include "sync/rwsem.h"

#define UNCONTENDED_PAIRS 1000000
#define CONTENDED_PAIRS 100000

static DEFINE_SPINLOCK(b_spin);
static DEFINE_TICKET_SPINLOCK(b_ticket);
static DEFINE_RWLOCK(b_rwlock);
static DEFINE_MUTEX(b_mutex);
static DEFINE_SEMAPHORE(b_sem, 1);
static DECLARE_RWSEM(b_rwsem);

static void spin_l(void) { spin_lock(&b_spin); }
static void spin_u(void) { spin_unlock(&b_spin); }
static void ticket_l(void) { ticket_spin_lock(&b_ticket); }
static void ticket_u(void) { ticket_spin_unlock(&b_ticket); }
static void wlock_l(void) { write_lock(&b_rwlock); }
static void wlock_u(void) { write_unlock(&b_rwlock); }
static void rlock_l(void) { read_lock(&b_rwlock); }
static void rlock_u(void) { read_unlock(&b_rwlock); }
static void mutex_l(void) { mutex_lock(&b_mutex); }
static void mutex_u(void) { mutex_unlock(&b_mutex); }
static void sem_l(void) { down(&b_sem); }
static void sem_u(void) { up(&b_sem); }
static void wsem_l(void) { down_write(&b_rwsem); }
static void wsem_u(void) { up_write(&b_rwsem); }
static void rsem_l(void) { down_read(&b_rwsem); }
static void rsem_u(void) { up_read(&b_rwsem); }

static const struct bench_lock {
	const char *name;
	void (*lock)(void);
	void (*unlock)(void);
} bench_locks[] = {
	{ "spinlock", spin_l, spin_u },
	{ "ticket", ticket_l, ticket_u },
	{ "rwlock_write", wlock_l, wlock_u },
	{ "rwlock_read", rlock_l, rlock_u },
	{ "mutex", mutex_l, mutex_u },
	{ "semaphore", sem_l, sem_u },
	{ "rwsem_write", wsem_l, wsem_u },
	{ "rwsem_read", rsem_l, rsem_u },
};

KBENCH(locks, uncontended)
{
	char name[64];

	for (unsigned i = 0; i < ARRAY_SIZE(bench_locks); i++) {
		const struct bench_lock *b = &bench_locks[i];
		uint64_t t0 = ktime_get_ns();
		for (int n = 0; n < UNCONTENDED_PAIRS; n++) {
			b->lock();
			b->unlock();
		}
		uint64_t ns = ktime_get_ns() - t0;
		snprintf(name, sizeof(name), "locks.uncontended.%s", b->name);
		kbench_report(name, ns, UNCONTENDED_PAIRS, "");
	}
}

static volatile long contended_counter;	/* the tiny critical section */

static void contend_fn(int id, void *arg)
{
	const struct bench_lock *b = arg;

	(void)id;
	for (int n = 0; n < CONTENDED_PAIRS; n++) {
		b->lock();
		contended_counter++;
		b->unlock();
	}
}

static void contend(const struct bench_lock *b)
{
	struct mutex_stats before, after;
	char name[64], extra[96] = "";

	mutex_get_stats(&before);
	uint64_t ns = kbench_on_two_cpus(contend_fn, (void *)b);
	if (!ns)
		return;
	mutex_get_stats(&after);
	if (b->lock == mutex_l)
		snprintf(extra, sizeof(extra), "spun=%lu slept=%lu",
			 after.spin_acquired - before.spin_acquired,
			 after.slept - before.slept);
	snprintf(name, sizeof(name), "locks.contended2.%s", b->name);
	kbench_report(name, ns, 2 * CONTENDED_PAIRS, extra);
}

KBENCH(locks, contended)
{
	if (num_online_cpus() < 2) {
		printk(KERN_INFO "bench: locks.contended needs 2 CPUs: skipped\n");
		return;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(bench_locks); i++)
		contend(&bench_locks[i]);
}
