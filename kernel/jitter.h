/*
 * jitter.h - seeded, reproducible perturbation for hunting races.
 *
 * Booting with `jitter=SEED` makes every jitter_point() sometimes wait a
 * few microseconds or give up the CPU, chosen by a pseudo-random sequence
 * per thread derived from SEED and the thread's name (interrupts use one
 * per CPU). Lock slow paths, RCU and seqlock readers and the counter
 * experiment's loop call jitter_point(), so interleavings that are rare
 * on an idle emulator become common.
 *
 * What a seed reproduces: each thread's n-th jitter point makes the same
 * choice (wait how long, or yield) in every boot with that seed. What it
 * does not: when the other CPUs get there - the host runs QEMU's vCPUs as
 * it likes, and interrupts come when they come - so the interleaving, and
 * whether a race is hit, still vary from boot to boot. A seed that hit a
 * race makes it far likelier to recur, not certain: boot it a few times.
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

uint64_t jitter_seed(void);	/* 0 when off */
/* Switch jitter on with this seed (0: off) from now on: for a torture
 * test that wants it whatever the command line said. */
void jitter_set(uint64_t seed);
