/*
 * softirq.h - softirqs and bottom halves, as in Linux.
 *
 * A softirq is deferred work that an interrupt handler raises and that
 * runs soon after, with interrupts enabled but on the same CPU and
 * without sleeping: on the way out of the interrupt, in local_bh_enable()
 * when bottom halves come back on, or - when they keep being raised - in
 * the CPU's ksoftirqd/N thread.
 *
 *   open_softirq(MY_SOFTIRQ, my_action);     once, at boot
 *   raise_softirq(MY_SOFTIRQ);               from anywhere
 *
 * Contract (Linux's):
 *  - A softirq handler runs in softirq context: in_serving_softirq() and
 *    in_interrupt() are true, it must not sleep (might_sleep() and
 *    schedule() report it), interrupts are on. It never runs nested in
 *    itself on one CPU, but one softirq may run on several CPUs at once.
 *  - Handlers run in the order of their numbers (HI_SOFTIRQ first). A
 *    round that finds more raised runs again, up to MAX_SOFTIRQ_RESTART
 *    rounds or MAX_SOFTIRQ_TIME, then leaves the rest to ksoftirqd/N.
 *  - local_bh_disable()/local_bh_enable() keep softirqs (and tasklets,
 *    and timers) off this CPU in between; they nest. local_bh_enable()
 *    runs what was raised meanwhile, and is a preemption point. Never
 *    call it with interrupts disabled or in a hard interrupt (reported).
 *  - raise_softirq() may be called from any context; raise_softirq_irqoff()
 *    with interrupts already off.
 */
#pragma once
#include "kernel/compiler.h"

enum {
	HI_SOFTIRQ = 0,
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	BLOCK_SOFTIRQ,
	IRQ_POLL_SOFTIRQ,
	TASKLET_SOFTIRQ,
	SCHED_SOFTIRQ,
	HRTIMER_SOFTIRQ,
	RCU_SOFTIRQ,
	NR_SOFTIRQS
};

#define MAX_SOFTIRQ_RESTART 10
#define MAX_SOFTIRQ_TIME_NS (2 * 1000 * 1000)	/* 2 ms, as Linux */

struct softirq_action {
	void (*action)(struct softirq_action *);
};

void open_softirq(int nr, void (*action)(struct softirq_action *));
void raise_softirq(unsigned int nr);
void raise_softirq_irqoff(unsigned int nr);
void __raise_softirq_irqoff(unsigned int nr);	/* just mark it pending */
unsigned int local_softirq_pending(void);
/* Run pending softirqs now if not in interrupt context. */
void do_softirq(void);
/* The way out of a hard interrupt (arch/x86/idt.c). */
void irq_exit_softirq(void);

void local_bh_disable(void);
void local_bh_enable(void);
/* Bottom halves back on without running what is pending (for code that
 * knows it will come back, as Linux's _local_bh_enable()). */
void _local_bh_enable(void);

/* How many times each softirq ran on each CPU, and how many rounds were
 * left to ksoftirqd: for tests and `softirqs` in the shell. */
unsigned long softirq_runs(int cpu, int nr);
unsigned long softirq_deferred(int cpu);
extern const char *const softirq_names[NR_SOFTIRQS];
