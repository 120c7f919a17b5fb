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
 * None of them sleeps; with GFP_ATOMIC (or no flags, for the page and
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

/* Limits of this teaching kernel. */
#define MAX_PHYS_MEM    (64UL << 30)	/* RAM above this is ignored */

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + PHYS_OFFSET);
}

phys_addr_t virt_to_phys(const void *va);

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

/* kstack.c: guarded stacks of KSTACK_SIZE bytes. */
#define KSTACK_PAGES    4
#define KSTACK_SIZE     (KSTACK_PAGES * PAGE_SIZE)
void *kstack_alloc(void);		/* returns the lowest usable address */
void kstack_free(void *base);		/* any context; reclaimed later */
void kstack_reclaim(void);		/* may wait for other CPUs */
bool kstack_guard_hit(uintptr_t addr, uintptr_t *stack_base);
unsigned long kstack_in_use(void);
