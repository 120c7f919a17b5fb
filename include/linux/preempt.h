/*
 * <linux/preempt.h> - the preemption counter.
 */
#pragma once
#include "sched/preempt.h"
