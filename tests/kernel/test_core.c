/*
 * test_core.c - printk formatting, symbols, per-CPU basics, time.
 */
#include "tests/ktest.h"
#include "kernel/ksyms.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/apic.h"
#include "sync/percpu.h"

KTEST(printk, snprintf_in_kernel)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%d|%5u|%-4x|%08lx|%s|%c|%%", -12, 34u,
		 0xabu, 0xbeefUL, "str", 'z');
	KASSERT_STREQ(buf, "-12|   34|ab  |0000beef|str|z|%");
	snprintf(buf, sizeof(buf), "%llu", 18446744073709551615ULL);
	KASSERT_STREQ(buf, "18446744073709551615");
}

static __noinline void symbol_probe(void)
{
	barrier();
}

KTEST(ksyms, lookup_own_function)
{
	uintptr_t off, size;
	const char *name = ksym_lookup((uintptr_t)&symbol_probe + 1, &off, &size);

	KASSERT(name != NULL);
	KASSERT_STREQ(name, "symbol_probe");
	KASSERT_EQ(off, 1);
	KASSERT_GT(size, 0);
	KASSERT_EQ(ksym_address("ktest_run"), (uintptr_t)&ktest_run);
}

static __attribute__((noipa)) int save_trace(uintptr_t *pcs, int max)
{
	int n = backtrace_save(read_rbp(), pcs, max);

	barrier();
	return n;
}

static __attribute__((noipa)) int caller_of_save(uintptr_t *pcs, int max)
{
	int n = save_trace(pcs, max);

	barrier();
	return n;
}

KTEST(ksyms, backtrace_names_callers)
{
	uintptr_t pcs[16], off, size;
	int n = caller_of_save(pcs, 16);

	KASSERT_GE(n, 2);
	KASSERT_STREQ(ksym_lookup(pcs[0], &off, &size), "caller_of_save");
	KASSERT_STREQ(ksym_lookup(pcs[1], &off, &size), "ktest_ksyms_backtrace_names_callers");
}

static DEFINE_PER_CPU(long, test_counter);

KTEST(percpu, this_cpu_ops_hit_own_copy)
{
	/* Preemption off: the CPU number must stay true (a test is not
	 * bound to a CPU, and reading it then migrating is the classic bug). */
	int cpu = get_cpu();
	long before = per_cpu(test_counter, cpu);

	this_cpu_inc(test_counter);
	this_cpu_add(test_counter, 10);
	this_cpu_dec(test_counter);
	long mine = per_cpu(test_counter, cpu), read = this_cpu_read(test_counter);
	bool same = this_cpu_ptr(&test_counter) == per_cpu_ptr(&test_counter, cpu);
	put_cpu();			/* before any assertion can return */
	KASSERT_EQ(mine, before + 10);
	KASSERT_EQ(read, before + 10);
	KASSERT(same);
	/* The template itself is never the live copy... */
	KASSERT(this_cpu_ptr(&test_counter) != &test_counter);
	/* ...and every per-CPU variable lies inside the template that is
	 * copied for each CPU (a linker-script slip once put them outside). */
	extern char __percpu_start[], __percpu_end[];
	KASSERT((char *)&test_counter >= __percpu_start);
	KASSERT((char *)(&test_counter + 1) <= __percpu_end);
	KASSERT((char *)&cpu_number >= __percpu_start);
	KASSERT((char *)(&cpu_number + 1) <= __percpu_end);
}

KTEST(time, monotonic_and_calibrated)
{
	uint64_t prev = ktime_get_ns();

	for (int i = 0; i < 100000; i++) {
		uint64_t now = ktime_get_ns();
		KASSERT_GE(now, prev);
		prev = now;
	}
	KASSERT_GT(tsc_khz(), 100000);		/* > 100 MHz */
	uint64_t t0 = ktime_get_ns();
	mdelay(20);
	KASSERT_GE(ktime_get_ns() - t0, 20 * NSEC_PER_MSEC);
}

/* The tick runs at HZ: over 200 ms of TSC time expect 200 ticks, loosely
 * (an emulator on a loaded host may lose ticks; it never gains many). */
KTEST(time, timer_ticks_at_hz)
{
	uint64_t t0 = ktime_get_ns();
	uint64_t ticks0 = this_cpu_read(tick_count);

	while (ktime_get_ns() - t0 < 200 * NSEC_PER_MSEC)
		cpu_relax();
	uint64_t ticks = this_cpu_read(tick_count) - ticks0;
	KASSERT_GE(ticks, 200 * HZ / 1000 / 10);	/* a busy host loses ticks */
	KASSERT_LE(ticks, 200 * HZ / 1000 * 2);
}
