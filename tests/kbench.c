/*
 * kbench.c - run the registered benchmarks and print their lines.
 */
#include "tests/kbench.h"
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"

extern const struct kbench __start_kbenches[], __stop_kbenches[];

void kbench_report(const char *name, uint64_t total_ns, uint64_t ops,
		   const char *extra)
{
	uint64_t centi = ops ? total_ns * 100 / ops : 0;	/* ns x 100 */

	printk(KERN_INFO "bench: name=%s cpus=%d ns_per_op=%llu.%02llu ops=%llu%s%s\n",
	       name, num_online_cpus(), (unsigned long long)(centi / 100),
	       (unsigned long long)(centi % 100), (unsigned long long)ops,
	       *extra ? " " : "", extra);
}

__noreturn void kbench_run(const char *filter)
{
	int n = 0;

	for (const struct kbench *b = __start_kbenches; b < __stop_kbenches; b++) {
		if (!ktest_name_selected(filter, b->name))
			continue;
		printk(KERN_INFO "kbench: running %s\n", b->name);
		b->fn();
		n++;
	}
	printk(KERN_INFO "kbench: %d benchmarks done\n", n);
	machine_exit(EXIT_SUCCESS_CODE);
}
