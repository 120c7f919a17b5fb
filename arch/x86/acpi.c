/*
 * acpi.c - read the CPU and interrupt-controller list from ACPI's MADT.
 *
 * The path to the MADT (ACPI 6.x, chapter 5.2):
 *
 *   RSDP ("RSD PTR ", 20 bytes, v2+: 36 or more)
 *     -> XSDT (64-bit table pointers; revision >= 2) or RSDT (32-bit)
 *       -> every system description table; the MADT is signed "APIC".
 *
 * Each table starts with a 36-byte header (signature, total length,
 * checksum byte making the whole table sum to zero). The MADT body is
 * the local APIC address, a flags word, then variable-length entries,
 * each starting with a type byte and a length byte.
 *
 * All of this is firmware data we cannot trust: each structure is
 * checked before use, multi-byte fields are read a byte at a time (they
 * are often misaligned), and a bad table is skipped with a warning
 * rather than followed.
 */
#include "arch/x86/acpi.h"
#include "kernel/string.h"

#define ACPI_HDR_LEN		36
#define ACPI_TABLE_MAX_LEN	(1u << 20)	/* no real table is this big */
#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define RSDP_MAX_LEN		4096

#define MADT_BODY		44	/* header + lapic address + flags */
#define MADT_PCAT_COMPAT	(1u << 0)

#define MADT_CPU_ENABLED	(1u << 0)
#define MADT_CPU_ONLINE_CAPABLE	(1u << 1)

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_NMI = 4,
	MADT_X2APIC = 9,
	MADT_X2APIC_NMI = 0xa,
};

static acpi_mapper_t acpi_mapper;

void acpi_set_mapper(acpi_mapper_t map)
{
	acpi_mapper = map;
}

const void *acpi_map(uint64_t phys, size_t len)
{
	if (!acpi_mapper || phys + len < phys)
		return NULL;
	return acpi_mapper(phys, len);
}

bool acpi_checksum_ok(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum == 0;
}

/* Little-endian fields, at any alignment. */
static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* A signature byte for a message: garbage must not garble the console. */
static char sigc(uint8_t c)
{
	return c >= 0x20 && c < 0x7f ? (char)c : '?';
}

/*
 * Map and check the table at phys: accessible, signed 'sig', of a sane
 * length, with a good checksum. Returns the whole table (its length in
 * *len) or NULL after a warning that names the table and ends with
 * 'then', i.e. what the caller will do instead.
 */
static const uint8_t *map_table(uint64_t phys, const char *sig,
				const char *name, const char *then,
				uint32_t *len)
{
	const unsigned long long pa = phys;
	const uint8_t *t = acpi_map(phys, ACPI_HDR_LEN);
	uint32_t n;

	if (!t) {
		acpi_warn("acpi: %s at 0x%llx is not accessible, %s",
			  name, pa, then);
		return NULL;
	}
	if (memcmp(t, sig, 4) != 0) {
		acpi_warn("acpi: %s at 0x%llx has signature \"%c%c%c%c\", not \"%s\", %s",
			  name, pa, sigc(t[0]), sigc(t[1]), sigc(t[2]),
			  sigc(t[3]), sig, then);
		return NULL;
	}
	n = get32(t + 4);
	if (n < ACPI_HDR_LEN || n > ACPI_TABLE_MAX_LEN) {
		acpi_warn("acpi: %s at 0x%llx has a bad length %u, %s",
			  name, pa, n, then);
		return NULL;
	}
	t = acpi_map(phys, n);
	if (!t) {
		acpi_warn("acpi: %s at 0x%llx (%u bytes) is not accessible, %s",
			  name, pa, n, then);
		return NULL;
	}
	if (!acpi_checksum_ok(t, n)) {
		acpi_warn("acpi: %s at 0x%llx has a bad checksum, %s",
			  name, pa, then);
		return NULL;
	}
	*len = n;
	return t;
}

/* --- MADT entries --- */

/* The walk's state: what has been complained about already, once each. */
struct madt_walk {
	struct smp_config *out;
	bool cpus_full, ioapics_full, overrides_full, nmis_full;
};

/* Shortest valid length of each entry type we read; 0 = ignored type. */
static uint8_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_LAPIC:	return 8;
	case MADT_IOAPIC:	return 12;
	case MADT_OVERRIDE:	return 10;
	case MADT_LAPIC_NMI:	return 6;
	case MADT_X2APIC:	return 16;
	case MADT_X2APIC_NMI:	return 12;
	default:		return 0;
	}
}

static void add_cpu(struct madt_walk *w, uint32_t apic_id, uint32_t uid,
		    uint32_t flags)
{
	struct smp_config *out = w->out;

	/* Trusting a second entry could start one CPU twice. */
	for (int i = 0; i < out->nr_cpus; i++) {
		if (out->cpus[i].apic_id == apic_id) {
			acpi_warn("acpi: MADT lists APIC id %u twice, ignoring the second",
				  apic_id);
			return;
		}
	}
	if (out->nr_cpus == SMP_CONFIG_MAX_CPUS) {
		if (!w->cpus_full)
			acpi_warn("acpi: MADT lists more than %d CPUs, ignoring the rest",
				  SMP_CONFIG_MAX_CPUS);
		w->cpus_full = true;
		return;
	}
	/* Online-capable means "absent now, may be hot-added later". */
	out->cpus[out->nr_cpus].apic_id = apic_id;
	out->cpus[out->nr_cpus].acpi_uid = uid;
	out->cpus[out->nr_cpus].enabled = flags & MADT_CPU_ENABLED;
	out->cpus[out->nr_cpus].online_capable =
		!(flags & MADT_CPU_ENABLED) && (flags & MADT_CPU_ONLINE_CAPABLE);
	out->nr_cpus++;
}

static void add_ioapic(struct madt_walk *w, const uint8_t *e)
{
	struct smp_config *out = w->out;
	int i = out->nr_ioapics;

	if (i == SMP_CONFIG_MAX_IOAPICS) {
		if (!w->ioapics_full)
			acpi_warn("acpi: MADT lists more than %d I/O APICs, ignoring the rest",
				  SMP_CONFIG_MAX_IOAPICS);
		w->ioapics_full = true;
		return;
	}
	out->ioapics[i].id = e[2];
	out->ioapics[i].phys = get32(e + 4);
	out->ioapics[i].gsi_base = get32(e + 8);
	out->nr_ioapics++;
}

static void add_override(struct madt_walk *w, const uint8_t *e)
{
	struct smp_config *out = w->out;
	int i = out->nr_overrides;

	if (i == SMP_CONFIG_MAX_OVERRIDES) {
		if (!w->overrides_full)
			acpi_warn("acpi: MADT lists more than %d interrupt overrides, ignoring the rest",
				  SMP_CONFIG_MAX_OVERRIDES);
		w->overrides_full = true;
		return;
	}
	out->overrides[i].bus = e[2];
	out->overrides[i].source = e[3];
	out->overrides[i].gsi = get32(e + 4);
	out->overrides[i].flags = get16(e + 8);
	out->nr_overrides++;
}

static void add_nmi(struct madt_walk *w, uint32_t uid, uint16_t flags,
		    uint8_t lint)
{
	struct smp_config *out = w->out;
	int i = out->nr_nmis;

	if (i == SMP_CONFIG_MAX_NMIS) {
		if (!w->nmis_full)
			acpi_warn("acpi: MADT lists more than %d local APIC NMIs, ignoring the rest",
				  SMP_CONFIG_MAX_NMIS);
		w->nmis_full = true;
		return;
	}
	out->nmis[i].acpi_uid = uid;
	out->nmis[i].flags = flags;
	out->nmis[i].lint = lint;
	out->nr_nmis++;
}

/* One entry whose length has been checked against its type. */
static void madt_entry(struct madt_walk *w, const uint8_t *e)
{
	switch (e[0]) {
	case MADT_LAPIC:
		add_cpu(w, e[3], e[2], get32(e + 4));
		break;
	case MADT_X2APIC:
		add_cpu(w, get32(e + 4), get32(e + 12), get32(e + 8));
		break;
	case MADT_IOAPIC:
		add_ioapic(w, e);
		break;
	case MADT_OVERRIDE:
		add_override(w, e);
		break;
	case MADT_LAPIC_NMI:
		add_nmi(w, e[2], get16(e + 3), e[5]);
		break;
	case MADT_X2APIC_NMI:
		add_nmi(w, get32(e + 4), get16(e + 2), e[8]);
		break;
	}
}

/*
 * Walk the entries of a checked MADT of len bytes. A malformed entry
 * means we can no longer tell where the next one starts, so the walk
 * stops there, keeping what came before.
 */
static void madt_walk(const uint8_t *madt, uint32_t len, struct smp_config *out)
{
	struct madt_walk w = { .out = out };
	uint32_t off = MADT_BODY;

	while (len - off >= 2) {
		uint8_t type = madt[off], elen = madt[off + 1];
		uint8_t need = madt_min_len(type);

		if (elen < 2) {
			acpi_warn("acpi: MADT entry at offset %u has length %u, stopping",
				  off, elen);
			return;
		}
		if (elen > len - off) {
			acpi_warn("acpi: MADT entry at offset %u (type %u, length %u) runs past the end of the table (%u bytes), stopping",
				  off, type, elen, len);
			return;
		}
		if (elen < need) {
			acpi_warn("acpi: MADT entry at offset %u (type %u) has length %u, too short for its type (%u), stopping",
				  off, type, elen, need);
			return;
		}
		madt_entry(&w, madt + off);
		off += elen;
	}
	if (off != len)
		acpi_warn("acpi: MADT has a stray byte at offset %u, ignoring it",
			  off);
}

static bool madt_parse(const uint8_t *madt, uint32_t len, struct smp_config *out)
{
	int enabled = 0;

	if (len < MADT_BODY) {
		acpi_warn("acpi: MADT is only %u bytes, too short", len);
		return false;
	}
	out->lapic_phys = get32(madt + 36);
	out->pcat_compat = get32(madt + 40) & MADT_PCAT_COMPAT;
	madt_walk(madt, len, out);

	for (int i = 0; i < out->nr_cpus; i++)
		enabled += out->cpus[i].enabled;
	if (!enabled) {
		acpi_warn("acpi: MADT lists no enabled CPU");
		return false;
	}
	return true;
}

/* --- RSDP, RSDT/XSDT --- */

/*
 * Find the first valid MADT among the n table pointers of a root table
 * (entry_size 4 for the RSDT, 8 for the XSDT). Other tables are not
 * checksummed: a broken table we do not use is no reason to complain.
 */
static bool find_madt(const uint8_t *root, uint32_t n, int entry_size,
		      struct smp_config *out)
{
	const uint8_t *ent = root + ACPI_HDR_LEN;

	for (uint32_t i = 0; i < n; i++, ent += entry_size) {
		uint64_t pa = entry_size == 8 ? get64(ent) : get32(ent);
		const uint8_t *hdr, *madt;
		uint32_t len;

		if (!pa)
			continue;
		hdr = acpi_map(pa, ACPI_HDR_LEN);
		if (!hdr) {
			acpi_warn("acpi: table %u at 0x%llx is not accessible, skipping it",
				  i, (unsigned long long)pa);
			continue;
		}
		if (memcmp(hdr, "APIC", 4) != 0)
			continue;
		madt = map_table(pa, "APIC", "MADT", "skipping it", &len);
		if (madt)
			return madt_parse(madt, len, out);
	}
	acpi_warn("acpi: no valid MADT found");
	return false;
}

/* Check the ACPI 1.0 part: signature and checksum of the first 20 bytes. */
static bool rsdp_v1_ok(const uint8_t *rsdp)
{
	return memcmp(rsdp, "RSD PTR ", 8) == 0 &&
	       acpi_checksum_ok(rsdp, RSDP_V1_LEN);
}

/*
 * For an RSDP whose first 20 bytes are valid: may its XSDT address be
 * used? Needs revision 2 or later, a sane length within the avail bytes
 * we were given, and a good extended checksum. If not, the RSDT is still
 * good, so this warns and lets the caller carry on with it.
 */
static bool rsdp_v2_ok(const uint8_t *rsdp, size_t avail)
{
	uint32_t len;

	if (rsdp[15] < 2)
		return false;
	if (avail < RSDP_V2_LEN) {
		acpi_warn("acpi: RSDP revision %u is only %u bytes, using the RSDT",
			  rsdp[15], (unsigned)avail);
		return false;
	}
	len = get32(rsdp + 20);
	if (len < RSDP_V2_LEN || len > avail || len > RSDP_MAX_LEN) {
		acpi_warn("acpi: RSDP has a bad length %u, using the RSDT",
			  len);
		return false;
	}
	if (!acpi_checksum_ok(rsdp, len)) {
		acpi_warn("acpi: RSDP has a bad extended checksum, using the RSDT");
		return false;
	}
	return true;
}

size_t acpi_rsdp_length(const uint8_t *rsdp)
{
	return rsdp[15] >= 2 ? get32(rsdp + 20) : RSDP_V1_LEN;
}

bool acpi_parse_madt(const uint8_t *rsdp, size_t rsdp_len,
		     struct smp_config *out)
{
	const uint8_t *root;
	uint32_t len;
	uint64_t xsdt = 0;

	memset(out, 0, sizeof(*out));
	out->source = "ACPI MADT";
	if (!acpi_mapper) {
		acpi_warn("acpi: no physical memory mapper set, cannot read the tables");
		return false;
	}
	if (!rsdp || rsdp_len < RSDP_V1_LEN) {
		acpi_warn("acpi: RSDP is missing or too short (%u bytes)",
			  (unsigned)rsdp_len);
		return false;
	}
	if (memcmp(rsdp, "RSD PTR ", 8) != 0) {
		acpi_warn("acpi: RSDP has a bad signature");
		return false;
	}
	if (!acpi_checksum_ok(rsdp, RSDP_V1_LEN)) {
		acpi_warn("acpi: RSDP has a bad checksum");
		return false;
	}

	/* The XSDT supersedes the RSDT; the RSDT is there for old OSes. */
	if (rsdp_v2_ok(rsdp, rsdp_len))
		xsdt = get64(rsdp + 24);
	if (xsdt) {
		root = map_table(xsdt, "XSDT", "XSDT", "trying the RSDT", &len);
		if (root)
			return find_madt(root, (len - ACPI_HDR_LEN) / 8, 8, out);
	}
	if (!get32(rsdp + 16)) {
		acpi_warn("acpi: RSDP has no RSDT address");
		return false;
	}
	root = map_table(get32(rsdp + 16), "RSDT", "RSDT", "giving up", &len);
	if (!root)
		return false;
	return find_madt(root, (len - ACPI_HDR_LEN) / 4, 4, out);
}

/* --- RSDP search in BIOS memory (ACPI 6.x, 5.2.5.1) --- */

/* A valid RSDP in the region [start, start + size), or NULL. */
static const uint8_t *scan_rsdp(uint64_t start, uint32_t size)
{
	const uint8_t *area = acpi_map(start, size);

	if (!area) {
		acpi_warn("acpi: cannot map 0x%llx-0x%llx to look for the RSDP",
			  (unsigned long long)start,
			  (unsigned long long)(start + size - 1));
		return NULL;
	}
	for (uint32_t off = 0; off + RSDP_V1_LEN <= size; off += 16) {
		const uint8_t *p = area + off;
		const uint8_t *full;
		uint32_t len;

		if (!rsdp_v1_ok(p))
			continue;
		if (p[15] < 2)
			return acpi_map(start + off, RSDP_V1_LEN);
		/*
		 * The caller will hand acpi_parse_madt() the length this RSDP
		 * claims, so map exactly that many bytes: the area may end
		 * before the RSDP does.
		 */
		full = acpi_map(start + off, RSDP_V2_LEN);
		len = full ? get32(full + 20) : 0;
		if (len >= RSDP_V2_LEN && len <= RSDP_MAX_LEN) {
			full = acpi_map(start + off, len);
			if (full && acpi_checksum_ok(full, len))
				return full;
		}
		acpi_warn("acpi: RSDP at 0x%llx has a bad extended part, skipping it",
			  (unsigned long long)(start + off));
	}
	return NULL;
}

const uint8_t *acpi_find_rsdp_legacy(void)
{
	const uint8_t *bda_ebda = acpi_map(0x40e, 2);
	const uint8_t *rsdp = NULL;

	/* The BIOS data area holds the EBDA's real-mode segment. */
	if (bda_ebda) {
		uint32_t ebda = (uint32_t)get16(bda_ebda) << 4;

		/* Anything else is not a real EBDA (it lies below 640 KiB). */
		if (ebda >= 0x500 && ebda + 1024 <= 0xa0000)
			rsdp = scan_rsdp(ebda, 1024);
	}
	if (!rsdp)
		rsdp = scan_rsdp(0xe0000, 0x20000);
	return rsdp;
}
