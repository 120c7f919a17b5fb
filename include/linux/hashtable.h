/*
 * <linux/hashtable.h> - fixed-size hash tables of hlists (Linux's):
 *
 *   DEFINE_HASHTABLE(names, 4);            16 buckets
 *   hash_add(names, &obj->node, obj->key);
 *   hash_for_each_possible(names, obj, node, key)
 *           if (obj->key == key) ...
 *   hash_del(&obj->node);
 *
 * The table itself takes no lock: writers need one of their own (or the
 * _rcu forms, with readers under rcu_read_lock()), as in Linux.
 */
#pragma once
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/hash.h>
#include <linux/rculist.h>

#define DEFINE_HASHTABLE(name, bits) \
	struct hlist_head name[1 << (bits)] = { [0 ... ((1 << (bits)) - 1)] = HLIST_HEAD_INIT }
#define DECLARE_HASHTABLE(name, bits) struct hlist_head name[1 << (bits)]

#define HASH_SIZE(name) (ARRAY_SIZE(name))
#define HASH_BITS(name) ((unsigned int)__builtin_ctzl(HASH_SIZE(name)))
/* Small keys with hash_32, larger with hash_long, as Linux's hash_min. */
#define hash_min(val, bits) \
	(sizeof(val) <= 4 ? hash_32((u32)(val), (bits)) : hash_long((val), (bits)))

static inline void __hash_init(struct hlist_head *ht, unsigned int sz)
{
	for (unsigned int i = 0; i < sz; i++)
		INIT_HLIST_HEAD(&ht[i]);
}
#define hash_init(table) __hash_init(table, HASH_SIZE(table))

#define hash_add(table, node, key) \
	hlist_add_head(node, &table[hash_min(key, HASH_BITS(table))])
#define hash_add_rcu(table, node, key) \
	hlist_add_head_rcu(node, &table[hash_min(key, HASH_BITS(table))])

static inline bool hash_hashed(struct hlist_node *node)
{
	return !hlist_unhashed(node);
}

static inline bool __hash_empty(struct hlist_head *ht, unsigned int sz)
{
	for (unsigned int i = 0; i < sz; i++)
		if (!hlist_empty(&ht[i]))
			return false;
	return true;
}
#define hash_empty(table) __hash_empty(table, HASH_SIZE(table))

static inline void hash_del(struct hlist_node *node)
{
	hlist_del_init(node);
}

static inline void hash_del_rcu(struct hlist_node *node)
{
	hlist_del_init_rcu(node);
}

#define hash_for_each(name, bkt, obj, member)                               \
	for ((bkt) = 0; (bkt) < HASH_SIZE(name); (bkt)++)                   \
		hlist_for_each_entry(obj, &name[bkt], member)
#define hash_for_each_safe(name, bkt, tmp, obj, member)                     \
	for ((bkt) = 0; (bkt) < HASH_SIZE(name); (bkt)++)                   \
		hlist_for_each_entry_safe(obj, tmp, &name[bkt], member)
#define hash_for_each_rcu(name, bkt, obj, member)                           \
	for ((bkt) = 0; (bkt) < HASH_SIZE(name); (bkt)++)                   \
		hlist_for_each_entry_rcu(obj, &name[bkt], member)
#define hash_for_each_possible(name, obj, member, key)                      \
	hlist_for_each_entry(obj, &name[hash_min(key, HASH_BITS(name))], member)
#define hash_for_each_possible_safe(name, obj, tmp, member, key)            \
	hlist_for_each_entry_safe(obj, tmp, &name[hash_min(key, HASH_BITS(name))], member)
#define hash_for_each_possible_rcu(name, obj, member, key, cond...)         \
	hlist_for_each_entry_rcu(obj, &name[hash_min(key, HASH_BITS(name))], member, ## cond)
