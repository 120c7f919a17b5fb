/*
 * debugobjects.c - which tracked objects are where, and in what state
 * (contract in debugobjects.h).
 *
 * A fixed pool of records, hashed by the page the object starts in, so
 * that a freed range is checked by looking at the buckets of its pages
 * only. One lock, a plain test-and-set taken with interrupts off: the
 * hooks run inside timer and workqueue code and under their locks, so
 * this one must never call back into them; reports and fix-ups happen
 * after it is dropped. A full pool turns the checker off, saying so once
 * (as Linux does when it runs out of objects).
 */
#include "kernel/debugobjects.h"
#include "kernel/errno.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/list.h"
#include "sync/atomic.h"
#include "arch/x86/irqflags.h"
#include "arch/x86/cpu.h"

#ifdef CONFIG_DEBUG_OBJECTS	/* else the hooks are empty inlines */

#define ODEBUG_POOL	8192
#define ODEBUG_HASH	1024
#define ODEBUG_CHUNK_SHIFT 12

struct debug_obj {
	struct list_head node;		/* in its bucket, or the free list */
	void *object;
	const struct debug_obj_descr *descr;
	enum debug_obj_state state;
};

static struct debug_obj pool[ODEBUG_POOL];
static struct list_head buckets[ODEBUG_HASH];
static LIST_HEAD(free_objs);
static int odebug_lock;
static bool odebug_ready, odebug_off;

static const char *const state_name[] = {
	"none", "initialized", "inactive", "active", "destroyed",
};

static unsigned long lock_odebug(void)
{
	unsigned long flags;

	local_irq_save(flags);

	while (xchg(&odebug_lock, 1))
		cpu_relax();
	return flags;
}

static void unlock_odebug(unsigned long flags)
{
	smp_store_release(&odebug_lock, 0);
	local_irq_restore(flags);
}

static struct list_head *bucket_of(const void *addr)
{
	return &buckets[((uintptr_t)addr >> ODEBUG_CHUNK_SHIFT) % ODEBUG_HASH];
}

/* First use sets up the lists: the hooks run from early boot on. */
static bool odebug_usable(void)
{
	if (odebug_off)
		return false;
	if (!odebug_ready) {
		for (int i = 0; i < ODEBUG_HASH; i++)
			INIT_LIST_HEAD(&buckets[i]);
		for (int i = 0; i < ODEBUG_POOL; i++)
			list_add(&pool[i].node, &free_objs);
		odebug_ready = true;
	}
	return true;
}

static struct debug_obj *lookup(void *addr)
{
	struct debug_obj *o;

	list_for_each_entry(o, bucket_of(addr), node)
		if (o->object == addr)
			return o;
	return NULL;
}

static struct debug_obj *track(void *addr, const struct debug_obj_descr *d)
{
	if (list_empty(&free_objs)) {
		odebug_off = true;
		printk(KERN_WARNING "ODEBUG: out of memory (%d objects tracked): checks off\n",
		       ODEBUG_POOL);
		return NULL;
	}
	struct debug_obj *o = list_first_entry(&free_objs, struct debug_obj, node);
	list_del(&o->node);
	o->object = addr;
	o->descr = d;
	o->state = ODEBUG_STATE_NONE;
	list_add(&o->node, bucket_of(addr));
	return o;
}

static void untrack(struct debug_obj *o)
{
	list_del(&o->node);
	list_add(&o->node, &free_objs);
}

/* Linux's report: the line, then a WARNING with where it came from (a
 * test during which it is printed fails). */
static void report(const char *msg, void *addr, const struct debug_obj_descr *d,
		   enum debug_obj_state state)
{
	void *hint = d->debug_hint ? d->debug_hint(addr) : NULL;

	WARN(1, "ODEBUG: %s %s (active state 0) object: %p object type: %s hint: %pS\n",
	     msg, state_name[state], addr, d->name, hint);
}

void debug_object_init(void *addr, const struct debug_obj_descr *d)
{
	unsigned long flags = lock_odebug();
	bool was_active = false;

	if (odebug_usable()) {
		struct debug_obj *o = lookup(addr);
		if (!o)
			o = track(addr, d);
		if (o) {
			was_active = o->state == ODEBUG_STATE_ACTIVE;
			o->descr = d;
			o->state = ODEBUG_STATE_INIT;
		}
	}
	unlock_odebug(flags);
	if (was_active) {		/* initialized again while armed */
		report("init", addr, d, ODEBUG_STATE_ACTIVE);
		if (d->fixup_active)
			d->fixup_active(addr);
		debug_object_init(addr, d);
	}
}

int debug_object_activate(void *addr, const struct debug_obj_descr *d)
{
	unsigned long flags = lock_odebug();
	bool was_active = false;

	if (odebug_usable()) {
		struct debug_obj *o = lookup(addr);
		if (!o)
			o = track(addr, d);	/* a static object */
		if (o) {
			was_active = o->state == ODEBUG_STATE_ACTIVE;
			o->descr = d;
			o->state = ODEBUG_STATE_ACTIVE;
		}
	}
	unlock_odebug(flags);
	if (!was_active)
		return 0;
	report("activate", addr, d, ODEBUG_STATE_ACTIVE);
	return -EINVAL;
}

void debug_object_deactivate(void *addr, const struct debug_obj_descr *d)
{
	unsigned long flags = lock_odebug();

	(void)d;
	if (odebug_usable()) {
		struct debug_obj *o = lookup(addr);
		if (o && o->state == ODEBUG_STATE_ACTIVE)
			o->state = ODEBUG_STATE_INACTIVE;
	}
	unlock_odebug(flags);
}

void debug_object_free(void *addr, const struct debug_obj_descr *d)
{
	unsigned long flags = lock_odebug();
	bool was_active = false;

	if (odebug_usable()) {
		struct debug_obj *o = lookup(addr);
		if (o) {
			was_active = o->state == ODEBUG_STATE_ACTIVE;
			untrack(o);
		}
	}
	unlock_odebug(flags);
	if (was_active) {
		report("free", addr, d, ODEBUG_STATE_ACTIVE);
		if (d->fixup_active)
			d->fixup_active(addr);
	}
}

/*
 * Memory [addr, addr + size) is being freed: forget the objects in it;
 * an active one is a bug - reported and fixed up (at most a few per
 * call: the rest are forgotten, already reported by then).
 */
#define MAX_ACTIVE_FREED 4
void debug_check_no_obj_freed(const void *addr, unsigned long size)
{
	struct { void *addr; const struct debug_obj_descr *d; } active[MAX_ACTIVE_FREED];
	uintptr_t start = (uintptr_t)addr, end = start + size;
	int n = 0;

	if (!size || READ_ONCE(odebug_off))
		return;
	unsigned long flags = lock_odebug();
	if (odebug_usable()) {
		uintptr_t chunk = start >> ODEBUG_CHUNK_SHIFT;
		uintptr_t last = (end - 1) >> ODEBUG_CHUNK_SHIFT;
		/* Past one lap of the table every bucket has been seen. */
		if (last - chunk >= ODEBUG_HASH)
			last = chunk + ODEBUG_HASH - 1;
		for (; chunk <= last; chunk++) {
			struct list_head *b = &buckets[chunk % ODEBUG_HASH];
			struct debug_obj *o, *tmp;
			list_for_each_entry_safe(o, tmp, b, node) {
				uintptr_t a = (uintptr_t)o->object;
				if (a < start || a >= end)
					continue;
				if (o->state == ODEBUG_STATE_ACTIVE && n < MAX_ACTIVE_FREED) {
					active[n].addr = o->object;
					active[n++].d = o->descr;
				}
				untrack(o);
			}
		}
	}
	unlock_odebug(flags);
	for (int i = 0; i < n; i++) {
		report("free", active[i].addr, active[i].d, ODEBUG_STATE_ACTIVE);
		if (active[i].d->fixup_active)
			active[i].d->fixup_active(active[i].addr);
	}
}
#endif
