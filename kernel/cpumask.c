/*
 * cpumask.c - cpumask_of(): a read-only mask holding one CPU.
 *
 * Each CPU's mask is filled the first time it is asked for. Two CPUs
 * asking at once both set the same bit (set_bit is atomic and setting it
 * twice changes nothing), and each sets it before returning, so no
 * caller ever sees its mask empty.
 */
#include "kernel/cpumask.h"
#include "kernel/panic.h"

static struct cpumask single_cpu_mask[NR_CPUS];

const struct cpumask *cpumask_of(int cpu)
{
	BUG_ON(cpu < 0 || cpu >= NR_CPUS);
	set_bit(cpu, single_cpu_mask[cpu].bits);
	return &single_cpu_mask[cpu];
}
