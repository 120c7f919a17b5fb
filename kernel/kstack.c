/*
 * kstack.c - kernel stacks with guard pages.
 *
 * A stack overflow in a kernel is silent corruption of whatever lies
 * below the stack, unless something below it faults. So every stack lives
 * in its own slot of the KSTACK area:
 *
 *   slot i:  [guard page, unmapped][KSTACK_PAGES pages of stack]
 *
 * Running off the bottom touches the guard page and faults; the fault
 * handler cannot push its frame on the broken stack, so the CPU raises a
 * double fault, which runs on a separate IST stack and reports
 * "kernel stack overflow" (arch/x86/traps.c asks kstack_guard_hit()).
 * Slots are recycled through a bitmap; the pages come from alloc_page().
 */
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "arch/x86/paging.h"
#include "sync/spinlock.h"

#define SLOT_SIZE  ((KSTACK_PAGES + 1) * PAGE_SIZE)
#define MAX_SLOTS  8192

static uint64_t slot_used[MAX_SLOTS / 64];
static unsigned long slots_in_use;
static DEFINE_SPINLOCK(kstack_lock);

static long take_slot(void)
{
	unsigned long flags;
	long slot = -1;

	spin_lock_irqsave(&kstack_lock, flags);
	for (unsigned long w = 0; w < MAX_SLOTS / 64 && slot < 0; w++) {
		if (slot_used[w] == ~0UL)
			continue;
		int bit = __builtin_ctzl(~slot_used[w]);
		slot_used[w] |= 1UL << bit;
		slot = (long)(w * 64 + bit);
		slots_in_use++;
	}
	spin_unlock_irqrestore(&kstack_lock, flags);
	return slot;
}

static void put_slot(unsigned long slot)
{
	unsigned long flags;

	spin_lock_irqsave(&kstack_lock, flags);
	BUG_ON(!(slot_used[slot / 64] & (1UL << (slot % 64))));
	slot_used[slot / 64] &= ~(1UL << (slot % 64));
	slots_in_use--;
	spin_unlock_irqrestore(&kstack_lock, flags);
}

static uintptr_t slot_stack_base(unsigned long slot)
{
	return KSTACK_BASE + slot * SLOT_SIZE + PAGE_SIZE;
}

void *kstack_alloc(void)
{
	long slot = take_slot();

	if (slot < 0)
		return NULL;
	uintptr_t base = slot_stack_base(slot);
	for (int i = 0; i < KSTACK_PAGES; i++) {
		void *page = alloc_page();
		if (!page || map_page(base + i * PAGE_SIZE, virt_to_phys(page),
				      PAGE_KERNEL_RW) < 0)
			panic("kstack: out of memory");
	}
	return (void *)base;
}

void kstack_free(void *stack)
{
	uintptr_t base = (uintptr_t)stack;
	unsigned long slot = (base - KSTACK_BASE) / SLOT_SIZE;

	if (base < KSTACK_BASE || slot >= MAX_SLOTS ||
	    base != slot_stack_base(slot))
		panic("BUG: kstack_free: %p is not a kernel stack", stack);
	for (int i = 0; i < KSTACK_PAGES; i++) {
		uintptr_t va = base + i * PAGE_SIZE;
		void *page = phys_to_virt(lookup_pte(va) & PTE_ADDR_MASK);
		unmap_page(va);
		free_page(page);
	}
	put_slot(slot);
}

bool kstack_guard_hit(uintptr_t addr, uintptr_t *stack_base)
{
	if (addr < KSTACK_BASE || addr >= KSTACK_BASE + MAX_SLOTS * SLOT_SIZE)
		return false;
	unsigned long slot = (addr - KSTACK_BASE) / SLOT_SIZE;
	uintptr_t guard = KSTACK_BASE + slot * SLOT_SIZE;
	if (addr >= guard + PAGE_SIZE)
		return false;
	*stack_base = guard + PAGE_SIZE;
	return true;
}

unsigned long kstack_in_use(void)
{
	return READ_ONCE(slots_in_use);
}
