/*
 * test_kthread_park.c - parking kernel threads (sched/kthread.c), and
 * kthread_create_on_cpu().
 *
 * The invariant: once kthread_park(t) has returned, t does no work until
 * kthread_unpark(t) - whatever wakes it meanwhile - and a parked thread
 * can still be stopped. Per-CPU threads on every CPU are parked and
 * unparked from other CPUs at once, each checking it only ever ran on
 * its own CPU.
 */
#include "tests/ktest.h"
#include "sched/sched.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "sync/atomic.h"

struct parker {
	int cpu;
	atomic_t work;			/* rounds of "work" done */
	atomic_t wrong_cpu;
	bool fn_started;
};

static int park_loop(void *arg)
{
	struct parker *p = arg;

	WRITE_ONCE(p->fn_started, true);
	while (!kthread_should_stop()) {
		if (kthread_should_park()) {
			kthread_parkme();
			continue;	/* look at both flags again */
		}
		if (p->cpu >= 0 && smp_processor_id() != p->cpu)
			atomic_inc(&p->wrong_cpu);
		atomic_inc(&p->work);
		schedule_timeout_interruptible(1);
	}
	return 42;
}

static int work_after(struct parker *p, int ms)
{
	int before = atomic_read(&p->work);

	msleep(ms);
	return atomic_read(&p->work) - before;
}

KTEST(kthread_park, parked_thread_does_no_work_until_unparked)
{
	struct parker p = { .cpu = -1 };
	struct task_struct *t = ktest_kthread_run(park_loop, &p, "parker");

	KASSERT(t != NULL);
	while (atomic_read(&p.work) < 3)
		msleep(1);
	KASSERT_EQ(kthread_park(t), 0);
	KASSERT_EQ(READ_ONCE(t->state), TASK_PARKED);
	KASSERT_EQ(work_after(&p, 30), 0);
	wake_up_process(t);			/* not an unpark */
	KASSERT_EQ(work_after(&p, 30), 0);
	KASSERT_EQ(READ_ONCE(t->state), TASK_PARKED);
	kthread_unpark(t);
	for (int i = 0; i < 5000 && atomic_read(&p.work) == 0; i++)
		msleep(1);
	KASSERT_GT(work_after(&p, 30), 0);
	KASSERT_EQ(kthread_park(t), 0);		/* parked again... */
	KASSERT_EQ(kthread_stop_put(t), 42);	/* ...and stopped from there */
}

KTEST(kthread_park, parked_before_it_ever_ran)
{
	struct parker p = { .cpu = -1 };
	struct task_struct *t = ktest_kthread_create(park_loop, &p, "parker-new");

	KASSERT(t != NULL);
	KASSERT_EQ(kthread_park(t), 0);		/* starts it, parks it first */
	KASSERT(!READ_ONCE(p.fn_started));
	kthread_unpark(t);
	for (int i = 0; i < 5000 && !READ_ONCE(p.fn_started); i++)
		msleep(1);
	KASSERT(READ_ONCE(p.fn_started));
	KASSERT_EQ(kthread_stop_put(t), 42);

	/* Parked before it ran, then stopped: as in Linux, its function is
	 * called once unparked, and finds kthread_should_stop() true. */
	struct parker q = { .cpu = -1 };
	t = ktest_kthread_create(park_loop, &q, "parker-stop");
	KASSERT(t != NULL);
	KASSERT_EQ(kthread_park(t), 0);
	KASSERT_EQ(kthread_stop_put(t), 42);
	KASSERT(READ_ONCE(q.fn_started));
	KASSERT_EQ(atomic_read(&q.work), 0);
}

KTEST(kthread_park, park_errors)
{
	struct parker p = { .cpu = -1 };
	struct task_struct *t = ktest_kthread_run(park_loop, &p, "parker-err");

	KASSERT(t != NULL);
	KASSERT_EQ(kthread_park(t), 0);
	ktest_expect_warnings();
	KASSERT_EQ(kthread_park(t), -EBUSY);	/* already parked */
	KASSERT_EQ(kthread_stop_put(t), 42);
	KASSERT(!kthread_should_park());
}

/* One bound thread per CPU, parked and unparked from every CPU at once. */
#define PARK_ROUNDS 40
static struct parker parkers[NR_CPUS];
static struct task_struct *park_threads[NR_CPUS];
static atomic_t park_violations;

static void park_others(int idx, void *arg)
{
	int n = num_online_cpus();
	struct parker *p = &parkers[(idx + 1) % n];	/* a neighbour's */
	struct task_struct *t = park_threads[(idx + 1) % n];

	(void)arg;
	for (int r = 0; r < PARK_ROUNDS; r++) {
		if (kthread_park(t) != 0) {
			atomic_inc(&park_violations);
			return;
		}
		int before = atomic_read(&p->work);
		msleep(2);
		if (atomic_read(&p->work) != before)
			atomic_inc(&park_violations);	/* worked while parked */
		kthread_unpark(t);
		msleep(1);
	}
}

KTEST(kthread_park, per_cpu_threads_parked_from_all_cpus)
{
	int n = num_online_cpus(), cpu, i = 0;

	atomic_set(&park_violations, 0);
	for_each_online_cpu(cpu) {
		memset(&parkers[i], 0, sizeof(parkers[i]));
		parkers[i].cpu = cpu;
		park_threads[i] = kthread_create_on_cpu(park_loop, &parkers[i], cpu, "parkd/%u");
		KASSERT(!IS_ERR(park_threads[i]));
		get_task_struct(park_threads[i]);
		KASSERT_EQ(park_threads[i]->bound_cpu, cpu);
		char name[16];
		snprintf(name, sizeof(name), "parkd/%u", cpu);
		KASSERT_STREQ(park_threads[i]->comm, name);
		wake_up_process(park_threads[i]);
		i++;
	}
	KASSERT_EQ(ktest_run_on_all_cpus(park_others, NULL, false), n);
	for (i = 0; i < n; i++) {
		KASSERT_EQ(kthread_stop_put(park_threads[i]), 42);
		KASSERT_EQ(atomic_read(&parkers[i].wrong_cpu), 0);
		KASSERT_GT(atomic_read(&parkers[i].work), 0);
	}
	KASSERT_EQ(atomic_read(&park_violations), 0);
}
