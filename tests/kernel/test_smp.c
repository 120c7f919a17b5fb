/*
 * test_smp.c - every CPU is up, has its own per-CPU data, answers IPIs,
 * ticks, and agrees on the time. These run on all CPUs at once through
 * cross-CPU calls (the handlers run with interrupts off on each CPU).
 */
#include "tests/ktest.h"
#include "kernel/cmdline.h"
#include "sched/sched.h"
#include "kernel/mm.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "sync/atomic.h"
#include "arch/x86/apic.h"

CMDLINE_OPTION("test.cpus", "the number of CPUs the tests should find online");

KTEST(smp, all_cpus_online)
{
	long expect = cmdline_get_int("test.cpus", 0, 0, NR_CPUS);
	int cpu, n = 0;

	/* Every CPU the firmware listed (and smp.max allowed) is online. */
	for_each_possible_cpu(cpu) {
		KASSERT_MSG(cpu_online(cpu), "CPU%d is possible but not online", cpu);
		n++;
	}
	KASSERT_EQ(num_online_cpus(), n);
	if (expect)
		KASSERT_EQ(num_online_cpus(), expect);
	/* APIC ids are distinct. */
	for_each_online_cpu(cpu)
		for (int other = 0; other < cpu; other++)
			KASSERT_NE(cpu_apic_id[cpu], cpu_apic_id[other]);
}

static DEFINE_PER_CPU(long, pcpu_hits);
static DEFINE_PER_CPU(int, pcpu_seen_id);
static long *pcpu_addr[NR_CPUS];

static void touch_percpu(void *arg)
{
	(void)arg;
	this_cpu_inc(pcpu_hits);
	this_cpu_write(pcpu_seen_id, smp_processor_id());
	pcpu_addr[smp_processor_id()] = this_cpu_ptr(&pcpu_hits);
}

KTEST(percpu, distinct_copies_per_cpu)
{
	int cpu;

	for_each_online_cpu(cpu)
		per_cpu(pcpu_hits, cpu) = 0;
	on_each_cpu(touch_percpu, NULL, true);
	for_each_online_cpu(cpu) {
		/* Each CPU's increment landed in its own copy, once. */
		KASSERT_EQ(per_cpu(pcpu_hits, cpu), 1);
		KASSERT_EQ(per_cpu(pcpu_seen_id, cpu), cpu);
		KASSERT(pcpu_addr[cpu] == per_cpu_ptr(&pcpu_hits, cpu));
		for (int other = 0; other < cpu; other++)
			KASSERT(pcpu_addr[cpu] != pcpu_addr[other]);
	}
}

static atomic_t calls_on[NR_CPUS];

static void count_call(void *arg)
{
	(void)arg;
	atomic_inc(&calls_on[smp_processor_id()]);
}

KTEST(smp, on_each_cpu_runs_once_everywhere)
{
	int cpu;

	for (int round = 1; round <= 50; round++) {
		on_each_cpu(count_call, NULL, true);
		for_each_online_cpu(cpu)
			KASSERT_EQ(atomic_read(&calls_on[cpu]), round);
	}
	for (int cpu2 = nr_cpu_ids; cpu2 < NR_CPUS; cpu2++)
		KASSERT_EQ(atomic_read(&calls_on[cpu2]), 0);
	for_each_online_cpu(cpu)
		atomic_set(&calls_on[cpu], 0);
}

static void report_cpu(void *arg)
{
	*(int *)arg = smp_processor_id();
}

KTEST(smp, ipi_to_each_cpu_is_answered)
{
	int cpu;

	for_each_online_cpu(cpu) {
		int where = -1;
		KASSERT_EQ(smp_call_function_single(cpu, report_cpu, &where, true), 0);
		KASSERT_EQ(where, cpu);
	}
	KASSERT_NE(smp_call_function_single(nr_cpu_ids, report_cpu, NULL, true), 0);
}

static atomic_t nowait_done;

static void nowait_call(void *arg)
{
	(void)arg;
	atomic_inc(&nowait_done);
}

KTEST(smp, call_function_without_waiting)
{
	struct kmalloc_stats before, after;
	int cpu, sent = 0;

	ktest_quiesce();
	kmalloc_get_stats(&before);
	atomic_set(&nowait_done, 0);
	for (int i = 0; i < 100; i++)
		for_each_online_cpu(cpu) {
			KASSERT_EQ(smp_call_function_single(cpu, nowait_call, NULL, false), 0);
			sent++;
		}
	uint64_t t0 = ktime_get_ns();
	while (atomic_read(&nowait_done) < sent && ktime_get_ns() - t0 < 10 * NSEC_PER_SEC)
		cpu_relax();
	KASSERT_EQ(atomic_read(&nowait_done), sent);
	/* The targets freed every request. */
	t0 = ktime_get_ns();
	do
		kmalloc_get_stats(&after);
	while (after.allocations != before.allocations &&
	       ktime_get_ns() - t0 < NSEC_PER_SEC);
	KASSERT_EQ(after.allocations, before.allocations);
}

/* Each CPU's tick advances, and never faster than about HZ. A busy host
 * may run a vCPU rarely (its ticks are then late or merged), so the test
 * waits until every CPU has ticked TICKS_WANTED times (up to 30 s)
 * instead of counting ticks in a fixed window. */
#define TICKS_WANTED 30
KTEST(time, every_cpu_ticks)
{
	uint64_t before[NR_CPUS];
	int cpu, slow;

	for_each_online_cpu(cpu)
		before[cpu] = per_cpu(tick_count, cpu);
	uint64_t t0 = ktime_get_ns();
	do {
		msleep(10);
		slow = -1;
		for_each_online_cpu(cpu)
			if (READ_ONCE(per_cpu(tick_count, cpu)) - before[cpu] < TICKS_WANTED)
				slow = cpu;
	} while (slow >= 0 && ktime_get_ns() - t0 < 30 * NSEC_PER_SEC);
	uint64_t ms = (ktime_get_ns() - t0) / NSEC_PER_MSEC;
	for_each_online_cpu(cpu) {
		uint64_t ticks = READ_ONCE(per_cpu(tick_count, cpu)) - before[cpu];
		KASSERT_MSG(ticks >= TICKS_WANTED, "CPU%d ticked %lu times in %lu ms", cpu,
			    (unsigned long)ticks, (unsigned long)ms);
		KASSERT_MSG(ticks <= ms * HZ / 1000 * 2 + 4,
			    "CPU%d ticked %lu times in %lu ms (HZ=%d): too fast", cpu,
			    (unsigned long)ticks, (unsigned long)ms, HZ);
	}
}

/* A time stamp taken before an IPI is sent can never be later than the
 * receiver's clock when the IPI arrives. */
#define SKEW_NS 20000
static void check_clock(void *arg)
{
	uint64_t sent = *(uint64_t *)arg;
	uint64_t now = ktime_get_ns();

	*(uint64_t *)arg = (now + SKEW_NS >= sent) ? 0 : sent - now;
}

KTEST(time, ktime_monotonic_across_cpus)
{
	int cpu;

	for (int round = 0; round < 200; round++)
		for_each_online_cpu(cpu) {
			uint64_t stamp = ktime_get_ns();
			smp_call_function_single(cpu, check_clock, &stamp, true);
			KASSERT_MSG(stamp == 0, "CPU%d's clock is %lu ns behind", cpu,
				    (unsigned long)stamp);
		}
}

/* Every CPU prints at once: no line may contain pieces of another. */
#define LINE_TAG "interleave-check"
static void print_lines(void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++)
		printk(KERN_INFO LINE_TAG " cpu=%03d seq=%02d %s\n", smp_processor_id(),
		       i, "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz");
}

/* 0: not one of ours; 1: ours and whole; -1: ours and broken. */
static int classify_line(const char *line, size_t len)
{
	/* "[time][Cn] interleave-check cpu=NNN seq=NN <62 chars>\n" */
	const size_t tail = sizeof(LINE_TAG) - 1 + 16 + 62 + 1;
	const char *tag = NULL;

	for (size_t i = 0; i + sizeof(LINE_TAG) - 1 <= len; i++)
		if (memcmp(line + i, LINE_TAG, sizeof(LINE_TAG) - 1) == 0) {
			tag = line + i;
			break;
		}
	if (!tag)
		return 0;
	if (line[0] != '[' || len - (size_t)(tag - line) != tail ||
	    memcmp(tag + tail - 63, "abcdefghijklmnopqrstuvwxyz0123456789", 36))
		return -1;
	return 1;
}

KTEST(printk, lines_from_all_cpus_never_mix)
{
	static char buf[LOG_BUF_SIZE];
	unsigned long start = log_buf_end();
	int lines = 0;

	on_each_cpu(print_lines, NULL, true);
	unsigned long n = log_buf_copy(buf, sizeof(buf), start);
	for (char *p = buf; p < buf + n;) {
		char *nl = memchr(p, '\n', buf + n - p);
		if (!nl)
			break;
		int c = classify_line(p, (size_t)(nl - p) + 1);
		KASSERT_MSG(c >= 0, "mixed line: %.100s", p);
		lines += c;
		p = nl + 1;
	}
	KASSERT_EQ(lines, 20 * num_online_cpus());
}

/* The heap from every CPU at once: nothing lost, no block shared. */
static atomic_t heap_errors;
static void heap_hammer(void *arg)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (smp_processor_id() + 1);
	void *ptrs[64] = { 0 };
	uint8_t tag = (uint8_t)(smp_processor_id() + 1);

	(void)arg;
	for (int i = 0; i < 4000; i++) {
		int s = (int)(ktest_rand(&seed) % 64);
		if (ptrs[s]) {
			uint8_t *b = ptrs[s];
			if (b[0] != tag || b[7] != tag)
				atomic_inc(&heap_errors);
			kfree(ptrs[s]);
			ptrs[s] = NULL;
		} else {
			size_t size = 8 + ktest_rand(&seed) % 3000;
			uint8_t *b = kmalloc(size, GFP_ATOMIC);	/* an IPI: atomic */
			if (!b) {
				atomic_inc(&heap_errors);
				continue;
			}
			memset(b, tag, 8);
			ptrs[s] = b;
		}
	}
	for (int s = 0; s < 64; s++)
		kfree(ptrs[s]);
}

KTEST(mem, kmalloc_from_all_cpus_at_once)
{
	struct kmalloc_stats before, after;

	ktest_quiesce();
	kmalloc_get_stats(&before);
	atomic_set(&heap_errors, 0);
	on_each_cpu(heap_hammer, NULL, true);
	kmalloc_get_stats(&after);
	KASSERT_EQ(atomic_read(&heap_errors), 0);
	KASSERT_EQ(after.allocations, before.allocations);
	KASSERT_EQ(after.bytes_in_use, before.bytes_in_use);
}

/* cpumask_first/next walk the same CPUs as for_each_cpu, in order. */
KTEST(smp, cpumask_walk_and_combine)
{
	unsigned int cpu, walked = 0;
	int each = 0;

	for_each_online_cpu(cpu)
		each++;
	for (cpu = cpumask_first(cpu_online_mask); cpu < (unsigned)nr_cpu_ids;
	     cpu = cpumask_next(cpu, cpu_online_mask)) {
		KASSERT(cpu_online(cpu));
		walked++;
	}
	KASSERT_EQ(walked, (unsigned)each);
	KASSERT_EQ(cpumask_first(cpu_online_mask), 0u);	/* the boot CPU */
	KASSERT(cpumask_next(cpumask_last(cpu_online_mask), cpu_online_mask) >=
		(unsigned)nr_cpu_ids);

	struct cpumask m;
	cpumask_clear(&m);
	KASSERT(cpumask_empty(&m));
	KASSERT(!cpumask_test_and_set_cpu(0, &m));
	KASSERT(cpumask_test_and_set_cpu(0, &m));
	KASSERT(cpumask_equal(&m, cpumask_of(0)));
	KASSERT_EQ(cpumask_weight(cpumask_of(0)), 1);
	KASSERT(cpumask_and(&m, &m, cpu_online_mask));	/* CPU 0 is online */
	KASSERT(!cpumask_andnot(&m, &m, cpu_online_mask));
	cpumask_or(&m, &m, cpu_online_mask);
	KASSERT(cpumask_equal(&m, cpu_online_mask));

	cpumask_var_t v;
	KASSERT(zalloc_cpumask_var(&v, GFP_KERNEL));
	KASSERT(cpumask_empty(v));
	cpumask_copy(v, cpu_online_mask);
	KASSERT_EQ(cpumask_weight(v), num_online_cpus());
	free_cpumask_var(v);
}

/* preempt_enable_no_resched() leaves a pending reschedule for
 * preempt_check_resched(), which takes it. */
KTEST(smp, preempt_check_resched_takes_a_pending_reschedule)
{
	preempt_disable();
	set_need_resched();
	preempt_enable_no_resched();
	KASSERT(need_resched());		/* not taken yet */
	preempt_check_resched();
	KASSERT(!need_resched());
}
