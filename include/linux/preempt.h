/*
 * <linux/preempt.h> - the preemption counter.
 */
#pragma once
#include "sched/preempt.h"
/* Stay on this CPU, preemptible (sched/sched.h says more). */
void migrate_disable(void);
void migrate_enable(void);
