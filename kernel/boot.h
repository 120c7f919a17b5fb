/*
 * boot.h - the kernel's own start-up functions, each called once (or
 * once per CPU) by kmain() (kernel/main.c) and the CPU bring-up
 * (arch/x86/smpboot.c), in the order main.c shows.
 *
 * Kernel-internal: no <linux/...> header includes this one, so that a
 * module may call its own function timer_init() or sched_init(), as it
 * may in Linux, where these are internal too. Where Linux has a name for
 * the same step, it is that name.
 */
#pragma once

void tsc_init(void);			/* arch/x86/tsc.c: ktime_get_ns() */
void printk_init(void);			/* kernel/printk.c: time stamps */
void init_timers(void);			/* kernel/timer.c: on the BSP, once */
void timer_start_cpu(void);		/* kernel/timer.c: on every CPU */
void sched_init(void);			/* sched/core.c: boot context -> idle */
void sched_init_ap(int cpu);		/* sched/core.c: each AP, the same */
void lockup_detector_init(void);	/* sched/watchdog.c */
void call_function_init(void);		/* kernel/smp.c: cross-CPU calls */
void cpu_stop_init(void);		/* kernel/stop_machine.c: stoppers */
void jitter_init(void);			/* kernel/jitter.c: jitter=SEED */
