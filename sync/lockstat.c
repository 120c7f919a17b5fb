/*
 * lockstat.c - lock statistics and the locks' trace events (contract in
 * lockstat.h).
 *
 * A lock's class is found once and cached in its map: the class key
 * hashes into a fixed table, whose slots are claimed with cmpxchg (no
 * lock: the hooks run inside every lock, the scheduler's included, so
 * they must not take one).
 *
 * The numbers are per CPU and per class, and each CPU changes only its
 * own, with interrupts off: a lock taken by an interrupt handler cannot
 * interleave with its CPU's update. No shared cache line is written
 * (a shared counter would bounce between the CPUs and become the very
 * contention it measures). lockstat_read() sums the CPUs.
 *
 * Times are TSC cycles (rdtsc: the cheapest clock, the same on every
 * CPU, see kernel/time.h), turned into ns when read. A wait starts when
 * the taker first sees the lock held (lockstat_contended) and ends when
 * it owns it; a hold starts there and ends at the release.
 */
#include "sync/lockstat.h"
#include "sync/atomic.h"
#include "sync/mutex.h"
#include "sync/percpu.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/init.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "kernel/vsprintf.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irqflags.h"

CMDLINE_OPTION("lockstat", "lockstat=1: lock statistics from boot (the shell's `lockstat`)");

unsigned int lock_events;
DEFINE_STATIC_KEY_FALSE(lock_events_key);
static DEFINE_MUTEX(lock_events_mutex);	/* the bits and the key agree */

struct lockstat_class {
	const void *key;
	const char *name;
};
static struct lockstat_class classes[LOCKSTAT_MAX_CLASSES + 1];	/* [0] unused */
static unsigned long dropped;

static DEFINE_PER_CPU(struct lockstat_counts, lockstat_cpu[LOCKSTAT_MAX_CLASSES + 1]);

void lock_events_update(unsigned int bit, bool on)
{
	mutex_lock(&lock_events_mutex);
	unsigned int v = on ? lock_events | bit : lock_events & ~bit;
	WRITE_ONCE(lock_events, v);
	if (v)
		static_branch_enable(&lock_events_key);
	else
		static_branch_disable(&lock_events_key);
	mutex_unlock(&lock_events_mutex);
}

static unsigned int hash_key(const void *key)
{
	uint64_t h = (uintptr_t)key * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(h >> 40) % LOCKSTAT_MAX_CLASSES + 1;
}

/* The class of key (claiming a slot the first time); 0 if full. */
static int class_for(const void *key, const char *name)
{
	unsigned int i = hash_key(key);

	for (int probe = 0; probe < LOCKSTAT_MAX_CLASSES; probe++) {
		const void *k = READ_ONCE(classes[i].key);
		if (k == key)
			return (int)i;
		if (!k && cmpxchg(&classes[i].key, NULL, key) == NULL) {
			WRITE_ONCE(classes[i].name, name);
			return (int)i;
		}
		i = i % LOCKSTAT_MAX_CLASSES + 1;
	}
	return 0;
}

int lockstat_class_of(struct lockstat_map *m)
{
	int cls = READ_ONCE(m->cls);

	if (!cls) {
		/* A lock never initialized (zeroed memory) has no key. */
		static const char no_init[] = "(lock without init)";
		cls = m->key ? class_for(m->key, m->name) : class_for(no_init, no_init);
		WRITE_ONCE(m->cls, (unsigned short)cls);
	}
	return cls;
}

const char *lockstat_class_name(int cls)
{
	if (cls < 1 || cls > LOCKSTAT_MAX_CLASSES || !READ_ONCE(classes[cls].key))
		return NULL;
	const char *name = READ_ONCE(classes[cls].name);
	return name ? name : "?";
}

unsigned long lockstat_dropped(void)
{
	return READ_ONCE(dropped);
}

/* min 0 means "none yet": a wait or hold of 0 cycles is kept as 1. */
static void min_max(uint64_t v, uint64_t *min, uint64_t *max)
{
	if (!*min || v < *min)
		*min = v ? v : 1;
	if (v > *max)
		*max = v;
}

/* This CPU's numbers for the lock's class, or NULL (table full). */
static struct lockstat_counts *counts_of(struct lockstat_map *m)
{
	int cls = lockstat_class_of(m);

	if (!cls) {
		WRITE_ONCE(dropped, dropped + 1);	/* approximate: a hint */
		return NULL;
	}
	return &(*this_cpu_ptr(&lockstat_cpu))[cls];
}

/* The trace's b for a lock event: the class, and the kind in bit 15. */
static unsigned int trace_lock_b(struct lockstat_map *m)
{
	return m->cls | (m->sleeping ? TRACE_LOCK_SLEEPING : 0);
}

uint64_t __lockstat_contended(struct lockstat_map *m)
{
	unsigned int ev = READ_ONCE(lock_events);
	unsigned long flags;

	if ((ev & LOCK_EVENTS_TRACE) && trace_lock_wanted(lockstat_class_of(m), true))
		trace_event(TRACE_LOCK_CONTENDED, (uintptr_t)m, trace_lock_b(m));
	if (ev & LOCK_EVENTS_STAT) {	/* counted now, as Linux's lock_contended() */
		local_irq_save(flags);
		struct lockstat_counts *c = counts_of(m);
		if (c)
			c->contentions++;
		local_irq_restore(flags);
	}
	return rdtsc() | 1;		/* never 0: 0 means "no wait" */
}

void __lockstat_acquired(struct lockstat_map *m, uint64_t wait_start)
{
	unsigned int ev = READ_ONCE(lock_events);
	uint64_t now = rdtsc();
	unsigned long flags;

	/* Both set at every acquisition: a release missed while the hooks
	 * were off must not leave them stale. The release is traced only in
	 * the trace that holds the acquisition: not if the acquisition came
	 * as a trace was starting (not recorded), nor in a later trace. */
	m->trace_gen = 0;
	if ((ev & LOCK_EVENTS_TRACE) && trace_lock_wanted(lockstat_class_of(m), wait_start != 0))
		m->trace_gen = trace_event(TRACE_LOCK_ACQUIRED, (uintptr_t)m, trace_lock_b(m));
	m->hold_start = 0;
	if (!(ev & LOCK_EVENTS_STAT))
		return;
	local_irq_save(flags);
	struct lockstat_counts *c = counts_of(m);
	if (c) {
		c->acquisitions++;
		if (wait_start) {
			uint64_t wait = now - (wait_start & ~1ULL);
			c->waits++;
			c->wait_total += wait;
			min_max(wait, &c->wait_min, &c->wait_max);
		}
	}
	local_irq_restore(flags);
	m->hold_start = now | 1;
}

void __lockstat_release(struct lockstat_map *m)
{
	unsigned long flags;

	if (m->trace_gen) {
		if (m->trace_gen == READ_ONCE(trace_gen))
			trace_event(TRACE_LOCK_RELEASED, (uintptr_t)m, trace_lock_b(m));
		m->trace_gen = 0;
	}
	uint64_t start = m->hold_start;
	if (!start)
		return;
	m->hold_start = 0;
	if (!(READ_ONCE(lock_events) & LOCK_EVENTS_STAT))
		return;
	uint64_t hold = rdtsc() - (start & ~1ULL);
	local_irq_save(flags);
	struct lockstat_counts *c = counts_of(m);
	if (c) {
		c->holds++;
		c->hold_total += hold;
		min_max(hold, &c->hold_min, &c->hold_max);
	}
	local_irq_restore(flags);
}

void __lockstat_mutex(struct lockstat_map *m, enum lockstat_mutex_event e)
{
	unsigned int ev = READ_ONCE(lock_events);
	unsigned long flags;

	if (e == LOCKSTAT_SLEEP || e == LOCKSTAT_WOKEN) {
		if ((ev & LOCK_EVENTS_TRACE) && trace_lock_wanted(lockstat_class_of(m), true))
			trace_event(e == LOCKSTAT_SLEEP ? TRACE_MUTEX_SLEEP : TRACE_MUTEX_WAKE,
				    (uintptr_t)m, trace_lock_b(m));
		return;
	}
	if (!(ev & LOCK_EVENTS_STAT))
		return;
	local_irq_save(flags);
	struct lockstat_counts *c = counts_of(m);
	if (c) {
		if (e == LOCKSTAT_SPUN)
			c->spun++;
		else if (e == LOCKSTAT_SPIN_WON)
			c->spin_won++;
		else
			c->slept++;
	}
	local_irq_restore(flags);
}

/* ---- the switch, and reading the numbers ---- */

void lockstat_enable(bool on)
{
	lock_events_update(LOCK_EVENTS_STAT, on);
}

bool lockstat_enabled(void)
{
	return READ_ONCE(lock_events) & LOCK_EVENTS_STAT;
}

/* Updates in flight on other CPUs may survive a reset: reset when quiet
 * for exact numbers (the counter experiment resets between its runs). */
void lockstat_reset(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&lockstat_cpu, cpu), 0, sizeof(lockstat_cpu));
	WRITE_ONCE(dropped, 0);
}

static void add_min(uint64_t v, uint64_t *min)
{
	if (v && (!*min || v < *min))
		*min = v;
}

void lockstat_read(int cls, struct lockstat_counts *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	if (cls < 1 || cls > LOCKSTAT_MAX_CLASSES)
		return;
	for_each_possible_cpu(cpu) {
		const struct lockstat_counts *c = &(*per_cpu_ptr(&lockstat_cpu, cpu))[cls];
		sum->acquisitions += READ_ONCE(c->acquisitions);
		sum->contentions += READ_ONCE(c->contentions);
		sum->waits += READ_ONCE(c->waits);
		sum->wait_total += READ_ONCE(c->wait_total);
		add_min(READ_ONCE(c->wait_min), &sum->wait_min);
		sum->wait_max = MAX(sum->wait_max, READ_ONCE(c->wait_max));
		sum->holds += READ_ONCE(c->holds);
		sum->hold_total += READ_ONCE(c->hold_total);
		add_min(READ_ONCE(c->hold_min), &sum->hold_min);
		sum->hold_max = MAX(sum->hold_max, READ_ONCE(c->hold_max));
		sum->spun += READ_ONCE(c->spun);
		sum->spin_won += READ_ONCE(c->spin_won);
		sum->slept += READ_ONCE(c->slept);
	}
	uint64_t *cycles[] = { &sum->wait_total, &sum->wait_min, &sum->wait_max,
			       &sum->hold_total, &sum->hold_min, &sum->hold_max };
	for (unsigned i = 0; i < ARRAY_SIZE(cycles); i++)
		*cycles[i] = tsc_to_ns(*cycles[i]);
}

/* Busier first: more contentions, then more acquisitions. */
static bool busier(const struct lockstat_counts *a, const struct lockstat_counts *b)
{
	if (a->contentions != b->contentions)
		return a->contentions > b->contentions;
	return a->acquisitions > b->acquisitions;
}

static uint64_t avg(uint64_t total, unsigned long n)
{
	return n ? total / n : 0;
}

static void print_row(const char *prefix, int cls, const struct lockstat_counts *c)
{
	char mutex_part[48] = "";

	if (c->spun || c->slept)
		scnprintf(mutex_part, sizeof(mutex_part), " %8lu %8lu %8lu",
			  c->spun, c->spin_won, c->slept);
	printk(KERN_NOTICE "%s%-22.22s %9lu %9lu %7llu %7llu %9llu %7llu %7llu %9llu%s\n",
	       prefix, lockstat_class_name(cls), c->acquisitions, c->contentions,
	       (unsigned long long)c->wait_min,
	       (unsigned long long)avg(c->wait_total, c->waits),
	       (unsigned long long)c->wait_max, (unsigned long long)c->hold_min,
	       (unsigned long long)avg(c->hold_total, c->holds),
	       (unsigned long long)c->hold_max, mutex_part);
}

void lockstat_print(const char *prefix, int max)
{
	static struct lockstat_counts row[LOCKSTAT_MAX_CLASSES + 1];	/* not on the stack */
	static int order[LOCKSTAT_MAX_CLASSES];
	int n = 0;

	for (int cls = 1; cls <= LOCKSTAT_MAX_CLASSES; cls++) {
		lockstat_read(cls, &row[cls]);
		if (!row[cls].acquisitions)
			continue;
		int i = n++;			/* insertion sort, busiest first */
		while (i > 0 && busier(&row[cls], &row[order[i - 1]])) {
			order[i] = order[i - 1];
			i--;
		}
		order[i] = cls;
	}
	printk(KERN_NOTICE "%s%-22s %9s %9s %7s %7s %9s %7s %7s %9s %8s %8s %8s\n", prefix,
	       "class", "acquired", "contended", "wait-min", "avg", "max(ns)",
	       "hold-min", "avg", "max(ns)", "spun", "spin-won", "slept");
	for (int i = 0; i < n && i < max; i++)
		print_row(prefix, order[i], &row[order[i]]);
	if (n > max)
		printk(KERN_NOTICE "%s(%d more classes: `lockstat` in the shell shows them)\n",
		       prefix, n - max);
	if (!n)
		printk(KERN_NOTICE "%s(no lock taken%s)\n", prefix,
		       lockstat_enabled() ? "" : ": lockstat is off, lockstat=1 or `lockstat on`");
	if (lockstat_dropped())
		printk(KERN_WARNING "%s%lu acquisitions not counted: more than %d lock classes\n",
		       prefix, lockstat_dropped(), LOCKSTAT_MAX_CLASSES);
}

static int lockstat_boot(void)
{
	if (cmdline_get_bool("lockstat", false))
		lockstat_enable(true);
	return 0;
}
core_initcall(lockstat_boot);

int lockstat_class_by_name(const char *name)
{
	for (int cls = 1; cls <= LOCKSTAT_MAX_CLASSES; cls++) {
		const char *n = lockstat_class_name(cls);
		if (n && strcmp(n, name) == 0)
			return cls;
	}
	return 0;
}
