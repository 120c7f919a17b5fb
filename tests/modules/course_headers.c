// SPDX-License-Identifier: GPL-2.0
/*
 * course_headers.c - headers course code includes that are not locks:
 * module_param() with S_IRUGO-style permissions (<linux/stat.h>, through
 * <linux/module.h> as in Linux) and a <linux/hashtable.h> table.
 *
 * Invariant: every key added is found exactly once, under its own bucket
 * (hash_for_each_possible), and the whole-table walk sees each object
 * once; after hash_del() of all, the table is empty and nothing leaked.
 */
#include <linux/module.h>
#include <linux/hashtable.h>
#include <linux/slab.h>

static int nr_objs = 200;
module_param(nr_objs, int, S_IRUGO | S_IWUSR);
MODULE_PARM_DESC(nr_objs, "how many objects to hash");

struct obj {
	int key;
	int seen;
	struct hlist_node node;
};

static DEFINE_HASHTABLE(objs, 5);

static int find_count(int key)
{
	struct obj *o;
	int n = 0;

	hash_for_each_possible(objs, o, node, key)
		if (o->key == key)
			n++;
	return n;
}

static int __init course_headers_init(void)
{
	struct obj *o;
	struct hlist_node *tmp;
	unsigned int bkt;
	int bad = 0, walked = 0, used_buckets = 0;

	hash_init(objs);
	for (int i = 0; i < nr_objs; i++) {
		o = kzalloc(sizeof(*o), GFP_KERNEL);
		if (!o)
			return -ENOMEM;
		o->key = i * 7919;		/* spread, not consecutive */
		hash_add(objs, &o->node, o->key);
	}
	for (int i = 0; i < nr_objs; i++)
		if (find_count(i * 7919) != 1)
			bad++;
	if (find_count(-1) != 0)
		bad++;
	hash_for_each(objs, bkt, o, node) {
		o->seen++;
		walked++;
	}
	for (bkt = 0; bkt < HASH_SIZE(objs); bkt++)
		used_buckets += !hlist_empty(&objs[bkt]);
	hash_for_each_safe(objs, bkt, tmp, o, node) {
		if (o->seen != 1)
			bad++;
		hash_del(&o->node);
		kfree(o);
	}
	pr_info("course_headers: %d objects in %d of %zu buckets, %d walked, %d bad, empty after: %d\n",
		nr_objs, used_buckets, HASH_SIZE(objs), walked, bad, hash_empty(objs));
	return bad == 0 && walked == nr_objs && hash_empty(objs) && used_buckets > 16 ? 0 : -EINVAL;
}

static void __exit course_headers_exit(void)
{
}

module_init(course_headers_init);
module_exit(course_headers_exit);
MODULE_LICENSE("GPL");
