/*
 * switch.h - the architecture side of switching threads.
 */
#pragma once
#include <stdint.h>

/* Returns, in the thread switched to, the `prev` its switcher passed. */
void *__switch_to(uintptr_t *prev_rsp, uintptr_t next_rsp, void *prev);
void ret_from_kthread(void);

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
	*--sp = (uintptr_t)ret_from_kthread;	/* __switch_to's ret */
	for (int i = 0; i < 6; i++)
		*--sp = 0;			/* rbp rbx r12 r13 r14 r15 */
	return (uintptr_t)sp;
}
