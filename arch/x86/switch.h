/*
 * switch.h - the architecture side of switching threads.
 */
#pragma once
#include <stdint.h>

/* Returns, in the thread switched to, the `prev` its switcher passed. */
void *__switch_to(uintptr_t *prev_rsp, uintptr_t next_rsp, void *prev);
void ret_from_kthread(void);

/*
 * The frame __switch_to leaves on a stopped thread's stack, lowest
 * address first: r15 r14 r13 r12 rbx rbp, then the return address into
 * the thread's __switch_to call. Where a stopped thread stopped, for
 * backtraces: its saved frame pointer and that return address.
 */
struct switch_frame {
	uintptr_t r15, r14, r13, r12, rbx, rbp;
	uintptr_t ret;
};

static inline void arch_stopped_thread_frame(uintptr_t saved_rsp, uintptr_t *bp,
					     uintptr_t *ip)
{
	const struct switch_frame *f = (const struct switch_frame *)saved_rsp;

	*bp = f->rbp;
	*ip = f->ret;
}

/*
 * Lay out a new thread's stack as __switch_to expects to find it: six
 * zeroed callee-saved registers, then the address to "return" to. The
 * slot above is padding, so the return lands with rsp 16-byte aligned,
 * as the ABI requires before a call. Returns the initial saved rsp.
 */
static inline uintptr_t arch_init_thread_stack(void *stack_top)
{
	uintptr_t *sp = (uintptr_t *)stack_top;

	*--sp = 0;				/* alignment padding */
	struct switch_frame *f = (struct switch_frame *)sp - 1;
	*f = (struct switch_frame){ .ret = (uintptr_t)ret_from_kthread };
	return (uintptr_t)f;
}
