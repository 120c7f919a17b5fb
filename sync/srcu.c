/*
 * srcu.c - sleepable RCU: grace periods that count readers.
 *
 * A reader may sleep, so "this CPU switched context" (sync/rcu.c) says
 * nothing about it: readers must be counted. Each domain has two indexes
 * and, per CPU and per index, two counters that only grow:
 *
 *   srcu_read_lock:    idx = srcu_idx & 1;  lock_count[idx]++ (this CPU);
 *                      smp_mb() (B);  return idx
 *   srcu_read_unlock:  smp_mb() (C);  unlock_count[idx]++ (this CPU)
 *
 * Readers inside on index i = sum over CPUs of lock_count[i] - sum of
 * unlock_count[i]. Only the sums mean something: a reader that slept and
 * woke on another CPU counted its lock on one CPU and its unlock on the
 * other, so one CPU's difference may be -1. (One shared counter would do
 * as well, but every reader on every CPU would pull its cache line.)
 *
 * A grace period (srcu_gp, one at a time under gp_mutex):
 *   1. wait until index !active has no readers;
 *   2. flip: smp_mb() (E); srcu_idx++; smp_mb() (D);
 *   3. wait until the old active index has no readers.
 * "Wait until index i has no readers" (readers_gone) sums every CPU's
 * unlock_count[i], then smp_mb() (A), then every CPU's lock_count[i],
 * and retries (5 us apart, then a tick apart) until they are equal.
 *
 * Why the flip: readers keep arriving. Once the index is flipped, new
 * readers count themselves on the other index, so the old one can only
 * drain. Readers that came after the grace period began need not be
 * waited for - they cannot hold what the caller removed before calling.
 *
 * Why unlocks first, then locks: a reader that both enters and leaves
 * between the two sums would otherwise add its unlock but not its lock,
 * and hide a reader still inside: one lock counted, one unlock counted,
 * "no readers". Summed unlocks first, any unlock counted had its lock
 * before it, so the later sum of locks counts that lock too (A keeps the
 * two sums in this order; a reader that moved CPUs went through a
 * context switch, a full barrier, between its lock and its unlock). The
 * sums can then only over-count readers, never under-count them.
 *
 * Why wait twice (step 1): a reader reads srcu_idx, then increments the
 * counter - two instructions, and it may be preempted or interrupted in
 * between. Such a straggler read index X before the previous grace
 * period's flip and counted itself on X after that grace period finished
 * with X. It is a real reader, and it may already hold the pointer our
 * caller is removing. X is now the inactive index: step 3 waits for the
 * *other* one, so without step 1 nobody waits for it, and the caller
 * frees what it is reading. Step 1 waits for such readers first. A
 * reader that reads X even later read it before the previous flip and
 * counts itself only after our step 1: it started after our grace period
 * did. (The delay hook srcu_read_lock_idx widens exactly this window;
 * test srcu.straggler_reader_is_waited_for fails without step 1.)
 *
 * Why the barriers. On x86 the one reordering is a store passing a later
 * load (the store buffer; REFERENCE.md 6), and that is the fatal one:
 *  - B: the reader stores its lock count, then loads the pointer; the
 *    grace period stores srcu_idx (and the caller the new pointer), then
 *    loads the counts. Without B on one side and E/D/the entry barrier on
 *    the other, each may miss the other's store: the reader takes the old
 *    pointer while the grace period sees no reader. (Store buffering.)
 *  - C: the reader's last loads of the object come before its unlock
 *    count; on x86 a store never passes earlier loads, but the compiler
 *    may move them, and weaker CPUs do. Linux keeps a full barrier.
 *  - A: the loads of the unlock sum come before those of the lock sum (see
 *    above); x86 keeps loads in order, the compiler need not.
 *  - E: the scans of step 1 finish before readers can see the new index.
 *  - D: the new index is visible before step 3 scans: otherwise readers
 *    would keep joining the old index from the store buffer's shadow, and
 *    step 3 might never see it drain.
 * synchronize_srcu() adds a full barrier on entry (the caller's removal
 * before any scan) and on exit (the scans before the caller's free).
 *
 * Sharing grace periods: gp_seq counts 2 per grace period and is odd
 * while one runs. A caller needs one that starts after its call: it
 * takes the cookie (gp_seq + 3) & ~1 (the end of the next one to start),
 * takes gp_mutex, and runs grace periods until gp_seq reaches the cookie
 * - often someone else did while it waited for the mutex.
 *
 * Callbacks: call_srcu() appends to the domain's one list (Linux 6.1
 * also starts with one list per domain), tagged with a cookie, and queues
 * the domain's work item. The work function takes the whole list, waits
 * for the last cookie and calls the callbacks in order, each with bottom
 * halves off, then looks again. A work item never runs beside itself, so
 * callbacks run one at a time in order, and srcu_barrier() only has to
 * append a callback carrying the last cookie and wait for it.
 */
#include "sync/srcu.h"
#include "sync/atomic.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "kernel/errno.h"
#include "kernel/cpumask.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/softirq.h"
#include "kernel/time.h"

DEFINE_DELAY_HOOK(srcu_read_lock_idx);
DEFINE_DELAY_HOOK(srcu_between_sums);

#define SRCU_SPIN_CHECKS	4	/* then sleep a tick between checks */
#define SRCU_RETRY_US		5

static bool seq_done(struct srcu_struct *ssp, unsigned long cookie)
{
	return (long)(READ_ONCE(ssp->gp_seq) - cookie) >= 0;
}

/* ---- readers ---- */

int __srcu_read_lock(struct srcu_struct *ssp)
{
	int idx = READ_ONCE(ssp->srcu_idx) & 1;

	delay_hook(srcu_read_lock_idx, ssp);	/* a straggler's window */
	this_cpu_inc(ssp->sda->lock_count[idx]);
	smp_mb();				/* B: counted before we read */
	return idx;
}

void __srcu_read_unlock(struct srcu_struct *ssp, int idx)
{
	smp_mb();				/* C: done reading before we leave */
	this_cpu_inc(ssp->sda->unlock_count[idx]);
}

void srcu_read_unlock_bad_idx(struct srcu_struct *ssp, int idx)
{
	WARN(1, "srcu_read_unlock(%p, %d): the index must be what srcu_read_lock() "
	     "returned (0 or 1)\n", ssp, idx);
}

/* ---- grace periods ---- */

static void sum_index(struct srcu_struct *ssp, int idx, bool locks, unsigned long *sum)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct srcu_data *d = per_cpu_ptr(ssp->sda, cpu);
		*sum += locks ? READ_ONCE(d->lock_count[idx]) : READ_ONCE(d->unlock_count[idx]);
	}
}

/* Had index idx no readers at some moment during the call? */
static bool readers_gone(struct srcu_struct *ssp, int idx)
{
	unsigned long unlocks = 0, locks = 0;

	sum_index(ssp, idx, false, &unlocks);
	delay_hook(srcu_between_sums, ssp);
	smp_mb();			/* A: every unlock counted has its lock counted */
	sum_index(ssp, idx, true, &locks);
	return locks == unlocks;
}

static void wait_for_index(struct srcu_struct *ssp, int idx)
{
	for (int n = 0; !readers_gone(ssp, idx); n++) {
		if (n < SRCU_SPIN_CHECKS)
			udelay(SRCU_RETRY_US);	/* a short reader is about to leave */
		else
			msleep(1);		/* a reader that sleeps: sleep too */
	}
}

static void srcu_flip(struct srcu_struct *ssp)
{
	smp_mb();			/* E: step 1's scans before the flip */
	WRITE_ONCE(ssp->srcu_idx, ssp->srcu_idx + 1);
	smp_mb();			/* D: the flip before step 3's scans */
}

/* One grace period; gp_mutex held. */
static void srcu_gp(struct srcu_struct *ssp)
{
	WRITE_ONCE(ssp->gp_seq, ssp->gp_seq + 1);	/* odd: running */
	smp_mb();		/* callers that saw it even wait for the next one */
	wait_for_index(ssp, (READ_ONCE(ssp->srcu_idx) & 1) ^ 1);	/* 1: stragglers */
	srcu_flip(ssp);							/* 2 */
	wait_for_index(ssp, (READ_ONCE(ssp->srcu_idx) & 1) ^ 1);	/* 3: the old index */
	smp_mb();		/* the scans before anyone sees the grace period end */
	WRITE_ONCE(ssp->gp_seq, ssp->gp_seq + 1);	/* even: done */
}

/* The cookie of a grace period that starts after this call. */
static unsigned long seq_snap(struct srcu_struct *ssp)
{
	smp_mb();		/* the caller's removal before we read gp_seq */
	return (READ_ONCE(ssp->gp_seq) + 3) & ~1UL;
}

/* Sleep until gp_seq reaches the cookie, running grace periods as needed. */
static void wait_for_cookie(struct srcu_struct *ssp, unsigned long cookie)
{
	if (!seq_done(ssp, cookie)) {
		mutex_lock(&ssp->gp_mutex);
		while (!seq_done(ssp, cookie))
			srcu_gp(ssp);
		mutex_unlock(&ssp->gp_mutex);
	}
	smp_mb();		/* the grace period before the caller's next access */
}

/*
 * Inside a reader of ssp, a grace period of ssp waits for the caller
 * itself. Lockdep knows (debug builds); say it as Linux's lockdep does,
 * then stop: the deadlock is certain. Then tell lockdep "this waits for
 * ssp" (an acquire with nothing inside), so that a lock taken inside
 * readers and held here makes a cycle it reports (Linux since 6.4:
 * srcu_lock_sync()).
 */
static void check_may_wait(struct srcu_struct *ssp, const char *fn)
{
	(void)ssp;		/* RELEASE: no lockdep, no check */
	if (lock_is_held(&ssp->dep_map) == 1) {
		rcu_suspicious_usage(__FILE__, __LINE__, "Illegal synchronize_srcu() in "
				     "same-type SRCU (or in RCU) read-side critical section");
		panic("BUG: %s(%s) inside a read-side critical section of the same "
		      "srcu_struct: it would wait for its own reader forever", fn,
		      lockdep_map_name(&ssp->dep_map));
	}
	if (rcu_read_lock_held())
		rcu_suspicious_usage(__FILE__, __LINE__, "Illegal synchronize_srcu() in "
				     "same-type SRCU (or in RCU) read-side critical section");
	lock_acquire(&ssp->dep_map, 0, false, LOCKDEP_SLEEP, _RET_IP_);
	lock_release(&ssp->dep_map, LOCKDEP_SLEEP);
}

void synchronize_srcu(struct srcu_struct *ssp)
{
	check_may_wait(ssp, __func__);
	might_sleep();
	wait_for_cookie(ssp, seq_snap(ssp));
}

/* Linux's expedited grace periods poll sooner; ours poll at once anyway. */
void synchronize_srcu_expedited(struct srcu_struct *ssp)
{
	synchronize_srcu(ssp);
}

unsigned long get_state_synchronize_srcu(struct srcu_struct *ssp)
{
	return seq_snap(ssp);
}

bool poll_state_synchronize_srcu(struct srcu_struct *ssp, unsigned long cookie)
{
	if (!seq_done(ssp, cookie))
		return false;
	smp_mb();		/* the grace period before the caller's next access */
	return true;
}

unsigned long start_poll_synchronize_srcu(struct srcu_struct *ssp)
{
	unsigned long flags, cookie;

	spin_lock_irqsave(&ssp->cb_lock, flags);
	cookie = seq_snap(ssp);
	if ((long)(cookie - ssp->gp_seq_needed) > 0)
		ssp->gp_seq_needed = cookie;
	spin_unlock_irqrestore(&ssp->cb_lock, flags);
	queue_work(system_wq, &ssp->work);	/* it runs the grace period */
	return cookie;
}

/* ---- callbacks ---- */

static void srcu_barrier_cb(struct rcu_head *head);


void call_srcu(struct srcu_struct *ssp, struct rcu_head *head, rcu_callback_t func)
{
	unsigned long flags;

	head->func = func;
	head->next = NULL;
	spin_lock_irqsave(&ssp->cb_lock, flags);
	head->gp = seq_snap(ssp);
	ssp->cb_last_gp = head->gp;
	*ssp->cb_tail = head;
	ssp->cb_tail = &head->next;
	ssp->cb_pending++;
	spin_unlock_irqrestore(&ssp->cb_lock, flags);
	queue_work(system_wq, &ssp->work);
}

/* The work function: grace periods for the callbacks, then the calls. */
void srcu_process_callbacks(struct work_struct *work)
{
	struct srcu_struct *ssp = container_of(work, struct srcu_struct, work);
	unsigned long flags, cookie;
	struct rcu_head *list;

	for (;;) {
		spin_lock_irqsave(&ssp->cb_lock, flags);
		list = ssp->cb_head;
		cookie = ssp->gp_seq_needed;
		if (list && (long)(ssp->cb_last_gp - cookie) > 0)
			cookie = ssp->cb_last_gp;	/* the last one's is the latest */
		ssp->cb_head = NULL;
		ssp->cb_tail = &ssp->cb_head;
		spin_unlock_irqrestore(&ssp->cb_lock, flags);
		if (!list && seq_done(ssp, cookie))
			return;
		wait_for_cookie(ssp, cookie);
		while (list) {
			struct rcu_head *next = list->next;
			bool counted = list->func != srcu_barrier_cb;
			local_bh_disable();
			list->func(list);	/* may free `list` */
			local_bh_enable();
			if (counted) {		/* after: srcu_barrier() relies on it */
				spin_lock_irqsave(&ssp->cb_lock, flags);
				ssp->cb_pending--;
				spin_unlock_irqrestore(&ssp->cb_lock, flags);
			}
			list = next;
		}
	}
}

/*
 * A marker at the tail of the list, carrying the last callback's cookie:
 * it waits for no grace period of its own, only for the callbacks ahead
 * of it (they run in order, one at a time). With none pending, nothing
 * to wait for (cb_pending drops only after a callback has returned).
 */
struct srcu_barrier_head {
	struct rcu_head head;
	struct completion done;
};

static void srcu_barrier_cb(struct rcu_head *head)
{
	complete(&container_of(head, struct srcu_barrier_head, head)->done);
}

void srcu_barrier(struct srcu_struct *ssp)
{
	struct srcu_barrier_head b;
	unsigned long flags;

	might_sleep();
	init_completion(&b.done);
	b.head.func = srcu_barrier_cb;
	b.head.next = NULL;
	spin_lock_irqsave(&ssp->cb_lock, flags);
	if (!ssp->cb_pending) {
		spin_unlock_irqrestore(&ssp->cb_lock, flags);
		smp_mb();	/* the callbacks' effects before the caller's next access */
		return;
	}
	b.head.gp = ssp->cb_last_gp;
	*ssp->cb_tail = &b.head;
	ssp->cb_tail = &b.head.next;
	spin_unlock_irqrestore(&ssp->cb_lock, flags);
	queue_work(system_wq, &ssp->work);
	wait_for_completion(&b.done);
}

/* ---- setup and teardown ---- */

int __init_srcu_struct(struct srcu_struct *ssp, const char *name, const void *key)
{
	might_sleep();
	*ssp = (struct srcu_struct){ 0 };
	ssp->sda = alloc_percpu(struct srcu_data);	/* zeroed on every CPU */
	if (!ssp->sda)
		return -ENOMEM;
	mutex_init(&ssp->gp_mutex);
	spin_lock_init(&ssp->cb_lock);
	ssp->cb_tail = &ssp->cb_head;
	INIT_WORK(&ssp->work, srcu_process_callbacks);
	lockdep_init_map(&ssp->dep_map, name, key);
	return 0;
}

/* Readers inside now, on both indexes, all CPUs. */
static unsigned long readers_active(struct srcu_struct *ssp)
{
	unsigned long locks = 0, unlocks = 0;

	for (int idx = 0; idx < 2; idx++) {
		sum_index(ssp, idx, false, &unlocks);
		smp_mb();
		sum_index(ssp, idx, true, &locks);
	}
	return locks - unlocks;
}

void cleanup_srcu_struct(struct srcu_struct *ssp)
{
	unsigned long readers, pending, flags;

	might_sleep();
	readers = readers_active(ssp);
	if (WARN(readers, "cleanup_srcu_struct(%s): %lu reader(s) still inside: leaking it\n",
		 lockdep_map_name(&ssp->dep_map), readers))
		return;
	spin_lock_irqsave(&ssp->cb_lock, flags);
	pending = ssp->cb_pending;
	spin_unlock_irqrestore(&ssp->cb_lock, flags);
	if (WARN(pending, "cleanup_srcu_struct(%s): %lu callback(s) not yet run: forgot "
		 "srcu_barrier()? Leaking it\n", lockdep_map_name(&ssp->dep_map), pending))
		return;
	flush_work(&ssp->work);		/* the work function may still be finishing */
	if (WARN(!seq_done(ssp, ssp->gp_seq_needed) || (ssp->gp_seq & 1),
		 "cleanup_srcu_struct(%s): Active srcu_struct %p gp state: %lu/%lu\n",
		 lockdep_map_name(&ssp->dep_map), ssp, ssp->gp_seq, ssp->gp_seq_needed))
		return;
	if (!ssp->sda_is_static) {
		free_percpu(ssp->sda);
		ssp->sda = NULL;
	}
}
