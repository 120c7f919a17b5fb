/*
 * test_atomic.c - atomics, bitops, refcount_t, kref and per-CPU counters,
 * hammered from every CPU at once.
 *
 * The pattern: one thread per online CPU, bound to it, all released
 * together; each does M operations on shared data; the final state must
 * be exact. A lost update (two CPUs reading the same old value) shows as a
 * count that is short. One test runs the non-atomic __change_bit() the
 * same way, to show the lost updates the atomic versions prevent (printed
 * only: whether the race hits in a given run is up to the hardware).
 */
#include "sync/percpu.h"		/* first: get_cpu_var() must stand alone */
#include "tests/ktest.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/bitops.h"
#include "sync/kref.h"
#include "sync/refcount.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"

/* ---- atomics: semantics on one CPU ---- */

KTEST(atomic, semantics)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t b = ATOMIC64_INIT(1L << 40);
	atomic_long_t c = ATOMIC_LONG_INIT(-1);

	atomic_add(3, &a);
	atomic_sub(1, &a);
	atomic_inc(&a);
	atomic_dec(&a);
	KASSERT_EQ(atomic_read(&a), 7);
	KASSERT_EQ(atomic_fetch_add(2, &a), 7);		/* old value */
	KASSERT_EQ(atomic_add_return(2, &a), 11);	/* new value */
	KASSERT_EQ(atomic_fetch_sub(1, &a), 11);
	KASSERT_EQ(atomic_sub_return(10, &a), 0);
	KASSERT(!atomic_inc_and_test(&a));
	KASSERT(atomic_dec_and_test(&a));		/* 1 -> 0 */
	KASSERT(!atomic_dec_and_test(&a));		/* 0 -> -1 */
	KASSERT_EQ(atomic_xchg(&a, 42), -1);
	KASSERT_EQ(atomic_read(&a), 42);
	KASSERT_EQ(atomic_cmpxchg(&a, 41, 0), 42);	/* fails, says what it saw */
	KASSERT_EQ(atomic_read(&a), 42);
	KASSERT_EQ(atomic_cmpxchg(&a, 42, 43), 42);	/* succeeds */
	KASSERT_EQ(atomic_read(&a), 43);
	int old = 40;
	KASSERT(!atomic_try_cmpxchg(&a, &old, 50));	/* fails... */
	KASSERT_EQ(old, 43);				/* ...and updates old */
	KASSERT(atomic_try_cmpxchg(&a, &old, 50));
	KASSERT_EQ(atomic_read(&a), 50);
	KASSERT(!atomic_add_unless(&a, 1, 50));		/* at the limit */
	KASSERT(atomic_add_unless(&a, 1, 60));
	KASSERT_EQ(atomic_read(&a), 51);
	atomic_set(&a, 0);
	KASSERT(!atomic_inc_not_zero(&a));
	KASSERT_EQ(atomic_read(&a), 0);
	atomic_set(&a, 3);
	KASSERT(atomic_inc_not_zero(&a));
	KASSERT_EQ(atomic_read(&a), 4);

	/* 64 bits really are 64 bits. */
	atomic64_add(1L << 40, &b);
	KASSERT_EQ(atomic64_read(&b), 1L << 41);
	KASSERT_EQ(atomic64_fetch_add(1, &b), 1L << 41);
	KASSERT_EQ(atomic64_xchg(&b, -5), (1L << 41) + 1);
	KASSERT_EQ(atomic64_cmpxchg(&b, -5, 1L << 62), -5);
	KASSERT_EQ(atomic64_read(&b), 1L << 62);
	KASSERT(atomic_long_inc_and_test(&c));
	KASSERT_EQ(atomic_long_add_return(1L << 33, &c), 1L << 33);

	/* The generic forms, on plain variables. */
	long plain = 7, expect = 6;
	KASSERT(!try_cmpxchg(&plain, &expect, 9));	/* fails... */
	KASSERT_EQ(expect, 7);				/* ...and says what it saw */
	KASSERT(try_cmpxchg(&plain, &expect, 9));
	KASSERT_EQ(plain, 9);
	KASSERT_EQ(expect, 7);				/* untouched on success */
	unsigned int small = 1, small_old = 1;
	KASSERT(try_cmpxchg(&small, &small_old, 0xffffffffu));
	KASSERT_EQ(small, 0xffffffffu);
}

/* ---- atomics: N CPUs x M operations ---- */

#define ATOM_M 20000

static struct {
	atomic_t i __cacheline_aligned;
	atomic64_t q __cacheline_aligned;
	atomic_long_t l __cacheline_aligned;
	long cas __cacheline_aligned;		/* by a cmpxchg loop */
	long plain __cacheline_aligned;		/* lock-free and wrong */
} ctr;

static void hammer_counters(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int k = 0; k < ATOM_M; k++) {
		atomic_inc(&ctr.i);
		atomic64_add(3, &ctr.q);
		atomic_long_dec(&ctr.l);
		long seen = READ_ONCE(ctr.cas);
		while (!try_cmpxchg(&ctr.cas, &seen, seen + 1))
			;			/* somebody else won: retry */
		WRITE_ONCE(ctr.plain, READ_ONCE(ctr.plain) + 1);
	}
}

KTEST(atomic, counters_from_all_cpus_are_exact)
{
	memset(&ctr, 0, sizeof(ctr));
	int n = ktest_run_on_all_cpus(hammer_counters, NULL, true);
	KASSERT_GT(n, 0);
	long nm = (long)n * ATOM_M;
	ktest_info("atomic: %d CPUs x %d: atomic_t %d, atomic64_t %ld, atomic_long_t %ld, "
		   "cmpxchg loop %ld; plain ++ %ld (lost %ld)\n", n, ATOM_M,
		   atomic_read(&ctr.i), atomic64_read(&ctr.q), atomic_long_read(&ctr.l),
		   ctr.cas, ctr.plain, nm - ctr.plain);
	KASSERT_EQ(atomic_read(&ctr.i), nm);
	KASSERT_EQ(atomic64_read(&ctr.q), 3 * nm);
	KASSERT_EQ(atomic_long_read(&ctr.l), -nm);
	KASSERT_EQ(ctr.cas, nm);
}

/* fetch_add hands out tickets: every value 0..NM-1 exactly once. */
#define TICKETS_M 10000
static atomic_long_t ticket;
static unsigned long *ticket_seen;
static atomic_t ticket_dups;

static void take_tickets(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int k = 0; k < TICKETS_M; k++) {
		long v = atomic_long_fetch_add(1, &ticket);
		if (test_and_set_bit(v, ticket_seen))
			atomic_inc(&ticket_dups);
	}
}

KTEST(atomic, fetch_add_hands_out_distinct_values)
{
	long nm = (long)num_online_cpus() * TICKETS_M;

	ticket_seen = kzalloc(BITS_TO_LONGS(nm) * sizeof(long), GFP_KERNEL);
	KASSERT(ticket_seen);
	atomic_long_set(&ticket, 0);
	atomic_set(&ticket_dups, 0);
	KASSERT_GT(ktest_run_on_all_cpus(take_tickets, NULL, true), 0);
	long seen = 0;
	for (long w = 0; w < (long)BITS_TO_LONGS(nm); w++)
		seen += hweight_long(ticket_seen[w]);
	kfree(ticket_seen);
	KASSERT_EQ(atomic_read(&ticket_dups), 0);
	KASSERT_EQ(atomic_long_read(&ticket), nm);
	KASSERT_EQ(seen, nm);
}

/* xchg moves values, never copies or loses one: what went in (each
 * thread's own numbers, plus the initial value) is what came out. */
#define XCHG_M 10000
static atomic_long_t xchg_slot;
static atomic_long_t xchg_out_sum;

static void swap_values(int idx, void *arg)
{
	long sum = 0;

	(void)arg;
	for (int k = 1; k <= XCHG_M; k++)
		sum += atomic_long_xchg(&xchg_slot, (long)idx * 1000000 + k);
	atomic_long_add(sum, &xchg_out_sum);
}

KTEST(atomic, xchg_loses_and_duplicates_nothing)
{
	int n = num_online_cpus();
	long in = 7;

	atomic_long_set(&xchg_slot, 7);
	atomic_long_set(&xchg_out_sum, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(swap_values, NULL, true), n);
	for (int idx = 0; idx < n; idx++)
		for (int k = 1; k <= XCHG_M; k++)
			in += (long)idx * 1000000 + k;
	KASSERT_EQ(atomic_long_read(&xchg_out_sum) + atomic_long_read(&xchg_slot), in);
}

/* Of N*M dec_and_test calls on a count of N*M, exactly one sees zero;
 * add_unless never passes its limit however many CPUs push. */
#define DEC_M 10000
static atomic_t dec_count, dec_zero_hits, bounded, bounded_ok;

static void dec_and_bound(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int k = 0; k < DEC_M; k++) {
		if (atomic_dec_and_test(&dec_count))
			atomic_inc(&dec_zero_hits);
		if (atomic_add_unless(&bounded, 1, DEC_M))
			atomic_inc(&bounded_ok);
	}
}

KTEST(atomic, dec_and_test_and_add_unless_under_contention)
{
	int n = num_online_cpus();

	atomic_set(&dec_count, n * DEC_M);
	atomic_set(&dec_zero_hits, 0);
	atomic_set(&bounded, 0);
	atomic_set(&bounded_ok, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(dec_and_bound, NULL, true), n);
	KASSERT_EQ(atomic_read(&dec_count), 0);
	KASSERT_EQ(atomic_read(&dec_zero_hits), 1);
	KASSERT_EQ(atomic_read(&bounded), DEC_M);
	KASSERT_EQ(atomic_read(&bounded_ok), DEC_M);
}

/* ---- bitops ---- */

KTEST(bitops, semantics)
{
	unsigned long w[2] = { 0, 0 };

	set_bit(3, w);
	set_bit(70, w);			/* the second word */
	KASSERT_EQ(w[0], 1UL << 3);
	KASSERT_EQ(w[1], 1UL << 6);
	KASSERT(test_bit(70, w));
	KASSERT(!test_and_set_bit(5, w));	/* returns the old bit */
	KASSERT(test_and_set_bit(5, w));
	KASSERT(test_and_clear_bit(5, w));
	KASSERT(!test_and_clear_bit(5, w));
	KASSERT(!test_and_change_bit(63, w));
	KASSERT(test_bit(63, w));
	change_bit(63, w);
	clear_bit(3, w);
	KASSERT_EQ(w[0], 0);
	__set_bit(0, w);
	__change_bit(1, w);
	__clear_bit(0, w);
	KASSERT_EQ(w[0], 2);
	KASSERT_EQ(hweight_long(~0UL), 64);
	KASSERT_EQ(hweight_long(0x8000000000000001UL), 2);
}

/* Every CPU flips only its own bits, all in ONE word. */
#define FLIP_ROUNDS 20000
static unsigned long one_word;
static atomic_long_t flip_wrong;
static bool flip_nonatomic;

static void flip_bits(int idx, void *arg)
{
	int n = (int)(uintptr_t)arg;
	long wrong = 0;

	for (int r = 0; r < FLIP_ROUNDS; r++) {
		for (int b = idx; b < BITS_PER_LONG; b += n) {
			if (flip_nonatomic) {
				__set_bit(b, &one_word);
				wrong += !test_bit(b, &one_word);
				__change_bit(b, &one_word);
				wrong += test_bit(b, &one_word);
			} else {
				set_bit(b, &one_word);
				wrong += !test_bit(b, &one_word);	/* still mine */
				clear_bit(b, &one_word);
				wrong += test_bit(b, &one_word);
				change_bit(b, &one_word);
				change_bit(b, &one_word);
			}
		}
		if (r == FLIP_ROUNDS - 1)	/* end with the even bits set */
			for (int b = idx; b < BITS_PER_LONG; b += n)
				if (b % 2 == 0)
					set_bit(b, &one_word);
	}
	atomic_long_add(wrong, &flip_wrong);
}

static unsigned long even_bits(void)
{
	return 0x5555555555555555UL;
}

KTEST(bitops, atomic_bitops_on_one_word_lose_nothing)
{
	int n = MIN(num_online_cpus(), BITS_PER_LONG);

	one_word = 0;
	atomic_long_set(&flip_wrong, 0);
	flip_nonatomic = false;
	KASSERT_GT(ktest_run_on_all_cpus(flip_bits, (void *)(uintptr_t)n, true), 0);
	KASSERT_EQ(atomic_long_read(&flip_wrong), 0);
	KASSERT_EQ(one_word, even_bits());
}

/* The same with __set_bit/__change_bit: a plain read-modify-write of the
 * whole word, so one CPU can write back a stale copy of another CPU's
 * bits. Informational: printed, not asserted (it may or may not hit). */
KTEST(bitops, nonatomic_bitops_lose_updates)
{
	int n = MIN(num_online_cpus(), BITS_PER_LONG);

	one_word = 0;
	atomic_long_set(&flip_wrong, 0);
	flip_nonatomic = true;
	KASSERT_GT(ktest_run_on_all_cpus(flip_bits, (void *)(uintptr_t)n, true), 0);
	flip_nonatomic = false;
	long expect_updates = (long)FLIP_ROUNDS * BITS_PER_LONG * 2;
	ktest_info("bitops: __set_bit/__change_bit on one word from %d CPUs: %ld of %ld "
		   "checks found a bit overwritten by another CPU; final word %#lx "
		   "(exact: %#lx)%s\n", n, atomic_long_read(&flip_wrong), expect_updates,
		   one_word, even_bits(),
		   n == 1 ? " - one CPU cannot race" : "");
	if (n == 1)
		KASSERT_EQ(atomic_long_read(&flip_wrong), 0);
}

/* test_and_set_bit: of all CPUs trying the same bit, exactly one wins. */
#define TAS_ROUNDS 4096
static unsigned long tas_bits[BITS_TO_LONGS(TAS_ROUNDS)];
static atomic_t tas_winners[TAS_ROUNDS];

static void try_rounds(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int r = 0; r < TAS_ROUNDS; r++)
		if (!test_and_set_bit(r, tas_bits))
			atomic_inc(&tas_winners[r]);
}

KTEST(bitops, test_and_set_bit_one_winner_per_round)
{
	memset(tas_bits, 0, sizeof(tas_bits));
	for (int r = 0; r < TAS_ROUNDS; r++)
		atomic_set(&tas_winners[r], 0);
	KASSERT_GT(ktest_run_on_all_cpus(try_rounds, NULL, true), 0);
	for (int r = 0; r < TAS_ROUNDS; r++)
		KASSERT_MSG(atomic_read(&tas_winners[r]) == 1, "round %d: %d winners",
			    r, atomic_read(&tas_winners[r]));
}

/* A bit lock: test_and_set_bit to take, clear_bit to release, guarding a
 * plain counter. Mutual exclusion makes the plain ++ exact. */
#define BITLOCK_M 10000
static unsigned long bitlock;
static long bitlock_counter;
static atomic_t bitlock_inside, bitlock_overlap;

static void bitlock_inc(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int k = 0; k < BITLOCK_M; k++) {
		while (test_and_set_bit(0, &bitlock))
			while (test_bit(0, &bitlock))
				cpu_relax();
		if (atomic_inc_return(&bitlock_inside) != 1)
			atomic_inc(&bitlock_overlap);
		WRITE_ONCE(bitlock_counter, READ_ONCE(bitlock_counter) + 1);
		atomic_dec(&bitlock_inside);
		clear_bit(0, &bitlock);		/* locked: a full barrier */
	}
}

KTEST(bitops, test_and_set_bit_lock_excludes)
{
	int n = num_online_cpus();

	bitlock = 0;
	bitlock_counter = 0;
	atomic_set(&bitlock_inside, 0);
	atomic_set(&bitlock_overlap, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(bitlock_inc, NULL, true), n);
	KASSERT_EQ(atomic_read(&bitlock_overlap), 0);
	KASSERT_EQ(bitlock_counter, (long)n * BITLOCK_M);
}

/* ---- refcount_t ---- */

KTEST(refcount, semantics)
{
	refcount_t r = REFCOUNT_INIT(1);

	refcount_inc(&r);
	refcount_add(3, &r);
	KASSERT_EQ(refcount_read(&r), 5);
	KASSERT(refcount_inc_not_zero(&r));
	KASSERT(!refcount_sub_and_test(4, &r));
	refcount_dec(&r);
	KASSERT_EQ(refcount_read(&r), 1);
	KASSERT(refcount_dec_and_test(&r));		/* the last one */
	KASSERT_EQ(refcount_read(&r), 0);
	KASSERT(!refcount_inc_not_zero(&r));		/* dead stays dead */
	KASSERT_EQ(refcount_read(&r), 0);
}

KTEST(refcount, increment_on_zero_warns_and_saturates)
{
	refcount_t r = REFCOUNT_INIT(0);
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	refcount_inc(&r);				/* planted: use after free */
	KASSERT(ktest_log_contains(mark, "refcount_t: increment on 0; use-after-free."));
	KASSERT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
	/* Saturated it stays, and it never again reaches 0 (no free). */
	mark = ktest_log_mark();
	KASSERT(!refcount_dec_and_test(&r));
	refcount_inc(&r);
	KASSERT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
	KASSERT(!ktest_log_contains(mark, "refcount_t:"));	/* reported once */

	refcount_set(&r, 0);
	mark = ktest_log_mark();
	refcount_add(2, &r);
	KASSERT(ktest_log_contains(mark, "refcount_t: addition on 0; use-after-free."));
}

KTEST(refcount, underflow_warns_and_saturates)
{
	refcount_t r = REFCOUNT_INIT(1);
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	KASSERT(refcount_dec_and_test(&r));
	KASSERT(!refcount_dec_and_test(&r));		/* planted: one put too many */
	KASSERT(ktest_log_contains(mark, "refcount_t: underflow; use-after-free."));
	KASSERT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);

	refcount_set(&r, 1);
	mark = ktest_log_mark();
	refcount_dec(&r);				/* planted: drops the last ref */
	KASSERT(ktest_log_contains(mark, "refcount_t: decrement hit 0; leaking memory."));
	KASSERT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
}

KTEST(refcount, overflow_saturates_instead_of_wrapping)
{
	refcount_t r = REFCOUNT_INIT(REFCOUNT_MAX);
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	refcount_inc(&r);				/* would wrap to INT_MIN */
	KASSERT(ktest_log_contains(mark, "refcount_t: saturated; leaking memory."));
	KASSERT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
	refcount_set(&r, REFCOUNT_MAX);
	mark = ktest_log_mark();
	KASSERT(refcount_inc_not_zero(&r));
	KASSERT(ktest_log_contains(mark, "refcount_t: saturated; leaking memory."));
	KASSERT_EQ(refcount_read(&r), (unsigned int)REFCOUNT_SATURATED);
}

/* ---- kref ---- */

struct kthing {
	struct kref ref;
	long payload;
};
static atomic_t releases;
static struct kthing *kthing_freed;

static void kthing_release(struct kref *k)
{
	struct kthing *t = container_of(k, struct kthing, ref);

	atomic_inc(&releases);
	kthing_freed = t;
}

#define KREF_M 10000
static struct kthing kt;
static atomic_t kref_put_released;

static void kref_churn(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int k = 0; k < KREF_M; k++) {
		kref_get(&kt.ref);
		if (kref_put(&kt.ref, kthing_release))
			atomic_inc(&kref_put_released);	/* must never happen here */
	}
	/* Each thread holds one reference from the start: drop it. The last
	 * one to do so releases. */
	if (kref_put(&kt.ref, kthing_release))
		atomic_inc(&kref_put_released);
}

KTEST(kref, release_runs_exactly_once)
{
	int n = num_online_cpus();

	atomic_set(&releases, 0);
	atomic_set(&kref_put_released, 0);
	kthing_freed = NULL;
	kref_init(&kt.ref);
	KASSERT_EQ(kref_read(&kt.ref), 1);
	for (int i = 1; i < n; i++)
		kref_get(&kt.ref);			/* one per thread */
	KASSERT_EQ(ktest_run_on_all_cpus(kref_churn, NULL, true), n);
	KASSERT_EQ(atomic_read(&releases), 1);
	KASSERT_EQ(atomic_read(&kref_put_released), 1);
	KASSERT(kthing_freed == &kt);
	KASSERT_EQ(kref_read(&kt.ref), 0);
	KASSERT(!kref_get_unless_zero(&kt.ref));	/* a racing lookup fails */
}

/* ---- per-CPU counters ---- */

#define PCPU_M 20000
static DEFINE_PER_CPU(long, pcpu_events);
struct pcpu_pair { long a, b; };
static DEFINE_PER_CPU(struct pcpu_pair, pcpu_pairs);

static void count_per_cpu(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int k = 0; k < PCPU_M; k++) {
		get_cpu_var(pcpu_events)++;	/* read, add, write: preemption off */
		put_cpu_var(pcpu_events);
		struct pcpu_pair *p = get_cpu_ptr(&pcpu_pairs);
		p->a++;
		p->b += 2;
		put_cpu_ptr(&pcpu_pairs);
		if ((k & 1023) == 0)
			yield();		/* unbound threads: move around */
	}
}

KTEST(percpu, get_cpu_var_counts_are_exact)
{
	int cpu, n = num_online_cpus();
	long sum = 0, a = 0, b = 0;

	for_each_possible_cpu(cpu) {
		per_cpu(pcpu_events, cpu) = 0;
		per_cpu(pcpu_pairs, cpu) = (struct pcpu_pair){ 0, 0 };
	}
	int pc = preempt_count();
	get_cpu_var(pcpu_events) += 0;
	KASSERT_EQ(preempt_count(), pc + 1);		/* preemption off... */
	put_cpu_var(pcpu_events);
	KASSERT_EQ(preempt_count(), pc);		/* ...until the put */
	KASSERT_EQ(ktest_run_on_all_cpus(count_per_cpu, NULL, false), n);
	for_each_possible_cpu(cpu) {
		sum += per_cpu(pcpu_events, cpu);
		a += per_cpu(pcpu_pairs, cpu).a;
		b += per_cpu(pcpu_pairs, cpu).b;
	}
	KASSERT_EQ(sum, (long)n * PCPU_M);
	KASSERT_EQ(a, (long)n * PCPU_M);
	KASSERT_EQ(b, 2L * n * PCPU_M);
}

/* ---- the bitwise operations and their fetch_ forms ---- */

KTEST(atomic, bitwise_ops_and_fetch_forms)
{
	atomic_t a = ATOMIC_INIT(0x0f);

	atomic_or(0x30, &a);
	KASSERT_EQ(atomic_read(&a), 0x3f);
	atomic_and(0x3c, &a);
	KASSERT_EQ(atomic_read(&a), 0x3c);
	atomic_andnot(0x0c, &a);
	KASSERT_EQ(atomic_read(&a), 0x30);
	atomic_xor(0x11, &a);
	KASSERT_EQ(atomic_read(&a), 0x21);
	KASSERT_EQ(atomic_fetch_or(0x02, &a), 0x21);	/* old value back */
	KASSERT_EQ(atomic_fetch_and(0x03, &a), 0x23);
	KASSERT_EQ(atomic_fetch_andnot(0x01, &a), 0x03);
	KASSERT_EQ(atomic_fetch_xor(0x06, &a), 0x02);
	KASSERT_EQ(atomic_read(&a), 0x04);
	KASSERT_EQ(atomic_fetch_add_relaxed(1, &a), 0x04);
	KASSERT_EQ(atomic_inc_return_acquire(&a), 0x06);
	KASSERT_EQ(atomic_xchg_release(&a, 9), 6);
	atomic_set_release(&a, 11);
	KASSERT_EQ(atomic_read_acquire(&a), 11);

	atomic64_t q = ATOMIC64_INIT(1L << 40);
	KASSERT_EQ(atomic64_fetch_or(1, &q), 1L << 40);
	atomic64_andnot(1L << 40, &q);
	KASSERT_EQ(atomic64_read(&q), 1);
	atomic_long_t l = ATOMIC_LONG_INIT(-1);
	KASSERT_EQ(atomic_long_fetch_and(0xff, &l), -1);
	KASSERT_EQ(atomic_long_read(&l), 0xff);
}

KTEST(atomic, fetch_add_unless_and_dec_if_positive)
{
	atomic_t a = ATOMIC_INIT(5);

	KASSERT_EQ(atomic_fetch_add_unless(&a, 1, 5), 5);	/* was 5: no add */
	KASSERT_EQ(atomic_read(&a), 5);
	KASSERT_EQ(atomic_fetch_add_unless(&a, 1, 0), 5);
	KASSERT_EQ(atomic_read(&a), 6);
	atomic_set(&a, 1);
	KASSERT_EQ(atomic_dec_if_positive(&a), 0);
	KASSERT_EQ(atomic_dec_if_positive(&a), -1);		/* not done */
	KASSERT_EQ(atomic_read(&a), 0);
}

/*
 * Every CPU owns one bit of a shared word and sets and clears it with
 * atomic_fetch_or()/atomic_fetch_andnot() while the others do the same
 * to theirs: a read-modify-write that is not atomic loses the others'
 * bits (its old value shows them missing, or the end value has them).
 */
#define BITS_M 20000
static atomic_long_t shared_bits;
static atomic_t bit_errors;

static void toggle_own_bit(int idx, void *arg)
{
	long mine = 1L << idx;

	(void)arg;
	for (int k = 0; k < BITS_M; k++) {
		if (atomic_long_fetch_or(mine, &shared_bits) & mine)
			atomic_inc(&bit_errors);	/* nobody else sets it */
		if (!(atomic_long_fetch_andnot(mine, &shared_bits) & mine))
			atomic_inc(&bit_errors);	/* nobody else clears it */
	}
}

KTEST(atomic, fetch_or_andnot_from_all_cpus_lose_no_bit)
{
	atomic_long_set(&shared_bits, 0);
	atomic_set(&bit_errors, 0);
	KASSERT_GT(ktest_run_on_all_cpus(toggle_own_bit, NULL, true), 0);
	KASSERT_EQ(atomic_read(&bit_errors), 0);
	KASSERT_EQ(atomic_long_read(&shared_bits), 0);
}

/* Concurrent atomic_dec_if_positive() never takes the count below 0 and
 * succeeds exactly as many times as the count allowed. */
#define DIP_START 30000
static atomic_t dip_count, dip_done;

static void dec_while_positive(int idx, void *arg)
{
	(void)idx, (void)arg;
	while (atomic_dec_if_positive(&dip_count) >= 0)
		atomic_inc(&dip_done);
}

KTEST(atomic, dec_if_positive_from_all_cpus_stops_at_zero)
{
	atomic_set(&dip_count, DIP_START);
	atomic_set(&dip_done, 0);
	KASSERT_GT(ktest_run_on_all_cpus(dec_while_positive, NULL, false), 0);
	KASSERT_EQ(atomic_read(&dip_count), 0);
	KASSERT_EQ(atomic_read(&dip_done), DIP_START);
}

/* smp_cond_load_acquire(): message passing. The waiter that saw the flag
 * must see the data written before smp_store_release() set it. */
#define MP_ROUNDS 20000
static struct { long data; long flag; long stale; } mp;

static void pass_messages(int idx, void *arg)
{
	(void)arg;
	for (long r = 1; r <= MP_ROUNDS; r++) {
		if (idx == 0) {
			smp_cond_load_acquire(&mp.flag, VAL == 2 * r - 2);
			WRITE_ONCE(mp.data, r);
			smp_store_release(&mp.flag, 2 * r - 1);
		} else if (idx == 1) {
			smp_cond_load_acquire(&mp.flag, VAL == 2 * r - 1);
			if (READ_ONCE(mp.data) != r)
				mp.stale++;
			smp_store_release(&mp.flag, 2 * r);
		}
	}
}

KTEST(atomic, smp_cond_load_acquire_passes_messages)
{
	if (num_online_cpus() < 2)
		return;			/* needs a partner CPU */
	memset(&mp, 0, sizeof(mp));
	KASSERT_GT(ktest_run_on_all_cpus(pass_messages, NULL, true), 1);
	KASSERT_EQ(mp.flag, 2 * MP_ROUNDS);
	KASSERT_EQ(mp.stale, 0);
	atomic_t a = ATOMIC_INIT(3);
	KASSERT_EQ(atomic_cond_read_acquire(&a, VAL > 2), 3);
}
