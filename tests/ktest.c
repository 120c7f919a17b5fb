/*
 * ktest.c - run the registered in-kernel tests and report.
 *
 * The output is a small line protocol read by tools/run-tests.sh:
 *   PASS name | FAIL name: reason | SKIP name: reason
 *   EXPECT-PANIC name: message    (then the test must panic)
 *   ktest: N passed, N failed, N skipped
 * The exit status (isa-debug-exit) says whether everything passed.
 *
 * The time limit is enforced from the timer tick, on whichever CPU sees
 * the deadline pass first: a hung test cannot be resumed, so the report
 * ends the whole run.
 */
#include "tests/ktest.h"
#include "kernel/kasan.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/init.h"
#include "lab/shell.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "sync/atomic.h"
#include "sync/spinlock.h"
#include "sched/sched.h"
#include "sched/wait.h"
#include "sync/barrier.h"
#include "sync/rcu.h"
#include "kernel/timer.h"

extern const struct ktest __start_ktests[], __stop_ktests[];

CMDLINE_OPTION("test", "run the in-kernel tests (test=PATTERN[,PATTERN] selects, * is a wildcard)");
CMDLINE_OPTION("test.timeout", "seconds each test may take (default 60)");

static const struct ktest *current_test;
static int current_failed;		/* first failure wins */
static uint64_t deadline_ns;		/* 0 when no test runs */
static uint64_t timeout_ns;
static int timeout_reported;
static bool tick_hook_registered;
static bool warnings_expected;

void ktest_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (xchg(&current_failed, 1) != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "FAIL %s: %s:%d: %s\n",
	       current_test ? current_test->name : "?", file, line, msg);
}

bool ktest_failed(void)
{
	return READ_ONCE(current_failed) != 0;
}

void ktest_quiesce(void)
{
	while (nr_threads_exiting())	/* their last switch frees, then RCU */
		msleep(1);
	rcu_barrier();
	kasan_quarantine_flush();	/* KASAN=1 holds freed blocks back */
}

static struct task_struct *vcreate(int (*fn)(void *), void *data, const char *fmt,
				   va_list ap)
{
	char name[TASK_COMM_LEN];

	vsnprintf(name, sizeof(name), fmt, ap);
	struct task_struct *t = kthread_create(fn, data, "%s", name);
	if (IS_ERR(t)) {
		KTEST_FAIL("cannot create thread %s: error %ld", name, PTR_ERR(t));
		return NULL;
	}
	return get_task_struct(t);
}

struct task_struct *ktest_kthread_create(int (*fn)(void *), void *data, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	struct task_struct *t = vcreate(fn, data, fmt, ap);
	va_end(ap);
	return t;
}

struct task_struct *ktest_kthread_run(int (*fn)(void *), void *data, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	struct task_struct *t = vcreate(fn, data, fmt, ap);
	va_end(ap);
	if (t)
		wake_up_process(t);
	return t;
}

int ktest_join(struct task_struct *t)
{
	wait_event(*t->exit_wait, smp_load_acquire(&t->exited));
	return kthread_stop_put(t);
}

/* ---- running one function on every CPU at once ---- */

struct par_ctx {
	void (*fn)(int idx, void *arg);
	void *arg;
	atomic_t ready;
	volatile int go;
};

struct par_thread {
	struct par_ctx *ctx;
	int idx;
};

static int par_fn(void *p)
{
	struct par_thread *pt = p;
	struct par_ctx *ctx = pt->ctx;

	atomic_inc(&ctx->ready);
	while (!READ_ONCE(ctx->go))
		cpu_relax();
	ctx->fn(pt->idx, ctx->arg);
	return 0;
}

/* fn(idx, arg) for idx 0..n-1, thread idx bound to the idx-th online CPU
 * (bound == false: free to migrate). Returns n, or 0 if out of memory. */
int ktest_run_on_all_cpus(void (*fn)(int idx, void *arg), void *arg, bool bound)
{
	static struct par_thread pts[NR_CPUS];
	static struct task_struct *tasks[NR_CPUS];
	struct par_ctx ctx = { .fn = fn, .arg = arg };
	int n = num_online_cpus();

	for (int i = 0; i < n; i++) {
		pts[i] = (struct par_thread){ .ctx = &ctx, .idx = i };
		tasks[i] = ktest_kthread_create(par_fn, &pts[i], "par/%d", i);
		if (!tasks[i])
			return 0;
		if (bound)
			kthread_bind(tasks[i], nth_online_cpu(i));
		wake_up_process(tasks[i]);
	}
	while (atomic_read(&ctx.ready) < n)
		msleep(1);
	smp_store_release(&ctx.go, 1);		/* all start together */
	for (int i = 0; i < n; i++)
		ktest_join(tasks[i]);
	return n;
}

unsigned long ktest_log_mark(void)
{
	return log_buf_end();
}

bool ktest_log_contains(unsigned long mark, const char *text)
{
	static char buf[LOG_BUF_SIZE];
	static DEFINE_SPINLOCK(buf_lock);
	size_t tlen = strlen(text);
	bool found = false;

	spin_lock(&buf_lock);
	unsigned long n = log_buf_copy(buf, sizeof(buf), mark);
	for (unsigned long i = 0; i + tlen <= n && !found; i++)
		found = memcmp(buf + i, text, tlen) == 0;
	spin_unlock(&buf_lock);
	return found;
}

/* Glob match with '*' only: enough for "sched.*" or "*.stress". */
static bool glob_match(const char *pat, const char *end, const char *s)
{
	if (pat == end)
		return *s == 0;
	if (*pat == '*') {
		for (;; s++) {
			if (glob_match(pat + 1, end, s))
				return true;
			if (!*s)
				return false;
		}
	}
	return *s && *pat == *s && glob_match(pat + 1, end, s + 1);
}

/* filter is "" (everything) or comma-separated patterns. */
/* "a.*,b.c" selects; a pattern starting with '-' leaves out what it
 * matches ("*,-assignment_*": all but the assignments' tests). */
static bool selected(const char *filter, const char *name, bool *exact)
{
	bool any_positive = false, match = false;

	*exact = false;
	if (!*filter)
		return true;
	for (const char *p = filter; *p;) {
		const char *comma = strchr(p, ',');
		const char *end = comma ? comma : p + strlen(p);
		if (*p == '-') {
			if (glob_match(p + 1, end, name))
				return false;
		} else {
			any_positive = true;
			if (!match && glob_match(p, end, name)) {
				*exact = !memchr(p, '*', end - p);
				match = true;
			}
		}
		p = comma ? comma + 1 : end;
	}
	return match || !any_positive;
}

bool ktest_name_selected(const char *filter, const char *name)
{
	bool exact;

	return selected(filter, name, &exact);
}

static void ktest_tick(void)
{
	uint64_t d = READ_ONCE(deadline_ns);

	if (!d || ktime_get_ns() < d || xchg(&timeout_reported, 1))
		return;
	printk(KERN_ERR "FAIL %s: timed out after %llu s\n", current_test->name,
	       (unsigned long long)(timeout_ns / NSEC_PER_SEC));
	sched_print_tasks();
	timer_print_pending();
	printk(KERN_ERR "ktest: stopping the run: a hung test cannot be resumed\n");
	machine_exit(EXIT_FAILURE_CODE);
}

void ktest_expect_warnings(void)
{
	WRITE_ONCE(warnings_expected, true);
}

/* Returns 1 if passed, 0 if failed. */
static int run_one(const struct ktest *t)
{
	unsigned int warnings = warn_count();

	WRITE_ONCE(current_failed, 0);
	WRITE_ONCE(warnings_expected, false);
	current_test = t;
	/* Which test was running if the kernel dies in it (make grade). */
	printk(KERN_INFO "RUN %s\n", t->name);
	WRITE_ONCE(deadline_ns, ktime_get_ns() + timeout_ns);
	t->fn();
	WRITE_ONCE(deadline_ns, 0);
	if (warn_count() != warnings && !READ_ONCE(warnings_expected))
		KTEST_FAIL("%u WARNING(s) during the test (see above): a checked rule "
			   "was broken", warn_count() - warnings);
	if (t->expect_panic) {
		KTEST_FAIL("expected a panic containing \"%s\", but the test returned",
			   t->expect_panic);
		return 0;
	}
	if (ktest_failed())
		return 0;
	printk(KERN_INFO "PASS %s\n", t->name);
	return 1;
}

int ktest_run_tests(const char *filter, int *failed_out)
{
	int passed = 0, failed = 0, skipped = 0;
	bool exact;

	timeout_ns = (uint64_t)cmdline_get_int("test.timeout", 60, 1, 3600) * NSEC_PER_SEC;
	if (!tick_hook_registered) {
		register_tick_hook(ktest_tick);
		tick_hook_registered = true;
	}
	printk(KERN_INFO "ktest: running tests matching '%s'\n", *filter ? filter : "*");
	for (const struct ktest *t = __start_ktests; t < __stop_ktests; t++) {
		if (!selected(filter, t->name, &exact))
			continue;
		if (t->expect_panic && !exact) {
			printk(KERN_INFO "SKIP %s: expects a panic, runs in its own boot\n",
			       t->name);
			skipped++;
			continue;
		}
		if (t->expect_panic)
			printk(KERN_INFO "EXPECT-PANIC %s: %s\n", t->name, t->expect_panic);
		if (run_one(t))
			passed++;
		else
			failed++;
	}
	printk(KERN_INFO "ktest: %d passed, %d failed, %d skipped\n", passed,
	       failed, skipped);
	if (passed + failed + skipped == 0)
		printk(KERN_ERR "ktest: no test matches '%s'\n", filter);
	*failed_out = failed;
	return passed + failed + skipped;
}

__noreturn void ktest_run(const char *filter)
{
	int failed;
	int ran = ktest_run_tests(filter, &failed);

	machine_exit(failed || ran == 0 ? EXIT_FAILURE_CODE : EXIT_SUCCESS_CODE);
}

/* Booted with `test`: run them instead of the lab, then leave QEMU. */
static int ktest_boot(void)
{
	if (cmdline_has("test"))
		ktest_run(cmdline_get_str("test", ""));
	return 0;
}
late_initcall(ktest_boot);

/* ---- the shell's commands ---- */

static void cmd_test(int argc, char **argv)
{
	int failed;

	ktest_run_tests(argc > 1 ? argv[1] : "", &failed);
}
SHELL_COMMAND(test, "[pattern]", "run in-kernel tests (not those that must panic)", cmd_test);

static void cmd_torture(int argc, char **argv)
{
	int failed;

	(void)argc; (void)argv;
	ktest_run_tests("*torture*", &failed);
}
SHELL_COMMAND(torture, "", "run the lock, RCU and seqlock torture tests", cmd_torture);
