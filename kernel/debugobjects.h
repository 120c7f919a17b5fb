/*
 * debugobjects.h - Linux's object life-cycle checker (CONFIG_DEBUG_OBJECTS,
 * on in every debug build, off in RELEASE).
 *
 * An object that the kernel keeps a pointer to - an armed timer, a queued
 * work item, an rcu_head passed to call_rcu() - must not be freed, or
 * initialized or queued again, while it is armed: the timer wheel, the
 * worker or RCU would then write into memory that belongs to someone
 * else. Each subsystem tells debugobjects when an object is initialized,
 * activated (armed, queued) and deactivated (expired, run, cancelled,
 * its RCU callback invoked); every kfree(), vfree(), freed thread stack
 * and unloaded module asks whether the memory holds an active object. A
 * bug is reported as Linux reports it, e.g.
 *
 *   ODEBUG: free active (active state 0) object: ffff8000003c1d40 object type: timer_list hint: my_fn+0x0/0x40
 *
 * followed by a WARNING with a backtrace (a test during which it is
 * printed fails), and then fixed up as Linux does: the timer is
 * deleted, the work cancelled, so the kernel goes on.
 *
 * Contract: every hook may be called from any context, interrupts on or
 * off, and never sleeps. Objects never initialized (a static timer) are
 * tracked from their first activation. debug_object_activate() returns
 * -EINVAL (after "ODEBUG: activate active") for an object already active:
 * call_rcu() on a queued rcu_head then leaks the callback, as Linux does.
 */
#pragma once
#include "kernel/compiler.h"

enum debug_obj_state {
	ODEBUG_STATE_NONE, ODEBUG_STATE_INIT, ODEBUG_STATE_INACTIVE,
	ODEBUG_STATE_ACTIVE, ODEBUG_STATE_DESTROYED,
};

struct debug_obj_descr {
	const char *name;			/* "timer_list", "work_struct" */
	void *(*debug_hint)(void *addr);	/* what to name: its function */
	/* Make an active object inactive (the memory is going away, or is
	 * initialized again); called with no debugobjects lock held. */
	void (*fixup_active)(void *addr);
};

#ifdef CONFIG_DEBUG_OBJECTS
void debug_object_init(void *addr, const struct debug_obj_descr *d);
int debug_object_activate(void *addr, const struct debug_obj_descr *d);
void debug_object_deactivate(void *addr, const struct debug_obj_descr *d);
void debug_object_free(void *addr, const struct debug_obj_descr *d);
void debug_check_no_obj_freed(const void *addr, unsigned long size);
#else
static inline void debug_object_init(void *a, const struct debug_obj_descr *d) { (void)a; (void)d; }
static inline int debug_object_activate(void *a, const struct debug_obj_descr *d) { (void)a; (void)d; return 0; }
static inline void debug_object_deactivate(void *a, const struct debug_obj_descr *d) { (void)a; (void)d; }
static inline void debug_object_free(void *a, const struct debug_obj_descr *d) { (void)a; (void)d; }
static inline void debug_check_no_obj_freed(const void *a, unsigned long s) { (void)a; (void)s; }
#endif
