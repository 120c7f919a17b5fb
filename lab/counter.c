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
#include "lab/counter.h"
#include "lab/shell.h"
#include "kernel/errno.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/trace.h"
#include "kernel/vsprintf.h"
#include "sched/completion.h"
#include "sched/sched.h"
#include "sync/lockstat.h"

/* Lock debugging and lockdep multiply what the lock modes cost: say so. */
#define BUILD_NOTE (IS_ENABLED(CONFIG_RELEASE) ? "" : \
	" (debug build: lock checks and lockdep included; RELEASE=1 for bare costs)")

struct worker {
	const struct counter_mode *mode;
	long iters, delta;
	int ret;			/* what the mode's loop returned */
	struct completion *start;
	struct completion done;
};

/* Set to stop the workers early (Ctrl-C in the shell). */
static bool counter_stop;

/*
 * The mode's loop runs in chunks, with a look at counter_stop between
 * them: one call and one load per COUNTER_CHUNK iterations, nothing
 * inside the measured loop.
 */
#define COUNTER_CHUNK 1024L

static int worker_fn(void *arg)
{
	struct worker *w = arg;

	wait_for_completion(w->start);
	for (long done = 0; done < w->iters && !w->ret; done += COUNTER_CHUNK) {
		if (READ_ONCE(counter_stop)) {
			w->ret = -EINTR;
			break;
		}
		w->ret = w->mode->op(MIN(COUNTER_CHUNK, w->iters - done), w->delta);
	}
	complete(&w->done);
	return 0;
}

/* Wait for a worker, a tenth of a second at a time: say how far the run
 * got every second, and stop it at a Ctrl-C. */
static void wait_worker(struct worker *w, const struct counter_mode *m, int i,
			int workers, uint64_t t0)
{
	for (int tenths = 1; !wait_for_completion_timeout(&w->done, HZ / 10); tenths++) {
		if (shell_interrupted() && !READ_ONCE(counter_stop)) {
			WRITE_ONCE(counter_stop, true);
			printk(KERN_NOTICE "counter: ^C: stopping the workers\n");
		}
		if (tenths % 10 == 0)
			printk(KERN_NOTICE "counter: %s: %d of %d workers done after %llu s "
			       "(Ctrl-C stops)\n", m->name, i, workers,
			       (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_SEC));
	}
}

/* ---- the modes ---- */

/* Weak: a tree with no COUNTER_MODE() (a handout branch) has no section. */
extern const struct counter_mode __start_counter_modes[] __attribute__((weak)),
	__stop_counter_modes[] __attribute__((weak));

int counter_nr_modes(void)
{
	return nr_counter_modes + (int)(__stop_counter_modes - __start_counter_modes);
}

const struct counter_mode *counter_mode_at(int i)
{
	if (i < 0 || i >= counter_nr_modes())
		return NULL;
	return i < nr_counter_modes ? &counter_modes[i]
				    : &__start_counter_modes[i - nr_counter_modes];
}

const struct counter_mode *counter_find_mode(const char *name)
{
	const struct counter_mode *m;

	for (int i = 0; (m = counter_mode_at(i)); i++)
		if (strcmp(m->name, name) == 0)
			return m;
	return NULL;
}

/* ---- one run ---- */

/*
 * Workers return on their own once they signalled `done`, and a kernel
 * thread that returns is freed: after the last wait_for_completion()
 * nothing of them needs reaping.
 */
int counter_run_mode(const struct counter_mode *m, int workers, long iters,
		     bool pin, struct counter_result *res)
{
	return counter_run_mode_bh(m, workers, iters, pin, false, res);
}

int counter_run_mode_bh(const struct counter_mode *m, int workers, long iters,
			bool pin, bool bh, struct counter_result *res)
{
	DECLARE_COMPLETION(start);
	long bh_adds = 0;

	if (bh && !m->bh_op)
		return -EOPNOTSUPP;
	struct worker *w = kzalloc(sizeof(*w) * workers, GFP_KERNEL);
	int n, ret = 0, ncpu = num_online_cpus(), incs = (workers + 1) / 2;

	if (!w)
		goto fail;
	m->reset();
	for (n = 0; n < workers; n++) {
		w[n] = (struct worker){ .mode = m, .iters = iters,
					.delta = (n % 2 == 0) ? 1 : -1, .start = &start };
		init_completion(&w[n].done);
		struct task_struct *t = kthread_create(worker_fn, &w[n], "%s/%d", m->name, n);
		if (IS_ERR(t))
			goto fail_started;
		if (pin)
			kthread_bind(t, nth_online_cpu(n));
		wake_up_process(t);
	}
	WRITE_ONCE(counter_stop, false);
	uint64_t t0 = ktime_get_ns();
	if (bh)
		counter_bh_start(m);
	complete_all(&start);
	for (int i = 0; i < workers; i++)
		wait_worker(&w[i], m, i, workers, t0);
	uint64_t ns = ktime_get_ns() - t0;
	if (bh)
		bh_adds = counter_bh_stop();
	for (int i = 0; i < workers; i++)
		ret = ret ? ret : w[i].ret;
	*res = (struct counter_result){
		.mode = m->name, .unprotected = m->unprotected, .cpus = ncpu,
		.workers = workers, .iters = iters, .final = m->read(),
		.expected = (long)(incs - (workers - incs)) * iters + bh_adds,
		.bh_adds = bh_adds, .ns = ns,
	};
	kfree(w);
	return ret;

fail_started:
	complete_all(&start);		/* let those started run and return */
	for (int i = 0; i < n; i++)
		wait_for_completion(&w[i].done);
fail:
	kfree(w);
	printk(KERN_ERR "counter: out of memory for %d workers\n", workers);
	return -ENOMEM;
}

/* ---- choosing the modes ---- */

/* "none atomic ... cmpxchg": every mode's name, from the tables. */
void counter_mode_names(char *buf, size_t size)
{
	const struct counter_mode *m;
	size_t len = 0;

	buf[0] = 0;
	for (int i = 0; (m = counter_mode_at(i)) && len < size; i++)
		len += snprintf(buf + len, size - len, "%s%s", i ? " " : "", m->name);
}

/*
 * Resolve a "all" or "a,b,c" into a new array of modes (kfree it); unknown
 * names are reported and skipped. *n gets the number chosen.
 */
static const struct counter_mode **select_modes(const char *spec, int *n)
{
	int room = counter_nr_modes() + 1;

	for (const char *p = spec; *p; p++)
		room += *p == ',';		/* a name may come twice */
	const struct counter_mode **out = kzalloc(sizeof(*out) * room, GFP_KERNEL);
	if (!out)
		return NULL;
	*n = 0;
	if (strcmp(spec, "all") == 0) {
		for (int i = 0; i < counter_nr_modes(); i++)
			out[(*n)++] = counter_mode_at(i);
		return out;
	}
	for (const char *p = spec; *p;) {
		char name[32];
		size_t len = strchr(p, ',') ? (size_t)(strchr(p, ',') - p) : strlen(p);
		strlcpy(name, p, MIN(len + 1, sizeof(name)));
		const struct counter_mode *m = counter_find_mode(name);
		if (m) {
			out[(*n)++] = m;
		} else {
			char names[256];
			counter_mode_names(names, sizeof(names));
			printk(KERN_WARNING "counter: unknown mode '%s' skipped (modes: %s, "
			       "or all)\n", name, names);
		}
		p += len + (p[len] == ',');
	}
	return out;
}

/* ---- reporting ---- */

static void print_header(void)
{
	printk(KERN_NOTICE "counter: %-16s %4s %7s %10s %12s %12s %10s %9s %8s %8s\n",
	       "mode", "cpus", "workers", "iters", "final", "expected", "lost",
	       "ms", "ns/op", "Mops/s");
}

/* x100 fixed point, printed as d.dd */
#define FIX2(v) (unsigned long long)((v) / 100), (unsigned long long)((v) % 100)

static long lost_updates(const struct counter_result *r)
{
	return r->final > r->expected ? r->final - r->expected : r->expected - r->final;
}

static void print_row(const struct counter_result *r)
{
	uint64_t ops = (uint64_t)r->workers * (uint64_t)r->iters;
	uint64_t nsop100 = ops ? r->ns * 100 / ops : 0;
	uint64_t mops100 = r->ns ? ops * 100000 / r->ns : 0;

	printk(KERN_NOTICE "counter: %-16s %4d %7d %10ld %12ld %12ld %10ld %6llu.%02llu %5llu.%02llu %5llu.%02llu\n",
	       r->mode, r->cpus, r->workers, r->iters, r->final, r->expected,
	       lost_updates(r), FIX2(r->ns / 10000), FIX2(nsop100), FIX2(mops100));
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

static void print_lost(const struct counter_result *r)
{
	uint64_t ops = (uint64_t)r->workers * r->iters;
	long lost = lost_updates(r);

	printk(KERN_NOTICE "counter: %s: %ld updates lost of %llu (%llu.%02llu%%)%s\n",
	       r->mode, lost, (unsigned long long)ops,
	       FIX2((uint64_t)lost * 10000 / (ops ? ops : 1)),
	       num_online_cpus() == 1 ? " - one CPU: each update is one add "
	       "instruction, which an interrupt cannot split" : "");
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

/* ---- seeing where the time goes: lockstat and the trace ---- */

static bool tracing;		/* this mode's trace started */

/* Before a mode's runs: fresh statistics, a new trace. */
static void see_start(const struct counter_mode *m, const struct counter_opts *o)
{
	if (lockstat_enabled())
		lockstat_reset();
	if (o->trace) {
		int err = trace_start(o->trace == 2 ? TRACE_ALL_LOCKS : TRACE_LOCK_WAITS);
		tracing = !err;
		if (err)
			printk(KERN_WARNING "counter: %s: no trace (%d)\n", m->name, err);
		trace_mark(m->name);
	}
}

/* After them: the mode's lock table, its trace (if it ran). */
static void see_end(const struct counter_mode *m, const struct counter_opts *o, bool ran)
{
	if (o->trace && tracing) {
		trace_stop();
		if (ran)
			trace_dump(m->name);
		tracing = false;
	}
	if (ran && lockstat_enabled()) {
		printk(KERN_NOTICE "counter: %s: lock statistics (lockstat=1; wait and hold in ns)\n",
		       m->name);
		lockstat_print("counter: ", 6);
	}
}

/* ---- the table ---- */

/* Run one mode `repeat` times into *out (the median run). Returns how
 * many runs of a protected mode were off, or a negative errno. */
static int run_repeated(const struct counter_mode *m, int workers, long iters,
			const struct counter_opts *o, struct counter_result *out)
{
	struct counter_result runs[COUNTER_MAX_REPEAT];
	int wrong = 0;

	see_start(m, o);
	for (int k = 0; k < o->repeat; k++) {
		int ret = counter_run_mode_bh(m, workers, iters, o->pin, o->bh, &runs[k]);
		if (ret < 0) {
			see_end(m, o, false);
			return ret;
		}
		if (!m->unprotected && runs[k].final != runs[k].expected) {
			printk(KERN_ERR "counter: mode=%s run %d ended at %ld, expected %ld: "
			       "the protection is broken\n", m->name, k + 1,
			       runs[k].final, runs[k].expected);
			wrong++;
		}
	}
	see_end(m, o, true);
	*out = median(runs, (int)o->repeat);
	return wrong;
}

static void print_table(const struct counter_result *res, int n, int bad, int protected)
{
	if (!n)
		return;
	print_header();
	for (int i = 0; i < n; i++)
		print_row(&res[i]);
	for (int i = 0; i < n; i++)
		print_machine_line(&res[i]);
	for (int i = 0; i < n; i++)
		if (res[i].unprotected)
			print_lost(&res[i]);
	if (bad)
		printk(KERN_ERR "counter: verdict: FAILED: %d of %d protected modes lost updates\n",
		       bad, protected);
	else
		printk(KERN_NOTICE "counter: verdict: all %d protected modes exact\n", protected);
}

/* One table: every mode with W workers x I iterations. Returns the
 * number of protected modes that were off, or a negative errno. */
static int run_table(const struct counter_opts *o, int workers, long iters,
		     const struct counter_mode **modes, int nmodes)
{
	struct counter_result *res = kzalloc(sizeof(*res) * nmodes, GFP_KERNEL);
	int bad = 0, protected = 0, done = 0;

	if (!res)
		return -ENOMEM;
	printk(KERN_NOTICE "counter: %d workers x %ld iterations on %d CPUs%s%s%s%s\n",
	       workers, iters, num_online_cpus(), o->pin ? ", pinned" : "",
	       o->repeat > 1 ? ", median of several runs" : "",
	       o->bh ? ", and a timer on each CPU adding 1 at each tick in softirq "
	       "context (counter.bh=1: expected includes what they added)" : "", BUILD_NOTE);
	if (lockstat_enabled() || o->trace)
		printk(KERN_NOTICE "counter: %s%s on: the costs below include theirs (make "
		       "bench: lockstat.*)\n", lockstat_enabled() ? "lockstat" : "",
		       o->trace ? (lockstat_enabled() ? " and the trace" : "the trace") : "");
	for (int i = 0; i < nmodes; i++) {
		printk(KERN_NOTICE "counter: running %s...\n", modes[i]->name);
		if (o->bh && modes[i]->bh_deadlocks)
			printk(KERN_WARNING "counter: %s with counter.bh=1: the workers hold "
			       "the lock with bottom halves on, and the timers' softirq takes it "
			       "too: expect lockdep's report, then a deadlock\n", modes[i]->name);
		int wrong = run_repeated(modes[i], workers, iters, o, &res[done]);
		if (wrong == -EOPNOTSUPP) {
			printk(KERN_NOTICE "counter: mode %s cannot run with counter.bh=1 (its "
			       "protection may sleep, and a softirq must not): skipped\n",
			       modes[i]->name);
			continue;
		}
		if (wrong == -ENOSYS) {
			printk(KERN_NOTICE "counter: mode %s is not written yet (a stub): "
			       "skipped\n", modes[i]->name);
			continue;
		}
		if (wrong == -EINTR) {
			printk(KERN_NOTICE "counter: stopped (Ctrl-C) in %s; the modes that "
			       "finished:\n", modes[i]->name);
			break;
		}
		if (wrong < 0) {
			kfree(res);
			return wrong;
		}
		bad += wrong > 0;
		protected += !modes[i]->unprotected;
		done++;
	}
	print_table(res, done, bad, protected);
	kfree(res);
	return bad;
}

int counter_experiment(const struct counter_opts *o)
{
	static const int grid_workers[] = { 16, 8, 4, 2 };
	long total = o->total ? o->total : o->grid ? COUNTER_GRID_TOTAL : COUNTER_DEFAULT_TOTAL;
	int nmodes = 0, bad = 0;
	const struct counter_mode **modes = select_modes(o->modes, &nmodes);

	if (!modes)
		return -ENOMEM;
	if (o->iters && o->total)
		printk(KERN_WARNING "counter: both iters and total given; using iters=%ld\n",
		       o->iters);
	if (!nmodes)
		printk(KERN_WARNING "counter: no valid mode selected\n");
	else if (!o->grid)
		bad = run_table(o, (int)o->workers,
				o->iters ? o->iters : MAX(total / o->workers, 1),
				modes, nmodes);
	else
		for (unsigned i = 0; i < ARRAY_SIZE(grid_workers) && bad >= 0; i++) {
			int w = grid_workers[i], r;
			r = run_table(o, w, MAX(total / w, 1), modes, nmodes);
			bad = r < 0 ? r : bad + r;
		}
	kfree(modes);
	return bad;
}
