/*
 * <linux/spinlock_types.h> - see <linux/spinlock.h>.
 */
#pragma once
#include <linux/spinlock.h>
