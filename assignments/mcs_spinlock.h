/*
 * mcs_spinlock.h - the MCS queued spinlock (Mellor-Crummey & Scott, 1991).
 * [Assignment: docs/assignments/01-mcs-lock.md]
 *
 * Contract:
 *  - Like spin_lock(): busy-waits, disables preemption while held, never
 *    sleeps, not recursive; FIFO fair: CPUs get the lock in arrival order.
 *  - The caller provides a queue node that must stay valid (e.g. on its
 *    stack) from mcs_spin_lock() to the matching mcs_spin_unlock(), and is
 *    passed to both.
 *  - Each waiter spins on its *own* node, not on the shared lock word: a
 *    release touches only the next waiter's cache line, so the lock scales
 *    where test-and-set and even ticket locks make every waiter's cache
 *    line bounce on each handover.
 *  - Acquire/release ordering as for spin_lock().
 */
#pragma once
#include "kernel/compiler.h"

struct mcs_node {
	struct mcs_node *next;
	int locked;		/* set by our predecessor when it hands over */
};

struct mcs_spinlock {
	struct mcs_node *tail;	/* last in the queue, NULL when free */
};

#define MCS_SPINLOCK_UNLOCKED { .tail = NULL }

void mcs_spin_lock(struct mcs_spinlock *lock, struct mcs_node *node);
void mcs_spin_unlock(struct mcs_spinlock *lock, struct mcs_node *node);
