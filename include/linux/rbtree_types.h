/*
 * <linux/rbtree_types.h> - struct rb_node, rb_root, rb_root_cached. Here
 * they come with the rest of kernel/rbtree.h.
 */
#pragma once
#include "kernel/rbtree.h"
