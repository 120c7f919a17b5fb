/*
 * rwlock.c - the reader-writer spinlock (contract in rwlock.h).
 *
 * One word, cnts, holds the number of readers inside (from bit 8 up) and
 * the writer's state (low byte: LOCKED, or WAITING for readers to drain).
 *
 * Fast paths, when nobody waits:
 *   reader: add one reader (locked xadd); if the writer byte was 0, done.
 *   writer: cmpxchg 0 -> LOCKED.
 * Otherwise the thread takes the internal ticket lock `wait`, which lines
 * up all slow-path waiters in FIFO order, and only the thread at its head
 * competes for cnts:
 *   writer at the head: sets WAITING (from now on fast-path readers back
 *     off into the queue), waits until the readers inside have left
 *     (cnts == WAITING), then turns WAITING into LOCKED.
 *   reader at the head: counts itself in, then waits until no writer
 *     holds the lock. No writer can slip in meanwhile: a fast-path writer
 *     needs cnts == 0, and slow-path writers are behind us in the queue.
 * This is the design of Linux's queued rwlock. It is fair because the
 * queue is, and because a WAITING writer turns new readers away.
 *
 * Readers in interrupt handlers keep their count and wait only for a
 * LOCKED writer: they may hold the lock already in the interrupted code,
 * and queueing behind a waiting writer would then deadlock.
 */
#include "sync/rwlock.h"
#include "kernel/jitter.h"
#include "kernel/panic.h"

/* For spinlock_debug.h: the checks are about the writer. */
#define spin_debug_held(l) (atomic_read(&(l)->cnts) & RW_WRITER_LOCKED)

void __rwlock_init(rwlock_t *lock, const char *name, const void *key)
{
	atomic_set(&lock->cnts, 0);
	atomic_set(&lock->wait.val, 0);
	spin_debug_init(&lock->debug, "rwlock");
	lockdep_init_map(&lock->dep_map, name, key);
}

/* ---- readers ---- */

static void read_lock_slow(rwlock_t *lock)
{
	if (in_interrupt()) {
		/* Keep our count (a waiting writer keeps waiting for us);
		 * only a writer inside must leave first. */
		while (atomic_read(&lock->cnts) & RW_WRITER_LOCKED)
			cpu_relax();
		return;
	}
	atomic_sub(RW_READER, &lock->cnts);	/* back off: we were too early */
	ticket_word_lock(&lock->wait);
	jitter_point();
	atomic_add(RW_READER, &lock->cnts);
	while (atomic_read(&lock->cnts) & RW_WRITER_LOCKED)
		cpu_relax();
	ticket_word_unlock(&lock->wait);
}

void do_raw_read_lock(rwlock_t *lock)
{
	/* The locked xadd is a full barrier: acquire. */
	if (atomic_add_return(RW_READER, &lock->cnts) & RW_WRITER_MASK)
		read_lock_slow(lock);
}

int do_raw_read_trylock(rwlock_t *lock)
{
	if (atomic_read(&lock->cnts) & RW_WRITER_MASK)
		return 0;
	if (!(atomic_add_return(RW_READER, &lock->cnts) & RW_WRITER_MASK))
		return 1;
	atomic_sub(RW_READER, &lock->cnts);
	return 0;
}

void do_raw_read_unlock(rwlock_t *lock)
{
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK) && atomic_read(&lock->cnts) < RW_READER)
		spin_debug_bug(&lock->debug, &lock->dep_map, lock,
			       "read_unlock without readers");
	atomic_sub(RW_READER, &lock->cnts);	/* locked: release */
}

/* ---- writers ---- */

static void write_lock_slow(rwlock_t *lock)
{
	ticket_word_lock(&lock->wait);
	jitter_point();
	/* We alone are at the head: nobody else sets WAITING. */
	if (atomic_cmpxchg(&lock->cnts, 0, RW_WRITER_LOCKED) != 0) {
		atomic_add(RW_WRITER_WAITING, &lock->cnts);
		while (atomic_read(&lock->cnts) != RW_WRITER_WAITING ||
		       atomic_cmpxchg(&lock->cnts, RW_WRITER_WAITING,
				      RW_WRITER_LOCKED) != RW_WRITER_WAITING)
			cpu_relax();
	}
	ticket_word_unlock(&lock->wait);
}

void do_raw_write_lock(rwlock_t *lock)
{
	debug_spin_lock_before(lock, 0, _RET_IP_);
	if (atomic_cmpxchg(&lock->cnts, 0, RW_WRITER_LOCKED) != 0)
		write_lock_slow(lock);
	debug_spin_lock_after(lock, _RET_IP_);
}

int do_raw_write_trylock(rwlock_t *lock)
{
	if (atomic_read(&lock->cnts) != 0 ||
	    atomic_cmpxchg(&lock->cnts, 0, RW_WRITER_LOCKED) != 0)
		return 0;
	debug_spin_trylock_after(lock, _RET_IP_);
	return 1;
}

void do_raw_write_unlock(rwlock_t *lock)
{
	debug_spin_unlock(lock);
	atomic_sub(RW_WRITER_LOCKED, &lock->cnts);	/* locked: release */
}
