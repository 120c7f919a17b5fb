/*
 * mptable.c - read the CPU and I/O APIC list from the Intel MP tables.
 *
 * MultiProcessor Specification 1.4, chapter 4:
 *
 *   floating pointer: "_MP_", 16 bytes, 16-byte aligned, in the first KiB
 *   of the EBDA, the last KiB of base memory or 0xf0000-0xfffff;
 *     -> configuration table: "PCMP" header (44 bytes), then entries in
 *        type order: processors (20 bytes), buses, I/O APICs, I/O
 *        interrupt assignments, local interrupt assignments (8 bytes each).
 *
 * Unlike ACPI entries, MP entries carry no length: an unknown type means
 * we cannot find the next entry, so the walk stops there. The tables give
 * no GSI numbers either; we number I/O APIC pins consecutively, 24 per
 * I/O APIC, in table order, and turn the ISA interrupt assignments that
 * are not identity-mapped into ACPI-style overrides.
 */
#include "arch/x86/mptable.h"
#include "kernel/string.h"

#define MPF_LEN		16
#define MPC_HDR_LEN	44
#define MP_IOAPIC_PINS	24	/* an assumption: the tables do not say */

#define MP_CPU_ENABLED	 (1u << 0)
#define MP_IOAPIC_USABLE (1u << 0)
#define MP_INT_TYPE_INT	 0	/* vectored interrupt, via the I/O APIC */
#define MP_INT_TYPE_NMI	 1
#define MP_APIC_ALL	 0xff	/* destination: every local APIC */

enum mpc_type {
	MPC_CPU = 0,
	MPC_BUS = 1,
	MPC_IOAPIC = 2,
	MPC_IOINT = 3,
	MPC_LINT = 4,
};

struct mp_walk {
	struct smp_config *out;
	uint8_t isa_bus[256 / 8];	/* bitmap of bus ids of type "ISA" */
	uint32_t next_gsi;
	bool cpus_full, ioapics_full, overrides_full, nmis_full;
};

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Size of an entry of this type; 0 for a type the spec does not define. */
static uint32_t mpc_entry_len(uint8_t type)
{
	switch (type) {
	case MPC_CPU:
		return 20;
	case MPC_BUS:
	case MPC_IOAPIC:
	case MPC_IOINT:
	case MPC_LINT:
		return 8;
	default:
		return 0;
	}
}

/* --- entries --- */

static void mp_cpu(struct mp_walk *w, const uint8_t *e)
{
	struct smp_config *out = w->out;
	int n = out->nr_cpus;

	for (int i = 0; i < n; i++) {
		if (out->cpus[i].apic_id == e[1]) {
			acpi_warn("mptable: APIC id %u listed twice, ignoring the second",
				  e[1]);
			return;
		}
	}
	if (n == SMP_CONFIG_MAX_CPUS) {
		if (!w->cpus_full)
			acpi_warn("mptable: more than %d CPUs, ignoring the rest",
				  SMP_CONFIG_MAX_CPUS);
		w->cpus_full = true;
		return;
	}
	/* No ACPI ids here: the table index serves, as in the NMI entries. */
	out->cpus[n].apic_id = e[1];
	out->cpus[n].acpi_uid = (uint32_t)n;
	out->cpus[n].enabled = e[3] & MP_CPU_ENABLED;
	out->cpus[n].online_capable = false;
	out->nr_cpus++;
}

static void mp_bus(struct mp_walk *w, const uint8_t *e)
{
	/* The bus type is space-padded ASCII. */
	if (memcmp(e + 2, "ISA   ", 6) == 0)
		w->isa_bus[e[1] / 8] |= 1u << (e[1] % 8);
}

static bool is_isa_bus(const struct mp_walk *w, uint8_t bus)
{
	return w->isa_bus[bus / 8] & (1u << (bus % 8));
}

static void mp_ioapic(struct mp_walk *w, const uint8_t *e)
{
	struct smp_config *out = w->out;
	int n = out->nr_ioapics;

	if (!(e[3] & MP_IOAPIC_USABLE)) {
		acpi_warn("mptable: I/O APIC %u is marked unusable, ignoring it",
			  e[1]);
		return;
	}
	if (n == SMP_CONFIG_MAX_IOAPICS) {
		if (!w->ioapics_full)
			acpi_warn("mptable: more than %d I/O APICs, ignoring the rest",
				  SMP_CONFIG_MAX_IOAPICS);
		w->ioapics_full = true;
		return;
	}
	out->ioapics[n].id = e[1];
	out->ioapics[n].phys = get32(e + 4);
	out->ioapics[n].gsi_base = w->next_gsi;
	w->next_gsi += MP_IOAPIC_PINS;
	out->nr_ioapics++;
}

/*
 * An I/O interrupt assignment. Only ISA IRQs matter to an override: PCI
 * interrupts are found through the PCI routing, not by IRQ number. An
 * ISA IRQ that arrives at GSI == IRQ with the bus's default polarity and
 * trigger needs no override, which is the case ACPI leaves out too.
 */
static void mp_ioint(struct mp_walk *w, const uint8_t *e)
{
	struct smp_config *out = w->out;
	uint16_t flags = get16(e + 2);
	uint8_t bus = e[4], irq = e[5], dest = e[6], pin = e[7];
	uint32_t gsi;
	int i, n;

	if (e[1] != MP_INT_TYPE_INT || !is_isa_bus(w, bus))
		return;
	for (i = 0; i < out->nr_ioapics; i++)
		if (out->ioapics[i].id == dest)
			break;
	if (i == out->nr_ioapics) {
		acpi_warn("mptable: ISA IRQ %u is routed to unknown I/O APIC %u, ignoring it",
			  irq, dest);
		return;
	}
	gsi = out->ioapics[i].gsi_base + pin;
	if (gsi == irq && flags == 0)
		return;

	n = out->nr_overrides;
	if (n == SMP_CONFIG_MAX_OVERRIDES) {
		if (!w->overrides_full)
			acpi_warn("mptable: more than %d ISA IRQ overrides, ignoring the rest",
				  SMP_CONFIG_MAX_OVERRIDES);
		w->overrides_full = true;
		return;
	}
	out->overrides[n].bus = 0;	/* ACPI's meaning: ISA */
	out->overrides[n].source = irq;
	out->overrides[n].gsi = gsi;
	out->overrides[n].flags = flags;	/* same encoding as ACPI */
	out->nr_overrides++;
}

/* A local interrupt assignment: we only want to know where NMI arrives. */
static void mp_lint(struct mp_walk *w, const uint8_t *e)
{
	struct smp_config *out = w->out;
	uint8_t dest = e[6];
	uint32_t uid = SMP_NMI_ALL_CPUS_8;
	int n = out->nr_nmis;

	if (e[1] != MP_INT_TYPE_NMI)
		return;
	if (dest != MP_APIC_ALL) {
		int i;

		for (i = 0; i < out->nr_cpus; i++)
			if (out->cpus[i].apic_id == dest)
				break;
		if (i == out->nr_cpus) {
			acpi_warn("mptable: NMI routed to unknown APIC id %u, ignoring it",
				  dest);
			return;
		}
		uid = out->cpus[i].acpi_uid;
	}
	if (n == SMP_CONFIG_MAX_NMIS) {
		if (!w->nmis_full)
			acpi_warn("mptable: more than %d local NMI entries, ignoring the rest",
				  SMP_CONFIG_MAX_NMIS);
		w->nmis_full = true;
		return;
	}
	out->nmis[n].acpi_uid = uid;
	out->nmis[n].flags = get16(e + 2);
	out->nmis[n].lint = e[7];
	out->nr_nmis++;
}

/* --- the configuration table --- */

/*
 * How many of the count entries after the header are well-formed and
 * inside the len-byte table. Checked once, up front, because the
 * entries are then walked twice.
 */
static uint32_t mpc_good_entries(const uint8_t *mpc, uint32_t len,
				 uint32_t count)
{
	uint32_t off = MPC_HDR_LEN;

	for (uint32_t i = 0; i < count; i++) {
		uint8_t type;
		uint32_t elen;

		if (off == len) {
			acpi_warn("mptable: table ends after %u of its %u entries",
				  i, count);
			return i;
		}
		type = mpc[off];
		elen = mpc_entry_len(type);
		if (!elen) {
			acpi_warn("mptable: entry %u at offset %u has unknown type %u, stopping",
				  i, off, type);
			return i;
		}
		if (elen > len - off) {
			acpi_warn("mptable: entry %u at offset %u (type %u) runs past the end of the table (%u bytes), stopping",
				  i, off, type, len);
			return i;
		}
		off += elen;
	}
	return count;
}

static void mpc_walk(const uint8_t *mpc, uint32_t len, uint32_t count,
		     struct smp_config *out)
{
	struct mp_walk w = { .out = out };
	uint32_t n = mpc_good_entries(mpc, len, count);
	const uint8_t *e;
	uint32_t i;

	/*
	 * Interrupt entries name buses, I/O APICs and CPUs by id, and the
	 * spec's type ordering is not something to bet on: learn those
	 * first, then read the interrupt entries.
	 */
	for (i = 0, e = mpc + MPC_HDR_LEN; i < n; i++, e += mpc_entry_len(*e)) {
		if (e[0] == MPC_CPU)
			mp_cpu(&w, e);
		else if (e[0] == MPC_BUS)
			mp_bus(&w, e);
		else if (e[0] == MPC_IOAPIC)
			mp_ioapic(&w, e);
	}
	for (i = 0, e = mpc + MPC_HDR_LEN; i < n; i++, e += mpc_entry_len(*e)) {
		if (e[0] == MPC_IOINT)
			mp_ioint(&w, e);
		else if (e[0] == MPC_LINT)
			mp_lint(&w, e);
	}
}

/* Map and check the configuration table at phys; NULL after a warning. */
static const uint8_t *map_mpc(uint32_t phys, uint32_t *len)
{
	const uint8_t *mpc = acpi_map(phys, MPC_HDR_LEN);
	uint32_t n;

	if (!mpc) {
		acpi_warn("mptable: configuration table at 0x%x is not accessible",
			  phys);
		return NULL;
	}
	if (memcmp(mpc, "PCMP", 4) != 0) {
		acpi_warn("mptable: configuration table at 0x%x has a bad signature",
			  phys);
		return NULL;
	}
	n = get16(mpc + 4);
	if (n < MPC_HDR_LEN) {
		acpi_warn("mptable: configuration table at 0x%x has a bad length %u",
			  phys, n);
		return NULL;
	}
	mpc = acpi_map(phys, n);
	if (!mpc) {
		acpi_warn("mptable: configuration table at 0x%x (%u bytes) is not accessible",
			  phys, n);
		return NULL;
	}
	if (!acpi_checksum_ok(mpc, n)) {
		acpi_warn("mptable: configuration table at 0x%x has a bad checksum",
			  phys);
		return NULL;
	}
	*len = n;
	return mpc;
}

/* --- the floating pointer --- */

/* A valid floating pointer in [start, start + size), or NULL. */
static const uint8_t *scan_mpf(uint32_t start, uint32_t size)
{
	const uint8_t *area = acpi_map(start, size);

	if (!area) {
		acpi_warn("mptable: cannot map 0x%x-0x%x to look for the MP floating pointer",
			  start, start + size - 1);
		return NULL;
	}
	for (uint32_t off = 0; off + MPF_LEN <= size; off += 16) {
		const uint8_t *mpf;
		uint32_t len;

		if (memcmp(area + off, "_MP_", 4) != 0)
			continue;
		/* The length is in 16-byte units, and may reach past the area. */
		len = area[off + 8] * 16u;
		mpf = len ? acpi_map(start + off, len) : NULL;
		if (mpf && acpi_checksum_ok(mpf, len))
			return mpf;
		acpi_warn("mptable: floating pointer at 0x%x has a bad length or checksum, skipping it",
			  start + off);
	}
	return NULL;
}

static const uint8_t *find_mpf(void)
{
	const uint8_t *bda_ebda = acpi_map(0x40e, 2);
	const uint8_t *mpf = NULL;
	uint32_t ebda = 0;

	if (bda_ebda) {
		ebda = (uint32_t)get16(bda_ebda) << 4;
		/* Anything else is not a real EBDA (it lies below 640 KiB). */
		if (ebda >= 0x500 && ebda + 1024 <= 0xa0000)
			mpf = scan_mpf(ebda, 1024);
		else
			ebda = 0;
	}
	if (!mpf && ebda != 0x9fc00)
		mpf = scan_mpf(0x9fc00, 1024);	/* the last KiB of 640 KiB */
	if (!mpf)
		mpf = scan_mpf(0xf0000, 0x10000);
	return mpf;
}

bool mptable_parse(struct smp_config *out)
{
	const uint8_t *mpf, *mpc;
	uint32_t len, phys;
	int enabled = 0;

	memset(out, 0, sizeof(*out));
	out->source = "MP table";
	/* MP systems are PC/AT compatible: the 8259s are there. */
	out->pcat_compat = true;
	mpf = find_mpf();
	if (!mpf) {
		acpi_warn("mptable: no MP floating pointer found");
		return false;
	}
	/* A default configuration (feature byte 1) has no table to read. */
	phys = get32(mpf + 4);
	if (mpf[11] != 0 || phys == 0) {
		acpi_warn("mptable: default configuration %u is not supported",
			  mpf[11]);
		return false;
	}
	mpc = map_mpc(phys, &len);
	if (!mpc)
		return false;
	out->lapic_phys = get32(mpc + 36);
	mpc_walk(mpc, len, get16(mpc + 34), out);

	for (int i = 0; i < out->nr_cpus; i++)
		enabled += out->cpus[i].enabled;
	if (!enabled) {
		acpi_warn("mptable: no enabled CPU listed");
		return false;
	}
	return true;
}

void smp_config_default(struct smp_config *out, uint32_t bsp_apic_id)
{
	memset(out, 0, sizeof(*out));
	out->lapic_phys = 0xfee00000;
	out->nr_cpus = 1;
	out->cpus[0].apic_id = bsp_apic_id;
	out->cpus[0].acpi_uid = 0;
	out->cpus[0].enabled = true;
	out->nr_ioapics = 1;
	out->ioapics[0].id = 0;
	out->ioapics[0].phys = 0xfec00000;
	out->ioapics[0].gsi_base = 0;
	out->pcat_compat = true;
	out->source = "default (single CPU)";
}
