/*
 * litmus.h - memory-ordering litmus experiments on two CPUs.
 *
 *   SB (store buffering):  x = 1; r0 = y;   ||   y = 1; r1 = x;
 *       r0 == 0 && r1 == 0 is allowed on x86: each CPU's store may still
 *       sit in its store buffer when its load reads memory. smp_mb()
 *       between the store and the load forbids it.
 *   MP (message passing):  x = 1; y = 1;    ||   r0 = y; r1 = x;
 *       r0 == 1 && r1 == 0 is forbidden on x86 (stores are not reordered
 *       with stores, loads not with loads).
 *
 * litmus_run(n) runs n trials of each (SB without smp_mb, SB with it, MP)
 * on the first two online CPUs and prints one line:
 *
 *   litmus: SB without smp_mb: 1234/200000 relaxed; with smp_mb: 0/200000;
 *           MP forbidden: 0/200000
 *
 * Each trial starts both sides together (a shared round counter; the
 * leader's delay is calibrated first so both really start at the same
 * time), so they race every time. A run that
 * takes too long (a busy host) stops early; the counts then say how many
 * trials ran. May sleep (creates two threads); needs 2 CPUs (on one it
 * prints why it did nothing).
 */
#pragma once
#include "kernel/compiler.h"

struct litmus_result {
	int cpus[2];
	long delay;				/* CPU A's calibrated head start */
	long sb_trials, sb_relaxed;		/* r0 == 0 && r1 == 0 */
	long sb_mb_trials, sb_mb_relaxed;	/* the same, with smp_mb() */
	long mp_trials, mp_forbidden;		/* r0 == 1 && r1 == 0 */
};

/* Returns 0, or -1 if there are not two CPUs (res is then zeroed). */
int litmus_run_result(int iterations, struct litmus_result *res);
void litmus_run(int iterations);
