/*
 * llist.h - lock-less singly linked lists (Linux's <linux/llist.h>).
 *
 *   LLIST_HEAD(pending);
 *   producers, any context, any CPU:   llist_add(&item->node, &pending);
 *   the consumer takes them all:       struct llist_node *n = llist_del_all(&pending);
 *                                      llist_for_each_entry_safe(item, tmp, n, node) ...
 *
 * Algorithm: the list is a stack whose head is swapped with cmpxchg. A
 * producer points its node at the head it saw and installs itself if the
 * head is still that one (else retries with the new head). The consumer
 * swaps the head for NULL (xchg) and owns the whole chain it got.
 *
 * Contract (Linux's):
 *  - llist_add()/llist_add_batch(): any number at once, any context
 *    (interrupts included); never sleep. They return true if the list was
 *    empty before: the one producer that must kick the consumer.
 *  - llist_del_all(): any number at once, with any adds.
 *  - llist_del_first(): only ONE caller at a time (a lock among them),
 *    though adds may run alongside: two at once can hit ABA - A read as
 *    head with A->next = B, B taken and freed by the other, A re-added,
 *    and the cmpxchg installs freed B.
 *  - Entries come out newest first; llist_reverse_order() gives the
 *    order of adding.
 *  - Full barrier on each add and delete (cmpxchg/xchg): a consumer sees
 *    everything written to an item before it was added.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/list.h"
#include "sync/atomic.h"

struct llist_node {
	struct llist_node *next;
};

struct llist_head {
	struct llist_node *first;
};

#define LLIST_HEAD_INIT(name) { NULL }
#define LLIST_HEAD(name) struct llist_head name = LLIST_HEAD_INIT(name)

static inline void init_llist_head(struct llist_head *list)
{
	list->first = NULL;
}

#define llist_entry(ptr, type, member) container_of(ptr, type, member)
#define member_address_is_nonnull(ptr, member) \
	((uintptr_t)(ptr) + offsetof(__typeof__(*(ptr)), member) != 0)

#define llist_for_each(pos, node) \
	for ((pos) = (node); (pos); (pos) = (pos)->next)
#define llist_for_each_safe(pos, n, node) \
	for ((pos) = (node); (pos) && ((n) = (pos)->next, true); (pos) = (n))
#define llist_for_each_entry(pos, node, member)                              \
	for ((pos) = llist_entry((node), __typeof__(*(pos)), member);          \
	     member_address_is_nonnull(pos, member);                           \
	     (pos) = llist_entry((pos)->member.next, __typeof__(*(pos)), member))
#define llist_for_each_entry_safe(pos, n, node, member)                      \
	for ((pos) = llist_entry((node), __typeof__(*(pos)), member);          \
	     member_address_is_nonnull(pos, member) &&                         \
	     ((n) = llist_entry((pos)->member.next, __typeof__(*(n)), member), true); \
	     (pos) = (n))

static inline bool llist_empty(const struct llist_head *head)
{
	return READ_ONCE(head->first) == NULL;
}

static inline struct llist_node *llist_next(struct llist_node *node)
{
	return node->next;
}

/* Add the chain new_first..new_last (already linked) in one step. */
static inline bool llist_add_batch(struct llist_node *new_first, struct llist_node *new_last,
				   struct llist_head *head)
{
	struct llist_node *first = READ_ONCE(head->first);

	do {
		new_last->next = first;
	} while (!try_cmpxchg(&head->first, &first, new_first));
	return first == NULL;
}

static inline bool llist_add(struct llist_node *new, struct llist_head *head)
{
	return llist_add_batch(new, new, head);
}

/* The non-atomic forms: only where nothing else touches the list. */
static inline bool __llist_add(struct llist_node *new, struct llist_head *head)
{
	new->next = head->first;
	head->first = new;
	return new->next == NULL;
}

static inline struct llist_node *llist_del_all(struct llist_head *head)
{
	return xchg(&head->first, NULL);
}

static inline struct llist_node *__llist_del_all(struct llist_head *head)
{
	struct llist_node *first = head->first;

	head->first = NULL;
	return first;
}

/* One caller at a time (see the contract); NULL if empty. */
static inline struct llist_node *llist_del_first(struct llist_head *head)
{
	struct llist_node *entry = READ_ONCE(head->first), *next;

	do {
		if (entry == NULL)
			return NULL;
		next = READ_ONCE(entry->next);
	} while (!try_cmpxchg(&head->first, &entry, next));
	return entry;
}

/* Reverse a chain taken with llist_del_all(): oldest first. */
static inline struct llist_node *llist_reverse_order(struct llist_node *head)
{
	struct llist_node *new_head = NULL;

	while (head) {
		struct llist_node *tmp = head;

		head = head->next;
		tmp->next = new_head;
		new_head = tmp;
	}
	return new_head;
}
