/*
 * rbtree.c - red-black trees (see rbtree.h for the contract).
 *
 * The algorithm is the textbook one (Cormen et al., "Introduction to
 * Algorithms", ch. 13), with NULL for the black leaves instead of a
 * sentinel node. The invariants:
 *
 *   (1) the root is black;
 *   (2) a red node has no red child;
 *   (3) every path from a node down to a NULL leaf crosses the same
 *       number of black nodes (its "black height").
 *
 * Together they keep the longest path at most twice the shortest, so the
 * height is at most 2 log2(n + 1).
 *
 * Insert hangs a red leaf: (3) still holds, only (1) or (2) can break.
 * insert_fixup() repairs a red-red pair, recolouring upwards while the
 * uncle is red, and ends with at most two rotations.
 *
 * Erase unlinks a node with at most one child (a node with two trades
 * places with its successor first). Unlinking a black node leaves its
 * paths one black short; erase_fixup() gives them the black back,
 * recolouring upwards while the sibling's family is all black, and ends
 * with at most three rotations.
 *
 * Each case is written once, for a node on side `dir` of its parent; the
 * mirror image is the same code with the other `dir`.
 */
#include "kernel/rbtree.h"

#define RB_RED		0UL
#define RB_BLACK	1UL

enum { LEFT, RIGHT };

/* NULL leaves are black. */
static inline bool is_black(const struct rb_node *n)
{
	return !n || (n->__rb_parent_color & RB_BLACK);
}

static inline bool is_red(const struct rb_node *n)
{
	return !is_black(n);
}

static inline void set_colour(struct rb_node *n, unsigned long colour)
{
	n->__rb_parent_color = (n->__rb_parent_color & ~RB_BLACK) | colour;
}

static inline void set_black(struct rb_node *n)
{
	set_colour(n, RB_BLACK);
}

static inline void set_red(struct rb_node *n)
{
	set_colour(n, RB_RED);
}

/* Changes the parent, keeps the colour. */
static inline void set_parent(struct rb_node *n, struct rb_node *parent)
{
	n->__rb_parent_color = (n->__rb_parent_color & RB_BLACK) | (unsigned long)parent;
}

/* The link to n's child on side dir. */
static inline struct rb_node **child(struct rb_node *n, int dir)
{
	return dir == LEFT ? &n->rb_left : &n->rb_right;
}

/* Which side of its parent n is on. n may be NULL (an empty leaf) if its
 * sibling is not: the NULL side is then n's side. */
static inline int side_of(const struct rb_node *n, const struct rb_node *parent)
{
	return parent->rb_left == n ? LEFT : RIGHT;
}

/* Make whatever pointed to old (parent's link, or the root) point to new. */
static void change_child(struct rb_node *old, struct rb_node *new,
			 struct rb_node *parent, struct rb_root *root)
{
	if (!parent)
		root->rb_node = new;
	else
		*child(parent, side_of(old, parent)) = new;
}

/*
 * rotate(x, dir): x goes down on side dir; its child y on the other side
 * comes up in its place, and y's inner subtree m changes hands:
 *
 *        x                   y          (dir == LEFT)
 *       / \                 / \
 *      a   y      ==>      x   c
 *         / \             / \
 *        m   c           a   m
 *
 * In-order (a x m y c) is unchanged, so the tree stays sorted. Colours
 * do not move: the callers recolour so that (3) survives.
 */
static void rotate(struct rb_node *x, int dir, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(x);
	struct rb_node *y = *child(x, !dir);
	struct rb_node *m = *child(y, dir);

	*child(x, !dir) = m;
	if (m)
		set_parent(m, x);
	change_child(x, y, parent, root);
	set_parent(y, parent);
	*child(y, dir) = x;
	set_parent(x, y);
}

/*
 * node is red, and so perhaps is its parent: the only possible breach.
 * Let g be the grandparent (it exists and is black: a red parent is not
 * the root, and had no red parent before node came).
 */
void rb_insert_color(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *parent, *g, *uncle;
	int dir;

	while ((parent = rb_parent(node)) && is_red(parent)) {
		g = rb_parent(parent);
		dir = side_of(parent, g);
		uncle = *child(g, !dir);

		if (is_red(uncle)) {
			/* Red parent and uncle under a black g: move g's
			 * black down to both. Every path through g still
			 * crosses one black there, (3) holds; but g is red
			 * now and its own parent may be too: go on from g. */
			set_black(parent);
			set_black(uncle);
			set_red(g);
			node = g;
			continue;
		}
		if (node == *child(parent, !dir)) {
			/* node is the inner grandchild: rotate it up over
			 * its parent to make it the outer one. Both are red,
			 * so no black count changes; the roles swap. */
			rotate(parent, dir, root);
			node = parent;
			parent = rb_parent(node);
		}
		/* node is the outer grandchild, the uncle black. Rotate
		 * parent up over g and swap their colours: the subtree's
		 * top is black again (as g was), node and g are red
		 * children of a black parent, and every path crosses the
		 * same blacks as before. Done. */
		set_black(parent);
		set_red(g);
		rotate(g, !dir, root);
		break;
	}
	/* Case one may have coloured the root red; paths all gain one. */
	set_black(root->rb_node);
}

/*
 * Every path through node (possibly NULL) has one black fewer than the
 * other paths from parent: node carries an "extra black" to place.
 * If node is red, colouring it black places it. Otherwise look at the
 * sibling s, which cannot be NULL: its side is at least one black tall.
 */
static void erase_fixup(struct rb_node *node, struct rb_node *parent, struct rb_root *root)
{
	struct rb_node *s;
	int dir;

	while (node != root->rb_node && is_black(node)) {
		dir = side_of(node, parent);
		s = *child(parent, !dir);

		if (is_red(s)) {
			/* Red sibling (so black parent and nephews): rotate
			 * s up and swap its colour with parent's. Counts do
			 * not change; node's new sibling is a black nephew,
			 * one of the cases below. */
			set_black(s);
			set_red(parent);
			rotate(parent, dir, root);
			s = *child(parent, !dir);
		}
		if (is_black(s->rb_left) && is_black(s->rb_right)) {
			/* Black sibling, black nephews: take one black off
			 * s's side too (s turns red, no red-red: its
			 * children are black). Now parent's whole subtree is
			 * short by one: push the extra black up to parent. */
			set_red(s);
			node = parent;
			parent = rb_parent(node);
			continue;
		}
		if (is_black(*child(s, !dir))) {
			/* The far nephew is black, the near one red: rotate
			 * the near one up over s and swap their colours.
			 * Counts do not change, and now the far nephew (old
			 * s) is red: the last case. (That case sets both
			 * colours again: these two only keep the tree valid
			 * in between, leaving them out changes no result.) */
			set_black(*child(s, dir));
			set_red(s);
			rotate(s, !dir, root);
			s = *child(parent, !dir);
		}
		/* Far nephew red: rotate s up over parent, s takes
		 * parent's colour, parent turns black. node's paths gain
		 * parent's black; s's far side loses s as a black, so its
		 * red far child turns black. Every count is back. Done. */
		set_colour(s, parent->__rb_parent_color & RB_BLACK);
		set_black(parent);
		set_black(*child(s, !dir));
		rotate(parent, dir, root);
		node = root->rb_node;
		break;
	}
	if (node)
		set_black(node);
}

static struct rb_node *leftmost(struct rb_node *n)
{
	while (n->rb_left)
		n = n->rb_left;
	return n;
}

static struct rb_node *rightmost(struct rb_node *n)
{
	while (n->rb_right)
		n = n->rb_right;
	return n;
}

/*
 * node has two children: its successor y (leftmost of its right subtree,
 * no left child) takes node's place and colour; what is unlinked is y
 * from y's old place, where y's right child x moves up. Returns x and,
 * in *xparent, x's new parent.
 */
static struct rb_node *erase_two_children(struct rb_node *node, struct rb_root *root,
					   struct rb_node **xparent, bool *black_removed)
{
	struct rb_node *y = leftmost(node->rb_right);
	struct rb_node *x = y->rb_right;

	*black_removed = is_black(y);
	if (rb_parent(y) == node) {
		*xparent = y;		/* x stays y's right child */
	} else {
		*xparent = rb_parent(y);
		(*xparent)->rb_left = x;
		if (x)
			set_parent(x, *xparent);
		y->rb_right = node->rb_right;
		set_parent(y->rb_right, y);
	}
	y->rb_left = node->rb_left;
	set_parent(y->rb_left, y);
	change_child(node, y, rb_parent(node), root);
	y->__rb_parent_color = node->__rb_parent_color;
	return x;
}

void rb_erase(struct rb_node *node, struct rb_root *root)
{
	struct rb_node *x, *xparent;
	bool black_removed;

	if (node->rb_left && node->rb_right) {
		x = erase_two_children(node, root, &xparent, &black_removed);
	} else {
		/* At most one child x: it moves up into node's place. */
		x = node->rb_left ? node->rb_left : node->rb_right;
		xparent = rb_parent(node);
		black_removed = is_black(node);
		change_child(node, x, xparent, root);
		if (x)
			set_parent(x, xparent);
	}
	/* A red node removed takes no black from any path. */
	if (black_removed)
		erase_fixup(x, xparent, root);
}

struct rb_node *rb_first(const struct rb_root *root)
{
	return root->rb_node ? leftmost(root->rb_node) : NULL;
}

struct rb_node *rb_last(const struct rb_root *root)
{
	return root->rb_node ? rightmost(root->rb_node) : NULL;
}

/* The leftmost node of the right subtree, or else the first ancestor
 * reached from its left side. */
struct rb_node *rb_next(const struct rb_node *node)
{
	struct rb_node *n = (struct rb_node *)node, *parent;

	if (RB_EMPTY_NODE(n))
		return NULL;
	if (n->rb_right)
		return leftmost(n->rb_right);
	while ((parent = rb_parent(n)) && n == parent->rb_right)
		n = parent;
	return parent;
}

struct rb_node *rb_prev(const struct rb_node *node)
{
	struct rb_node *n = (struct rb_node *)node, *parent;

	if (RB_EMPTY_NODE(n))
		return NULL;
	if (n->rb_left)
		return rightmost(n->rb_left);
	while ((parent = rb_parent(n)) && n == parent->rb_left)
		n = parent;
	return parent;
}

/* The first node postorder visits under n: go down, left when possible,
 * until a leaf. */
static struct rb_node *deepest_left(struct rb_node *n)
{
	for (;;) {
		if (n->rb_left)
			n = n->rb_left;
		else if (n->rb_right)
			n = n->rb_right;
		else
			return n;
	}
}

struct rb_node *rb_first_postorder(const struct rb_root *root)
{
	return root->rb_node ? deepest_left(root->rb_node) : NULL;
}

/* After a left child comes its sibling's subtree, if any; after that (or
 * a right child) the parent. Never looks below node again: once the next
 * node is known, node may be freed (rbtree_postorder_for_each_entry_safe). */
struct rb_node *rb_next_postorder(const struct rb_node *node)
{
	struct rb_node *parent;

	if (!node)
		return NULL;
	parent = rb_parent(node);
	if (parent && node == parent->rb_left && parent->rb_right)
		return deepest_left(parent->rb_right);
	return parent;
}

void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root)
{
	struct rb_node *parent = rb_parent(victim);

	*new = *victim;		/* parent, colour and children */
	if (victim->rb_left)
		set_parent(victim->rb_left, new);
	if (victim->rb_right)
		set_parent(victim->rb_right, new);
	change_child(victim, new, parent, root);
}
