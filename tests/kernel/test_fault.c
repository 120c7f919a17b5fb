/*
 * test_fault.c - planted faults must be reported by name.
 * Each of these crashes the kernel on purpose, so each runs in a boot of
 * its own; the runner checks the message and the panic exit status.
 */
#include "tests/ktest.h"
#include "kernel/mm.h"
#include "kernel/panic.h"

KTEST_EXPECT_PANIC(fault, null_deref, "BUG: kernel NULL pointer dereference")
{
	volatile int *p = NULL;

	(void)*p;
}

KTEST_EXPECT_PANIC(fault, unmapped_address,
		   "BUG: unable to handle page fault for address: 0000123456789000")
{
	volatile long *p = (long *)0x123456789000UL;

	*p = 1;
}

/* Recursion far deeper than any stack: only the guard page stops it.
 * (The bound is volatile so the compiler cannot prove it infinite.) */
static volatile int recursion_limit = 1 << 30;

static __noinline int recurse(int depth)
{
	volatile char frame[256];

	frame[0] = (char)depth;
	if (depth >= recursion_limit)
		return 0;
	return recurse(depth + 1) + frame[0];
}

KTEST_EXPECT_PANIC(fault, stack_overflow, "BUG: kernel stack overflow")
{
	recurse(0);
}

/* W^X: the kernel's own code is not writable... */
KTEST_EXPECT_PANIC(fault, write_to_text,
		   "#PF: error_code(0x0003) - permissions violation")
{
	volatile uint8_t *code = (uint8_t *)(uintptr_t)&ktest_run;

	*code = 0xc3;
}

/* ...read-only data is not writable... */
static const int constant = 42;
KTEST_EXPECT_PANIC(fault, write_to_rodata,
		   "#PF: error_code(0x0003) - permissions violation")
{
	*(volatile int *)&constant = 1;
}

/* ...and data is not executable. */
static uint8_t data_code[16] = { 0xc3 };	/* ret */
KTEST_EXPECT_PANIC(fault, execute_data, "#PF: supervisor instruction fetch access")
{
	((void (*)(void))(uintptr_t)data_code)();
}

KTEST_EXPECT_PANIC(fault, invalid_opcode, "Oops: invalid opcode (vector 6)")
{
	__asm__ __volatile__("ud2");
}

KTEST_EXPECT_PANIC(fault, divide_error, "Oops: divide error (vector 0)")
{
	/* In assembly: in C, the compiler may drop a division by zero. */
	uint32_t zero = 0;

	__asm__ __volatile__("xor %%edx, %%edx\n\tmov $1, %%eax\n\tdivl %0"
			     : : "r"(zero) : "eax", "edx");
}

KTEST_EXPECT_PANIC(fault, bug_on, "kernel BUG at tests/kernel/test_fault.c")
{
	volatile int broken = 1;

	BUG_ON(broken);
}

/* A backtrace names the functions on the way: the runner sees this one. */
static __noinline void backtrace_inner(void)
{
	panic("planted panic for the backtrace test");
}

static __noinline void backtrace_outer(void)
{
	backtrace_inner();
	barrier();
}

KTEST_EXPECT_PANIC(fault, panic_backtrace, "backtrace_outer+0x")
{
	backtrace_outer();
}

/* Non-fatal checks: only the panic-free parts can run in the main boot. */
KTEST(fault, warn_on_continues)
{
	volatile int x = 1;

	ktest_expect_warnings();
	unsigned int before = warn_count();
	KASSERT(WARN_ON(x == 1));
	KASSERT_EQ(warn_count(), before + 1);	/* counted: the runner sees it */
	KASSERT(!WARN_ON(x == 2));
}

/* Following a pointer out of freed memory: the fault names the poison. */
struct uaf_node {
	long value;		/* the heap keeps its free list in the first word */
	struct uaf_node *next;
};

KTEST_EXPECT_PANIC(fault, use_after_free_named, "is kfree poison (0x6b...)")
{
	struct uaf_node *n = kmalloc(sizeof(*n), GFP_KERNEL);

	n->next = n;
	kfree(n);
	struct uaf_node *volatile next = READ_ONCE(n->next);	/* 0x6b6b... */
	(void)READ_ONCE(next->value);
}
