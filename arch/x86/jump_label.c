/*
 * jump_label.c - rewriting static-branch sites (see jump_label.h).
 *
 * Kernel text is mapped read-only (W^X), so the new bytes are written
 * through the direct map, which maps the same physical page writable -
 * Linux's text_poke does the same with a temporary mapping.
 *
 * No CPU may execute a site while its five bytes change (it could run
 * half of the old instruction and half of the new one). So the other
 * CPUs are first gathered, interrupts off, in an IPI handler that spins
 * (stop_machine in miniature); then the bytes are written, and each CPU
 * executes a serializing instruction (cpuid) before it goes on, so that
 * none runs a stale copy of the instruction from its pipeline.
 */
#include "arch/x86/jump_label.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irqflags.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "sched/preempt.h"
#include "sync/atomic.h"
#include "sync/barrier.h"

static const uint8_t nop5[JUMP_LABEL_NOP_SIZE] = { 0x0f, 0x1f, 0x44, 0x00, 0x00 };

static atomic_t held;
static int released;

static void hold_this_cpu(void *arg)
{
	(void)arg;
	atomic_inc(&held);
	while (!smp_load_acquire(&released))
		cpu_relax();
	sync_core();
	atomic_dec(&held);		/* gone: the next transform may start */
}

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

void arch_jump_label_transform(struct jump_entry *const *sites, int n, bool enable)
{
	unsigned long flags;
	int others = num_online_cpus() - 1;

	preempt_disable();
	atomic_set(&held, 0);
	WRITE_ONCE(released, 0);
	if (others)
		smp_call_function(hold_this_cpu, NULL, false);
	while (atomic_read(&held) < others)
		cpu_relax();
	local_irq_save(flags);
	for (int i = 0; i < n; i++)
		poke(sites[i], enable);
	sync_core();
	smp_store_release(&released, 1);
	while (atomic_read(&held))
		cpu_relax();
	local_irq_restore(flags);
	preempt_enable();
}
