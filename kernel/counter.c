/*
 * counter.c - running the counter experiment and reporting it.
 *
 * As the lab's Linux module does it: the workers are created first and
 * wait on a start completion; the clock starts just before complete_all()
 * releases them together and stops when the monitor has collected every
 * worker's done completion. Creating the threads is not timed; waking
 * them and signalling their end is. Even-numbered workers increment,
 * odd-numbered ones decrement, so the expected result is 0 for even W.
 */
#include "kernel/counter.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "tests/assignment.h"

/* Lock debugging and lockdep multiply what the lock modes cost: say so. */
#ifdef CONFIG_RELEASE
#define BUILD_NOTE ""
#else
#define BUILD_NOTE " (debug build: lock checks and lockdep included; RELEASE=1 for bare costs)"
#endif

#define DEFAULT_TOTAL (1L << 21)	/* a few seconds at -smp 4, debug build */
#define GRID_TOTAL    (1L << 24)
#define MAX_REPEAT    15

CMDLINE_OPTION("counter", "counter=0 skips the counter experiment at boot");
CMDLINE_OPTION("counter.modes", "a list (default: the lab's six modes), or all (adds ticket and cmpxchg)");
CMDLINE_OPTION("counter.workers", "number of worker threads W (default: online CPUs, at least 2)");
CMDLINE_OPTION("counter.iters", "iterations per worker I");
CMDLINE_OPTION("counter.total", "W*I; sets I = total / W (default 2^21)");
CMDLINE_OPTION("counter.pin", "1: bind worker i to CPU i % ncpus");
CMDLINE_OPTION("counter.repeat", "report the median of K runs per mode");
CMDLINE_OPTION("counter.grid", "1: the lab's grid, W = 16, 8, 4, 2 with W*I constant");

struct worker {
	const struct counter_mode *mode;
	long iters, delta;
	struct completion *start;
	struct completion done;
};

static int worker_fn(void *arg)
{
	struct worker *w = arg;

	wait_for_completion(w->start);
	w->mode->op(w->iters, w->delta);
	complete(&w->done);
	return 0;
}

const struct counter_mode *counter_find_mode(const char *name)
{
	for (int i = 0; i < nr_counter_modes; i++)
		if (strcmp(counter_modes[i].name, name) == 0)
			return &counter_modes[i];
	return NULL;
}

static void reap(struct task **t, int n)
{
	for (int i = 0; i < n; i++)
		kthread_stop(t[i]);	/* returned already: collects them */
}

/* Returns 0, or -1 if threads could not be created. */
int counter_run_mode(const struct counter_mode *m, int workers, long iters,
		     bool pin, struct counter_result *res)
{
	DECLARE_COMPLETION(start);
	struct worker *w = kzalloc(sizeof(*w) * workers);
	struct task **t = kzalloc(sizeof(*t) * workers);
	int n, ncpu = num_online_cpus(), incs = (workers + 1) / 2;

	if (!w || !t)
		goto fail;
	m->reset();
	for (n = 0; n < workers; n++) {
		w[n] = (struct worker){ .mode = m, .iters = iters,
					.delta = (n % 2 == 0) ? 1 : -1, .start = &start };
		init_completion(&w[n].done);
		t[n] = kthread_create(worker_fn, &w[n], "%s/%d", m->name, n);
		if (!t[n])
			goto fail_reap;
		if (pin)
			kthread_bind(t[n], nth_online_cpu(n));
		wake_up_process(t[n]);
	}
	uint64_t t0 = ktime_get_ns();
	complete_all(&start);
	for (int i = 0; i < workers; i++)
		while (!wait_for_completion_timeout(&w[i].done, (long)NSEC_PER_SEC))
			printk(KERN_INFO "counter: %s: %d of %d workers done after %llu s\n",
			       m->name, i, workers,
			       (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_SEC));
	uint64_t ns = ktime_get_ns() - t0;
	reap(t, workers);
	*res = (struct counter_result){
		.mode = m->name, .cpus = ncpu, .workers = workers, .iters = iters,
		.final = m->read(), .expected = (long)(incs - (workers - incs)) * iters,
		.ns = ns,
	};
	kfree(t);
	kfree(w);
	return 0;

fail_reap:
	complete_all(&start);
	reap(t, n);
fail:
	kfree(t);
	kfree(w);
	printk(KERN_ERR "counter: out of memory for %d workers\n", workers);
	return -1;
}

/* ---- options ---- */

void counter_opts_from_cmdline(struct counter_opts *o)
{
	int ncpu = num_online_cpus();

	memset(o, 0, sizeof(*o));
	strlcpy(o->modes, cmdline_get_str("counter.modes", COUNTER_DEFAULT_MODES),
		sizeof(o->modes));
	o->workers = (int)cmdline_get_int("counter.workers", MAX(ncpu, 2), 1,
					  COUNTER_MAX_WORKERS);
	o->grid = cmdline_get_bool("counter.grid", false);
	o->total = cmdline_get_int("counter.total", o->grid ? GRID_TOTAL : DEFAULT_TOTAL,
				   1, 1L << 34);
	o->iters = cmdline_get_int("counter.iters", 0, 0, 1L << 32);
	if (o->iters && cmdline_has("counter.total"))
		printk(KERN_WARNING "counter: both counter.iters and counter.total given; "
		       "using counter.iters=%ld\n", o->iters);
	if (!o->iters)
		o->iters = MAX(o->total / o->workers, 1);
	o->pin = cmdline_get_bool("counter.pin", false);
	o->repeat = (int)cmdline_get_int("counter.repeat", 1, 1, MAX_REPEAT);
}

/* Resolve o->modes into a list; unknown names are reported and skipped. */
static int select_modes(const char *spec, const struct counter_mode **out)
{
	int n = 0;

	if (strcmp(spec, "all") == 0) {
		for (int i = 0; i < nr_counter_modes; i++)
			out[n++] = &counter_modes[i];
		return n;
	}
	for (const char *p = spec; *p;) {
		char name[32];
		size_t len = strchr(p, ',') ? (size_t)(strchr(p, ',') - p) : strlen(p);
		strlcpy(name, p, MIN(len + 1, sizeof(name)));
		const struct counter_mode *m = counter_find_mode(name);
		if (m && n < nr_counter_modes)
			out[n++] = m;
		else if (!m)
			printk(KERN_WARNING "counter: unknown mode '%s' skipped "
			       "(modes: none atomic spinlock ticket mutex cmpxchg percpu "
			       "percpu_getcpu, or all)\n", name);
		p += len + (p[len] == ',');
	}
	return n;
}

/* ---- reporting ---- */

static void print_header(void)
{
	printk(KERN_INFO "counter: %-14s %4s %7s %10s %12s %12s %10s %9s %8s %8s\n",
	       "mode", "cpus", "workers", "iters", "final", "expected", "lost",
	       "ms", "ns/op", "Mops/s");
}

/* x100 fixed point, printed as d.dd */
#define FIX2(v) (unsigned long long)((v) / 100), (unsigned long long)((v) % 100)

static void print_row(const struct counter_result *r)
{
	uint64_t ops = (uint64_t)r->workers * (uint64_t)r->iters;
	uint64_t nsop100 = ops ? r->ns * 100 / ops : 0;
	uint64_t mops100 = r->ns ? ops * 100000 / r->ns : 0;
	long lost = r->final > r->expected ? r->final - r->expected : r->expected - r->final;

	printk(KERN_INFO "counter: %-14s %4d %7d %10ld %12ld %12ld %10ld %6llu.%02llu %5llu.%02llu %5llu.%02llu\n",
	       r->mode, r->cpus, r->workers, r->iters, r->final, r->expected, lost,
	       FIX2(r->ns / 10000), FIX2(nsop100), FIX2(mops100));
}

static void print_machine_line(const struct counter_result *r)
{
	uint64_t ops = (uint64_t)r->workers * (uint64_t)r->iters;
	uint64_t nsop100 = ops ? r->ns * 100 / ops : 0;

	printk(KERN_INFO "counter: mode=%s cpus=%d workers=%d iters=%ld final=%ld "
	       "expected=%ld ns=%llu ns_per_op=%llu.%02llu\n", r->mode, r->cpus,
	       r->workers, r->iters, r->final, r->expected,
	       (unsigned long long)r->ns, FIX2(nsop100));
}

/* Sort runs by time and return the middle one. */
static struct counter_result median(struct counter_result *runs, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && runs[j].ns < runs[j - 1].ns; j--) {
			struct counter_result tmp = runs[j];
			runs[j] = runs[j - 1];
			runs[j - 1] = tmp;
		}
	return runs[n / 2];
}

/* Run one mode `repeat` times; count runs where a protected mode was off. */
static int run_repeated(const struct counter_mode *m, int workers, long iters,
			const struct counter_opts *o, struct counter_result *out)
{
	struct counter_result runs[MAX_REPEAT];
	int wrong = 0;

	for (int k = 0; k < o->repeat; k++) {
		if (counter_run_mode(m, workers, iters, o->pin, &runs[k]) < 0)
			return -1;
		if (m->assignment && assignment_missing(m->assignment))
			return -2;		/* a stub: nothing to report */
		if (strcmp(m->name, "none") != 0 && runs[k].final != runs[k].expected) {
			printk(KERN_ERR "counter: mode=%s run %d ended at %ld, expected %ld: "
			       "the protection is broken\n", m->name, k + 1,
			       runs[k].final, runs[k].expected);
			wrong++;
		}
	}
	*out = median(runs, o->repeat);
	return wrong;
}

static int run_table(const struct counter_opts *o, int workers, long iters,
		     const struct counter_mode **modes, int nmodes)
{
	struct counter_result res[16];
	int bad = 0, protected = 0, done = 0;

	printk(KERN_INFO "counter: %d workers x %ld iterations on %d CPUs%s%s%s\n",
	       workers, iters, num_online_cpus(), o->pin ? ", pinned" : "",
	       o->repeat > 1 ? ", median of several runs" : "", BUILD_NOTE);
	for (int i = 0; i < nmodes; i++) {
		printk(KERN_INFO "counter: running %s...\n", modes[i]->name);
		int wrong = run_repeated(modes[i], workers, iters, o, &res[done]);
		if (wrong == -2) {
			printk(KERN_INFO "counter: mode %s is assignment '%s', not "
			       "implemented yet: skipped\n", modes[i]->name,
			       modes[i]->assignment);
			continue;
		}
		if (wrong < 0)
			return 1;
		bad += wrong > 0;
		protected += strcmp(modes[i]->name, "none") != 0;
		done++;
	}
	print_header();
	for (int i = 0; i < done; i++)
		print_row(&res[i]);
	for (int i = 0; i < done; i++)
		print_machine_line(&res[i]);
	for (int i = 0; i < done; i++) {
		if (strcmp(res[i].mode, "none") != 0)
			continue;
		long lost = res[i].final - res[i].expected;
		if (lost < 0)
			lost = -lost;
		uint64_t ops = (uint64_t)res[i].workers * res[i].iters;
		printk(KERN_INFO "counter: none: %ld updates lost of %llu (%llu.%02llu%%)%s\n",
		       lost, (unsigned long long)ops,
		       FIX2((uint64_t)lost * 10000 / (ops ? ops : 1)),
		       num_online_cpus() == 1 ? " - one CPU: each update is one add "
		       "instruction, which an interrupt cannot split" : "");
	}
	if (bad)
		printk(KERN_ERR "counter: verdict: FAILED: %d of %d protected modes lost updates\n",
		       bad, protected);
	else
		printk(KERN_INFO "counter: verdict: all %d protected modes exact\n", protected);
	return bad;
}

int counter_experiment(const struct counter_opts *o)
{
	const struct counter_mode *modes[16];
	int nmodes = select_modes(o->modes, modes), bad = 0;
	static const int grid_workers[] = { 16, 8, 4, 2 };

	if (!nmodes) {
		printk(KERN_WARNING "counter: no valid mode selected\n");
		return 0;
	}
	if (!o->grid)
		return run_table(o, o->workers, o->iters, modes, nmodes);
	for (unsigned i = 0; i < ARRAY_SIZE(grid_workers); i++) {
		int w = grid_workers[i];
		bad += run_table(o, w, MAX(o->total / w, 1), modes, nmodes);
	}
	return bad;
}
