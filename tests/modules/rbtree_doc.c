// SPDX-License-Identifier: GPL-2.0
/*
 * rbtree_doc.c - the example of Linux's Documentation/core-api/rbtree.rst:
 * my_search() and my_insert() as the document writes them (between the
 * markers), and around them what the document describes in words:
 * insert, search, walk in order with rb_first()/rb_next(), erase and
 * free ("Removing or replacing existing data"), rb_replace_node().
 *
 * Invariant, checked through the public API only: every insert of a new
 * key returns TRUE and of a present key FALSE; my_search() finds each
 * present key and nothing else; the rb_first()/rb_next() walk is strictly
 * sorted and sees every element once; parent links match child links;
 * the height stays within 2 log2(n + 1) (what red-black balance
 * guarantees); after erasing everything the tree is empty. init returns
 * 0 only if all of that held.
 */
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/slab.h>
#include <linux/string.h>

static int nr_keys = 500;
module_param(nr_keys, int, 0444);
MODULE_PARM_DESC(nr_keys, "how many strings to put in the tree");

/* The document's code returns these, as C code of its time did. */
#define TRUE	1
#define FALSE	0

static struct rb_root mytree = RB_ROOT;

/* ---- from Documentation/core-api/rbtree.rst ---- */
struct mytype {
	struct rb_node node;
	char *keystring;
};

struct mytype *my_search(struct rb_root *root, char *string)
{
	struct rb_node *node = root->rb_node;

	while (node) {
		struct mytype *data = container_of(node, struct mytype, node);
		int result;

		result = strcmp(string, data->keystring);

		if (result < 0)
			node = node->rb_left;
		else if (result > 0)
			node = node->rb_right;
		else
			return data;
	}
	return NULL;
}

int my_insert(struct rb_root *root, struct mytype *data)
{
	struct rb_node **new = &(root->rb_node), *parent = NULL;

	/* Figure out where to put new node */
	while (*new) {
		struct mytype *this = container_of(*new, struct mytype, node);
		int result = strcmp(data->keystring, this->keystring);

		parent = *new;
		if (result < 0)
			new = &((*new)->rb_left);
		else if (result > 0)
			new = &((*new)->rb_right);
		else
			return FALSE;
	}

	/* Add new node and rebalance tree. */
	rb_link_node(&data->node, parent, new);
	rb_insert_color(&data->node, root);

	return TRUE;
}
/* ---- end ---- */

static struct mytype *my_alloc(const char *key)
{
	struct mytype *data = kzalloc(sizeof(*data), GFP_KERNEL);

	if (data)
		data->keystring = kstrdup(key, GFP_KERNEL);
	if (data && !data->keystring) {
		kfree(data);
		data = NULL;
	}
	return data;
}

static void myfree(struct mytype *data)
{
	kfree(data->keystring);
	kfree(data);
}

/* The i-th key: "key-NNNNN" in a scrambled order (7919 is prime). */
static void key_of(int i, char *buf, size_t len)
{
	snprintf(buf, len, "key-%05d", (int)((i * 7919L) % 100000));
}

/* Height of the subtree, or -1 if a parent link is wrong. */
static int height(struct rb_node *n, struct rb_node *parent)
{
	int l, r;

	if (!n)
		return 0;
	if (rb_parent(n) != parent)
		return -1;
	l = height(n->rb_left, n);
	r = height(n->rb_right, n);
	if (l < 0 || r < 0)
		return -1;
	return 1 + (l > r ? l : r);
}

/* The document's walk, checking order and counting. */
static int walk_sorted(struct rb_root *root)
{
	struct rb_node *node;
	const char *prev = NULL;
	int n = 0;

	for (node = rb_first(root); node; node = rb_next(node)) {
		const char *key = rb_entry(node, struct mytype, node)->keystring;

		if (n < 3)
			printk("key=%s\n", key);
		if (prev && strcmp(prev, key) >= 0)
			return -1;
		prev = key;
		n++;
	}
	return n;
}

static bool balanced(struct rb_root *root, int n)
{
	int h = height(root->rb_node, NULL), limit = 0;

	while ((1 << (limit / 2)) <= n)	/* limit = 2 * ceil(log2(n + 1)) */
		limit += 2;
	return h >= 0 && h <= limit;
}

/* Removing: the document's example, for "walrus" and then every key. */
static int remove_all(void)
{
	char key[16];
	int bad = 0;

	struct mytype *data = my_search(&mytree, "walrus");

	if (data) {
		rb_erase(&data->node, &mytree);
		myfree(data);
	}
	bad += my_search(&mytree, "walrus") != NULL;
	for (int i = 0; i < nr_keys; i++) {
		key_of(i, key, sizeof(key));
		data = my_search(&mytree, key);
		if (!data) {
			bad++;
			continue;
		}
		rb_erase(&data->node, &mytree);
		myfree(data);
		bad += my_search(&mytree, key) != NULL;
		if (i % 64 == 0 && !balanced(&mytree, nr_keys - i - 1))
			bad++;
	}
	return bad;
}

/* Replacing: a new element with the same key takes the old one's place. */
static int replace_one(const char *key)
{
	struct mytype *old = my_search(&mytree, (char *)key), *new = my_alloc(key);

	if (!old || !new) {
		if (new)
			myfree(new);
		return 1;
	}
	rb_replace_node(&old->node, &new->node, &mytree);
	myfree(old);
	return my_search(&mytree, (char *)key) != new;
}

static int __init rbtree_doc_init(void)
{
	struct mytype *data;
	char key[16];
	int bad = 0, walked;

	if (nr_keys < 1 || nr_keys > 100000)
		return -EINVAL;
	for (int i = 0; i < nr_keys; i++) {
		key_of(i, key, sizeof(key));
		data = my_alloc(key);
		if (!data)
			return -ENOMEM;
		if (my_insert(&mytree, data) != TRUE)
			bad++;
	}
	data = my_alloc("walrus");
	if (!data)
		return -ENOMEM;
	bad += my_insert(&mytree, data) != TRUE;
	data = my_alloc("walrus");		/* the same key again */
	if (!data)
		return -ENOMEM;
	bad += my_insert(&mytree, data) != FALSE;
	myfree(data);

	for (int i = 0; i < nr_keys; i++) {
		key_of(i, key, sizeof(key));
		data = my_search(&mytree, key);
		bad += !data || strcmp(data->keystring, key) != 0;
	}
	bad += my_search(&mytree, "aardvark") != NULL;
	bad += !balanced(&mytree, nr_keys + 1);
	key_of(nr_keys / 2, key, sizeof(key));
	bad += replace_one(key);
	walked = walk_sorted(&mytree);
	bad += walked != nr_keys + 1;
	bad += remove_all();
	pr_info("rbtree_doc: %d keys inserted, searched, walked (%d), erased; %d bad, empty after: %d\n",
		nr_keys + 1, walked, bad, RB_EMPTY_ROOT(&mytree));
	return bad == 0 && RB_EMPTY_ROOT(&mytree) ? 0 : -EINVAL;
}

static void __exit rbtree_doc_exit(void)
{
}

module_init(rbtree_doc_init);
module_exit(rbtree_doc_exit);
MODULE_LICENSE("GPL");
