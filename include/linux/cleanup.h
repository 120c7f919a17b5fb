/*
 * <linux/cleanup.h> - scope-based locking, as Linux's (6.5+):
 *
 *   guard(mutex)(&m);                   held until the end of the scope
 *   scoped_guard(spinlock_irqsave, &l) {
 *           ...                         held inside the braces only
 *   }
 *
 * The compiler's cleanup attribute runs the unlock however the scope is
 * left (return, break, goto). Guards here: mutex, spinlock, spinlock_irq,
 * spinlock_irqsave, read_lock, write_lock, rwsem_read, rwsem_write, rcu,
 * preempt, irq, irqsave.
 */
#pragma once
#include "kernel/compiler.h"
#include "sync/mutex.h"
#include "sync/rcu.h"
#include "sync/rwlock.h"
#include "sync/rwsem.h"
#include "sync/spinlock.h"

#define __cleanup(fn) __attribute__((__cleanup__(fn)))

/* A guard over one lock pointer, with room for more state (flags). */
#define DEFINE_LOCK_GUARD_1(name, type, _lock, _unlock, ...)              \
	typedef struct { type *lock; __VA_ARGS__; } class_##name##_t;      \
	static inline void class_##name##_destructor(class_##name##_t *_T) \
	{ if (_T->lock) { _unlock; } }                                     \
	static inline class_##name##_t class_##name##_constructor(type *l) \
	{ class_##name##_t _t = { .lock = l }, *_T = &_t; _lock; return _t; }

/* A guard over no object (rcu, preempt, irq). */
#define DEFINE_LOCK_GUARD_0(name, _lock, _unlock, ...)                    \
	typedef struct { void *lock; __VA_ARGS__; } class_##name##_t;      \
	static inline void class_##name##_destructor(class_##name##_t *_T) \
	{ if (_T->lock) { _unlock; } }                                     \
	static inline class_##name##_t class_##name##_constructor(void)    \
	{ class_##name##_t _t = { .lock = (void *)1 }, *_T = &_t;          \
	  (void)_T; _lock; return _t; }

#define guard(name)                                                        \
	class_##name##_t __unique(__guard_) __cleanup(class_##name##_destructor) = \
		class_##name##_constructor
#define scoped_guard(name, args...)                                        \
	for (class_##name##_t scope __cleanup(class_##name##_destructor) =  \
		     class_##name##_constructor(args), *done = NULL;        \
	     !done; done = (void *)1)

DEFINE_LOCK_GUARD_1(mutex, struct mutex, mutex_lock(_T->lock), mutex_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock, spinlock_t, spin_lock(_T->lock), spin_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irq, spinlock_t, spin_lock_irq(_T->lock),
		    spin_unlock_irq(_T->lock))
DEFINE_LOCK_GUARD_1(spinlock_irqsave, spinlock_t, spin_lock_irqsave(_T->lock, _T->flags),
		    spin_unlock_irqrestore(_T->lock, _T->flags), unsigned long flags)
DEFINE_LOCK_GUARD_1(spinlock_bh, spinlock_t, spin_lock_bh(_T->lock), spin_unlock_bh(_T->lock))
DEFINE_LOCK_GUARD_1(read_lock, rwlock_t, read_lock(_T->lock), read_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(write_lock, rwlock_t, write_lock(_T->lock), write_unlock(_T->lock))
DEFINE_LOCK_GUARD_1(rwsem_read, struct rw_semaphore, down_read(_T->lock), up_read(_T->lock))
DEFINE_LOCK_GUARD_1(rwsem_write, struct rw_semaphore, down_write(_T->lock), up_write(_T->lock))
DEFINE_LOCK_GUARD_0(rcu, rcu_read_lock(), rcu_read_unlock())
DEFINE_LOCK_GUARD_0(bh, local_bh_disable(), local_bh_enable())
DEFINE_LOCK_GUARD_0(preempt, preempt_disable(), preempt_enable())
DEFINE_LOCK_GUARD_0(irq, local_irq_disable(), local_irq_enable())
DEFINE_LOCK_GUARD_0(irqsave, local_irq_save(_T->flags), local_irq_restore(_T->flags),
		    unsigned long flags)
