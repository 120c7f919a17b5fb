/*
 * test_debugobjects.c - planted life-cycle bugs, reported as Linux's
 * debugobjects reports them (kernel/debugobjects.h), with the report's
 * first line checked exactly, then fixed up so the kernel goes on; and
 * the correct sequence, which reports nothing.
 *
 * Each planted test would fail on a kernel without the checker: the
 * report would be missing, and the freed timer or work item would run
 * from freed (poisoned) memory - the `ran` flags check that it did not.
 */
#include "tests/ktest.h"
#include "kernel/debugobjects.h"
#include "kernel/mm.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "kernel/workqueue.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/rcu.h"

#ifdef CONFIG_DEBUG_OBJECTS

static int timer_ran;

struct holder {
	long before;
	struct timer_list timer;
	struct work_struct work;
};

static void planted_timer_fn(struct timer_list *t)
{
	(void)t;
	WRITE_ONCE(timer_ran, 1);
}

/* The line Linux prints for this object. */
static bool reported(unsigned long mark, const char *what, void *obj, const char *type,
		     void *fn)
{
	char line[200];

	scnprintf(line, sizeof(line), "ODEBUG: %s active (active state 0) object: %p "
		  "object type: %s hint: %pS", what, obj, type, fn);
	return ktest_log_contains(mark, line);
}

KTEST(debugobjects, freeing_an_armed_timer_is_reported_and_fixed)
{
	struct holder *h = kzalloc(sizeof(*h), GFP_KERNEL);
	KASSERT(h != NULL);
	timer_setup(&h->timer, planted_timer_fn, 0);
	WRITE_ONCE(timer_ran, 0);
	mod_timer(&h->timer, jiffies + HZ / 10);

	unsigned long mark = ktest_log_mark();
	void *obj = &h->timer;
	ktest_expect_warnings();		/* planted */
	kfree(h);				/* planted: still armed */
	KASSERT(reported(mark, "free", obj, "timer_list", (void *)planted_timer_fn));
	msleep(300);				/* past its expiry */
	KASSERT_EQ(READ_ONCE(timer_ran), 0);	/* deleted by the fix-up */
}

KTEST(debugobjects, initializing_an_armed_timer_again_is_reported)
{
	static struct timer_list t;

	timer_setup(&t, planted_timer_fn, 0);
	mod_timer(&t, jiffies + 10 * HZ);
	unsigned long mark = ktest_log_mark();
	ktest_expect_warnings();		/* planted */
	timer_setup(&t, planted_timer_fn, 0);	/* planted: while armed */
	KASSERT(reported(mark, "init", &t, "timer_list", (void *)planted_timer_fn));
	KASSERT(!timer_pending(&t));		/* the fix-up deleted it first */
	del_timer_sync(&t);
}

static DECLARE_COMPLETION(blocker_go);
static int work_ran;

static void blocker_fn(struct work_struct *w)
{
	(void)w;
	wait_for_completion(&blocker_go);
}

static void planted_work_fn(struct work_struct *w)
{
	(void)w;
	WRITE_ONCE(work_ran, 1);
}

KTEST(debugobjects, freeing_a_queued_work_item_is_reported_and_fixed)
{
	static struct work_struct blocker;
	struct workqueue_struct *wq = alloc_ordered_workqueue("odebug", 0);
	struct holder *h = kzalloc(sizeof(*h), GFP_KERNEL);

	KASSERT(wq != NULL && h != NULL);
	reinit_completion(&blocker_go);
	WRITE_ONCE(work_ran, 0);
	INIT_WORK(&blocker, blocker_fn);
	INIT_WORK(&h->work, planted_work_fn);
	queue_work(wq, &blocker);		/* ordered: h->work waits behind */
	queue_work(wq, &h->work);

	unsigned long mark = ktest_log_mark();
	void *obj = &h->work;
	ktest_expect_warnings();		/* planted */
	kfree(h);				/* planted: still queued */
	KASSERT(reported(mark, "free", obj, "work_struct", (void *)planted_work_fn));
	complete(&blocker_go);
	destroy_workqueue(wq);			/* drains: h->work must not run */
	KASSERT_EQ(READ_ONCE(work_ran), 0);
}

KTEST(debugobjects, correct_life_cycles_report_nothing)
{
	struct holder *h = kzalloc(sizeof(*h), GFP_KERNEL);
	KASSERT(h != NULL);
	unsigned long mark = ktest_log_mark();

	timer_setup(&h->timer, planted_timer_fn, 0);
	INIT_WORK(&h->work, planted_work_fn);
	mod_timer(&h->timer, jiffies + HZ);
	del_timer_sync(&h->timer);
	queue_work(system_wq, &h->work);
	cancel_work_sync(&h->work);
	timer_setup(&h->timer, planted_timer_fn, 0);	/* again, inactive: fine */
	kfree(h);
	KASSERT(!ktest_log_contains(mark, "ODEBUG:"));
}

#endif

#ifdef CONFIG_DEBUG_OBJECTS
static atomic_t rcu_cb_runs;

static void count_rcu_cb(struct rcu_head *h)
{
	(void)h;
	atomic_inc(&rcu_cb_runs);
}

/*
 * call_rcu() twice on one head: the second is reported and not queued
 * (a head on the list twice corrupts it). As in Linux, the head's
 * function becomes a no-op: the callback never runs - a leak, not a use
 * after free. Both calls sit inside one reader, so the first cannot have
 * run before the second.
 */
KTEST(debugobjects, double_call_rcu_is_reported_and_leaked)
{
	static struct rcu_head head;
	char line[160];

	atomic_set(&rcu_cb_runs, 0);
	unsigned long mark = ktest_log_mark();
	rcu_read_lock();
	call_rcu(&head, count_rcu_cb);
	ktest_expect_warnings();		/* planted */
	call_rcu(&head, count_rcu_cb);		/* planted: still queued */
	rcu_read_unlock();
	scnprintf(line, sizeof(line), "ODEBUG: activate active (active state 0) object: %p "
		  "object type: rcu_head hint: %pS", (void *)&head, (void *)NULL);
	KASSERT(ktest_log_contains(mark, line));
	rcu_barrier();
	KASSERT_EQ(atomic_read(&rcu_cb_runs), 0);
}
#endif
