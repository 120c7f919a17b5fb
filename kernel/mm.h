/*
 * mm.h - the kernel's address space and memory allocators.
 *
 * Virtual layout (one set of page tables, shared by every CPU):
 *
 *   0x0000000000000000  unmapped: a NULL dereference faults
 *   0xffff800000000000  PHYS_OFFSET: all RAM mapped 1:1 ("direct map"),
 *                       read-write, never executable
 *   0xffffc90000000000  KSTACK_BASE: kernel stacks, each below an
 *                       unmapped guard page so an overflow faults
 *   0xffffca0000000000  VMALLOC_START: vmalloc() areas, each followed by
 *                       an unmapped guard page (1 GiB; its page tables
 *                       are built at boot and never freed)
 *   0xffffea0000000000  VMEMMAP_START: where Linux keeps its struct pages;
 *                       here nothing is mapped: only the values of
 *                       struct page pointers point there
 *   0xffffffff80000000  KERNEL_VMA: the kernel image, section by section
 *                       (text RX, rodata R, data/bss RW: W^X)
 *
 * Allocators:
 *   alloc_page()/free_page()       one 4 KiB frame (direct-mapped address)
 *   alloc_pages(order)/free_pages  2^order contiguous frames
 *   kmalloc/kzalloc/kfree          any size, 16-byte aligned (kmalloc.c);
 *                                  GFP_KERNEL may only be asked where
 *                                  sleeping is allowed (might_sleep())
 *   kstack_alloc/kstack_free       a guarded kernel stack (kstack.c)
 *   vmalloc/vzalloc/vfree          virtually contiguous pages (vmalloc.c);
 *                                  may sleep: process context only
 *   kvmalloc/kvfree                kmalloc, or vmalloc when kmalloc cannot
 * Apart from vmalloc, none of them sleeps; with GFP_ATOMIC (or no flags, for the page and
 * stack allocators) they may be called with interrupts on or off.
 * They return NULL when memory runs out.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/gfp.h"

#define PAGE_SIZE       4096UL
#define PAGE_SHIFT      12
#define PHYS_OFFSET     0xffff800000000000UL
#define KSTACK_BASE     0xffffc90000000000UL
#define KERNEL_VMA      0xffffffff80000000UL
/* Linux's x86-64 names; VMALLOC_END is the last byte, as there. */
#define VMALLOC_START   0xffffca0000000000UL
#define VMALLOC_SIZE    (1UL << 30)
#define VMALLOC_END     (VMALLOC_START + VMALLOC_SIZE - 1)
#define VMALLOC_TOTAL   (VMALLOC_END - VMALLOC_START)
#define VMEMMAP_START   0xffffea0000000000UL

/* Limits of this teaching kernel. */
#define MAX_PHYS_MEM    (64UL << 30)	/* RAM above this is ignored */

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + PHYS_OFFSET);
}

phys_addr_t virt_to_phys(const void *va);

/*
 * struct page: Linux's descriptor of a physical frame (one per frame, in
 * an array at VMEMMAP_START). This kernel has no such array: the type is
 * incomplete, so a struct page * can only be passed around, and its value
 * is where Linux would put the descriptor (64 bytes per frame). So the
 * conversions keep Linux's meaning, and a struct page * mistaken for the
 * page's data faults instead of reading something.
 */
struct page;
#define STRUCT_PAGE_SIZE 64UL
static inline unsigned long page_to_pfn(const struct page *page)
{
	return ((uintptr_t)page - VMEMMAP_START) / STRUCT_PAGE_SIZE;
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return (struct page *)(VMEMMAP_START + pfn * STRUCT_PAGE_SIZE);
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return (phys_addr_t)page_to_pfn(page) << PAGE_SHIFT;
}

/* The page's data, in the direct map. */
static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

/* Only for direct-map addresses (kmalloc, alloc_page), as in Linux. */
static inline struct page *virt_to_page(const void *va)
{
	return pfn_to_page(((uintptr_t)va - PHYS_OFFSET) >> PAGE_SHIFT);
}

/* Linker-provided section boundaries (addresses only, never read). */
extern char __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __kernel_end[];
extern char __kernel_phys_start[], __kernel_phys_end[];

/* pmm.c: physical frames. */
struct boot_info;
void pmm_init(const struct boot_info *bi);
void *alloc_page(void);
void free_page(void *va);
void *alloc_pages(unsigned int order);
void free_pages(void *va, unsigned int order);
void *get_zeroed_page(void);
unsigned long pmm_free_pages(void);
unsigned long pmm_total_pages(void);
phys_addr_t pmm_max_phys(void);

/*
 * kmalloc.c: the heap, with Linux's signatures (gfp flags: kernel/gfp.h).
 * kmalloc/kzalloc/kcalloc/kmalloc_array return NULL when memory runs out
 * or the size is 0 or too large (over KMALLOC_MAX_SIZE); kcalloc and
 * kmalloc_array also when n * size overflows. kfree(NULL) does nothing.
 */
#define KMALLOC_MAX_SIZE ((PAGE_SIZE << 10) - 16)
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);
void *kcalloc(size_t n, size_t size, gfp_t gfp);
void *krealloc(const void *p, size_t size, gfp_t gfp);
size_t ksize(const void *p);		/* the size asked for */
void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);
void kfree(const void *p);
struct kmalloc_stats {
	unsigned long bytes_in_use;	/* sum of requested sizes */
	unsigned long allocations;	/* live objects */
	unsigned long pages;		/* pages owned by the heap */
};
void kmalloc_get_stats(struct kmalloc_stats *st);

/*
 * vmalloc.c: memory that is contiguous in virtual addresses only, made of
 * pages taken one at a time (Linux's <linux/vmalloc.h>, Linux 6.1). For
 * buffers too big for kmalloc, or when physical contiguity is not needed.
 *
 *   vmalloc(size)       size bytes, rounded up to whole pages, not zeroed;
 *                       page-aligned; NULL when size is 0 (with a WARNING,
 *                       as Linux) or more than all RAM, or memory runs
 *                       out. Each area is followed by an unmapped guard
 *                       page: running off its end faults.
 *   vzalloc(size)       the same, zeroed
 *   __vmalloc(size, gfp)    gfp: GFP_KERNEL, with __GFP_ZERO, __GFP_NOWARN
 *   vmalloc_array(n, size), vcalloc(n, size)   n * size bytes (vcalloc
 *                       zeroed); NULL if the product overflows
 *   vfree(addr)         frees what vmalloc returned; NULL does nothing.
 *                       A pointer vmalloc did not return (or freed
 *                       already) is a WARNING "Trying to vfree()
 *                       nonexistent vm area", and nothing is freed.
 *   vfree_atomic(addr)  vfree that always defers (any context but NMI)
 *   vmalloc_to_page(addr), vmalloc_to_pfn(addr)   the frame mapped at
 *                       addr (NULL / meaningless if none)
 *   is_vmalloc_addr(p)  p lies in [VMALLOC_START, VMALLOC_END)
 *   vmalloc_nr_pages()  pages held by vmalloc areas now
 *
 * Context (Linux's): vmalloc and friends may sleep - process context
 * only, no spinlock held, interrupts on; calling them elsewhere is
 * reported by might_sleep() ("BUG: sleeping function called from invalid
 * context"), whatever the gfp flags. vfree may be called from process
 * context (it may sleep: it waits for every CPU to flush its TLB) or from
 * an interrupt or softirq (then the freeing is deferred to a work item),
 * never from an NMI. After vfree returns, the address faults on every CPU
 * (the fault report names the area); the pages are reused only after that.
 */
void *vmalloc(unsigned long size);
void *vzalloc(unsigned long size);
void *__vmalloc(unsigned long size, gfp_t gfp);
void *vmalloc_array(size_t n, size_t size);
void *__vmalloc_array(size_t n, size_t size, gfp_t gfp);
void *vcalloc(size_t n, size_t size);
void *__vcalloc(size_t n, size_t size, gfp_t gfp);
void vfree(const void *addr);
void vfree_atomic(const void *addr);
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);
unsigned long vmalloc_nr_pages(void);
static inline bool is_vmalloc_addr(const void *p)
{
	return (uintptr_t)p >= VMALLOC_START && (uintptr_t)p < VMALLOC_END;
}

/* For fault reports (arch/x86/traps.c): what the vmalloc area holds at
 * addr. The caller and freer are return addresses, for %pS. */
enum vmalloc_where {
	VMALLOC_OUTSIDE,	/* not a vmalloc address */
	VMALLOC_IN_AREA,	/* in a live area's pages */
	VMALLOC_GUARD,		/* in the guard page after a live area */
	VMALLOC_FREEING,	/* in an area that vfree() is taking down */
	VMALLOC_FREED,		/* in an area freed lately */
	VMALLOC_UNUSED,		/* in no area we remember */
};
struct vmalloc_fault_info {
	uintptr_t start;		/* the area's first byte */
	unsigned long size;		/* its pages, without the guard */
	const void *caller;		/* who called vmalloc() */
	const void *freed_by;		/* who called vfree() */
};
enum vmalloc_where vmalloc_fault_info(uintptr_t addr, struct vmalloc_fault_info *info);

/*
 * kvmalloc (Linux's mm/util.c): kmalloc first; if that fails and size is
 * over a page, vmalloc - but only for gfp flags that allow sleeping
 * (GFP_KERNEL): with GFP_ATOMIC/GFP_NOWAIT a size kmalloc cannot serve
 * gives NULL. Sizes over INT_MAX give NULL. kvfree() frees either kind
 * (NULL does nothing) from process or interrupt context, as vfree.
 */
void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *p);
void *kvrealloc(const void *p, size_t oldsize, size_t newsize, gfp_t gfp);
static inline void *kvzalloc(size_t size, gfp_t gfp)
{
	return kvmalloc(size, gfp | __GFP_ZERO);
}

static inline void *kvmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return NULL;
	return kvmalloc(n * size, gfp);
}

static inline void *kvcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kvmalloc_array(n, size, gfp | __GFP_ZERO);
}

/* kstack.c: guarded stacks of KSTACK_SIZE bytes. */
#define KSTACK_PAGES    4
#define KSTACK_SIZE     (KSTACK_PAGES * PAGE_SIZE)
void *kstack_alloc(void);		/* returns the lowest usable address */
void kstack_free(void *base);		/* any context; reclaimed later */
void kstack_reclaim(void);		/* may wait for other CPUs */
bool kstack_guard_hit(uintptr_t addr, uintptr_t *stack_base);
unsigned long kstack_in_use(void);
