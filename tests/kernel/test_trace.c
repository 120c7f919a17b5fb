/*
 * test_trace.c - the event trace: events come in a consistent order on
 * every CPU while threads on all CPUs take locks and sleep; a full ring
 * keeps its size and counts what it drops; start and stop behave.
 */
#include "tests/ktest.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "lab/shell.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "sched/sched.h"
#include "sync/lockstat.h"
#include "sync/mutex.h"
#include "sync/spinlock.h"
#include "arch/x86/irqflags.h"

#define ROUNDS 200

static spinlock_t tr_spin;
static struct mutex tr_mutex;

static void lock_a_lot(int idx, void *arg)
{
	(void)idx;
	(void)arg;
	for (int i = 0; i < ROUNDS; i++) {
		spin_lock(&tr_spin);
		spin_unlock(&tr_spin);
		if (i % 20 == 0) {
			mutex_lock(&tr_mutex);
			msleep(1);		/* others sleep on it meanwhile */
			mutex_unlock(&tr_mutex);
		}
	}
}

/* What one lock owner (a CPU for a spinlock, a task for a mutex) has. */
struct held {
	uint64_t lock;
	int owner;
	bool sleeping;
	bool waiting, holding;
};

static struct held *find_held(struct held *h, int *n, int max, uint64_t lock,
			      int owner, bool sleeping)
{
	for (int i = 0; i < *n; i++)
		if (h[i].lock == lock && h[i].owner == owner && h[i].sleeping == sleeping)
			return &h[i];
	if (*n == max)
		return NULL;
	h[*n] = (struct held){ .lock = lock, .owner = owner, .sleeping = sleeping };
	return &h[(*n)++];
}

#define MAX_HELD 256

/* A lock's events alternate: [contended] acquired released. */
static const char *lock_step(struct held *s, unsigned int type)
{
	if (type == TRACE_LOCK_CONTENDED) {
		if (s->waiting || s->holding)
			return "contended on a lock already waited for or held";
		s->waiting = true;
	} else if (type == TRACE_LOCK_ACQUIRED) {
		if (s->holding)
			return "acquired a lock already held by its owner";
		s->waiting = false;
		s->holding = true;
	} else {
		if (!s->holding || s->waiting)
			return "released a lock whose acquisition is not in the trace";
		s->holding = false;
	}
	return NULL;
}

static bool is_lock(const struct trace_event *e, bool sleeping)
{
	return e->type >= TRACE_LOCK_CONTENDED && e->type <= TRACE_LOCK_RELEASED &&
	       !!(e->b & TRACE_LOCK_SLEEPING) == sleeping;
}

/*
 * One CPU's rules:
 *  - time never goes back;
 *  - after "switch to P", every event is P's until the next switch,
 *    which P makes (a switch-in is followed by that task's switch-out);
 *  - a spinning lock's events alternate on the CPU that holds it.
 * Returns a message, or NULL if all hold.
 */
static const char *check_cpu(int cpu, struct held *h, int *nh, int *acquired_spin)
{
	static char why[160];
	const struct trace_event *e = trace_events(cpu);
	int running = -1;

	for (unsigned long i = 0; i < trace_len(cpu); i++) {
		if (i && e[i].ts < e[i - 1].ts)
			return "time went back on a CPU";
		if (running >= 0 && e[i].pid != running) {
			snprintf(why, sizeof(why), "CPU %d: event %lu (%s) by pid %d, but pid %d "
				 "was switched in", cpu, i, trace_type_name(e[i].type), e[i].pid,
				 running);
			return why;
		}
		if (e[i].type == TRACE_SWITCH)
			running = (int)e[i].a;
		if (!is_lock(&e[i], false))
			continue;
		struct held *s = find_held(h, nh, MAX_HELD, e[i].a, cpu, false);
		if (!s)
			return "too many locks to check";
		const char *bad = lock_step(s, e[i].type);
		if (bad)
			return bad;
		*acquired_spin += e[i].type == TRACE_LOCK_ACQUIRED &&
				  e[i].a == (uintptr_t)&tr_spin.stat;
	}
	return NULL;
}

/* A mutex's events alternate in the task that holds it, which may move
 * between CPUs: all CPUs' events, merged in time order. */
static const char *check_mutexes(struct held *h, int *nh)
{
	unsigned long next[NR_CPUS] = { 0 };
	int cpu;

	for (;;) {
		int best = -1;
		for_each_online_cpu(cpu)
			if (next[cpu] < trace_len(cpu) &&
			    (best < 0 || trace_events(cpu)[next[cpu]].ts <
					 trace_events(best)[next[best]].ts))
				best = cpu;
		if (best < 0)
			return NULL;
		const struct trace_event *e = &trace_events(best)[next[best]++];
		if (!is_lock(e, true))
			continue;
		struct held *s = find_held(h, nh, MAX_HELD, e->a, e->pid, true);
		if (!s)
			return "too many locks to check";
		const char *bad = lock_step(s, e->type);
		if (bad)
			return bad;
	}
}

/* Every CPU's rules, then the mutexes': the first broken one, or NULL. */
static const char *check_all(struct held *h, int *acquired_spin)
{
	const char *why = NULL;
	int nh = 0, cpu;

	memset(h, 0, MAX_HELD * sizeof(*h));
	for_each_online_cpu(cpu)
		if (!why)
			why = check_cpu(cpu, h, &nh, acquired_spin);
	return why ? why : check_mutexes(h, &nh);
}

KTEST(trace, events_in_a_consistent_order)
{
	struct held *h = kcalloc(MAX_HELD, sizeof(*h), GFP_KERNEL);
	int acquired_spin = 0, cpu;

	KASSERT(h);
	spin_lock_init(&tr_spin);
	mutex_init(&tr_mutex);
	int err = trace_start(TRACE_ALL_LOCKS);
	KASSERT_EQ(err, 0);
	int n = ktest_run_on_all_cpus(lock_a_lot, NULL, false);
	trace_stop();
	for_each_online_cpu(cpu)
		KASSERT_MSG(trace_dropped(cpu) == 0, "CPU %d dropped %lu events: trace.size "
			    "too small for this test", cpu, trace_dropped(cpu));
	const char *why = check_all(h, &acquired_spin);
	kfree(h);
	KASSERT_MSG(!why, "%s", why);
	KASSERT_EQ(acquired_spin, n * ROUNDS);
	unsigned long switches = 0, sleeps = 0;
	for_each_online_cpu(cpu)
		for (unsigned long i = 0; i < trace_len(cpu); i++) {
			switches += trace_events(cpu)[i].type == TRACE_SWITCH;
			sleeps += trace_events(cpu)[i].type == TRACE_MUTEX_SLEEP;
		}
	KASSERT_GE(switches, (unsigned long)n * (ROUNDS / 20));	/* each msleep */
	KASSERT_MSG(n < 2 || sleeps > 0, "no thread slept on the mutex held across msleep");
}

/* A full ring keeps exactly its size, and counts every event it drops. */
KTEST(trace, overflow_counts_drops)
{
	unsigned long flags;

	KASSERT_EQ(trace_start(TRACE_NO_LOCKS), 0);
	local_irq_save(flags);		/* only our events on this CPU now */
	int cpu = smp_processor_id(), size = trace_size();
	unsigned long before = trace_len(cpu), dropped_before = trace_dropped(cpu);
	for (int i = 0; i < size + 100; i++)
		trace_mark("overflow");
	unsigned long len = trace_len(cpu), dropped = trace_dropped(cpu);
	local_irq_restore(flags);
	trace_stop();
	KASSERT_EQ(dropped_before, 0);
	KASSERT_EQ(len, size);
	KASSERT_EQ(dropped, before + 100);
	const struct trace_event *e = trace_events(cpu);
	KASSERT_EQ(e[size - 1].type, TRACE_MARK);
	KASSERT_STREQ((const char *)(uintptr_t)e[size - 1].a, "overflow");
	/* A new trace starts empty. */
	KASSERT_EQ(trace_start(TRACE_NO_LOCKS), 0);
	KASSERT_LT(trace_len(cpu), 100);
	KASSERT_EQ(trace_dropped(cpu), 0);
	trace_stop();
}

KTEST(trace, start_while_running_is_refused)
{
	KASSERT_EQ(trace_start(TRACE_NO_LOCKS), 0);
	int err = trace_start(TRACE_NO_LOCKS);
	trace_stop();
	KASSERT_EQ(err, -EBUSY);
	/* Stopped, nothing is written. */
	int cpu = raw_smp_processor_id();
	unsigned long len = trace_len(cpu);
	trace_mark("after stop");
	KASSERT_EQ(trace_len(cpu), len);
}

/* Only the chosen class's lock events are kept. */
KTEST(trace, lock_class_filter)
{
	spin_lock_init(&tr_spin);
	mutex_init(&tr_mutex);
	spin_lock(&tr_spin);		/* its class exists before the start */
	spin_unlock(&tr_spin);
	int cls = lockstat_class_of(&tr_spin.stat), cpu;
	KASSERT_EQ(trace_start(cls), 0);
	for (int i = 0; i < 10; i++) {
		spin_lock(&tr_spin);
		spin_unlock(&tr_spin);
		mutex_lock(&tr_mutex);
		mutex_unlock(&tr_mutex);
	}
	trace_stop();
	int mine = 0, others = 0;
	for_each_online_cpu(cpu)
		for (unsigned long i = 0; i < trace_len(cpu); i++) {
			const struct trace_event *e = &trace_events(cpu)[i];
			if (e->type < TRACE_LOCK_CONTENDED || e->type > TRACE_MUTEX_WAKE)
				continue;
			if ((e->b & ~TRACE_LOCK_SLEEPING) == cls)
				mine++;
			else
				others++;
		}
	KASSERT_EQ(mine, 20);
	KASSERT_EQ(others, 0);
}

static int spin_once(void *arg)
{
	(void)arg;
	spin_lock(&tr_spin);
	spin_unlock(&tr_spin);
	return 0;
}

static int count_lock_events(int type)
{
	int n = 0, cpu;

	for_each_online_cpu(cpu)
		for (unsigned long i = 0; i < trace_len(cpu); i++)
			n += trace_events(cpu)[i].type == type &&
			     trace_events(cpu)[i].a == (uintptr_t)&tr_spin.stat;
	return n;
}

/* TRACE_LOCK_WAITS: an acquisition that did not wait leaves nothing; one
 * that waited leaves contended, acquired, released. */
KTEST(trace, lock_waits_only)
{
	if (num_online_cpus() < 2) {
		ktest_info("trace.lock_waits_only: needs 2 CPUs, skipped\n");
		return;
	}
	spin_lock_init(&tr_spin);
	struct task_struct *t = ktest_kthread_create(spin_once, NULL, "tr_waiter");
	KASSERT(t);
	KASSERT_EQ(trace_start(TRACE_LOCK_WAITS), 0);
	for (int i = 0; i < 10; i++) {
		spin_lock(&tr_spin);
		spin_unlock(&tr_spin);
	}
	spin_lock(&tr_spin);
	kthread_bind(t, nth_online_cpu(smp_processor_id() == nth_online_cpu(0) ? 1 : 0));
	wake_up_process(t);
	uint64_t start = ktime_get_ns();
	while (!count_lock_events(TRACE_LOCK_CONTENDED) &&
	       ktime_get_ns() - start < 10 * NSEC_PER_SEC)
		cpu_relax();
	spin_unlock(&tr_spin);
	ktest_join(t);
	trace_stop();
	KASSERT_EQ(count_lock_events(TRACE_LOCK_CONTENDED), 1);
	KASSERT_EQ(count_lock_events(TRACE_LOCK_ACQUIRED), 1);
	KASSERT_EQ(count_lock_events(TRACE_LOCK_RELEASED), 1);
}

/*
 * Starting and stopping while every other CPU takes locks: a lock taken
 * as a trace starts (its acquisition not recorded) must not show its
 * release, nor may a lock held across a stop and a start. The rules of
 * check_cpu()/check_mutexes() hold after every stop.
 */
static int busy_stop;
static const char *busy_why;
static int busy_rounds;

static void busy(int idx, void *arg)
{
	(void)arg;
	if (idx == 0) {
		struct held *h = kcalloc(MAX_HELD, sizeof(*h), GFP_KERNEL);
		for (int r = 0; h && r < 20 && !busy_why; r++, busy_rounds++) {
			int ignored = 0;
			if (trace_start(TRACE_ALL_LOCKS))
				break;
			msleep(2);
			trace_stop();
			busy_why = check_all(h, &ignored);
		}
		kfree(h);
		WRITE_ONCE(busy_stop, 1);
		return;
	}
	while (!READ_ONCE(busy_stop)) {
		spin_lock(&tr_spin);
		spin_unlock(&tr_spin);
		mutex_lock(&tr_mutex);
		mutex_unlock(&tr_mutex);
	}
}

KTEST(trace, start_and_stop_while_locks_are_taken)
{
	spin_lock_init(&tr_spin);
	mutex_init(&tr_mutex);
	busy_stop = 0;
	busy_why = NULL;
	busy_rounds = 0;
	KASSERT_EQ(ktest_run_on_all_cpus(busy, NULL, true), num_online_cpus());
	KASSERT_MSG(!busy_why, "after trace %d: %s", busy_rounds + 1, busy_why);
	KASSERT_EQ(busy_rounds, 20);
}

/* The shell's `trace`: start, status, refusals, stop. */
KTEST(trace, shell_commands)
{
	char start[] = "trace start none", again[] = "trace start", status[] = "trace";
	char bad_class[] = "trace start &no_such_lock", bad[] = "trace sideways";
	char stop[] = "trace stop";
	unsigned long mark = ktest_log_mark();

	shell_execute(start);
	bool on = READ_ONCE(trace_on);
	shell_execute(status);
	shell_execute(again);
	shell_execute(stop);
	KASSERT(on);
	KASSERT(!READ_ONCE(trace_on));
	shell_execute(bad_class);
	shell_execute(bad);
	KASSERT(!READ_ONCE(trace_on));
	KASSERT(ktest_log_contains(mark, "trace: started (lock events: none)"));
	KASSERT(ktest_log_contains(mark, "trace: running, "));
	KASSERT(ktest_log_contains(mark, "trace: already running"));
	KASSERT(ktest_log_contains(mark, "trace: no lock class '&no_such_lock'"));
	KASSERT(ktest_log_contains(mark, "trace: unknown 'sideways'"));
}
