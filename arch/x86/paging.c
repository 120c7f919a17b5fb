/*
 * paging.c - the kernel's page tables.
 *
 * boot.asm left us with 2 MiB pages mapping the first GiB three times
 * (identity, direct map, kernel image), all writable and executable.
 * paging_init() builds the tables we keep:
 *   - the kernel image in 4 KiB pages with per-section permissions (W^X),
 *   - all RAM in 2 MiB pages at PHYS_OFFSET, read-write, no-execute,
 *   - nothing at low addresses, so NULL pointers fault,
 * and switches CR3 to them. Page-table pages come from the frame
 * allocator and are reached through the direct map.
 *
 * Every CPU uses these same tables, so a change made here is seen by all;
 * removing a mapping also needs a TLB flush on every CPU that may have
 * cached it (callers that unmap do that).
 */
#include "arch/x86/paging.h"
#include "arch/x86/cpu.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/smp.h"
#include "sync/spinlock.h"

#define LARGE_PAGE (2UL << 20)
#define IOREMAP_BASE 0xffffc80000000000UL

static uint64_t *pml4;
static phys_addr_t pml4_phys;
static DEFINE_SPINLOCK(pgtable_lock);

static unsigned int index_at(uintptr_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* The table the entry points to, creating it if asked. */
static uint64_t *next_table(uint64_t *entry, bool create)
{
	if (!(*entry & PTE_PRESENT)) {
		if (!create)
			return NULL;
		void *page = get_zeroed_page();
		if (!page)
			panic("paging: out of memory for page tables");
		*entry = virt_to_phys(page) | PTE_PRESENT | PTE_WRITE;
	}
	if (*entry & PTE_HUGE)
		return NULL;
	return phys_to_virt(*entry & PTE_ADDR_MASK);
}

/* Pointer to the entry for va at `level` (1 = 4 KiB PTE, 2 = PD). */
static uint64_t *walk(uintptr_t va, int level, bool create)
{
	uint64_t *table = pml4;

	for (int l = 4; l > level; l--) {
		table = next_table(&table[index_at(va, l)], create);
		if (!table)
			return NULL;
	}
	return &table[index_at(va, level)];
}

int map_page(uintptr_t va, phys_addr_t pa, uint64_t flags)
{
	unsigned long irq;

	spin_lock_irqsave(&pgtable_lock, irq);
	uint64_t *pte = walk(va, 1, true);
	if (pte)
		*pte = (pa & PTE_ADDR_MASK) | flags;
	spin_unlock_irqrestore(&pgtable_lock, irq);
	if (!pte)
		return -1;
	invlpg(va);
	return 0;
}

void unmap_page(uintptr_t va)
{
	unsigned long irq;

	spin_lock_irqsave(&pgtable_lock, irq);
	uint64_t *pte = walk(va, 1, false);
	if (pte)
		*pte = 0;
	spin_unlock_irqrestore(&pgtable_lock, irq);
	invlpg(va);
}

/* Every CPU forgets what it cached of [start, end): after unmapping or
 * changing kernel pages, which are global (a CR3 reload keeps them).
 * Process context, interrupts on: it waits for every CPU.
 * Past FLUSH_CEILING pages one invlpg each costs more than refilling the
 * whole TLB: then each CPU drops everything, global entries included, by
 * turning CR4.PGE off and on (Linux: tlb_single_page_flush_ceiling, 33,
 * and __flush_tlb_global). */
#define FLUSH_CEILING 33
struct flush_range { uintptr_t start, end; };

static void flush_range_ipi(void *arg)
{
	const struct flush_range *r = arg;

	if ((r->end - r->start) / PAGE_SIZE > FLUSH_CEILING) {
		uint64_t cr4 = read_cr4();
		write_cr4(cr4 & ~X86_CR4_PGE);
		write_cr4(cr4);
		return;
	}
	for (uintptr_t va = r->start; va < r->end; va += PAGE_SIZE)
		invlpg(va);
}

void flush_tlb_kernel_range(uintptr_t start, uintptr_t end)
{
	struct flush_range r = { start & ~(PAGE_SIZE - 1), end };

	on_each_cpu(flush_range_ipi, &r, true);
}

/* Lock-free read-only walk: used by backtraces and fault reports, which
 * may run while another CPU holds pgtable_lock. */
uint64_t lookup_pte(uintptr_t va)
{
	uint64_t *table = pml4 ? pml4 : phys_to_virt(read_cr3() & PTE_ADDR_MASK);

	for (int l = 4; l >= 1; l--) {
		uint64_t e = table[index_at(va, l)];
		if (!(e & PTE_PRESENT))
			return 0;
		if (l == 1 || (e & PTE_HUGE))
			return e;
		table = phys_to_virt(e & PTE_ADDR_MASK);
	}
	return 0;
}

bool lookup_phys(uintptr_t va, phys_addr_t *pa)
{
	if (!is_mapped(va))
		return false;
	uint64_t e = lookup_pte(va);
	uint64_t offset_mask = (e & PTE_HUGE) ? LARGE_PAGE - 1 : PAGE_SIZE - 1;

	*pa = (e & PTE_ADDR_MASK & ~offset_mask) + (va & offset_mask);
	return true;
}

bool is_mapped(uintptr_t va)
{
	/* Non-canonical addresses would fault before any table is read. */
	if (va >= 0x0000800000000000UL && va < 0xffff800000000000UL)
		return false;
	return lookup_pte(va) & PTE_PRESENT;
}

phys_addr_t virt_to_phys(const void *p)
{
	uintptr_t va = (uintptr_t)p;

	if (va >= KERNEL_VMA)
		return va - KERNEL_VMA;
	if (va >= PHYS_OFFSET && va < PHYS_OFFSET + MAX_PHYS_MEM)
		return va - PHYS_OFFSET;
	uint64_t pte = lookup_pte(va);
	BUG_ON(!pte);
	return (pte & PTE_ADDR_MASK) + (va & (PAGE_SIZE - 1));
}

/*
 * Every page table of the vmalloc area, built now (2 MiB of tables for its
 * 1 GiB). Then vmalloc() never allocates a table and vfree() never has one
 * to free: the frames vmalloc takes are exactly the pages it maps, and
 * they all come back. Linux's x86 function of this name only builds the
 * upper levels (its area is 32 TiB); its lower tables, like these, are
 * never freed.
 */
static void preallocate_vmalloc_pages(void)
{
	for (uintptr_t va = VMALLOC_START; va < VMALLOC_END; va += LARGE_PAGE)
		walk(va, 1, true);
}

static void map_range(uintptr_t start, uintptr_t end, uint64_t flags)
{
	for (uintptr_t va = start; va < end; va += PAGE_SIZE)
		map_page(va, va - KERNEL_VMA, flags);
}

static void map_direct(phys_addr_t max)
{
	for (phys_addr_t pa = 0; pa < max; pa += LARGE_PAGE) {
		uint64_t *pde = walk(PHYS_OFFSET + pa, 2, true);
		*pde = pa | PAGE_KERNEL_RW | PTE_HUGE;
	}
}

void paging_init(void)
{
	void *root = get_zeroed_page();

	BUG_ON(!root);
	pml4 = root;
	pml4_phys = virt_to_phys(root);

	map_range((uintptr_t)__text_start, (uintptr_t)__text_end, PAGE_KERNEL_RX);
	map_range((uintptr_t)__rodata_start, (uintptr_t)__rodata_end, PAGE_KERNEL_RO);
	map_range((uintptr_t)__data_start, (uintptr_t)__bss_end, PAGE_KERNEL_RW);
	/* At least 4 GiB: ACPI tables and the APIC sit near the top of it. */
	map_direct(MAX(pmm_max_phys(), 4UL << 30));
	/* Pre-create the upper-level tables for the stack and ioremap
	 * areas, so the one PML4 never changes after other CPUs start. */
	walk(KSTACK_BASE, 2, true);
	walk(IOREMAP_BASE, 2, true);
	preallocate_vmalloc_pages();

	write_cr4(read_cr4() | X86_CR4_PGE);
	write_cr3(pml4_phys);
	pr_info("paging: kernel W^X (text %luK, rodata %luK, data+bss %luK), "
		"direct map of %lu MiB, low identity map removed\n",
		(unsigned long)(__text_end - __text_start) >> 10,
		(unsigned long)(__rodata_end - __rodata_start) >> 10,
		(unsigned long)(__bss_end - __data_start) >> 10,
		(unsigned long)(MAX(pmm_max_phys(), 4UL << 30) >> 20));
}

uint64_t kernel_cr3(void)
{
	return pml4_phys;
}

/* Device registers: map uncached in a window of their own. */
void *ioremap(phys_addr_t pa, size_t size)
{
	static uintptr_t next = IOREMAP_BASE;
	static DEFINE_SPINLOCK(ioremap_lock);
	phys_addr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t len = ALIGN_UP(pa + size, PAGE_SIZE) - base;

	spin_lock(&ioremap_lock);
	uintptr_t va = next;
	next += len;
	spin_unlock(&ioremap_lock);
	for (size_t off = 0; off < len; off += PAGE_SIZE)
		map_page(va + off, base + off, PAGE_KERNEL_MMIO);
	return (void *)(va + (pa - base));
}

void map_identity_page(phys_addr_t pa)
{
	map_page(pa, pa, PTE_PRESENT | PTE_WRITE);
}

void unmap_identity_page(phys_addr_t pa)
{
	unmap_page(pa);
}
