/*
 * <linux/cache.h> - cache-line alignment.
 */
#pragma once
#include "kernel/compiler.h"
#define L1_CACHE_BYTES 64
#define SMP_CACHE_BYTES 64
#define ____cacheline_aligned __aligned(SMP_CACHE_BYTES)
#define ____cacheline_aligned_in_smp ____cacheline_aligned
#define __cacheline_aligned_in_smp __cacheline_aligned
