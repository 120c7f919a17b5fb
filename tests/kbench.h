/*
 * kbench.h - in-kernel benchmarks (`make bench`; boot option `bench`).
 *
 * Benchmarks measure, they do not judge: they print numbers and never
 * fail a test run, because a slow or loaded machine must not turn a
 * correct kernel red. Declare one like a test:
 *
 *   KBENCH(spinlock, uncontended) {
 *       uint64_t t0 = ktime_get_ns();
 *       for (...) { spin_lock(&l); spin_unlock(&l); }
 *       kbench_report("spinlock.uncontended", ktime_get_ns() - t0, N, "");
 *   }
 *
 * Each report is one machine-readable line:
 *   bench: name=spinlock.uncontended cpus=4 ns_per_op=12.34 ops=1000000 [extra]
 */
#pragma once
#include "kernel/compiler.h"

struct kbench {
	const char *name;
	void (*fn)(void);
};

#define KBENCH(suite, bname)                                              \
	static void kbench_##suite##_##bname(void);                       \
	static const struct kbench __kbench_##suite##_##bname             \
		__used __section("kbenches") __aligned(8) = {             \
		.name = #suite "." #bname,                                \
		.fn = kbench_##suite##_##bname,                           \
	};                                                                \
	static void kbench_##suite##_##bname(void)

/* Print one result: total_ns spent on ops operations. */
void kbench_report(const char *name, uint64_t total_ns, uint64_t ops,
		   const char *extra);
/*
 * Run fn(id, arg) on two threads (id 0 and 1) bound to the first two
 * online CPUs and released together once both run. Returns the ns from
 * the first start to the last end, or 0 if there are not two CPUs or no
 * threads could be made (after saying so).
 */
uint64_t kbench_on_two_cpus(void (*fn)(int id, void *arg), void *arg);

/* Run the selected benchmarks, then exit QEMU. */
__noreturn void kbench_run(const char *filter);
