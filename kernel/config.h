/*
 * config.h - every CONFIG_* switch of the kernel, derived in one place.
 *
 * The build makes one choice, RELEASE=1 (which defines CONFIG_RELEASE) or
 * not; every other switch follows from it here. The compiler reads this
 * file before each source file (`-include kernel/config.h` in the
 * Makefile), so no file can see another configuration than the rest -
 * which would give one struct two layouts. To try a switch on its own,
 * edit it here.
 *
 *   CONFIG_DEBUG_SPINLOCK      spinning locks record their owner: recursion,
 *                              unlocking a free lock or another CPU's lock,
 *                              and lockups are reported (sync/spinlock_debug.h)
 *   CONFIG_DEBUG_MUTEXES       mutexes check the owner at unlock and report
 *                              recursion (sync/mutex.h)
 *   CONFIG_LOCKDEP             the lock-order validator (sync/lockdep.h)
 *   CONFIG_DEBUG_LOCK_ALLOC    locks carry a lockdep_map: a name and a class
 *                              (on whenever one of the three above is)
 *   CONFIG_DEBUG_ATOMIC_SLEEP  might_sleep() checks the interrupt flag too,
 *                              not only the preemption count (sched/sched.h)
 *   CONFIG_DEBUG_RCU           RCU usage checks (sync/rcu.h)
 *   CONFIG_DEBUG_PREEMPT       smp_processor_id() checks that the CPU cannot
 *                              change under the caller (sync/percpu.h)
 *   CONFIG_DEBUG_OBJECTS       armed timers and queued work items must not be
 *                              freed or initialized again (kernel/debugobjects.h)
 *   CONFIG_INLINE_SPIN_UNLOCK  unlocking a spinning lock is one inline store,
 *                              when there is nothing to check
 *   HZ                         ticks per second, the unit of jiffies and of
 *                              every *_timeout argument (kernel/jiffies.h);
 *                              KCFLAGS=-DHZ=250 changes it
 *
 * IS_ENABLED(CONFIG_FOO) is 1 or 0, for plain C conditions instead of
 * #ifdef (the compiler drops the dead branch, but still checks it).
 */
#pragma once

#ifndef CONFIG_RELEASE
#define CONFIG_DEBUG_SPINLOCK 1
#define CONFIG_DEBUG_MUTEXES 1
#define CONFIG_LOCKDEP 1
#define CONFIG_DEBUG_ATOMIC_SLEEP 1
#define CONFIG_DEBUG_RCU 1
#define CONFIG_DEBUG_PREEMPT 1
#define CONFIG_DEBUG_OBJECTS 1
#endif

#if defined(CONFIG_LOCKDEP) || defined(CONFIG_DEBUG_SPINLOCK) || \
    defined(CONFIG_DEBUG_MUTEXES)
#define CONFIG_DEBUG_LOCK_ALLOC 1
#endif

#if !defined(CONFIG_DEBUG_SPINLOCK) && !defined(CONFIG_LOCKDEP)
#define CONFIG_INLINE_SPIN_UNLOCK 1
#endif

#ifndef HZ
#define HZ 1000
#endif

/*
 * IS_ENABLED: a defined switch expands to 1, so __ARG_PLACEHOLDER_1 turns
 * into "0," and the second argument, 1, is picked; an undefined one leaves
 * a single junk argument, and the 0 after it is picked.
 */
#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x) ___is_defined(x)
#define ___is_defined(val) ____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk) __take_second_arg(arg1_or_junk 1, 0)
#define IS_ENABLED(option) __is_defined(option)
