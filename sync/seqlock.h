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
#include "kernel/panic.h"
#include "sync/barrier.h"
#include "sync/spinlock.h"
#include "arch/x86/cpu.h"

typedef struct seqcount {
	unsigned sequence;		/* odd while a write is in progress */
} seqcount_t;

#define SEQCNT_ZERO(name) { .sequence = 0 }

static inline void seqcount_init(seqcount_t *s)
{
	s->sequence = 0;
}

/* ---- readers ---- */

/* Wait for no write in progress; return the counter to check later. */
static inline unsigned raw_read_seqcount_begin(const seqcount_t *s)
{
	unsigned seq;

	while ((seq = READ_ONCE(s->sequence)) & 1)
		cpu_relax();
	smp_rmb();			/* counter before data */
	return seq;
}

static inline unsigned read_seqcount_begin(const seqcount_t *s)
{
	unsigned seq = raw_read_seqcount_begin(s);

	jitter_point();			/* `jitter=SEED`: widen the window */
	return seq;
}

/* True if a write overlapped the copy since `start`: copy again. */
static inline bool read_seqcount_retry(const seqcount_t *s, unsigned start)
{
	smp_rmb();			/* data before counter */
	return unlikely(READ_ONCE(s->sequence) != start);
}

/* ---- writers (already serialized by the caller) ---- */

static inline void raw_write_seqcount_begin(seqcount_t *s)
{
	WRITE_ONCE(s->sequence, s->sequence + 1);	/* odd: writing */
	smp_wmb();			/* counter before data */
}

static inline void raw_write_seqcount_end(seqcount_t *s)
{
	smp_wmb();			/* data before counter */
	WRITE_ONCE(s->sequence, s->sequence + 1);	/* even: done */
}

/*
 * The checked forms: a preemptible writer could be switched out with the
 * counter odd, and every reader would spin until it came back (on one
 * CPU: forever). Also catches two writers at once (a missing lock).
 */
static inline void write_seqcount_begin(seqcount_t *s)
{
	WARN_ON_ONCE(preempt_count() == 0 && !irqs_disabled());
	WARN_ON_ONCE(READ_ONCE(s->sequence) & 1);
	raw_write_seqcount_begin(s);
}

static inline void write_seqcount_end(seqcount_t *s)
{
	WARN_ON_ONCE(!(READ_ONCE(s->sequence) & 1));
	raw_write_seqcount_end(s);
}

/* ---- seqlock_t: a seqcount whose writers take a spinlock ---- */

typedef struct seqlock {
	seqcount_t seqcount;
	spinlock_t lock;
} seqlock_t;

#define __SEQLOCK_UNLOCKED(name) \
	{ .seqcount = SEQCNT_ZERO(name), .lock = __SPIN_LOCK_UNLOCKED(name) }
#define DEFINE_SEQLOCK(name) seqlock_t name = __SEQLOCK_UNLOCKED(name)

static inline void seqlock_init_named(seqlock_t *sl, const char *name)
{
	seqcount_init(&sl->seqcount);
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
