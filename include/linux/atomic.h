/*
 * <linux/atomic.h> - atomic operations.
 */
#pragma once
#include "sync/atomic.h"
#include "sync/barrier.h"
