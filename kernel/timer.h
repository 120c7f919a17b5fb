/*
 * timer.h - the periodic tick and one-shot timers.
 *
 * Every CPU's local APIC timer interrupts HZ times a second. The tick
 * counts per CPU, runs the tick hooks (scheduler, test watchdog, soft-
 * lockup detector) and expires timers.
 *
 * struct timer_list: call fn(timer) once, in interrupt context on the
 * CPU that added it, at the first tick after expires_ns (ktime). fn must
 * not sleep. del_timer_sync() returns only once fn is not running, so the
 * timer may then be freed (or go out of scope).
 */
#pragma once
#include <stdint.h>
#include "kernel/list.h"
#include "sync/percpu.h"
#include "arch/x86/apic.h"	/* HZ */

DECLARE_PER_CPU(uint64_t, tick_count);
void timer_init(void);		/* on the BSP, once */
void timer_start_cpu(void);	/* on every CPU */

typedef void (*tick_hook_t)(void);
void register_tick_hook(tick_hook_t fn);

struct timer_list {
	struct list_head entry;
	uint64_t expires_ns;
	void (*fn)(struct timer_list *t);
	int cpu;
	bool pending;
};

void add_timer(struct timer_list *t);
bool del_timer_sync(struct timer_list *t);	/* true if it was pending */
void timer_print_pending(void);
/* The interrupted context of the tick being handled (for reports). */
struct pt_regs *get_irq_regs(void);
