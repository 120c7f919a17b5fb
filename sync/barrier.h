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
