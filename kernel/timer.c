/*
 * timer.c - the tick interrupt: count it, run the tick hooks.
 * Hooks are registered at boot (the test watchdog, the scheduler, the
 * soft-lockup detector) and are called in interrupt context, so they
 * must be short and must not sleep.
 */
#include "kernel/timer.h"
#include "kernel/panic.h"
#include "arch/x86/apic.h"
#include "arch/x86/irq.h"

#define MAX_TICK_HOOKS 8

DEFINE_PER_CPU(uint64_t, tick_count);
static tick_hook_t tick_hooks[MAX_TICK_HOOKS];
static int nr_tick_hooks;

void register_tick_hook(tick_hook_t fn)
{
	BUG_ON(nr_tick_hooks == MAX_TICK_HOOKS);
	tick_hooks[nr_tick_hooks++] = fn;
}

static void timer_interrupt(struct pt_regs *regs)
{
	(void)regs;
	this_cpu_inc(tick_count);
	for (int i = 0; i < READ_ONCE(nr_tick_hooks); i++)
		tick_hooks[i]();
}

void timer_init(void)
{
	set_vector_handler(LOCAL_TIMER_VECTOR, timer_interrupt);
	lapic_timer_calibrate();
}

void timer_start_cpu(void)
{
	lapic_timer_start();
}
