/*
 * counter.c - running the counter experiment and reporting it.
 *
 * As the lab's Linux module does it: the workers are created first and
 * wait on a start completion; the clock starts just before complete_all()
 * releases them and stops when the monitor has collected every worker's
 * done completion. Creating the threads is not timed; waking them and
 * signalling their end is. Every worker adds 1, so the expected result is
 * W * I and each update missing from the final value was lost (with
 * counter.decrement=1 the odd-numbered workers subtract 1, as in the
 * seed lab, and lost updates can cancel out).
 *
 * The workers then start their loops together: each one, once running,
 * checks in and spins until as many workers as there are CPUs have
 * checked in. Without that, complete_all() wakes them one after another,
 * a wake-up may land on a CPU that is still busy, and a loop of a few
 * milliseconds is over before the next worker gets going: `none` then
 * loses nothing and the lesson is gone. Each worker also notes when its
 * loop began and ended, so the report can say how long the loops really
 * ran side by side.
 */
#include "lab/counter.h"
#include "lab/shell.h"
#include "arch/x86/fw_cfg.h"
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

/* What the workers of one run share. */
struct counter_run {
	struct completion start;	/* complete_all(): wake up */
	atomic_t arrived;		/* workers running and checked in */
	int together;			/* start the loops when this many have */
};

struct worker {
	const struct counter_mode *mode;
	long iters, delta;
	int ret;			/* what the mode's loop returned */
	struct counter_run *run;
	struct completion done;
	uint64_t t_begin, t_end;	/* ktime_get_ns() around its loop */
	int running;			/* workers checked in when its loop began */
};

/* Set to stop the workers early (Ctrl-C in the shell). */
static bool counter_stop;

/*
 * The mode's loop runs in chunks, with a look at counter_stop between
 * them: one call and one load per COUNTER_CHUNK iterations, nothing
 * inside the measured loop.
 */
#define COUNTER_CHUNK 1024L

/*
 * Check in, then spin until `together` workers have: those start their
 * loops within a few hundred nanoseconds of each other. Only as many as
 * there are CPUs are waited for (more could not all be running), and the
 * wait is preemptible: a worker woken onto a busy CPU is moved to an idle
 * one by the load balancer, or gets its turn at the end of a time slice.
 */
static int start_together(struct counter_run *run)
{
	int n = atomic_inc_return(&run->arrived);

	while (n < READ_ONCE(run->together) && !READ_ONCE(counter_stop)) {
		cpu_relax();
		n = atomic_read(&run->arrived);
	}
	return n;
}

static int worker_fn(void *arg)
{
	struct worker *w = arg;

	wait_for_completion(&w->run->start);
	w->running = start_together(w->run);
	w->t_begin = ktime_get_ns();
	for (long done = 0; done < w->iters && !w->ret; done += COUNTER_CHUNK) {
		if (READ_ONCE(counter_stop)) {
			w->ret = -EINTR;
			break;
		}
		w->ret = w->mode->op(MIN(COUNTER_CHUNK, w->iters - done), w->delta);
	}
	w->t_end = ktime_get_ns();
	complete(&w->done);
	return 0;
}

/*
 * Wait for a worker, a tenth of a second at a time: stop the run at a
 * Ctrl-C, and once it has taken COUNTER_PROGRESS_S seconds say how far
 * it got, and again every COUNTER_PROGRESS_S seconds (the default run's
 * modes take a second or two each: no need to chatter about those).
 */
#define COUNTER_PROGRESS_S 3
static void wait_worker(struct worker *w, const struct counter_mode *m, int i,
			int workers, uint64_t t0, uint64_t *next_report)
{
	while (!wait_for_completion_timeout(&w->done, HZ / 10)) {
		uint64_t now = ktime_get_ns();
		if (shell_interrupted() && !READ_ONCE(counter_stop)) {
			WRITE_ONCE(counter_stop, true);
			printk(KERN_NOTICE "counter: ^C: stopping the workers\n");
		}
		if (now - t0 >= *next_report) {
			printk(KERN_NOTICE "counter: %s: %d of %d workers done after %llu s "
			       "(Ctrl-C stops)\n", m->name, i, workers,
			       (unsigned long long)((now - t0) / NSEC_PER_SEC));
			*next_report += COUNTER_PROGRESS_S * NSEC_PER_SEC;
		}
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

int counter_run_mode(const struct counter_mode *m, int workers, long iters,
		     bool pin, struct counter_result *res)
{
	return counter_run(m, workers, iters, pin ? COUNTER_PIN : 0, res);
}

static void sort_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j] < v[j - 1]; j--) {
			uint64_t tmp = v[j];
			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
}

/*
 * How long at least two workers were inside their loops at once: the
 * time in which updates could be lost. Walk the loops' begin and end
 * times in order, counting the loops in progress.
 */
static uint64_t loops_overlap_ns(const struct worker *w, int workers)
{
	uint64_t begin[COUNTER_MAX_WORKERS], end[COUNTER_MAX_WORKERS];
	uint64_t overlap = 0, prev = 0;
	int b = 0, e = 0;

	for (int i = 0; i < workers; i++) {
		begin[i] = w[i].t_begin;
		end[i] = w[i].t_end;
	}
	sort_u64(begin, workers);
	sort_u64(end, workers);
	while (e < workers) {
		uint64_t t = b < workers && begin[b] <= end[e] ? begin[b] : end[e];
		if (b - e >= 2)			/* loops in progress since prev */
			overlap += t - prev;
		if (b < workers && begin[b] <= end[e])
			b++;
		else
			e++;
		prev = t;
	}
	return overlap;
}

/* Worker n's step: +1, or -1 for odd n with COUNTER_DECREMENT. */
static long worker_delta(int n, unsigned int flags)
{
	return (flags & COUNTER_DECREMENT) && n % 2 ? -1 : 1;
}

/*
 * Workers return on their own once they signalled `done`, and a kernel
 * thread that returns is freed: after the last wait_for_completion()
 * nothing of them needs reaping.
 */
int counter_run(const struct counter_mode *m, int workers, long iters,
		unsigned int flags, struct counter_result *res)
{
	struct counter_run run = { .arrived = ATOMIC_INIT(0) };
	bool bh = flags & COUNTER_BH;
	long bh_adds = 0, sum = 0;

	if (bh && !m->bh_op)
		return -EOPNOTSUPP;
	if (workers < 1 || workers > COUNTER_MAX_WORKERS || iters < 1)
		return -EINVAL;
	struct worker *w = kzalloc(sizeof(*w) * workers, GFP_KERNEL);
	int n, ret = 0, ncpu = num_online_cpus();

	if (!w)
		goto fail;
	init_completion(&run.start);
	run.together = MIN(workers, ncpu);
	m->reset();
	for (n = 0; n < workers; n++) {
		w[n] = (struct worker){ .mode = m, .iters = iters,
					.delta = worker_delta(n, flags), .run = &run };
		sum += w[n].delta * iters;
		init_completion(&w[n].done);
		struct task_struct *t = kthread_create(worker_fn, &w[n], "%s/%d", m->name, n);
		if (IS_ERR(t))
			goto fail_started;
		if (flags & COUNTER_PIN)
			kthread_bind(t, nth_online_cpu(n));
		wake_up_process(t);
	}
	WRITE_ONCE(counter_stop, false);
	uint64_t t0 = ktime_get_ns();
	if (bh)
		counter_bh_start(m);
	complete_all(&run.start);
	uint64_t next_report = COUNTER_PROGRESS_S * NSEC_PER_SEC;
	for (int i = 0; i < workers; i++)
		wait_worker(&w[i], m, i, workers, t0, &next_report);
	uint64_t ns = ktime_get_ns() - t0;
	if (bh)
		bh_adds = counter_bh_stop();
	int running = workers;
	for (int i = 0; i < workers; i++) {
		ret = ret ? ret : w[i].ret;
		running = MIN(running, w[i].running);
	}
	*res = (struct counter_result){
		.mode = m->name, .unprotected = m->unprotected, .cpus = ncpu,
		.workers = workers, .iters = iters, .final = m->read(),
		.expected = sum + bh_adds, .decrement = flags & COUNTER_DECREMENT,
		.bh_adds = bh_adds, .ns = ns,
		.overlap_ns = loops_overlap_ns(w, workers), .together = run.together,
		.running_at_start = running,
	};
	kfree(w);
	return ret;

fail_started:
	WRITE_ONCE(run.together, n);	/* those started must not wait for more */
	complete_all(&run.start);	/* let them run and return */
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

/*
 * The host's cores, as tools/qemu.sh tells QEMU to tell us
 * (opt/smpkern/host_cpus through fw_cfg); 0 when unknown (booted some
 * other way, or not under QEMU). Read once.
 */
int counter_host_cpus(void)
{
	static int host_cpus = -1;
	char text[16];
	long long v;

	if (READ_ONCE(host_cpus) < 0) {
		long len = fw_cfg_read_file("opt/smpkern/host_cpus", text, sizeof(text) - 1);
		text[len > 0 && len < (long)sizeof(text) ? len : 0] = 0;
		WRITE_ONCE(host_cpus, kstrtoll(text, 10, &v) == 0 && v > 0 && v < 100000 ? (int)v : 0);
	}
	return READ_ONCE(host_cpus);
}

/*
 * Why a run that should show lost updates showed few or none: one CPU,
 * one worker, loops that barely ran side by side, more vCPUs than the
 * host has cores (the host then runs them in turn, and two vCPUs that do
 * not run at the same time cannot race), or increments and decrements
 * that cancelled out. Writes the reason, to follow the "N updates lost"
 * line, into buf; returns false (buf empty) when at least
 * COUNTER_VISIBLE_LOSS_PCT percent were lost and no reason is due.
 */
bool counter_explain_lost(const struct counter_result *r, int host_cpus, char *buf, size_t size)
{
	uint64_t ops = (uint64_t)r->workers * (uint64_t)r->iters;
	uint64_t lost = (uint64_t)lost_updates(r), ms100 = r->overlap_ns / 10000;
	bool short_overlap = r->overlap_ns < COUNTER_MIN_OVERLAP_NS;
	bool oversubscribed = host_cpus > 0 && r->cpus > host_cpus;
	size_t len = 0;

	buf[0] = 0;
	if (r->cpus == 1) {
		snprintf(buf, size, " - one CPU: each update is one add instruction, "
			 "which an interrupt cannot split");
		return true;
	}
	if (r->workers == 1) {
		snprintf(buf, size, " - one worker: nobody to race with");
		return true;
	}
	if (lost * 100 >= ops * COUNTER_VISIBLE_LOSS_PCT)
		return false;
	len += scnprintf(buf + len, size - len, ": %s, because", lost ? "few" : "none");
	if (short_overlap)
		len += scnprintf(buf + len, size - len, " the workers' loops ran side by "
				 "side for only %llu.%02llu ms", FIX2(ms100));
	if (oversubscribed)
		len += scnprintf(buf + len, size - len, "%s %d vCPUs share %d host cores, "
				 "which the host runs in turn", short_overlap ? " and" : "",
				 r->cpus, host_cpus);
	if (short_overlap || oversubscribed) {
		char smp[32] = "";
		if (oversubscribed)
			snprintf(smp, sizeof(smp), "SMP=%d%s", host_cpus,
				 short_overlap ? " and " : "");
		scnprintf(buf + len, size - len, ": try %s%s", smp,
			  short_overlap ? "a larger counter.total" : "");
	} else if (r->decrement) {
		scnprintf(buf + len, size - len, " with counter.decrement=1 a lost "
			  "increment and a lost decrement cancel out: this is only a lower "
			  "bound (without it every lost update counts)");
	} else {
		scnprintf(buf + len, size - len, " the host did not run the vCPUs at the "
			  "same time, though the loops ran side by side for %llu.%02llu ms "
			  "(a busy host?): run it again", FIX2(ms100));
	}
	return true;
}

static void print_lost(const struct counter_result *r)
{
	uint64_t ops = (uint64_t)r->workers * r->iters;
	long lost = lost_updates(r);
	char why[256];

	counter_explain_lost(r, counter_host_cpus(), why, sizeof(why));
	printk(KERN_NOTICE "counter: %s: %s%ld updates lost of %llu (%llu.%02llu%%)%s\n",
	       r->mode, r->decrement ? "at least " : "", lost, (unsigned long long)ops,
	       FIX2((uint64_t)lost * 10000 / (ops ? ops : 1)), why);
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
		int ret = counter_run(m, workers, iters, counter_flags(o), &runs[k]);
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
