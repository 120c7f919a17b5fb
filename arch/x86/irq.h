/*
 * irq.h - interrupt vectors and handlers.
 *
 * Vectors 0-31 are CPU exceptions (traps.c). The rest are ours:
 *   0x20-0x2f  the legacy 8259 PICs, remapped here and masked
 *   0x30-0x4f  device interrupts routed through the I/O APIC (0x30 + IRQ)
 *   0xf0-0xfe  local APIC timer and inter-processor interrupts
 *   0xff       the local APIC's spurious vector
 * Handlers run with interrupts off and preempt_count raised by
 * HARDIRQ_OFFSET (in_irq() is true), so they must not sleep.
 */
#pragma once
#include "arch/x86/regs.h"

#define IRQ_BASE_VECTOR        0x30
#define LOCAL_TIMER_VECTOR     0xf0
#define RESCHEDULE_VECTOR      0xf1
#define CALL_FUNCTION_VECTOR   0xf2
#define STOP_CPU_VECTOR        0xf3
#define SPURIOUS_APIC_VECTOR   0xff

typedef void (*irq_handler_t)(struct pt_regs *regs);

void set_vector_handler(int vector, irq_handler_t fn);
void do_interrupt(struct pt_regs *regs);
void do_exception(struct pt_regs *regs);
void idt_enable_ist(void);
