/*
 * <linux/spinlock.h> - spinlocks, rwlocks, and raw_spinlock_t.
 */
#pragma once
#include "sync/spinlock.h"
#include "sync/dec_and_lock.h"
#include "sync/rwlock.h"
#include <linux/preempt.h>
#include <linux/irqflags.h>
#include <linux/cleanup.h>

/* Linux's raw_spinlock_t never sleeps, even on PREEMPT_RT; a spinlock_t
 * never sleeps here either: the same lock. */
typedef spinlock_t raw_spinlock_t;
#define DEFINE_RAW_SPINLOCK(n) DEFINE_SPINLOCK(n)
#define __RAW_SPIN_LOCK_UNLOCKED(n) __SPIN_LOCK_UNLOCKED(n)
#define raw_spin_lock_init(l) spin_lock_init(l)
#define raw_spin_lock(l) spin_lock(l)
#define raw_spin_unlock(l) spin_unlock(l)
#define raw_spin_trylock(l) spin_trylock(l)
#define raw_spin_trylock_irq(l) spin_trylock_irq(l)
#define raw_spin_trylock_irqsave(l, f) spin_trylock_irqsave(l, f)
#define raw_spin_lock_bh(l) spin_lock_bh(l)
#define raw_spin_unlock_bh(l) spin_unlock_bh(l)
#define raw_spin_lock_irq(l) spin_lock_irq(l)
#define raw_spin_unlock_irq(l) spin_unlock_irq(l)
#define raw_spin_lock_irqsave(l, f) spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)
#define raw_spin_is_locked(l) spin_is_locked(l)
#define assert_raw_spin_locked(l) assert_spin_locked(l)
