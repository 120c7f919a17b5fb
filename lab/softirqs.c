/*
 * softirqs.c - the shell's `softirqs`: how many times each softirq ran on
 * each CPU (Linux's /proc/softirqs), how many rounds were handed to
 * ksoftirqd, and each CPU's workqueue pool.
 */
#include "lab/shell.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"
#include "kernel/vsprintf.h"
#include "kernel/workqueue.h"

static void cmd_softirqs(int argc, char **argv)
{
	char line[160];
	int cpu, n;

	(void)argc;
	(void)argv;
	n = scnprintf(line, sizeof(line), "%-16s", "");
	for_each_online_cpu(cpu)
		n += scnprintf(line + n, sizeof(line) - n, " %10s%d", "CPU", cpu);
	printk(KERN_INFO "%s\n", line);
	for (int nr = 0; nr < NR_SOFTIRQS; nr++) {
		n = scnprintf(line, sizeof(line), "%-16s", softirq_names[nr]);
		for_each_online_cpu(cpu)
			n += scnprintf(line + n, sizeof(line) - n, " %11lu", softirq_runs(cpu, nr));
		printk(KERN_INFO "%s\n", line);
	}
	n = scnprintf(line, sizeof(line), "%-16s", "to ksoftirqd");
	for_each_online_cpu(cpu)
		n += scnprintf(line + n, sizeof(line) - n, " %11lu", softirq_deferred(cpu));
	printk(KERN_INFO "%s\n", line);
	n = scnprintf(line, sizeof(line), "%-16s", "kworkers (idle)");
	for_each_online_cpu(cpu) {
		int workers, idle;
		workqueue_stats(cpu, &workers, &idle);
		n += scnprintf(line + n, sizeof(line) - n, " %7d (%d)", workers, idle);
	}
	printk(KERN_INFO "%s\n", line);
}
SHELL_COMMAND(softirqs, "", "softirqs run per CPU (Linux's /proc/softirqs), kworkers", cmd_softirqs);
