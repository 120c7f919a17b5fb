/*
 * rcu_hash.h - a hash table of long keys and values; lock-free lookups.
 * [Assignment: docs/assignments/05-rcu-hash.md]
 *
 * Contract:
 *  - rcu_hash_lookup() takes no lock and never sleeps: any context that may
 *    disable preemption, on any number of CPUs at once, concurrently with
 *    inserts and removals. It sees each key either before or after a
 *    concurrent update, never a half-built or freed entry.
 *  - rcu_hash_insert()/rcu_hash_remove() are serialized by the table's
 *    spinlock; they never sleep (freeing is deferred with call_rcu()).
 *  - An entry removed is freed only after a grace period: no reader that
 *    could have seen it is still running.
 */
#pragma once
#include "kernel/list.h"
#include "sync/rcu.h"
#include "sync/spinlock.h"

#define RCU_HASH_BUCKETS 64
#define RCU_HASH_ENTRY_MAGIC 0x68617368656e7472UL	/* "hashentr" */

struct rcu_hash_entry {
	uint64_t magic;			/* poisoned when freed: tests check it */
	long key, value;
	struct list_head node;
	struct rcu_head rcu;
};

struct rcu_hash {
	spinlock_t lock;		/* writers only */
	struct list_head buckets[RCU_HASH_BUCKETS];
};

void rcu_hash_init(struct rcu_hash *h);
bool rcu_hash_lookup(struct rcu_hash *h, long key, long *value);
int rcu_hash_insert(struct rcu_hash *h, long key, long value);	/* 0, -EEXIST, -ENOMEM */
int rcu_hash_remove(struct rcu_hash *h, long key);		/* 0, -ENOENT */
