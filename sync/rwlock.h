/*
 * rwlock.h - reader-writer spinlocks: many readers at once, or one writer.
 *
 *   DEFINE_RWLOCK(l);
 *   read_lock(&l);  ... look ...  read_unlock(&l);
 *   write_lock(&l); ... change ... write_unlock(&l);
 *
 * Contract:
 *  - Readers overlap each other, never a writer; a writer excludes
 *    everyone. All of them spin (never sleep) with preemption disabled
 *    while waiting and while holding, like spin_lock().
 *  - Never sleep while holding one. Not recursive for writers (debug
 *    builds: "BUG: rwlock recursion").
 *  - Fair between readers and writers: a waiting writer stops new readers
 *    (they queue behind it), so a stream of readers cannot starve it.
 *    Waiters queue in FIFO order on an internal ticket lock.
 *  - Consequence: read_lock() is NOT recursive in process context: a
 *    second read_lock() by a reader, with a writer waiting in between,
 *    deadlocks. Exception, as in Linux: readers in interrupt handlers
 *    ignore waiting writers, so an irq handler may read_lock() a lock its
 *    CPU already read-holds.
 *  - If interrupt handlers take the lock, process-context users must take
 *    it with the _irq/_irqsave variants (writers always; readers too
 *    unless the handler only reads).
 *  - read_trylock()/write_trylock() return 1 on success, 0 otherwise.
 *  - Ordering: acquire on lock, release on unlock; a reader sees everything
 *    the previous writer wrote.
 *  - Lockdep (debug builds) validates the order of write_lock() against
 *    other locks; readers are not tracked.
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/atomic.h"
#include "sync/lock_api.h"
#include "sync/lockdep.h"
#include "sync/spinlock_debug.h"
#include "sync/ticket_lock.h"

/* cnts: readers << 8 | writer bits. */
#define RW_WRITER_LOCKED	0x01
#define RW_WRITER_WAITING	0x02
#define RW_WRITER_MASK		0xff
#define RW_READER		0x100

typedef struct rwlock {
	atomic_t cnts;
	struct ticket_word wait;	/* slow-path waiters, in order */
	struct spin_debug debug;	/* the writer's CPU and caller (debug builds) */
	struct lockdep_map dep_map;	/* name and class (debug builds) */
} rwlock_t;

#define __RW_LOCK_UNLOCKED(n) { .cnts = ATOMIC_INIT(0), .wait = __TICKET_WORD_INIT, \
		.debug = SPIN_DEBUG_INIT("rwlock"), .dep_map = LOCKDEP_MAP_INIT(n) }
#define DEFINE_RWLOCK(n) rwlock_t n = __RW_LOCK_UNLOCKED(n)

void __rwlock_init(rwlock_t *lock, const char *name, const void *key);
#define rwlock_init(l) __rwlock_init((l), #l, LOCKDEP_SITE_KEY)

/* Without preemption handling. */
void do_raw_read_lock(rwlock_t *lock);
int do_raw_read_trylock(rwlock_t *lock);
void do_raw_read_unlock(rwlock_t *lock);
void do_raw_write_lock(rwlock_t *lock);
int do_raw_write_trylock(rwlock_t *lock);
void do_raw_write_unlock(rwlock_t *lock);

/* read_lock, read_trylock, read_unlock, read_lock_irq, ..., and the same
 * for write_ (lock_api.h). */
DEFINE_LOCK_API(read, rwlock_t)
DEFINE_LOCK_API(write, rwlock_t)
#define read_lock_irqsave(l, flags)  ((flags) = _read_lock_irqsave(l))
#define write_lock_irqsave(l, flags) ((flags) = _write_lock_irqsave(l))

/* Snapshots, for tests and assertions. */
static inline int rwlock_readers(rwlock_t *l)
{
	return atomic_read(&l->cnts) / RW_READER;
}

static inline bool rwlock_is_write_locked(rwlock_t *l)
{
	return atomic_read(&l->cnts) & RW_WRITER_LOCKED;
}
