// SPDX-License-Identifier: GPL-2.0
/*
 * locking_cache.c - the object cache of "Unreliable Guide To Locking"
 * (Documentation/kernel-hacking/locking.rst, "Common Examples"), its
 * mutex version, as written there.
 *
 * The harness: threads on every CPU add, find and delete objects with
 * random ids. Invariants: the cache never holds more than MAX_CACHE_SIZE
 * objects, cache_num always equals the length of the list, a found
 * object has the name its id was added with, and (the loading test)
 * every object is freed once.
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/completion.h>
#include <linux/atomic.h>

/* ---- from Documentation/kernel-hacking/locking.rst ---- */
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/mutex.h>
#include <asm/errno.h>

struct object
{
        struct list_head list;
        int id;
        char name[32];
        int popularity;
};

/* Protects the cache, cache_num, and the objects within it */
static DEFINE_MUTEX(cache_lock);
static LIST_HEAD(cache);
static unsigned int cache_num = 0;
#define MAX_CACHE_SIZE 10

/* Must be holding cache_lock */
static struct object *__cache_find(int id)
{
        struct object *i;

        list_for_each_entry(i, &cache, list)
                if (i->id == id) {
                        i->popularity++;
                        return i;
                }
        return NULL;
}

/* Must be holding cache_lock */
static void __cache_delete(struct object *obj)
{
        BUG_ON(!obj);
        list_del(&obj->list);
        kfree(obj);
        cache_num--;
}

/* Must be holding cache_lock */
static void __cache_add(struct object *obj)
{
        list_add(&obj->list, &cache);
        if (++cache_num > MAX_CACHE_SIZE) {
                struct object *i, *outcast = NULL;
                list_for_each_entry(i, &cache, list) {
                        if (!outcast || i->popularity < outcast->popularity)
                                outcast = i;
                }
                __cache_delete(outcast);
        }
}

int cache_add(int id, const char *name)
{
        struct object *obj;

        if ((obj = kmalloc(sizeof(*obj), GFP_KERNEL)) == NULL)
                return -ENOMEM;

        strscpy(obj->name, name, sizeof(obj->name));
        obj->id = id;
        obj->popularity = 0;

        mutex_lock(&cache_lock);
        __cache_add(obj);
        mutex_unlock(&cache_lock);
        return 0;
}

void cache_delete(int id)
{
        mutex_lock(&cache_lock);
        __cache_delete(__cache_find(id));
        mutex_unlock(&cache_lock);
}

int cache_find(int id, char *name)
{
        struct object *obj;
        int ret = -ENOENT;

        mutex_lock(&cache_lock);
        obj = __cache_find(id);
        if (obj) {
                ret = 0;
                strcpy(name, obj->name);
        }
        mutex_unlock(&cache_lock);
        return ret;
}
/* ---- end of the documentation's code ---- */

#define OPS 3000
#define IDS 16

static atomic_t bad, left;
static DECLARE_COMPLETION(all_done);

/* The cache's own invariants, checked under its lock. */
static bool cache_consistent(void)
{
	struct object *i;
	unsigned int n = 0;

	list_for_each_entry(i, &cache, list)
		n++;
	return n == cache_num && cache_num <= MAX_CACHE_SIZE;
}

static int user(void *arg)
{
	char name[32], want[32];

	(void)arg;
	for (int op = 0; op < OPS; op++) {
		int id = (int)get_random_u32_below(IDS);
		snprintf(want, sizeof(want), "object-%d", id);
		switch (get_random_u32_below(3)) {
		case 0:
			cache_add(id, want);
			break;
		case 1:
			if (cache_find(id, name) == 0 && strcmp(name, want) != 0)
				atomic_inc(&bad);
			break;
		default:
			/* cache_delete() of an id not cached is a BUG_ON
			 * in the guide's code: delete only what we find. */
			mutex_lock(&cache_lock);
			struct object *o = __cache_find(id);
			if (o)
				__cache_delete(o);
			mutex_unlock(&cache_lock);
			break;
		}
		mutex_lock(&cache_lock);
		if (!cache_consistent())
			atomic_inc(&bad);
		mutex_unlock(&cache_lock);
	}
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init locking_cache_init(void)
{
	int threads = 2 * num_online_cpus();

	atomic_set(&bad, 0);
	atomic_set(&left, threads);
	reinit_completion(&all_done);
	for (int i = 0; i < threads; i++)
		if (IS_ERR(kthread_run(user, NULL, "cache%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	pr_info("locking_cache: %d threads x %d operations, %u cached, %d violations\n",
		threads, OPS, cache_num, atomic_read(&bad));
	return atomic_read(&bad) ? -EINVAL : 0;
}

/* Empty the cache: the loading test checks nothing leaked. */
static void __exit locking_cache_exit(void)
{
	mutex_lock(&cache_lock);
	while (!list_empty(&cache))
		__cache_delete(list_first_entry(&cache, struct object, list));
	mutex_unlock(&cache_lock);
}

module_init(locking_cache_init);
module_exit(locking_cache_exit);
MODULE_LICENSE("GPL");
