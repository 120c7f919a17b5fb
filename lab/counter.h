/*
 * counter.h - the lab's counter experiment.
 *
 * W kernel threads share one counter and add 1 to it, I times each,
 * under a chosen protection ("mode"). The final value shows lost updates
 * (it should be exactly W * I; every update it falls short is one that
 * was lost); the time shows what each protection costs. With
 * counter.decrement=1 the odd-numbered workers subtract 1 instead (the
 * expected value is then 0 or I), as in the seed lab: a lost increment
 * and a lost decrement then cancel, and |final - expected| is only a
 * lower bound on the updates lost.
 *
 * A mode is data: a name, a one-line description, and three functions
 * (reset the counter, the worker's loop, read the final value). The lab's
 * own modes are one table in lab/counter_modes.c: to add one, write its
 * loop and add one line there. A mode written elsewhere (an assignment,
 * an experiment of your own) registers itself in its own file with
 * COUNTER_MODE() and runs with the others.
 *
 * Options, from the boot command line as counter.KEY=VALUE or from the
 * shell as `counter KEY=VALUE...`, go through one key table (counter.c)
 * into struct counter_opts: the same checks and messages either way.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/jitter.h"

struct counter_mode {
	const char *name;
	const char *what;			/* one line for the docs and lists */
	void (*reset)(void);			/* counter = 0 */
	/* The worker's loop: add delta to the counter iters times. Returns
	 * 0, or -ENOSYS when it is a stub not written yet (an assignment):
	 * the mode is then skipped. */
	int (*op)(long iters, long delta);
	long (*read)(void);			/* final value */
	bool unprotected;			/* loses updates by design: its
						 * final value is not checked */
	/* counter.bh=1: what a timer does to the counter (add 1) in softirq
	 * context, with the mode's own protection; NULL if that cannot be
	 * done in a softirq (a mutex sleeps). */
	void (*bh_op)(void);
	bool bh_deadlocks;			/* with bh: the worker takes the
						 * lock with bottom halves on */
};

/* The lab's own modes, in the order the table prints them. */
extern const struct counter_mode counter_modes[];
extern const int nr_counter_modes;

/* A mode declared outside lab/counter_modes.c, at file scope. */
#define COUNTER_MODE(mname, ...)                                          \
	static const struct counter_mode __counter_mode_##mname           \
		__used __section("counter_modes") __aligned(8) =          \
		{ .name = #mname, __VA_ARGS__ }

/* Every mode: the table's, then those declared with COUNTER_MODE(). */
const struct counter_mode *counter_mode_at(int i);	/* NULL past the end */
int counter_nr_modes(void);
const struct counter_mode *counter_find_mode(const char *name);
void counter_mode_names(char *buf, size_t size);	/* "none atomic ..." */

/*
 * For writing a mode. The plain shared counter, alone on its cache line,
 * with the reset and read that go with it.
 */
extern long counter_shared;
void counter_shared_reset(void);
long counter_shared_read(void);

/*
 * The loop every mode runs: `body` iters times. jitter=SEED (a teaching
 * aid for replaying races) adds a perturbation point per iteration; the
 * test is made once, outside the loop, so the normal loop measures the
 * body alone.
 */
#define COUNTER_LOOP(iters, ...)  /* the body may contain commas */   \
	do {                                                        \
		if (unlikely(jitter_enabled)) {                     \
			for (long i__ = 0; i__ < (iters); i__++) {  \
				__VA_ARGS__;                        \
				__jitter_point();                   \
			}                                           \
		} else {                                            \
			for (long i__ = 0; i__ < (iters); i__++) {  \
				__VA_ARGS__;                        \
			}                                           \
		}                                                   \
	} while (0)

/*
 * Each mode's function is aligned to 256 bytes (each is shorter than that),
 * so its loop never straddles a 4 KiB page. Under QEMU a loop that
 * crosses a page boundary cannot jump back to itself directly and runs
 * about ten times slower with more than one CPU - an emulator artefact
 * that would otherwise come and go with unrelated code changes.
 */
#define MODE_LOOP __aligned(256) __noinline

#define COUNTER_MAX_WORKERS 64
#define COUNTER_MAX_REPEAT  15
/* 2^24: the unprotected loops then run side by side for tens of ms (a
 * few ms is over before some CPUs get going), and the default run with
 * its six modes takes a few seconds in the release build. The Linux
 * figures use it too. docs/experiment.md, "Scale". */
#define COUNTER_DEFAULT_TOTAL (1L << 24)
#define COUNTER_GRID_TOTAL    (1L << 24)
/* The lab's modes, those Linux figures exist for. `all` adds the others
 * (irqoff, the cmpxchg assignment, and the fair ticket lock - which
 * collapses when QEMU runs more vCPUs than the host has cores: the next
 * in line is often a vCPU the host is not running). */
#define COUNTER_DEFAULT_MODES "none,atomic,spinlock,mutex,percpu,percpu_getcpu"

struct counter_opts {
	char modes[128];	/* "all" or a comma-separated list */
	long workers;		/* W */
	long iters;		/* I, per worker; 0: total / W */
	long total;		/* W * I; 0: the default, 2^24 (the grid's too) */
	bool pin;		/* worker i on the i-th online CPU */
	long repeat;		/* report the median of this many runs */
	bool grid;		/* the lab's grid: W = 16, 8, 4, 2, W*I = total */
	bool bh;		/* a timer on each CPU also adds to the counter */
	long trace;		/* trace each mode and dump it (kernel/trace.h):
				 * 1 lock waits, 2 every lock operation */
	bool decrement;		/* odd-numbered workers subtract 1 */
};

struct counter_result {
	const char *mode;
	bool unprotected;
	int cpus, workers;
	long iters;
	long final, expected;
	long bh_adds;		/* counter.bh=1: what the timers added */
	uint64_t ns;
	uint64_t overlap_ns;	/* time at least two workers were inside
				 * their loops at once */
	bool decrement;		/* some workers subtracted: lost updates
				 * may have cancelled out */
	int together;		/* loops start once this many workers run: */
	int running_at_start;	/* the fewest running when a loop began */
};

/* The defaults (they depend on the number of online CPUs). */
void counter_opts_init(struct counter_opts *o);
/* Set one option, "workers" or "counter.workers", from its text. Bad
 * values and unknown keys are reported on the console and leave o as
 * it was; returns 0 or -EINVAL. */
int counter_opt_set(struct counter_opts *o, const char *key, const char *value);
/* The defaults plus every counter.* option of the boot command line. */
void counter_opts_from_cmdline(struct counter_opts *o);

/*
 * Why a run showed few or no lost updates in an unprotected mode (one
 * CPU, one worker, loops that barely ran side by side, more vCPUs than
 * host cores): the text that follows "N updates lost of M (P%)", or
 * false and "" when at least COUNTER_VISIBLE_LOSS_PCT percent were lost.
 * host_cpus: the host's cores, 0 if unknown (counter_host_cpus()).
 */
#define COUNTER_VISIBLE_LOSS_PCT 1
#define COUNTER_MIN_OVERLAP_NS 10000000ULL	/* 10 ms */
bool counter_explain_lost(const struct counter_result *r, int host_cpus, char *buf, size_t size);
/* The host's cores as tools/qemu.sh passes them to QEMU (fw_cfg), 0 if unknown. */
int counter_host_cpus(void);

/* Run the experiment (or the grid) with these options, print the table
 * and the machine-readable lines; returns the number of protected modes
 * that did not end exactly at the expected value (0 = all correct). */
int counter_experiment(const struct counter_opts *o);
/* One run of one mode: W workers, I iterations each, with these flags. */
#define COUNTER_PIN		0x1	/* worker i on the i-th online CPU */
#define COUNTER_BH		0x2	/* counter.bh=1's timers run too */
#define COUNTER_DECREMENT	0x4	/* odd-numbered workers subtract 1 */
/* Returns 0, -ENOMEM, -EINVAL (W outside 1..COUNTER_MAX_WORKERS, I < 1),
 * -ENOSYS for a mode that is a stub not written yet, -EOPNOTSUPP for
 * COUNTER_BH with a mode whose protection cannot be used in a softirq,
 * -EINTR when stopped by Ctrl-C. */
int counter_run(const struct counter_mode *m, int workers, long iters,
		unsigned int flags, struct counter_result *res);
/* The same with only COUNTER_PIN or nothing (the tests' usual call). */
int counter_run_mode(const struct counter_mode *m, int workers, long iters,
		     bool pin, struct counter_result *res);
/* The flags of these options. */
static inline unsigned int counter_flags(const struct counter_opts *o)
{
	return (o->pin ? COUNTER_PIN : 0) | (o->bh ? COUNTER_BH : 0) |
	       (o->decrement ? COUNTER_DECREMENT : 0);
}
/* counter_bh.c: the timers, started and stopped around a run; stop
 * returns how much they added. */
void counter_bh_start(const struct counter_mode *m);
long counter_bh_stop(void);
