/*
 * core.c - scheduler core. For now: the per-CPU preemption state that
 * spinlocks and interrupts already maintain. Threads and the run queues
 * come with the scheduler; until then there is never anything else to
 * run, so a preemption point has nothing to switch to.
 */
#include "sched/preempt.h"

DEFINE_PER_CPU(int, __preempt_count);
DEFINE_PER_CPU(int, __need_resched);

void preempt_schedule(void)
{
	this_cpu_write(__need_resched, 0);
}
