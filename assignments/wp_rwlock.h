/*
 * wp_rwlock.h - a writer-preferring reader-writer spinlock.
 * [Assignment: docs/assignments/03-writer-preferring-rwlock.md]
 *
 * Contract:
 *  - Any number of readers may hold the lock together; a writer holds it
 *    alone. Both spin (never sleep) with preemption disabled.
 *  - Writer preference: once a writer is waiting, new readers wait too, so
 *    a steady stream of overlapping readers cannot starve writers (with
 *    rwlock_t, readers that keep arriving can).
 *  - Not recursive for readers either: a reader that re-enters while a
 *    writer waits would deadlock.
 */
#pragma once
#include "sync/atomic.h"

typedef struct {
	atomic_t readers;		/* readers inside */
	atomic_t writer;		/* 1 while a writer holds the lock */
	atomic_t writers_waiting;	/* writers that want in */
} wp_rwlock_t;

#define WP_RWLOCK_UNLOCKED { ATOMIC_INIT(0), ATOMIC_INIT(0), ATOMIC_INIT(0) }

void wp_read_lock(wp_rwlock_t *l);
void wp_read_unlock(wp_rwlock_t *l);
void wp_write_lock(wp_rwlock_t *l);
void wp_write_unlock(wp_rwlock_t *l);
