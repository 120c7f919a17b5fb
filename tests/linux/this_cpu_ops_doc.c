// SPDX-License-Identifier: GPL-2.0
/*
 * this_cpu_ops_doc.c - the examples of Documentation/core-api/
 * this_cpu_ops.rst: a per-CPU variable updated with this_cpu_inc()
 * without disabling preemption, read back with per_cpu(), and the
 * dynamically allocated form (alloc_percpu, this_cpu_ptr, per_cpu_ptr).
 *
 * Invariant: with threads on every CPU hammering both counters, the sum
 * over all CPUs is exactly the number of increments - no update lost,
 * though no lock and no atomic instruction was used.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/percpu.h>
#include <linux/completion.h>
#include <linux/atomic.h>

/* ---- from Documentation/core-api/this_cpu_ops.rst ---- */
DEFINE_PER_CPU(int, x);

struct s {
	int n;
};
static struct s __percpu *ptr;

static void doc_examples(void)
{
	int z;

	z = this_cpu_read(x);
	(void)z;
	this_cpu_inc(x);	/* "x++" on this CPU, one instruction */
	this_cpu_inc(ptr->n);	/* through a pointer from alloc_percpu */
}
/* ---- end of the documentation's code ---- */

#define INCS 50000

static atomic_t left;
static DECLARE_COMPLETION(all_done);

static int hammer(void *arg)
{
	(void)arg;
	for (int i = 0; i < INCS; i++)
		doc_examples();
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init this_cpu_ops_doc_init(void)
{
	int threads = 2 * num_online_cpus(), cpu;
	long sum_x = 0, sum_n = 0;

	ptr = alloc_percpu(struct s);
	if (!ptr)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
		per_cpu(x, cpu) = 0;
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	for (int i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(hammer, NULL, "thiscpu%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	for_each_possible_cpu(cpu) {
		sum_x += per_cpu(x, cpu);
		sum_n += per_cpu_ptr(ptr, cpu)->n;
	}
	free_percpu(ptr);
	pr_info("this_cpu_ops_doc: %d threads x %d: x sums to %ld, ptr->n to %ld\n",
		threads, INCS, sum_x, sum_n);
	return sum_x == (long)threads * INCS && sum_n == (long)threads * INCS ? 0 : -EINVAL;
}

static void __exit this_cpu_ops_doc_exit(void)
{
}

module_init(this_cpu_ops_doc_init);
module_exit(this_cpu_ops_doc_exit);
MODULE_LICENSE("GPL");
