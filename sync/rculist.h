/*
 * rculist.h - lists that readers walk under rcu_read_lock() while a
 * writer changes them (kernel/list.h's struct list_head, Linux's names).
 *
 *   reader:  rcu_read_lock();
 *            list_for_each_entry_rcu(pos, &head, member) use(pos);
 *            rcu_read_unlock();
 *   writer:  spin_lock(&lock);
 *            list_add_rcu(&n->member, &head);       or
 *            list_del_rcu(&old->member);
 *            spin_unlock(&lock);
 *            call_rcu(&old->rcu, free_old);         or synchronize_rcu(); kfree(old);
 *
 * Contract:
 *  - Writers are serialized by their own lock; these functions only make
 *    each change safe for concurrent *readers*.
 *  - Readers go forwards only (->next). A reader may or may not see an
 *    element added or removed during its walk, but it always sees every
 *    element that stays on the list the whole time, sees each element
 *    fully initialized, and never steps onto freed memory - provided the
 *    writer frees removed elements only after a grace period.
 *  - list_add_rcu publishes with rcu_assign_pointer: the new element's
 *    contents and its ->next are visible before the pointer to it.
 *  - list_del_rcu leaves the removed element's ->next alone (a reader
 *    standing on it must be able to go on) and poisons ->prev. Never use
 *    list_del()/list_del_init() on an RCU list: they point ->next back at
 *    the element itself, and a reader standing on it loops forever.
 *  - A removed element may not be added again before a grace period.
 */
#pragma once
#include "kernel/list.h"
#include "sync/rcu.h"

/* Non-canonical address: following it faults at once. */
#define LIST_POISON2 ((struct list_head *)0xdead000000000122UL)

static inline void __list_add_rcu(struct list_head *n, struct list_head *prev,
				  struct list_head *next)
{
	n->next = next;
	n->prev = prev;
	rcu_assign_pointer(prev->next, n);	/* publish: readers can reach n */
	next->prev = n;				/* writers only */
}

/* Insert n after head (at the front). */
static inline void list_add_rcu(struct list_head *n, struct list_head *head)
{
	__list_add_rcu(n, head, head->next);
}

/* Insert n before head (at the end). */
static inline void list_add_tail_rcu(struct list_head *n, struct list_head *head)
{
	__list_add_rcu(n, head->prev, head);
}

static inline void list_del_rcu(struct list_head *e)
{
	e->next->prev = e->prev;
	WRITE_ONCE(e->prev->next, e->next);	/* readers now skip e */
	e->prev = LIST_POISON2;			/* e->next stays for readers on e */
}

/* Put n where old was, in one step for readers. */
static inline void list_replace_rcu(struct list_head *old, struct list_head *n)
{
	n->next = old->next;
	n->prev = old->prev;
	rcu_assign_pointer(n->prev->next, n);
	n->next->prev = n;
	old->prev = LIST_POISON2;
}

#define list_entry_rcu(ptr, type, member) \
	container_of(rcu_dereference(ptr), type, member)

#define list_first_or_null_rcu(head, type, member)                        \
	({                                                                \
		struct list_head *h__ = (head);                           \
		struct list_head *n__ = rcu_dereference(h__->next);       \
		n__ != h__ ? container_of(n__, type, member) : NULL;      \
	})

/* Inside rcu_read_lock(), or with the writers' lock held: then say so
 * with the optional last argument (a lockdep_is_held() say), as Linux. */
#define list_for_each_entry_rcu(pos, head, member, cond...)               \
	for (pos = list_entry_rcu((head)->next, __typeof__(*pos), member);\
	     &pos->member != (head);                                      \
	     pos = list_entry_rcu(pos->member.next, __typeof__(*pos), member))

/* ---- hlists (hash chains) ---- */

static inline void hlist_add_head_rcu(struct hlist_node *n, struct hlist_head *h)
{
	struct hlist_node *first = h->first;

	n->next = first;
	n->pprev = &h->first;
	rcu_assign_pointer(h->first, n);	/* n complete before visible */
	if (first)
		first->pprev = &n->next;
}

/* Unlink; readers on n may still follow n->next, so it stays. */
static inline void hlist_del_rcu(struct hlist_node *n)
{
	__hlist_del(n);
	n->pprev = (struct hlist_node **)0xdead000000000122UL;
}

static inline void hlist_del_init_rcu(struct hlist_node *n)
{
	if (!hlist_unhashed(n)) {
		__hlist_del(n);
		n->pprev = NULL;
	}
}

#define hlist_first_rcu(head) (*((struct hlist_node **)&(head)->first))
#define hlist_next_rcu(node)  (*((struct hlist_node **)&(node)->next))
#define hlist_for_each_entry_rcu(pos, head, member, cond...)              \
	for (pos = hlist_entry_safe(rcu_dereference(hlist_first_rcu(head)), \
				    __typeof__(*(pos)), member);          \
	     pos;                                                         \
	     pos = hlist_entry_safe(rcu_dereference(hlist_next_rcu(&(pos)->member)), \
				    __typeof__(*(pos)), member))
