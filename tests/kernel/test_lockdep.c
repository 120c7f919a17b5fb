/*
 * test_lockdep.c - self-tests of the lock-order validator (sync/lockdep.h).
 *
 * Each test plants a locking pattern in one thread, sequentially, so no
 * deadlock can actually happen: lockdep must still see the one that
 * could. Expected reports are counted between lockdep_expect_begin/end
 * (they are "planted"); the sequences that are correct must print none.
 * Every test uses locks of its own (its own init sites, so its own
 * classes): dependencies recorded by one test cannot leak into another.
 *
 * The first test run also installs a hook that fails the running test
 * whenever lockdep prints a warning nobody planted, and the last checks
 * that no such warning was printed before it: together, a boot of the
 * whole suite proves that the kernel's own locking (scheduler, timers,
 * allocators, all tests) draws no false positive.
 *
 * In a RELEASE build lockdep does not exist: the tests say so and pass.
 */
#include "tests/ktest.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "sched/wait.h"
#include "sync/lockdep.h"
#include "sync/spinlock.h"
#include "sync/ticket_lock.h"
#include "sync/rwlock.h"
#include "sync/mutex.h"
#include "sync/rwsem.h"
#include "kernel/delay_hook.h"
#include "kernel/hrtimer.h"
#include "kernel/jiffies.h"
#include "kernel/softirq.h"
#include "kernel/timer.h"
#include "kernel/workqueue.h"
#include "arch/x86/irqflags.h"
#include "sync/atomic.h"

static void fail_running_test(void)
{
	KTEST_FAIL("lockdep printed a warning that no test planted (see above)");
}

/* Run fn with its warnings counted as planted; returns how many. */
static unsigned int planted(void (*fn)(void))
{
	unsigned int before = lockdep_warning_count();

	lockdep_set_unexpected_hook(fail_running_test);
	lockdep_expect_begin();
	fn();
	lockdep_expect_end();
	return lockdep_warning_count() - before;
}

#define LOCKDEP_ONLY()                                                         \
	do {                                                                   \
		if (!IS_ENABLED(CONFIG_LOCKDEP)) {                             \
			ktest_info("RELEASE build: lockdep is compiled out, nothing to test\n"); \
			return;                                                \
		}                                                              \
	} while (0)

/* ---- no false positives ---- */

/*
 * Everything lockdep printed since boot (the kernel's own locking, the
 * tests that ran before this one) was planted by a self-test. Tests that
 * run after it are watched by the hook: an unplanted warning fails the
 * test during which it appears. (A file's tests run in the order the
 * compiler lays them out, today last-defined first: defined first, this
 * one runs after the self-tests of this file and can count their reports.)
 */
KTEST(lockdep, no_unexpected_warnings)
{
	LOCKDEP_ONLY();
	lockdep_set_unexpected_hook(fail_running_test);
	ktest_info("lockdep: %u warnings since boot, %u not planted by a self-test\n",
		   lockdep_warning_count(), lockdep_unexpected_count());
	KASSERT(lockdep_enabled());
	KASSERT_EQ(lockdep_unexpected_count(), 0);
}

/* Take a then b, release both. */
static void spin_pair(spinlock_t *a, spinlock_t *b)
{
	spin_lock(a);
	spin_lock(b);
	spin_unlock(b);
	spin_unlock(a);
}

/* ---- AB-BA ---- */

static DEFINE_SPINLOCK(abba_a);
static DEFINE_SPINLOCK(abba_b);

static void abba_ab(void) { spin_pair(&abba_a, &abba_b); }
static void abba_ba(void) { spin_pair(&abba_b, &abba_a); }

KTEST(lockdep, abba_reported_once)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(abba_ab), 0);
	KASSERT_EQ(planted(abba_ab), 0);	/* the same order again: fine */
	KASSERT_EQ(planted(abba_ba), 1);	/* inverted: reported, no deadlock needed */
	KASSERT(ktest_log_contains(mark, "WARNING: possible circular locking dependency detected"));
	KASSERT(ktest_log_contains(mark, "abba_b -> abba_a closes the cycle"));
	KASSERT_EQ(planted(abba_ba), 0);	/* each inversion is reported once */
}

/* ---- AB-BC-CA: a cycle through three locks ---- */

static DEFINE_SPINLOCK(cyc_a);
static DEFINE_SPINLOCK(cyc_b);
static DEFINE_SPINLOCK(cyc_c);

static void cyc_ab(void) { spin_pair(&cyc_a, &cyc_b); }
static void cyc_bc(void) { spin_pair(&cyc_b, &cyc_c); }
static void cyc_ca(void) { spin_pair(&cyc_c, &cyc_a); }

KTEST(lockdep, abbcca_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(cyc_ab), 0);
	KASSERT_EQ(planted(cyc_bc), 0);
	KASSERT_EQ(planted(cyc_ca), 1);
	KASSERT(ktest_log_contains(mark, "cyc_a -> cyc_b -> cyc_c"));	/* the chain */
	KASSERT(ktest_log_contains(mark, "cyc_c -> cyc_a closes the cycle"));
}

/* ---- orders that are consistent must stay silent ---- */

static DEFINE_SPINLOCK(ok_a);
static DEFINE_SPINLOCK(ok_b);
static DEFINE_SPINLOCK(ok_c);
static DEFINE_SPINLOCK(ok_d);

static void consistent(void)
{
	spin_pair(&ok_a, &ok_b);
	spin_pair(&ok_a, &ok_c);
	spin_pair(&ok_b, &ok_d);
	spin_pair(&ok_c, &ok_d);		/* a diamond: no cycle */
	spin_lock(&ok_a);
	spin_lock(&ok_b);
	spin_lock(&ok_c);
	spin_lock(&ok_d);
	spin_unlock(&ok_b);			/* any release order */
	spin_unlock(&ok_d);
	spin_unlock(&ok_a);
	spin_unlock(&ok_c);
	spin_pair(&ok_a, &ok_d);
}

KTEST(lockdep, consistent_orders_silent)
{
	LOCKDEP_ONLY();
	KASSERT_EQ(planted(consistent), 0);
	KASSERT_EQ(planted(consistent), 0);
}

/* ---- AA: recursion ---- */

static DECLARE_RWSEM(aa_rwsem);

/* down_read twice: works now, deadlocks if a writer queues in between. */
static void aa_read_twice(void)
{
	down_read(&aa_rwsem);
	down_read(&aa_rwsem);
	up_read(&aa_rwsem);
	up_read(&aa_rwsem);
}

static struct lockdep_map aa_fake __maybe_unused = LOCKDEP_MAP_INIT(aa_fake);

/* The validator alone, without a real lock that would deadlock. */
static void aa_same_lock(void)
{
	preempt_disable();		/* spinning locks are held per CPU */
	lock_acquire(&aa_fake, 0, false, LOCKDEP_SPIN, _RET_IP_);
	lock_acquire(&aa_fake, 0, false, LOCKDEP_SPIN, _RET_IP_);
	lock_release(&aa_fake, LOCKDEP_SPIN);
	lock_release(&aa_fake, LOCKDEP_SPIN);
	preempt_enable();
}

KTEST(lockdep, aa_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(aa_read_twice), 1);
	KASSERT(ktest_log_contains(mark, "WARNING: possible recursive locking detected"));
	KASSERT(ktest_log_contains(mark, "aa_rwsem"));
	mark = ktest_log_mark();
	KASSERT_EQ(planted(aa_same_lock), 1);
	KASSERT(ktest_log_contains(mark, "it is the same lock: this deadlocks"));
}

/* ---- two locks of one class ---- */

static spinlock_t nest_a[2], nest_b[2];

static void nest_init(void)
{
	for (int i = 0; i < 2; i++)
		spin_lock_init(&nest_a[i]);	/* one init site: one class */
	for (int i = 0; i < 2; i++)
		spin_lock_init(&nest_b[i]);	/* another site, another class */
}

static void nest_increasing(void) { spin_pair(&nest_a[0], &nest_a[1]); }
static void nest_decreasing(void) { spin_pair(&nest_a[1], &nest_a[0]); }

static void nest_annotated(void)
{
	spin_lock(&nest_b[1]);
	spin_lock_nested(&nest_b[0], SINGLE_DEPTH_NESTING);
	spin_unlock(&nest_b[0]);
	spin_unlock(&nest_b[1]);
}

/* Increasing addresses: the run-queue idiom, allowed. Decreasing: an
 * inversion of it, reported. Annotated: a separate subclass, allowed. */
KTEST(lockdep, same_class_nesting)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	nest_init();
	KASSERT_EQ(planted(nest_increasing), 0);
	KASSERT_EQ(planted(nest_decreasing), 1);
	KASSERT(ktest_log_contains(mark, "WARNING: possible recursive locking detected"));
	KASSERT(ktest_log_contains(mark, "&nest_a[i]"));
	KASSERT_EQ(planted(nest_annotated), 0);
}

/* ---- trylock ---- */

static DEFINE_SPINLOCK(try_a);
static DEFINE_SPINLOCK(try_b);
static DEFINE_SPINLOCK(try_c);

/* Holding b, trylock a: cannot wait, so no b -> a dependency. */
static void try_b_then_a(void)
{
	spin_lock(&try_b);
	if (spin_trylock(&try_a))
		spin_unlock(&try_a);
	spin_unlock(&try_b);
}

/* A trylocked lock still counts as held: a -> c is recorded. */
static void try_a_then_c(void)
{
	if (spin_trylock(&try_a)) {
		spin_lock(&try_c);
		spin_unlock(&try_c);
		spin_unlock(&try_a);
	}
}

static void ab_try(void) { spin_pair(&try_a, &try_b); }
static void ca_try(void) { spin_pair(&try_c, &try_a); }

KTEST(lockdep, trylock_adds_no_dependency)
{
	LOCKDEP_ONLY();
	KASSERT_EQ(planted(try_b_then_a), 0);
	KASSERT_EQ(planted(ab_try), 0);		/* no cycle: b -> a was not recorded */
	KASSERT_EQ(planted(try_a_then_c), 0);
	KASSERT_EQ(planted(ca_try), 1);		/* but a -> c was */
}

/* ---- sleeping locks and mixed lock types ---- */

static DEFINE_MUTEX(mx_a);
static DEFINE_MUTEX(mx_b);

static void mutex_ab(void)
{
	mutex_lock(&mx_a);
	mutex_lock(&mx_b);
	mutex_unlock(&mx_b);
	mutex_unlock(&mx_a);
}

static void mutex_ba(void)
{
	mutex_lock(&mx_b);
	msleep(1);			/* sleeping locks are held per task */
	mutex_lock(&mx_a);
	mutex_unlock(&mx_a);
	mutex_unlock(&mx_b);
}

KTEST(lockdep, mutex_abba_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(mutex_ab), 0);
	KASSERT_EQ(planted(mutex_ba), 1);
	KASSERT(ktest_log_contains(mark, "mx_b -> mx_a closes the cycle"));
}

static DEFINE_TICKET_SPINLOCK(mix_ticket);
static DEFINE_RWLOCK(mix_rwlock);
static DEFINE_SPINLOCK(mix_spin);

static void mix_tw(void)
{
	ticket_spin_lock(&mix_ticket);
	write_lock(&mix_rwlock);
	write_unlock(&mix_rwlock);
	ticket_spin_unlock(&mix_ticket);
}

static void mix_ws(void)
{
	write_lock(&mix_rwlock);
	spin_lock(&mix_spin);
	spin_unlock(&mix_spin);
	write_unlock(&mix_rwlock);
}

static void mix_st(void)
{
	spin_lock(&mix_spin);
	ticket_spin_lock(&mix_ticket);
	ticket_spin_unlock(&mix_ticket);
	spin_unlock(&mix_spin);
}

KTEST(lockdep, cycle_across_lock_types)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(mix_tw), 0);
	KASSERT_EQ(planted(mix_ws), 0);
	KASSERT_EQ(planted(mix_st), 1);
	KASSERT(ktest_log_contains(mark, "mix_ticket -> mix_rwlock -> mix_spin"));
}

/* ---- orders seen in different threads meet in one graph ---- */

static DEFINE_SPINLOCK(xt_a);
static DEFINE_SPINLOCK(xt_b);

static int xt_thread(void *arg)
{
	(void)arg;
	spin_pair(&xt_a, &xt_b);
	return 0;
}

static void xt_ba(void) { spin_pair(&xt_b, &xt_a); }

KTEST(lockdep, inversion_across_threads_reported)
{
	LOCKDEP_ONLY();
	struct task_struct *t = ktest_kthread_run(xt_thread, NULL, "lockdep-ab");

	KASSERT(t);
	ktest_join(t);
	KASSERT_EQ(planted(xt_ba), 1);
}

/* ---- lockdep_assert_held: "held by me", not "held by someone" ---- */

static DEFINE_SPINLOCK(ah_spin);
static DEFINE_MUTEX(ah_mutex);

struct ah_other {
	struct completion taken, release;
};

/* Holds both locks for a while, on another CPU or at least another task. */
static int ah_holder(void *arg)
{
	struct ah_other *o = arg;

	mutex_lock(&ah_mutex);
	spin_lock(&ah_spin);
	spin_unlock(&ah_spin);		/* a spinlock cannot wait for us */
	complete(&o->taken);
	wait_for_completion(&o->release);
	mutex_unlock(&ah_mutex);
	return 0;
}

KTEST(lockdep, assert_held_knows_the_holder)
{
	LOCKDEP_ONLY();
	struct ah_other o;
	unsigned int before = warn_count();

	KASSERT_EQ(lock_is_held(&ah_spin.dep_map), 0);	/* (lockdep_assert_held()
							 * warns once per site) */
	spin_lock(&ah_spin);
	KASSERT_EQ(lock_is_held(&ah_spin.dep_map), 1);	/* by this CPU */
	lockdep_assert_held(&ah_spin);
	spin_unlock(&ah_spin);
	mutex_lock(&ah_mutex);
	KASSERT_EQ(lock_is_held(&ah_mutex.dep_map), 1);	/* by this task */
	lockdep_assert_held(&ah_mutex);
	mutex_unlock(&ah_mutex);
	KASSERT_EQ(warn_count(), before);		/* no false alarm */

	/* Held by another task: not by us. */
	init_completion(&o.taken);
	init_completion(&o.release);
	struct task_struct *t = ktest_kthread_run(ah_holder, &o, "assert-held");
	KASSERT(t);
	wait_for_completion(&o.taken);
	int other = lock_is_held(&ah_mutex.dep_map);
	bool locked = mutex_is_locked(&ah_mutex);
	complete(&o.release);
	ktest_join(t);
	KASSERT(locked);
	KASSERT_EQ(other, 0);		/* lockdep_assert_held() would warn */
}

/* ---- interrupt states ---- */

/*
 * A softirq of the tests' own that takes whatever lock softirq_lock points
 * at. Raised with bottom halves off and run by local_bh_enable(), it runs
 * in this very thread: its reports count as planted here.
 */
#define LOCKDEP_TEST_SOFTIRQ IRQ_POLL_SOFTIRQ
static spinlock_t *softirq_lock;

static void take_in_softirq(struct softirq_action *a)
{
	(void)a;
	spin_lock(softirq_lock);
	spin_unlock(softirq_lock);
}

static void run_softirq_taking(spinlock_t *l)
{
	softirq_lock = l;
	open_softirq(LOCKDEP_TEST_SOFTIRQ, take_in_softirq);
	local_bh_disable();
	raise_softirq(LOCKDEP_TEST_SOFTIRQ);
	local_bh_enable();
	open_softirq(LOCKDEP_TEST_SOFTIRQ, NULL);
}

static DEFINE_SPINLOCK(bh_plain);
static DEFINE_SPINLOCK(bh_fixed);

static void bh_plain_softirq(void) { run_softirq_taking(&bh_plain); }
static void bh_plain_process(void) { spin_lock(&bh_plain); spin_unlock(&bh_plain); }
static void bh_fixed_softirq(void) { run_softirq_taking(&bh_fixed); }
static void bh_fixed_process(void) { spin_lock_bh(&bh_fixed); spin_unlock_bh(&bh_fixed); }

KTEST(lockdep, softirq_lock_taken_with_bh_on_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	/* spin_lock_bh in the thread: consistent, silent. */
	KASSERT_EQ(planted(bh_fixed_softirq), 0);
	KASSERT_EQ(planted(bh_fixed_process), 0);
	/* Plain spin_lock in the thread: the softirq may come while it is
	 * held, on the same CPU, and spin forever. No deadlock needed. */
	KASSERT_EQ(planted(bh_plain_softirq), 0);
	KASSERT_EQ(planted(bh_plain_process), 1);
	KASSERT(ktest_log_contains(mark, "WARNING: inconsistent lock state"));
	KASSERT(ktest_log_contains(mark, "inconsistent {IN-SOFTIRQ-W} -> {SOFTIRQ-ON-W} usage."));
	KASSERT(ktest_log_contains(mark, "(bh_plain) {IN-SOFTIRQ-W} state was registered at: take_in_softirq"));
	KASSERT_EQ(planted(bh_plain_process), 0);	/* once */
}

/* A hard interrupt, as Linux's lockdep self-tests make one: the counts
 * an interrupt entry sets, interrupts off. */
static void fake_hardirq_enter(void) { local_irq_disable(); preempt_count_add(HARDIRQ_OFFSET); }
static void fake_hardirq_exit(void) { preempt_count_sub(HARDIRQ_OFFSET); local_irq_enable(); }

static DEFINE_SPINLOCK(hi_lock);

static void hi_in_irq(void)
{
	fake_hardirq_enter();
	spin_lock(&hi_lock);
	spin_unlock(&hi_lock);
	fake_hardirq_exit();
}

static void hi_irqs_on(void) { spin_lock_bh(&hi_lock); spin_unlock_bh(&hi_lock); }

KTEST(lockdep, hardirq_lock_taken_with_irqs_on_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(hi_in_irq), 0);
	/* Bottom halves off is not enough for a hard interrupt's lock. */
	KASSERT_EQ(planted(hi_irqs_on), 1);
	KASSERT(ktest_log_contains(mark, "inconsistent {IN-HARDIRQ-W} -> {HARDIRQ-ON-W} usage."));
}

/* softirq-safe S held while taking softirq-unsafe U: CPU 0 holds U with
 * bottom halves on, CPU 1 holds S and waits for U, CPU 0's softirq waits
 * for S. */
static DEFINE_SPINLOCK(order_safe);
static DEFINE_SPINLOCK(order_unsafe);

static void order_softirq(void) { run_softirq_taking(&order_safe); }
static void order_unsafe_alone(void) { spin_lock(&order_unsafe); spin_unlock(&order_unsafe); }

static void order_safe_then_unsafe(void)
{
	spin_lock_bh(&order_safe);
	spin_lock(&order_unsafe);
	spin_unlock(&order_unsafe);
	spin_unlock_bh(&order_safe);
}

KTEST(lockdep, softirq_safe_to_unsafe_order_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(order_softirq), 0);
	KASSERT_EQ(planted(order_unsafe_alone), 0);
	KASSERT_EQ(planted(order_safe_then_unsafe), 1);
	KASSERT(ktest_log_contains(mark, "WARNING: SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"));
	KASSERT(ktest_log_contains(mark, "(order_safe) {IN-SOFTIRQ-W}"));
	KASSERT(ktest_log_contains(mark, "(order_unsafe) {SOFTIRQ-ON-W}"));
}

/* The same order, found when the last usage comes rather than the edge. */
static DEFINE_SPINLOCK(late_safe);
static DEFINE_SPINLOCK(late_unsafe);

static void late_edge(void)
{
	spin_lock_bh(&late_safe);
	spin_lock(&late_unsafe);
	spin_unlock(&late_unsafe);
	spin_unlock_bh(&late_safe);
}

static void late_softirq(void) { run_softirq_taking(&late_safe); }
static void late_unsafe_alone(void) { spin_lock(&late_unsafe); spin_unlock(&late_unsafe); }

KTEST(lockdep, irq_order_found_from_a_new_usage)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	KASSERT_EQ(planted(late_edge), 0);		/* no usage known yet */
	KASSERT_EQ(planted(late_softirq), 0);		/* late_safe: softirq-safe */
	KASSERT_EQ(planted(late_unsafe_alone), 1);	/* late_unsafe: now unsafe */
	KASSERT(ktest_log_contains(mark, "SOFTIRQ-safe -> SOFTIRQ-unsafe lock order detected"));
}

/* del_timer_sync() under a lock its callback takes: the callback waits for
 * the lock, the caller waits for the callback. */
static DEFINE_SPINLOCK(timer_user_lock);
static struct timer_list dts_timer;
static atomic_t dts_runs;

static void dts_fn(struct timer_list *t)
{
	(void)t;
	spin_lock(&timer_user_lock);
	atomic_inc(&dts_runs);
	spin_unlock(&timer_user_lock);
}

static void dts_under_lock(void)
{
	spin_lock_bh(&timer_user_lock);
	del_timer_sync(&dts_timer);	/* idle now: it does not wait */
	spin_unlock_bh(&timer_user_lock);
}

KTEST(lockdep, del_timer_sync_under_the_callbacks_lock_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	atomic_set(&dts_runs, 0);
	timer_setup(&dts_timer, dts_fn, 0);
	mod_timer(&dts_timer, jiffies + 1);
	while (!atomic_read(&dts_runs))
		msleep(1);
	KASSERT_EQ(planted(dts_under_lock), 1);
	KASSERT(ktest_log_contains(mark, "WARNING: possible circular locking dependency detected"));
	KASSERT(ktest_log_contains(mark, "timer_user_lock -> dts_fn closes the cycle"));
}

/* flush_work() under a mutex the item takes. */
static DEFINE_MUTEX(flush_user_mutex);
static struct work_struct fw_work;

static void fw_fn(struct work_struct *w)
{
	(void)w;
	mutex_lock(&flush_user_mutex);
	mutex_unlock(&flush_user_mutex);
}

static void flush_under_mutex(void)
{
	mutex_lock(&flush_user_mutex);
	flush_work(&fw_work);		/* idle now: it does not wait */
	mutex_unlock(&flush_user_mutex);
}

KTEST(lockdep, flush_work_under_the_items_mutex_reported)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	INIT_WORK(&fw_work, fw_fn);
	schedule_work(&fw_work);
	flush_work(&fw_work);
	KASSERT_EQ(planted(flush_under_mutex), 1);
	KASSERT(ktest_log_contains(mark, "WARNING: possible circular locking dependency detected"));
	KASSERT(ktest_log_contains(mark, "flush_user_mutex -> &fw_work closes the cycle"));
}

/* Two mutexes of one class, the inner taken with a nesting annotation
 * (the interruptible and killable forms too): not a recursion. */
static struct mutex nest_m[2];

static void nest_mutex_annotated(void)
{
	mutex_lock(&nest_m[1]);
	if (mutex_lock_interruptible_nested(&nest_m[0], SINGLE_DEPTH_NESTING) == 0)
		mutex_unlock(&nest_m[0]);
	mutex_lock_killable_nested(&nest_m[0], SINGLE_DEPTH_NESTING);
	mutex_unlock(&nest_m[0]);
	mutex_unlock(&nest_m[1]);
}

static void nest_mutex_plain(void)
{
	mutex_lock(&nest_m[1]);
	if (mutex_lock_interruptible(&nest_m[0]) == 0)
		mutex_unlock(&nest_m[0]);
	mutex_unlock(&nest_m[1]);
}

KTEST(lockdep, mutex_interruptible_nested_is_a_subclass)
{
	LOCKDEP_ONLY();
	unsigned long mark = ktest_log_mark();

	for (int i = 0; i < 2; i++)
		mutex_init(&nest_m[i]);		/* one init site: one class */
	KASSERT_EQ(planted(nest_mutex_annotated), 0);
	KASSERT_EQ(planted(nest_mutex_plain), 1);	/* decreasing, unannotated */
	KASSERT(ktest_log_contains(mark, "possible recursive locking detected"));
}

#ifdef CONFIG_LOCKDEP	/* the hook lives in lockdep */
/*
 * An interrupt inside lockdep's push (after a lock's entry is written,
 * before the depth shows it) must not take that entry for its own lock:
 * the hook holds the window open 20 ms while an hrtimer on this CPU takes
 * a lock of its own. Before push() turned interrupts off, the timer's
 * lock overwrote the entry: the held lock was then not held for lockdep,
 * and its release left the depth one too high (2 of 2 boots: "spin_lock()
 * returned, but lockdep did not count it as held").
 */
static DEFINE_SPINLOCK(push_outer);
static DEFINE_SPINLOCK(push_in_irq);
static int push_irq_ran;

static enum hrtimer_restart push_irq_fn(struct hrtimer *t)
{
	(void)t;
	spin_lock(&push_in_irq);
	spin_unlock(&push_in_irq);
	WRITE_ONCE(push_irq_ran, 1);
	return HRTIMER_NORESTART;
}

KTEST(lockdep, an_interrupt_in_push_keeps_the_held_lock)
{
	struct hrtimer t;

	hrtimer_init(&t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	t.function = push_irq_fn;
	WRITE_ONCE(push_irq_ran, 0);
	preempt_disable();			/* this CPU's timer, this CPU's stack */
	int depth = lockdep_depth();
	delay_hook_set(&delay_hook_lockdep_push, 20000, &push_outer.dep_map);
	hrtimer_start(&t, 500 * NSEC_PER_USEC, HRTIMER_MODE_REL_PINNED);
	spin_lock(&push_outer);			/* interrupts on: the timer may come */
	bool held = lock_is_held(&push_outer.dep_map);
	spin_unlock(&push_outer);
	int after = lockdep_depth();
	preempt_enable();
	int hits = delay_hook_hits(&delay_hook_lockdep_push);
	delay_hook_set(&delay_hook_lockdep_push, 0, NULL);
	hrtimer_cancel(&t);
	KASSERT_GT(hits, 0);			/* the window was open */
	KASSERT(READ_ONCE(push_irq_ran));	/* the timer ran, in it or after it */
	KASSERT_MSG(held, "spin_lock() returned, but lockdep did not count it as held");
	KASSERT_EQ(after, depth);
}
#endif
