/*
 * gdt.c - per-CPU GDT and TSS.
 * Each CPU needs its own TSS (the IST stacks must differ) and, since the
 * TSS descriptor is marked busy once loaded, its own GDT too.
 */
#include "arch/x86/desc.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "sync/percpu.h"

struct cpu_desc {
	uint64_t gdt[5];
	struct tss tss;
	uintptr_t ist_base[NR_IST + 1];
};

static DEFINE_PER_CPU(struct cpu_desc, cpu_desc) __aligned(16);

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static void set_tss_desc(uint64_t *gdt, struct tss *tss)
{
	uint64_t base = (uint64_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	/* 16-byte system descriptor: type 9 = available 64-bit TSS. */
	gdt[3] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89UL << 40) | (((limit >> 16) & 0xf) << 48) |
		 (((base >> 24) & 0xff) << 56);
	gdt[4] = base >> 32;
}

static void load_segments(struct cpu_desc *d)
{
	struct desc_ptr p = { sizeof(d->gdt) - 1, (uint64_t)d->gdt };

	__asm__ __volatile__(
		"lgdt %0\n\t"
		"pushq %1\n\t"
		"leaq 1f(%%rip), %%rax\n\t"
		"pushq %%rax\n\t"
		"lretq\n"		/* reload CS with a far return */
		"1:\n\t"
		"movw %w2, %%ax\n\t"
		"movw %%ax, %%ds\n\t"
		"movw %%ax, %%es\n\t"
		"movw %%ax, %%ss\n\t"
		"ltr %w3\n\t"
		: : "m"(p), "i"(KERNEL_CS), "r"(KERNEL_DS), "r"(TSS_SEL)
		: "rax", "memory");
}

void gdt_init_cpu(int cpu)
{
	struct cpu_desc *d = per_cpu_ptr(&cpu_desc, cpu);

	d->gdt[0] = 0;
	d->gdt[1] = 0x00af9a000000ffffUL;	/* kernel code, 64-bit */
	d->gdt[2] = 0x00cf92000000ffffUL;	/* kernel data */
	set_tss_desc(d->gdt, &d->tss);
	for (int i = 1; i <= NR_IST; i++) {
		void *stack = kstack_alloc();
		if (!stack)
			panic("gdt: no memory for IST stacks");
		d->ist_base[i] = (uintptr_t)stack;
		d->tss.ist[i - 1] = (uintptr_t)stack + KSTACK_SIZE;
	}
	d->tss.iomap_base = sizeof(d->tss);	/* no I/O permission map */
	load_segments(d);
}

bool ist_stack_of(uintptr_t addr, int *which)
{
	struct cpu_desc *d = this_cpu_ptr(&cpu_desc);

	for (int i = 1; i <= NR_IST; i++)
		if (addr >= d->ist_base[i] && addr < d->ist_base[i] + KSTACK_SIZE) {
			*which = i;
			return true;
		}
	return false;
}
