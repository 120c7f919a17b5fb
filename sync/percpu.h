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
/* Linux's other placements: one cache line of its own (shared_aligned:
 * other CPUs read or write it too, so it must not share a line with a
 * neighbour), or grouped with rarely written data (read_mostly). The
 * per-CPU area has one section here, so they differ only in alignment. */
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name) DEFINE_PER_CPU_ALIGNED(type, name)
#define DEFINE_PER_CPU_READ_MOSTLY(type, name) DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_ALIGNED(type, name) \
	extern __cacheline_aligned __typeof__(type) name
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name) DECLARE_PER_CPU_ALIGNED(type, name)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name) DECLARE_PER_CPU(type, name)

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
#define this_cpu_and(var, val)   arch_this_cpu_and(var, val)
#define this_cpu_or(var, val)    arch_this_cpu_or(var, val)
/* These return the new value (add_return) or the old one (xchg,
 * cmpxchg: what was there), as Linux's; each is one instruction on this
 * CPU's copy (xchg: a cmpxchg loop), so a migration cannot split it. */
#define this_cpu_add_return(var, val) \
	({ __typeof__(var) a__ = (val); arch_this_cpu_xadd(var, a__) + a__; })
#define this_cpu_sub_return(var, val) this_cpu_add_return(var, -(val))
#define this_cpu_inc_return(var)      this_cpu_add_return(var, 1)
#define this_cpu_dec_return(var)      this_cpu_add_return(var, -1)
#define this_cpu_cmpxchg(var, old, new) arch_this_cpu_cmpxchg(var, old, new)
#define this_cpu_xchg(var, new)                                           \
	({                                                                \
		__typeof__(var) n__ = (new), o__ = this_cpu_read(var), s__; \
		while ((s__ = arch_this_cpu_cmpxchg(var, o__, n__)) != o__) \
			o__ = s__;                                        \
		o__;                                                      \
	})

/* The double-underscore (and raw_) forms expect the caller to have
 * preemption off; here they are the same single instructions. */
#define __this_cpu_read(var)       this_cpu_read(var)
#define __this_cpu_write(var, val) this_cpu_write(var, val)
#define __this_cpu_add(var, val)   this_cpu_add(var, val)
#define __this_cpu_sub(var, val)   this_cpu_sub(var, val)
#define __this_cpu_inc(var)        this_cpu_inc(var)
#define __this_cpu_dec(var)        this_cpu_dec(var)
#define __this_cpu_and(var, val)   this_cpu_and(var, val)
#define __this_cpu_or(var, val)    this_cpu_or(var, val)
#define __this_cpu_add_return(var, val) this_cpu_add_return(var, val)
#define __this_cpu_inc_return(var) this_cpu_inc_return(var)
#define __this_cpu_dec_return(var) this_cpu_dec_return(var)
#define __this_cpu_sub_return(var, val) this_cpu_sub_return(var, val)
#define __this_cpu_xchg(var, new)  this_cpu_xchg(var, new)
#define __this_cpu_cmpxchg(var, o, n) this_cpu_cmpxchg(var, o, n)
#define raw_cpu_read(var)          this_cpu_read(var)
#define raw_cpu_write(var, val)    this_cpu_write(var, val)
#define raw_cpu_add(var, val)      this_cpu_add(var, val)
#define raw_cpu_inc(var)           this_cpu_inc(var)
#define raw_cpu_ptr(ptr)           this_cpu_ptr(ptr)

/*
 * Dynamic per-CPU memory (kernel/percpu.c): alloc_percpu(type) returns a
 * pointer to use as a per-CPU variable's address - per_cpu_ptr(p, cpu),
 * this_cpu_ptr(p), this_cpu_inc(*p) - zeroed on every CPU; NULL when the
 * reserve (PERCPU_DYNAMIC_SIZE bytes per CPU) is used up. May sleep.
 */
#define PERCPU_DYNAMIC_SIZE 8192
void *__alloc_percpu(size_t size, size_t align);
void free_percpu(void *p);
#define alloc_percpu(type) \
	((__typeof__(type) *)__alloc_percpu(sizeof(type), __alignof__(type)))
#define alloc_percpu_gfp(type, gfp) alloc_percpu(type)

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
