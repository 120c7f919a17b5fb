/*
 * barrier.h - memory barriers on x86-64, and why most are cheap here.
 *
 * x86 is "TSO" (total store order): a CPU's loads are not reordered with
 * other loads, stores not with other stores, and a store not with an
 * earlier load. The only reordering the hardware does is the store buffer:
 * a load may complete before an *earlier store* to another address is
 * visible to other CPUs (the SB litmus test in tests/ shows it happen).
 *
 *   smp_mb()   orders everything, including store->load: needs a real
 *              fence. A locked add to the stack is one, and is cheaper
 *              than mfence, so that is what Linux and we use.
 *   smp_rmb(), smp_wmb(): load->load and store->store are already ordered
 *              by the hardware, so these only stop the *compiler*.
 *   smp_load_acquire/smp_store_release: plain moves have acquire/release
 *              semantics on x86; again only the compiler must be held.
 *   smp_mb__before_atomic/after_atomic: locked instructions are already
 *              full barriers on x86: compiler barriers.
 *   mb/rmb/wmb: mfence/lfence/sfence, for device memory and non-temporal
 *              stores, which do not follow TSO. Not needed between CPUs.
 */
#pragma once
#include "kernel/compiler.h"
#include "arch/x86/cpu.h"

#define mb()    __asm__ __volatile__("mfence" ::: "memory")
#define rmb()   __asm__ __volatile__("lfence" ::: "memory")
#define wmb()   __asm__ __volatile__("sfence" ::: "memory")

#define smp_mb() \
	__asm__ __volatile__("lock addl $0, -4(%%rsp)" ::: "memory", "cc")
#define smp_rmb() barrier()
#define smp_wmb() barrier()

#define smp_mb__before_atomic() barrier()
#define smp_mb__after_atomic()  barrier()

#define smp_store_release(p, v)        \
	do {                           \
		barrier();             \
		WRITE_ONCE(*(p), (v)); \
	} while (0)

#define smp_load_acquire(p)                         \
	({                                          \
		__typeof__(*(p)) v__ = READ_ONCE(*(p)); \
		barrier();                          \
		v__;                                \
	})

/*
 * smp_cond_load_relaxed(ptr, cond): spin until cond is true of the value
 * at ptr, which cond names VAL; returns that value. The _acquire form
 * also orders the caller's later accesses after the load that saw cond
 * true (Linux's contract; on x86 the load already is an acquire):
 *
 *     smp_cond_load_acquire(&lock->locked, VAL == 0);
 *
 * The wait relaxes the CPU (pause) between loads, as a spinning lock
 * does. Never sleeps: use wait_event() when the wait may be long.
 */
#define smp_cond_load_relaxed(ptr, cond_expr)                          \
	({                                                             \
		__typeof__(ptr) scl_ptr__ = (ptr);                     \
		__typeof__(*scl_ptr__) VAL;                            \
		for (;;) {                                             \
			VAL = READ_ONCE(*scl_ptr__);                   \
			if (cond_expr)                                 \
				break;                                 \
			cpu_relax();                                   \
		}                                                      \
		VAL;                                                   \
	})
#define smp_cond_load_acquire(ptr, cond_expr)                          \
	({                                                             \
		__typeof__(*(ptr)) sca_v__ =                           \
			smp_cond_load_relaxed(ptr, cond_expr);         \
		barrier();	/* acquire: x86 loads already are */   \
		sca_v__;                                               \
	})
