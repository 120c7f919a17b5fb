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

/*
 * A known race window (the comment at the call says which): with jitter
 * on, one pass in 4 waits up to max_us microseconds - long enough for
 * other CPUs to take whole steps meanwhile. Any context, interrupts off
 * included; never sleeps.
 */
void __jitter_window(unsigned int max_us);

static inline void jitter_window(unsigned int max_us)
{
	if (unlikely(jitter_enabled))
		__jitter_window(max_us);
}

void jitter_init(void);		/* reads jitter=SEED */
uint64_t jitter_seed(void);	/* 0 when off */
/* Switch jitter on with this seed (0: off) from now on: for a torture
 * test that wants it whatever the command line said. */
void jitter_set(uint64_t seed);
