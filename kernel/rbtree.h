/*
 * rbtree.h - red-black trees, as in Linux (<linux/rbtree.h>, Linux 6.1).
 *
 * A struct rb_node is embedded in each element (rb_entry() gets the
 * element back, like list_entry()). The library does not know the keys:
 * the caller walks down from root->rb_node comparing its own keys, finds
 * the link where the new node belongs, and then
 *
 *	rb_link_node(&e->node, parent, link);	hang it there, red
 *	rb_insert_color(&e->node, root);	rebalance
 *
 * rb_erase() unlinks a node and rebalances. rb_add()/rb_find() do the
 * walk for you with a less()/cmp() callback. Every operation is O(log n)
 * (rb_next/rb_prev: O(1) amortized over a full walk).
 *
 * The contract (Linux's):
 *  - No locking inside: the tree's owner serializes every writer against
 *    every other access, readers included (no lockless lookups here, and
 *    no _rcu variants).
 *  - Nothing here sleeps or allocates: callable in any context, with
 *    interrupts off or in an interrupt handler, under a spinlock.
 *  - Equal keys are allowed; rb_add() puts a new node after its equals.
 *  - rb_erase() leaves the erased node's own fields stale; RB_CLEAR_NODE()
 *    it if RB_EMPTY_NODE() is to mean "not in a tree".
 *  - rb_replace_node() does not re-sort: the new node must have the key
 *    of the old one.
 *
 * Augmented trees (<linux/rbtree_augmented.h>) are not provided.
 */
#pragma once
#include "kernel/compiler.h"

/*
 * The colour is packed into bit 0 of the parent pointer, as Linux does
 * (red 0, black 1). Why: nodes are at least 4-byte aligned, so the bit is
 * free, and keeping Linux's layout keeps Linux's meanings: an rb_node is
 * three words, rb_link_node() makes a red node by storing the bare parent
 * pointer, and RB_CLEAR_NODE() marks a node "in no tree" by making it its
 * own parent. Only rb_parent() reads the field outside kernel/rbtree.c.
 */
struct rb_node {
	unsigned long __rb_parent_color;
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __aligned(sizeof(long));

struct rb_root {
	struct rb_node *rb_node;
};

/* A root that also remembers its leftmost (smallest) node: rb_first_cached()
 * is O(1). Keep it up to date with the _cached insert/erase below. */
struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

#define RB_ROOT (struct rb_root) { NULL, }
#define RB_ROOT_CACHED (struct rb_root_cached) { {NULL, }, NULL }

#define rb_parent(r) ((struct rb_node *)((r)->__rb_parent_color & ~3UL))

#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member)                                  \
	({                                                                \
		__typeof__(ptr) ____ptr = (ptr);                          \
		____ptr ? rb_entry(____ptr, type, member) : NULL;         \
	})

#define RB_EMPTY_ROOT(root) (READ_ONCE((root)->rb_node) == NULL)
/* "Empty" nodes are known to be in no tree: their parent is themselves. */
#define RB_EMPTY_NODE(node) ((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node) ((node)->__rb_parent_color = (unsigned long)(node))

/* kernel/rbtree.c */
void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);
/* In-order neighbours; NULL past the end (and for an RB_EMPTY_NODE). */
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);
/* Postorder: children before their parent, so each node may be freed
 * once visited (rbtree_postorder_for_each_entry_safe). */
struct rb_node *rb_first_postorder(const struct rb_root *root);
struct rb_node *rb_next_postorder(const struct rb_node *node);
/* Put `new` where `victim` is, same colour, no rebalancing. */
void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root);

/* Hang a node, red and childless, at *rb_link under parent (NULL: root). */
static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

/* Postorder walk that tolerates freeing pos: n is fetched first. */
#define rbtree_postorder_for_each_entry_safe(pos, n, root, field)                      \
	for (pos = rb_entry_safe(rb_first_postorder(root), __typeof__(*pos), field);  \
	     pos && ({ n = rb_entry_safe(rb_next_postorder(&pos->field),              \
					 __typeof__(*pos), field); 1; });              \
	     pos = n)

/* ---- leftmost-cached trees ---- */

#define rb_first_cached(root) (root)->rb_leftmost

/* leftmost: the insertion walk never went right, so node is the new minimum. */
static inline void rb_insert_color_cached(struct rb_node *node,
					  struct rb_root_cached *root, bool leftmost)
{
	if (leftmost)
		root->rb_leftmost = node;
	rb_insert_color(node, &root->rb_root);
}

/* Returns the new leftmost node if node was the leftmost, else NULL. */
static inline struct rb_node *rb_erase_cached(struct rb_node *node,
					      struct rb_root_cached *root)
{
	struct rb_node *leftmost = NULL;

	if (root->rb_leftmost == node)
		leftmost = root->rb_leftmost = rb_next(node);
	rb_erase(node, &root->rb_root);
	return leftmost;
}

static inline void rb_replace_node_cached(struct rb_node *victim, struct rb_node *new,
					  struct rb_root_cached *root)
{
	if (root->rb_leftmost == victim)
		root->rb_leftmost = new;
	rb_replace_node(victim, new, &root->rb_root);
}

/*
 * ---- the walk done for you (Linux 5.12+) ----
 *
 * less(a, b): does node a sort before node b?
 * cmp(key, b): <0, 0, >0 as key sorts before, with, after node b.
 * They must agree: cmp(a's key, b) < 0 exactly when less(a, b).
 */

/* Insert after any equal nodes. Returns node if it is the new leftmost,
 * else NULL. */
static __always_inline struct rb_node *
rb_add_cached(struct rb_node *node, struct rb_root_cached *tree,
	      bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_root.rb_node, *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (less(node, parent)) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(node, parent, link);
	rb_insert_color_cached(node, tree, leftmost);
	return leftmost ? node : NULL;
}

/* Insert after any equal nodes. */
static __always_inline void
rb_add(struct rb_node *node, struct rb_root *tree,
       bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		link = less(node, parent) ? &parent->rb_left : &parent->rb_right;
	}
	rb_link_node(node, parent, link);
	rb_insert_color(node, tree);
}

/* Insert node unless an equal one is there: returns that one (node is
 * then not inserted), or NULL when node was inserted. */
static __always_inline struct rb_node *
rb_find_add(struct rb_node *node, struct rb_root *tree,
	    int (*cmp)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node, *parent = NULL;
	int c;

	while (*link) {
		parent = *link;
		c = cmp(node, parent);
		if (c < 0)
			link = &parent->rb_left;
		else if (c > 0)
			link = &parent->rb_right;
		else
			return parent;
	}
	rb_link_node(node, parent, link);
	rb_insert_color(node, tree);
	return NULL;
}

/* Some node matching key (any of its equals), or NULL. */
static __always_inline struct rb_node *
rb_find(const void *key, const struct rb_root *tree,
	int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *node = tree->rb_node;
	int c;

	while (node) {
		c = cmp(key, node);
		if (c < 0)
			node = node->rb_left;
		else if (c > 0)
			node = node->rb_right;
		else
			return node;
	}
	return NULL;
}

/* The first (leftmost) node matching key, or NULL. A match is remembered
 * and the walk goes on left: an earlier equal can only be there. */
static __always_inline struct rb_node *
rb_find_first(const void *key, const struct rb_root *tree,
	      int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *node = tree->rb_node, *match = NULL;
	int c;

	while (node) {
		c = cmp(key, node);
		if (c <= 0) {
			if (c == 0)
				match = node;
			node = node->rb_left;
		} else {
			node = node->rb_right;
		}
	}
	return match;
}

/* The node after node if it still matches key, else NULL. */
static __always_inline struct rb_node *
rb_next_match(const void *key, struct rb_node *node,
	      int (*cmp)(const void *key, const struct rb_node *))
{
	node = rb_next(node);
	if (node && cmp(key, node))
		node = NULL;
	return node;
}

/* Every node matching key, in order. */
#define rb_for_each(node, key, tree, cmp)                                 \
	for ((node) = rb_find_first((key), (tree), (cmp));                \
	     (node); (node) = rb_next_match((key), (node), (cmp)))
