/*
 * lockdep.c - the lock-order validator (contract in lockdep.h).
 *
 * Data:
 *   classes[]     one entry per lock class, found from (key, subclass)
 *                 through a small open-addressed hash; each lock caches
 *                 its class index, so the usual lookup is one load.
 *   deps[a]       a bitmap: bit b set means "b was taken while a was held"
 *                 (the edge a -> b of the dependency graph). Bits are only
 *                 ever set, so a lock-free test_bit() answers "already
 *                 known?" on the fast path; edges are added under
 *                 graph_lock.
 *   held stacks   what is held right now: one stack per CPU for spinning
 *                 locks (held with preemption off, so they stay on that
 *                 CPU; the run-queue lock that schedule() hands from one
 *                 thread to the next also stays on its CPU), and one per
 *                 task for sleeping locks, in a small table keyed by the
 *                 task pointer and pid (struct task_struct has no field for us).
 *
 * Taking lock L of class c: for every held lock h, if the edge h -> c is
 * new, search the graph breadth-first from c; reaching h's class means a
 * cycle: report it with the path found. The edge is recorded either way,
 * so each inversion is reported once. A lock taken by trylock never
 * waits, so it adds no edges (it still counts as held for later locks).
 *
 * Why two separate held sets are enough: a cycle mixing the kinds would
 * need an edge "spinning lock -> sleeping lock", i.e. sleeping while
 * holding a spinlock, which is already a bug that might_sleep() reports.
 *
 * Interrupts: an interrupt handler's spinlocks go on the interrupted
 * CPU's stack, above what the interrupted code holds. That records
 * "held lock -> lock taken in the handler", which is a true dependency:
 * the handler spins on its lock while its CPU holds the other one.
 *
 * Cost: the common case (a known class, known edges) touches only this
 * CPU's stack, with preemption off (spinning locks are taken that way) but
 * interrupts on. An interrupt handler may push and pop above us meanwhile:
 * it always leaves the stack as it found it, and entries are written
 * before the depth that makes them visible. Everything else - a new class
 * or edge, a report, the per-task table - runs with interrupts off, and a
 * per-CPU recursion counter keeps locks taken while printing a report out
 * of the validator.
 */
#include "sync/lockdep.h"

#ifdef CONFIG_LOCKDEP
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/bitops.h"
#include "sync/percpu.h"
#include "sched/sched.h"
#include "sched/preempt.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "arch/x86/irqflags.h"
#include "kernel/delay_hook.h"

#define CLASSHASH_SIZE		(2 * MAX_LOCKDEP_CLASSES)
#define MAX_LOCKING_TASKS	128
#define DEP_WORDS		BITS_TO_LONGS(MAX_LOCKDEP_CLASSES)

/* How a class was used (Linux's names in reports): taken in a hard or
 * soft interrupt, or taken where one could come. */
enum { USED_IN_HARDIRQ, USED_IN_SOFTIRQ, ENABLED_HARDIRQ, ENABLED_SOFTIRQ, NR_USAGE };
#define USAGE_OPPOSITE(bit) ((bit) ^ 2)	/* IN-x <-> x-ON */
#define USAGE_IRQ(bit) ((bit) & 1)		/* 0: hard, 1: soft */

static const char *const usage_names[NR_USAGE] = {
	"IN-HARDIRQ-W", "IN-SOFTIRQ-W", "HARDIRQ-ON-W", "SOFTIRQ-ON-W",
};
static const char *const irq_names[2] = { "HARDIRQ", "SOFTIRQ" };

struct lock_class {
	const void *key;
	const char *name;
	int subclass;
	unsigned int usage;			/* 1 << USED_IN_HARDIRQ ... */
	unsigned long usage_ip[NR_USAGE];	/* where each was first seen */
};

struct held_lock {
	const struct lockdep_map *instance;
	unsigned long ip;		/* where it was taken */
	unsigned short class_idx;
};

struct held_stack {
	int depth;
	struct held_lock locks[MAX_LOCK_DEPTH];
};

/* The sleeping locks one task holds. task == NULL: never used. */
struct task_locks {
	struct task_struct *task;
	int pid;			/* a freed task's address may be reused */
	struct held_stack held;
};

static int lockdep_off;			/* int: xchg needs 4 bytes */
static int graph_lock;			/* classes, hash, deps, BFS buffers */
static struct lock_class classes[MAX_LOCKDEP_CLASSES];	/* [0]: none */
static int nr_classes = 1;
static unsigned short class_hash[CLASSHASH_SIZE];
static unsigned long deps[MAX_LOCKDEP_CLASSES][DEP_WORDS];
static unsigned long recursion_reported[DEP_WORDS];

static DEFINE_PER_CPU(struct held_stack, cpu_held);
static DEFINE_PER_CPU(int, lockdep_recursion);
static DEFINE_PER_CPU(bool, acquire_irqs_on);	/* for reports: before slow_enter() */

static int tasks_lock;			/* task_locks[]; taken before graph_lock */
static struct task_locks task_locks[MAX_LOCKING_TASKS];

static atomic_t nr_warnings, nr_planted;
static struct task_struct *expect_task;
static void (*unexpected_hook)(void);

/* ---- internal locks: bare xchg, callers have interrupts off ---- */

static void raw_lock(int *word)
{
	while (xchg(word, 1) != 0)
		while (READ_ONCE(*word))
			cpu_relax();
}

static void raw_unlock(int *word)
{
	smp_store_release(word, 0);
}

/* The slow parts: interrupts off, and no validation of what we take. */
static unsigned long slow_enter(void)
{
	unsigned long flags;

	local_irq_save(flags);
	this_cpu_inc(lockdep_recursion);
	return flags;
}

static void slow_leave(unsigned long flags)
{
	this_cpu_dec(lockdep_recursion);
	local_irq_restore(flags);
}

/* ---- warnings ---- */

static void count_lockdep_warning(void)
{
	struct task_struct *me = current;

	atomic_inc(&nr_warnings);
	if (me && me == READ_ONCE(expect_task)) {
		atomic_inc(&nr_planted);
		return;
	}
	count_warning();	/* a WARNING like any other: fails a running test */
	void (*hook)(void) = READ_ONCE(unexpected_hook);
	if (hook)
		hook();
}

static void banner(const char *what)
{
	printk(KERN_WARNING "======================================================\n");
	printk(KERN_WARNING "%s\n", what);
	printk(KERN_WARNING "------------------------------------------------------\n");
}

static void print_trying(void)
{
	struct task_struct *me = current;

	printk(KERN_WARNING "%s/%d on CPU#%d is trying to acquire lock:\n",
	       me ? me->comm : "boot", me ? me->pid : 0, raw_smp_processor_id());
}

static void turn_off(const char *why)
{
	if (xchg(&lockdep_off, 1))
		return;
	printk(KERN_ERR "lockdep: %s; turning off the locking correctness validator\n",
	       why);
	count_lockdep_warning();
}

/* ---- classes ---- */

static unsigned int class_hash_of(const void *key, int subclass)
{
	uint64_t k = ((uintptr_t)key ^ (uint64_t)subclass) * 0x9e3779b97f4a7c15ULL;

	return (unsigned int)(k >> 32) % CLASSHASH_SIZE;
}

/* Lock-free: a slot is published only once its class is filled in. */
static int find_class(const void *key, int subclass)
{
	unsigned int h = class_hash_of(key, subclass);

	for (int n = 0; n < CLASSHASH_SIZE; n++, h = (h + 1) % CLASSHASH_SIZE) {
		int idx = smp_load_acquire(&class_hash[h]);
		if (!idx)
			return 0;
		if (classes[idx].key == key && classes[idx].subclass == subclass)
			return idx;
	}
	return 0;
}

/* graph_lock held. Returns 0 when the table is full (validator off). */
static int register_class(const void *key, int subclass, const char *name)
{
	int idx = find_class(key, subclass);

	if (idx)
		return idx;
	if (nr_classes == MAX_LOCKDEP_CLASSES) {
		turn_off("BUG: MAX_LOCKDEP_CLASSES too low");
		return 0;
	}
	idx = nr_classes++;
	classes[idx] = (struct lock_class){ .key = key, .name = name ? name : "(unnamed)",
					    .subclass = subclass };
	unsigned int h = class_hash_of(key, subclass);
	while (class_hash[h])
		h = (h + 1) % CLASSHASH_SIZE;
	smp_store_release(&class_hash[h], (unsigned short)idx);
	return idx;
}

static int map_class(struct lockdep_map *map, int subclass)
{
	if (subclass == 0 && READ_ONCE(map->class_idx))
		return map->class_idx;
	if (subclass < 0 || subclass >= MAX_LOCKDEP_SUBCLASSES)
		subclass = MAX_LOCKDEP_SUBCLASSES - 1;
	/* A lock that was never initialized: all such locks share a class. */
	const void *key = map->key ? map->key : "(lock used without init)";
	int idx = find_class(key, subclass);
	if (!idx) {
		unsigned long flags = slow_enter();
		raw_lock(&graph_lock);
		idx = register_class(key, subclass, map->name);
		raw_unlock(&graph_lock);
		slow_leave(flags);
	}
	if (subclass == 0)
		WRITE_ONCE(map->class_idx, (unsigned short)idx);
	return idx;
}

static void class_name(int idx, char *buf, size_t size)
{
	if (classes[idx].subclass)
		snprintf(buf, size, "%s/%d", classes[idx].name, classes[idx].subclass);
	else
		snprintf(buf, size, "%s", classes[idx].name);
}

/* ---- the graph ---- */

/* BFS state, under graph_lock. */
static unsigned short bfs_queue[MAX_LOCKDEP_CLASSES];
static unsigned short bfs_parent[MAX_LOCKDEP_CLASSES];
static unsigned long bfs_seen[DEP_WORDS];

/*
 * Is `to` reachable from `from` along recorded edges? Returns the number
 * of classes on the path (from ... to), left in path[], or 0.
 */
static int find_path(int from, int to, unsigned short *path)
{
	int head = 0, tail = 0;

	memset(bfs_seen, 0, sizeof(bfs_seen));
	__set_bit(from, bfs_seen);
	bfs_queue[tail++] = (unsigned short)from;
	while (head < tail) {
		int c = bfs_queue[head++];
		if (c == to)
			break;
		for (int w = 0; w < DEP_WORDS; w++) {
			unsigned long fresh = READ_ONCE(deps[c][w]) & ~bfs_seen[w];
			for (; fresh; fresh &= fresh - 1) {
				int n = w * BITS_PER_LONG + __builtin_ctzl(fresh);
				__set_bit(n, bfs_seen);
				bfs_parent[n] = (unsigned short)c;
				bfs_queue[tail++] = (unsigned short)n;
			}
		}
	}
	if (!test_bit(to, bfs_seen))
		return 0;
	int len = 0;
	for (int c = to; c != from; c = bfs_parent[c])
		len++;
	path[len] = (unsigned short)to;
	for (int c = to, i = len; c != from; c = bfs_parent[c])
		path[--i] = bfs_parent[c];
	return len + 1;
}

static void report_circular(const struct held_lock *prev, int cls, unsigned long ip,
			    const unsigned short *path, int len)
{
	char a[64], b[64], line[256];
	size_t n = 0;

	class_name(prev->class_idx, a, sizeof(a));
	class_name(cls, b, sizeof(b));
	banner("WARNING: possible circular locking dependency detected");
	print_trying();
	printk(KERN_WARNING "  %s at %pS\n", b, (void *)ip);
	printk(KERN_WARNING "but already holds lock:\n");
	printk(KERN_WARNING "  %s, taken at %pS\n", a, (void *)prev->ip);
	printk(KERN_WARNING "which lock already depends on the new lock; the existing chain is:\n");
	for (int i = 0; i < len && n < sizeof(line) - 1; i++) {
		char c[64];
		class_name(path[i], c, sizeof(c));
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? " -> " : "", c);
	}
	printk(KERN_WARNING "  %s\n", line);
	printk(KERN_WARNING "and the new dependency %s -> %s closes the cycle.\n", a, b);
	printk(KERN_WARNING " Possible unsafe locking scenario:\n");
	printk(KERN_WARNING "       CPU0                    CPU1\n");
	printk(KERN_WARNING "  lock(%s);\n", a);
	printk(KERN_WARNING "                               lock(%s);\n", b);
	printk(KERN_WARNING "                               lock(%s);\n", a);
	printk(KERN_WARNING "  lock(%s);\n", b);
	printk(KERN_WARNING "  *** DEADLOCK ***\n");
	dump_stack();
	count_lockdep_warning();
}

static void check_irq_order(int from, int to, unsigned long ip);

/* The new edge prev -> cls: record it, and report if it closes a cycle
 * (else, if it joins an irq-safe lock to an irq-unsafe one). */
static void add_dependency(const struct held_lock *prev, int cls, unsigned long ip)
{
	static unsigned short path[MAX_LOCKDEP_CLASSES];
	unsigned long flags = slow_enter();

	raw_lock(&graph_lock);
	if (!test_bit(cls, deps[prev->class_idx])) {
		int len = find_path(cls, prev->class_idx, path);
		__set_bit(cls, deps[prev->class_idx]);
		if (len)	/* report under the lock: path[] is shared */
			report_circular(prev, cls, ip, path, len);
		else
			check_irq_order(prev->class_idx, cls, ip);
	}
	raw_unlock(&graph_lock);
	slow_leave(flags);
}

/* ---- interrupt states ----
 *
 * A lock taken in an interrupt (IN-HARDIRQ, "irq-safe") and also taken
 * where that interrupt may come (HARDIRQ-ON: interrupts on, "irq-unsafe")
 * deadlocks the day the interrupt comes while its own CPU holds the lock:
 * "inconsistent lock state". The same for softirqs, which may come
 * wherever bottom halves are on. And it is as bad at one remove: an
 * irq-safe lock A held while taking an irq-unsafe B lets CPU 1 wait for B
 * (holding A) while CPU 0 holds B and its interrupt waits for A: "irq-safe
 * -> irq-unsafe lock order". Each class remembers its usage bits; a new
 * bit is checked against its opposite, and (like a new edge) searched
 * along the graph for the other end of such an order.
 */

/* graph_lock held. BFS from start, along edges (forward) or against them,
 * for a class with usage bit `bit`; its path from start in path[]. */
static int find_usage(int start, bool forward, int bit, unsigned short *path)
{
	int head = 0, tail = 0, found = 0;

	memset(bfs_seen, 0, sizeof(bfs_seen));
	__set_bit(start, bfs_seen);
	bfs_queue[tail++] = (unsigned short)start;
	while (head < tail && !found) {
		int c = bfs_queue[head++];
		if (classes[c].usage & (1u << bit)) {
			found = c;
			break;
		}
		for (int n = 1; n < nr_classes; n++) {
			if (test_bit(n, bfs_seen))
				continue;
			if (forward ? !test_bit(n, deps[c]) : !test_bit(c, deps[n]))
				continue;
			__set_bit(n, bfs_seen);
			bfs_parent[n] = (unsigned short)c;
			bfs_queue[tail++] = (unsigned short)n;
		}
	}
	if (!found)
		return 0;
	int len = 0;
	for (int c = found; c != start; c = bfs_parent[c])
		len++;
	path[len] = (unsigned short)found;
	for (int c = found, i = len; c != start; c = bfs_parent[c])
		path[--i] = bfs_parent[c];
	return len + 1;
}

static void print_usage(int cls, int bit)
{
	char n[64];

	class_name(cls, n, sizeof(n));
	printk(KERN_WARNING "  (%s) {%s} state was registered at: %pS\n", n,
	       usage_names[bit], (void *)classes[cls].usage_ip[bit]);
}

/* Who takes lock cls, in which context (as Linux prints it: in a hard or
 * soft interrupt? hard and soft interrupts enabled?). */
static void print_context(int cls, unsigned long ip)
{
	struct task_struct *me = current;
	bool irqs_on = this_cpu_read(acquire_irqs_on);
	char n[64];

	class_name(cls, n, sizeof(n));
	printk(KERN_WARNING "%s/%d [HC%d:SC%d:HE%d:SE%d] on CPU#%d takes:\n",
	       me ? me->comm : "boot", me ? me->pid : 0, hardirq_count() ? 1 : 0,
	       in_serving_softirq() ? 1 : 0, irqs_on,
	       irqs_on && !softirq_count() && !hardirq_count(), raw_smp_processor_id());
	printk(KERN_WARNING "  (%s) at %pS\n", n, (void *)ip);
}

static void report_inconsistent(int cls, int new_bit, unsigned long ip)
{
	int old = USAGE_OPPOSITE(new_bit);
	char n[64];

	class_name(cls, n, sizeof(n));
	banner("WARNING: inconsistent lock state");
	printk(KERN_WARNING "inconsistent {%s} -> {%s} usage.\n", usage_names[old],
	       usage_names[new_bit]);
	print_context(cls, ip);
	print_usage(cls, old);
	printk(KERN_WARNING " Possible unsafe locking scenario:\n");
	printk(KERN_WARNING "       CPU0\n");
	printk(KERN_WARNING "       ----\n");
	printk(KERN_WARNING "  lock(%s);\n", n);
	printk(KERN_WARNING "  <Interrupt>%s\n", USAGE_IRQ(new_bit) ? " (softirq)" : "");
	printk(KERN_WARNING "    lock(%s);\n", n);
	printk(KERN_WARNING "  *** DEADLOCK ***\n");
	dump_stack();
	count_lockdep_warning();
}

static void print_chain(const char *what, const unsigned short *path, int len)
{
	char line[256];
	size_t n = 0;

	for (int i = 0; i < len && n < sizeof(line) - 1; i++) {
		char c[64];
		class_name(path[i], c, sizeof(c));
		n += snprintf(line + n, sizeof(line) - n, "%s%s", i ? " -> " : "", c);
	}
	printk(KERN_WARNING "%s %s\n", what, line);
}

/* chain: from the irq-safe lock to the irq-unsafe one, through the new
 * edge or the class with the new usage; cls, ip: the lock being taken. */
static void report_irq_order(int irq, const unsigned short *chain, int len, int cls,
			     unsigned long ip)
{
	int safe = chain[0], unsafe = chain[len - 1];
	char s[64], u[64], what[64];

	class_name(safe, s, sizeof(s));
	class_name(unsafe, u, sizeof(u));
	snprintf(what, sizeof(what), "WARNING: %s-safe -> %s-unsafe lock order detected",
		 irq_names[irq], irq_names[irq]);
	banner(what);
	print_context(cls, ip);
	printk(KERN_WARNING "which would create a lock dependency between a %s-irq-safe lock:\n",
	       irq_names[irq]);
	print_usage(safe, USED_IN_HARDIRQ + irq);
	printk(KERN_WARNING "and a %s-irq-unsafe lock:\n", irq_names[irq]);
	print_usage(unsafe, ENABLED_HARDIRQ + irq);
	print_chain("through the chain:", chain, len);
	printk(KERN_WARNING " Possible interrupt unsafe locking scenario:\n");
	printk(KERN_WARNING "       CPU0                    CPU1\n");
	printk(KERN_WARNING "       ----                    ----\n");
	printk(KERN_WARNING "  lock(%s);\n", u);
	printk(KERN_WARNING "                               %s;\n",
	       irq ? "local_bh_disable()" : "local_irq_disable()");
	printk(KERN_WARNING "                               lock(%s);\n", s);
	printk(KERN_WARNING "                               lock(%s);\n", u);
	printk(KERN_WARNING "  <Interrupt>\n");
	printk(KERN_WARNING "    lock(%s);\n", s);
	printk(KERN_WARNING "  *** DEADLOCK ***\n");
	dump_stack();
	count_lockdep_warning();
}

static void reverse(unsigned short *path, int len)
{
	for (int i = 0, j = len - 1; i < j; i++, j--) {
		unsigned short t = path[i];
		path[i] = path[j];
		path[j] = t;
	}
}

/* graph_lock held. The new edge from -> to: does it join an irq-safe
 * lock (at or before from) to an irq-unsafe one (at or after to)? */
static void check_irq_order(int from, int to, unsigned long ip)
{
	static unsigned short back[2 * MAX_LOCKDEP_CLASSES], fwd[MAX_LOCKDEP_CLASSES];

	for (int irq = 0; irq < 2; irq++) {
		int blen = find_usage(from, false, USED_IN_HARDIRQ + irq, back);
		if (!blen)
			continue;
		int flen = find_usage(to, true, ENABLED_HARDIRQ + irq, fwd);
		if (!flen)
			continue;
		/* back[] runs from `from` back to the safe lock: turn it,
		 * then go on with fwd[]. */
		reverse(back, blen);
		memcpy(back + blen, fwd, (size_t)flen * sizeof(fwd[0]));
		report_irq_order(irq, back, blen + flen, to, ip);
		return;
	}
}

/* graph_lock held. cls just gained usage `bit`: an order check from it. */
static void check_usage_order(int cls, int bit, unsigned long ip)
{
	static unsigned short path[MAX_LOCKDEP_CLASSES];
	int irq = USAGE_IRQ(bit);
	bool now_safe = bit < ENABLED_HARDIRQ;

	/* Now irq-safe: an unsafe one after it? Now unsafe: a safe one before? */
	int len = find_usage(cls, now_safe, now_safe ? ENABLED_HARDIRQ + irq
						     : USED_IN_HARDIRQ + irq, path);
	if (len < 2)
		return;
	if (!now_safe)
		reverse(path, len);
	report_irq_order(irq, path, len, cls, ip);
}

/* The usage bits this acquisition shows. A trylock never waits, so it
 * cannot deadlock against an interrupt: it does not make a lock irq-safe
 * (but a lock held with interrupts on is irq-unsafe however it was taken). */
static unsigned int usage_now(bool trylock)
{
	unsigned int m = 0;

	if (!trylock) {
		if (hardirq_count())
			m |= 1u << USED_IN_HARDIRQ;
		else if (in_serving_softirq())
			m |= 1u << USED_IN_SOFTIRQ;
	}
	if (!irqs_disabled()) {
		m |= 1u << ENABLED_HARDIRQ;
		if (!softirq_count() && !hardirq_count())
			m |= 1u << ENABLED_SOFTIRQ;
	}
	return m;
}

static void mark_usage(int cls, bool trylock, unsigned long ip)
{
	unsigned int want = usage_now(trylock);

	if (likely((READ_ONCE(classes[cls].usage) & want) == want))
		return;
	unsigned long flags = slow_enter();
	raw_lock(&graph_lock);
	for (int bit = 0; bit < NR_USAGE; bit++) {
		if (!(want & (1u << bit)) || (classes[cls].usage & (1u << bit)))
			continue;
		classes[cls].usage_ip[bit] = ip;
		WRITE_ONCE(classes[cls].usage, classes[cls].usage | (1u << bit));
		if (classes[cls].usage & (1u << USAGE_OPPOSITE(bit)))
			report_inconsistent(cls, bit, ip);
		else
			check_usage_order(cls, bit, ip);
	}
	raw_unlock(&graph_lock);
	slow_leave(flags);
}

static void report_recursive(const struct held_lock *held, const struct lockdep_map *map,
			     int cls, unsigned long ip)
{
	char name[64];
	bool same = held->instance == map;

	/* A deadlock is about to happen: always say so. Same class, other
	 * lock: once per class is enough. */
	if (!same && test_and_set_bit(cls, recursion_reported))
		return;
	class_name(cls, name, sizeof(name));
	banner("WARNING: possible recursive locking detected");
	print_trying();
	printk(KERN_WARNING "  %s at %pS\n", name, (void *)ip);
	printk(KERN_WARNING "but already holds lock:\n");
	printk(KERN_WARNING "  %s, taken at %pS\n", name, (void *)held->ip);
	if (same)
		printk(KERN_WARNING "it is the same lock: this deadlocks.\n");
	else
		printk(KERN_WARNING "another lock of the same class, at a lower address: nest "
		       "such locks in increasing address order, or annotate the inner "
		       "one (spin_lock_nested).\n");
	dump_stack();
	count_lockdep_warning();
}

/* ---- held stacks ---- */

static void check_acquire(struct held_stack *hs, const struct lockdep_map *map,
			  int cls, unsigned long ip)
{
	for (int i = 0; i < hs->depth; i++) {
		const struct held_lock *h = &hs->locks[i];
		if (h->class_idx == cls) {
			/* Same class: fine only for another lock, nested in
			 * increasing address order (see lockdep.h). */
			if (h->instance == map || (uintptr_t)map < (uintptr_t)h->instance) {
				unsigned long flags = slow_enter();
				report_recursive(h, map, cls, ip);
				slow_leave(flags);
			}
			continue;
		}
		if (!test_bit(cls, deps[h->class_idx]))
			add_dependency(h, cls, ip);
	}
}

DEFINE_DELAY_HOOK(lockdep_push);

static void push(struct held_stack *hs, const struct lockdep_map *map, int cls,
		 unsigned long ip)
{
	unsigned long flags;

	/* Interrupts off from reading the depth to writing it, as Linux's
	 * lock_acquire(): a spin_lock() taken with interrupts on could
	 * otherwise be interrupted between its entry and its depth, and the
	 * handler's own lock would land in that entry (KCSAN's slower code
	 * hit it: "already holds &base->lock" in every hrtimer interrupt). */
	local_irq_save(flags);
	int d = hs->depth;

	if (d == MAX_LOCK_DEPTH) {
		local_irq_restore(flags);
		flags = slow_enter();
		turn_off("BUG: MAX_LOCK_DEPTH too low (more than 16 locks held at once)");
		slow_leave(flags);
		return;
	}
	hs->locks[d] = (struct held_lock){ map, ip, (unsigned short)cls };
	delay_hook(lockdep_push, map);
	barrier();		/* the entry, then the depth that shows it */
	WRITE_ONCE(hs->depth, d + 1);
	local_irq_restore(flags);
}

/* Locks may be released in any order; the usual one is the last taken. */
static bool pop(struct held_stack *hs, const struct lockdep_map *map)
{
	int d = hs->depth;

	if (d && hs->locks[d - 1].instance == map) {
		WRITE_ONCE(hs->depth, d - 1);
		return true;
	}
	for (int i = d - 2; i >= 0; i--) {
		if (hs->locks[i].instance != map)
			continue;
		unsigned long flags;	/* no handler may see a half-moved stack */
		local_irq_save(flags);
		memmove(&hs->locks[i], &hs->locks[i + 1],
			(size_t)(d - i - 1) * sizeof(hs->locks[0]));
		hs->depth = d - 1;
		local_irq_restore(flags);
		return true;
	}
	return false;
}

/*
 * tasks_lock held. A task keeps its slot while it has one: a slot whose
 * stack is empty records nothing, so another task may take it over. The
 * search starts at a slot chosen by pid, where the task usually is.
 */
static struct task_locks *task_entry(struct task_struct *t, bool create)
{
	unsigned int start = (unsigned int)t->pid % MAX_LOCKING_TASKS;
	struct task_locks *spare = NULL;

	for (unsigned int n = 0; n < MAX_LOCKING_TASKS; n++) {
		struct task_locks *e = &task_locks[(start + n) % MAX_LOCKING_TASKS];
		if (e->task == t && e->pid == t->pid)
			return e;
		if (!spare && (!e->task || e->held.depth == 0))
			spare = e;
	}
	if (!create)
		return NULL;
	if (!spare) {
		turn_off("BUG: too many tasks hold sleeping locks at once");
		return NULL;
	}
	spare->task = t;
	spare->pid = t->pid;
	spare->held.depth = 0;
	return spare;
}

static void acquire_sleeping(struct lockdep_map *map, int cls, bool trylock,
			     unsigned long ip)
{
	struct task_struct *me = current;

	if (!me || in_interrupt())
		return;		/* no task to charge (mutexes in irqs are bugs) */
	unsigned long flags = slow_enter();
	raw_lock(&tasks_lock);
	struct task_locks *e = task_entry(me, true);
	if (e) {
		if (!trylock)
			check_acquire(&e->held, map, cls, ip);
		push(&e->held, map, cls, ip);
	}
	raw_unlock(&tasks_lock);
	slow_leave(flags);
}

/* Usually by the holder; for a non-owner unlock, find who held it. */
static void release_sleeping(struct lockdep_map *map)
{
	struct task_struct *me = current;
	struct task_locks *e;

	if (!me)
		return;
	unsigned long flags = slow_enter();
	raw_lock(&tasks_lock);
	e = task_entry(me, false);
	if (!e || !pop(&e->held, map))
		for (int i = 0; i < MAX_LOCKING_TASKS; i++)
			if (task_locks[i].task && pop(&task_locks[i].held, map))
				break;
	raw_unlock(&tasks_lock);
	slow_leave(flags);
}

static bool in_stack(const struct held_stack *hs, const struct lockdep_map *map)
{
	for (int i = 0; i < READ_ONCE(hs->depth); i++)
		if (hs->locks[i].instance == map)
			return true;
	return false;
}

/* The sleeping locks of the current task. */
static bool task_holds(const struct lockdep_map *map)
{
	struct task_struct *me = current;
	bool held = false;

	if (!me || in_interrupt())
		return false;
	unsigned long flags = slow_enter();
	raw_lock(&tasks_lock);
	struct task_locks *e = task_entry(me, false);
	held = e && in_stack(&e->held, map);
	raw_unlock(&tasks_lock);
	slow_leave(flags);
	return held;
}

/* ---- the API ---- */

/* Skip while the validator is off, during a panic, and from its own
 * slow parts (a report that takes a lock, say). */
static bool skip(void)
{
	return READ_ONCE(lockdep_off) || READ_ONCE(panic_cpu) != -1 ||
	       this_cpu_read(lockdep_recursion);
}

/* Spinning locks: the caller has preemption (or interrupts) off. */
void lock_acquire(struct lockdep_map *map, int subclass, bool trylock,
		  enum lockdep_ctx ctx, unsigned long ip)
{
	if (skip())
		return;
	int cls = map_class(map, subclass);
	if (!cls)
		return;
	this_cpu_write(acquire_irqs_on, !irqs_disabled());
	if (ctx == LOCKDEP_SLEEP) {
		acquire_sleeping(map, cls, trylock, ip);
		return;
	}
	struct held_stack *hs = this_cpu_ptr(&cpu_held);
	if (!trylock)
		check_acquire(hs, map, cls, ip);
	push(hs, map, cls, ip);
	mark_usage(cls, trylock, ip);
}

void lock_release(struct lockdep_map *map, enum lockdep_ctx ctx)
{
	if (skip())
		return;
	if (ctx == LOCKDEP_SLEEP)
		release_sleeping(map);
	else
		pop(this_cpu_ptr(&cpu_held), map);	/* not found: taken while off */
}

int lock_is_held(const struct lockdep_map *map)
{
	unsigned long flags;
	bool held;

	local_irq_save(flags);		/* stay on this CPU, its stack still */
	if (skip()) {			/* off, or locks now go unrecorded */
		local_irq_restore(flags);
		return -1;
	}
	held = in_stack(this_cpu_ptr(&cpu_held), map);
	local_irq_restore(flags);
	return held || task_holds(map);
}

int lockdep_depth(void)
{
	unsigned long flags = slow_enter();
	struct task_struct *me = current;
	int depth = this_cpu_read(cpu_held.depth);

	if (me && !in_interrupt()) {
		raw_lock(&tasks_lock);
		struct task_locks *e = task_entry(me, false);
		depth += e ? e->held.depth : 0;
		raw_unlock(&tasks_lock);
	}
	slow_leave(flags);
	return depth;
}

bool lockdep_enabled(void)
{
	return !READ_ONCE(lockdep_off);
}

unsigned int lockdep_warning_count(void)
{
	return (unsigned int)atomic_read(&nr_warnings);
}

unsigned int lockdep_unexpected_count(void)
{
	return (unsigned int)(atomic_read(&nr_warnings) - atomic_read(&nr_planted));
}

void lockdep_expect_begin(void)
{
	WRITE_ONCE(expect_task, current);
}

void lockdep_expect_end(void)
{
	WRITE_ONCE(expect_task, NULL);
}

void lockdep_set_unexpected_hook(void (*fn)(void))
{
	WRITE_ONCE(unexpected_hook, fn);
}
#endif /* CONFIG_LOCKDEP */
