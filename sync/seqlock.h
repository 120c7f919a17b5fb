/*
 * seqlock.h - sequence counters and sequential locks: readers that never
 * block the writer, and retry instead.
 *
 *   seqcount_t  a bare counter. The writers must already be serialized
 *               (by a lock of their own, or by being only one).
 *   seqlock_t   a counter plus a spinlock that serializes the writers.
 *
 * Reader (any context, never blocks a writer, may have to try again):
 *
 *   do {
 *       seq = read_seqbegin(&sl);
 *       a = shared.a; b = shared.b;          copy out, do not act yet
 *   } while (read_seqretry(&sl, seq));
 *   use(a, b);                              now known to be consistent
 *
 * Writer:
 *
 *   write_seqlock(&sl);  shared.a = ...; shared.b = ...;  write_sequnlock(&sl);
 *
 * How it works: the counter is even when no write is in progress. The
 * writer makes it odd, writes, and makes it even again. A reader waits for
 * an even value, copies the data, and accepts the copy only if the counter
 * still holds the same value: then no write overlapped the copy.
 *
 * Contract:
 *  - Readers never sleep because of the seqlock and take no lock; they may
 *    run in interrupts. They may be preempted (they then simply retry).
 *  - Inside the read loop the data may be half-written: only copy it. Never
 *    follow a pointer read there, never divide by a value read there, never
 *    act on it before read_seqretry() said the copy is good.
 *    A seqcount does not protect pointers whose target may be freed: use
 *    RCU (sync/rcu.h) for that.
 *  - Writers never sleep inside the write section, and must not be
 *    preempted or interrupted by a reader on their own CPU: that reader
 *    would spin forever on the odd counter. So write_seqcount_begin()
 *    wants preemption off (it warns otherwise), and if any reader runs in
 *    an interrupt handler, writers must also have interrupts off
 *    (write_seqlock_irqsave()).
 *  - Ordering: read_seqbegin() is an acquire (the copy is not read before
 *    the counter); read_seqretry() orders the copy before the second read
 *    of the counter. The writer orders counter -> data -> counter. On x86
 *    all of these are compiler barriers only (loads are not reordered with
 *    loads, stores not with stores: see sync/barrier.h).
 *  - Writers can starve readers (a reader retries as long as writes keep
 *    coming), never the reverse: use it where writes are rare and short.
 *  - read_seqbegin() calls jitter_point() (kernel/jitter.h) so that
 *    `jitter=SEED` widens read sections and makes overlaps common. The
 *    raw_ reader functions do not: the clock itself (ktime_get_ns(), which
 *    jitter uses) reads with those.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/jitter.h"
#include "kernel/kcsan.h"
#include "kernel/panic.h"
#include "sync/barrier.h"
#include "sync/spinlock.h"
#include "sync/rwlock.h"
#include "sync/mutex.h"
#include "sync/lockdep.h"
#include "sched/preempt.h"
#include "arch/x86/cpu.h"

typedef struct seqcount {
	unsigned sequence;		/* odd while a write is in progress */
} seqcount_t;

#define SEQCNT_ZERO(name) { .sequence = 0 }

static inline void seqcount_init(seqcount_t *s)
{
	s->sequence = 0;
}

/*
 * seqcount_LOCKNAME_t: a seqcount that names the lock serializing its
 * writers (Linux 5.10+): seqcount_spinlock_t, seqcount_raw_spinlock_t,
 * seqcount_rwlock_t, seqcount_mutex_t.
 *
 *   seqcount_spinlock_t sc = SEQCNT_SPINLOCK_ZERO(sc, &lock);
 *   or seqcount_spinlock_init(&sc, &lock);
 *
 * The same read_seqcount_*() and write_seqcount_*() calls take either
 * kind (a _Generic picks the right one). For an associated lock the
 * writer's side checks that the lock is held (lockdep_assert_held, debug
 * builds: a missing lock is a warning, not a torn read found weeks
 * later), and with a mutex, which leaves preemption on, the write section
 * turns preemption off itself - a preempted writer would leave readers
 * spinning on an odd count.
 */
#define SEQCOUNT_LOCKNAME(lockname, locktype, preemptible)                     \
typedef struct seqcount_##lockname {                                        \
	seqcount_t seqcount;                                                \
	locktype *lock;                                                     \
} seqcount_##lockname##_t;                                                  \
static inline void seqcount_##lockname##_init(seqcount_##lockname##_t *s,   \
					      locktype *lock)               \
{                                                                           \
	seqcount_init(&s->seqcount);                                        \
	s->lock = lock;                                                     \
}                                                                           \
static inline seqcount_t *__seqprop_##lockname##_ptr(const seqcount_##lockname##_t *s) \
{ return (seqcount_t *)&s->seqcount; }                                      \
static inline bool __seqprop_##lockname##_preemptible(const seqcount_##lockname##_t *s) \
{ (void)s; return preemptible; }                                            \
static inline void __seqprop_##lockname##_assert(const seqcount_##lockname##_t *s) \
{ lockdep_assert_held(s->lock); }

static inline seqcount_t *__seqprop_ptr(const seqcount_t *s) { return (seqcount_t *)s; }
static inline bool __seqprop_preemptible(const seqcount_t *s) { (void)s; return false; }
/* A bare seqcount's writers must not be preempted (see the contract). */
static inline void __seqprop_assert(const seqcount_t *s)
{
	(void)s;
	WARN_ONCE(preempt_count() == 0 && !irqs_disabled(),
		  "write_seqcount_begin() with preemption on: a writer switched out "
		  "with the count odd leaves every reader spinning\n");
}

SEQCOUNT_LOCKNAME(raw_spinlock, spinlock_t, false)
SEQCOUNT_LOCKNAME(spinlock, spinlock_t, false)
SEQCOUNT_LOCKNAME(rwlock, rwlock_t, false)
SEQCOUNT_LOCKNAME(mutex, struct mutex, true)
#undef SEQCOUNT_LOCKNAME

#define SEQCOUNT_LOCKNAME_ZERO(name, assoc_lock) \
	{ .seqcount = SEQCNT_ZERO(name.seqcount), .lock = (assoc_lock) }
#define SEQCNT_RAW_SPINLOCK_ZERO(name, lock) SEQCOUNT_LOCKNAME_ZERO(name, lock)
#define SEQCNT_SPINLOCK_ZERO(name, lock) SEQCOUNT_LOCKNAME_ZERO(name, lock)
#define SEQCNT_RWLOCK_ZERO(name, lock) SEQCOUNT_LOCKNAME_ZERO(name, lock)
#define SEQCNT_MUTEX_ZERO(name, lock) SEQCOUNT_LOCKNAME_ZERO(name, lock)

/* The property `prop` of any kind of seqcount s. */
#define __seqprop(s, prop) _Generic(*(s),                                   \
	seqcount_t: __seqprop_##prop,                                       \
	seqcount_raw_spinlock_t: __seqprop_raw_spinlock_##prop,             \
	seqcount_spinlock_t: __seqprop_spinlock_##prop,                     \
	seqcount_rwlock_t: __seqprop_rwlock_##prop,                         \
	seqcount_mutex_t: __seqprop_mutex_##prop)(s)

/* ---- readers ---- */

/* The counter as it is, odd or not, no waiting (ordered before the data). */
static inline unsigned __raw_read_seqcount(const seqcount_t *s)
{
	unsigned seq = READ_ONCE(s->sequence);

	smp_rmb();			/* counter before data */
	kcsan_atomic_next(KCSAN_SEQLOCK_REGION_MAX);	/* racy copy: by design */
	return seq;
}

/* Wait for no write in progress; return the counter to check later. */
static inline unsigned __raw_read_seqcount_begin(const seqcount_t *s)
{
	unsigned seq;

	while ((seq = READ_ONCE(s->sequence)) & 1)
		cpu_relax();
	smp_rmb();			/* counter before data */
	/* KCSAN: the copy races with writers by design, and the retry
	 * throws a torn copy away: its accesses count as marked. */
	kcsan_atomic_next(KCSAN_SEQLOCK_REGION_MAX);
	return seq;
}

static inline unsigned __read_seqcount_begin_checked(const seqcount_t *s)
{
	unsigned seq = __raw_read_seqcount_begin(s);

	jitter_point();			/* `jitter=SEED`: widen the window */
	return seq;
}

/* True if a write overlapped the copy since `start`: copy again. */
static inline bool __read_seqcount_retry_checked(const seqcount_t *s, unsigned start)
{
	smp_rmb();			/* data before counter */
	kcsan_atomic_next(0);
	return unlikely(READ_ONCE(s->sequence) != start);
}

#define raw_read_seqcount_begin(s) __raw_read_seqcount_begin(__seqprop(s, ptr))
#define read_seqcount_begin(s) __read_seqcount_begin_checked(__seqprop(s, ptr))
#define read_seqcount_retry(s, start) __read_seqcount_retry_checked(__seqprop(s, ptr), (start))
/* raw_read_seqcount(): the counter, odd or even, without waiting. */
#define raw_read_seqcount(s) __raw_read_seqcount(__seqprop(s, ptr))
/* raw_seqcount_begin(): no wait either; an odd count is made even - 1,
 * so read_seqcount_retry() fails whenever a write was in progress. */
#define raw_seqcount_begin(s) (raw_read_seqcount(s) & ~1u)
/* Linux's unordered forms: the caller provides the barriers. Here the
 * ordered ones (compiler barriers only on x86). */
#define __read_seqcount_begin(s) raw_read_seqcount_begin(s)
#define __read_seqcount_retry(s, start) read_seqcount_retry(s, start)

/* ---- writers (already serialized by the caller) ---- */

static inline void __raw_write_seqcount_begin(seqcount_t *s)
{
	kcsan_nestable_atomic_begin();	/* readers' copies race by design */
	WRITE_ONCE(s->sequence, s->sequence + 1);	/* odd: writing */
	smp_wmb();			/* counter before data */
}

static inline void __raw_write_seqcount_end(seqcount_t *s)
{
	smp_wmb();			/* data before counter */
	WRITE_ONCE(s->sequence, s->sequence + 1);	/* even: done */
	kcsan_nestable_atomic_end();
}

#define raw_write_seqcount_begin(s) __raw_write_seqcount_begin(__seqprop(s, ptr))
#define raw_write_seqcount_end(s) __raw_write_seqcount_end(__seqprop(s, ptr))

/*
 * The checked forms: a preemptible writer could be switched out with the
 * counter odd, and every reader would spin until it came back (on one
 * CPU: forever). Also catches two writers at once (a missing lock).
 */
static inline void __write_seqcount_begin(seqcount_t *s)
{
	WARN_ON_ONCE(READ_ONCE(s->sequence) & 1);
	__raw_write_seqcount_begin(s);
}

static inline void __write_seqcount_end(seqcount_t *s)
{
	WARN_ON_ONCE(!(READ_ONCE(s->sequence) & 1));
	__raw_write_seqcount_end(s);
}

#define write_seqcount_begin(s)                                             \
	do {                                                                \
		if (__seqprop(s, preemptible))                              \
			preempt_disable();                                  \
		__seqprop(s, assert);                                       \
		__write_seqcount_begin(__seqprop(s, ptr));                  \
	} while (0)
#define write_seqcount_end(s)                                               \
	do {                                                                \
		__write_seqcount_end(__seqprop(s, ptr));                    \
		if (__seqprop(s, preemptible))                              \
			preempt_enable();                                   \
	} while (0)
/* Lockdep's nesting annotation: one write section inside another's. */
#define write_seqcount_begin_nested(s, subclass) write_seqcount_begin(s)

/* Make every reader now in its loop retry, without a write section:
 * two increments, so the count stays even (Linux's invalidate). */
#define write_seqcount_invalidate(s)                                        \
	do {                                                                \
		seqcount_t *wsi_s__ = __seqprop(s, ptr);                    \
		smp_wmb();                                                  \
		WRITE_ONCE(wsi_s__->sequence, wsi_s__->sequence + 2);       \
	} while (0)
#define raw_write_seqcount_barrier(s)                                       \
	do {                                                                \
		seqcount_t *wsb_s__ = __seqprop(s, ptr);                    \
		WRITE_ONCE(wsb_s__->sequence, wsb_s__->sequence + 1);       \
		smp_wmb();                                                  \
		WRITE_ONCE(wsb_s__->sequence, wsb_s__->sequence + 1);       \
	} while (0)

/* ---- seqlock_t: a seqcount whose writers take a spinlock ---- */

typedef struct seqlock {
	seqcount_spinlock_t seqcount;	/* its writers hold .lock (checked) */
	spinlock_t lock;
} seqlock_t;

#define __SEQLOCK_UNLOCKED(name) \
	{ .seqcount = SEQCNT_SPINLOCK_ZERO(name, &(name).lock), .lock = __SPIN_LOCK_UNLOCKED(name) }
#define DEFINE_SEQLOCK(name) seqlock_t name = __SEQLOCK_UNLOCKED(name)

static inline void seqlock_init_named(seqlock_t *sl, const char *name)
{
	seqcount_spinlock_init(&sl->seqcount, &sl->lock);
	spin_lock_init_named(&sl->lock, name);
}
#define seqlock_init(sl) seqlock_init_named((sl), #sl)

static inline unsigned read_seqbegin(const seqlock_t *sl)
{
	return read_seqcount_begin(&sl->seqcount);
}

static inline bool read_seqretry(const seqlock_t *sl, unsigned start)
{
	return read_seqcount_retry(&sl->seqcount, start);
}

/* spin_lock() has disabled preemption: the writer cannot be switched out. */
static inline void write_seqlock(seqlock_t *sl)
{
	spin_lock(&sl->lock);
	write_seqcount_begin(&sl->seqcount);
}

static inline void write_sequnlock(seqlock_t *sl)
{
	write_seqcount_end(&sl->seqcount);
	spin_unlock(&sl->lock);
}

static inline void write_seqlock_irq(seqlock_t *sl)
{
	spin_lock_irq(&sl->lock);
	write_seqcount_begin(&sl->seqcount);
}

static inline void write_sequnlock_irq(seqlock_t *sl)
{
	write_seqcount_end(&sl->seqcount);
	spin_unlock_irq(&sl->lock);
}

/* For seqlocks read from interrupt handlers (the clock, for one). */
static inline unsigned long _write_seqlock_irqsave(seqlock_t *sl)
{
	unsigned long flags;

	spin_lock_irqsave(&sl->lock, flags);
	write_seqcount_begin(&sl->seqcount);
	return flags;
}
#define write_seqlock_irqsave(sl, flags) ((flags) = _write_seqlock_irqsave(sl))

static inline void write_sequnlock_irqrestore(seqlock_t *sl, unsigned long flags)
{
	write_seqcount_end(&sl->seqcount);
	spin_unlock_irqrestore(&sl->lock, flags);
}

static inline void write_seqlock_bh(seqlock_t *sl)
{
	spin_lock_bh(&sl->lock);
	write_seqcount_begin(&sl->seqcount);
}

static inline void write_sequnlock_bh(seqlock_t *sl)
{
	write_seqcount_end(&sl->seqcount);
	spin_unlock_bh(&sl->lock);
}

/*
 * Locking readers: a reader that must not retry (it has side effects, or
 * writers are frequent enough to starve it) takes the writers' lock
 * instead. It excludes writers and other locking readers, but not the
 * lockless readers, and does not change the counter (Linux's _excl).
 */
static inline void read_seqlock_excl(seqlock_t *sl) { spin_lock(&sl->lock); }
static inline void read_sequnlock_excl(seqlock_t *sl) { spin_unlock(&sl->lock); }
static inline void read_seqlock_excl_bh(seqlock_t *sl) { spin_lock_bh(&sl->lock); }
static inline void read_sequnlock_excl_bh(seqlock_t *sl) { spin_unlock_bh(&sl->lock); }
static inline void read_seqlock_excl_irq(seqlock_t *sl) { spin_lock_irq(&sl->lock); }
static inline void read_sequnlock_excl_irq(seqlock_t *sl) { spin_unlock_irq(&sl->lock); }
#define read_seqlock_excl_irqsave(sl, flags) spin_lock_irqsave(&(sl)->lock, flags)
static inline void read_sequnlock_excl_irqrestore(seqlock_t *sl, unsigned long flags)
{
	spin_unlock_irqrestore(&sl->lock, flags);
}

/*
 * Lockless first, locked if that failed:
 *
 *   int seq = 0;                        even: try without the lock
 *   again:
 *       read_seqbegin_or_lock(&sl, &seq);
 *       copy the data;
 *   if (need_seqretry(&sl, seq)) {
 *       seq = 1;                        odd: the next pass locks
 *       goto again;
 *   }
 *   done_seqretry(&sl, seq);
 *
 * An even *seq starts a lockless pass (and receives the counter); an odd
 * one takes the lock, so the second pass cannot fail.
 */
static inline void read_seqbegin_or_lock(seqlock_t *sl, int *seq)
{
	if (!(*seq & 1))
		*seq = (int)read_seqbegin(sl);
	else
		read_seqlock_excl(sl);
}

static inline int need_seqretry(seqlock_t *sl, int seq)
{
	return !(seq & 1) && read_seqretry(sl, (unsigned)seq);
}

static inline void done_seqretry(seqlock_t *sl, int seq)
{
	if (seq & 1)
		read_sequnlock_excl(sl);
}

static inline unsigned long read_seqbegin_or_lock_irqsave(seqlock_t *sl, int *seq)
{
	unsigned long flags = 0;

	if (!(*seq & 1))
		*seq = (int)read_seqbegin(sl);
	else
		read_seqlock_excl_irqsave(sl, flags);
	return flags;
}

static inline void done_seqretry_irqrestore(seqlock_t *sl, int seq, unsigned long flags)
{
	if (seq & 1)
		read_sequnlock_excl_irqrestore(sl, flags);
}
