/*
 * test_dec_and_lock.c - the last reference is dropped under the lock
 * (sync/dec_and_lock.h): refcount_dec_and_lock(), kref_put_mutex(),
 * atomic_dec_and_lock() and friends.
 *
 * The invariant, from every CPU at once: objects sit in a list, found by
 * lookups under the list's lock that take a reference with
 * refcount_inc_not_zero(). A lookup must never find a listed object whose
 * count is already 0 (it would be freed under the finder's feet), and
 * every object is freed exactly once. Dropping the last reference first
 * and locking afterwards breaks the first rule; the delay hook
 * dec_and_lock_last stretches the moment before the lock is taken, so a
 * wrong order fails this test every run instead of once in a while.
 */
#include "tests/ktest.h"
#include "sync/dec_and_lock.h"
#include "sync/kref.h"
#include "kernel/delay_hook.h"
#include "kernel/cpumask.h"
#include "kernel/list.h"
#include "kernel/mm.h"
#include "sched/sched.h"

#define OBJS_PER_CPU 8
#define LOOKUPS 3000
#define OBJ_MAGIC 0x0b1ec7

struct obj {
	struct list_head node;
	refcount_t ref;
	struct kref kref;		/* the kref_put_mutex() test's count */
	int id;
	int magic;
};

static LIST_HEAD(objs);
static DEFINE_SPINLOCK(objs_lock);
static DEFINE_MUTEX(objs_mutex);
static atomic_t created, freed, dying_found, bad_magic;
static bool use_mutex;			/* false: spinlock + refcount_t */

static void obj_free(struct obj *o)
{
	o->magic = 0;
	atomic_inc(&freed);
	kfree(o);
}

/* kref_put_mutex()'s release: called with objs_mutex held; unlocks it. */
static void obj_release_kref(struct kref *k)
{
	struct obj *o = container_of(k, struct obj, kref);

	list_del(&o->node);
	mutex_unlock(&objs_mutex);
	obj_free(o);
}

static void obj_put(struct obj *o)
{
	if (use_mutex) {
		kref_put_mutex(&o->kref, obj_release_kref, &objs_mutex);
	} else if (refcount_dec_and_lock(&o->ref, &objs_lock)) {
		list_del(&o->node);
		spin_unlock(&objs_lock);
		obj_free(o);
	}
}

static struct obj *obj_get_locked(struct obj *o)
{
	bool got = use_mutex ? kref_get_unless_zero(&o->kref) : refcount_inc_not_zero(&o->ref);

	if (!got)
		atomic_inc(&dying_found);	/* listed, yet its count is 0 */
	return got ? o : NULL;
}

static struct obj *obj_lookup(int id)
{
	struct obj *o, *found = NULL;

	if (use_mutex)
		mutex_lock(&objs_mutex);
	else
		spin_lock(&objs_lock);
	list_for_each_entry(o, &objs, node)
		if (o->id == id) {
			found = obj_get_locked(o);
			break;
		}
	if (use_mutex)
		mutex_unlock(&objs_mutex);
	else
		spin_unlock(&objs_lock);
	return found;
}

static void obj_create(int id)
{
	struct obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return;
	o->id = id;
	o->magic = OBJ_MAGIC;
	refcount_set(&o->ref, 1);	/* the creator's reference */
	kref_init(&o->kref);
	atomic_inc(&created);
	if (use_mutex)
		mutex_lock(&objs_mutex);
	else
		spin_lock(&objs_lock);
	list_add_tail(&o->node, &objs);
	if (use_mutex)
		mutex_unlock(&objs_mutex);
	else
		spin_unlock(&objs_lock);
}

/* Each CPU creates its objects, looks up everyone's, and drops its own
 * creator references one by one along the way. */
static void lookup_and_put(int idx, void *arg)
{
	struct obj *mine[OBJS_PER_CPU];
	uint64_t rnd = 0x9e3779b97f4a7c15ULL * (idx + 1);
	int n = num_online_cpus(), dropped = 0;

	(void)arg;
	for (int k = 0; k < OBJS_PER_CPU; k++) {
		obj_create(idx * OBJS_PER_CPU + k);
		mine[k] = obj_lookup(idx * OBJS_PER_CPU + k);	/* to drop later */
	}
	for (int k = 0; k < OBJS_PER_CPU; k++)
		if (mine[k])
			obj_put(mine[k]);	/* the lookup's reference */
	for (int r = 0; r < LOOKUPS; r++) {
		struct obj *o = obj_lookup((int)(ktest_rand(&rnd) % (n * OBJS_PER_CPU)));

		if (o) {
			if (READ_ONCE(o->magic) != OBJ_MAGIC)
				atomic_inc(&bad_magic);
			obj_put(o);
		}
		if (r % (LOOKUPS / OBJS_PER_CPU) == 0 && dropped < OBJS_PER_CPU && mine[dropped])
			obj_put(mine[dropped++]);	/* the creator's reference */
	}
	while (dropped < OBJS_PER_CPU)
		if (mine[dropped++])
			obj_put(mine[dropped - 1]);
}

static void run_lookup_test(bool mutex)
{
	use_mutex = mutex;
	atomic_set(&created, 0);
	atomic_set(&freed, 0);
	atomic_set(&dying_found, 0);
	atomic_set(&bad_magic, 0);
	delay_hook_set(&delay_hook_dec_and_lock_last, 20, NULL);
	int n = ktest_run_on_all_cpus(lookup_and_put, NULL, false);
	int windows = delay_hook_hits(&delay_hook_dec_and_lock_last);
	delay_hook_set(&delay_hook_dec_and_lock_last, 0, NULL);

	ktest_info("dec_and_lock (%s): %d CPUs, %d objects, %d last puts delayed\n",
		   mutex ? "kref_put_mutex" : "refcount_dec_and_lock", n,
		   atomic_read(&created), windows);
	KASSERT_GT(n, 0);
	KASSERT_GT(windows, 0);
	KASSERT_MSG(atomic_read(&dying_found) == 0,
		    "%d lookups found a listed object whose count was already 0",
		    atomic_read(&dying_found));
	KASSERT_EQ(atomic_read(&bad_magic), 0);
	KASSERT_EQ(atomic_read(&freed), atomic_read(&created));
	KASSERT(list_empty(&objs));
}

KTEST(dec_and_lock, refcount_lookups_never_find_a_dying_object)
{
	run_lookup_test(false);
}

KTEST(dec_and_lock, kref_put_mutex_lookups_never_find_a_dying_object)
{
	run_lookup_test(true);
}

/* The return values and lock states, one case at a time. */
KTEST(dec_and_lock, return_values_and_lock_state)
{
	DEFINE_SPINLOCK(l);
	DEFINE_MUTEX(m);
	refcount_t r = REFCOUNT_INIT(2);
	atomic_t a = ATOMIC_INIT(2);
	unsigned long flags;

	KASSERT(!refcount_dec_and_lock(&r, &l));	/* 2 -> 1: no lock */
	KASSERT(!spin_is_locked(&l));
	KASSERT(refcount_dec_and_lock(&r, &l));		/* 1 -> 0: locked */
	KASSERT(spin_is_locked(&l));
	spin_unlock(&l);

	refcount_set(&r, 1);
	KASSERT(refcount_dec_and_lock_irqsave(&r, &l, &flags));
	KASSERT(irqs_disabled());
	spin_unlock_irqrestore(&l, flags);
	KASSERT(!irqs_disabled());

	refcount_set(&r, 1);
	KASSERT(refcount_dec_and_mutex_lock(&r, &m));
	KASSERT(mutex_is_locked(&m));
	mutex_unlock(&m);

	KASSERT(!atomic_dec_and_lock(&a, &l));
	KASSERT(atomic_dec_and_lock(&a, &l));
	spin_unlock(&l);
	atomic_set(&a, 1);
	KASSERT(atomic_dec_and_lock_irqsave(&a, &l, flags));
	spin_unlock_irqrestore(&l, flags);
	atomic_set(&a, 2);
	KASSERT(!atomic_dec_and_mutex_lock(&a, &m));
	KASSERT(!mutex_is_locked(&m));
	KASSERT(atomic_dec_and_mutex_lock(&a, &m));
	mutex_unlock(&m);

	refcount_set(&r, 1);
	KASSERT(!refcount_dec_not_one(&r));
	KASSERT_EQ(refcount_read(&r), 1);
	KASSERT(refcount_dec_if_one(&r));
	KASSERT_EQ(refcount_read(&r), 0);
}

/* spin_trylock_irqsave(): interrupts stay off only with the lock. */
KTEST(dec_and_lock, spin_trylock_irqsave_restores_on_failure)
{
	DEFINE_SPINLOCK(l);
	unsigned long flags;

	KASSERT(spin_trylock_irqsave(&l, flags));
	KASSERT(irqs_disabled());
	unsigned long inner;
	KASSERT(!spin_trylock_irqsave(&l, inner));	/* held: fails... */
	KASSERT(irqs_disabled());			/* ...state as before */
	spin_unlock_irqrestore(&l, flags);
	KASSERT(!irqs_disabled());
	KASSERT(!spin_is_locked(&l));
	KASSERT(spin_trylock_irq(&l));
	KASSERT(irqs_disabled());
	spin_unlock_irq(&l);
	KASSERT(!irqs_disabled());
}
