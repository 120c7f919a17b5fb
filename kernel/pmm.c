/*
 * pmm.c - the physical frame allocator: one bit per 4 KiB frame.
 *
 * A bit is 1 when the frame is in use (or does not exist), 0 when free.
 * We start with everything "in use", free the frames the memory map says
 * are usable RAM, then take back what is already occupied: the first MiB
 * (BIOS data, the AP trampoline), the kernel image, the multiboot
 * information and any modules. Allocation scans for a 0 bit, 64 frames at
 * a time, starting where the last search ended (next fit), so repeated
 * allocations do not rescan the full low memory.
 *
 * Freeing a frame whose bit is already 0 is a double free: reported as a
 * kernel BUG, because carrying on would hand the frame out twice.
 */
#include "kernel/mm.h"
#include "kernel/bootinfo.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "sync/spinlock.h"

#define MAX_FRAMES   (MAX_PHYS_MEM / PAGE_SIZE)
#define WORD_BITS    64

static uint64_t frame_bitmap[MAX_FRAMES / WORD_BITS];
static unsigned long nr_frames;		/* frames covered by the bitmap */
static unsigned long nr_free;
static unsigned long nr_usable;
static unsigned long next_word;		/* where the next search starts */
static DEFINE_SPINLOCK(pmm_lock);

static bool frame_used(unsigned long f)
{
	return frame_bitmap[f / WORD_BITS] & (1UL << (f % WORD_BITS));
}

static void set_used(unsigned long f)
{
	frame_bitmap[f / WORD_BITS] |= 1UL << (f % WORD_BITS);
}

static void set_free(unsigned long f)
{
	frame_bitmap[f / WORD_BITS] &= ~(1UL << (f % WORD_BITS));
}

/* Mark [start, end) as used or free, in whole frames (used: rounded out,
 * free: rounded in, so a partial frame is never handed out). */
static void mark_range(phys_addr_t start, phys_addr_t end, bool used)
{
	unsigned long first, last;

	if (used) {
		first = start / PAGE_SIZE;
		last = ALIGN_UP(end, PAGE_SIZE) / PAGE_SIZE;
	} else {
		first = ALIGN_UP(start, PAGE_SIZE) / PAGE_SIZE;
		last = end / PAGE_SIZE;
	}
	if (last > nr_frames)
		last = nr_frames;
	for (unsigned long f = first; f < last; f++) {
		if (used && !frame_used(f)) {
			set_used(f);
			nr_free--;
		} else if (!used && frame_used(f)) {
			set_free(f);
			nr_free++;
		}
	}
}

static void free_usable_regions(const struct boot_info *bi)
{
	for (int i = 0; i < bi->mmap_count; i++) {
		const struct mem_region *r = &bi->mmap[i];
		if (r->type != MEM_USABLE)
			continue;
		phys_addr_t end = r->base + r->len;
		if (end > MAX_PHYS_MEM) {
			pr_warn("pmm: ignoring RAM above %lu GiB\n",
				MAX_PHYS_MEM >> 30);
			end = MAX_PHYS_MEM;
		}
		if (end / PAGE_SIZE > nr_frames)
			nr_frames = end / PAGE_SIZE;	/* before mark_range */
		if (r->base < end)
			mark_range(r->base, end, false);
	}
}

void pmm_init(const struct boot_info *bi)
{
	/* Everything starts "in use"; nr_frames grows to the end of the
	 * highest usable region as the regions are freed. */
	memset(frame_bitmap, 0xff, sizeof(frame_bitmap));
	free_usable_regions(bi);
	mark_range(0, 0x100000, true);
	mark_range((phys_addr_t)__kernel_phys_start,
		   (phys_addr_t)__kernel_phys_end, true);
	mark_range(bi->mbi_start, bi->mbi_end, true);
	for (int i = 0; i < bi->module_count; i++)
		mark_range(bi->modules[i].start, bi->modules[i].end, true);
	nr_usable = nr_free;
	pr_info("pmm: %lu MiB free of %lu MiB physical address space\n",
		nr_free * PAGE_SIZE >> 20, nr_frames * PAGE_SIZE >> 20);
}

/* Find 2^order free frames aligned to 2^order; -1 if none. */
static long find_free(unsigned int order)
{
	unsigned long count = 1UL << order;
	unsigned long words = ALIGN_UP(nr_frames, WORD_BITS) / WORD_BITS;

	for (unsigned long i = 0; i < words; i++) {
		unsigned long w = (next_word + i) % words;
		if (frame_bitmap[w] == ~0UL)
			continue;
		for (unsigned long f = w * WORD_BITS;
		     f < (w + 1) * WORD_BITS; f += count) {
			unsigned long n = 0;
			while (n < count && f + n < nr_frames && !frame_used(f + n))
				n++;
			if (n == count) {
				next_word = w;
				return (long)f;
			}
		}
	}
	return -1;
}

void *alloc_pages(unsigned int order)
{
	unsigned long flags;
	long f;

	if (order > 10)
		return NULL;
	spin_lock_irqsave(&pmm_lock, flags);
	f = find_free(order);
	if (f >= 0) {
		for (unsigned long i = 0; i < (1UL << order); i++)
			set_used(f + i);
		nr_free -= 1UL << order;
	}
	spin_unlock_irqrestore(&pmm_lock, flags);
	return f < 0 ? NULL : phys_to_virt((phys_addr_t)f * PAGE_SIZE);
}

void free_pages(void *va, unsigned int order)
{
	unsigned long flags;
	phys_addr_t pa = (uintptr_t)va - PHYS_OFFSET;
	unsigned long f = pa / PAGE_SIZE;

	if ((uintptr_t)va < PHYS_OFFSET || (pa & (PAGE_SIZE - 1)) ||
	    f + (1UL << order) > nr_frames)
		panic("BUG: free_pages: %p is not a page from alloc_pages", va);
	spin_lock_irqsave(&pmm_lock, flags);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		if (!frame_used(f + i)) {
			spin_unlock_irqrestore(&pmm_lock, flags);
			panic("BUG: free_pages: double free of frame %#lx",
			      (unsigned long)(f + i) * PAGE_SIZE);
		}
		set_free(f + i);
	}
	nr_free += 1UL << order;
	spin_unlock_irqrestore(&pmm_lock, flags);
}

void *alloc_page(void)
{
	return alloc_pages(0);
}

void free_page(void *va)
{
	free_pages(va, 0);
}

void *get_zeroed_page(void)
{
	void *p = alloc_page();

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

unsigned long pmm_free_pages(void)
{
	return READ_ONCE(nr_free);
}

unsigned long pmm_total_pages(void)
{
	return nr_usable;
}

phys_addr_t pmm_max_phys(void)
{
	return (phys_addr_t)nr_frames * PAGE_SIZE;
}
