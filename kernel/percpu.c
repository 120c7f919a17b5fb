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
#include "kernel/cpumask.h"
#include "sched/sched.h"
#include "sync/mutex.h"

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

/*
 * alloc_percpu(): the dynamic part. A reserve inside the per-CPU section
 * (so every CPU's copy has it at the same offset) is handed out in 8-byte
 * units, first fit, under a mutex; the pointer returned is the template's
 * address, which per_cpu_ptr() and %gs: turn into each CPU's copy. The
 * unit map keeps each allocation's length for free_percpu().
 */
#define UNIT 8
#define NR_UNITS (PERCPU_DYNAMIC_SIZE / UNIT)

static DEFINE_PER_CPU_ALIGNED(char [PERCPU_DYNAMIC_SIZE], percpu_reserve);
static unsigned short unit_len[NR_UNITS];	/* at an allocation's start */
static unsigned long unit_used[NR_UNITS / 64];
static DEFINE_MUTEX(percpu_alloc_mutex);

static bool units_free(size_t first, size_t n)
{
	for (size_t u = first; u < first + n; u++)
		if (test_bit((long)u, unit_used))
			return false;
	return true;
}

void *__alloc_percpu(size_t size, size_t align)
{
	size_t n = (size + UNIT - 1) / UNIT, step = MAX(align, (size_t)UNIT) / UNIT;
	void *p = NULL;
	int cpu;

	might_sleep();
	if (!size || n > NR_UNITS)
		return NULL;
	mutex_lock(&percpu_alloc_mutex);
	for (size_t first = 0; first + n <= NR_UNITS; first += step) {
		if (!units_free(first, n))
			continue;
		for (size_t u = first; u < first + n; u++)
			__set_bit((long)u, unit_used);
		unit_len[first] = (unsigned short)n;
		p = &percpu_reserve[first * UNIT];
		for_each_possible_cpu(cpu)
			memset(per_cpu_ptr(p, cpu), 0, n * UNIT);
		break;
	}
	mutex_unlock(&percpu_alloc_mutex);
	return p;
}

void free_percpu(void *p)
{
	if (!p)
		return;
	uintptr_t off = (uintptr_t)p - (uintptr_t)percpu_reserve;
	BUG_ON(off >= PERCPU_DYNAMIC_SIZE || off % UNIT || !unit_len[off / UNIT]);
	mutex_lock(&percpu_alloc_mutex);
	size_t first = off / UNIT;
	for (size_t u = first; u < first + unit_len[first]; u++)
		__clear_bit((long)u, unit_used);
	unit_len[first] = 0;
	mutex_unlock(&percpu_alloc_mutex);
}
