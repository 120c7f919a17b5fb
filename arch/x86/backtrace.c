/*
 * backtrace.c - frame-pointer stack walking.
 *
 * A frame looks like [rbp] = caller's rbp, [rbp+8] = return address. We
 * follow the chain while it stays inside mapped kernel memory, grows
 * towards higher addresses (stacks grow down, so callers' frames sit
 * above), and is 8-byte aligned; a zero rbp (set in boot.asm and at the
 * start of every thread) ends it. Any of these checks failing just ends
 * the walk: a corrupted stack must not crash the crash report.
 */
#include "arch/x86/backtrace.h"
#include "arch/x86/paging.h"
#include "kernel/printk.h"
#include "kernel/ksyms.h"
#include "kernel/mm.h"

#define MAX_FRAMES 32

static bool frame_ok(uintptr_t rbp, uintptr_t prev)
{
	if (rbp == 0 || (rbp & 7) || rbp < PHYS_OFFSET)
		return false;
	if (prev && (rbp <= prev || rbp - prev > 64 * 1024))
		return false;
	return is_mapped(rbp) && is_mapped(rbp + 15);
}

int backtrace_save(uintptr_t rbp, uintptr_t *pcs, int max)
{
	int n = 0;
	uintptr_t prev = 0;

	while (n < max && frame_ok(rbp, prev)) {
		uintptr_t ret = ((uintptr_t *)rbp)[1];
		if (ret < KERNEL_VMA)
			break;
		pcs[n++] = ret;
		prev = rbp;
		rbp = ((uintptr_t *)rbp)[0];
	}
	return n;
}

static void print_frame(uintptr_t pc)
{
	char sym[128];

	ksym_format(sym, sizeof(sym), pc);
	printk(KERN_EMERG "  [<%016lx>] %s\n", (unsigned long)pc, sym);
}

void backtrace_print(uintptr_t rbp, uintptr_t rip)
{
	uintptr_t pcs[MAX_FRAMES];
	int n = backtrace_save(rbp, pcs, MAX_FRAMES);

	printk(KERN_EMERG "Call Trace:\n");
	if (rip)
		print_frame(rip);
	for (int i = 0; i < n; i++)
		print_frame(pcs[i]);
}
