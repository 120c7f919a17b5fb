/*
 * bench_sched.c - context-switch cost: two threads hand a token back and
 * forth through a wait queue, on one CPU and across two CPUs. One round
 * trip is two wake-ups and two switches; we report per switch (half).
 */
#include "tests/kbench.h"
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sync/barrier.h"

#define ROUNDS 20000

static DECLARE_WAIT_QUEUE_HEAD(token_wq);
static volatile long token;

static int player(void *arg)
{
	long parity = (long)(uintptr_t)arg;

	for (;;) {
		wait_event(token_wq, token >= 2 * ROUNDS || token % 2 == parity);
		if (token >= 2 * ROUNDS)
			return 0;
		token++;
		wake_up(&token_wq);
	}
}

static void pingpong(const char *name, int cpu_a, int cpu_b)
{
	struct task_struct *a = ktest_kthread_create(player, (void *)0, "ping");
	struct task_struct *b = ktest_kthread_create(player, (void *)1, "pong");

	if (!a || !b)
		return;
	token = -1;			/* nobody's turn yet */
	kthread_bind(a, cpu_a);
	kthread_bind(b, cpu_b);
	wake_up_process(a);
	wake_up_process(b);
	msleep(10);			/* both asleep on the queue */
	uint64_t t0 = ktime_get_ns();
	token = 0;
	wake_up(&token_wq);
	wait_event(*a->exit_wait, smp_load_acquire(&a->exited));
	wait_event(*b->exit_wait, smp_load_acquire(&b->exited));
	uint64_t ns = ktime_get_ns() - t0;	/* before reaping: not timed */
	ktest_join(a);
	ktest_join(b);
	kbench_report(name, ns, 2 * ROUNDS, "unit=switch");
}

KBENCH(sched, pingpong_one_cpu)
{
	pingpong("sched.pingpong_one_cpu", 0, 0);
}

KBENCH(sched, pingpong_two_cpus)
{
	if (num_online_cpus() < 2)
		return;
	pingpong("sched.pingpong_two_cpus", 0, 1);
}
