/*
 * htest.h - a tiny unit-test harness for host tests.
 *
 * Host tests compile pure kernel code (no hardware access) with the host
 * compiler and libc, so it can be checked quickly and under sanitizers.
 * Output uses the same vocabulary as the in-kernel tests, so the test
 * runner can count both the same way:
 *
 *     PASS name
 *     FAIL name: file:line: reason
 *
 * Usage:
 *     HTEST(vsprintf_width) {
 *         CHECK_STR(fmt("%5d", 42), "   42");
 *     }
 *     int main(void) { return htest_run_all(); }
 */
#pragma once
#include <stdio.h>
#include <string.h>

struct htest {
	const char *name;
	void (*fn)(void);
};

#define HTEST_MAX 512
static struct htest htest_table[HTEST_MAX];
static int htest_count;
static int htest_failed_now;	/* set by CHECK* inside the running test */

#define HTEST(name)                                                     \
	static void htest_##name(void);                                 \
	__attribute__((constructor)) static void htest_reg_##name(void) \
	{                                                               \
		if (htest_count < HTEST_MAX)                            \
			htest_table[htest_count++] =                    \
				(struct htest){ #name, htest_##name };  \
	}                                                               \
	static void htest_##name(void)

/* Report the first failure of a test and stop checking further. */
#define HTEST_FAIL(...)                                                 \
	do {                                                            \
		if (!htest_failed_now) {                                \
			printf("FAIL %s: %s:%d: ", htest_current, __FILE__, \
			       __LINE__);                               \
			printf(__VA_ARGS__);                            \
			printf("\n");                                   \
		}                                                       \
		htest_failed_now = 1;                                   \
	} while (0)

#define CHECK(cond)                                                     \
	do {                                                            \
		if (!(cond))                                            \
			HTEST_FAIL("check failed: %s", #cond);          \
	} while (0)

#define CHECK_EQ(actual, expected)                                      \
	do {                                                            \
		long long a_ = (long long)(actual);                     \
		long long e_ = (long long)(expected);                   \
		if (a_ != e_)                                           \
			HTEST_FAIL("%s: expected %lld, got %lld",       \
				   #actual, e_, a_);                    \
	} while (0)

#define CHECK_STR(actual, expected)                                     \
	do {                                                            \
		const char *a_ = (actual);                              \
		const char *e_ = (expected);                            \
		if (!a_ || strcmp(a_, e_) != 0)                         \
			HTEST_FAIL("%s: expected \"%s\", got \"%s\"",   \
				   #actual, e_, a_ ? a_ : "(null)");    \
	} while (0)

static const char *htest_current = "";

static inline int htest_run_all(void)
{
	int passed = 0, failed = 0;

	for (int i = 0; i < htest_count; i++) {
		htest_current = htest_table[i].name;
		htest_failed_now = 0;
		htest_table[i].fn();
		if (htest_failed_now)
			failed++;
		else {
			passed++;
			printf("PASS %s\n", htest_current);
		}
	}
	fflush(stdout);
	return failed ? 1 : 0;
}
