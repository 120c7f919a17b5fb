/*
 * lockstat.h - lock statistics, after Linux's /proc/lock_stat: where the
 * time of a lock goes.
 *
 * Per lock class (all locks initialized at one place, as lockdep's
 * classes: "&counter_mutex", "&rq->lock"...), summed over CPUs:
 *
 *   acquisitions   times the lock was taken
 *   contentions    times the taker found it held and had to wait
 *   wait min/avg/max   ns from finding it held to owning it
 *   hold min/avg/max   ns from owning it to releasing it
 *   mutexes only:  spun    times the slow path spun on the owner
 *                  won     times that spin got the lock (no sleep)
 *                  slept   times the taker slept at least once
 *
 * Which locks: spinlock_t (raw ones too: the scheduler's), ticket locks
 * and mutexes (the BKL is a spinlock underneath). Not rwlock_t,
 * semaphores or rw_semaphores: readers share them, and "held" is then no
 * single interval.
 *
 * Switch: off at boot (`lockstat=1` turns it on), and from the shell
 * (`lockstat on|off|reset`). Off, each hook is a 5-byte no-op (a static
 * key); on, a lock reads the clock at every acquisition and release
 * (make bench: lockstat.*). Both builds have it.
 *
 * The same hooks feed the trace (kernel/trace.h): lock contended /
 * acquired / released events, for the classes being traced.
 *
 * Contract: the hooks are callable in any context and never sleep (but
 * lockstat_enable() and lockstat_reset() are process context); the
 * statistics of a class are per CPU, updated with interrupts off, so
 * they are exact (an acquisition counted once, on the CPU that made it).
 * A lock taken while the switch is off and released after it is turned
 * on has no hold time. Classes beyond LOCKSTAT_MAX_CLASSES are counted
 * as dropped (lockstat_print says how many).
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/jump_label.h"

#define LOCKSTAT_MAX_CLASSES 128

/* Embedded in every covered lock as `stat`. */
struct lockstat_map {
	const char *name;		/* the class's name */
	const void *key;		/* the class: an init site or a name */
	unsigned short cls;		/* cached class number; 0 = unknown */
	unsigned int trace_gen;		/* the trace this acquisition is in; 0 none */
	bool sleeping;			/* a mutex (held by a task, not a CPU) */
	uint64_t hold_start;		/* when the owner took it; 0 = untimed */
};

/* The key is lockdep's, so both see the same classes. */
#define LOCKSTAT_MAP_INIT(n) { .name = #n, .key = __FILE__ ":" __stringify(__LINE__) " " #n }
#define LOCKSTAT_MAP_INIT_SLEEPING(n) { .name = #n, .sleeping = true, \
		.key = __FILE__ ":" __stringify(__LINE__) " " #n }
static inline void lockstat_init_map(struct lockstat_map *m, const char *name,
				     const void *key)
{
	m->name = name;
	m->key = key;
	m->cls = 0;
	m->trace_gen = 0;
	m->sleeping = false;
	m->hold_start = 0;
}

/*
 * What the hooks do: bit 0 statistics, bit 1 the trace's lock events.
 * The hooks test a static key that is on while any bit is: off, a hook
 * is a 5-byte no-op in the lock's code (kernel/jump_label.h).
 */
#define LOCK_EVENTS_STAT	1u
#define LOCK_EVENTS_TRACE	2u
extern unsigned int lock_events;
DECLARE_STATIC_KEY_FALSE(lock_events_key);
/* Set or clear bits; process context (it may rewrite the hooks). */
void lock_events_update(unsigned int bit, bool on);

uint64_t __lockstat_contended(struct lockstat_map *m);
void __lockstat_acquired(struct lockstat_map *m, uint64_t wait_start);
void __lockstat_release(struct lockstat_map *m);

/* The lock found the lock held and starts waiting. Returns the time the
 * wait began, for lockstat_acquired(); 0 when nothing records it. */
static __always_inline uint64_t lockstat_contended(struct lockstat_map *m)
{
	return static_branch_unlikely(&lock_events_key) ? __lockstat_contended(m) : 0;
}

/* The lock is ours; wait_start is lockstat_contended()'s value, or 0 if
 * we did not wait. */
static __always_inline void lockstat_acquired(struct lockstat_map *m, uint64_t wait_start)
{
	if (static_branch_unlikely(&lock_events_key))
		__lockstat_acquired(m, wait_start);
}

/* Before the lock is released (the owner still holds it). A macro: it
 * sits first in inlined unlock functions, where gdb must still see the
 * unlock's own arguments (see arch/x86/jump_label.h). */
#define lockstat_release(m)                                                \
	do {                                                               \
		if (static_branch_unlikely(&lock_events_key))             \
			__lockstat_release(m);                             \
	} while (0)

/* A mutex's slow path, one waiter: it tries spinning on the owner
 * (SPUN), gets the mutex that way (SPIN_WON), goes to sleep in schedule()
 * (SLEEP: a trace event), runs again (WOKEN: a trace event), and got the
 * mutex after sleeping at least once (SLEPT). */
enum lockstat_mutex_event {
	LOCKSTAT_SPUN, LOCKSTAT_SPIN_WON, LOCKSTAT_SLEEP, LOCKSTAT_WOKEN, LOCKSTAT_SLEPT
};
void __lockstat_mutex(struct lockstat_map *m, enum lockstat_mutex_event e);
static __always_inline void lockstat_mutex(struct lockstat_map *m, enum lockstat_mutex_event e)
{
	if (static_branch_unlikely(&lock_events_key))
		__lockstat_mutex(m, e);
}

/* The switch (the boot option `lockstat`, the shell's command). */
void lockstat_enable(bool on);
bool lockstat_enabled(void);
void lockstat_reset(void);		/* every class's numbers to 0 */

/* A class's numbers, summed over CPUs. */
struct lockstat_counts {
	unsigned long acquisitions;
	unsigned long contentions;	/* counted when the wait starts */
	unsigned long waits;		/* waits that ended: with a wait time */
	uint64_t wait_total, wait_min, wait_max;
	unsigned long holds;		/* acquisitions with a hold time */
	uint64_t hold_total, hold_min, hold_max;
	unsigned long spun, spin_won, slept;
};
/* Class number of a lock (registering its class); 0 if the table is full. */
int lockstat_class_of(struct lockstat_map *m);
/* Class numbers are 1..LOCKSTAT_MAX_CLASSES; the name is NULL for a
 * number no class has. */
const char *lockstat_class_name(int cls);
int lockstat_class_by_name(const char *name);	/* 0: no class has it */
void lockstat_read(int cls, struct lockstat_counts *c);
unsigned long lockstat_dropped(void);		/* acquisitions of unregistered classes */

/*
 * The table, busiest first (most contentions, then acquisitions), with a
 * header; `max` rows at most; classes with no acquisition are skipped.
 * `prefix` starts every line ("lockstat: ", "counter: ").
 */
void lockstat_print(const char *prefix, int max);
