/*
 * test_mem.c - the frame allocator and the kernel heap.
 */
#include "tests/ktest.h"
#include "kernel/kasan.h"
#include "kernel/mm.h"
#include "kernel/string.h"
#include "arch/x86/paging.h"

/* Take every free frame, check none is handed out twice, give all back. */
KTEST(mem, frame_alloc_all)
{
	unsigned long before = pmm_free_pages();
	/* Chain the frames through their own first word: no extra memory. */
	uintptr_t *head = NULL;
	unsigned long n = 0;
	void *p;

	while ((p = alloc_page()) != NULL) {
		*(uintptr_t **)p = head;
		((uintptr_t *)p)[1] = (uintptr_t)p ^ 0x5a5a5a5aUL;	/* tag */
		head = p;
		n++;
	}
	KASSERT_EQ(n, before);
	KASSERT_EQ(pmm_free_pages(), 0);
	/* A frame handed out twice would have had its tag overwritten. */
	unsigned long checked = 0;
	for (uintptr_t *f = head; f; f = *(uintptr_t **)f) {
		KASSERT_EQ(f[1], (uintptr_t)f ^ 0x5a5a5a5aUL);
		checked++;
	}
	KASSERT_EQ(checked, n);
	while (head) {
		uintptr_t *next = *(uintptr_t **)head;
		free_page(head);
		head = next;
	}
	KASSERT_EQ(pmm_free_pages(), before);
}

KTEST(mem, alloc_pages_aligned)
{
	unsigned long before = pmm_free_pages();

	for (unsigned int order = 0; order <= 6; order++) {
		char *p = alloc_pages(order);
		KASSERT(p != NULL);
		KASSERT_EQ(virt_to_phys(p) % (PAGE_SIZE << order), 0);
		memset(p, 0xa5, PAGE_SIZE << order);	/* all of it is mapped */
		free_pages(p, order);
	}
	KASSERT_EQ(pmm_free_pages(), before);
}

KTEST(mem, kmalloc_sizes_and_alignment)
{
	static const size_t sizes[] = { 1, 7, 15, 16, 17, 31, 48, 100, 500,
					2000, 2032, 2033, 4080, 4096, 10000, 100000 };
	void *ptrs[ARRAY_SIZE(sizes)];
	struct kmalloc_stats before, after;

	ktest_quiesce();
	kmalloc_get_stats(&before);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		ptrs[i] = kmalloc(sizes[i], GFP_KERNEL);
		KASSERT(ptrs[i] != NULL);
		KASSERT_EQ((uintptr_t)ptrs[i] % 16, 0);
		memset(ptrs[i], (int)i, sizes[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		const uint8_t *b = ptrs[i];
		for (size_t j = 0; j < sizes[i]; j++)
			KASSERT_EQ(b[j], i);
		kfree(ptrs[i]);
	}
	kmalloc_get_stats(&after);
	KASSERT_EQ(after.bytes_in_use, before.bytes_in_use);
	KASSERT_EQ(after.allocations, before.allocations);
	KASSERT(kmalloc(0, GFP_KERNEL) == NULL);
	kfree(NULL);	/* allowed, does nothing */
}

KTEST(mem, kzalloc_zeroes)
{
	for (int round = 0; round < 2; round++) {
		uint8_t *p = kzalloc(300, GFP_KERNEL);
		KASSERT(p != NULL);
		for (int i = 0; i < 300; i++)
			KASSERT_EQ(p[i], 0);
		memset(p, 0xff, 300);	/* dirty it for the second round */
		kfree(p);
	}
}

/*
 * Random sizes, random frees, many live blocks at once: fragments every
 * size class. Each block is filled with a pattern from its address and
 * size, so overlapping blocks or corruption show up at the check.
 */
#define STRESS_SLOTS 512
static void *slot_ptr[STRESS_SLOTS];
static size_t slot_size[STRESS_SLOTS];

static uint8_t pattern(const void *p, size_t i)
{
	return (uint8_t)(((uintptr_t)p >> 4) + i * 7);
}

static bool check_block(int s)
{
	const uint8_t *b = slot_ptr[s];

	for (size_t i = 0; i < slot_size[s]; i++)
		if (b[i] != pattern(b, i))
			return false;
	return true;
}

KTEST(mem, kmalloc_stress_fragmentation)
{
	struct kmalloc_stats before, after;
	uint64_t seed = 12345;
	unsigned long free_before;

	ktest_quiesce();
	free_before = pmm_free_pages();
	kmalloc_get_stats(&before);
	for (int round = 0; round < 20000; round++) {
		int s = (int)(ktest_rand(&seed) % STRESS_SLOTS);
		if (slot_ptr[s]) {
			KASSERT_MSG(check_block(s), "block %d (%p, %lu bytes) corrupted",
				    s, slot_ptr[s], (unsigned long)slot_size[s]);
			kfree(slot_ptr[s]);
			slot_ptr[s] = NULL;
			continue;
		}
		uint64_t r = ktest_rand(&seed);
		size_t size = (r % 8 == 0) ? 1 + r % 20000 : 1 + r % 600;
		uint8_t *b = kmalloc(size, GFP_KERNEL);
		KASSERT(b != NULL);
		KASSERT_EQ((uintptr_t)b % 16, 0);
		for (size_t i = 0; i < size; i++)
			b[i] = pattern(b, i);
		slot_ptr[s] = b;
		slot_size[s] = size;
	}
	for (int s = 0; s < STRESS_SLOTS; s++) {
		if (!slot_ptr[s])
			continue;
		KASSERT(check_block(s));
		kfree(slot_ptr[s]);
		slot_ptr[s] = NULL;
	}
	kasan_quarantine_flush();	/* KASAN=1 holds freed blocks back */
	kmalloc_get_stats(&after);
	KASSERT_EQ(after.bytes_in_use, before.bytes_in_use);
	KASSERT_EQ(after.allocations, before.allocations);
	/* Large blocks went back to the frame allocator; small-class pages
	 * stay cached in the heap, so only count the large ones. */
	KASSERT_GE(pmm_free_pages() + after.pages - before.pages, free_before);
}

KTEST_EXPECT_PANIC(mem, kfree_double, "BUG: kfree: double free of")
{
	void *p = kmalloc(64, GFP_KERNEL);

	kfree(p);
	kfree(p);
}

KTEST_EXPECT_PANIC(mem, kfree_foreign, "was not allocated by kmalloc")
{
	static char not_heap[64] __aligned(16);

	kfree(not_heap + 16);
}

KTEST_EXPECT_PANIC(mem, kfree_middle_of_block, "was not allocated by kmalloc")
{
	char *p = kmalloc(256, GFP_KERNEL);

	memset(p, 0, 256);
	kfree(p + 64);
}

KTEST_EXPECT_PANIC(mem, write_after_free, "BUG: kmalloc: write after free")
{
	volatile char *p = kmalloc(100, GFP_KERNEL);

	kfree((void *)p);
	p[40] = 1;			/* the bug */
	/* The next allocation of the class finds the poison broken. */
	for (int i = 0; i < 10000; i++)
		kfree(kmalloc(100, GFP_KERNEL));
}

KTEST_EXPECT_PANIC(mem, free_page_double, "BUG: free_pages: double free of frame")
{
	void *p = alloc_page();

	free_page(p);
	free_page(p);
}
