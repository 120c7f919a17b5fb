/*
 * jump_label.c - rewriting static-branch sites (see jump_label.h).
 *
 * No CPU may execute a site while its five bytes change: it could run
 * half of the old instruction and half of the new one. So the bytes are
 * written under stop_machine() (kernel/stop_machine.h): every CPU waits,
 * interrupts off, in its stopper thread, the first to get there writes
 * every site, and each CPU executes a serializing instruction (cpuid)
 * before it goes on, so that none runs a stale copy of the old bytes.
 *
 * Why not hold the other CPUs in an interrupt handler while writing (the
 * first version here): a CPU takes the interrupt wherever it is, holding
 * a spinlock too, and a CPU spinning for that lock with interrupts off
 * never takes it - the rewrite waited for ever. A stopper runs only where
 * its CPU schedules, never inside a spinlock section. (Linux rewrites x86
 * text with text_poke_bp(): an int3 over the first byte, so that a CPU
 * meeting the site mid-way traps and is steered, while no CPU is held.
 * Under QEMU's TCG another vCPU translating the site while it is written
 * can keep a stale translation of the int3 after the rewrite - seen here
 * thousands of times in a 40-rewrite test - so this kernel, which runs
 * under TCG, holds every CPU at a schedule point instead.)
 *
 * Kernel text is mapped read-only (W^X), so the new bytes are written
 * through the direct map, which maps the same physical page writable -
 * Linux's text_poke() does the same with a temporary mapping.
 */
#include "arch/x86/jump_label.h"
#include "arch/x86/cpu.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/stop_machine.h"
#include "kernel/string.h"
#include "sync/atomic.h"
#include "sync/barrier.h"

static const uint8_t nop5[JUMP_LABEL_NOP_SIZE] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

struct rewrite {
	struct jump_entry *const *sites;
	int n;
	bool enable;
	atomic_t arrived;		/* CPUs in the callback */
	int written;			/* the sites hold the new bytes */
};

static void jmp_to(uint8_t *insn, const struct jump_entry *e)
{
	int32_t rel = (int32_t)(e->target - (e->code + JUMP_LABEL_NOP_SIZE));

	insn[0] = 0xe9;
	memcpy(insn + 1, &rel, sizeof(rel));
}

static void poke(const struct jump_entry *e, bool enable)
{
	uint8_t *site = phys_to_virt(virt_to_phys((void *)(uintptr_t)e->code));
	uint8_t old[JUMP_LABEL_NOP_SIZE], new[JUMP_LABEL_NOP_SIZE];

	jmp_to(enable ? new : old, e);
	memcpy(enable ? old : new, nop5, sizeof(nop5));
	/* The site must hold what we think it holds: else the table or the
	 * text is corrupt, and writing would make it worse. */
	if (memcmp(site, old, sizeof(old)) != 0 && memcmp(site, new, sizeof(new)) != 0)
		panic("jump_label: site %pS does not hold the expected instruction", (void *)e->code);
	memcpy(site, new, sizeof(new));
}

/* On every CPU, interrupts off, all at once (stop_machine()). */
static int rewrite_cb(void *arg)
{
	struct rewrite *r = arg;

	if (atomic_inc_return(&r->arrived) == 1) {
		for (int i = 0; i < r->n; i++)
			poke(r->sites[i], r->enable);
		smp_store_release(&r->written, 1);
	} else {
		while (!smp_load_acquire(&r->written))
			cpu_relax();
	}
	sync_core();		/* no stale copy of the old bytes runs on */
	return 0;
}

void arch_jump_label_transform(struct jump_entry *const *sites, int n, bool enable)
{
	struct rewrite r = { .sites = sites, .n = n, .enable = enable,
			     .arrived = ATOMIC_INIT(0) };

	stop_machine(rewrite_cb, &r, cpu_online_mask);
}
