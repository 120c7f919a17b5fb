/*
 * test_kasan.c - planted memory bugs, reported as Linux's KASAN reports
 * them (kernel/kasan.h), the report's first lines checked exactly; and
 * correct accesses up to the last byte, which must not be reported.
 * KASAN=1 builds only.
 *
 * Without KASAN each planted access would pass unnoticed: the freed
 * object is still mapped (poisoned with 0x6b, but a read is not a
 * fault), the byte after a 60-byte object is its block's slack, the one
 * after a global is the next global.
 */
#include "tests/ktest.h"
#include "kernel/kasan.h"
#include "kernel/mm.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#ifdef CONFIG_KASAN

#define planted_fn static __noinline __attribute__((__noipa__))

planted_fn long kasan_planted_uaf_read(long *p)
{
	return p[1];				/* planted: after kfree(p) */
}

planted_fn void kasan_planted_oob_write(char *p, int i)
{
	p[i] = 'x';				/* planted: one past the end */
}

static char kasan_planted_global[13];

planted_fn char kasan_planted_global_read(int i)
{
	return kasan_planted_global[i];		/* planted: past the array */
}

/* "BUG: KASAN: TYPE in FN+0x" and the access line, as Linux prints them. */
static bool reported(unsigned long mark, const char *type, const char *fn,
		     const char *rw, size_t size, const void *addr)
{
	char line[160];

	scnprintf(line, sizeof(line), "BUG: KASAN: %s in %s+0x", type, fn);
	if (!ktest_log_contains(mark, line))
		return false;
	scnprintf(line, sizeof(line), "%s of size %zu at addr %016lx by task ", rw, size,
		  (unsigned long)addr);
	return ktest_log_contains(mark, line);
}

KTEST(kasan, use_after_kfree_is_reported_with_both_stacks)
{
	long *p = kmalloc(64, GFP_KERNEL);
	KASSERT(p != NULL);
	p[1] = 42;
	kfree(p);
	unsigned long mark = ktest_log_mark(), before = kasan_report_count();
	ktest_expect_warnings();		/* planted */
	(void)kasan_planted_uaf_read(p);
	KASSERT_EQ(kasan_report_count(), before + 1);
	KASSERT(reported(mark, "slab-use-after-free", "kasan_planted_uaf_read", "Read", 8, &p[1]));
	KASSERT(ktest_log_contains(mark, "Allocated by task "));
	KASSERT(ktest_log_contains(mark, "Freed by task "));
	KASSERT(ktest_log_contains(mark, "The buggy address is located 8 bytes inside of"));
	KASSERT(ktest_log_contains(mark, " freed 64-byte region ["));
}

KTEST(kasan, out_of_bounds_write_is_reported)
{
	char *p = kmalloc(60, GFP_KERNEL);
	KASSERT(p != NULL);
	unsigned long mark = ktest_log_mark(), before = kasan_report_count();
	ktest_expect_warnings();		/* planted */
	kasan_planted_oob_write(p, 60);
	KASSERT_EQ(kasan_report_count(), before + 1);
	KASSERT(reported(mark, "slab-out-of-bounds", "kasan_planted_oob_write", "Write", 1, p + 60));
	KASSERT(ktest_log_contains(mark, "The buggy address is located 0 bytes to the right of"));
	KASSERT(ktest_log_contains(mark, " 60-byte region ["));
	kfree(p);
}

KTEST(kasan, global_out_of_bounds_read_is_reported)
{
	unsigned long mark = ktest_log_mark(), before = kasan_report_count();
	ktest_expect_warnings();		/* planted */
	(void)kasan_planted_global_read(13);
	KASSERT_EQ(kasan_report_count(), before + 1);
	KASSERT(reported(mark, "global-out-of-bounds", "kasan_planted_global_read", "Read", 1,
			 &kasan_planted_global[13]));
}

/* Every byte of odd-sized objects, copies between them, a global to its
 * last byte, and krealloc's copy: nothing may be reported. */
KTEST(kasan, correct_accesses_are_not_reported)
{
	unsigned long before = kasan_report_count();

	for (size_t size = 1; size < 300; size += 7) {
		char *a = kmalloc(size, GFP_KERNEL), *b = kmalloc(size, GFP_KERNEL);
		KASSERT(a && b);
		for (size_t i = 0; i < size; i++)
			a[i] = (char)i;
		memcpy(b, a, size);
		KASSERT_EQ(b[size - 1], (char)(size - 1));
		char *c = krealloc(b, size + 5, GFP_KERNEL);
		KASSERT(c != NULL);
		c[size + 4] = 1;
		kfree(a);
		kfree(c);
	}
	for (int i = 0; i < 13; i++)
		kasan_planted_global[i] = (char)i;
	KASSERT_EQ(kasan_planted_global_read(12), 12);
	KASSERT_EQ(kasan_report_count(), before);
}

#endif /* CONFIG_KASAN */
