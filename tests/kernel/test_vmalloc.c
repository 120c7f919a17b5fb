/*
 * test_vmalloc.c - vmalloc keeps Linux's contract: an area bigger than
 * any physically contiguous block is usable, made of scattered pages;
 * every CPU sees the same contents; vmalloc/vfree on every CPU at once
 * lose nothing and overlap nowhere; vfree works from a timer callback and
 * an IPI (deferred); calling vmalloc where sleeping is forbidden is
 * reported; kvmalloc falls back to vmalloc only where Linux's does. And
 * the bugs fault, naming the area: running off the end (guard page), a
 * use after vfree - on this CPU and on another one, whose TLB vfree must
 * have flushed.
 */
#include "tests/ktest.h"
#include "kernel/mm.h"
#include "kernel/cpumask.h"
#include "kernel/string.h"
#include "kernel/smp.h"
#include "kernel/timer.h"
#include "kernel/time.h"
#include "arch/x86/paging.h"
#include "sched/sched.h"
#include "sync/atomic.h"
#include "sync/spinlock.h"

/* A pattern each area can be checked against: word i of seed s. */
static uint64_t pattern(uint64_t seed, size_t i)
{
	return seed ^ (i * 0x9e3779b97f4a7c15ULL);
}

static void fill(void *p, size_t bytes, uint64_t seed)
{
	uint64_t *w = p;

	for (size_t i = 0; i < bytes / 8; i++)
		w[i] = pattern(seed, i);
}

/* The index of the first word that is wrong, or -1. */
static long first_bad(const void *p, size_t bytes, uint64_t seed)
{
	const uint64_t *w = p;

	for (size_t i = 0; i < bytes / 8; i++)
		if (w[i] != pattern(seed, i))
			return (long)i;
	return -1;
}

/* vfree() from an interrupt frees later, in a work item: wait for it. */
static bool vmalloc_pages_back_to(unsigned long before)
{
	for (int i = 0; i < 2000 && vmalloc_nr_pages() != before; i++)
		msleep(1);
	return vmalloc_nr_pages() == before;
}

/* An online CPU other than this one, or -1 (CPU numbers may have gaps). */
static int other_cpu(void)
{
	int cpu, me = raw_smp_processor_id();

	for_each_online_cpu(cpu)
		if (cpu != me)
			return cpu;
	return -1;
}

/* ---- the contract's corner cases ---- */

KTEST(vmalloc, sizes_flags_and_addresses)
{
	unsigned long before = vmalloc_nr_pages(), mark = ktest_log_mark();

	char *p = vmalloc(1);
	KASSERT(p != NULL);
	KASSERT(is_vmalloc_addr(p));
	KASSERT_EQ((uintptr_t)p % PAGE_SIZE, 0);
	KASSERT((uintptr_t)p >= VMALLOC_START && (uintptr_t)p < VMALLOC_END);
	KASSERT_EQ(vmalloc_nr_pages(), before + 1);
	memset(p, 0x11, PAGE_SIZE);		/* the whole page is there */
	KASSERT(!is_mapped((uintptr_t)p + PAGE_SIZE));	/* then the guard */
	vfree(p);
	KASSERT_EQ(vmalloc_nr_pages(), before);
	KASSERT(!is_mapped((uintptr_t)p));

	void *k = kmalloc(64, GFP_KERNEL);
	KASSERT(!is_vmalloc_addr(k));
	KASSERT(!is_vmalloc_addr(NULL));
	kfree(k);
	vfree(NULL);				/* does nothing, as Linux */

	/* vzalloc, vcalloc: zeroed; vmalloc_array: n * size, overflow NULL. */
	uint64_t *z = vzalloc(3 * PAGE_SIZE + 5);
	KASSERT(z != NULL);
	for (size_t i = 0; i < (3 * PAGE_SIZE + 5) / 8; i++)
		KASSERT_EQ(z[i], 0);
	vfree(z);
	uint32_t *a = vmalloc_array(1000, sizeof(uint32_t));
	KASSERT(a != NULL);
	a[999] = 7;
	vfree(a);
	KASSERT(vmalloc_array(SIZE_MAX / 2, 4) == NULL);
	KASSERT(vcalloc(SIZE_MAX / 8 + 1, 8) == NULL);
	uint64_t *c = vcalloc(2000, 8);
	KASSERT(c != NULL);
	KASSERT_EQ(c[0] | c[1999], 0);
	vfree(c);

	/* More than all RAM, or "all of the address space": NULL, said. */
	KASSERT(vmalloc((pmm_total_pages() + 1) << PAGE_SHIFT) == NULL);
	KASSERT(ktest_log_contains(mark, "vmalloc error: size"));
	KASSERT(vmalloc(~0UL) == NULL);
	KASSERT(__vmalloc(~0UL, GFP_KERNEL | __GFP_NOWARN) == NULL);
	/* vmalloc(0) is a caller's bug in Linux: NULL and a WARNING. */
	ktest_expect_warnings();
	KASSERT(vmalloc(0) == NULL);
	KASSERT_EQ(vmalloc_nr_pages(), before);
}

KTEST(vmalloc, bad_vfree_warns_and_frees_nothing)
{
	unsigned long mark = ktest_log_mark();
	char *p = vmalloc(2 * PAGE_SIZE);

	KASSERT(p != NULL);
	ktest_expect_warnings();			/* planted */
	vfree(p + 8);
	KASSERT(ktest_log_contains(mark, "Trying to vfree() bad address"));
	vfree(p + PAGE_SIZE);		/* page-aligned but not what vmalloc returned */
	KASSERT(ktest_log_contains(mark, "Trying to vfree() nonexistent vm area"));
	p[2 * PAGE_SIZE - 1] = 1;	/* still all there */
	vfree(p);
	mark = ktest_log_mark();
	vfree(p);				/* a double vfree */
	KASSERT(ktest_log_contains(mark, "Trying to vfree() nonexistent vm area"));
}

/* No memory: NULL, and what was taken on the way is given back. */
KTEST(vmalloc, out_of_memory_gives_null_and_returns_everything)
{
	unsigned long before = vmalloc_nr_pages();
	struct kmalloc_stats heap_before, heap_after;
	uintptr_t *head = NULL;
	void *f;

	/* Leave 32 frames: the area wants 64. */
	while (pmm_free_pages() > 32 && (f = alloc_page()) != NULL) {
		*(uintptr_t **)f = head;
		head = f;
	}
	kmalloc_get_stats(&heap_before);
	unsigned long free_before = pmm_free_pages();
	void *p = __vmalloc(64 * PAGE_SIZE, GFP_KERNEL | __GFP_NOWARN);
	unsigned long free_after = pmm_free_pages();
	kmalloc_get_stats(&heap_after);
	while (head) {
		uintptr_t *next = *(uintptr_t **)head;
		free_page(head);
		head = next;
	}
	KASSERT(p == NULL);
	KASSERT_EQ(vmalloc_nr_pages(), before);
	/* Every frame is back, but those the heap keeps for small objects. */
	KASSERT_EQ(free_after + heap_after.pages - heap_before.pages, free_before);
	KASSERT_EQ(heap_after.allocations, heap_before.allocations);
}

/* ---- big, scattered, shared ---- */

/* Four times what kmalloc can give in one piece, all usable. */
KTEST(vmalloc, area_bigger_than_any_kmalloc_is_usable)
{
	const size_t size = 4 * (KMALLOC_MAX_SIZE + 16);	/* 16 MiB */
	const unsigned long nr = size / PAGE_SIZE;
	unsigned long before = vmalloc_nr_pages();

	KASSERT(kmalloc(size, GFP_KERNEL) == NULL);
	char *p = vmalloc(size);
	KASSERT(p != NULL);
	KASSERT_EQ(vmalloc_nr_pages(), before + nr);
	fill(p, size, 0x1234);
	KASSERT_EQ(first_bad(p, size, 0x1234), -1);
	/* Page by page: the frame vmalloc_to_page() names holds the same
	 * data, seen through the direct map. */
	unsigned long breaks = 0;
	for (unsigned long i = 0; i < nr; i++) {
		char *va = p + i * PAGE_SIZE;
		struct page *pg = vmalloc_to_page(va);
		KASSERT(pg != NULL);
		KASSERT_EQ(vmalloc_to_pfn(va), page_to_pfn(pg));
		KASSERT_EQ(*(uint64_t *)page_address(pg), *(uint64_t *)va);
		if (i && vmalloc_to_pfn(va) != vmalloc_to_pfn(va - PAGE_SIZE) + 1)
			breaks++;
	}
	ktest_info("vmalloc: %lu MiB in %lu pages, %lu places where the next page is "
		   "not the next frame\n", (unsigned long)(size >> 20), nr, breaks);
	KASSERT(!is_mapped((uintptr_t)p + size));
	vfree(p);
	KASSERT_EQ(vmalloc_nr_pages(), before);
}

/*
 * Pages are taken one at a time, wherever they are free: punch holes in
 * a block of 64 frames, and the next area is built from the holes - not
 * one page next to the other in physical memory, yet contiguous to the
 * code that uses it.
 */
KTEST(vmalloc, pages_come_from_anywhere)
{
	char *block = alloc_pages(6);
	const int n = 32;

	KASSERT(block != NULL);
	for (int i = 1; i < 64; i += 2)
		free_page(block + i * PAGE_SIZE);
	char *p = vmalloc(n * PAGE_SIZE);
	KASSERT(p != NULL);
	unsigned long first = virt_to_phys(block) >> PAGE_SHIFT;
	int in_holes = 0, adjacent = 0;
	for (int i = 0; i < n; i++) {
		unsigned long pfn = vmalloc_to_pfn(p + i * PAGE_SIZE);
		if (pfn >= first && pfn < first + 64 && (pfn - first) % 2)
			in_holes++;
		if (i && pfn == vmalloc_to_pfn(p + (i - 1) * PAGE_SIZE) + 1)
			adjacent++;
	}
	fill(p, n * PAGE_SIZE, 77);
	KASSERT_EQ(first_bad(p, n * PAGE_SIZE, 77), -1);
	ktest_info("vmalloc: %d of %d pages from the holes, %d next to the one before\n",
		   in_holes, n, adjacent);
	vfree(p);
	for (int i = 0; i < 64; i += 2)
		free_page(block + i * PAGE_SIZE);
	KASSERT_GT(in_holes, 0);
	KASSERT_LT(adjacent, n - 1);
}

/* One CPU writes, every CPU reads; then each writes a slice and all
 * read every slice. */
#define SLICE (16 * PAGE_SIZE)
static char *shared_area;
static atomic_t wrote, shared_bad;

static void share(int idx, void *arg)
{
	int n = *(int *)arg;

	if (first_bad(shared_area, SLICE, 0xc0ffee) >= 0)
		atomic_inc(&shared_bad);
	fill(shared_area + (idx + 1) * SLICE, SLICE, (uint64_t)idx + 1);
	atomic_inc(&wrote);
	while (atomic_read(&wrote) < n)
		cpu_relax();
	for (int j = 0; j < n; j++)
		if (first_bad(shared_area + (j + 1) * SLICE, SLICE, (uint64_t)j + 1) >= 0)
			atomic_inc(&shared_bad);
}

KTEST(vmalloc, contents_seen_by_every_cpu)
{
	int n = num_online_cpus();

	shared_area = vmalloc((n + 1) * SLICE);
	KASSERT(shared_area != NULL);
	fill(shared_area, SLICE, 0xc0ffee);
	atomic_set(&wrote, 0);
	atomic_set(&shared_bad, 0);
	KASSERT_EQ(ktest_run_on_all_cpus(share, &n, true), n);
	KASSERT_EQ(atomic_read(&shared_bad), 0);
	for (int j = 0; j < n; j++)
		KASSERT_EQ(first_bad(shared_area + (j + 1) * SLICE, SLICE, (uint64_t)j + 1), -1);
	vfree(shared_area);
}

/* ---- every CPU at once ---- */

/* Rounds per CPU: fewer with more CPUs - every vfree() waits for all of
 * them, and 8 vCPUs on 2 host cores answer slowly. */
#define STRESS_WORK 2400
#define STRESS_MAX_ROUNDS 800
#define STRESS_SLOTS 6
#define MAX_LIVE (NR_CPUS * STRESS_SLOTS)

/* Every live area's range with its guard, to check that none overlap. */
static struct { uintptr_t start, end; } live[MAX_LIVE];
static DEFINE_SPINLOCK(live_lock);
static atomic_t stress_allocs, stress_bad;

static bool note_live(void *p, size_t size)
{
	uintptr_t start = (uintptr_t)p, end = start + ALIGN_UP(size, PAGE_SIZE) + PAGE_SIZE;
	int free_slot = -1;
	bool ok = true;

	spin_lock(&live_lock);
	for (int i = 0; i < MAX_LIVE; i++) {
		if (!live[i].start)
			free_slot = free_slot < 0 ? i : free_slot;
		else if (start < live[i].end && live[i].start < end)
			ok = false;
	}
	if (ok && free_slot >= 0) {
		live[free_slot].start = start;
		live[free_slot].end = end;
	}
	spin_unlock(&live_lock);
	return ok && free_slot >= 0;
}

static void forget_live(void *p)
{
	spin_lock(&live_lock);
	for (int i = 0; i < MAX_LIVE; i++)
		if (live[i].start == (uintptr_t)p)
			live[i].start = live[i].end = 0;
	spin_unlock(&live_lock);
}

static void stress(int idx, void *arg)
{
	struct { char *p; size_t size; uint64_t seed; } slot[STRESS_SLOTS] = { { 0 } };
	uint64_t rng = 0x9e3779b97f4a7c15ULL * (uint64_t)(idx + 1);
	int rounds = *(int *)arg;

	for (int round = 0; round < rounds + STRESS_SLOTS; round++) {
		/* The last rounds empty every slot. */
		int s = round < rounds ? (int)(ktest_rand(&rng) % STRESS_SLOTS)
				       : round - rounds;
		if (slot[s].p) {
			long bad = first_bad(slot[s].p, slot[s].size, slot[s].seed);
			if (bad >= 0) {
				atomic_inc(&stress_bad);
				KTEST_FAIL("CPU%d: area %p word %ld changed under us", idx,
					   slot[s].p, bad);
			}
			forget_live(slot[s].p);
			vfree(slot[s].p);
			slot[s].p = NULL;
		} else if (round < rounds) {
			uint64_t r = ktest_rand(&rng);
			size_t size = 8 + r % ((r >> 32) % 4 ? 16 * 1024 : 256 * 1024);
			char *p = vmalloc(size);
			if (!p || !is_vmalloc_addr(p) || (uintptr_t)p % PAGE_SIZE ||
			    !note_live(p, size) ||
			    is_mapped((uintptr_t)p + ALIGN_UP(size, PAGE_SIZE))) {
				atomic_inc(&stress_bad);
				KTEST_FAIL("CPU%d: vmalloc(%zu) = %p: NULL, misplaced, "
					   "overlapping or without a guard page", idx, size, p);
				if (p)
					vfree(p);
				continue;
			}
			size &= ~7UL;
			slot[s] = (typeof(slot[s])){ p, size, r };
			fill(p, size, r);
			atomic_inc(&stress_allocs);
		}
	}
}

KTEST(vmalloc, alloc_and_free_on_every_cpu_at_once)
{
	struct kmalloc_stats heap_before, heap_after;
	unsigned long before = vmalloc_nr_pages();

	ktest_quiesce();
	kstack_reclaim();
	kmalloc_get_stats(&heap_before);
	unsigned long frames_before = pmm_free_pages(), stacks_before = kstack_in_use();
	atomic_set(&stress_allocs, 0);
	atomic_set(&stress_bad, 0);
	int rounds = MIN(STRESS_MAX_ROUNDS, STRESS_WORK / num_online_cpus());
	int n = ktest_run_on_all_cpus(stress, &rounds, true);
	KASSERT_GT(n, 0);
	KASSERT_EQ(atomic_read(&stress_bad), 0);
	ktest_info("vmalloc: %d areas allocated, checked and freed on %d CPUs\n",
		   atomic_read(&stress_allocs), n);
	/* Nothing lost: vmalloc's pages, the heap, the frames. */
	KASSERT_EQ(vmalloc_nr_pages(), before);
	ktest_quiesce();
	kstack_reclaim();		/* the threads' stacks */
	kmalloc_get_stats(&heap_after);
	KASSERT_EQ(heap_after.allocations, heap_before.allocations);
	/* Frames the heap keeps for small objects, or stacks of threads
	 * still exiting, are not lost. */
	KASSERT_GE(pmm_free_pages() + heap_after.pages - heap_before.pages +
		   (kstack_in_use() - stacks_before) * KSTACK_PAGES, frames_before);
}

/* ---- vfree from interrupts ---- */

#define IRQ_AREAS 8
static char *irq_area[IRQ_AREAS];
static atomic_t freed_in_irq, not_in_irq;

static void free_all_from_timer(struct timer_list *t)
{
	(void)t;
	if (!in_interrupt())
		atomic_inc(&not_in_irq);
	for (int i = 0; i < IRQ_AREAS; i++) {
		if (i % 2)
			vfree(irq_area[i]);
		else
			kvfree(irq_area[i]);		/* the same, through kvfree */
		atomic_inc(&freed_in_irq);
	}
}

static void free_from_ipi(void *p)
{
	if (!in_irq())
		atomic_inc(&not_in_irq);
	vfree(p);
	atomic_inc(&freed_in_irq);
}

KTEST(vmalloc, vfree_from_timer_and_ipi_is_deferred)
{
	static struct timer_list timer;
	unsigned long before = vmalloc_nr_pages();

	atomic_set(&freed_in_irq, 0);
	atomic_set(&not_in_irq, 0);
	for (int i = 0; i < IRQ_AREAS; i++) {
		irq_area[i] = vmalloc((i + 1) * PAGE_SIZE);
		KASSERT(irq_area[i] != NULL);
		fill(irq_area[i], (i + 1) * PAGE_SIZE, i);
	}
	timer_setup(&timer, free_all_from_timer, 0);
	mod_timer(&timer, jiffies + 1);
	for (int i = 0; i < 5000 && atomic_read(&freed_in_irq) < IRQ_AREAS; i++)
		msleep(1);
	del_timer_sync(&timer);
	KASSERT_EQ(atomic_read(&freed_in_irq), IRQ_AREAS);
	KASSERT_MSG(vmalloc_pages_back_to(before), "areas vfree()d in a timer never freed");

	/* A hard interrupt: another CPU's IPI handler. */
	int cpu = other_cpu();
	if (cpu >= 0) {
		char *p = vmalloc(5 * PAGE_SIZE);
		KASSERT(p != NULL);
		KASSERT_EQ(smp_call_function_single(cpu, free_from_ipi, p, true), 0);
		KASSERT_MSG(vmalloc_pages_back_to(before), "an area vfree()d in an IPI never freed");
	}
	/* vfree_atomic: deferred from any context; no report with
	 * preemption off. */
	char *q = vmalloc(PAGE_SIZE);
	KASSERT(q != NULL);
	preempt_disable();
	vfree_atomic(q);
	preempt_enable();
	KASSERT(vmalloc_pages_back_to(before));
	KASSERT_EQ(atomic_read(&not_in_irq), 0);
}

/* vmalloc may sleep: asking for it where that is forbidden is reported,
 * as in Linux, even though this time it did not sleep. */
KTEST(vmalloc, vmalloc_in_atomic_context_is_reported)
{
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();			/* planted */
	preempt_disable();
	char *p = vmalloc(PAGE_SIZE);		/* the planted bug */
	preempt_enable();
	KASSERT(p != NULL);
	KASSERT(ktest_log_contains(mark, "BUG: sleeping function called from invalid context at kernel/vmalloc.c"));
	mark = ktest_log_mark();
	preempt_disable();
	vfree(p);				/* this one too */
	preempt_enable();
	KASSERT(ktest_log_contains(mark, "BUG: sleeping function called from invalid context at kernel/vmalloc.c"));
}

/* ---- kvmalloc ---- */

KTEST(vmalloc, kvmalloc_falls_back_to_vmalloc_like_linux)
{
	unsigned long before = vmalloc_nr_pages();

	void *small = kvmalloc(100, GFP_KERNEL);
	KASSERT(small != NULL);
	KASSERT(!is_vmalloc_addr(small));	/* kmalloc served it */
	kvfree(small);
	char *big = kvmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL);
	KASSERT(big != NULL);
	KASSERT(is_vmalloc_addr(big));		/* kmalloc could not */
	big[KMALLOC_MAX_SIZE] = 1;
	kvfree(big);
	KASSERT_EQ(vmalloc_nr_pages(), before);
	/* No fallback for callers that must not sleep. */
	KASSERT(kvmalloc(KMALLOC_MAX_SIZE + 1, GFP_ATOMIC) == NULL);
	KASSERT(kvmalloc(KMALLOC_MAX_SIZE + 1, GFP_NOWAIT) == NULL);
	/* Nor for sizes over INT_MAX. */
	KASSERT(kvmalloc(1UL << 31, GFP_KERNEL | __GFP_NOWARN) == NULL);
	KASSERT(kvmalloc_array(SIZE_MAX / 4, 8, GFP_KERNEL) == NULL);

	uint64_t *z = kvcalloc(KMALLOC_MAX_SIZE / 8 + 2, 8, GFP_KERNEL);
	KASSERT(z != NULL);
	KASSERT(is_vmalloc_addr(z));
	for (size_t i = 0; i < KMALLOC_MAX_SIZE / 8 + 2; i++)
		KASSERT_EQ(z[i], 0);
	kvfree(z);
	z = kvzalloc(3 * PAGE_SIZE, GFP_KERNEL);	/* kmalloc can: no fallback */
	KASSERT(z != NULL);
	KASSERT(!is_vmalloc_addr(z));
	KASSERT_EQ(z[3 * PAGE_SIZE / 8 - 1], 0);
	kvfree(z);

	/* kvrealloc (6.1's: old size given): contents kept across kinds. */
	char *r = kvmalloc(100, GFP_KERNEL);
	KASSERT(r != NULL);
	memset(r, 0x42, 100);
	r = kvrealloc(r, 100, KMALLOC_MAX_SIZE + 100, GFP_KERNEL);
	KASSERT(r != NULL);
	KASSERT(is_vmalloc_addr(r));
	for (int i = 0; i < 100; i++)
		KASSERT_EQ(r[i], 0x42);
	kvfree(r);
	kvfree(NULL);
	KASSERT_EQ(vmalloc_nr_pages(), before);
}

/* ---- the bugs fault, and the report names the area ---- */

/* Two areas in a row: without the guard page between them, the overflow
 * would write into the second one, silently. */
KTEST_EXPECT_PANIC(vmalloc, overflow_faults_in_guard_page,
		   "is in the guard page after vmalloc area")
{
	volatile char *a = vmalloc(2 * PAGE_SIZE);
	char *b = vmalloc(2 * PAGE_SIZE);

	KASSERT(a && b);
	for (size_t i = 0; i <= 2 * PAGE_SIZE; i++)	/* one byte too far */
		a[i] = 0x5a;
	KTEST_FAIL("wrote past the end of a vmalloc area (%p) without a fault", a);
}

KTEST_EXPECT_PANIC(vmalloc, use_after_vfree_faults, "is in a freed vmalloc area")
{
	volatile uint64_t *p = vmalloc(2 * PAGE_SIZE);

	KASSERT(p != NULL);
	p[600] = 42;
	vfree((void *)p);
	(void)p[600];				/* the bug */
	KTEST_FAIL("read a vfree()d area without a fault");
}

/*
 * The other CPU has the area in its TLB (it keeps reading it). vfree()
 * must flush that entry too: after it, the other CPU's next read faults.
 * Without the flush it would go on reading the freed page.
 */
static volatile uint64_t *remote_area;
static atomic_t remote_phase;

static int remote_reader(void *arg)
{
	uint64_t sum = 0;

	(void)arg;
	sum += remote_area[0];
	atomic_set(&remote_phase, 1);
	while (atomic_read(&remote_phase) == 1)
		sum += remote_area[0];		/* keeps the translation cached */
	sum += remote_area[0];			/* after vfree: must fault */
	KTEST_FAIL("CPU%d read a vfree()d area (sum %llx) without a fault: its TLB "
		   "still held the old translation", raw_smp_processor_id(),
		   (unsigned long long)sum);
	return 0;
}

KTEST_EXPECT_PANIC(vmalloc, use_after_vfree_on_another_cpu_faults, "a use after vfree")
{
	int other = other_cpu();

	KASSERT_MSG(other >= 0, "needs two CPUs");
	remote_area = vmalloc(PAGE_SIZE);
	KASSERT(remote_area != NULL);
	remote_area[0] = 1;
	atomic_set(&remote_phase, 0);
	struct task_struct *t = ktest_kthread_create(remote_reader, NULL, "vreader");
	KASSERT(t != NULL);
	kthread_bind(t, other);
	wake_up_process(t);
	while (atomic_read(&remote_phase) == 0)
		msleep(1);
	msleep(10);
	vfree((void *)remote_area);
	atomic_set(&remote_phase, 2);
	msleep(1000);
	KTEST_FAIL("CPU%d did not fault on the vfree()d area", other);
	kthread_stop_put(t);
}
