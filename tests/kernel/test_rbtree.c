/*
 * test_rbtree.c - red-black trees (kernel/rbtree.h), against a reference.
 *
 * Seeded random inserts and erases, with the whole tree checked after
 * every step while it is small and every few hundred steps when large:
 * the root is black, no red node has a red child, every path down has
 * the same number of blacks, parent links match child links, the
 * in-order walk is sorted and holds exactly the reference's keys. Then
 * each part of the API against the same reference: rb_next/rb_prev both
 * ways, postorder (each node once, children first, freeing allowed), the
 * cached leftmost, rb_add/rb_find/rb_find_first/rb_find_add/rb_for_each
 * with duplicates, rb_replace_node.
 *
 * The colour is read from bit 0 of __rb_parent_color (black = 1), the
 * layout kernel/rbtree.h documents.
 */
#include "tests/ktest.h"
#include "kernel/rbtree.h"
#include "kernel/mm.h"
#include "kernel/string.h"

struct tnode {
	struct rb_node rb;
	int key;
	int visits;
};

#define tnode_of(n) rb_entry(n, struct tnode, rb)

static bool node_black(const struct rb_node *n)
{
	return !n || (n->__rb_parent_color & 1);
}

/* ---- the checker ---- */

struct rb_check {
	const char *why;		/* first breach, NULL if none */
	int count;
	const struct tnode *prev;	/* in-order predecessor so far */
};

/* Checks the subtree under n (whose parent must be `parent`); returns
 * its black height, or -1 after setting c->why. */
static int check_subtree(const struct rb_node *n, const struct rb_node *parent,
			 struct rb_check *c)
{
	int lh, rh;

	if (!n)
		return 1;
	if (rb_parent(n) != parent)
		return c->why = "parent link does not match child link", -1;
	if (!node_black(n) && (!node_black(n->rb_left) || !node_black(n->rb_right)))
		return c->why = "red node with a red child", -1;
	lh = check_subtree(n->rb_left, n, c);
	if (lh < 0)
		return -1;
	if (c->prev && c->prev->key > tnode_of(n)->key)
		return c->why = "in-order walk not sorted", -1;
	c->prev = tnode_of(n);
	c->count++;
	rh = check_subtree(n->rb_right, n, c);
	if (rh < 0)
		return -1;
	if (lh != rh)
		return c->why = "paths with different black heights", -1;
	return lh + node_black(n);
}

/* NULL if root is a valid red-black tree of `count` nodes. */
static const char *rb_check_tree(const struct rb_root *root, int count)
{
	struct rb_check c = { 0 };

	if (root->rb_node && !node_black(root->rb_node))
		return "red root";
	if (check_subtree(root->rb_node, NULL, &c) < 0)
		return c.why;
	if (c.count != count)
		return "node count differs from the reference";
	return NULL;
}

/* NULL if the in-order walk holds exactly the keys k with in[k]. */
static const char *rb_check_keys(const struct rb_root *root, const bool *in, int nkeys)
{
	struct rb_node *n = rb_first(root);

	for (int k = 0; k < nkeys; k++) {
		if (!in[k])
			continue;
		if (!n || tnode_of(n)->key != k)
			return "in-order walk differs from the reference";
		n = rb_next(n);
	}
	return n ? "in-order walk has keys the reference lacks" : NULL;
}

/* ---- the walks of kernel/rbtree.h's callbacks ---- */

static bool tnode_less(struct rb_node *a, const struct rb_node *b)
{
	return tnode_of(a)->key < tnode_of(b)->key;
}

static int tnode_cmp(const void *key, const struct rb_node *b)
{
	int k = *(const int *)key, bk = tnode_of(b)->key;

	return k < bk ? -1 : k > bk;
}

static int tnode_cmp_nodes(struct rb_node *a, const struct rb_node *b)
{
	return tnode_cmp(&tnode_of(a)->key, b);
}

/* The documentation's way: walk down to the link, hang, recolour. */
static void insert_by_hand(struct rb_root *root, struct tnode *t)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (t->key < tnode_of(parent)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&t->rb, parent, link);
	rb_insert_color(&t->rb, root);
}

/* ---- random inserts and erases ---- */

/* pool[k] is the node of key k; in[k] says whether it is in the tree.
 * Each step toggles a random key: an insert or an erase. */
struct rb_run {
	struct rb_root root;
	struct tnode *pool;
	bool *in;
	int nkeys, count;
	uint64_t seed;
};

static bool rb_run_init(struct rb_run *r, int nkeys, uint64_t seed)
{
	r->root = RB_ROOT;
	r->nkeys = nkeys;
	r->count = 0;
	r->seed = seed;
	r->pool = kcalloc(nkeys, sizeof(*r->pool), GFP_KERNEL);
	r->in = kcalloc(nkeys, sizeof(*r->in), GFP_KERNEL);
	for (int k = 0; r->pool && k < nkeys; k++)
		r->pool[k].key = k;
	return r->pool && r->in;
}

static void rb_run_free(struct rb_run *r)
{
	kfree(r->pool);
	kfree(r->in);
}

/* One step; with_add: insert through rb_add(), else by hand. */
static void rb_run_step(struct rb_run *r, bool with_add)
{
	int k = (int)(ktest_rand(&r->seed) % (uint64_t)r->nkeys);

	if (r->in[k]) {
		rb_erase(&r->pool[k].rb, &r->root);
		r->count--;
	} else if (with_add) {
		rb_add(&r->pool[k].rb, &r->root, tnode_less);
		r->count++;
	} else {
		insert_by_hand(&r->root, &r->pool[k]);
		r->count++;
	}
	r->in[k] = !r->in[k];
}

static const char *rb_run_check(struct rb_run *r)
{
	const char *why = rb_check_tree(&r->root, r->count);

	return why ? why : rb_check_keys(&r->root, r->in, r->nkeys);
}

/* Small trees (up to 64 keys, about half in), checked after every step;
 * then emptied, checked after every erase. */
KTEST(rbtree, small_trees_keep_invariants_every_step)
{
	struct rb_run r;
	const char *why;

	for (int round = 0; round < 8; round++) {
		int nkeys = 4 << (round % 5);	/* 4 .. 64 */

		KASSERT(rb_run_init(&r, nkeys, 0x5eed0000 + round));
		for (int step = 0; step < 1500; step++) {
			rb_run_step(&r, step & 1);
			why = rb_run_check(&r);
			if (why) {
				rb_run_free(&r);
				KTEST_FAIL("%s (round %d, step %d, %d nodes)", why, round, step, r.count);
				return;
			}
		}
		for (int k = 0; k < nkeys && !why; k++) {
			if (!r.in[k])
				continue;
			rb_erase(&r.pool[k].rb, &r.root);
			r.in[k] = false;
			r.count--;
			why = rb_run_check(&r);
		}
		rb_run_free(&r);
		KASSERT_MSG(!why, "%s while emptying (round %d)", why, round);
		KASSERT(RB_EMPTY_ROOT(&r.root));
	}
}

/* A large tree (8192 keys, thousands in): grown, churned and shrunk,
 * checked after every step while under 512 nodes, else every 256 steps;
 * each step also looks up a random key with rb_find(), which must agree
 * with the reference. */
KTEST(rbtree, large_tree_random_churn_matches_reference)
{
	struct rb_run r;
	const char *why = NULL;
	int steps = 40000, probe, bad_find = 0;
	uint64_t pseed = 7;

	KASSERT(rb_run_init(&r, 8192, 0xb16b00b5));
	for (int step = 0; step < steps && !why; step++) {
		rb_run_step(&r, step % 3 == 0);
		probe = (int)(ktest_rand(&pseed) % 8192);
		if ((rb_find(&probe, &r.root, tnode_cmp) != NULL) != r.in[probe])
			bad_find++;
		if (r.count < 512 || step % 256 == 255 || step == steps - 1)
			why = rb_run_check(&r);
	}
	/* Grow it to every key, then erase all in a scrambled order (an odd
	 * stride visits each of the 8192 keys once). */
	for (int k = 0; k < 8192 && !why; k++)
		if (!r.in[k]) {
			insert_by_hand(&r.root, &r.pool[k]);
			r.in[k] = true;
			r.count++;
		}
	if (!why)
		why = rb_run_check(&r);
	for (int i = 0; i < 8192 && !why; i++) {
		int k = (i * 4099 + 17) % 8192;

		rb_erase(&r.pool[k].rb, &r.root);
		r.in[k] = false;
		r.count--;
		if (i % 1024 == 1023 || r.count < 512)
			why = rb_run_check(&r);
	}
	rb_run_free(&r);
	KASSERT_MSG(!why, "%s", why);
	KASSERT_EQ(bad_find, 0);
	KASSERT(RB_EMPTY_ROOT(&r.root));
}

/* ---- walks ---- */

/* n nodes with keys 0..n-1 in a shuffled insertion order. */
static struct tnode *build_shuffled(struct rb_root *root, int n, uint64_t seed)
{
	struct tnode *t = kcalloc(n, sizeof(*t), GFP_KERNEL);
	int *order = kcalloc(n, sizeof(*order), GFP_KERNEL);

	if (!t || !order) {
		kfree(t);
		kfree(order);
		return NULL;
	}
	for (int i = 0; i < n; i++)
		order[i] = i;
	for (int i = n - 1; i > 0; i--) {
		int j = (int)(ktest_rand(&seed) % (uint64_t)(i + 1)), x = order[i];

		order[i] = order[j];
		order[j] = x;
	}
	*root = RB_ROOT;
	for (int i = 0; i < n; i++) {
		t[order[i]].key = order[i];
		rb_add(&t[order[i]].rb, root, tnode_less);
	}
	kfree(order);
	return t;
}

KTEST(rbtree, next_and_prev_walk_both_ways)
{
	struct rb_root root = RB_ROOT;
	struct rb_node *n;
	struct tnode *t, lone;
	int i, n_nodes = 3000;

	KASSERT(RB_EMPTY_ROOT(&root));
	KASSERT(rb_first(&root) == NULL && rb_last(&root) == NULL);
	t = build_shuffled(&root, n_nodes, 42);
	KASSERT(t);
	for (i = 0, n = rb_first(&root); n; n = rb_next(n), i++)
		if (tnode_of(n)->key != i)
			break;
	KASSERT_EQ(i, n_nodes);
	for (i = n_nodes - 1, n = rb_last(&root); n; n = rb_prev(n), i--)
		if (tnode_of(n)->key != i)
			break;
	KASSERT_EQ(i, -1);
	KASSERT(rb_next(&t[n_nodes - 1].rb) == NULL);
	KASSERT(rb_prev(&t[0].rb) == NULL);
	KASSERT(rb_next(&t[0].rb) == &t[1].rb && rb_prev(&t[1].rb) == &t[0].rb);
	/* A cleared node is in no tree, and has no neighbours. */
	RB_CLEAR_NODE(&lone.rb);
	KASSERT(RB_EMPTY_NODE(&lone.rb));
	KASSERT(rb_next(&lone.rb) == NULL && rb_prev(&lone.rb) == NULL);
	KASSERT(!RB_EMPTY_NODE(&t[5].rb));
	rb_erase(&t[5].rb, &root);
	RB_CLEAR_NODE(&t[5].rb);
	KASSERT(RB_EMPTY_NODE(&t[5].rb));
	KASSERT(rb_next(&t[4].rb) == &t[6].rb);
	kfree(t);
}

/* Each node once, both children before their parent; then the _safe walk
 * frees every node (a use after free would show in the heap's count or
 * fault) and leaves the heap as it found it. */
KTEST(rbtree, postorder_visits_each_once_children_first_and_frees)
{
	struct rb_root root = RB_ROOT;
	struct tnode *pos, *tmp;
	struct rb_node *n;
	struct kmalloc_stats before, after;
	uint64_t seed = 99;
	int visited = 0, freed = 0, nodes = 2000;

	KASSERT(rb_first_postorder(&root) == NULL);
	KASSERT(rb_next_postorder(NULL) == NULL);
	rbtree_postorder_for_each_entry_safe(pos, tmp, &root, rb)
		visited++;
	KASSERT_EQ(visited, 0);

	ktest_quiesce();
	kmalloc_get_stats(&before);
	for (int i = 0; i < nodes; i++) {
		struct tnode *t = kzalloc(sizeof(*t), GFP_KERNEL);

		KASSERT(t);
		t->key = (int)(ktest_rand(&seed) % 500);	/* duplicates too */
		rb_add(&t->rb, &root, tnode_less);
	}
	for (n = rb_first_postorder(&root); n; n = rb_next_postorder(n)) {
		struct tnode *t = tnode_of(n);

		KASSERT_EQ(t->visits, 0);
		if (n->rb_left)
			KASSERT_EQ(tnode_of(n->rb_left)->visits, 1);
		if (n->rb_right)
			KASSERT_EQ(tnode_of(n->rb_right)->visits, 1);
		t->visits++;
		visited++;
	}
	KASSERT_EQ(visited, nodes);
	KASSERT(tnode_of(root.rb_node)->visits == 1);
	rbtree_postorder_for_each_entry_safe(pos, tmp, &root, rb) {
		memset(pos, 0x6b, sizeof(*pos));	/* poison, as freed memory */
		kfree(pos);
		freed++;
	}
	root = RB_ROOT;
	KASSERT_EQ(freed, nodes);
	ktest_quiesce();
	kmalloc_get_stats(&after);
	KASSERT_EQ(after.allocations, before.allocations);
}

/* ---- cached roots ---- */

/* rb_add_cached / rb_insert_color_cached / rb_erase_cached: after every
 * step rb_first_cached() is rb_first(), i.e. the minimum, and the return
 * values say when the leftmost changed. */
KTEST(rbtree, cached_leftmost_is_always_the_minimum)
{
	struct rb_root_cached root = RB_ROOT_CACHED;
	struct tnode *pool;
	bool *in;
	uint64_t seed = 0xcace;
	int nkeys = 512, count = 0;
	const char *why = NULL;

	KASSERT(rb_first_cached(&root) == NULL);
	pool = kcalloc(nkeys, sizeof(*pool), GFP_KERNEL);
	in = kcalloc(nkeys, sizeof(*in), GFP_KERNEL);
	KASSERT(pool && in);
	for (int step = 0; step < 6000 && !why; step++) {
		int k = (int)(ktest_rand(&seed) % (uint64_t)nkeys);
		struct rb_node *old_first = rb_first(&root.rb_root), *ret;
		bool new_min = !old_first || k < tnode_of(old_first)->key;

		pool[k].key = k;
		if (in[k]) {
			ret = rb_erase_cached(&pool[k].rb, &root);
			if (ret != (old_first == &pool[k].rb ? rb_first(&root.rb_root) : NULL))
				why = "rb_erase_cached returned the wrong node";
			count--;
		} else if (step & 1) {
			ret = rb_add_cached(&pool[k].rb, &root, tnode_less);
			if (ret != (new_min ? &pool[k].rb : NULL))
				why = "rb_add_cached: not node exactly when it is the new leftmost";
			count++;
		} else {
			/* By hand: leftmost as long as the walk never goes right. */
			struct rb_node **link = &root.rb_root.rb_node, *parent = NULL;
			bool leftmost = true;

			while (*link) {
				parent = *link;
				if (k < tnode_of(parent)->key) {
					link = &parent->rb_left;
				} else {
					link = &parent->rb_right;
					leftmost = false;
				}
			}
			rb_link_node(&pool[k].rb, parent, link);
			rb_insert_color_cached(&pool[k].rb, &root, leftmost);
			count++;
		}
		in[k] = !in[k];
		if (!why && rb_first_cached(&root) != rb_first(&root.rb_root))
			why = "rb_first_cached is not the minimum";
		if (!why)
			why = rb_check_tree(&root.rb_root, count);
		if (!why && step % 128 == 0)
			why = rb_check_keys(&root.rb_root, in, nkeys);
	}
	kfree(pool);
	kfree(in);
	KASSERT_MSG(!why, "%s", why);
}

/* ---- the callback helpers, with duplicate keys ---- */

/* Keys 0..63, several nodes each: rb_find finds one of them or NULL as
 * the reference count says, rb_find_first the earliest in order,
 * rb_for_each exactly the reference's number, rb_find_add inserts only
 * new keys. */
KTEST(rbtree, find_and_add_agree_with_reference)
{
	enum { NKEYS = 64, NNODES = 1500 };
	struct rb_root root = RB_ROOT, uniq = RB_ROOT;
	struct tnode *t = kcalloc(NNODES, sizeof(*t), GFP_KERNEL);
	int ref[NKEYS] = { 0 }, uniq_n = 0, inserted = 0, keys_in = 0;
	bool occurs[NKEYS] = { 0 };
	const char *why;
	uint64_t seed = 0xf1d;
	struct rb_node *n;

	KASSERT(t);
	/* Keys that are multiples of 5 are left out: rb_find must miss them. */
	for (int i = 0; i < NNODES; i++) {
		t[i].key = (int)(ktest_rand(&seed) % NKEYS);
		if (t[i].key % 5 == 0)
			continue;
		ref[t[i].key]++;
		rb_add(&t[i].rb, &root, tnode_less);
		inserted++;
	}
	why = rb_check_tree(&root, inserted);
	if (why) {
		kfree(t);
		KTEST_FAIL("%s", why);
		return;
	}
	for (int k = 0; k <= NKEYS; k++) {
		struct rb_node *f = rb_find(&k, &root, tnode_cmp);
		struct rb_node *first = rb_find_first(&k, &root, tnode_cmp);
		int seen = 0;

		if (k == NKEYS || !ref[k]) {
			KASSERT(f == NULL && first == NULL);
			continue;
		}
		KASSERT(f && tnode_of(f)->key == k);
		KASSERT(first && tnode_of(first)->key == k);
		n = rb_prev(first);
		KASSERT(!n || tnode_of(n)->key < k);	/* the earliest */
		rb_for_each(n, &k, &root, tnode_cmp) {
			KASSERT_EQ(tnode_of(n)->key, k);
			seen++;
		}
		KASSERT_EQ(seen, ref[k]);
	}
	/* rb_add put equal keys in insertion order: after its equals. */
	for (n = rb_first(&root); n && rb_next(n); n = rb_next(n))
		if (tnode_of(n)->key == tnode_of(rb_next(n))->key)
			KASSERT(tnode_of(n) < tnode_of(rb_next(n)));

	/* rb_find_add into a second tree, all nodes (the left-out keys too):
	 * the first node of each key goes in, later ones get that one back. */
	for (n = rb_first(&root); n && !why; ) {
		struct rb_node *next = rb_next(n);

		rb_erase(n, &root);
		n = next;
		why = rb_check_tree(&root, --inserted);
	}
	if (why) {
		kfree(t);
		KTEST_FAIL("%s (erasing in order, %d left)", why, inserted);
		return;
	}
	KASSERT(RB_EMPTY_ROOT(&root));
	for (int i = 0; i < NNODES; i++) {
		keys_in += !occurs[t[i].key];
		occurs[t[i].key] = true;
	}
	for (int i = 0; i < NNODES; i++) {
		struct rb_node *dup = rb_find_add(&t[i].rb, &uniq, tnode_cmp_nodes);
		struct rb_node *first = rb_find_first(&t[i].key, &uniq, tnode_cmp);

		if (dup) {
			KASSERT(first == dup && tnode_of(dup)->key == t[i].key);
			KASSERT(tnode_of(dup) < &t[i]);
		} else {
			KASSERT(first == &t[i].rb);
			uniq_n++;
		}
	}
	why = rb_check_tree(&uniq, uniq_n);
	kfree(t);
	KASSERT_MSG(!why, "%s", why);
	KASSERT_EQ(uniq_n, keys_in);		/* one node per distinct key */
}

/* rb_replace_node: the new node takes the old one's place and colour; the
 * tree is still valid and finds the new one. Also through a cached root. */
KTEST(rbtree, replace_node_keeps_the_tree)
{
	struct rb_root root = RB_ROOT;
	struct rb_root_cached croot = RB_ROOT_CACHED;
	struct tnode *t = build_shuffled(&root, 200, 5), repl[3];
	int keys[3] = { 0, 100, 199 };
	const char *why;

	KASSERT(t);
	for (int i = 0; i < 3; i++) {
		repl[i].key = keys[i];
		rb_replace_node(&t[keys[i]].rb, &repl[i].rb, &root);
		KASSERT(rb_find(&keys[i], &root, tnode_cmp) == &repl[i].rb);
	}
	why = rb_check_tree(&root, 200);
	KASSERT_MSG(!why, "%s", why);
	KASSERT(rb_first(&root) == &repl[0].rb && rb_last(&root) == &repl[2].rb);
	/* The replaced root. */
	{
		struct tnode *old = tnode_of(root.rb_node), nr = { .key = old->key };

		rb_replace_node(&old->rb, &nr.rb, &root);
		KASSERT(root.rb_node == &nr.rb);
		why = rb_check_tree(&root, 200);
		KASSERT_MSG(!why, "%s", why);
		rb_replace_node(&nr.rb, &old->rb, &root);	/* before nr goes */
	}
	kfree(t);		/* the tree goes with it: nothing else points there */

	/* A cached root: replacing the leftmost moves the cache. */
	t = kcalloc(10, sizeof(*t), GFP_KERNEL);
	KASSERT(t);
	for (int k = 0; k < 10; k++) {
		t[k].key = k;
		rb_add_cached(&t[k].rb, &croot, tnode_less);
	}
	repl[0].key = 0;
	rb_replace_node_cached(&t[0].rb, &repl[0].rb, &croot);
	KASSERT(rb_first_cached(&croot) == &repl[0].rb);
	why = rb_check_tree(&croot.rb_root, 10);
	kfree(t);
	KASSERT_MSG(!why, "%s", why);
}
