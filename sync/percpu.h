/*
 * percpu.h - per-CPU variables, with Linux's names.
 *
 *   DEFINE_PER_CPU(long, hits);        one copy of `hits` per CPU
 *   this_cpu_inc(hits);                this CPU's copy, one instruction
 *   per_cpu(hits, cpu)                 a given CPU's copy (an lvalue)
 *   per_cpu_ptr(&hits, cpu)            pointer to a given CPU's copy
 *   this_cpu_ptr(&hits)                pointer to this CPU's copy
 *
 * Rules:
 *  - this_cpu_read/write/add/sub/inc/dec are single instructions: safe
 *    against interrupts and preemption on this CPU without disabling them.
 *    They are not atomic with respect to *other* CPUs, which is fine as
 *    long as only the owning CPU writes its copy.
 *  - Anything longer (read, compute, write back; or using this_cpu_ptr())
 *    must run with preemption disabled (get_cpu()/put_cpu(), or
 *    get_cpu_var()/put_cpu_var() below), otherwise the thread may move to
 *    another CPU half-way through.
 *  - Preemption off does not stop this CPU's interrupts: if an interrupt
 *    handler updates the same variable, the longer sequence also needs
 *    interrupts off (local_irq_save()).
 *  - per_cpu(x, cpu) of another CPU is a plain access to shared memory:
 *    reading it while its owner writes it gives a slightly stale value
 *    (fine for statistics), never a torn one for naturally aligned words.
 */
#pragma once
#include "kernel/compiler.h"
#include "arch/x86/percpu.h"

#define NR_CPUS 256

#define DEFINE_PER_CPU(type, name) \
	__section(".data..percpu") __typeof__(type) name
#define DEFINE_PER_CPU_ALIGNED(type, name) \
	__section(".data..percpu") __cacheline_aligned __typeof__(type) name
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name

/* Distance from the template to each CPU's copy; 0 before setup. */
extern uintptr_t __per_cpu_offset[NR_CPUS];
DECLARE_PER_CPU(uintptr_t, this_cpu_off);
DECLARE_PER_CPU(int, cpu_number);

#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((uintptr_t)(ptr) + __per_cpu_offset[(cpu)]))
#define per_cpu(var, cpu) (*per_cpu_ptr(&(var), (cpu)))
#define this_cpu_ptr(ptr) \
	((__typeof__(ptr))((uintptr_t)(ptr) + this_cpu_read(this_cpu_off)))

#define this_cpu_read(var)       arch_this_cpu_read(var)
#define this_cpu_write(var, val) arch_this_cpu_write(var, val)
#define this_cpu_add(var, val)   arch_this_cpu_add(var, val)
#define this_cpu_sub(var, val)   arch_this_cpu_sub(var, val)
#define this_cpu_inc(var)        this_cpu_add(var, 1)
#define this_cpu_dec(var)        this_cpu_sub(var, 1)

/* The double-underscore forms expect the caller to have preemption off. */
#define __this_cpu_read(var)       this_cpu_read(var)
#define __this_cpu_write(var, val) this_cpu_write(var, val)
#define __this_cpu_add(var, val)   this_cpu_add(var, val)
#define __this_cpu_inc(var)        this_cpu_inc(var)
#define __this_cpu_dec(var)        this_cpu_dec(var)

/*
 * This CPU's copy, with preemption disabled until the matching put:
 *
 *   get_cpu_var(hits)++;  put_cpu_var(hits);        (an lvalue)
 *   struct stats *s = get_cpu_ptr(&stats);  s->a++; s->b++;  put_cpu_ptr(&stats);
 *
 * As in Linux. (Needs sched/preempt.h, included at the end of this file.)
 */
#define get_cpu_var(var)                                                  \
	(*({                                                              \
		preempt_disable();                                        \
		this_cpu_ptr(&(var));                                     \
	}))
#define put_cpu_var(var)                                                  \
	do {                                                              \
		(void)&(var);                                             \
		preempt_enable();                                         \
	} while (0)
#define get_cpu_ptr(ptr)                                                  \
	({                                                                \
		preempt_disable();                                        \
		this_cpu_ptr(ptr);                                        \
	})
#define put_cpu_ptr(ptr)                                                  \
	do {                                                              \
		(void)(ptr);                                              \
		preempt_enable();                                         \
	} while (0)

/*
 * The CPU this code runs on: only stable while preemption is disabled (or
 * the thread is bound to one CPU). Debug builds check that, as Linux's
 * CONFIG_DEBUG_PREEMPT does: "BUG: using smp_processor_id() in
 * preemptible code" (sched/core.c). raw_smp_processor_id() never checks:
 * for a CPU number that may be stale by the time it is used (statistics,
 * a hint, a report).
 */
#define raw_smp_processor_id() this_cpu_read(cpu_number)
#ifdef CONFIG_DEBUG_PREEMPT
unsigned int debug_smp_processor_id(void);
#define smp_processor_id()     ((int)debug_smp_processor_id())
#else
#define smp_processor_id()     raw_smp_processor_id()
#endif

/* Give `cpu` its own copy of every per-CPU variable and load GS. */
void setup_percpu_area(int cpu);
void load_percpu_base(int cpu);

/* get_cpu_var() and friends use preempt_disable(); preempt.h includes this
 * file first, so whichever is included first, both end up complete. */
#include "sched/preempt.h"
