/*
 * arch/x86/percpu.h - the x86 side of per-CPU variables.
 *
 * Every CPU's GS base register holds that CPU's offset: the distance from
 * the per-CPU template (the .data..percpu section) to the CPU's own copy.
 * An instruction with a %gs: prefix adds the GS base to its address, so
 *
 *     incq %gs:counter
 *
 * increments *this* CPU's copy of `counter` in one instruction. Because an
 * interrupt (and so a preemption) can only happen between instructions, the
 * operation cannot be split by a migration to another CPU: this_cpu_inc()
 * needs no preempt_disable() and no lock prefix (no other CPU writes it).
 */
#pragma once
#include <stdint.h>
#include "arch/x86/cpu.h"

#define __percpu_arg_size_check(var) \
	_Static_assert(sizeof(var) == 1 || sizeof(var) == 2 || \
		       sizeof(var) == 4 || sizeof(var) == 8, \
		       "per-CPU op on a variable of unsupported size")

/* One gs-relative instruction: "op %gs:var" with an operand of var's size. */
#define arch_this_cpu_rmw(insn, var, val)                                  \
	do {                                                               \
		__percpu_arg_size_check(var);                              \
		__typeof__(var) v__ = (val);                               \
		switch (sizeof(var)) {                                     \
		case 1: __asm__ __volatile__(insn "b %1, %%gs:%0"          \
				: "+m"(var) : "qi"(v__)); break;           \
		case 2: __asm__ __volatile__(insn "w %1, %%gs:%0"          \
				: "+m"(var) : "ri"(v__)); break;           \
		case 4: __asm__ __volatile__(insn "l %1, %%gs:%0"          \
				: "+m"(var) : "ri"(v__)); break;           \
		case 8: __asm__ __volatile__(insn "q %1, %%gs:%0"          \
				: "+m"(var) : "re"(v__)); break;           \
		}                                                          \
	} while (0)

#define arch_this_cpu_read(var)                                            \
	({                                                                 \
		__percpu_arg_size_check(var);                              \
		__typeof__(var) r__;                                       \
		switch (sizeof(var)) {                                     \
		case 1: __asm__ __volatile__("movb %%gs:%1, %0"            \
				: "=q"(r__) : "m"(var)); break;            \
		case 2: __asm__ __volatile__("movw %%gs:%1, %0"            \
				: "=r"(r__) : "m"(var)); break;            \
		case 4: __asm__ __volatile__("movl %%gs:%1, %0"            \
				: "=r"(r__) : "m"(var)); break;            \
		case 8: __asm__ __volatile__("movq %%gs:%1, %0"            \
				: "=r"(r__) : "m"(var)); break;            \
		}                                                          \
		r__;                                                       \
	})

#define arch_this_cpu_write(var, val) arch_this_cpu_rmw("mov", var, val)
#define arch_this_cpu_add(var, val)   arch_this_cpu_rmw("add", var, val)
#define arch_this_cpu_sub(var, val)   arch_this_cpu_rmw("sub", var, val)
#define arch_this_cpu_and(var, val)   arch_this_cpu_rmw("and", var, val)
#define arch_this_cpu_or(var, val)    arch_this_cpu_rmw("or", var, val)

/*
 * Read-modify-write that returns a value, still one instruction on this
 * CPU's copy and so safe against preemption and interrupts without a lock
 * prefix (no other CPU writes this copy): xadd returns the old value,
 * cmpxchg what it found.
 */
#define arch_this_cpu_xadd(var, val)                                       \
	({                                                                 \
		__percpu_arg_size_check(var);                              \
		__typeof__(var) v__ = (val);                               \
		switch (sizeof(var)) {                                     \
		case 1: __asm__ __volatile__("xaddb %0, %%gs:%1"           \
				: "+q"(v__), "+m"(var)); break;            \
		case 2: __asm__ __volatile__("xaddw %0, %%gs:%1"           \
				: "+r"(v__), "+m"(var)); break;            \
		case 4: __asm__ __volatile__("xaddl %0, %%gs:%1"           \
				: "+r"(v__), "+m"(var)); break;            \
		case 8: __asm__ __volatile__("xaddq %0, %%gs:%1"           \
				: "+r"(v__), "+m"(var)); break;            \
		}                                                          \
		v__;                                                       \
	})

#define arch_this_cpu_cmpxchg(var, old, new)                               \
	({                                                                 \
		__percpu_arg_size_check(var);                              \
		__typeof__(var) o__ = (old), n__ = (new);                  \
		switch (sizeof(var)) {                                     \
		case 1: __asm__ __volatile__("cmpxchgb %2, %%gs:%1"        \
				: "+a"(o__), "+m"(var) : "q"(n__) : "cc"); break; \
		case 2: __asm__ __volatile__("cmpxchgw %2, %%gs:%1"        \
				: "+a"(o__), "+m"(var) : "r"(n__) : "cc"); break; \
		case 4: __asm__ __volatile__("cmpxchgl %2, %%gs:%1"        \
				: "+a"(o__), "+m"(var) : "r"(n__) : "cc"); break; \
		case 8: __asm__ __volatile__("cmpxchgq %2, %%gs:%1"        \
				: "+a"(o__), "+m"(var) : "r"(n__) : "cc"); break; \
		}                                                          \
		o__;                                                       \
	})

static inline void arch_set_percpu_base(uintptr_t offset)
{
	wrmsr(MSR_GS_BASE, offset);
}
