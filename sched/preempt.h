/*
 * preempt.h - the preemption counter.
 *
 * Each CPU has a counter, preempt_count. While it is non-zero the
 * scheduler will not take the CPU away from the running thread: the thread
 * is "atomic". It is split in fields, as in Linux, so that one test answers
 * "may I sleep here?" whatever the reason for being atomic:
 *
 *   bits  0- 7  preempt_disable() nesting (spin_lock does this too)
 *   bits  8-15  softirq (bottom half) nesting
 *   bits 16-19  hard interrupt nesting (set on entry to an irq handler)
 *   bits 20-23  NMI nesting
 *
 * Rules:
 *  - preempt_disable()/preempt_enable() nest and must pair on one CPU.
 *  - preempt_enable() that brings the count to 0 reschedules at once if the
 *    timer or a wake-up asked for it (need_resched): a preemption point.
 *  - Code that is atomic must not sleep: might_sleep() reports "BUG:
 *    sleeping function called from invalid context", and schedule()
 *    "BUG: scheduling while atomic".
 */
#pragma once
#include "sync/percpu.h"
#include "arch/x86/irqflags.h"

#define PREEMPT_SHIFT   0
#define SOFTIRQ_SHIFT   8
#define HARDIRQ_SHIFT   16
#define NMI_SHIFT       20
#define PREEMPT_OFFSET  (1 << PREEMPT_SHIFT)
#define SOFTIRQ_OFFSET  (1 << SOFTIRQ_SHIFT)
#define HARDIRQ_OFFSET  (1 << HARDIRQ_SHIFT)
#define NMI_OFFSET      (1 << NMI_SHIFT)
#define PREEMPT_MASK    0x000000ff
#define SOFTIRQ_MASK    0x0000ff00
#define HARDIRQ_MASK    0x000f0000
#define NMI_MASK        0x00f00000
/* Serving a softirq adds SOFTIRQ_OFFSET; local_bh_disable() adds twice
 * that, so the two can be told apart (in_serving_softirq()), as Linux. */
#define SOFTIRQ_DISABLE_OFFSET (2 * SOFTIRQ_OFFSET)

DECLARE_PER_CPU(int, __preempt_count);
DECLARE_PER_CPU(int, __need_resched);

static inline int preempt_count(void)
{
	return this_cpu_read(__preempt_count);
}

#define hardirq_count() (preempt_count() & HARDIRQ_MASK)
#define softirq_count() (preempt_count() & SOFTIRQ_MASK)
#define irq_count()     (preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_MASK))

#define in_nmi()        (preempt_count() & NMI_MASK)
#define in_irq()        hardirq_count()
#define in_hardirq()    hardirq_count()
/* In a softirq handler, or with bottom halves disabled. */
#define in_softirq()    softirq_count()
/* In a softirq handler, running it (not just with bottom halves off). */
#define in_serving_softirq() (softirq_count() & SOFTIRQ_OFFSET)
/* Any of: NMI, hard irq, softirq, bottom halves disabled (as Linux). */
#define in_interrupt()  irq_count()
/* In a task's own context: no interrupt of any kind. */
#define in_task()       (!(preempt_count() & (NMI_MASK | HARDIRQ_MASK | SOFTIRQ_OFFSET)))
#define in_atomic()     (preempt_count() != 0)
/* Could the scheduler preempt the caller here? (Linux's, with
 * CONFIG_PREEMPT_COUNT.) */
#define preemptible()   (preempt_count() == 0 && !irqs_disabled())

static inline void preempt_count_add(int n)
{
	this_cpu_add(__preempt_count, n);
	barrier();
}

static inline void preempt_count_sub(int n)
{
	barrier();
	this_cpu_sub(__preempt_count, n);
}

static inline bool need_resched(void)
{
	return this_cpu_read(__need_resched) != 0;
}

static inline void set_need_resched(void)
{
	this_cpu_write(__need_resched, 1);
}

/* Switch away now (defined by the scheduler); a no-op before it starts. */
void preempt_schedule(void);

#define preempt_disable()         preempt_count_add(PREEMPT_OFFSET)
#define preempt_enable_no_resched() preempt_count_sub(PREEMPT_OFFSET)

/* need_resched() is tested first: it is almost always false, so the usual
 * path falls straight through (tested the other way round, the usual
 * count-is-zero case jumped away: ~10% of a get_cpu()/put_cpu() pair
 * under QEMU). Linux folds the flag into the count to save the load. */
static inline void preempt_enable(void)
{
	preempt_count_sub(PREEMPT_OFFSET);
	if (unlikely(need_resched()) && preempt_count() == 0)
		preempt_schedule();
}

/* After preempt_enable_no_resched(): reschedule now if it was asked for
 * meanwhile and nothing else holds preemption off (Linux's name). */
static inline void preempt_check_resched(void)
{
	if (unlikely(need_resched()) && preempt_count() == 0)
		preempt_schedule();
}

/* Linux's _notrace forms keep the preemption tracer out; there is no
 * such tracer here, so they are the plain ones. */
#define preempt_disable_notrace() preempt_disable()
#define preempt_enable_notrace() preempt_enable()
#define preempt_enable_no_resched_notrace() preempt_enable_no_resched()

/* get_cpu(): preemption off, so the CPU number stays true until put_cpu(). */
#define get_cpu()   ({ preempt_disable(); smp_processor_id(); })
#define put_cpu()   preempt_enable()
