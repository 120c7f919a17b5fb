/*
 * ioapic.h - the I/O APIC: routes device interrupt lines to CPUs.
 * Legacy ISA IRQ n arrives on I/O APIC input (GSI) n unless the MADT
 * lists an override (QEMU: the timer's IRQ0 is on GSI 2).
 */
#pragma once
#include <stdint.h>

struct smp_config;
void ioapic_init(const struct smp_config *cfg);
/* Deliver ISA `irq` as `vector` to the CPU with APIC id `dest`. */
int ioapic_route_isa_irq(int irq, int vector, uint32_t dest);
