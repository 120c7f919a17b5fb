/*
 * <asm/cmpxchg.h> - xchg and cmpxchg.
 */
#pragma once
#include "sync/atomic.h"
