/*
 * smp.h - running code on other CPUs.
 *
 *   smp_call_function_single(cpu, fn, arg, wait)
 *       run fn(arg) on `cpu` (in interrupt context there). With wait, return
 *       only after fn has finished; without, return once it is queued.
 *   smp_call_function(fn, arg, wait)  on every other online CPU
 *   on_each_cpu(fn, arg, wait)        on every online CPU, this one included
 *   smp_send_reschedule(cpu)          poke `cpu` so it notices need_resched
 *
 * Rules (as in Linux): fn runs with interrupts off and must not sleep.
 * Do not call with wait from a context with interrupts disabled: two CPUs
 * waiting on each other that way would deadlock (reported by WARN_ON).
 * Calls to one CPU run in the order they were queued.
 */
#pragma once
#include "kernel/cpumask.h"

typedef void (*smp_call_func_t)(void *arg);

int smp_call_function_single(int cpu, smp_call_func_t fn, void *arg, bool wait);
void smp_call_function(smp_call_func_t fn, void *arg, bool wait);
void on_each_cpu(smp_call_func_t fn, void *arg, bool wait);
void smp_send_reschedule(int cpu);

/* Boot: bring up the other CPUs (arch/x86/smpboot.c). */
void smp_init(void);
/* The APIC id of a logical CPU. */
extern uint32_t cpu_apic_id[NR_CPUS];
