/*
 * desc.h - segment descriptors (GDT), the task-state segment (TSS) and
 * the interrupt descriptor table (IDT).
 *
 * In 64-bit mode segments are mostly vestigial, but the CPU still needs a
 * code segment to know it runs 64-bit kernel code, and a TSS: it holds the
 * Interrupt Stack Table, known-good stacks the CPU switches to for chosen
 * exceptions. We use them for the double fault (the stack may be what
 * broke), NMI and machine check.
 */
#pragma once
#include "kernel/compiler.h"

#define KERNEL_CS  0x08
#define KERNEL_DS  0x10
#define TSS_SEL    0x18

#define IST_DOUBLE_FAULT 1
#define IST_NMI          2
#define IST_MCE          3
#define NR_IST           3

struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;

/* Build this CPU's GDT and TSS (with fresh IST stacks) and load them. */
void gdt_init_cpu(int cpu);
/* Fill the IDT once; every CPU then loads it with idt_load(). */
void idt_init(void);
void idt_load(void);
/* The IST stack a fault happened on, for reports. */
bool ist_stack_of(uintptr_t addr, int *which);
