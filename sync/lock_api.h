/*
 * lock_api.h - the API every spinning lock offers, written once and made
 * from the lock's raw operations (spinlock.h, ticket_lock.h, rwlock.h).
 *
 * DEFINE_LOCK_API(name, type), given
 *     void do_raw_<name>_lock(type *), int do_raw_<name>_trylock(type *),
 *     void do_raw_<name>_unlock(type *)
 * defines:
 *     name_lock(l)            preemption off, then wait for the lock
 *     name_trylock(l)         1 if taken (preemption stays off), else 0
 *     name_unlock(l)          release, then preemption on (which may
 *                             reschedule right here: a preemption point)
 *     name_lock_irq(l)        interrupts off first; name_unlock_irq(l) on
 *     _name_lock_irqsave(l)   saves and returns the interrupt state;
 *     name_unlock_irqrestore(l, flags) puts it back
 *     name_trylock_irq(l), _name_trylock_irqsave(l, &flags): interrupts
 *                             stay off only if the lock was taken
 *     name_lock_bh(l)         bottom halves (softirqs, tasklets, timers)
 *                             off first; name_unlock_bh(l) back on, which
 *                             runs what was raised meanwhile and is a
 *                             preemption point (kernel/softirq.h)
 * The order is always: interrupts off, preemption off, lock; and unlock,
 * interrupts back, preemption back - so the preemption point at the end
 * runs with interrupts in their caller's state.
 *
 * The lock's header adds one line that a macro cannot write for it:
 *     #define name_lock_irqsave(l, flags) ((flags) = _name_lock_irqsave(l))
 *     #define name_trylock_irqsave(l, flags) _name_trylock_irqsave(l, &(flags))
 * (as in Linux, flags is passed by name, not by address).
 */
#pragma once
#include "arch/x86/irqflags.h"
#include "kernel/softirq.h"
#include "sched/preempt.h"

#define DEFINE_LOCK_API(name, type)                                         \
static inline void name##_lock(type *l)                                     \
{                                                                           \
	preempt_disable();                                                  \
	do_raw_##name##_lock(l);                                            \
}                                                                           \
static inline int name##_trylock(type *l)                                   \
{                                                                           \
	preempt_disable();                                                  \
	if (do_raw_##name##_trylock(l))                                     \
		return 1;                                                   \
	preempt_enable();                                                   \
	return 0;                                                           \
}                                                                           \
static inline void name##_unlock(type *l)                                   \
{                                                                           \
	do_raw_##name##_unlock(l);                                          \
	preempt_enable();                                                   \
}                                                                           \
static inline void name##_lock_irq(type *l)                                 \
{                                                                           \
	local_irq_disable();                                                \
	name##_lock(l);                                                     \
}                                                                           \
static inline void name##_unlock_irq(type *l)                               \
{                                                                           \
	do_raw_##name##_unlock(l);                                          \
	local_irq_enable();                                                 \
	preempt_enable();                                                   \
}                                                                           \
static inline unsigned long _##name##_lock_irqsave(type *l)                 \
{                                                                           \
	unsigned long flags;                                                \
                                                                            \
	local_irq_save(flags);                                              \
	name##_lock(l);                                                     \
	return flags;                                                       \
}                                                                           \
static inline void name##_unlock_irqrestore(type *l, unsigned long flags)   \
{                                                                           \
	do_raw_##name##_unlock(l);                                          \
	local_irq_restore(flags);                                           \
	preempt_enable();                                                   \
}                                                                           \
static inline void name##_lock_bh(type *l)                                  \
{                                                                           \
	local_bh_disable();                                                 \
	name##_lock(l);                                                     \
}                                                                           \
static inline void name##_unlock_bh(type *l)                                \
{                                                                           \
	name##_unlock(l);	/* bh still off: no preemption here... */   \
	local_bh_enable();	/* ...but here, after the softirqs */       \
}                                                                           \
static inline int name##_trylock_bh(type *l)                                \
{                                                                           \
	local_bh_disable();                                                 \
	if (name##_trylock(l))                                              \
		return 1;                                                   \
	local_bh_enable();                                                  \
	return 0;                                                           \
}                                                                           \
static inline int name##_trylock_irq(type *l)                               \
{                                                                           \
	local_irq_disable();                                                \
	if (name##_trylock(l))                                              \
		return 1;                                                   \
	local_irq_enable();                                                 \
	return 0;                                                           \
}                                                                           \
/* Interrupts stay off only if the lock was taken: on failure the          \
 * caller's interrupt state is back, as Linux's macro leaves it. */         \
static inline int _##name##_trylock_irqsave(type *l, unsigned long *flags)  \
{                                                                           \
	local_irq_save(*flags);                                             \
	if (name##_trylock(l))                                              \
		return 1;                                                   \
	local_irq_restore(*flags);                                          \
	return 0;                                                           \
}
