// SPDX-License-Identifier: GPL-2.0
/*
 * vmalloc_doc.c - the advice of Documentation/core-api/memory-allocation.rst
 * on big allocations, as Linux code:
 *
 *   "For large allocations you can use vmalloc() and vzalloc(), or
 *    directly request pages from the page allocator. The memory allocated
 *    by vmalloc and related functions is not physically contiguous."
 *   "If you are not sure whether the allocation size is too large for
 *    kmalloc, it is possible to use kvmalloc() and its derivatives. It
 *    will try to allocate memory with kmalloc and if the allocation fails
 *    it will be retried with vmalloc."
 *   "You can use kvfree() for the memory allocated with kmalloc, vmalloc
 *    and kvmalloc."
 *
 * A table whose length is known only at run time (a few entries on some
 * calls, megabytes on others) comes from kvmalloc_array(); a scratch
 * buffer from vzalloc(); a large buffer from vmalloc(). Threads on every
 * CPU do this at once, and free everything with kvfree().
 *
 * Invariants: each buffer holds what its thread wrote into it (no two
 * overlap); vzalloc()'s is zero; a table under a page comes from kmalloc,
 * one over KMALLOC_MAX_SIZE from vmalloc (is_vmalloc_addr()); each page
 * of the large buffer is the frame vmalloc_to_page() names; and at the end
 * vmalloc holds no more pages than before (the test that loads the module
 * checks the heap).
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/completion.h>
#include <linux/atomic.h>
#include <linux/string.h>

#define ROUNDS 6
#define SCRATCH_SIZE (64 * 1024)
#define BUFFER_SIZE (512 * 1024)

struct record {
	u64 id;
	u64 payload[7];
};

static atomic_t left, broken, from_kmalloc, from_vmalloc, scattered;
static DECLARE_COMPLETION(all_done);

static void fail(const char *what, int thread)
{
	pr_err("vmalloc_doc: thread %d: %s\n", thread, what);
	atomic_inc(&broken);
}

/* "not sure whether the allocation size is too large for kmalloc" */
static struct record *make_table(size_t n, int thread)
{
	struct record *table = kvmalloc_array(n, sizeof(*table), GFP_KERNEL);

	if (!table)
		return NULL;
	if (n * sizeof(*table) <= PAGE_SIZE && is_vmalloc_addr(table))
		fail("a table under a page did not come from kmalloc", thread);
	if (n * sizeof(*table) > KMALLOC_MAX_SIZE && !is_vmalloc_addr(table))
		fail("a table kmalloc cannot serve did not come from vmalloc", thread);
	atomic_inc(is_vmalloc_addr(table) ? &from_vmalloc : &from_kmalloc);
	for (size_t i = 0; i < n; i++)
		table[i].id = ((u64)thread << 32) | i;
	return table;
}

static bool table_intact(const struct record *table, size_t n, int thread)
{
	for (size_t i = 0; i < n; i++)
		if (table[i].id != (((u64)thread << 32) | i))
			return false;
	return true;
}

/* "not physically contiguous": count where the next page is not the
 * next frame, and check each page is the one vmalloc_to_page() names. */
static void check_buffer(u8 *buf, int thread)
{
	for (unsigned long off = 0; off < BUFFER_SIZE; off += PAGE_SIZE) {
		struct page *page = vmalloc_to_page(buf + off);

		if (!page || *(u8 *)page_address(page) != (u8)(thread + off / PAGE_SIZE)) {
			fail("a page of the buffer is not what vmalloc_to_page() names", thread);
			return;
		}
		if (off && vmalloc_to_pfn(buf + off) != vmalloc_to_pfn(buf + off - PAGE_SIZE) + 1)
			atomic_inc(&scattered);
	}
}

static int worker(void *arg)
{
	int thread = (int)(long)arg;

	for (int round = 0; round < ROUNDS; round++) {
		/* Odd rounds: a table over KMALLOC_MAX_SIZE. */
		size_t n = round % 2 ? KMALLOC_MAX_SIZE / sizeof(struct record) + 1000
				     : 16 + (size_t)round;
		struct record *table = make_table(n, thread);
		u8 *scratch = vzalloc(SCRATCH_SIZE);
		u8 *buf = vmalloc(BUFFER_SIZE);

		if (!table || !scratch || !buf) {
			fail("out of memory", thread);
		} else {
			for (int i = 0; i < SCRATCH_SIZE; i++)
				if (scratch[i]) {
					fail("vzalloc() memory is not zero", thread);
					break;
				}
			memset(scratch, 0xff, SCRATCH_SIZE);
			for (unsigned long off = 0; off < BUFFER_SIZE; off += PAGE_SIZE)
				memset(buf + off, (u8)(thread + off / PAGE_SIZE), PAGE_SIZE);
			check_buffer(buf, thread);
			if (!table_intact(table, n, thread))
				fail("the table changed under us", thread);
		}
		/* One free function for all three kinds. */
		kvfree(buf);
		kvfree(scratch);
		kvfree(table);
	}
	if (atomic_dec_and_test(&left))
		complete(&all_done);
	return 0;
}

static int __init vmalloc_doc_init(void)
{
	unsigned long pages_before = vmalloc_nr_pages();
	int n = num_online_cpus();

	atomic_set(&broken, 0);
	atomic_set(&from_kmalloc, 0);
	atomic_set(&from_vmalloc, 0);
	atomic_set(&scattered, 0);
	atomic_set(&left, n);
	reinit_completion(&all_done);
	for (int i = 0; i < n; i++)
		if (IS_ERR(kthread_run(worker, (void *)(long)i, "vmalloc_doc%d", i)))
			return -ENOMEM;
	wait_for_completion(&all_done);
	pr_info("vmalloc_doc: %d threads: %d tables from kmalloc, %d from vmalloc; "
		"%d page breaks in the vmalloc()ed buffers; vmalloc pages %lu -> %lu\n",
		n, atomic_read(&from_kmalloc), atomic_read(&from_vmalloc),
		atomic_read(&scattered), pages_before, vmalloc_nr_pages());
	return atomic_read(&broken) == 0 && vmalloc_nr_pages() == pages_before &&
	       atomic_read(&from_vmalloc) == n * ROUNDS / 2 ? 0 : -EINVAL;
}

static void __exit vmalloc_doc_exit(void)
{
}

module_init(vmalloc_doc_init);
module_exit(vmalloc_doc_exit);
MODULE_LICENSE("GPL");
