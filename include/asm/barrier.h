/*
 * <asm/barrier.h> - memory barriers.
 */
#pragma once
#include "sync/barrier.h"
