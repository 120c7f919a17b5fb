/*
 * irqflags.h - turning interrupts off and on for the current CPU.
 *
 * Contract (as in Linux):
 *   local_irq_disable()/local_irq_enable(): cli/sti, no nesting.
 *   local_irq_save(flags)/local_irq_restore(flags): nest correctly, because
 *     restore puts back whatever state save found. Use these whenever the
 *     caller might already run with interrupts off.
 *   irqs_disabled(): true when this CPU ignores maskable interrupts.
 * Only the current CPU is affected; other CPUs keep taking interrupts, so
 * this alone never protects data shared between CPUs (that needs a lock).
 * The "memory" clobbers keep the compiler from moving accesses out of the
 * protected region.
 */
#pragma once
#include "arch/x86/cpu.h"
#include "arch/x86/regs.h"

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" ::: "memory");
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" ::: "memory");
}

static inline unsigned long arch_local_save_flags(void)
{
	return read_rflags();
}

static inline bool irqs_disabled_flags(unsigned long flags)
{
	return !(flags & X86_RFLAGS_IF);
}

/* Had the interrupted code interrupts off? (its saved RFLAGS.IF) */
static inline bool regs_irqs_disabled(const struct pt_regs *regs)
{
	return irqs_disabled_flags(regs->rflags);
}

static inline bool irqs_disabled(void)
{
	return irqs_disabled_flags(arch_local_save_flags());
}

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = arch_local_save_flags();
	local_irq_disable();
	return flags;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (!irqs_disabled_flags(flags))
		local_irq_enable();
}

#define local_irq_save(flags) ((flags) = arch_local_irq_save())

/* Enable interrupts and halt in one step: no wake-up can slip in between. */
static inline void safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" ::: "memory");
}
