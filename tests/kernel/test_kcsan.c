/*
 * test_kcsan.c - planted data races, reported as Linux's KCSAN reports
 * them (kernel/kcsan.h), the report's first line checked exactly; and
 * marked accesses, which must not be reported. KCSAN=1 builds only.
 *
 * KCSAN samples: a race is seen only if one side is watched while the
 * other touches the same bytes. Each planted test repeats its racy loop
 * until a report appears (at most RACE_SECONDS); the marked test runs
 * the same loops for as long and must see none. Two CPUs at least: on
 * one, two accesses never overlap in time (a watch stalls with
 * interrupts off), which is why these tests say so and return.
 */
#include "tests/ktest.h"
#include "kernel/kcsan.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "kernel/cpumask.h"

#ifdef CONFIG_KCSAN

#define RACE_SECONDS 20
/* Not inlined, not cloned (kcsan_marked_reader.isra.0): the report's
 * names are the functions'. */
#define racy_fn static __noinline __attribute__((__noipa__))

static int planted_counter;
static int plain_flag;
static long marked_word;
static long assert_word;
static int done;
static uint64_t deadline;
static unsigned long reports_before;

racy_fn void kcsan_planted_inc(void)
{
	planted_counter++;			/* planted: two CPUs, no lock */
}

racy_fn void kcsan_plain_writer(int v)
{
	plain_flag = v;				/* planted: a plain store ... */
}

racy_fn int kcsan_marked_reader(void)
{
	return READ_ONCE(plain_flag);		/* ... a marked load polls */
}

racy_fn void kcsan_assert_writer(long v)
{
	ASSERT_EXCLUSIVE_WRITER(assert_word);	/* "only I write it" ... */
	WRITE_ONCE(assert_word, v);
}

racy_fn void kcsan_other_writer(long v)
{
	WRITE_ONCE(assert_word, v);		/* ... planted: not so */
}

/* Both racers stop at the first report, or at the deadline. */
static bool keep_going(unsigned long i)
{
	if (i % 256)
		return !READ_ONCE(done);
	if (kcsan_report_count() != reports_before || ktime_get_ns() > deadline)
		WRITE_ONCE(done, 1);
	return !READ_ONCE(done);
}

static void start(void)
{
	WRITE_ONCE(done, 0);
	reports_before = kcsan_report_count();
	deadline = ktime_get_ns() + RACE_SECONDS * NSEC_PER_SEC;
}

/* Run a planted race on two CPUs until KCSAN reports it (or the
 * deadline); returns the log mark to look for the report after. */
static unsigned long planted_race(void (*racer)(int idx, void *arg))
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	start();
	ktest_run_on_all_cpus(racer, NULL, true);
	return mark;
}

static bool two_cpus(void)
{
	if (num_online_cpus() >= 2)
		return true;
	ktest_info("kcsan: one CPU: two accesses cannot overlap; nothing to find\n");
	return false;
}

static void inc_racer(int idx, void *arg)
{
	(void)arg;
	for (unsigned long i = 0; idx < 2 && keep_going(i); i++)
		kcsan_planted_inc();
}

KTEST(kcsan, plain_counter_shared_by_two_cpus_is_reported)
{
	char line[160];

	if (!two_cpus())
		return;
	unsigned long mark = planted_race(inc_racer);
	KASSERT_MSG(kcsan_report_count() != reports_before,
		    "no report in %d s of two CPUs incrementing one int", RACE_SECONDS);
	KASSERT(ktest_log_contains(mark, "BUG: KCSAN: data-race in kcsan_planted_inc / kcsan_planted_inc\n"));
	scnprintf(line, sizeof(line), " to 0x%016lx of 4 bytes by task ",
		  (unsigned long)&planted_counter);
	KASSERT(ktest_log_contains(mark, line));
	KASSERT(ktest_log_contains(mark, "Reported by Kernel Concurrency Sanitizer on:\n"));
}

static void flag_racer(int idx, void *arg)
{
	(void)arg;
	for (unsigned long i = 0; idx < 2 && keep_going(i); i++) {
		if (idx == 0)
			kcsan_plain_writer((int)i);
		else
			(void)kcsan_marked_reader();
	}
}

/* Strict, as Linux's CONFIG_KCSAN_STRICT: the MCS handover bug's shape. */
KTEST(kcsan, plain_write_racing_with_a_marked_read_is_reported)
{
	char line[160];

	if (!two_cpus())
		return;
	unsigned long mark = planted_race(flag_racer);
	KASSERT(ktest_log_contains(mark, "BUG: KCSAN: data-race in kcsan_marked_reader / kcsan_plain_writer\n"));
	scnprintf(line, sizeof(line), "read (marked) to 0x%016lx of 4 bytes by task ",
		  (unsigned long)&plain_flag);
	KASSERT(ktest_log_contains(mark, line));
	scnprintf(line, sizeof(line), "write to 0x%016lx of 4 bytes by task ",
		  (unsigned long)&plain_flag);
	KASSERT(ktest_log_contains(mark, line));
}

static void assert_racer(int idx, void *arg)
{
	(void)arg;
	for (unsigned long i = 0; idx < 2 && keep_going(i); i++) {
		if (idx == 0)
			kcsan_assert_writer((long)i);
		else
			kcsan_other_writer((long)i);
	}
}

KTEST(kcsan, assert_exclusive_writer_catches_a_marked_writer)
{
	if (!two_cpus())
		return;
	unsigned long mark = planted_race(assert_racer);
	KASSERT(ktest_log_contains(mark, "BUG: KCSAN: assert: race in kcsan_assert_writer / kcsan_other_writer\n"));
	KASSERT(ktest_log_contains(mark, "assert no writes to 0x"));
}

/*
 * The same loops, marked: READ_ONCE/WRITE_ONCE on both sides, the
 * counter under data_race(). Plain accesses to each thread's own
 * variable keep watches going all along. Nothing may be reported - and
 * would be if marking did not work, as the planted tests show for the
 * same loops in the same time.
 */
static void marked_racer(int idx, void *arg)
{
	long own = 0;
	long *volatile mine = &own;	/* a plain access the compiler keeps */

	(void)arg;
	for (unsigned long i = 0; idx < 2 && i < 400000 && keep_going(i); i++) {
		WRITE_ONCE(marked_word, (long)i);
		(void)READ_ONCE(marked_word);
		data_race(planted_counter++);	/* a statistic, racy on purpose */
		*mine += 1;
	}
}

KTEST(kcsan, marked_accesses_are_not_reported)
{
	if (!two_cpus())
		return;
	start();
	deadline = ktime_get_ns() + 5 * NSEC_PER_SEC;
	ktest_run_on_all_cpus(marked_racer, NULL, true);
	KASSERT_EQ(kcsan_report_count(), reports_before);
}

#endif /* CONFIG_KCSAN */
