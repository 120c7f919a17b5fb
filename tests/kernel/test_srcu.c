/*
 * test_srcu.c - sleepable RCU: readers that sleep and migrate are waited
 * for, one domain never waits for another's readers, callbacks all run,
 * misuse is reported, and the two race windows the algorithm exists for
 * (sync/srcu.c) are opened wide with delay hooks.
 *
 * Objects carry a magic and a generation. A writer poisons an object
 * (magic = DEAD) the moment its grace period ends; a reader that finds
 * DEAD, or a generation that changed under it (the memory handed out
 * again), was inside while its object was reclaimed: SRCU is broken.
 */
#include "tests/ktest.h"
#include "sync/srcu.h"
#include "sync/atomic.h"
#include "sync/lockdep.h"
#include "sync/mutex.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/delay_hook.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/softirq.h"
#include "kernel/time.h"
#include "kernel/timer.h"

#define ALIVE 0x5352435541524956UL
#define DEAD  0xdeaddeaddeaddeadUL

struct obj {
	unsigned long magic, gen;
	struct rcu_head rh;
};

static struct obj *new_obj(unsigned long gen)
{
	struct obj *o = kmalloc(sizeof(*o), GFP_KERNEL);

	if (o) {
		o->magic = ALIVE;
		o->gen = gen;
	}
	return o;
}

static bool intact(struct obj *o, unsigned long gen)
{
	return READ_ONCE(o->magic) == ALIVE && READ_ONCE(o->gen) == gen;
}

static void poison_free(struct obj *o)
{
	WRITE_ONCE(o->magic, DEAD);
	kfree(o);
}

static struct task_struct *run_on(int cpu, int (*fn)(void *), void *arg, const char *name)
{
	struct task_struct *t = ktest_kthread_create(fn, arg, "%s/%d", name, cpu);

	if (t) {
		kthread_bind(t, cpu);
		wake_up_process(t);
	}
	return t;
}

/* Spin (sleeping a tick at a time) until *flag, at most ms; true if set. */
static bool wait_flag(volatile int *flag, unsigned int ms)
{
	for (unsigned int i = 0; i < ms && !smp_load_acquire(flag); i++)
		msleep(1);
	return smp_load_acquire(flag);
}

static int other_cpu(void)
{
	return nth_online_cpu(1 % num_online_cpus());
}

/* ---- the API ---- */

DEFINE_STATIC_SRCU(basic_srcu);
static struct obj *basic_ptr;

KTEST(srcu, api_basics)
{
	static struct obj one = { .magic = ALIVE, .gen = 1 }, two = { .magic = ALIVE, .gen = 2 };
	struct srcu_struct ss;
	int pc = preempt_count();

	KASSERT_EQ(init_srcu_struct(&ss), 0);
	RCU_INIT_POINTER(basic_ptr, &one);
	int i1 = srcu_read_lock(&ss);
	KASSERT(i1 == 0 || i1 == 1);
	KASSERT_EQ(preempt_count(), pc);		/* readers stay preemptible */
	KASSERT(srcu_read_lock_held(&ss));
	if (lockdep_enabled())
		KASSERT(!srcu_read_lock_held(&basic_srcu));	/* another domain */
	int i2 = srcu_read_lock(&basic_srcu);		/* nests across domains */
	int i3 = srcu_read_lock(&ss);			/* and within one */
	struct obj *p = srcu_dereference(basic_ptr, &ss);
	msleep(2);					/* readers may sleep */
	KASSERT(intact(p, 1));
	srcu_read_unlock(&ss, i3);
	srcu_read_unlock(&basic_srcu, i2);
	KASSERT(srcu_read_lock_held(&ss));
	srcu_read_unlock(&ss, i1);
	if (lockdep_enabled())
		KASSERT(!srcu_read_lock_held(&ss));

	rcu_assign_pointer(basic_ptr, &two);
	unsigned long done = srcu_batches_completed(&ss);
	synchronize_srcu(&ss);
	synchronize_srcu_expedited(&basic_srcu);
	KASSERT_EQ(srcu_batches_completed(&ss), done + 1);

	/* Polling: a cookie is done after a full grace period, not before. */
	unsigned long c = get_state_synchronize_srcu(&ss);
	KASSERT(!poll_state_synchronize_srcu(&ss, c));
	synchronize_srcu(&ss);
	KASSERT(poll_state_synchronize_srcu(&ss, c));
	c = start_poll_synchronize_srcu(&ss);		/* ...which runs one */
	for (int i = 0; i < 2000 && !poll_state_synchronize_srcu(&ss, c); i++)
		msleep(1);
	KASSERT(poll_state_synchronize_srcu(&ss, c));
	cleanup_srcu_struct(&ss);
	KASSERT(ss.sda == NULL);			/* its per-CPU counters freed */
}

/* ---- readers that sleep, on every CPU, and updaters on every CPU ---- */

static struct {
	struct srcu_struct ss;
	atomic_t inside, errors;
	int n;
	volatile int done[NR_CPUS];
	uint64_t t_unlock[NR_CPUS];
} sl;

static int sleeping_reader(void *arg)
{
	int i = (int)(long)arg, idx = srcu_read_lock(&sl.ss);

	atomic_inc(&sl.inside);
	while (atomic_read(&sl.inside) < sl.n)		/* all pre-exist the updates */
		msleep(1);
	msleep(20 + 10 * (i % 4));
	sl.t_unlock[i] = ktime_get_ns();
	smp_store_release(&sl.done[i], 1);
	srcu_read_unlock(&sl.ss, idx);
	return 0;
}

static int all_readers_updater(void *arg)
{
	(void)arg;
	while (atomic_read(&sl.inside) < sl.n)
		msleep(1);
	synchronize_srcu(&sl.ss);	/* every CPU at once: they share grace periods */
	for (int j = 0; j < sl.n; j++)
		if (!smp_load_acquire(&sl.done[j]))
			atomic_inc(&sl.errors);
	return 0;
}

KTEST(srcu, sleeping_readers_are_waited_for)
{
	struct task_struct *r[NR_CPUS], *u[NR_CPUS];

	memset(&sl, 0, sizeof(sl));
	sl.n = num_online_cpus();
	KASSERT_EQ(init_srcu_struct(&sl.ss), 0);
	for (int i = 0; i < sl.n; i++) {
		r[i] = run_on(nth_online_cpu(i), sleeping_reader, (void *)(long)i, "srcu-sleeper");
		u[i] = run_on(nth_online_cpu(i), all_readers_updater, NULL, "srcu-sync");
	}
	for (int i = 0; i < sl.n; i++) {
		if (r[i])
			ktest_join(r[i]);
		if (u[i])
			ktest_join(u[i]);
	}
	KASSERT_EQ(atomic_read(&sl.errors), 0);
	cleanup_srcu_struct(&sl.ss);
}

/* ---- a domain does not wait for another domain's readers ---- */

static struct {
	struct srcu_struct a, b;
	volatile int inside, release, done;
	atomic_t slow;
} dm;

static int long_reader_a(void *arg)
{
	(void)arg;
	int idx = srcu_read_lock(&dm.a);
	smp_store_release(&dm.inside, 1);
	wait_flag(&dm.release, 5000);
	smp_store_release(&dm.done, 1);
	srcu_read_unlock(&dm.a, idx);
	return 0;
}

static void sync_b_on_each_cpu(int idx, void *arg)
{
	(void)idx; (void)arg;
	for (int i = 0; i < 10; i++) {
		uint64_t t0 = ktime_get_ns();
		int r = srcu_read_lock(&dm.b);	/* b has readers of its own, short ones */
		srcu_read_unlock(&dm.b, r);
		synchronize_srcu(&dm.b);
		if (ktime_get_ns() - t0 > 300 * NSEC_PER_MSEC || READ_ONCE(dm.done))
			atomic_inc(&dm.slow);
	}
}

KTEST(srcu, domains_are_independent)
{
	memset(&dm, 0, sizeof(dm));
	KASSERT_EQ(init_srcu_struct(&dm.a), 0);
	KASSERT_EQ(init_srcu_struct(&dm.b), 0);
	struct task_struct *t = run_on(other_cpu(), long_reader_a, NULL, "srcu-long");
	KASSERT(t != NULL);
	KASSERT(wait_flag(&dm.inside, 2000));
	unsigned long cookie = get_state_synchronize_srcu(&dm.a);
	start_poll_synchronize_srcu(&dm.a);	/* a grace period of a starts, and waits */

	/* Grace periods of b on every CPU: none waits for a's sleeper. */
	KASSERT(ktest_run_on_all_cpus(sync_b_on_each_cpu, NULL, true) > 0);
	KASSERT_EQ(atomic_read(&dm.slow), 0);

	/* srcu_barrier() with nothing queued waits for no reader either. */
	uint64_t t0 = ktime_get_ns();
	srcu_barrier(&dm.a);
	KASSERT_LT(ktime_get_ns() - t0, 300 * NSEC_PER_MSEC);

	KASSERT(!poll_state_synchronize_srcu(&dm.a, cookie));	/* a does wait */
	KASSERT(!READ_ONCE(dm.done));
	smp_store_release(&dm.release, 1);
	synchronize_srcu(&dm.a);
	KASSERT(READ_ONCE(dm.done));
	KASSERT(poll_state_synchronize_srcu(&dm.a, cookie));
	ktest_join(t);
	cleanup_srcu_struct(&dm.a);
	cleanup_srcu_struct(&dm.b);
}

/* ---- call_srcu(): after the readers, all of them, in process context ---- */

#define CBS_PER_CPU 300

static struct {
	struct srcu_struct ss;
	volatile int inside, release, reader_done;
	atomic_t queued, ran, early, bad_context;
	struct timer_list timers[NR_CPUS];
} cb;

struct cb_item {
	struct rcu_head rh;
	bool after_reader;	/* queued while the reader was inside */
};

static void count_cb(struct rcu_head *rh)
{
	struct cb_item *it = container_of(rh, struct cb_item, rh);

	/* Linux: from a workqueue, bottom halves disabled. */
	if (!in_task() || !in_softirq() || in_serving_softirq() || irqs_disabled())
		atomic_inc(&cb.bad_context);
	if (it->after_reader && !READ_ONCE(cb.reader_done))
		atomic_inc(&cb.early);
	atomic_inc(&cb.ran);
	kfree(it);
}

static void queue_one(gfp_t gfp)
{
	struct cb_item *it = kmalloc(sizeof(*it), gfp);

	if (!it)
		return;
	it->after_reader = !READ_ONCE(cb.reader_done);
	atomic_inc(&cb.queued);
	call_srcu(&cb.ss, &it->rh, count_cb);
}

static void queue_from_timer(struct timer_list *t)
{
	(void)t;
	queue_one(GFP_ATOMIC);		/* softirq context */
}

static void queue_on_each_cpu(int idx, void *arg)
{
	unsigned long flags;

	(void)arg;
	timer_setup(&cb.timers[idx], queue_from_timer, 0);
	mod_timer(&cb.timers[idx], jiffies + 1);
	for (int i = 0; i < CBS_PER_CPU; i++) {
		if (i % 10 == 0) {
			local_irq_save(flags);		/* irqs off: allowed too */
			queue_one(GFP_ATOMIC);
			local_irq_restore(flags);
		} else {
			queue_one(GFP_KERNEL);
		}
		if (i % 50 == 0)
			msleep(1);
	}
	del_timer_sync(&cb.timers[idx]);
}

static int cb_reader(void *arg)
{
	(void)arg;
	int idx = srcu_read_lock(&cb.ss);
	smp_store_release(&cb.inside, 1);
	wait_flag(&cb.release, 5000);
	WRITE_ONCE(cb.reader_done, 1);
	srcu_read_unlock(&cb.ss, idx);
	return 0;
}

KTEST(srcu, call_srcu_callbacks_all_run_and_barrier_waits)
{
	memset(&cb, 0, sizeof(cb));
	KASSERT_EQ(init_srcu_struct(&cb.ss), 0);
	struct task_struct *t = run_on(other_cpu(), cb_reader, NULL, "srcu-cbreader");
	KASSERT(t != NULL);
	KASSERT(wait_flag(&cb.inside, 2000));
	KASSERT(ktest_run_on_all_cpus(queue_on_each_cpu, NULL, true) > 0);
	msleep(20);
	KASSERT_EQ(atomic_read(&cb.ran), 0);	/* all wait for the reader */
	smp_store_release(&cb.release, 1);
	ktest_join(t);
	srcu_barrier(&cb.ss);
	int queued = atomic_read(&cb.queued);
	KASSERT_GE(queued, num_online_cpus() * CBS_PER_CPU);
	KASSERT_EQ(atomic_read(&cb.ran), queued);
	KASSERT_EQ(atomic_read(&cb.early), 0);
	KASSERT_EQ(atomic_read(&cb.bad_context), 0);
	cleanup_srcu_struct(&cb.ss);
	KASSERT(cb.ss.sda == NULL);
}

/* ---- the unlock on another CPU than the lock ---- */

static struct {
	struct srcu_struct ss;
	int idx, cpu_lock, cpu_unlock;
	volatile int locked, hog_on, woke, may_unlock, done;
} mg;

static int migrating_reader(void *arg)
{
	(void)arg;
	preempt_disable();		/* the CPU we read is the one that counts */
	mg.idx = srcu_read_lock(&mg.ss);
	mg.cpu_lock = raw_smp_processor_id();
	preempt_enable();
	smp_store_release(&mg.locked, 1);
	wait_flag(&mg.hog_on, 2000);
	/* Asleep, then woken while a hog runs on our CPU: the scheduler puts
	 * us on an idle one. */
	msleep(5);
	smp_store_release(&mg.woke, 1);
	wait_flag(&mg.may_unlock, 2000);
	smp_store_release(&mg.done, 1);
	preempt_disable();
	mg.cpu_unlock = raw_smp_processor_id();
	srcu_read_unlock(&mg.ss, mg.idx);
	preempt_enable();
	return 0;
}

static int hog(void *arg)
{
	(void)arg;
	smp_store_release(&mg.hog_on, 1);
	uint64_t t0 = ktime_get_ns();
	while (!READ_ONCE(mg.done) && ktime_get_ns() - t0 < 3 * NSEC_PER_SEC)
		cpu_relax();
	return 0;
}

static long count_on(int cpu, int idx, bool locks)
{
	struct srcu_data *d = per_cpu_ptr(mg.ss.sda, cpu);

	return (long)(locks ? READ_ONCE(d->lock_count[idx]) : READ_ONCE(d->unlock_count[idx]));
}

static int late_sync(void *arg)
{
	(void)arg;
	synchronize_srcu(&mg.ss);
	return READ_ONCE(mg.done) ? 0 : -1;	/* must not return before the unlock */
}

KTEST(srcu, unlock_on_another_cpu)
{
	int moved = 0, tries;
	bool smp = num_online_cpus() > 1;

	for (tries = 0; tries < 5 && !moved; tries++) {
		struct task_struct *h = NULL;
		memset(&mg, 0, sizeof(mg));
		KASSERT_EQ(init_srcu_struct(&mg.ss), 0);
		struct task_struct *r = ktest_kthread_run(migrating_reader, NULL, "srcu-mover");
		KASSERT(r != NULL);
		KASSERT(wait_flag(&mg.locked, 2000));
		if (smp)
			h = run_on(mg.cpu_lock, hog, NULL, "srcu-hog");
		else
			smp_store_release(&mg.hog_on, 1);
		KASSERT(wait_flag(&mg.woke, 2000));
		/* A grace period that starts now must wait for the moved reader. */
		struct task_struct *s = run_on(nth_online_cpu(0), late_sync, NULL, "srcu-late");
		KASSERT(s != NULL);
		msleep(20);
		smp_store_release(&mg.may_unlock, 1);
		KASSERT_EQ(ktest_join(s), 0);
		ktest_join(r);
		if (h)
			ktest_join(h);
		if (mg.cpu_unlock != mg.cpu_lock) {
			moved = 1;
			/* Per CPU the counts do not balance; their sums do. */
			KASSERT_EQ(count_on(mg.cpu_lock, mg.idx, true) -
				   count_on(mg.cpu_lock, mg.idx, false), 1);
			KASSERT_EQ(count_on(mg.cpu_unlock, mg.idx, true) -
				   count_on(mg.cpu_unlock, mg.idx, false), -1);
		}
		synchronize_srcu(&mg.ss);
		cleanup_srcu_struct(&mg.ss);	/* no reader left: no warning */
		if (!smp)
			break;
	}
	if (smp)
		KASSERT_MSG(moved, "the reader never moved to another CPU in %d tries", tries);
	else
		ktest_info("srcu.unlock_on_another_cpu: one CPU, nowhere to move\n");
}

/* ---- the straggler: why a grace period waits twice ---- */

/*
 * A reader reads the index, then (the delay hook) stalls before counting
 * itself; a whole grace period passes meanwhile, not waiting for it (it
 * has not started, as far as anyone can see). Then it counts itself on
 * the index that grace period drained, and takes the pointer. The next
 * grace period must wait for it although it sits on the *inactive*
 * index: that is step 1 of srcu_gp(). Without step 1, it does not.
 */
static struct {
	struct srcu_struct ss;
	struct obj *gp;
	struct obj *seen;
	volatile int locked, saw, done;
	int bad;
} sg;

static int straggler(void *arg)
{
	(void)arg;
	int idx = srcu_read_lock(&sg.ss);		/* the hook stalls it in here */
	smp_store_release(&sg.locked, 1);
	struct obj *p = srcu_dereference(sg.gp, &sg.ss);
	unsigned long gen = p->gen;
	sg.seen = p;
	smp_store_release(&sg.saw, 1);
	msleep(100);					/* hold it */
	if (!intact(p, gen))
		sg.bad = 1;
	smp_store_release(&sg.done, 1);
	srcu_read_unlock(&sg.ss, idx);
	return 0;
}

KTEST(srcu, straggler_reader_is_waited_for)
{
	int exercised = 0, failures = 0;

	for (int round = 0; round < 3; round++) {
		memset(&sg, 0, sizeof(sg));
		KASSERT_EQ(init_srcu_struct(&sg.ss), 0);
		struct obj *a = new_obj(1), *b = new_obj(2);
		KASSERT(a && b);
		RCU_INIT_POINTER(sg.gp, a);
		delay_hook_set(&delay_hook_srcu_read_lock_idx, 50000, &sg.ss);
		struct task_struct *t = run_on(other_cpu(), straggler, NULL, "srcu-straggler");
		KASSERT(t != NULL);
		for (int i = 0; i < 2000 && !delay_hook_hits(&delay_hook_srcu_read_lock_idx); i++)
			msleep(1);
		synchronize_srcu(&sg.ss);		/* grace period 1: not its business */
		bool in_window = !READ_ONCE(sg.locked);
		delay_hook_set(&delay_hook_srcu_read_lock_idx, 0, NULL);
		wait_flag(&sg.saw, 2000);
		rcu_assign_pointer(sg.gp, b);
		synchronize_srcu(&sg.ss);		/* grace period 2: must wait */
		bool waited = READ_ONCE(sg.done);
		WRITE_ONCE(a->magic, DEAD);		/* what kfree would do */
		ktest_join(t);
		if (in_window) {
			exercised++;
			if (!waited || sg.bad || sg.seen != a)
				failures++;
		}
		kfree(a);
		kfree(b);
		cleanup_srcu_struct(&sg.ss);
	}
	ktest_info("srcu.straggler: %d of 3 rounds caught the straggler in its window, "
		   "%d failed\n", exercised, failures);
	KASSERT_MSG(failures == 0, "synchronize_srcu() returned while a straggler that "
		    "read the old pointer was inside (%d of %d rounds)", failures, exercised);
	KASSERT_MSG(exercised > 0, "the straggler never stalled across a grace period");
}

/*
 * A reader that enters and leaves between the grace period's two sums
 * (the delay hook between them): counted unlock, uncounted lock, if the
 * sums were taken the other way round - and a reader still inside would
 * be hidden. The straggler reads the index before the flip, so it counts
 * itself on the index step 3 is draining.
 */
static struct {
	struct srcu_struct ss;
	struct obj *gp;
	volatile int inside, done, quick_done;
	int bad;
} sm;

static int holder(void *arg)
{
	(void)arg;
	int idx = srcu_read_lock(&sm.ss);
	struct obj *p = srcu_dereference(sm.gp, &sm.ss);
	unsigned long gen = p->gen;
	smp_store_release(&sm.inside, 1);
	msleep(150);
	if (!intact(p, gen))
		sm.bad = 1;
	smp_store_release(&sm.done, 1);
	srcu_read_unlock(&sm.ss, idx);
	return 0;
}

static int quick_reader(void *arg)
{
	(void)arg;
	int idx = srcu_read_lock(&sm.ss);	/* stalls 30 ms, after reading the index */
	srcu_read_unlock(&sm.ss, idx);
	smp_store_release(&sm.quick_done, 1);
	return 0;
}

KTEST(srcu, reader_between_the_sums_is_not_miscounted)
{
	int failures = 0, exercised = 0;

	for (int round = 0; round < 3; round++) {
		memset(&sm, 0, sizeof(sm));
		KASSERT_EQ(init_srcu_struct(&sm.ss), 0);
		struct obj *a = new_obj(1), *b = new_obj(2);
		KASSERT(a && b);
		RCU_INIT_POINTER(sm.gp, a);
		struct task_struct *h = run_on(other_cpu(), holder, NULL, "srcu-holder");
		KASSERT(h != NULL);
		KASSERT(wait_flag(&sm.inside, 2000));
		delay_hook_set(&delay_hook_srcu_read_lock_idx, 30000, &sm.ss);
		struct task_struct *q = run_on(other_cpu(), quick_reader, NULL, "srcu-quick");
		KASSERT(q != NULL);
		for (int i = 0; i < 2000 && !delay_hook_hits(&delay_hook_srcu_read_lock_idx); i++)
			msleep(1);
		delay_hook_set(&delay_hook_srcu_between_sums, 20000, &sm.ss);
		rcu_assign_pointer(sm.gp, b);
		synchronize_srcu(&sm.ss);
		bool waited = READ_ONCE(sm.done), quick = READ_ONCE(sm.quick_done);
		delay_hook_set(&delay_hook_srcu_between_sums, 0, NULL);
		delay_hook_set(&delay_hook_srcu_read_lock_idx, 0, NULL);
		WRITE_ONCE(a->magic, DEAD);
		ktest_join(h);
		ktest_join(q);
		exercised += quick;
		if (!waited || sm.bad)
			failures++;
		kfree(a);
		kfree(b);
		cleanup_srcu_struct(&sm.ss);
	}
	ktest_info("srcu.between_sums: %d of 3 rounds had a reader in and out during the "
		   "grace period, %d failed\n", exercised, failures);
	KASSERT_MSG(failures == 0, "synchronize_srcu() returned while a reader was inside "
		    "(%d of 3 rounds)", failures);
}

/* ---- torture: readers (threads that sleep and migrate, and timers) on
 * every CPU, an updater per CPU, synchronize_srcu() and call_srcu() ---- */

static struct {
	struct srcu_struct ss;
	struct obj *cur;
	volatile int stop;
	atomic_long_t gen, reads, sleeps, migrated, errors, timer_reads, syncs, cbs_queued,
		cbs_run;
	struct timer_list timers[NR_CPUS];
} tt;

/* One read-side critical section; may sleep if `sleepy`. */
static void torture_read(uint64_t *seed, bool sleepy)
{
	int idx = srcu_read_lock(&tt.ss);
	int cpu = raw_smp_processor_id();
	struct obj *p = srcu_dereference(tt.cur, &tt.ss);
	unsigned long gen = READ_ONCE(p->gen);

	if (READ_ONCE(p->magic) != ALIVE)
		atomic_long_inc(&tt.errors);
	if (sleepy) {
		uint64_t r = ktest_rand(seed) % 16;
		if (r == 0) {
			msleep(1);
			atomic_long_inc(&tt.sleeps);
		} else if (r < 4) {
			udelay(r * 5);
		} else if (r < 6) {
			cond_resched();
		}
	}
	if (!intact(p, gen))
		atomic_long_inc(&tt.errors);
	if (raw_smp_processor_id() != cpu)
		atomic_long_inc(&tt.migrated);
	srcu_read_unlock(&tt.ss, idx);
}

static int torture_reader(void *arg)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL * ((uint64_t)(long)arg + 1);

	while (!READ_ONCE(tt.stop)) {
		torture_read(&seed, true);
		atomic_long_inc(&tt.reads);
		if ((atomic_long_read(&tt.reads) & 63) == 0)
			cond_resched();
	}
	return 0;
}

static void torture_timer(struct timer_list *t)
{
	uint64_t seed = (uint64_t)(uintptr_t)t;

	torture_read(&seed, false);		/* softirq context: no sleeping */
	atomic_long_inc(&tt.timer_reads);
	if (!READ_ONCE(tt.stop))
		mod_timer(t, jiffies + 1);
}

static void torture_free_cb(struct rcu_head *rh)
{
	poison_free(container_of(rh, struct obj, rh));
	atomic_long_inc(&tt.cbs_run);
}

static void torture_updater(int idx, void *arg)
{
	(void)arg;
	timer_setup(&tt.timers[idx], torture_timer, 0);
	mod_timer(&tt.timers[idx], jiffies + 1);
	for (unsigned long i = 0; !READ_ONCE(tt.stop); i++) {
		struct obj *n = new_obj((unsigned long)atomic_long_inc_return(&tt.gen));
		if (!n) {
			msleep(1);
			continue;
		}
		struct obj *old = xchg(&tt.cur, n);	/* publishes: a full barrier */
		if (i & 1) {
			atomic_long_inc(&tt.cbs_queued);
			call_srcu(&tt.ss, &old->rh, torture_free_cb);
		} else {
			synchronize_srcu(&tt.ss);
			poison_free(old);
			atomic_long_inc(&tt.syncs);
		}
		if (i % 8 == 7)
			msleep(1);
	}
	del_timer_sync(&tt.timers[idx]);
}

static int torture_stopper(void *arg)
{
	msleep((unsigned int)(long)arg);
	WRITE_ONCE(tt.stop, 1);
	return 0;
}

KTEST(srcu, torture)
{
	long ms = cmdline_get_int("torture.ms", 0, 0, 3600000);
	int n = num_online_cpus(), nr = 2 * n;
	struct task_struct *readers[2 * NR_CPUS];

	if (!ms)
		ms = 1500;
	memset(&tt, 0, sizeof(tt));
	KASSERT_EQ(init_srcu_struct(&tt.ss), 0);
	tt.cur = new_obj(0);
	KASSERT(tt.cur != NULL);
	for (int i = 0; i < nr; i++)		/* unbound: they migrate */
		readers[i] = ktest_kthread_run(torture_reader, (void *)(long)i, "srcu-reader%d", i);
	struct task_struct *stopper = ktest_kthread_run(torture_stopper, (void *)ms, "srcu-stop");
	KASSERT(stopper != NULL);
	KASSERT(ktest_run_on_all_cpus(torture_updater, NULL, true) > 0);
	ktest_join(stopper);
	for (int i = 0; i < nr; i++)
		if (readers[i])
			ktest_join(readers[i]);
	srcu_barrier(&tt.ss);
	poison_free(tt.cur);
	cleanup_srcu_struct(&tt.ss);
	ktest_info("srcu.torture: %ld ms, %ld reads (%ld slept, %ld moved CPU), %ld in timers, "
		   "%ld synchronize_srcu, %ld call_srcu, %ld grace periods, %ld errors\n", ms,
		   atomic_long_read(&tt.reads), atomic_long_read(&tt.sleeps),
		   atomic_long_read(&tt.migrated), atomic_long_read(&tt.timer_reads),
		   atomic_long_read(&tt.syncs), atomic_long_read(&tt.cbs_queued),
		   (long)srcu_batches_completed(&tt.ss), atomic_long_read(&tt.errors));
	KASSERT_EQ(atomic_long_read(&tt.errors), 0);
	KASSERT_EQ(atomic_long_read(&tt.cbs_run), atomic_long_read(&tt.cbs_queued));
	KASSERT_GT(atomic_long_read(&tt.reads), 0);
	KASSERT_GT(atomic_long_read(&tt.timer_reads), 0);
	KASSERT_GT(atomic_long_read(&tt.syncs), 0);
}

/* ---- misuse ---- */

static DEFINE_MUTEX(srcu_test_mutex);
static atomic_t misuse_cb_ran;

static void misuse_cb(struct rcu_head *h)
{
	(void)h;
	atomic_inc(&misuse_cb_ran);
}

KTEST(srcu, misuse_is_reported)
{
	struct srcu_struct a, b;
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(init_srcu_struct(&a), 0);
	KASSERT_EQ(init_srcu_struct(&b), 0);

	/* Legal: waiting for another domain inside a reader. */
	unsigned int w = warn_count(), lw = lockdep_warning_count();
	int ia = srcu_read_lock(&a);
	synchronize_srcu(&b);
	srcu_read_unlock(&a, ia);
	KASSERT_EQ(warn_count(), w);
	KASSERT_EQ(lockdep_warning_count(), lw);

	ktest_expect_warnings();
	/* A mutex taken inside readers of a, and held across a grace period
	 * of a: a deadlock waiting to happen, reported without it. */
	if (lockdep_enabled()) {
		lockdep_expect_begin();
		ia = srcu_read_lock(&a);
		mutex_lock(&srcu_test_mutex);
		mutex_unlock(&srcu_test_mutex);
		srcu_read_unlock(&a, ia);
		mutex_lock(&srcu_test_mutex);
		synchronize_srcu(&a);
		mutex_unlock(&srcu_test_mutex);
		lockdep_expect_end();
		KASSERT(ktest_log_contains(mark, "possible circular locking dependency detected"));
	}

	/* srcu_dereference() outside a reader of its domain. */
	if (IS_ENABLED(CONFIG_DEBUG_RCU) && lockdep_enabled()) {
		static struct obj *p;
		(void)srcu_dereference(p, &b);
		KASSERT(ktest_log_contains(mark, "suspicious RCU usage"));
	}

	/* An index srcu_read_lock() never returned. */
	w = warn_count();
	srcu_read_unlock(&a, 2);
	KASSERT_EQ(warn_count(), w + 1);

	/* Cleanup with a reader inside: a warning, and the structure kept. */
	ia = srcu_read_lock(&a);
	w = warn_count();
	cleanup_srcu_struct(&a);
	KASSERT_EQ(warn_count(), w + 1);
	KASSERT(a.sda != NULL);
	KASSERT(ktest_log_contains(mark, "reader(s) still inside"));
	srcu_read_unlock(&a, ia);

	/* Cleanup with a callback not yet run (its grace period held long by
	 * the delay hook): "forgot srcu_barrier()?", kept. */
	static struct rcu_head head;
	atomic_set(&misuse_cb_ran, 0);
	delay_hook_set(&delay_hook_srcu_between_sums, 100000, &a);
	call_srcu(&a, &head, misuse_cb);
	w = warn_count();
	cleanup_srcu_struct(&a);
	KASSERT_EQ(warn_count(), w + 1);
	KASSERT(ktest_log_contains(mark, "forgot srcu_barrier()"));
	delay_hook_set(&delay_hook_srcu_between_sums, 0, NULL);
	srcu_barrier(&a);
	KASSERT_EQ(atomic_read(&misuse_cb_ran), 1);

	/* Now it goes quietly. */
	w = warn_count();
	cleanup_srcu_struct(&a);
	cleanup_srcu_struct(&b);
	KASSERT_EQ(warn_count(), w);
	KASSERT(a.sda == NULL && b.sda == NULL);
}

#ifdef CONFIG_LOCKDEP
/* Waiting for one's own domain inside its reader: it would never end.
 * Lockdep knows the reader is there (RELEASE builds hang, as Linux
 * without lockdep does). */
KTEST_EXPECT_PANIC(srcu, synchronize_inside_own_reader_panics, "Illegal synchronize_srcu()")
{
	static struct srcu_struct s;

	KASSERT_EQ(init_srcu_struct(&s), 0);
	int idx = srcu_read_lock(&s);
	synchronize_srcu(&s);
	srcu_read_unlock(&s, idx);
}
#endif
