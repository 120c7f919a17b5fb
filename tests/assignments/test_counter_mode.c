/*
 * test_counter_mode.c - grading test for assignment 6, the cmpxchg mode.
 */
#include "tests/ktest.h"
#include "assignments/assignment.h"
#include "lab/counter.h"

KTEST(assignment_counter_mode, exact)
{
	static const int workers[] = { 1, 2, 3, 4, 8 };
	const struct counter_mode *m = counter_find_mode("cmpxchg");
	struct counter_result r;

	KASSERT(m != NULL);
	int ret = counter_run_mode(m, 1, 10, false, &r);
	KASSERT_IMPLEMENTED("counter_mode");
	KASSERT_EQ(ret, 0);
	for (unsigned w = 0; w < ARRAY_SIZE(workers); w++) {
		KASSERT_EQ(counter_run_mode(m, workers[w], 20000, false, &r), 0);
		KASSERT_MSG(r.final == r.expected, "%d workers ended at %ld, expected %ld",
			    workers[w], r.final, r.expected);
	}
}
