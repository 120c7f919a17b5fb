/*
 * random.h - pseudo-random numbers for tests, torture and jitter, with
 * Linux's names: get_random_u32(), get_random_u64(), get_random_bytes(),
 * get_random_u32_below(n). NOT for secrets: a per-CPU xorshift generator
 * seeded from the clock at first use (Linux's are cryptographic).
 * Any context; never sleeps.
 */
#pragma once
#include "kernel/compiler.h"

uint64_t get_random_u64(void);

static inline uint32_t get_random_u32(void)
{
	return (uint32_t)(get_random_u64() >> 32);
}

/* Uniform in [0, ceil): the multiply-shift method, as Linux's. */
static inline uint32_t get_random_u32_below(uint32_t ceil)
{
	return (uint32_t)(((uint64_t)get_random_u32() * ceil) >> 32);
}

static inline uint32_t prandom_u32_max(uint32_t ceil)
{
	return get_random_u32_below(ceil);
}

void get_random_bytes(void *buf, size_t len);
