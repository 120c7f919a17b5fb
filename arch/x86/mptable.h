/*
 * mptable.h - the Intel MultiProcessor Specification tables (v1.4), the
 * fallback when there is no usable ACPI MADT (QEMU's SeaBIOS has both),
 * and a single-CPU default for when there is neither.
 *
 * Both fill struct smp_config (acpi.h) and read physical memory through
 * the mapper given to acpi_set_mapper().
 */
#pragma once
#include "arch/x86/acpi.h"

/*
 * Find the MP floating pointer, check and walk its configuration table.
 * Returns true iff the table lists at least one enabled CPU.
 */
bool mptable_parse(struct smp_config *out);

/*
 * The boot CPU alone, with the local and I/O APIC at their usual
 * addresses and ISA IRQs identity-mapped.
 */
void smp_config_default(struct smp_config *out, uint32_t bsp_apic_id);
