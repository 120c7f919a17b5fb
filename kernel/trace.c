/*
 * trace.c - the per-CPU event rings (contract in trace.h).
 *
 * Each CPU appends to its own array with interrupts off: no lock, no
 * atomic on the way, and its events come out in the order they happened
 * on it. When the array is full the event is counted instead (the trace
 * keeps its beginning: the start of an experiment is what we want to
 * see, and a drop count is honest about the rest).
 *
 * Stopping must not race with a writer that saw tracing on: a writer
 * raises its CPU's `writing` flag (xchg: a full barrier) and only then
 * looks at trace_on; trace_stop() clears trace_on, then waits for every
 * flag to drop. Either the writer sees trace_on off, or the stopper sees
 * its flag and waits for it - the store-buffering pattern, with a full
 * barrier on each side.
 *
 * The dump names every task seen in an event: a small table of pids and
 * names, filled as events come (a worker may be gone by dump time).
 */
#include "kernel/trace.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/jitter.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "kernel/cpumask.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/lockstat.h"
#include "sync/mutex.h"
#include "sync/percpu.h"
#include "arch/x86/cpu.h"

#define TRACE_DEFAULT_SIZE 16384
#define TRACE_MAX_SIZE ((int)(KMALLOC_MAX_SIZE / sizeof(struct trace_event)))
#define TRACE_MAX_TASKS 1024

CMDLINE_OPTION("trace.size", "events per CPU in the trace ring (default 16384)");

struct trace_ring {
	struct trace_event *ev;
	unsigned long len, dropped;
	int writing;
};
static DEFINE_PER_CPU(struct trace_ring, trace_ring);

struct trace_task {
	int pid_plus1;			/* 0 = free slot */
	char comm[TASK_COMM_LEN];
};
static struct trace_task trace_tasks[TRACE_MAX_TASKS];

bool trace_on;
DEFINE_STATIC_KEY_FALSE(trace_key);
unsigned int trace_gen;
static int trace_lock_class;		/* TRACE_ALL_LOCKS, 0 none, or one */
static uint64_t trace_t0;
static int ring_size;
static DEFINE_MUTEX(trace_mutex);	/* start, stop, dump: one at a time */

static const char *const type_names[NR_TRACE_TYPES] = {
	[TRACE_SWITCH] = "switch", [TRACE_WAKEUP] = "wakeup",
	[TRACE_LOCK_CONTENDED] = "contended", [TRACE_LOCK_ACQUIRED] = "acquired",
	[TRACE_LOCK_RELEASED] = "released", [TRACE_MUTEX_SLEEP] = "mutex_sleep",
	[TRACE_MUTEX_WAKE] = "mutex_wake", [TRACE_GP_START] = "gp_start",
	[TRACE_GP_END] = "gp_end", [TRACE_MARK] = "mark",
};

const char *trace_type_name(enum trace_type t)
{
	return (unsigned)t < NR_TRACE_TYPES ? type_names[t] : "?";
}

/* Remember pid's name, once (a slot is claimed with cmpxchg). */
static void note_task(struct task_struct *t)
{
	unsigned int h = (unsigned int)t->pid % TRACE_MAX_TASKS;

	for (int probe = 0; probe < 8; probe++, h = (h + 1) % TRACE_MAX_TASKS) {
		int seen = READ_ONCE(trace_tasks[h].pid_plus1);
		if (seen == t->pid + 1)
			return;
		if (seen == 0 && cmpxchg(&trace_tasks[h].pid_plus1, 0, t->pid + 1) == 0) {
			memcpy(trace_tasks[h].comm, t->comm, TASK_COMM_LEN);
			return;
		}
	}
	/* Table full around this pid: the dump shows the pid alone. */
}

const char *trace_task_comm(int pid)
{
	unsigned int h = (unsigned int)pid % TRACE_MAX_TASKS;

	for (int probe = 0; probe < 8; probe++, h = (h + 1) % TRACE_MAX_TASKS)
		if (READ_ONCE(trace_tasks[h].pid_plus1) == pid + 1)
			return trace_tasks[h].comm;
	return NULL;
}

unsigned int __trace_event(enum trace_type type, uint64_t a, unsigned int b)
{
	unsigned long flags;
	unsigned int gen = 0;

	local_irq_save(flags);
	struct trace_ring *r = this_cpu_ptr(&trace_ring);
	xchg(&r->writing, 1);			/* then look at trace_on */
	if (READ_ONCE(trace_on)) {
		gen = trace_gen;		/* stable: a stop waits for us */
		if (r->len < (unsigned long)ring_size) {
			struct trace_event *e = &r->ev[r->len];
			uint64_t now = rdtsc();
			e->ts = now > trace_t0 ? now - trace_t0 : 0;	/* CPUs' skew */
			e->a = a;
			e->pid = current->pid;
			e->type = (unsigned short)type;
			e->b = (unsigned short)b;
			note_task(current);
			r->len++;
		} else {
			r->dropped++;
		}
	}
	smp_store_release(&r->writing, 0);
	local_irq_restore(flags);
	return gen;
}

void __trace_task_event(enum trace_type type, struct task_struct *t, unsigned int b)
{
	unsigned long flags;

	local_irq_save(flags);		/* the name, then the event */
	note_task(t);
	__trace_event(type, (uint64_t)t->pid, b);
	local_irq_restore(flags);
}

bool trace_lock_wanted(int cls, bool waited)
{
	int want = READ_ONCE(trace_lock_class);

	return want == TRACE_ALL_LOCKS || (want == TRACE_LOCK_WAITS && waited) ||
	       (want > 0 && want == cls);
}

/* The rings, once: trace.size= events on every possible CPU. */
static int alloc_rings(void)
{
	int cpu;

	if (ring_size)
		return 0;
	int size = (int)cmdline_get_int("trace.size", TRACE_DEFAULT_SIZE, 16, TRACE_MAX_SIZE);
	for_each_online_cpu(cpu) {
		struct trace_ring *r = per_cpu_ptr(&trace_ring, cpu);
		r->ev = kmalloc_array((size_t)size, sizeof(struct trace_event), GFP_KERNEL);
		if (!r->ev) {
			printk(KERN_ERR "trace: no memory for %d events on CPU %d "
			       "(trace.size= is per CPU)\n", size, cpu);
			return -ENOMEM;
		}
	}
	ring_size = size;
	return 0;
}

int trace_start(int lock_class)
{
	int cpu, err;

	mutex_lock(&trace_mutex);
	err = READ_ONCE(trace_on) ? -EBUSY : alloc_rings();
	if (err) {
		mutex_unlock(&trace_mutex);
		return err;
	}
	for_each_online_cpu(cpu) {
		struct trace_ring *r = per_cpu_ptr(&trace_ring, cpu);
		r->len = r->dropped = 0;
	}
	memset(trace_tasks, 0, sizeof(trace_tasks));
	trace_lock_class = lock_class;
	trace_t0 = rdtsc();
	WRITE_ONCE(trace_gen, trace_gen + 1 ? trace_gen + 1 : 1);	/* never 0 */
	lock_events_update(LOCK_EVENTS_TRACE, lock_class != TRACE_NO_LOCKS);
	/* Locks taken from here to trace_on are not in the trace, nor may
	 * their releases be (lockstat.c's trace_gen); jitter= widens it. */
	jitter_window(2000);
	smp_mb();			/* the rings are empty before anyone writes */
	WRITE_ONCE(trace_on, true);
	static_branch_enable(&trace_key);
	mutex_unlock(&trace_mutex);
	return 0;
}

void trace_stop(void)
{
	int cpu;

	mutex_lock(&trace_mutex);
	WRITE_ONCE(trace_on, false);
	lock_events_update(LOCK_EVENTS_TRACE, false);
	smp_mb();			/* then look at the writers' flags */
	for_each_online_cpu(cpu)
		while (smp_load_acquire(&per_cpu(trace_ring, cpu).writing))
			cpu_relax();
	static_branch_disable(&trace_key);
	mutex_unlock(&trace_mutex);
}

int trace_size(void)
{
	return ring_size;
}

unsigned long trace_len(int cpu)
{
	return ring_size ? per_cpu(trace_ring, cpu).len : 0;
}

unsigned long trace_dropped(int cpu)
{
	return ring_size ? per_cpu(trace_ring, cpu).dropped : 0;
}

const struct trace_event *trace_events(int cpu)
{
	return per_cpu(trace_ring, cpu).ev;
}

/* ---- the dump ---- */

static void out(const char *fmt, ...)
{
	char line[160];
	va_list ap;

	va_start(ap, fmt);
	int n = vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	console_write_unlogged(line, (unsigned long)n);
}

static bool is_lock_event(unsigned int type)
{
	return type >= TRACE_LOCK_CONTENDED && type <= TRACE_MUTEX_WAKE;
}

static void dump_event(int cpu, const struct trace_event *e)
{
	if (e->type == TRACE_MARK)
		out("trace: %d %llu mark %d %s\n", cpu, (unsigned long long)tsc_to_ns(e->ts),
		    e->pid, (const char *)(uintptr_t)e->a);
	else if (is_lock_event(e->type))
		out("trace: %d %llu %s %d %llx %u\n", cpu, (unsigned long long)tsc_to_ns(e->ts),
		    trace_type_name(e->type), e->pid, (unsigned long long)e->a, e->b);
	else
		out("trace: %d %llu %s %d %llu %u\n", cpu, (unsigned long long)tsc_to_ns(e->ts),
		    trace_type_name(e->type), e->pid, (unsigned long long)e->a, e->b);
}

/*
 * The format, one record per line, for tools/trace.py:
 *   trace: begin TITLE cpus=N size=S
 *   trace: task PID COMM               every task in an event
 *   trace: class N NAME                every lock class
 *   trace: cpu C events=N dropped=D    then C's events, in order:
 *   trace: C NS TYPE PID A B           (A in hex for lock events)
 *   trace: end TITLE dropped=D         D: all CPUs
 */
void trace_dump(const char *title)
{
	unsigned long dropped = 0;
	int cpu;

	if (READ_ONCE(trace_on))
		trace_stop();
	mutex_lock(&trace_mutex);
	out("trace: begin %s cpus=%d size=%d\n", title, num_online_cpus(), ring_size);
	for (int i = 0; i < TRACE_MAX_TASKS; i++)
		if (trace_tasks[i].pid_plus1)
			out("trace: task %d %s\n", trace_tasks[i].pid_plus1 - 1, trace_tasks[i].comm);
	for (int cls = 1; cls <= LOCKSTAT_MAX_CLASSES; cls++)
		if (lockstat_class_name(cls))
			out("trace: class %d %s\n", cls, lockstat_class_name(cls));
	for_each_online_cpu(cpu) {
		unsigned long n = trace_len(cpu);
		out("trace: cpu %d events=%lu dropped=%lu\n", cpu, n, trace_dropped(cpu));
		for (unsigned long i = 0; i < n; i++)
			dump_event(cpu, &trace_events(cpu)[i]);
		dropped += trace_dropped(cpu);
	}
	out("trace: end %s dropped=%lu\n", title, dropped);
	mutex_unlock(&trace_mutex);
	if (dropped)
		printk(KERN_NOTICE "trace: %lu events dropped: the rings were full "
		       "(trace.size=%d per CPU; the dump shows the beginning)\n",
		       dropped, ring_size);
}
