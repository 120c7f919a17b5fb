/*
 * ktest.h - in-kernel tests.
 *
 * A test is a function declared with KTEST(suite, name); it registers
 * itself in the `ktests` linker section, so adding a test only touches
 * its own file. Booting with `test` runs them all; `test=sched.*` or
 * `test=mem.kmalloc_basic,time.*` selects by name (`*` matches anything).
 * Each test prints `PASS suite.name` or `FAIL suite.name: file:line: why`,
 * and the run ends with `ktest: N passed, N failed` and exits QEMU with
 * success only if nothing failed.
 *
 *   KTEST(mem, kmalloc_basic) {
 *       void *p = kmalloc(10, GFP_KERNEL);
 *       KASSERT(p != NULL);
 *       KASSERT_EQ((uintptr_t)p % 16, 0);
 *       kfree(p);
 *   }
 *
 * A failed assertion records the failure and returns from the test
 * function (so assertions belong in the test body, or in helpers whose
 * caller checks ktest_failed()). Failures may also be recorded from other
 * threads or CPUs with KTEST_FAIL(); the first one wins.
 *
 * KTEST_EXPECT_PANIC(suite, name, "message") declares a test that must
 * crash the kernel with a panic whose output contains "message". Such a
 * test only runs in a boot of its own (`test=suite.name`, exact name);
 * the test runner checks the message and the panic exit status.
 *
 * Every test has a time limit (default 60 s, `test.timeout=SECONDS`);
 * past it the run stops with `FAIL name: timed out`.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/printk.h"

struct ktest {
	const char *name;
	void (*fn)(void);
	const char *expect_panic;	/* NULL for ordinary tests */
	const char *file;
};

#define __KTEST(suite, tname, panic_msg)                                  \
	static void ktest_##suite##_##tname(void);                        \
	static const struct ktest __ktest_##suite##_##tname               \
		__used __section("ktests") __aligned(8) = {               \
		.name = #suite "." #tname,                                \
		.fn = ktest_##suite##_##tname,                            \
		.expect_panic = panic_msg,                                \
		.file = __FILE__,                                         \
	};                                                                \
	static void ktest_##suite##_##tname(void)

#define KTEST(suite, name) __KTEST(suite, name, NULL)
#define KTEST_EXPECT_PANIC(suite, name, msg) __KTEST(suite, name, msg)

void ktest_fail(const char *file, int line, const char *fmt, ...) __printf(3, 4);
bool ktest_failed(void);
/* Run the selected tests; never returns (exits QEMU). */
__noreturn void ktest_run(const char *filter);
/* The same, returning the number run; *failed gets the failures. */
int ktest_run_tests(const char *filter, int *failed);
/* Does `name` match the test=/bench= filter syntax ("" matches all)? */
bool ktest_name_selected(const char *filter, const char *name);

/*
 * Threads a test waits for. In Linux, and here, a kernel thread that
 * returns on its own is freed as soon as it has: whoever will wait for
 * it, or stop it, must hold a reference. ktest_kthread_create() is
 * kthread_create() plus get_task_struct() (NULL, after a FAIL line, when
 * it cannot make one); ktest_kthread_run() also wakes it. Reap such a
 * thread with ktest_join() (wait until it returned, then
 * kthread_stop_put(): its exit value) or kthread_stop_put() (ask it to
 * stop first). A thread stopped before it ever ran never runs its
 * function - as in Linux.
 */
struct task_struct;
struct task_struct *ktest_kthread_create(int (*fn)(void *), void *data, const char *fmt, ...)
	__printf(3, 4);
struct task_struct *ktest_kthread_run(int (*fn)(void *), void *data, const char *fmt, ...)
	__printf(3, 4);
int ktest_join(struct task_struct *t);

/* fn(idx, arg) for idx 0..n-1 on n = num_online_cpus() threads started
 * together, thread idx bound to the idx-th online CPU (bound == false:
 * free to migrate); returns when all have returned. Returns n, or 0 if
 * out of memory. Not reentrant. */
int ktest_run_on_all_cpus(void (*fn)(int idx, void *arg), void *arg, bool bound);

/* Before measuring the heap: let deferred frees finish (threads that
 * returned but have not switched out for the last time, then RCU
 * callbacks), so that only this test's own use counts. */
void ktest_quiesce(void);

/* A WARNING (WARN_ON...) printed while a test runs fails it: a rule the
 * kernel checks was broken. A test that plants one on purpose says so
 * first. */
void ktest_expect_warnings(void);

/* The console log position now, and whether `text` was printed since. */
unsigned long ktest_log_mark(void);
bool ktest_log_contains(unsigned long mark, const char *text);

/* For long tests: print a progress note that is not a result. */
#define ktest_info(...) printk(KERN_INFO "ktest: " __VA_ARGS__)

#define KTEST_FAIL(...) ktest_fail(__FILE__, __LINE__, __VA_ARGS__)

#define KASSERT(cond)                                                     \
	do {                                                              \
		if (!(cond)) {                                            \
			KTEST_FAIL("assertion failed: %s", #cond);        \
			return;                                           \
		}                                                         \
	} while (0)

#define KASSERT_MSG(cond, ...)                                            \
	do {                                                              \
		if (!(cond)) {                                            \
			KTEST_FAIL(__VA_ARGS__);                          \
			return;                                           \
		}                                                         \
	} while (0)

/* The operands are stringified here, before any macro in them expands. */
#define __KASSERT_CMP(a, op, b, sa, sb)                                   \
	do {                                                              \
		long long a__ = (long long)(a), b__ = (long long)(b);     \
		if (!(a__ op b__)) {                                      \
			KTEST_FAIL("expected %s " #op " %s, got %lld vs %lld", \
				   sa, sb, a__, b__);                     \
			return;                                           \
		}                                                         \
	} while (0)

#define KASSERT_EQ(a, b) __KASSERT_CMP(a, ==, b, #a, #b)
#define KASSERT_NE(a, b) __KASSERT_CMP(a, !=, b, #a, #b)
#define KASSERT_LT(a, b) __KASSERT_CMP(a, <, b, #a, #b)
#define KASSERT_LE(a, b) __KASSERT_CMP(a, <=, b, #a, #b)
#define KASSERT_GT(a, b) __KASSERT_CMP(a, >, b, #a, #b)
#define KASSERT_GE(a, b) __KASSERT_CMP(a, >=, b, #a, #b)

#define KASSERT_STREQ(a, b)                                               \
	do {                                                              \
		const char *a__ = (a), *b__ = (b);                        \
		if (!a__ || strcmp(a__, b__) != 0) {                      \
			KTEST_FAIL("expected %s == \"%s\", got \"%s\"",   \
				   #a, b__, a__ ? a__ : "(null)");        \
			return;                                           \
		}                                                         \
	} while (0)

/* A small deterministic PRNG for tests (xorshift64*). */
static inline uint64_t ktest_rand(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}
