/*
 * counter.h - the lab's counter experiment.
 *
 * W kernel threads share one `long counter`: half add 1, half subtract 1,
 * I times each, under a chosen protection ("mode"). The final value shows
 * lost updates (it should be exactly (incrementers - decrementers) * I);
 * the time shows what each protection costs.
 *
 * A mode is a few lines in kernel/counter_modes.c: a name and an `op`
 * that adds `delta` to the counter `iters` times. To add one, write the
 * function and one line in the counter_modes[] table.
 */
#pragma once
#include "kernel/compiler.h"

struct counter_mode {
	const char *name;
	const char *what;			/* one line for `help` and docs */
	void (*reset)(void);			/* counter = 0 */
	void (*op)(long iters, long delta);	/* the worker's loop */
	long (*read)(void);			/* final value */
	const char *assignment;			/* a student's mode: graded by
						 * its own tests, not the general ones */
};

extern const struct counter_mode counter_modes[];
extern const int nr_counter_modes;

#define COUNTER_MAX_WORKERS 64
/* The lab's modes, those Linux figures exist for. `all` adds the fair
 * ticket lock - which collapses when QEMU runs more vCPUs than the host
 * has cores: the next in line is often a vCPU the host is not running -
 * and the cmpxchg assignment. */
#define COUNTER_DEFAULT_MODES "none,atomic,spinlock,mutex,percpu,percpu_getcpu"

struct counter_opts {
	char modes[128];	/* "all" or a comma-separated list */
	int workers;
	long iters;		/* per worker */
	bool pin;		/* worker i on CPU i % ncpus */
	int repeat;		/* report the median of this many runs */
	bool grid;		/* the lab's grid: W = 16, 8, 4, 2, W*I = total */
	long total;		/* W * I for the grid (and counter.total) */
};

struct counter_result {
	const char *mode;
	int cpus, workers;
	long iters;
	long final, expected;
	uint64_t ns;
};

/* Options from the boot command line (counter.* keys). */
void counter_opts_from_cmdline(struct counter_opts *o);
/* Run the experiment (or the grid) with these options, print the table
 * and the machine-readable lines; returns the number of protected modes
 * that did not end exactly at the expected value (0 = all correct). */
int counter_experiment(const struct counter_opts *o);
/* One run of one mode; used by the tests. */
int counter_run_mode(const struct counter_mode *m, int workers, long iters,
		     bool pin, struct counter_result *res);
const struct counter_mode *counter_find_mode(const char *name);
