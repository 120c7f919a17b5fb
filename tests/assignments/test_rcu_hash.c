/*
 * test_rcu_hash.c - grading tests for assignment 5, the RCU hash table.
 *
 * Readers on every CPU look keys up while two writers insert and remove
 * others. Three things would show a wrong solution:
 *  - a key that is present throughout goes missing (a reader walked off
 *    the list: an entry unlinked or reused under it);
 *  - a lookup returns a value that is not its key's (a half-built entry,
 *    or one freed and reused for another key);
 *  - a checker walking the buckets the way readers do meets an entry
 *    whose magic is gone (freed with kfree() before the grace period
 *    ended; kfree() poisons freed memory).
 */
#include "tests/ktest.h"
#include "assignments/assignment.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/time.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "assignments/rcu_hash.h"
#include "sync/rculist.h"

static struct rcu_hash table;

KTEST(assignment_rcu_hash, basic)
{
	long v = 0;

	rcu_hash_init(&table);
	int r = rcu_hash_insert(&table, 7, 70);
	KASSERT_IMPLEMENTED("rcu_hash");
	KASSERT_EQ(r, 0);
	KASSERT(rcu_hash_lookup(&table, 7, &v));
	KASSERT_EQ(v, 70);
	KASSERT_EQ(rcu_hash_insert(&table, 7, 71), -EEXIST);
	KASSERT(rcu_hash_lookup(&table, 7, &v));
	KASSERT_EQ(v, 70);			/* the duplicate changed nothing */
	KASSERT(!rcu_hash_lookup(&table, 8, &v));
	KASSERT_EQ(rcu_hash_insert(&table, 7 + RCU_HASH_BUCKETS, 1), 0); /* same bucket */
	KASSERT_EQ(rcu_hash_insert(&table, -7, 2), 0);	/* negative keys too */
	KASSERT_EQ(rcu_hash_remove(&table, 7), 0);
	KASSERT(!rcu_hash_lookup(&table, 7, &v));
	KASSERT(rcu_hash_lookup(&table, 7 + RCU_HASH_BUCKETS, &v));
	KASSERT_EQ(v, 1);
	KASSERT(rcu_hash_lookup(&table, -7, &v));
	KASSERT_EQ(v, 2);
	KASSERT_EQ(rcu_hash_remove(&table, 7), -ENOENT);
	KASSERT_EQ(rcu_hash_remove(&table, 7 + RCU_HASH_BUCKETS), 0);
	KASSERT_EQ(rcu_hash_remove(&table, -7), 0);
	rcu_barrier();			/* the removed entries are freed */
}

#define STABLE 32		/* keys 0..31 stay present throughout */
#define CHURN 256		/* keys 1000.. come and go */
#define CHURN_BASE 1000

static bool stop;
static atomic_t missing, bad_value, freed_seen;
static atomic_long_t lookups, updates;
static DECLARE_COMPLETION(go);

/* Walk one bucket as a reader does, checking each entry before stepping
 * on: an entry freed too early has lost its magic. */
static void check_bucket(int b)
{
	struct rcu_hash_entry *e;

	rcu_read_lock();
	list_for_each_entry_rcu(e, &table.buckets[b], node) {
		if (READ_ONCE(e->magic) != RCU_HASH_ENTRY_MAGIC) {
			atomic_inc(&freed_seen);
			break;		/* its `next` is poison too */
		}
		/* Stand on the entry a while: a remover that frees it before
		 * the grace period does so under our feet, and stepping on
		 * reads freed memory (poison; under KASAN, a report). */
		udelay(20);
	}
	rcu_read_unlock();
}

static int reader(void *arg)
{
	uint64_t seed = (uintptr_t)arg + 1;
	long n = 0;

	wait_for_completion(&go);
	while (!READ_ONCE(stop)) {
		long v, k = (long)(ktest_rand(&seed) % STABLE);
		if (!rcu_hash_lookup(&table, k, &v))
			atomic_inc(&missing);
		else if (v != k * 10)
			atomic_inc(&bad_value);
		k = CHURN_BASE + (long)(ktest_rand(&seed) % CHURN);
		if (rcu_hash_lookup(&table, k, &v) && v != k * 10)
			atomic_inc(&bad_value);
		check_bucket((int)(ktest_rand(&seed) % RCU_HASH_BUCKETS));
		n += 2;
	}
	atomic_long_add(n, &lookups);
	return 0;
}

static int writer(void *arg)
{
	uint64_t seed = (uintptr_t)arg + 99;
	long n = 0;

	wait_for_completion(&go);
	while (!READ_ONCE(stop)) {
		long k = CHURN_BASE + (long)(ktest_rand(&seed) % CHURN);
		if (rcu_hash_insert(&table, k, k * 10) == -EEXIST)
			rcu_hash_remove(&table, k);
		n++;		/* preemptible: at -smp 1 the timer shares the CPU */
	}
	atomic_long_add(n, &updates);
	return 0;
}

KTEST(assignment_rcu_hash, readers_never_see_freed_entries)
{
	int nr = MIN(num_online_cpus(), 4);
	struct task_struct *t[6];
	long v;

	rcu_hash_init(&table);
	rcu_hash_lookup(&table, 0, &v);
	KASSERT_IMPLEMENTED("rcu_hash");
	for (long k = 0; k < STABLE; k++)
		KASSERT_EQ(rcu_hash_insert(&table, k, k * 10), 0);
	atomic_set(&missing, 0);
	atomic_set(&bad_value, 0);
	atomic_set(&freed_seen, 0);
	atomic_long_set(&lookups, 0);
	atomic_long_set(&updates, 0);
	WRITE_ONCE(stop, false);
	reinit_completion(&go);
	for (int i = 0; i < nr; i++)
		t[i] = ktest_kthread_run(reader, (void *)(uintptr_t)i, "hreader%d", i);
	t[nr] = ktest_kthread_run(writer, (void *)0, "hwriter0");
	t[nr + 1] = ktest_kthread_run(writer, (void *)1, "hwriter1");
	for (int i = 0; i < nr + 2; i++)
		KASSERT(t[i]);
	complete_all(&go);
	msleep(IS_ENABLED(CONFIG_KASAN) || IS_ENABLED(CONFIG_KCSAN) ? 1600 : 400);	/* as many rounds */
	WRITE_ONCE(stop, true);
	for (int i = 0; i < nr + 2; i++)
		ktest_join(t[i]);
	ktest_info("rcu_hash: %d readers, %ld lookups, %ld inserts/removes\n",
		   nr, atomic_long_read(&lookups), atomic_long_read(&updates));
	KASSERT_EQ(atomic_read(&freed_seen), 0);
	KASSERT_EQ(atomic_read(&missing), 0);
	KASSERT_EQ(atomic_read(&bad_value), 0);
	KASSERT_GT(atomic_long_read(&updates), 0);	/* the writers did run */
	for (long k = 0; k < STABLE; k++)
		KASSERT_EQ(rcu_hash_remove(&table, k), 0);
	for (long k = CHURN_BASE; k < CHURN_BASE + CHURN; k++)
		rcu_hash_remove(&table, k);
	for (int b = 0; b < RCU_HASH_BUCKETS; b++)
		KASSERT(list_empty(&table.buckets[b]));
	rcu_barrier();
}
