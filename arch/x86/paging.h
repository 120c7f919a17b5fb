/*
 * paging.h - x86-64 four-level page tables.
 *
 * A virtual address splits into 4 x 9 index bits (PML4, PDPT, PD, PT) and a
 * 12-bit offset. Each level's entry holds the next table's physical address
 * and permission bits; a page is writable/executable only if every level
 * allows it. We keep upper levels permissive and put the real permissions
 * in the last level.
 */
#pragma once
#include "kernel/compiler.h"

#define PTE_PRESENT     (1UL << 0)
#define PTE_WRITE       (1UL << 1)
#define PTE_USER        (1UL << 2)
#define PTE_PWT         (1UL << 3)
#define PTE_PCD         (1UL << 4)
#define PTE_HUGE        (1UL << 7)	/* 2 MiB page in a PD entry */
#define PTE_GLOBAL      (1UL << 8)
#define PTE_NX          (1UL << 63)
#define PTE_ADDR_MASK   0x000ffffffffff000UL

#define PAGE_KERNEL_RX  (PTE_PRESENT | PTE_GLOBAL)
#define PAGE_KERNEL_RO  (PTE_PRESENT | PTE_GLOBAL | PTE_NX)
#define PAGE_KERNEL_RW  (PTE_PRESENT | PTE_GLOBAL | PTE_WRITE | PTE_NX)
#define PAGE_KERNEL_MMIO (PAGE_KERNEL_RW | PTE_PCD | PTE_PWT)
/* Not global: a CR3 reload must be able to flush them when recycled. */
#define PAGE_KERNEL_STACK (PTE_PRESENT | PTE_WRITE | PTE_NX)

void paging_init(void);
int map_page(uintptr_t va, phys_addr_t pa, uint64_t flags);
void unmap_page(uintptr_t va);
/* Every CPU drops its TLB entries for [start, end) (Linux's name). */
void flush_tlb_kernel_range(uintptr_t start, uintptr_t end);
/* The page-table entry mapping va, or 0 if none. */
uint64_t lookup_pte(uintptr_t va);
bool is_mapped(uintptr_t va);
/* The physical address va is mapped to, whatever the page size. */
bool lookup_phys(uintptr_t va, phys_addr_t *pa);
/* Map a device's registers uncached; returns its virtual address. */
void *ioremap(phys_addr_t pa, size_t size);
/* Identity-map one low page for the AP trampoline (and undo it). */
void map_identity_page(phys_addr_t pa);
void unmap_identity_page(phys_addr_t pa);
uint64_t kernel_cr3(void);
