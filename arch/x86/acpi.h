/*
 * acpi.h - find the CPUs and interrupt controllers in the firmware tables.
 *
 * The boot code needs to know which CPUs exist (by APIC id), where the
 * local and I/O APICs live, and how ISA IRQs are wired to I/O APIC pins.
 * ACPI's MADT says this on every current machine; the older Intel MP
 * tables (mptable.h) are the fallback, and smp_config_default() the last
 * resort. All three fill the same struct smp_config.
 *
 * Firmware tables are untrusted input: every parser here checks lengths
 * and checksums, warns through acpi_warn() and never reads outside what
 * the mapper said is readable.
 */
#pragma once
/*
 * Not kernel/compiler.h: host tests include this beside libc headers,
 * and glibc defines some of the same macro names differently.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SMP_CONFIG_MAX_CPUS	256
#define SMP_CONFIG_MAX_IOAPICS	8
#define SMP_CONFIG_MAX_OVERRIDES 16
#define SMP_CONFIG_MAX_NMIS	16

/* In nmis[].acpi_uid: the NMI goes to every CPU. */
#define SMP_NMI_ALL_CPUS_8	0xffu		/* from a MADT type 4 entry */
#define SMP_NMI_ALL_CPUS_32	0xffffffffu	/* from a MADT type 0xA entry */

/*
 * Interrupt polarity and trigger flags, as in MADT overrides and NMI
 * entries (the MP spec uses the same encoding).
 */
#define SMP_IRQ_POLARITY_MASK	0x3
#define SMP_IRQ_ACTIVE_HIGH	0x1
#define SMP_IRQ_ACTIVE_LOW	0x3
#define SMP_IRQ_TRIGGER_MASK	0xc
#define SMP_IRQ_EDGE		0x4
#define SMP_IRQ_LEVEL		0xc

struct smp_config {
	uint32_t lapic_phys;		/* local APIC registers (xAPIC mode) */

	int nr_cpus;
	struct {
		uint32_t apic_id;
		uint32_t acpi_uid;	/* matches nmis[].acpi_uid */
		bool enabled;		/* usable now */
		bool online_capable;	/* disabled, but may be hot-added */
	} cpus[SMP_CONFIG_MAX_CPUS];

	int nr_ioapics;
	struct {
		uint8_t id;
		uint32_t phys;
		uint32_t gsi_base;	/* first global system interrupt */
	} ioapics[SMP_CONFIG_MAX_IOAPICS];

	/* ISA IRQ 'source' is not wired to GSI 'source' (or not edge/high). */
	int nr_overrides;
	struct {
		uint8_t bus, source;	/* bus 0 = ISA */
		uint32_t gsi;
		uint16_t flags;		/* SMP_IRQ_* */
	} overrides[SMP_CONFIG_MAX_OVERRIDES];

	/* Which local APIC LINT pin carries NMI, on which CPUs. */
	int nr_nmis;
	struct {
		uint32_t acpi_uid;	/* or SMP_NMI_ALL_CPUS_8/_32 */
		uint16_t flags;		/* SMP_IRQ_* */
		uint8_t lint;		/* 0 or 1 */
	} nmis[SMP_CONFIG_MAX_NMIS];

	bool pcat_compat;		/* legacy 8259 PICs are present */
	const char *source;		/* "ACPI MADT", "MP table", "default ..." */
};

/*
 * Physical memory access. map(phys, len) returns a pointer to len
 * readable bytes at physical address phys, or NULL if that range cannot
 * be read. Pointers it returns must stay valid until the parse that
 * asked for them returns (a direct map of physical memory does).
 * Until a mapper is set, nothing can be parsed.
 */
typedef const void *(*acpi_mapper_t)(uint64_t phys, size_t len);
void acpi_set_mapper(acpi_mapper_t map);

/* Through the mapper; NULL if there is none, or phys + len wraps. */
const void *acpi_map(uint64_t phys, size_t len);

/* The bytes at p sum to 0 modulo 256, as every ACPI/MP structure must. */
bool acpi_checksum_ok(const void *p, size_t len);

/*
 * Fill *out from the MADT reached through the RSDP (rsdp_len bytes at
 * rsdp, e.g. the copy in a multiboot2 tag). Returns true iff a valid MADT
 * listing at least one enabled CPU was found; *out may hold partial
 * results otherwise, and then should be refilled by a fallback.
 */
bool acpi_parse_madt(const uint8_t *rsdp, size_t rsdp_len,
		     struct smp_config *out);

/*
 * Search the BIOS areas for the RSDP, for when the boot loader gave none.
 * Returns a mapped pointer to a valid RSDP or NULL; acpi_rsdp_length()
 * then says how many bytes of it to pass to acpi_parse_madt().
 */
const uint8_t *acpi_find_rsdp_legacy(void);
size_t acpi_rsdp_length(const uint8_t *rsdp);

/*
 * Provided by the user of this code (printk in the kernel). Each call is
 * one message, without the trailing newline.
 */
void acpi_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
