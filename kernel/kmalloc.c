/*
 * kmalloc.c - the kernel heap.
 *
 * Small objects (up to 2 KiB) come from size classes of 32, 64, ... 2048
 * bytes; each class keeps a free list of equal blocks cut from whole
 * pages. Bigger requests get their own run of 2^order pages. Every block
 * starts with a 16-byte header, so the pointer handed out stays 16-byte
 * aligned and kfree() knows the size without being told:
 *
 *   [ magic | class | size ][ user data ... ]
 *
 * The magic word is how mistakes are caught: KMALLOC_LIVE while allocated,
 * KMALLOC_FREE after kfree. kfree() of a block already marked free is a
 * double free; a pointer whose header carries neither value did not come
 * from kmalloc. Freed memory is filled with 0x6b ("poison", as Linux does)
 * and checked on reuse, so a write after free is reported too.
 *
 * One spinlock guards all lists: the heap is used from every CPU and from
 * interrupt handlers, and its critical sections are a few instructions.
 */
#include "kernel/debugobjects.h"
#include "kernel/kasan.h"
#include "kernel/mm.h"
#include "sched/sched.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "sync/spinlock.h"
#include "arch/x86/paging.h"

#define KMALLOC_LIVE   0x4b4d414c4c495645UL	/* "KMALLIVE" */
#define KMALLOC_FREE   0x4b4d414c46524545UL	/* "KMALFREE" */
#define HDR_SIZE       16
#define MIN_SHIFT      5			/* 32-byte blocks */
#define NR_CLASSES     7			/* 32 .. 2048 */
#define LARGE_CLASS    0xff
#define POISON_FREE    0x6b

struct block_hdr {
	uint64_t magic;
	uint8_t class;			/* size class, or LARGE_CLASS */
	uint8_t order;			/* pages are 2^order, large blocks */
	uint16_t pad;
	uint32_t size;			/* what the caller asked for */
};
_Static_assert(sizeof(struct block_hdr) == HDR_SIZE, "header is 16 bytes");

struct free_block {
	struct block_hdr hdr;
	struct free_block *next;
};

static struct free_block *free_lists[NR_CLASSES];
static struct kmalloc_stats stats;
static DEFINE_SPINLOCK(heap_lock);

static size_t class_size(int c)
{
	return (size_t)1 << (c + MIN_SHIFT);
}

static int size_to_class(size_t total)
{
	for (int c = 0; c < NR_CLASSES; c++)
		if (total <= class_size(c))
			return c;
	return -1;
}

/* Cut a fresh page into blocks of class c (called with heap_lock held). */
static bool refill(int c)
{
	char *page = alloc_page();

	if (!page)
		return false;
	stats.pages++;
	kasan_slab_page(page, class_size(c));
	for (size_t off = 0; off + class_size(c) <= PAGE_SIZE; off += class_size(c)) {
		struct free_block *b = (void *)(page + off);
		__memset(b, POISON_FREE, class_size(c));
		b->hdr.magic = KMALLOC_FREE;
		b->hdr.class = (uint8_t)c;
		b->next = free_lists[c];
		free_lists[c] = b;
	}
	return true;
}

/* A block's poison must be intact, or someone wrote to freed memory. */
static void check_poison(struct free_block *b, int c)
{
	const uint8_t *p = (const uint8_t *)(b + 1);
	const uint8_t *end = (const uint8_t *)b + class_size(c);

	for (; p < end; p++)
		if (*p != POISON_FREE)
			panic("BUG: kmalloc: write after free at %p (block %p, byte %#x)",
			      (void *)p, (void *)((char *)b + HDR_SIZE), *p);
}

static void *alloc_small(size_t size, int c)
{
	unsigned long flags;
	struct free_block *b;

	spin_lock_irqsave(&heap_lock, flags);
	if (!free_lists[c] && !refill(c)) {
		spin_unlock_irqrestore(&heap_lock, flags);
		return NULL;
	}
	b = free_lists[c];
	free_lists[c] = b->next;
	check_poison(b, c);
	b->hdr.magic = KMALLOC_LIVE;
	b->hdr.size = (uint32_t)size;
	stats.bytes_in_use += size;
	stats.allocations++;
	spin_unlock_irqrestore(&heap_lock, flags);
	kasan_alloc(b, class_size(c), (char *)b + HDR_SIZE, size);
	return (char *)b + HDR_SIZE;
}

static void *alloc_large(size_t size)
{
	unsigned int order = 0;
	unsigned long flags;

	while ((PAGE_SIZE << order) < size + HDR_SIZE + kasan_block_extra())
		order++;
	struct block_hdr *h = alloc_pages(order);
	if (!h)
		return NULL;
	kasan_large(h, order);
	*h = (struct block_hdr){ .magic = KMALLOC_LIVE, .class = LARGE_CLASS,
				 .order = (uint8_t)order, .size = (uint32_t)size };
	spin_lock_irqsave(&heap_lock, flags);
	stats.bytes_in_use += size;
	stats.allocations++;
	stats.pages += 1UL << order;
	spin_unlock_irqrestore(&heap_lock, flags);
	kasan_alloc(h, PAGE_SIZE << order, (char *)h + HDR_SIZE, size);
	return (char *)h + HDR_SIZE;
}

/* GFP_KERNEL promises the caller may sleep: check it, as Linux does,
 * although this allocator never sleeps. */
void *kmalloc(size_t size, gfp_t gfp)
{
	if (gfpflags_allow_blocking(gfp))
		might_sleep();
	if (size == 0 || size > KMALLOC_MAX_SIZE)
		return NULL;
	/* KASAN=1: room for a redzone and KASAN's records too. */
	int c = size_to_class(size + HDR_SIZE + kasan_block_extra());
	void *p = c >= 0 ? alloc_small(size, c) : alloc_large(size);
	if (p && (gfp & __GFP_ZERO))
		memset(p, 0, size);
	return p;
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* n * size, refusing a product that overflows (as Linux's). */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kmalloc(n * size, gfp);
}

void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

size_t ksize(const void *p)
{
	return p ? ((const struct block_hdr *)((const char *)p - HDR_SIZE))->size : 0;
}

void *krealloc(const void *p, size_t size, gfp_t gfp)
{
	if (!size) {
		kfree(p);
		return NULL;
	}
	void *n = kmalloc(size, gfp);
	if (n && p) {
		memcpy(n, p, MIN(ksize(p), size));
		kfree(p);
	}
	return n;
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	if (!s)
		return NULL;
	size_t len = strnlen(s, max);
	char *p = kmalloc(len + 1, gfp);
	if (p) {
		memcpy(p, s, len);
		p[len] = 0;
	}
	return p;
}

char *kstrdup(const char *s, gfp_t gfp)
{
	return s ? kstrndup(s, SIZE_MAX, gfp) : NULL;
}

/* Is p something kmalloc handed out? Panics with the reason if not. */
static struct block_hdr *check_block(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	struct block_hdr *h = (struct block_hdr *)(a - HDR_SIZE);

	if (a < PHYS_OFFSET + HDR_SIZE || a >= PHYS_OFFSET + MAX_PHYS_MEM ||
	    (a & 15) || !is_mapped((uintptr_t)h))
		panic("BUG: kfree: %p was not allocated by kmalloc "
		      "(outside the heap)", p);
	if (h->magic == KMALLOC_FREE)
		panic("BUG: kfree: double free of %p", p);
	if (h->magic != KMALLOC_LIVE ||
	    (h->class >= NR_CLASSES && h->class != LARGE_CLASS))
		panic("BUG: kfree: %p was not allocated by kmalloc "
		      "(bad header)", p);
	return h;
}

/* A small block back on its class's list, poisoned (heap_lock held). */
static void put_small_locked(struct block_hdr *h)
{
	struct free_block *b = (void *)h;

	__memset(b + 1, POISON_FREE, class_size(h->class) - sizeof(*b));
	b->hdr.magic = KMALLOC_FREE;
	b->next = free_lists[h->class];
	free_lists[h->class] = b;
}

/* Give a block back to its list or the page allocator (the magic says
 * free already: kfree() checked it, or KASAN's quarantine held it). */
static void free_block_now(struct block_hdr *h)
{
	unsigned long flags;

	spin_lock_irqsave(&heap_lock, flags);
	if (h->class != LARGE_CLASS) {
		put_small_locked(h);
		spin_unlock_irqrestore(&heap_lock, flags);
		return;
	}
	stats.pages -= 1UL << h->order;		/* only now back to the frames */
	spin_unlock_irqrestore(&heap_lock, flags);
	kasan_large_freed(h, h->order);
	free_pages(h, h->order);
}

#ifdef CONFIG_KASAN
void __kfree_block(void *block);
void __kfree_block(void *block)
{
	free_block_now(block);
}
#endif

void kfree(const void *p)
{
	unsigned long flags;

	if (!p)
		return;
	struct block_hdr *h = check_block(p);
	uint32_t size = h->size;
	int c = h->class;

	debug_check_no_obj_freed(p, size);	/* no armed timer in it */

	spin_lock_irqsave(&heap_lock, flags);
	stats.bytes_in_use -= size;
	stats.allocations--;
	h->magic = KMALLOC_FREE;		/* a second kfree() is caught */
	if (c != LARGE_CLASS && !IS_ENABLED(CONFIG_KASAN)) {
		put_small_locked(h);		/* the usual case: one locked step */
		spin_unlock_irqrestore(&heap_lock, flags);
		return;
	}
	spin_unlock_irqrestore(&heap_lock, flags);
	/* KASAN=1: the block waits in the quarantine, poisoned. */
	if (kasan_free(h, c == LARGE_CLASS ? PAGE_SIZE << h->order : class_size(c),
		       (void *)p, size))
		return;
	free_block_now(h);
}

void kmalloc_get_stats(struct kmalloc_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&heap_lock, flags);
	*st = stats;
	spin_unlock_irqrestore(&heap_lock, flags);
}
