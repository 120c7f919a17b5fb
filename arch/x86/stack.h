/*
 * stack.h - run a function on another stack.
 * Used once at boot to leave the small, unguarded boot stack for a
 * kernel stack with a guard page.
 */
#pragma once
#include <stdint.h>

static inline __attribute__((noreturn)) void
call_on_stack(void (*fn)(void), uintptr_t stack_top)
{
	__asm__ __volatile__(
		"mov %0, %%rsp\n\t"
		"xor %%ebp, %%ebp\n\t"	/* backtraces end here */
		"call *%1\n\t"
		"ud2"
		: : "r"(stack_top), "r"(fn) : "memory");
	__builtin_unreachable();
}
