/*
 * kbench.c - run the registered benchmarks and print their lines.
 */
#include "tests/kbench.h"
#include "tests/ktest.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/init.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/barrier.h"

extern const struct kbench __start_kbenches[], __stop_kbenches[];

CMDLINE_OPTION("bench", "run the benchmarks (bench=PATTERN selects), then power off");

void kbench_report(const char *name, uint64_t total_ns, uint64_t ops,
		   const char *extra)
{
	uint64_t centi = ops ? total_ns * 100 / ops : 0;	/* ns x 100 */

	printk(KERN_INFO "bench: name=%s cpus=%d ns_per_op=%llu.%02llu ops=%llu%s%s\n",
	       name, num_online_cpus(), (unsigned long long)(centi / 100),
	       (unsigned long long)(centi % 100), (unsigned long long)ops,
	       *extra ? " " : "", extra);
}

/* Benchmarks run one at a time: one harness will do. */
static struct {
	void (*fn)(int id, void *arg);
	void *arg;
	struct completion ready;
	int go;
	uint64_t start[2], end[2];
} two;

static int two_cpus_thread(void *idp)
{
	int id = (int)(uintptr_t)idp;

	complete(&two.ready);
	while (!READ_ONCE(two.go))	/* both start within a few ns */
		cpu_relax();
	two.start[id] = ktime_get_ns();
	two.fn(id, two.arg);
	two.end[id] = ktime_get_ns();
	return 0;
}

uint64_t kbench_on_two_cpus(void (*fn)(int id, void *arg), void *arg)
{
	struct task_struct *t[2];

	if (num_online_cpus() < 2)
		return 0;
	two.fn = fn;
	two.arg = arg;
	two.go = 0;
	init_completion(&two.ready);
	for (int i = 0; i < 2; i++) {
		t[i] = ktest_kthread_create(two_cpus_thread, (void *)(uintptr_t)i, "bench%d", i);
		if (!t[i]) {
			printk(KERN_ERR "bench: cannot create a thread\n");
			if (i)
				ktest_join(t[0]);	/* never woken: it stops unrun */
			return 0;
		}
		kthread_bind(t[i], nth_online_cpu(i));
	}
	wake_up_process(t[0]);
	wake_up_process(t[1]);
	wait_for_completion(&two.ready);
	wait_for_completion(&two.ready);
	WRITE_ONCE(two.go, 1);
	ktest_join(t[0]);
	ktest_join(t[1]);
	return MAX(two.end[0], two.end[1]) - MIN(two.start[0], two.start[1]);
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

/* Booted with `bench`: run them instead of the lab, then leave QEMU. */
static int kbench_boot(void)
{
	if (cmdline_has("bench"))
		kbench_run(cmdline_get_str("bench", ""));
	return 0;
}
late_initcall(kbench_boot);
