/*
 * idt.c - the interrupt descriptor table and the C side of dispatch.
 *
 * One IDT serves every CPU: gate i points at isr_stub_i in entry.asm.
 * do_interrupt() is the single C entry for all vectors. For device and IPI
 * vectors it marks the CPU as "in hard interrupt" in preempt_count (so
 * might_sleep() and the scheduler refuse to sleep there), runs the
 * handler, and on the way out gives the scheduler its chance to preempt
 * the interrupted thread (irq_exit_preempt(), sched/).
 */
#include "arch/x86/irq.h"
#include "kernel/softirq.h"
#include "arch/x86/desc.h"
#include "arch/x86/apic.h"
#include "kernel/panic.h"
#include "sched/preempt.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t zero;
} __packed;

extern const uintptr_t isr_stub_table[256];
static struct idt_gate idt[256] __aligned(16);
static irq_handler_t handlers[256];

static void set_gate(int vec, uintptr_t fn, int ist)
{
	idt[vec] = (struct idt_gate){
		.offset_lo = fn & 0xffff,
		.selector = KERNEL_CS,
		.ist = (uint8_t)ist,
		.type_attr = 0x8e,	/* present, ring 0, interrupt gate */
		.offset_mid = (fn >> 16) & 0xffff,
		.offset_hi = (uint32_t)(fn >> 32),
	};
}

void idt_init(void)
{
	for (int v = 0; v < 256; v++)
		set_gate(v, isr_stub_table[v], 0);
	idt_load();
}

/* Once the TSS exists: run these exceptions on their own stacks. */
void idt_enable_ist(void)
{
	idt[8].ist = IST_DOUBLE_FAULT;
	idt[2].ist = IST_NMI;
	idt[18].ist = IST_MCE;
}

void idt_load(void)
{
	struct { uint16_t limit; uint64_t base; } __packed p =
		{ sizeof(idt) - 1, (uint64_t)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p) : "memory");
}

void set_vector_handler(int vector, irq_handler_t fn)
{
	BUG_ON(vector < 32 || vector > 255);
	handlers[vector] = fn;
}

/* Weak default: the scheduler provides the real one. */
__attribute__((weak)) void irq_exit_preempt(struct pt_regs *regs)
{
	(void)regs;
}

void do_interrupt(struct pt_regs *regs)
{
	int vec = (int)regs->vector;

	if (vec < 32) {
		do_exception(regs);
		return;
	}
	preempt_count_add(HARDIRQ_OFFSET);
	if (handlers[vec])
		handlers[vec](regs);
	else if (vec != SPURIOUS_APIC_VECTOR)
		printk(KERN_WARNING "irq: unexpected interrupt on vector %#x\n", vec);
	if (vec != SPURIOUS_APIC_VECTOR && vec >= IRQ_BASE_VECTOR)
		lapic_eoi();
	preempt_count_sub(HARDIRQ_OFFSET);
	irq_exit_softirq();		/* what the handler raised, interrupts on */
	irq_exit_preempt(regs);
}
