/*
 * <asm/atomic.h> - see <linux/atomic.h>.
 */
#pragma once
#include <linux/atomic.h>
