/*
 * <linux/hardirq.h> - in_irq(), in_interrupt()...
 */
#pragma once
#include "sched/preempt.h"
