/*
 * <linux/bitops.h> - bit operations.
 */
#pragma once
#include "sync/bitops.h"
#include <linux/bits.h>
