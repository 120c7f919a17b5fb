/*
 * test_rcu.c - RCU: grace periods really wait, callbacks run, lists stay
 * walkable, misuse is reported, and a torture test in the manner of
 * Linux's rcutorture - with a deliberately broken RCU to show the torture
 * test can fail.
 *
 * rcu.torture: a writer keeps replacing one published element; readers on
 * every CPU look at it inside rcu_read_lock(). Each element carries an age
 * (rcutorture's "pipe count"): 1 when it is unpublished, +1 after every
 * grace period (a call_rcu() callback that requeues itself), freed at 10
 * (its magic is poisoned, and it may be handed out again). A reader that
 * sees age >= 2, a poisoned magic, or a changed serial number during one
 * read-side critical section held an element across a whole grace period:
 * RCU is broken. `torture.ms=N` makes the run longer.
 */
#include "tests/ktest.h"
#include "sync/rcu.h"
#include "sync/rculist.h"
#include "sync/atomic.h"
#include "sync/spinlock.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "sched/wait.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"

CMDLINE_OPTION("torture.ms", "length of the RCU, seqlock and lock torture tests in ms");

/* ---- helpers ---- */

static void spin_ns(uint64_t ns)
{
	uint64_t t0 = ktime_get_ns();

	while (ktime_get_ns() - t0 < ns)
		barrier();
}

/*
 * Exited threads' stacks are freed lazily, 32 at a time (kernel/kstack.c).
 * Reclaim them all once a test's threads are gone, so that a later test
 * that counts stacks in use (kthread.create_exit_...) starts from a clean
 * state whatever ran before it.
 */
static void reap_thread_stacks(void)
{
	msleep(2);		/* the last exits finish their final switch */
	for (int i = 0; i < 16; i++)
		kstack_reclaim();
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

/* ---- API basics ---- */

struct pair { int a, b; };
static struct pair *gp_pair;

KTEST(rcu, api_basics)
{
	static struct pair one = { 1, 1 }, two = { 2, 2 };

	RCU_INIT_POINTER(gp_pair, &one);
	KASSERT(rcu_access_pointer(gp_pair) == &one);
	KASSERT(!rcu_read_lock_held());
	int pc = preempt_count();
	rcu_read_lock();
	rcu_read_lock();			/* readers nest */
	KASSERT(rcu_read_lock_held());
	KASSERT_EQ(preempt_count(), pc + 2);	/* only preemption is off */
	struct pair *p = rcu_dereference(gp_pair);
	rcu_read_unlock();
	KASSERT(rcu_read_lock_held());
	rcu_read_unlock();
	KASSERT(!rcu_read_lock_held());
	KASSERT_EQ(preempt_count(), pc);
	KASSERT_EQ(p->a + p->b, 2);
	struct pair *old = rcu_replace_pointer(gp_pair, &two, true);
	KASSERT(old == &one);
	synchronize_rcu();
	rcu_read_lock();
	KASSERT_EQ(rcu_dereference(gp_pair)->a, 2);
	rcu_read_unlock();
}

/* On an idle system a grace period takes about a tick or two. */
KTEST(rcu, synchronize_is_quick_when_idle)
{
	struct rcu_stats before, after;

	rcu_get_stats(&before);
	uint64_t t0 = ktime_get_ns();
	for (int i = 0; i < 10; i++)
		synchronize_rcu();
	uint64_t us = (ktime_get_ns() - t0) / 10 / NSEC_PER_USEC;
	rcu_get_stats(&after);
	ktest_info("synchronize_rcu: %llu us per grace period on %d CPUs\n",
		   (unsigned long long)us, num_online_cpus());
	KASSERT_EQ(after.sync_calls - before.sync_calls, 10);
	KASSERT_LT(us, 2000 * 1000);		/* loose: a loaded host is slow */
}

/* ---- a grace period waits for a reader that was there before it ---- */

struct holder {
	volatile int inside, go, done;
	uint64_t hold_ns, t_unlock;
	bool until_stall;		/* ...and until a stall warning came */
	unsigned long stalls_before;
};

/* Enter a reader, say so, wait until the other side has started (so the
 * reader is certainly pre-existing), hold it hold_ns more, leave. */
static int holder_fn(void *arg)
{
	struct holder *h = arg;

	rcu_read_lock();
	smp_store_release(&h->inside, 1);
	uint64_t t0 = ktime_get_ns();
	while (!READ_ONCE(h->go) && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC)
		cpu_relax();
	spin_ns(h->hold_ns);
	if (h->until_stall) {
		struct rcu_stats st;
		t0 = ktime_get_ns();
		do
			rcu_get_stats(&st);
		while (st.stalls == h->stalls_before &&
		       ktime_get_ns() - t0 < 5 * NSEC_PER_SEC);
	}
	h->t_unlock = ktime_get_ns();
	smp_store_release(&h->done, 1);
	rcu_read_unlock();
	return 0;
}

struct waiter {
	struct holder *h;
	bool use_call_rcu;
	struct rcu_head rh;
	int done_at_start, done_at_end;
	uint64_t t_start, t_end;
	struct completion cb_ran;
};

static void waiter_cb(struct rcu_head *rh)
{
	struct waiter *w = container_of(rh, struct waiter, rh);

	w->done_at_end = READ_ONCE(w->h->done);
	w->t_end = ktime_get_ns();
	complete(&w->cb_ran);
}

static int waiter_fn(void *arg)
{
	struct waiter *w = arg;

	w->t_start = ktime_get_ns();
	w->done_at_start = READ_ONCE(w->h->done);
	smp_store_release(&w->h->go, 1);
	if (w->use_call_rcu) {
		call_rcu(&w->rh, waiter_cb);
		wait_for_completion(&w->cb_ran);
	} else {
		synchronize_rcu();
		w->done_at_end = READ_ONCE(w->h->done);
		w->t_end = ktime_get_ns();
	}
	return 0;
}

/* Reader on one CPU, grace period started from another. */
static void run_holder_and_waiter(struct holder *h, struct waiter *w, uint64_t hold_ns,
				  bool until_stall)
{
	int a = nth_online_cpu(0), b = nth_online_cpu(1);
	struct rcu_stats st;

	rcu_get_stats(&st);
	*h = (struct holder){ .hold_ns = hold_ns, .until_stall = until_stall,
			      .stalls_before = st.stalls };
	w->h = h;
	init_completion(&w->cb_ran);
	struct task_struct *th = run_on(b, holder_fn, h, "rcu-holder");
	while (th && !smp_load_acquire(&h->inside))
		msleep(1);
	struct task_struct *tw = run_on(a, waiter_fn, w, "rcu-waiter");
	if (tw)
		ktest_join(tw);
	if (th)
		ktest_join(th);
	/* waiter_cb() may still be inside complete() (which touches the
	 * completion after letting the waiter go): wait until it returned
	 * before *w goes out of scope. */
	if (w->use_call_rcu)
		rcu_barrier();
	reap_thread_stacks();
}

KTEST(rcu, synchronize_waits_for_preexisting_reader)
{
	struct holder h;
	struct waiter w = { .use_call_rcu = false };

	if (num_online_cpus() < 2) {
		/* One CPU: a reader cannot be running while anyone else starts
		 * a grace period (readers are not preemptible). */
		synchronize_rcu();
		ktest_info("rcu.synchronize_waits_for_preexisting_reader: needs 2 CPUs, "
			   "only checked that synchronize_rcu() returns\n");
		return;
	}
	run_holder_and_waiter(&h, &w, 50 * NSEC_PER_MSEC, false);
	KASSERT_EQ(w.done_at_start, 0);		/* the reader was inside... */
	KASSERT_EQ(w.done_at_end, 1);		/* ...and had left at the return */
	KASSERT_GE(w.t_end, h.t_unlock);
	KASSERT_GE(w.t_end - w.t_start, 45 * NSEC_PER_MSEC);
}

KTEST(rcu, call_rcu_waits_for_preexisting_reader)
{
	struct holder h;
	struct waiter w = { .use_call_rcu = true };

	if (num_online_cpus() < 2) {
		h.done = 1;
		w.h = &h;
		init_completion(&w.cb_ran);
		call_rcu(&w.rh, waiter_cb);
		rcu_barrier();
		KASSERT(completion_done(&w.cb_ran));
		ktest_info("rcu.call_rcu_waits_for_preexisting_reader: needs 2 CPUs\n");
		return;
	}
	run_holder_and_waiter(&h, &w, 50 * NSEC_PER_MSEC, false);
	KASSERT_EQ(w.done_at_start, 0);
	KASSERT_EQ(w.done_at_end, 1);		/* the callback ran after the unlock */
	KASSERT_GE(w.t_end, h.t_unlock);
}

/* A CPU stuck in a reader gets a stall warning naming it; the grace
 * period still ends when the reader does. */
KTEST(rcu, stall_warning_names_the_cpu)
{
	struct holder h;
	struct waiter w = { .use_call_rcu = false };
	char what[32];

	if (num_online_cpus() < 2) {
		ktest_info("rcu.stall_warning_names_the_cpu: needs 2 CPUs\n");
		return;
	}
	unsigned long mark = ktest_log_mark();
	unsigned long old = rcu_set_stall_timeout_ms(100);
	run_holder_and_waiter(&h, &w, 150 * NSEC_PER_MSEC, true);
	rcu_set_stall_timeout_ms(old);
	snprintf(what, sizeof(what), "CPU#%d: no quiescent state", nth_online_cpu(1));
	KASSERT(ktest_log_contains(mark, "rcu: INFO: rcu_sched detected stalls on CPUs"));
	KASSERT(ktest_log_contains(mark, what));
	KASSERT_EQ(w.done_at_end, 1);
}

/* ---- callbacks and rcu_barrier ---- */

#define CB_PER_CPU 64
struct cb_rec {
	struct rcu_head rh;
	int cpu, idx;
};
static struct cb_rec *cb_recs;
static atomic_t cbs_ran;
static int cb_last_idx[NR_CPUS];
static atomic_t cbs_out_of_order;

static void count_cb(struct rcu_head *rh)
{
	struct cb_rec *r = container_of(rh, struct cb_rec, rh);

	/* Callbacks queued on one CPU run in order (one list per CPU). */
	if (r->idx <= cb_last_idx[r->cpu])
		atomic_inc(&cbs_out_of_order);
	cb_last_idx[r->cpu] = r->idx;
	atomic_inc(&cbs_ran);
}

/* In a cross-CPU call: interrupt context, interrupts off. */
static void queue_from_irq(void *arg)
{
	int cpu = smp_processor_id();

	(void)arg;
	for (int i = 0; i < CB_PER_CPU; i++) {
		struct cb_rec *r = &cb_recs[cpu * CB_PER_CPU + i];
		r->cpu = cpu;
		r->idx = i;
		call_rcu(&r->rh, count_cb);
	}
}

KTEST(rcu, barrier_waits_for_all_callbacks)
{
	int cpu, n = num_online_cpus();

	cb_recs = kzalloc(sizeof(*cb_recs) * CB_PER_CPU * nr_cpu_ids, GFP_KERNEL);
	KASSERT(cb_recs);
	atomic_set(&cbs_ran, 0);
	atomic_set(&cbs_out_of_order, 0);
	for_each_possible_cpu(cpu)
		cb_last_idx[cpu] = -1;
	on_each_cpu(queue_from_irq, NULL, true);	/* call_rcu() from interrupts */
	rcu_barrier();
	KASSERT_EQ(atomic_read(&cbs_ran), n * CB_PER_CPU);
	KASSERT_EQ(atomic_read(&cbs_out_of_order), 0);
	rcu_barrier();					/* nothing queued: returns */
	KASSERT_EQ(atomic_read(&cbs_ran), n * CB_PER_CPU);
	kfree(cb_recs);
}

struct kobj {
	long payload[5];
	struct rcu_head rcu;
};

KTEST(rcu, kfree_rcu_frees_after_grace_period)
{
	struct kmalloc_stats before, mid, after;
	struct kobj *objs[200];

	rcu_barrier();
	kmalloc_get_stats(&before);
	for (int i = 0; i < 200; i++)
		KASSERT((objs[i] = kmalloc(sizeof(struct kobj), GFP_KERNEL)) != NULL);
	/* Inside a reader no grace period can end: nothing may be freed yet. */
	rcu_read_lock();
	for (int i = 0; i < 200; i++)
		kfree_rcu(objs[i], rcu);
	kmalloc_get_stats(&mid);
	rcu_read_unlock();
	KASSERT_GE(mid.allocations, before.allocations + 200);
	rcu_barrier();
	kmalloc_get_stats(&after);
	KASSERT_EQ(after.allocations, before.allocations);	/* all 200 freed */
}

/* ---- misuse is reported, and the kernel carries on ---- */

KTEST(rcu, sleep_in_reader_is_reported)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	rcu_read_lock();
	msleep(1);			/* the planted bug */
	rcu_read_unlock();
	KASSERT(ktest_log_contains(mark, "BUG: sleeping function called inside an "
				   "RCU read-side critical section"));
	KASSERT(ktest_log_contains(mark, "BUG: scheduling while atomic"));
	/* ... and everything still works: */
	KASSERT_EQ(preempt_count(), 0);
	KASSERT(!rcu_read_lock_held());
	synchronize_rcu();
	mark = ktest_log_mark();
	msleep(1);
	KASSERT(!ktest_log_contains(mark, "RCU read-side critical section"));
}

static int *suspicious_ptr;

KTEST(rcu, misuse_is_reported)
{
	static int x = 7;
	unsigned long mark = ktest_log_mark();

	RCU_INIT_POINTER(suspicious_ptr, &x);
	int pc = preempt_count();
	rcu_read_unlock();		/* planted: unlock without lock */
	KASSERT(ktest_log_contains(mark, "BUG: rcu_read_unlock() without rcu_read_lock()"));
	KASSERT_EQ(preempt_count(), pc);	/* the counts were left alone */
#ifdef CONFIG_DEBUG_RCU
	int *p = rcu_dereference(suspicious_ptr);	/* planted: outside a reader */
	KASSERT(ktest_log_contains(mark, "WARNING: suspicious RCU usage"));
	KASSERT_EQ(*p, 7);
#endif
}

/* ---- RCU lists: writers add and delete while readers walk ---- */

#define RL_MAGIC 0x524c4953u		/* "RLIS" */
#define RL_POISON 0xdead0001u
#define RL_PERMANENT 8
#define RL_MAX 48

struct rl_node {
	unsigned magic;
	int key;
	bool permanent;
	struct list_head link;
	struct rcu_head rh;
};

static LIST_HEAD(rl_list);
static DEFINE_SPINLOCK(rl_lock);
static int rl_len;
static volatile bool rl_stop;
static atomic_long_t rl_walks, rl_bad, rl_missed, rl_endless, rl_adds, rl_dels;

static void rl_free_cb(struct rcu_head *rh)
{
	struct rl_node *n = container_of(rh, struct rl_node, rh);

	WRITE_ONCE(n->magic, RL_POISON);
	kfree(n);
}

static int rl_reader(void *arg)
{
	uint64_t rnd = (uintptr_t)arg + 1;

	while (!READ_ONCE(rl_stop)) {
		struct rl_node *n;
		int seen = 0, perm = 0;

		rcu_read_lock();
		list_for_each_entry_rcu(n, &rl_list, link) {
			if (READ_ONCE(n->magic) != RL_MAGIC)
				atomic_long_inc(&rl_bad);
			if (n->permanent)
				perm++;
			if (++seen > 100000) {	/* a loop: list_del() reinit? */
				atomic_long_inc(&rl_endless);
				break;
			}
			if ((ktest_rand(&rnd) & 15) == 0)
				spin_ns(500);	/* let the writers move things */
		}
		rcu_read_unlock();
		/* Nodes never removed are always found, whatever else moves. */
		if (perm != RL_PERMANENT)
			atomic_long_inc(&rl_missed);
		atomic_long_inc(&rl_walks);
	}
	return 0;
}

static int rl_writer(void *arg)
{
	uint64_t rnd = (uintptr_t)arg + 77;

	while (!READ_ONCE(rl_stop)) {
		uint64_t r = ktest_rand(&rnd);
		spin_lock(&rl_lock);
		if (rl_len < RL_MAX && (r & 1)) {
			struct rl_node *n = kzalloc(sizeof(*n), GFP_ATOMIC);	/* spinlock held */
			if (n) {
				n->magic = RL_MAGIC;
				n->key = (int)(r >> 8) & 0xffff;
				if (r & 2)
					list_add_rcu(&n->link, &rl_list);
				else
					list_add_tail_rcu(&n->link, &rl_list);
				rl_len++;
				atomic_long_inc(&rl_adds);
			}
		} else if (rl_len > RL_PERMANENT) {
			/* Delete the k-th removable node. */
			int k = (int)((r >> 8) % (uint64_t)(rl_len - RL_PERMANENT));
			struct rl_node *n;
			list_for_each_entry(n, &rl_list, link) {
				if (n->permanent || k--)
					continue;
				list_del_rcu(&n->link);
				rl_len--;
				call_rcu(&n->rh, rl_free_cb);
				atomic_long_inc(&rl_dels);
				break;
			}
		}
		spin_unlock(&rl_lock);
		spin_ns((r >> 32) % 4000);
	}
	return 0;
}

KTEST(rcu, list_add_del_with_concurrent_readers)
{
	struct task_struct *readers[NR_CPUS], *writers[2];
	int n = num_online_cpus();
	long ms = cmdline_get_int("torture.ms", 0, 0, 3600000);
	struct rl_node *node, *tmp;

	ms = ms ? ms : 300;
	rl_stop = false;
	rl_len = 0;
	atomic_long_set(&rl_walks, 0);
	atomic_long_set(&rl_bad, 0);
	atomic_long_set(&rl_missed, 0);
	atomic_long_set(&rl_endless, 0);
	atomic_long_set(&rl_adds, 0);
	atomic_long_set(&rl_dels, 0);
	for (int i = 0; i < RL_PERMANENT; i++) {
		node = kzalloc(sizeof(*node), GFP_KERNEL);
		KASSERT(node);
		node->magic = RL_MAGIC;
		node->permanent = true;
		node->key = i;
		spin_lock(&rl_lock);
		list_add_tail_rcu(&node->link, &rl_list);
		rl_len++;
		spin_unlock(&rl_lock);
	}
	for (int i = 0; i < n; i++)
		readers[i] = run_on(nth_online_cpu(i), rl_reader, (void *)(uintptr_t)i, "rl-reader");
	for (int i = 0; i < 2; i++)
		writers[i] = ktest_kthread_run(rl_writer, (void *)(uintptr_t)i, "rl-writer%d", i);
	msleep((unsigned)ms);
	/* A loaded host may have let little happen: go on a while if so. */
	for (int i = 0; i < 500 && (!atomic_long_read(&rl_dels) ||
				    !atomic_long_read(&rl_walks)); i++)
		msleep(10);
	WRITE_ONCE(rl_stop, true);
	for (int i = 0; i < n; i++)
		if (readers[i])
			ktest_join(readers[i]);
	for (int i = 0; i < 2; i++)
		if (writers[i])
			ktest_join(writers[i]);
	spin_lock(&rl_lock);
	list_for_each_entry_safe(node, tmp, &rl_list, link) {
		list_del_rcu(&node->link);
		call_rcu(&node->rh, rl_free_cb);
	}
	rl_len = 0;
	spin_unlock(&rl_lock);
	rcu_barrier();
	reap_thread_stacks();
	ktest_info("rcu list: %ld walks on %d CPUs, %ld adds, %ld deletes; "
		   "%ld bad nodes, %ld misses, %ld endless walks\n",
		   atomic_long_read(&rl_walks), n, atomic_long_read(&rl_adds),
		   atomic_long_read(&rl_dels), atomic_long_read(&rl_bad),
		   atomic_long_read(&rl_missed), atomic_long_read(&rl_endless));
	KASSERT(list_empty(&rl_list));
	KASSERT_EQ(atomic_long_read(&rl_bad), 0);
	KASSERT_EQ(atomic_long_read(&rl_missed), 0);
	KASSERT_EQ(atomic_long_read(&rl_endless), 0);
	KASSERT_GT(atomic_long_read(&rl_walks), 0);
	KASSERT_GT(atomic_long_read(&rl_dels), 0);
}

KTEST(rcu, list_del_rcu_keeps_next_for_readers)
{
	LIST_HEAD(head);
	struct rl_node a = { .magic = RL_MAGIC }, b = { .magic = RL_MAGIC };

	list_add_tail_rcu(&a.link, &head);
	list_add_tail_rcu(&b.link, &head);
	list_del_rcu(&a.link);
	/* A reader standing on a can still step forward to b... */
	KASSERT(a.link.next == &b.link);
	/* ...while going backwards is poisoned (no RCU reader may). */
	KASSERT(a.link.prev == LIST_POISON2);
	KASSERT(head.next == &b.link && b.link.prev == &head);
}

/* ---- the torture test ---- */

#define RT_MAGIC  0x52435554u		/* "RCUT" */
#define RT_POISON 0xdeadbeefu
#define RT_POOL   512
#define RT_MAX_AGE 10

struct rt_elem {
	unsigned magic;
	int age;			/* the pipe count */
	unsigned long serial;		/* changes when the element is reused */
	struct rcu_head rh;
	struct rt_elem *free_next;
};

struct rt_ops {
	const char *name;
	void (*sync)(void);
	void (*call)(struct rcu_head *head, rcu_callback_t func);
	void (*wait_callbacks)(void);	/* rcu_barrier */
};

static const struct rt_ops rt_real_ops = {
	.name = "rcu", .sync = synchronize_rcu, .call = call_rcu, .wait_callbacks = rcu_barrier,
};

/* The broken one: no waiting at all (rcutorture's "busted"). */
static void busted_sync(void) { }
static void busted_call(struct rcu_head *head, rcu_callback_t func) { func(head); }
static void busted_barrier(void) { }
static const struct rt_ops rt_busted_ops = {
	.name = "busted", .sync = busted_sync, .call = busted_call, .wait_callbacks = busted_barrier,
};

static struct torture {
	const struct rt_ops *ops;
	struct rt_elem *cur;		/* the published element */
	struct rt_elem *pool;
	struct rt_elem *free_list;
	spinlock_t pool_lock;
	unsigned long next_serial;
	volatile bool stop;		/* readers and writer: finish */
	volatile bool draining;		/* callbacks: free instead of aging */
	bool stop_on_error;
	atomic_long_t reads, err_age, err_freed, err_recycled;
	atomic_long_t pipe[RT_MAX_AGE + 1];
	atomic_long_t replaced, replaced_sync, pool_empty, freed_aged, freed;
	int in_use;			/* under pool_lock */
} rt;

static struct rt_elem *rt_alloc(void)
{
	struct rt_elem *e;

	spin_lock(&rt.pool_lock);
	e = rt.free_list;
	if (e) {
		rt.free_list = e->free_next;
		rt.in_use++;
	}
	spin_unlock(&rt.pool_lock);
	if (e) {
		/* Marked: with the busted RCU, readers still read an entry
		 * reused here - what the torture counts, not a data race. */
		WRITE_ONCE(e->age, 0);
		WRITE_ONCE(e->serial, ++rt.next_serial);	/* one writer */
		WRITE_ONCE(e->magic, RT_MAGIC);
	}
	return e;
}

/* May run in the rcu_gp thread (real) or in the writer (busted). */
static void rt_free(struct rt_elem *e)
{
	unsigned long flags;

	WRITE_ONCE(e->magic, RT_POISON);
	spin_lock_irqsave(&rt.pool_lock, flags);
	e->free_next = rt.free_list;
	rt.free_list = e;
	rt.in_use--;
	spin_unlock_irqrestore(&rt.pool_lock, flags);
	atomic_long_inc(&rt.freed);
}

/* One grace period has passed since this was queued: age the element. */
static void rt_age_cb(struct rcu_head *rh)
{
	struct rt_elem *e = container_of(rh, struct rt_elem, rh);
	int age = e->age + 1;

	WRITE_ONCE(e->age, age);
	if (age >= RT_MAX_AGE) {
		atomic_long_inc(&rt.freed_aged);
		rt_free(e);
	} else if (READ_ONCE(rt.draining)) {
		rt_free(e);		/* a grace period has passed: safe */
	} else {
		rt.ops->call(&e->rh, rt_age_cb);
	}
}

static bool rt_should_stop(void)
{
	return READ_ONCE(rt.stop);
}

static int rt_reader(void *arg)
{
	uint64_t rnd = (uintptr_t)arg * 7919 + 1;
	long reads = 0;

	while (!rt_should_stop()) {
		uint64_t r = ktest_rand(&rnd);

		rcu_read_lock();
		struct rt_elem *e = rcu_dereference(rt.cur);
		if (e) {
			unsigned m0 = READ_ONCE(e->magic);
			unsigned long s0 = READ_ONCE(e->serial);
			/* Hold it a while: a few hundred ns, now and then 20 us. */
			spin_ns((r & 63) == 0 ? 20000 : (r >> 8) % 1000);
			int age = READ_ONCE(e->age);
			unsigned m1 = READ_ONCE(e->magic);
			unsigned long s1 = READ_ONCE(e->serial);
			rcu_read_unlock();
			if (m0 != RT_MAGIC || m1 != RT_MAGIC)
				atomic_long_inc(&rt.err_freed);
			else if (s0 != s1)
				atomic_long_inc(&rt.err_recycled);
			if (age >= 2)
				atomic_long_inc(&rt.err_age);
			atomic_long_inc(&rt.pipe[age < 0 ? 0 : MIN(age, RT_MAX_AGE)]);
			reads++;
		} else {
			rcu_read_unlock();
		}
		/* Some time outside, so the tick finds the CPU quiescent, and
		 * now and then let the writer in (it shares a CPU with us). */
		spin_ns((r >> 20) % 1000);
		if ((r & 255) == 1)
			yield();
		if (rt.stop_on_error && (atomic_long_read(&rt.err_age) ||
					 atomic_long_read(&rt.err_freed) ||
					 atomic_long_read(&rt.err_recycled)))
			break;
	}
	atomic_long_add(reads, &rt.reads);
	return 0;
}

static int rt_writer(void *arg)
{
	uint64_t rnd = 12345;

	(void)arg;
	while (!rt_should_stop()) {
		uint64_t r = ktest_rand(&rnd);
		struct rt_elem *e = rt_alloc();
		if (!e) {
			atomic_long_inc(&rt.pool_empty);
			msleep(1);
			continue;
		}
		struct rt_elem *old = rcu_replace_pointer(rt.cur, e, true);
		atomic_long_inc(&rt.replaced);
		if (old) {
			WRITE_ONCE(old->age, 1);	/* unpublished */
			if ((r & 15) == 0) {
				/* The synchronous way: one grace period here... */
				rt.ops->sync();
				WRITE_ONCE(old->age, 2);
				atomic_long_inc(&rt.replaced_sync);
			}
			/* ...and the rest through callbacks. */
			rt.ops->call(&old->rh, rt_age_cb);
		}
		spin_ns((r >> 16) % 5000);
		if (rt.stop_on_error && (atomic_long_read(&rt.err_age) ||
					 atomic_long_read(&rt.err_freed) ||
					 atomic_long_read(&rt.err_recycled)))
			break;
	}
	return 0;
}

/* Run the torture with `ops` for up to `ms`; returns the errors seen. */
static long rcu_torture(const struct rt_ops *ops, long ms, bool stop_on_error)
{
	struct task_struct *readers[NR_CPUS], *writer;
	int n = num_online_cpus();

	memset(&rt, 0, sizeof(rt));
	rt.ops = ops;
	rt.stop_on_error = stop_on_error;
	spin_lock_init(&rt.pool_lock);
	rt.pool = kzalloc(sizeof(struct rt_elem) * RT_POOL, GFP_KERNEL);
	if (!rt.pool)
		return -1;
	for (int i = 0; i < RT_POOL; i++) {
		rt.pool[i].magic = RT_POISON;
		rt.pool[i].free_next = rt.free_list;
		rt.free_list = &rt.pool[i];
	}
	for (int i = 0; i < n; i++)
		readers[i] = run_on(nth_online_cpu(i), rt_reader, (void *)(uintptr_t)i,
				    "rcu_torture_r");
	writer = ktest_kthread_run(rt_writer, NULL, "rcu_torture_w");
	struct rcu_stats st0, st;
	rcu_get_stats(&st0);
	uint64_t t0 = ktime_get_ns();
	for (;;) {
		msleep(10);
		uint64_t elapsed = ktime_get_ns() - t0;
		if (stop_on_error && atomic_long_read(&rt.err_age) +
		    atomic_long_read(&rt.err_freed) + atomic_long_read(&rt.err_recycled))
			break;
		if (elapsed < (uint64_t)ms * NSEC_PER_MSEC)
			continue;
		/* The real RCU: go on (a loaded host is slow) until elements
		 * have aged all the way, i.e. many grace periods went by. */
		rcu_get_stats(&st);
		if (stop_on_error || elapsed > (uint64_t)(ms + 10000) * NSEC_PER_MSEC ||
		    (st.gp_completed - st0.gp_completed > RT_MAX_AGE &&
		     atomic_long_read(&rt.freed_aged) > 0))
			break;
	}
	WRITE_ONCE(rt.stop, true);
	for (int i = 0; i < n; i++)
		if (readers[i])
			ktest_join(readers[i]);
	if (writer)
		ktest_join(writer);
	/* Unpublish the last element, then let every callback finish. */
	struct rt_elem *last = rcu_replace_pointer(rt.cur, NULL, true);
	WRITE_ONCE(rt.draining, true);
	if (last) {
		WRITE_ONCE(last->age, 1);
		ops->call(&last->rh, rt_age_cb);
	}
	/* A callback that was running when `draining` was set may have
	 * queued itself again behind rcu_barrier()'s markers: the second
	 * barrier catches it (it then sees `draining` and frees). */
	ops->wait_callbacks();
	rcu_barrier();
	reap_thread_stacks();

	long errors = atomic_long_read(&rt.err_age) + atomic_long_read(&rt.err_freed) +
		      atomic_long_read(&rt.err_recycled);
	printk(KERN_INFO "rcu-torture(%s): %ld reads on %d CPUs in %llu ms, %ld "
	       "replacements (%ld with the synchronous grace period), %ld freed "
	       "after %d grace periods, pool empty %ld times\n", ops->name,
	       atomic_long_read(&rt.reads), n,
	       (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_MSEC),
	       atomic_long_read(&rt.replaced), atomic_long_read(&rt.replaced_sync),
	       atomic_long_read(&rt.freed_aged), RT_MAX_AGE - 1,
	       atomic_long_read(&rt.pool_empty));
	printk(KERN_INFO "rcu-torture(%s): pipe %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld; "
	       "errors: %ld aged >= 2, %ld freed, %ld reused\n", ops->name,
	       atomic_long_read(&rt.pipe[0]), atomic_long_read(&rt.pipe[1]),
	       atomic_long_read(&rt.pipe[2]), atomic_long_read(&rt.pipe[3]),
	       atomic_long_read(&rt.pipe[4]), atomic_long_read(&rt.pipe[5]),
	       atomic_long_read(&rt.pipe[6]), atomic_long_read(&rt.pipe[7]),
	       atomic_long_read(&rt.pipe[8]), atomic_long_read(&rt.pipe[9]),
	       atomic_long_read(&rt.pipe[10]), atomic_long_read(&rt.err_age),
	       atomic_long_read(&rt.err_freed), atomic_long_read(&rt.err_recycled));
	return errors;
}

KTEST(rcu, torture)
{
	long ms = cmdline_get_int("torture.ms", 0, 0, 3600000);
	struct rcu_stats before, after;

	rcu_get_stats(&before);
	long errors = rcu_torture(&rt_real_ops, ms ? ms : 700, false);
	rcu_get_stats(&after);
	KASSERT_GE(errors, 0);
	/* Every element went back to the pool. */
	KASSERT_EQ(rt.in_use, 0);
	kfree(rt.pool);
	KASSERT_EQ(errors, 0);
	KASSERT_GT(atomic_long_read(&rt.reads), 0);
	KASSERT_GT(atomic_long_read(&rt.replaced), 1);
	/* Grace periods went by, and elements aged all the way. */
	KASSERT_GT(after.gp_completed - before.gp_completed, RT_MAX_AGE);
	KASSERT_GT(atomic_long_read(&rt.freed_aged), 0);
}

/* The checker must be able to fail: with an RCU that does not wait,
 * readers are caught holding freed or aged elements. */
KTEST(rcu, torture_catches_busted_rcu)
{
	if (num_online_cpus() < 2) {
		/* A reader cannot be preempted, so on one CPU the writer never
		 * runs during a reader: even an RCU that does not wait is
		 * correct there. Nothing to catch. */
		ktest_info("rcu.torture_catches_busted_rcu: needs 2 CPUs "
			   "(on one, a no-wait RCU is not wrong)\n");
		return;
	}
	long errors = rcu_torture(&rt_busted_ops, 3000, true);
	KASSERT_EQ(rt.in_use, 0);
	kfree(rt.pool);
	KASSERT_MSG(errors > 0, "the torture test did not notice an RCU that does not wait");
}
