/*
 * <linux/rbtree_augmented.h> - not here: smpkern's rbtrees are not
 * augmented. Including it is a build error that says so, instead of
 * "no such file" (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/rbtree_augmented.h>: augmented rbtrees are not provided in smpkern (no rb_insert_augmented, rb_erase_augmented, RB_DECLARE_CALLBACKS, interval trees): use <linux/rbtree.h>, and recompute per-subtree data by walking, or keep it outside the tree"
