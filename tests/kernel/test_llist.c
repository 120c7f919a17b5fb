/*
 * test_llist.c - lock-less lists (sync/llist.h), from every CPU at once.
 *
 * Every CPU but the consumer's adds numbered items; one consumer takes
 * them with llist_del_all() (half the time) or llist_del_first() (it is
 * the only one deleting, as the contract wants). Invariants: every item
 * comes out exactly once; within a llist_del_all() batch, reversed, each
 * producer's items are in the order it added them; and the adds that
 * returned "was empty" are exactly as many as the times the consumer
 * emptied the list - the rule a producer uses to kick its consumer.
 */
#include "tests/ktest.h"
#include "sync/llist.h"
#include "sync/atomic.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/string.h"
#include "sched/sched.h"

#define LL_ITEMS 4000			/* per producer */

struct ll_item {
	struct llist_node node;
	int producer, seq;
};

static LLIST_HEAD(ll_list);
static atomic_t ll_producers_left, ll_first_adds, ll_errors;
static long ll_seen, ll_emptied;
static unsigned char *ll_taken;		/* [producer * LL_ITEMS + seq] */

static void ll_take(struct ll_item *it, int *last_in_batch)
{
	unsigned char *t = &ll_taken[it->producer * LL_ITEMS + it->seq];

	if ((*t)++)
		atomic_inc(&ll_errors);		/* came out twice */
	if (last_in_batch) {
		if (it->seq <= last_in_batch[it->producer])
			atomic_inc(&ll_errors);	/* out of adding order */
		last_in_batch[it->producer] = it->seq;
	}
	ll_seen++;
	kfree(it);
}

/* Each time the consumer leaves the list empty, one add found it empty
 * afterwards (or none, at the end): ll_emptied counts those moments. */
static void ll_consume_once(bool all)
{
	static int last[NR_CPUS];
	struct llist_node *n;
	struct ll_item *it, *tmp;

	if (all) {
		n = llist_del_all(&ll_list);
		if (!n)
			return;
		ll_emptied++;
		for (int i = 0; i < NR_CPUS; i++)
			last[i] = -1;
		llist_for_each_entry_safe(it, tmp, llist_reverse_order(n), node)
			ll_take(it, last);
	} else {
		while ((n = llist_del_first(&ll_list)) != NULL) {
			if (n->next == NULL)
				ll_emptied++;		/* it took the last one */
			ll_take(llist_entry(n, struct ll_item, node), NULL);
		}
	}
}

static void ll_worker(int idx, void *arg)
{
	(void)arg;
	if (idx == 0) {
		for (bool all = true; atomic_read(&ll_producers_left) > 0; all = !all)
			ll_consume_once(all);
		ll_consume_once(true);	/* what the last adds left */
		return;
	}
	for (int s = 0; s < LL_ITEMS; s++) {
		struct ll_item *it = kmalloc(sizeof(*it), GFP_KERNEL);

		if (!it) {
			atomic_inc(&ll_errors);
			break;
		}
		it->producer = idx;
		it->seq = s;
		if (llist_add(&it->node, &ll_list))
			atomic_inc(&ll_first_adds);
		if ((s & 255) == 0)
			cond_resched();
	}
	atomic_dec(&ll_producers_left);
}

KTEST(llist, add_from_all_cpus_del_by_one_consumer)
{
	int n = num_online_cpus();

	if (n < 2)
		n = 2;			/* one producer beside the consumer */
	ll_taken = kzalloc(NR_CPUS * LL_ITEMS, GFP_KERNEL);
	KASSERT(ll_taken != NULL);
	ll_seen = ll_emptied = 0;
	atomic_set(&ll_first_adds, 0);
	atomic_set(&ll_errors, 0);
	atomic_set(&ll_producers_left, num_online_cpus() - 1);
	if (num_online_cpus() == 1) {
		atomic_set(&ll_producers_left, 1);
		ll_worker(1, NULL);	/* produce first, then consume */
		ll_worker(0, NULL);
	} else {
		KASSERT_EQ(ktest_run_on_all_cpus(ll_worker, NULL, true), num_online_cpus());
	}
	kfree(ll_taken);
	ktest_info("llist: %ld items from %d producers, the list emptied %ld times\n",
		   ll_seen, n - 1, ll_emptied);
	KASSERT(llist_empty(&ll_list));
	KASSERT_EQ(atomic_read(&ll_errors), 0);
	KASSERT_EQ(ll_seen, (long)(n - 1) * LL_ITEMS);
	KASSERT_EQ(atomic_read(&ll_first_adds), ll_emptied);
}

KTEST(llist, api_on_one_cpu)
{
	LLIST_HEAD(h);
	struct llist_node a, b, c, *n;
	int k = 0;

	KASSERT(llist_empty(&h));
	KASSERT(llist_add(&a, &h));		/* was empty */
	KASSERT(!llist_add(&b, &h));
	c.next = NULL;
	KASSERT(!llist_add_batch(&c, &c, &h));
	KASSERT(llist_del_first(&h) == &c);	/* newest first */
	n = llist_reverse_order(llist_del_all(&h));
	KASSERT(n == &a && n->next == &b && b.next == NULL);
	llist_for_each(n, &a)
		k++;
	KASSERT_EQ(k, 2);
	KASSERT(llist_del_all(&h) == NULL);
	KASSERT(llist_del_first(&h) == NULL);
}
