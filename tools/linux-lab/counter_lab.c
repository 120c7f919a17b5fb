// SPDX-License-Identifier: GPL-2.0
/*
 * counter_lab.c - the counter experiment as a Linux module.
 *
 * `make bench-linux` (tools/linux-bench.sh) builds this module against
 * Debian's kernel and boots that kernel under the same QEMU settings as
 * smpkern, so that both kernels are measured on the same machine. It does
 * what lab/counter.c does, the way the lab's module does it:
 *  - the workers are created first and wait on a start completion; the
 *    clock (ktime_get_ns) starts just before complete_all() and stops when
 *    the last worker's completion has been waited for;
 *  - once running, each worker checks in and spins until as many workers
 *    as there are CPUs (or all, if fewer) have: the loops start together;
 *  - every worker adds 1 (decrement=1: odd-numbered ones subtract 1, as
 *    the seed lab does); they are not bound to CPUs;
 *  - the counter, the mutex, the spinlock and the atomic each sit alone on
 *    a cache line; the per-CPU counter is summed over all possible CPUs.
 * It prints the same machine-readable line per run as smpkern:
 *   counter: mode=M cpus=N workers=W iters=I final=F expected=E ns=T ns_per_op=X
 *
 * Parameters: modes=none,atomic,... workers=16,8,4,2 total=W*I repeat=K
 * decrement=1
 * (K runs per cell, each printed; the script takes the median); pin=1
 * binds worker i to the i-th online CPU (modulo), as counter.pin=1 does;
 * where=1 adds, per run, the CPU each worker started and ended on and its
 * voluntary and involuntary context switches (did Linux pack workers
 * onto one CPU? did they sleep?).
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/atomic.h>
#include <linux/percpu.h>
#include <linux/ktime.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sched/task.h>

static char *modes = "none,atomic,spinlock,mutex,percpu,percpu_getcpu";
static char *workers = "16,8,4,2";
static long total = 1L << 24;
static int repeat = 1;
static int pin;		/* 1: bind worker i to online CPU i % N, as counter.pin=1 */
static int where;	/* 1: also print the CPUs each worker started and ended on */
static int decrement;	/* 1: odd-numbered workers subtract 1 */
module_param(modes, charp, 0444);
module_param(decrement, int, 0444);
module_param(pin, int, 0444);
module_param(where, int, 0444);
module_param(workers, charp, 0444);
module_param(total, long, 0444);
module_param(repeat, int, 0444);

static long counter ____cacheline_aligned;
static struct mutex lab_mutex ____cacheline_aligned;
static spinlock_t lab_lock ____cacheline_aligned;
static atomic_long_t lab_atomic ____cacheline_aligned;
static DEFINE_PER_CPU(long, lab_percpu);

enum mode { NONE, ATOMIC, SPINLOCK, MUTEX, PERCPU, PERCPU_GETCPU, NR_MODES };
static const char *const mode_names[NR_MODES] = {
	"none", "atomic", "spinlock", "mutex", "percpu", "percpu_getcpu",
};

struct worker {
	enum mode mode;
	long iters, delta;
	struct completion *start;
	atomic_t *arrived;	/* workers running, checked in */
	int together;		/* loops start when this many have */
	struct completion done;
	struct task_struct *task;
	int cpu_start, cpu_end;
};

static void run_loop(enum mode mode, long iters, long d)
{
	long i;
	int cpu;

	switch (mode) {
	case NONE:
		for (i = 0; i < iters; i++) {
			counter += d;
			barrier();
		}
		break;
	case ATOMIC:
		for (i = 0; i < iters; i++)
			atomic_long_add(d, &lab_atomic);
		break;
	case SPINLOCK:
		for (i = 0; i < iters; i++) {
			spin_lock(&lab_lock);
			counter += d;
			spin_unlock(&lab_lock);
		}
		break;
	case MUTEX:
		for (i = 0; i < iters; i++) {
			mutex_lock(&lab_mutex);
			counter += d;
			mutex_unlock(&lab_mutex);
		}
		break;
	case PERCPU:
		for (i = 0; i < iters; i++)
			this_cpu_add(lab_percpu, d);
		break;
	case PERCPU_GETCPU:
		for (i = 0; i < iters; i++) {
			cpu = get_cpu();
			(*per_cpu_ptr(&lab_percpu, cpu)) += d;
			put_cpu();
		}
		break;
	default:
		break;
	}
}

static int nth_online(int n)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (n-- == 0)
			return cpu;
	return 0;
}

static int worker_fn(void *arg)
{
	struct worker *w = arg;

	wait_for_completion(w->start);
	atomic_inc(w->arrived);
	while (atomic_read(w->arrived) < w->together)
		cpu_relax();
	w->cpu_start = raw_smp_processor_id();
	run_loop(w->mode, w->iters, w->delta);
	w->cpu_end = raw_smp_processor_id();
	complete(&w->done);
	while (!kthread_should_stop()) {	/* wait to be reaped */
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static long read_counter(enum mode mode)
{
	long sum = 0;
	int cpu;

	if (mode == ATOMIC)
		return atomic_long_read(&lab_atomic);
	if (mode == PERCPU || mode == PERCPU_GETCPU) {
		for_each_possible_cpu(cpu)
			sum += per_cpu(lab_percpu, cpu);
		return sum;
	}
	return READ_ONCE(counter);
}

static void reset(void)
{
	int cpu;

	counter = 0;
	atomic_long_set(&lab_atomic, 0);
	for_each_possible_cpu(cpu)
		per_cpu(lab_percpu, cpu) = 0;
}

static int run_one(enum mode mode, int nw, long iters)
{
	DECLARE_COMPLETION_ONSTACK(start);
	atomic_t arrived = ATOMIC_INIT(0);
	struct worker *w = kcalloc(nw, sizeof(*w), GFP_KERNEL);
	long expected = 0;
	int i;
	u64 t0, ns, nsop100;
	long final;

	if (!w)
		return -ENOMEM;
	reset();
	for (i = 0; i < nw; i++) {
		w[i].mode = mode;
		w[i].iters = iters;
		w[i].delta = (decrement && i % 2) ? -1 : 1;
		expected += w[i].delta * iters;
		w[i].start = &start;
		w[i].arrived = &arrived;
		w[i].together = min(nw, (int)num_online_cpus());
		init_completion(&w[i].done);
		w[i].task = kthread_create(worker_fn, &w[i], "lab/%s/%d", mode_names[mode], i);
		if (IS_ERR(w[i].task))
			return PTR_ERR(w[i].task);	/* leaks: a bench, not a product */
		get_task_struct(w[i].task);
		if (pin)
			kthread_bind(w[i].task, nth_online(i % num_online_cpus()));
		wake_up_process(w[i].task);
	}
	t0 = ktime_get_ns();
	complete_all(&start);
	for (i = 0; i < nw; i++)
		wait_for_completion(&w[i].done);
	ns = ktime_get_ns() - t0;
	for (i = 0; i < nw; i++) {
		kthread_stop(w[i].task);
		put_task_struct(w[i].task);
	}
	final = read_counter(mode);
	if (where) {
		char buf[256];
		int len = 0;

		for (i = 0; i < nw && len < (int)sizeof(buf) - 8; i++)
			len += scnprintf(buf + len, sizeof(buf) - len, " %d>%d/%lu,%lu",
					 w[i].cpu_start, w[i].cpu_end,
					 w[i].task->nvcsw, w[i].task->nivcsw);
		pr_info("lab: mode=%s workers=%d cpus(start>end/sleeps,preempted):%s\n", mode_names[mode], nw, buf);
	}
	nsop100 = div64_u64(ns * 100, (u64)nw * iters);
	pr_info("counter: mode=%s cpus=%d workers=%d iters=%ld final=%ld expected=%ld ns=%llu ns_per_op=%llu.%02llu\n",
		mode_names[mode], num_online_cpus(), nw, iters, final,
		expected, ns, nsop100 / 100, nsop100 % 100);
	kfree(w);
	return 0;
}

static int __init counter_lab_init(void)
{
	char *wl = kstrdup(workers, GFP_KERNEL), *ml, *p, *wtok, *mtok;
	int nw, m, k;

	mutex_init(&lab_mutex);
	spin_lock_init(&lab_lock);
	if (!wl)
		return -ENOMEM;
	for (p = wl; (wtok = strsep(&p, ",")) != NULL;) {
		if (kstrtoint(wtok, 10, &nw) || nw < 1)
			continue;
		ml = kstrdup(modes, GFP_KERNEL);
		for (char *q = ml; q && (mtok = strsep(&q, ",")) != NULL;) {
			for (m = 0; m < NR_MODES && strcmp(mode_names[m], mtok); m++)
				;
			if (m == NR_MODES) {
				pr_warn("counter: unknown mode %s\n", mtok);
				continue;
			}
			for (k = 0; k < repeat; k++)
				run_one(m, nw, max(total / nw, 1L));
		}
		kfree(ml);
	}
	kfree(wl);
	pr_info("counter: done\n");
	return 0;
}

static void __exit counter_lab_exit(void)
{
}

module_init(counter_lab_init);
module_exit(counter_lab_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The counter experiment, for comparison with smpkern");
