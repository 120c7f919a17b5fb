/*
 * jitter.h - seeded, reproducible perturbation for hunting races.
 *
 * Booting with `jitter=SEED` makes every jitter_point() sometimes wait a
 * few microseconds or give up the CPU, chosen by a pseudo-random sequence
 * per CPU derived from SEED. Lock slow paths, RCU and seqlock readers and
 * the counter experiment's loop call jitter_point(), so interleavings
 * that are rare on an idle emulator become common, and the same SEED
 * replays the same choices (on each CPU; the CPUs still race each other,
 * so replay makes a race far likelier to recur, not certain).
 * Without the option, jitter_point() is one predictable branch.
 */
#pragma once
#include "kernel/compiler.h"

extern bool jitter_enabled;
void __jitter_point(void);

static inline void jitter_point(void)
{
	if (unlikely(jitter_enabled))
		__jitter_point();
}

void jitter_init(void);		/* reads jitter=SEED */
uint64_t jitter_seed(void);	/* 0 when off */
