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
 *
 * Freeing is deferred: other CPUs may still hold TLB entries for a dead
 * thread's stack (a waker touched a wait-queue entry on it, say). If the
 * slot were reused with new pages before those entries are flushed, a CPU
 * could write through a stale entry into a page now owned by someone
 * else. So kstack_free() only marks the slot pending; kstack_reclaim()
 * unmaps a batch of pending slots, flushes every CPU's TLB once (an IPI)
 * and only then frees their pages and slots.
 */
#include "kernel/debugobjects.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "arch/x86/paging.h"
#include "sync/spinlock.h"
#include "kernel/smp.h"
#include "arch/x86/cpu.h"

#define SLOT_SIZE  ((KSTACK_PAGES + 1) * PAGE_SIZE)
#define MAX_SLOTS  8192

#define RECLAIM_BATCH 32

static uint64_t slot_used[MAX_SLOTS / 64];
static uint64_t slot_pending[MAX_SLOTS / 64];	/* freed, not yet reclaimed */
static unsigned long slots_in_use, slots_pending;
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
	/* Reclaiming needs an IPI we wait for: only where we may wait. */
	if (READ_ONCE(slots_pending) >= RECLAIM_BATCH && !irqs_disabled() &&
	    !in_atomic())
		kstack_reclaim();
	long slot = take_slot();

	if (slot < 0)
		return NULL;
	uintptr_t base = slot_stack_base(slot);
	for (int i = 0; i < KSTACK_PAGES; i++) {
		void *page = alloc_page();
		if (!page || map_page(base + i * PAGE_SIZE, virt_to_phys(page),
				      PAGE_KERNEL_STACK) < 0)
			panic("kstack: out of memory");
	}
	return (void *)base;
}

void kstack_free(void *stack)
{
	uintptr_t base = (uintptr_t)stack;
	unsigned long slot = (base - KSTACK_BASE) / SLOT_SIZE;
	unsigned long flags, bit = 1UL << (slot % 64);
	bool used, pending;

	if (base < KSTACK_BASE || slot >= MAX_SLOTS || base != slot_stack_base(slot))
		panic("BUG: kstack_free: %p is not a kernel stack", stack);
	/* The bitmaps' words hold other stacks' bits, which other CPUs
	 * change: read them under the lock (KCSAN found the unlocked read). */
	spin_lock_irqsave(&kstack_lock, flags);
	used = slot_used[slot / 64] & bit;
	pending = slot_pending[slot / 64] & bit;
	if (used && !pending) {
		slot_pending[slot / 64] |= bit;
		WRITE_ONCE(slots_pending, slots_pending + 1);	/* kstack_alloc() */
	}
	spin_unlock_irqrestore(&kstack_lock, flags);
	if (!used)
		panic("BUG: kstack_free: %p is not a kernel stack", stack);
	if (pending)
		panic("BUG: kstack_free: double free of stack %p", stack);
	debug_check_no_obj_freed(stack, KSTACK_SIZE);	/* timers on the stack */
}

static void flush_tlb_local(void *unused)
{
	(void)unused;
	write_cr3(read_cr3());	/* drops all non-global entries */
}

/* Unmap up to RECLAIM_BATCH pending stacks, flush all TLBs, free them. */
void kstack_reclaim(void)
{
	static DEFINE_SPINLOCK(reclaim_lock);	/* one reclaimer at a time */
	unsigned long slots[RECLAIM_BATCH], flags;
	void *pages[RECLAIM_BATCH * KSTACK_PAGES];
	int n = 0, np = 0;

	spin_lock(&reclaim_lock);
	spin_lock_irqsave(&kstack_lock, flags);
	for (unsigned long w = 0; w < MAX_SLOTS / 64 && n < RECLAIM_BATCH; w++)
		while (slot_pending[w] && n < RECLAIM_BATCH) {
			int bit = __builtin_ctzl(slot_pending[w]);
			slot_pending[w] &= ~(1UL << bit);
			slots[n++] = w * 64 + bit;
		}
	spin_unlock_irqrestore(&kstack_lock, flags);
	for (int i = 0; i < n; i++)
		for (int p = 0; p < KSTACK_PAGES; p++) {
			uintptr_t va = slot_stack_base(slots[i]) + p * PAGE_SIZE;
			pages[np++] = phys_to_virt(lookup_pte(va) & PTE_ADDR_MASK);
			unmap_page(va);
		}
	spin_unlock(&reclaim_lock);
	if (n == 0)
		return;
	/* The stacks are unmapped here (unmap_page flushed our own TLB);
	 * now everywhere else, before pages or slots are reused. */
	preempt_disable();
	smp_call_function(flush_tlb_local, NULL, true);
	preempt_enable();
	for (int i = 0; i < np; i++)
		free_page(pages[i]);
	spin_lock_irqsave(&kstack_lock, flags);
	WRITE_ONCE(slots_pending, slots_pending - n);	/* read unlocked by kstack_alloc() */
	spin_unlock_irqrestore(&kstack_lock, flags);
	for (int i = 0; i < n; i++)
		put_slot(slots[i]);
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
