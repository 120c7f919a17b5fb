/*
 * percpu.c - give each CPU its own copy of the per-CPU section.
 *
 * The linker gathers every DEFINE_PER_CPU variable into .data..percpu
 * (between __percpu_start and __percpu_end). That section is only a
 * template: each CPU gets a page-aligned copy, and its GS base is set to
 * (copy - template), so %gs:var lands in the copy (arch/x86/percpu.h).
 */
#include "sync/percpu.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/string.h"

extern char __percpu_start[], __percpu_end[];

uintptr_t __per_cpu_offset[NR_CPUS];
DEFINE_PER_CPU(uintptr_t, this_cpu_off);
DEFINE_PER_CPU(int, cpu_number);

void setup_percpu_area(int cpu)
{
	size_t size = (size_t)(__percpu_end - __percpu_start);
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	char *copy = alloc_pages(order);
	if (!copy)
		panic("percpu: no memory for CPU %d's area (%zu bytes)", cpu, size);
	memcpy(copy, __percpu_start, size);
	__per_cpu_offset[cpu] = (uintptr_t)copy - (uintptr_t)__percpu_start;
	per_cpu(this_cpu_off, cpu) = __per_cpu_offset[cpu];
	per_cpu(cpu_number, cpu) = cpu;
}

void load_percpu_base(int cpu)
{
	arch_set_percpu_base(__per_cpu_offset[cpu]);
}
