/*
 * test_deferred_log.c - grading tests for assignment 7, the deferred log.
 *
 * Producers in every context - threads on every CPU, a timer on every CPU
 * (softirq), cross-CPU calls (hard interrupts) - add numbered events;
 * consume checks it runs in process context, alone, in each producer's
 * order, and sleeps now and then (as the contract allows). A lock taken
 * the wrong way is caught by lockdep, a consume called under a spinlock
 * by "scheduling while atomic", a sleeping allocation in an interrupt by
 * might_sleep(): each is a WARNING, which fails the test.
 */
#include "tests/ktest.h"
#include "assignments/assignment.h"
#include "assignments/deferred_log.h"
#include "kernel/cpumask.h"
#include "kernel/jiffies.h"
#include "kernel/mm.h"
#include "kernel/smp.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "arch/x86/irqflags.h"
#include "sched/sched.h"
#include "sync/atomic.h"

/* Producers: threads 0..NR_CPUS-1, timers NR_CPUS.., interrupts 2*NR_CPUS.. */
#define NR_PRODUCERS (3 * NR_CPUS)
#define EVENT(producer, seq) (((long)(producer) << 32) | (long)(seq))

static struct deferred_log log;
static atomic_t consumed, bad_context, overlaps, inside, out_of_order, after_destroy;
static long last_seq[NR_PRODUCERS];
static bool destroyed;

static void consume(struct deferred_log *l, long value)
{
	int producer = (int)(value >> 32);
	long seq = value & 0xffffffffL;

	if (l != &log || in_interrupt() || irqs_disabled() || preempt_count())
		atomic_inc(&bad_context);
	if (READ_ONCE(destroyed))
		atomic_inc(&after_destroy);
	if (atomic_inc_return(&inside) != 1)
		atomic_inc(&overlaps);
	if (producer < 0 || producer >= NR_PRODUCERS || seq <= last_seq[producer])
		atomic_inc(&out_of_order);
	else
		last_seq[producer] = seq;
	if (seq % 256 == 0)
		msleep(1);			/* consume may sleep */
	atomic_dec(&inside);
	atomic_inc(&consumed);
}

static void reset(void)
{
	atomic_set(&consumed, 0);
	atomic_set(&bad_context, 0);
	atomic_set(&overlaps, 0);
	atomic_set(&inside, 0);
	atomic_set(&out_of_order, 0);
	atomic_set(&after_destroy, 0);
	for (int i = 0; i < NR_PRODUCERS; i++)
		last_seq[i] = 0;
	WRITE_ONCE(destroyed, false);
	deferred_log_init(&log, consume);
}

static void check_consumer(void)
{
	KASSERT_EQ(atomic_read(&bad_context), 0);
	KASSERT_EQ(atomic_read(&overlaps), 0);
	KASSERT_EQ(atomic_read(&out_of_order), 0);
}

KTEST(assignment_deferred_log, in_order_after_flush)
{
	reset();
	int first = deferred_log_add(&log, EVENT(0, 1));
	KASSERT_IMPLEMENTED("deferred_log");
	KASSERT_EQ(first, 0);
	for (int i = 2; i <= 300; i++)
		KASSERT_EQ(deferred_log_add(&log, EVENT(0, i)), 0);
	deferred_log_flush(&log);
	KASSERT_EQ(atomic_read(&consumed), 300);	/* all, once the flush returns */
	KASSERT_EQ(last_seq[0], 300);
	check_consumer();
	deferred_log_flush(&log);			/* nothing pending: returns */
	deferred_log_destroy(&log);
}

/* ---- every context at once ---- */

#define THREAD_EVENTS 3000
static atomic_t added, failed;
static atomic_t timer_seq[NR_CPUS], irq_seq[NR_CPUS];
static bool producing;

static void add(int producer, long seq)
{
	if (deferred_log_add(&log, EVENT(producer, seq)) == 0)
		atomic_inc(&added);
	else
		atomic_inc(&failed);
}

struct producer_timer {
	struct timer_list t;
	int cpu;
};
static struct producer_timer timers[NR_CPUS];

static void timer_add(struct timer_list *t)
{
	struct producer_timer *p = from_timer(p, t, t);

	add(NR_CPUS + p->cpu, atomic_inc_return(&timer_seq[p->cpu]));	/* softirq */
	if (READ_ONCE(producing))
		mod_timer(t, jiffies + 1);
}

static void irq_add(void *arg)
{
	int cpu = raw_smp_processor_id();

	(void)arg;
	add(2 * NR_CPUS + cpu, atomic_inc_return(&irq_seq[cpu]));	/* hard irq */
}

static void thread_adds(int idx, void *arg)
{
	int next = nth_online_cpu((idx + 1) % num_online_cpus());

	(void)arg;
	for (long i = 1; i <= THREAD_EVENTS; i++) {
		add(idx, i);
		if (i % 100 == 0 && next != raw_smp_processor_id())
			smp_call_function_single(next, irq_add, NULL, true);
		if (i % 500 == 0)
			msleep(1);
	}
}

KTEST(assignment_deferred_log, every_context_nothing_lost)
{
	int n = num_online_cpus();

	reset();
	deferred_log_add(&log, EVENT(0, 1));
	KASSERT_IMPLEMENTED("deferred_log");
	deferred_log_flush(&log);
	last_seq[0] = 0;			/* thread 0 starts again at 1 */
	atomic_set(&consumed, 0);
	atomic_set(&added, 0);
	atomic_set(&failed, 0);
	WRITE_ONCE(producing, true);
	for (int i = 0; i < n; i++) {
		int cpu = nth_online_cpu(i);
		atomic_set(&timer_seq[cpu], 0);
		atomic_set(&irq_seq[cpu], 0);
		timers[cpu].cpu = cpu;
		timer_setup(&timers[cpu].t, timer_add, 0);
		timers[cpu].t.expires = jiffies + 1;
		add_timer_on(&timers[cpu].t, cpu);
	}
	KASSERT_EQ(ktest_run_on_all_cpus(thread_adds, NULL, true), n);
	WRITE_ONCE(producing, false);
	for (int i = 0; i < n; i++)
		del_timer_sync(&timers[nth_online_cpu(i)].t);
	deferred_log_flush(&log);
	KASSERT_EQ(atomic_read(&failed), 0);
	KASSERT_EQ(atomic_read(&consumed), atomic_read(&added));
	KASSERT_GE(atomic_read(&added), THREAD_EVENTS * n);
	check_consumer();
	ktest_info("%d events (%d from threads) consumed in order\n", atomic_read(&consumed),
		   THREAD_EVENTS * n);
	deferred_log_destroy(&log);
}

/* ---- destroy ---- */

static void slow_consume(struct deferred_log *l, long value)
{
	(void)l;
	(void)value;
	if (READ_ONCE(destroyed))
		atomic_inc(&after_destroy);
	udelay(200);
	atomic_inc(&consumed);
}

KTEST(assignment_deferred_log, destroy_stops_and_frees)
{
	struct kmalloc_stats before, after;

	ktest_quiesce();
	kmalloc_get_stats(&before);
	reset();
	log.consume = slow_consume;
	for (int i = 1; i <= 2000; i++)
		deferred_log_add(&log, EVENT(0, i));
	KASSERT_IMPLEMENTED("deferred_log");
	while (!atomic_read(&consumed))
		msleep(1);				/* it is consuming now */
	deferred_log_destroy(&log);
	WRITE_ONCE(destroyed, true);
	int at_destroy = atomic_read(&consumed);
	msleep(20);
	KASSERT_EQ(atomic_read(&consumed), at_destroy);	/* nothing runs any more */
	KASSERT_EQ(atomic_read(&after_destroy), 0);
	ktest_info("destroy: %d of 2000 events consumed, the rest dropped\n", at_destroy);
	ktest_quiesce();
	kmalloc_get_stats(&after);
	KASSERT_MSG(after.allocations == before.allocations,
		    "%ld objects left on the heap after destroy",
		    (long)(after.allocations - before.allocations));
}
