/*
 * rcu_hash.c - RCU-protected buckets of doubly linked lists.
 *
 * Readers walk a bucket with list_for_each_entry_rcu() inside
 * rcu_read_lock(): each `next` pointer they follow was published with a
 * release store (list_add_rcu), so the entry it leads to is fully built.
 * A writer that removes an entry unlinks it with list_del_rcu(), which
 * leaves the entry's own `next` intact, so a reader standing on it can
 * still walk on; the entry is freed by call_rcu() after a grace period,
 * when every reader that might stand on it has finished.
 */
#include "assignments/rcu_hash.h"
#include "sync/rculist.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "assignments/assignment.h"

void rcu_hash_init(struct rcu_hash *h)
{
	spin_lock_init(&h->lock);
	for (int i = 0; i < RCU_HASH_BUCKETS; i++)
		INIT_LIST_HEAD(&h->buckets[i]);
}

static struct list_head *bucket(struct rcu_hash *h, long key)
{
	return &h->buckets[(unsigned long)key % RCU_HASH_BUCKETS];
}

static void free_entry(struct rcu_head *head)
{
	struct rcu_hash_entry *e = container_of(head, struct rcu_hash_entry, rcu);

	e->magic = 0;		/* kfree poisons too; this makes it explicit */
	kfree(e);
}

bool rcu_hash_lookup(struct rcu_hash *h, long key, long *value)
{
	bool found = false;

	/* BEGIN SOLUTION */
	struct rcu_hash_entry *e;

	rcu_read_lock();
	list_for_each_entry_rcu(e, bucket(h, key), node) {
		if (e->key == key) {
			*value = e->value;	/* copy out before unlocking */
			found = true;
			break;
		}
	}
	rcu_read_unlock();
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("rcu_hash"); (void)h; (void)key; (void)value; (void)bucket; */
	return found;
}

int rcu_hash_insert(struct rcu_hash *h, long key, long value)
{
	/* BEGIN SOLUTION */
	struct rcu_hash_entry *e, *n = kzalloc(sizeof(*n), GFP_KERNEL);

	if (!n)
		return -ENOMEM;
	*n = (struct rcu_hash_entry){ .magic = RCU_HASH_ENTRY_MAGIC,
				      .key = key, .value = value };
	spin_lock(&h->lock);
	list_for_each_entry(e, bucket(h, key), node) {
		if (e->key == key) {
			spin_unlock(&h->lock);
			kfree(n);
			return -EEXIST;
		}
	}
	list_add_rcu(&n->node, bucket(h, key));	/* publishes n's contents */
	spin_unlock(&h->lock);
	return 0;
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("rcu_hash"); (void)h; (void)key; (void)value; (void)free_entry; return -ENOSYS; */
}

int rcu_hash_remove(struct rcu_hash *h, long key)
{
	/* BEGIN SOLUTION */
	struct rcu_hash_entry *e;

	spin_lock(&h->lock);
	list_for_each_entry(e, bucket(h, key), node) {
		if (e->key == key) {
			list_del_rcu(&e->node);
			spin_unlock(&h->lock);
			call_rcu(&e->rcu, free_entry);	/* not kfree: readers */
			return 0;
		}
	}
	spin_unlock(&h->lock);
	return -ENOENT;
	/* END SOLUTION */
	/* STUB: assignment_not_implemented("rcu_hash"); (void)h; (void)key; return -ENOSYS; */
}
