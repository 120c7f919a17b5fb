// SPDX-License-Identifier: GPL-2.0
/*
 * module_h_only.c - what Linux's <linux/module.h> brings, this one does:
 * a module with only it and <linux/timer.h> may call on_each_cpu() and
 * for_each_online_cpu() and use per-CPU variables, as on Linux (there
 * they come through <linux/percpu.h>). That it compiles is most of the
 * test; loading it checks each CPU ran the call once.
 */
#include <linux/module.h>
#include <linux/timer.h>

static DEFINE_PER_CPU(int, visits);

static void visit(void *arg)
{
	this_cpu_inc(visits);
}

static int __init module_h_only_init(void)
{
	int cpu, cpus = 0, total = 0;

	on_each_cpu(visit, NULL, 1);
	for_each_online_cpu(cpu) {
		cpus++;
		total += per_cpu(visits, cpu);
	}
	pr_info("module_h_only: %d visits on %d CPUs\n", total, cpus);
	return total == cpus && cpus == num_online_cpus() ? 0 : -EINVAL;
}

static void __exit module_h_only_exit(void)
{
}

module_init(module_h_only_init);
module_exit(module_h_only_exit);
MODULE_LICENSE("GPL");
