/*
 * <linux/rbtree.h> - red-black trees (kernel/rbtree.h: the contract).
 */
#pragma once
#include <linux/kernel.h>
#include <linux/stddef.h>
#include "kernel/rbtree.h"
