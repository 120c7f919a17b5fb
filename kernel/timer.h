/*
 * timer.h - the periodic tick.
 * Every CPU's local APIC timer interrupts HZ times a second. The tick
 * counts per CPU (jiffies-like) and drives timeouts and, once the
 * scheduler runs, time slices.
 */
#pragma once
#include <stdint.h>
#include "sync/percpu.h"

DECLARE_PER_CPU(uint64_t, tick_count);
void timer_init(void);		/* on the BSP, once */
void timer_start_cpu(void);	/* on every CPU */
/* Functions called on every tick, on every CPU, in interrupt context. */
typedef void (*tick_hook_t)(void);
void register_tick_hook(tick_hook_t fn);
