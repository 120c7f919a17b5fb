/*
 * limit_counter.c - per-CPU counting within a global limit.
 *
 * Invariant, under lc->lock: global + reserved <= limit, where `reserved`
 * is the sum of the CPUs' budgets, and on each CPU count <= budget. Hence
 * the true total, global + sum(count), never exceeds the limit.
 *
 * A CPU's slot is only ever written by that CPU (with preemption off), so
 * the fast path needs no lock and no atomic instruction:
 *   if (count + n <= budget) count += n;
 * The slow path takes the lock, folds this CPU's count into `global` and
 * returns its budget to the pool, checks the request against what is
 * left, and grants a fresh budget: half of the remaining room divided
 * among the CPUs, so no single CPU can hoard it.
 */
#include "assignments/limit_counter.h"
#include "kernel/cpumask.h"
#include "kernel/string.h"
#include "assignments/assignment.h"

void limit_counter_init(struct limit_counter *lc, long limit)
{
	memset(lc, 0, sizeof(*lc));
	spin_lock_init(&lc->lock);
	lc->limit = limit;
}

/* Under the lock: move this CPU's count into global, drop its budget. */
static void globalize(struct limit_counter *lc, struct limit_counter_cpu *c)
{
	lc->global += c->count;
	lc->reserved -= c->budget;
	c->count = 0;
	c->budget = 0;
}

/* Under the lock: give this CPU part of the remaining room. */
static void balance(struct limit_counter *lc, struct limit_counter_cpu *c)
{
	long room = lc->limit - lc->global - lc->reserved;

	c->budget = room / 2 / num_online_cpus();
	lc->reserved += c->budget;
}

bool limit_counter_add(struct limit_counter *lc, long n)
{
	bool ok = true;

	preempt_disable();
	/* BEGIN SOLUTION */
	struct limit_counter_cpu *c = &lc->cpu[smp_processor_id()];
	if (c->count + n <= c->budget) {
		c->count += n;				/* the fast path */
		goto out;
	}
	spin_lock(&lc->lock);
	globalize(lc, c);
	if (lc->limit - lc->global - lc->reserved < n)
		ok = false;
	else
		lc->global += n;
	balance(lc, c);
	spin_unlock(&lc->lock);
out:
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("limit_counter"); (void)lc; (void)n; (void)globalize; (void)balance; */
	preempt_enable();
	return ok;
}

void limit_counter_sub(struct limit_counter *lc, long n)
{
	preempt_disable();
	/* BEGIN SOLUTION */
	struct limit_counter_cpu *c = &lc->cpu[smp_processor_id()];
	if (c->count >= n) {
		c->count -= n;
		goto out;
	}
	spin_lock(&lc->lock);
	globalize(lc, c);
	lc->global -= n;
	balance(lc, c);
	spin_unlock(&lc->lock);
out:
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("limit_counter"); (void)lc; (void)n; */
	preempt_enable();
}

long limit_counter_read(struct limit_counter *lc)
{
	long sum;
	int cpu;

	spin_lock(&lc->lock);
	sum = lc->global;
	for_each_possible_cpu(cpu)
		sum += READ_ONCE(lc->cpu[cpu].count);
	spin_unlock(&lc->lock);
	return sum;
}
