/*
 * test_acpi.c - host tests for arch/x86/acpi.c and arch/x86/mptable.c.
 *
 * The tests build firmware tables in a fake 1 MiB "physical memory"
 * (physical address == offset into mem[]) and hand the parsers a mapper
 * over it. Each mapping is a fresh heap copy of exactly the bytes asked
 * for, so AddressSanitizer reports any read past what the parser mapped,
 * not just reads past mem[]. acpi_warn() records the messages so the
 * tests can check what a user would see.
 */
#include "tests/host/htest.h"
#include "arch/x86/acpi.h"
#include "arch/x86/mptable.h"
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>

/* --- fake physical memory --- */

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#define MEM_SIZE	(1u << 20)
#define MAX_MAPS	4096

static uint8_t mem[MEM_SIZE];
static void *maps[MAX_MAPS];
static int nmaps;

static const void *fake_map(uint64_t phys, size_t len)
{
	void *p;

	if (phys >= MEM_SIZE || len > MEM_SIZE - phys)
		return NULL;
	if (nmaps == MAX_MAPS) {
		printf("test_acpi: too many mappings in one test\n");
		abort();
	}
	p = malloc(len ? len : 1);
	memcpy(p, mem + phys, len);
	maps[nmaps++] = p;
	return p;
}

/* --- recorded warnings --- */

static char warnings[65536];
static int nwarnings;

void acpi_warn(const char *fmt, ...)
{
	char line[512];
	size_t len = strlen(warnings);
	va_list ap;

	/* Never true; keeps gcc -fsanitize=undefined from a false alarm. */
	if (!fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	snprintf(warnings + len, sizeof(warnings) - len, "%s\n", line);
	nwarnings++;
}

static int count_warned(const char *s)
{
	int n = 0;

	for (const char *p = warnings; (p = strstr(p, s)); p++)
		n++;
	return n;
}

#define CHECK_WARN(s)                                                   \
	do {                                                            \
		if (!strstr(warnings, (s)))                             \
			HTEST_FAIL("no warning \"%s\"; got:\n%s", (s),  \
				   warnings);                           \
	} while (0)

#define CHECK_NO_WARN()                                                 \
	do {                                                            \
		if (nwarnings)                                          \
			HTEST_FAIL("unexpected warnings:\n%s", warnings); \
	} while (0)

/* Start each test with empty memory, no warnings and the fake mapper. */
static void reset(void)
{
	for (int i = 0; i < nmaps; i++)
		free(maps[i]);
	nmaps = 0;
	memset(mem, 0, sizeof(mem));
	warnings[0] = '\0';
	nwarnings = 0;
	acpi_set_mapper(fake_map);
}

/* --- building tables --- */

static void w8(uint64_t pa, uint8_t v)
{
	mem[pa] = v;
}

static void w16(uint64_t pa, uint16_t v)
{
	w8(pa, v & 0xff);
	w8(pa + 1, v >> 8);
}

static void w32(uint64_t pa, uint32_t v)
{
	w16(pa, v & 0xffff);
	w16(pa + 2, v >> 16);
}

/* Set byte csum_off of the len bytes at p so that they sum to zero. */
static void fix_checksum(uint8_t *p, size_t len, size_t csum_off)
{
	uint8_t sum = 0;

	p[csum_off] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[csum_off] = (uint8_t)-sum;
}

/* A table body under construction. */
struct tbuf {
	uint8_t b[8192];
	uint32_t len;
};

static void t8(struct tbuf *t, uint8_t v)
{
	if (t->len < sizeof(t->b))
		t->b[t->len++] = v;
}

static void t16(struct tbuf *t, uint16_t v)
{
	t8(t, v & 0xff);
	t8(t, v >> 8);
}

static void t32(struct tbuf *t, uint32_t v)
{
	t16(t, v & 0xffff);
	t16(t, v >> 16);
}

static void t64(struct tbuf *t, uint64_t v)
{
	t32(t, (uint32_t)v);
	t32(t, (uint32_t)(v >> 32));
}

static void tstr(struct tbuf *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		t8(t, (uint8_t)s[i]);
}

/* An ACPI table at pa: 36-byte header, then body; checksum fixed. */
static void put_sdt(uint64_t pa, const char *sig, const struct tbuf *body)
{
	uint32_t len = 36 + body->len;

	memcpy(mem + pa, sig, 4);
	w32(pa + 4, len);
	w8(pa + 8, 1);
	memcpy(mem + pa + 10, "HTEST ", 6);
	memcpy(mem + pa + 16, "HTESTTBL", 8);
	memcpy(mem + pa + 36, body->b, body->len);
	fix_checksum(mem + pa, len, 9);
}

/* Change a table's length field and keep its checksum right. */
static void set_sdt_len(uint64_t pa, uint32_t len, uint32_t sum_len)
{
	w32(pa + 4, len);
	fix_checksum(mem + pa, sum_len, 9);
}

static void madt_begin(struct tbuf *t, uint32_t lapic, uint32_t flags)
{
	t->len = 0;
	t32(t, lapic);
	t32(t, flags);
}

static void madt_lapic(struct tbuf *t, uint8_t uid, uint8_t id, uint32_t flags)
{
	t8(t, 0); t8(t, 8); t8(t, uid); t8(t, id); t32(t, flags);
}

static void madt_x2apic(struct tbuf *t, uint32_t id, uint32_t flags,
			uint32_t uid)
{
	t8(t, 9); t8(t, 16); t16(t, 0); t32(t, id); t32(t, flags); t32(t, uid);
}

static void madt_ioapic(struct tbuf *t, uint8_t id, uint32_t addr,
			uint32_t gsi)
{
	t8(t, 1); t8(t, 12); t8(t, id); t8(t, 0); t32(t, addr); t32(t, gsi);
}

static void madt_override(struct tbuf *t, uint8_t src, uint32_t gsi,
			  uint16_t flags)
{
	t8(t, 2); t8(t, 10); t8(t, 0); t8(t, src); t32(t, gsi); t16(t, flags);
}

static void madt_nmi(struct tbuf *t, uint8_t uid, uint16_t flags, uint8_t lint)
{
	t8(t, 4); t8(t, 6); t8(t, uid); t16(t, flags); t8(t, lint);
}

static void madt_x2nmi(struct tbuf *t, uint16_t flags, uint32_t uid,
		       uint8_t lint)
{
	t8(t, 0xa); t8(t, 12); t16(t, flags); t32(t, uid); t8(t, lint);
	t8(t, 0); t8(t, 0); t8(t, 0);
}

/* Where the standard layout puts things. */
#define XSDT_PA	0x2000
#define RSDT_PA	0x3000
#define MADT_PA	0x4000
#define FACP_PA	0x6000
#define MADT2_PA 0x8000

static uint8_t rsdp[36];

static void make_rsdp(uint8_t *r, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, rev >= 2 ? 36 : 20);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "HTEST ", 6);
	r[15] = rev;
	memcpy(r + 16, &rsdt, 4);
	if (rev >= 2) {
		uint32_t len = 36;

		memcpy(r + 20, &len, 4);
		memcpy(r + 24, &xsdt, 8);
		fix_checksum(r, 36, 32);
	}
	fix_checksum(r, 20, 8);
	if (rev >= 2)
		fix_checksum(r, 36, 32);
}

static void put_root(uint64_t pa, const char *sig, int entry_size,
		     const uint64_t *tables, int n)
{
	struct tbuf t = { .len = 0 };

	for (int i = 0; i < n; i++) {
		if (entry_size == 8)
			t64(&t, tables[i]);
		else
			t32(&t, (uint32_t)tables[i]);
	}
	put_sdt(pa, sig, &t);
}

/*
 * The standard layout: an RSDP v2 (in rsdp[]) pointing at an XSDT and
 * an RSDT, both listing a FACP and the MADT built from madt_body.
 */
static void setup_tables(const struct tbuf *madt_body)
{
	struct tbuf facp = { .len = 0 };
	uint64_t tables[] = { FACP_PA, MADT_PA };

	for (int i = 0; i < 100; i++)
		t8(&facp, (uint8_t)i);
	put_sdt(FACP_PA, "FACP", &facp);
	put_sdt(MADT_PA, "APIC", madt_body);
	put_root(XSDT_PA, "XSDT", 8, tables, 2);
	put_root(RSDT_PA, "RSDT", 4, tables, 2);
	make_rsdp(rsdp, 2, RSDT_PA, XSDT_PA);
}

/* The MADT of the main test: every entry type we read, and some we don't. */
static void full_madt(struct tbuf *t)
{
	madt_begin(t, 0xfee00000, 1);
	madt_lapic(t, 0, 0, 1);
	madt_lapic(t, 1, 1, 1);
	madt_lapic(t, 2, 2, 0);		/* not present */
	madt_lapic(t, 3, 3, 2);		/* online-capable only */
	madt_x2apic(t, 300, 1, 4);
	madt_x2apic(t, 301, 1, 5);
	madt_ioapic(t, 2, 0xfec00000, 0);
	madt_override(t, 0, 2, 0);
	madt_override(t, 9, 9, 0xd);	/* level, active high */
	madt_nmi(t, 0xff, 0x5, 1);
	madt_x2nmi(t, 0xf, 0xffffffff, 1);
	/* Types we skip: a local APIC address override, and a future one. */
	t8(t, 5); t8(t, 12); t16(t, 0); t64(t, 0xfee00000);
	t8(t, 0x7f); t8(t, 3); t8(t, 0);
}

/* One enabled CPU, distinguishable from full_madt(). */
static void small_madt(struct tbuf *t, uint8_t apic_id)
{
	madt_begin(t, 0xfee00000, 0);
	madt_lapic(t, 0, apic_id, 1);
}

static struct smp_config cfg;

/* --- ACPI: the good case --- */

HTEST(acpi_checksum)
{
	uint8_t b[4] = { 1, 2, 3, (uint8_t)-6 };

	CHECK(acpi_checksum_ok(b, 4));
	CHECK(acpi_checksum_ok(b, 0));
	b[0] = 2;
	CHECK(!acpi_checksum_ok(b, 4));
}

HTEST(acpi_map_refuses_wrapping_range)
{
	reset();
	CHECK(acpi_map(0x1000, 16) != NULL);
	CHECK(acpi_map(UINT64_MAX - 4, 16) == NULL);
	CHECK(acpi_map(MEM_SIZE - 8, 16) == NULL);
}

HTEST(acpi_madt_full)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_NO_WARN();
	CHECK_STR(cfg.source, "ACPI MADT");
	CHECK_EQ(cfg.lapic_phys, 0xfee00000);
	CHECK(cfg.pcat_compat);

	CHECK_EQ(cfg.nr_cpus, 6);
	for (int i = 0; i < 4; i++) {
		CHECK_EQ(cfg.cpus[i].apic_id, i);
		CHECK_EQ(cfg.cpus[i].acpi_uid, i);
	}
	CHECK(cfg.cpus[0].enabled && !cfg.cpus[0].online_capable);
	CHECK(cfg.cpus[1].enabled && !cfg.cpus[1].online_capable);
	CHECK(!cfg.cpus[2].enabled && !cfg.cpus[2].online_capable);
	CHECK(!cfg.cpus[3].enabled && cfg.cpus[3].online_capable);
	CHECK_EQ(cfg.cpus[4].apic_id, 300);
	CHECK_EQ(cfg.cpus[4].acpi_uid, 4);
	CHECK(cfg.cpus[4].enabled && !cfg.cpus[4].online_capable);
	CHECK_EQ(cfg.cpus[5].apic_id, 301);
	CHECK_EQ(cfg.cpus[5].acpi_uid, 5);
	CHECK(cfg.cpus[5].enabled);

	CHECK_EQ(cfg.nr_ioapics, 1);
	CHECK_EQ(cfg.ioapics[0].id, 2);
	CHECK_EQ(cfg.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(cfg.ioapics[0].gsi_base, 0);

	CHECK_EQ(cfg.nr_overrides, 2);
	CHECK_EQ(cfg.overrides[0].bus, 0);
	CHECK_EQ(cfg.overrides[0].source, 0);
	CHECK_EQ(cfg.overrides[0].gsi, 2);
	CHECK_EQ(cfg.overrides[0].flags, 0);
	CHECK_EQ(cfg.overrides[1].bus, 0);
	CHECK_EQ(cfg.overrides[1].source, 9);
	CHECK_EQ(cfg.overrides[1].gsi, 9);
	CHECK_EQ(cfg.overrides[1].flags, SMP_IRQ_LEVEL | SMP_IRQ_ACTIVE_HIGH);

	CHECK_EQ(cfg.nr_nmis, 2);
	CHECK_EQ(cfg.nmis[0].acpi_uid, SMP_NMI_ALL_CPUS_8);
	CHECK_EQ(cfg.nmis[0].flags, 5);
	CHECK_EQ(cfg.nmis[0].lint, 1);
	CHECK_EQ(cfg.nmis[1].acpi_uid, SMP_NMI_ALL_CPUS_32);
	CHECK_EQ(cfg.nmis[1].flags, 0xf);
	CHECK_EQ(cfg.nmis[1].lint, 1);
}

HTEST(acpi_rsdp_rev0_uses_rsdt)
{
	uint8_t r0[20];		/* exactly 20 bytes: ASan sees any over-read */
	struct tbuf t;

	reset();
	small_madt(&t, 7);
	setup_tables(&t);
	make_rsdp(r0, 0, RSDT_PA, 0);
	CHECK(acpi_parse_madt(r0, sizeof(r0), &cfg));
	CHECK_NO_WARN();
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.cpus[0].apic_id, 7);
	CHECK(!cfg.pcat_compat);
}

HTEST(acpi_rsdp_v2_zero_xsdt_uses_rsdt)
{
	struct tbuf t;

	reset();
	small_madt(&t, 7);
	setup_tables(&t);
	make_rsdp(rsdp, 2, RSDT_PA, 0);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_NO_WARN();
	CHECK_EQ(cfg.cpus[0].apic_id, 7);
}

HTEST(acpi_xsdt_skips_bad_entries)
{
	uint64_t tables[] = { 0, 0x200000, FACP_PA, MADT_PA };
	struct tbuf t;

	reset();
	small_madt(&t, 5);
	setup_tables(&t);
	/* A FACP with a bad checksum is not our business. */
	mem[FACP_PA + 40] ^= 0xff;
	put_root(XSDT_PA, "XSDT", 8, tables, 4);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: table 1 at 0x200000 is not accessible, skipping it");
	CHECK_EQ(nwarnings, 1);
	CHECK_EQ(cfg.cpus[0].apic_id, 5);
}

HTEST(acpi_second_madt_after_bad_one)
{
	uint64_t tables[] = { MADT_PA, MADT2_PA };
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	mem[MADT_PA + 50] ^= 1;
	small_madt(&t, 9);
	put_sdt(MADT2_PA, "APIC", &t);
	put_root(XSDT_PA, "XSDT", 8, tables, 2);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT at 0x4000 has a bad checksum, skipping it");
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.cpus[0].apic_id, 9);
}

/* --- ACPI: bad RSDP / root tables --- */

HTEST(acpi_no_mapper)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	acpi_set_mapper(NULL);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: no physical memory mapper set");
	CHECK(acpi_find_rsdp_legacy() == NULL);
	CHECK(!mptable_parse(&cfg));
	acpi_set_mapper(fake_map);
}

HTEST(acpi_rsdp_bad_checksum)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	rsdp[8] ^= 1;
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: RSDP has a bad checksum");
}

HTEST(acpi_rsdp_bad_signature)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	rsdp[0] = 'X';
	fix_checksum(rsdp, 20, 8);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: RSDP has a bad signature");
}

HTEST(acpi_rsdp_too_short)
{
	reset();
	CHECK(!acpi_parse_madt(rsdp, 19, &cfg));
	CHECK_WARN("acpi: RSDP is missing or too short (19 bytes)");
	CHECK(!acpi_parse_madt(NULL, 36, &cfg));
}

HTEST(acpi_rsdp_v2_truncated_uses_rsdt)
{
	uint8_t r[20];
	struct tbuf t;

	reset();
	small_madt(&t, 3);
	setup_tables(&t);
	memcpy(r, rsdp, 20);	/* revision 2, but only 20 bytes given */
	CHECK(acpi_parse_madt(r, sizeof(r), &cfg));
	CHECK_WARN("acpi: RSDP revision 2 is only 20 bytes, using the RSDT");
	CHECK_EQ(cfg.cpus[0].apic_id, 3);
}

HTEST(acpi_rsdp_bad_extended_checksum_uses_rsdt)
{
	struct tbuf t;

	reset();
	small_madt(&t, 3);
	setup_tables(&t);
	rsdp[33] ^= 1;
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: RSDP has a bad extended checksum, using the RSDT");
}

HTEST(acpi_rsdp_bad_length_uses_rsdt)
{
	struct tbuf t;

	reset();
	small_madt(&t, 3);
	setup_tables(&t);
	rsdp[20] = 200;		/* longer than the 36 bytes we have */
	fix_checksum(rsdp, 36, 32);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: RSDP has a bad length 200, using the RSDT");
}

HTEST(acpi_xsdt_bad_checksum_falls_back_to_rsdt)
{
	uint64_t tables[] = { MADT2_PA };
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	small_madt(&t, 42);
	put_sdt(MADT2_PA, "APIC", &t);
	put_root(RSDT_PA, "RSDT", 4, tables, 1);
	mem[XSDT_PA + 20] ^= 1;
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: XSDT at 0x2000 has a bad checksum, trying the RSDT");
	CHECK_EQ(nwarnings, 1);
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.cpus[0].apic_id, 42);
}

HTEST(acpi_xsdt_out_of_range)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	make_rsdp(rsdp, 2, RSDT_PA, 0x4000000000ull);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: XSDT at 0x4000000000 is not accessible, trying the RSDT");
	CHECK_EQ(cfg.nr_cpus, 6);

	/* The header fits, the claimed length does not. */
	reset();
	setup_tables(&t);
	put_root(MEM_SIZE - 64, "XSDT", 8, (uint64_t[]){ MADT_PA }, 1);
	set_sdt_len(MEM_SIZE - 64, 4096, 44);
	make_rsdp(rsdp, 2, RSDT_PA, MEM_SIZE - 64);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: XSDT at 0xfffc0 (4096 bytes) is not accessible, trying the RSDT");

	/* Near the top of the address space: must not wrap around. */
	reset();
	setup_tables(&t);
	make_rsdp(rsdp, 2, RSDT_PA, UINT64_MAX - 8);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: XSDT at 0xfffffffffffffff7 is not accessible");
}

HTEST(acpi_xsdt_and_rsdt_bad)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	mem[XSDT_PA] = 'Y';
	mem[RSDT_PA + 9] ^= 1;
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: XSDT at 0x2000 has signature \"YSDT\", not \"XSDT\", trying the RSDT");
	CHECK_WARN("acpi: RSDT at 0x3000 has a bad checksum, giving up");

	reset();
	setup_tables(&t);
	make_rsdp(rsdp, 2, 0, 0);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: RSDP has no RSDT address");
}

HTEST(acpi_no_madt)
{
	uint64_t tables[] = { FACP_PA };
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	put_root(XSDT_PA, "XSDT", 8, tables, 1);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: no valid MADT found");

	/* An empty XSDT. */
	reset();
	setup_tables(&t);
	put_root(XSDT_PA, "XSDT", 8, tables, 0);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: no valid MADT found");
}

/* --- ACPI: bad MADT --- */

HTEST(acpi_madt_bad_checksum)
{
	struct tbuf t;

	reset();
	full_madt(&t);
	setup_tables(&t);
	mem[MADT_PA + 60] ^= 0x10;
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT at 0x4000 has a bad checksum, skipping it");
	CHECK_WARN("acpi: no valid MADT found");
}

HTEST(acpi_table_bad_lengths)
{
	static const uint32_t lens[] = { 0, 35, 0xffffffff, MEM_SIZE + 36 };
	char msg[128];
	struct tbuf t;

	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		reset();
		full_madt(&t);
		setup_tables(&t);
		set_sdt_len(MADT_PA, lens[i], 36 + t.len);
		CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
		snprintf(msg, sizeof(msg),
			 "acpi: MADT at 0x4000 has a bad length %u, skipping it",
			 lens[i]);
		CHECK_WARN(msg);
	}

	/* A sane length reaching past the end of memory. */
	reset();
	setup_tables(&t);
	put_sdt(MEM_SIZE - 100, "APIC", &(struct tbuf){ .len = 20 });
	set_sdt_len(MEM_SIZE - 100, 200, 56);
	put_root(XSDT_PA, "XSDT", 8, (uint64_t[]){ MEM_SIZE - 100 }, 1);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT at 0xfff9c (200 bytes) is not accessible, skipping it");

	/* Root tables with silly lengths. */
	reset();
	setup_tables(&t);
	set_sdt_len(XSDT_PA, 0xffffffff, 52);
	set_sdt_len(RSDT_PA, 3, 44);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: XSDT at 0x2000 has a bad length 4294967295, trying the RSDT");
	CHECK_WARN("acpi: RSDT at 0x3000 has a bad length 3, giving up");
}

HTEST(acpi_madt_header_only)
{
	struct tbuf t = { .len = 4 };	/* no room for the flags word */

	reset();
	memset(t.b, 0, 4);
	setup_tables(&t);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT is only 40 bytes, too short");
}

HTEST(acpi_madt_entry_length_zero)
{
	struct tbuf t;

	reset();
	madt_begin(&t, 0xfee00000, 1);
	madt_lapic(&t, 0, 0, 1);
	t8(&t, 0); t8(&t, 0);		/* would loop forever if trusted */
	madt_lapic(&t, 1, 1, 1);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT entry at offset 52 has length 0, stopping");
	CHECK_EQ(cfg.nr_cpus, 1);

	/* Length 1, as the very first entry: nothing usable. */
	reset();
	madt_begin(&t, 0xfee00000, 1);
	t8(&t, 0); t8(&t, 1);
	madt_lapic(&t, 1, 1, 1);
	setup_tables(&t);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT entry at offset 44 has length 1, stopping");
	CHECK_WARN("acpi: MADT lists no enabled CPU");
}

HTEST(acpi_madt_entry_past_end)
{
	struct tbuf t;

	reset();
	madt_begin(&t, 0xfee00000, 1);
	madt_lapic(&t, 0, 0, 1);
	madt_ioapic(&t, 1, 0xfec00000, 0);
	t.len -= 4;			/* the I/O APIC entry is cut short */
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT entry at offset 52 (type 1, length 12) runs past the end of the table (60 bytes), stopping");
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.nr_ioapics, 0);
}

HTEST(acpi_madt_truncated_x2apic)
{
	struct tbuf t;

	reset();
	madt_begin(&t, 0xfee00000, 1);
	madt_lapic(&t, 0, 0, 1);
	/* An x2APIC entry claiming 12 bytes: its uid would be outside. */
	t8(&t, 9); t8(&t, 12); t16(&t, 0); t32(&t, 300); t32(&t, 1);
	madt_x2apic(&t, 301, 1, 2);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT entry at offset 52 (type 9) has length 12, too short for its type (16), stopping");
	CHECK_EQ(cfg.nr_cpus, 1);

	/* The same, as the last entry, so the table ends inside it. */
	reset();
	madt_begin(&t, 0xfee00000, 1);
	madt_lapic(&t, 0, 0, 1);
	t8(&t, 9); t8(&t, 12); t16(&t, 0); t32(&t, 300); t32(&t, 1);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("too short for its type (16), stopping");
	CHECK_EQ(cfg.nr_cpus, 1);
}

HTEST(acpi_madt_stray_byte)
{
	struct tbuf t;

	reset();
	small_madt(&t, 0);
	t8(&t, 0);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT has a stray byte at offset 52, ignoring it");
	CHECK_EQ(cfg.nr_cpus, 1);
}

HTEST(acpi_madt_too_many_cpus)
{
	struct tbuf t;

	reset();
	madt_begin(&t, 0xfee00000, 1);
	for (uint32_t i = 0; i < 300; i++)
		madt_x2apic(&t, i, 1, i);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT lists more than 256 CPUs, ignoring the rest");
	CHECK_EQ(count_warned("more than 256 CPUs"), 1);
	CHECK_EQ(cfg.nr_cpus, SMP_CONFIG_MAX_CPUS);
	CHECK_EQ(cfg.cpus[255].apic_id, 255);
	CHECK_EQ(cfg.cpus[255].acpi_uid, 255);
}

HTEST(acpi_madt_too_many_others)
{
	struct tbuf t;

	reset();
	small_madt(&t, 0);
	for (int i = 0; i < 10; i++)
		madt_ioapic(&t, (uint8_t)i, 0xfec00000 + i * 0x1000, i * 24);
	for (int i = 0; i < 20; i++)
		madt_override(&t, (uint8_t)i, i, 0);
	for (int i = 0; i < 20; i++)
		madt_nmi(&t, (uint8_t)i, 0, 1);
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_EQ(cfg.nr_ioapics, SMP_CONFIG_MAX_IOAPICS);
	CHECK_EQ(cfg.ioapics[7].gsi_base, 7 * 24);
	CHECK_EQ(cfg.nr_overrides, SMP_CONFIG_MAX_OVERRIDES);
	CHECK_EQ(cfg.nr_nmis, SMP_CONFIG_MAX_NMIS);
	CHECK_EQ(count_warned("acpi: MADT lists more than 8 I/O APICs, ignoring the rest"), 1);
	CHECK_EQ(count_warned("acpi: MADT lists more than 16 interrupt overrides, ignoring the rest"), 1);
	CHECK_EQ(count_warned("acpi: MADT lists more than 16 local APIC NMIs, ignoring the rest"), 1);
}

HTEST(acpi_madt_duplicate_apic_id)
{
	struct tbuf t;

	reset();
	madt_begin(&t, 0xfee00000, 1);
	madt_lapic(&t, 0, 0, 1);
	madt_lapic(&t, 1, 1, 1);
	madt_lapic(&t, 2, 1, 0);	/* same id, different uid and flags */
	madt_x2apic(&t, 0, 1, 9);	/* same id again, through x2APIC */
	setup_tables(&t);
	CHECK(acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT lists APIC id 1 twice, ignoring the second");
	CHECK_WARN("acpi: MADT lists APIC id 0 twice, ignoring the second");
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK_EQ(cfg.cpus[1].acpi_uid, 1);
	CHECK(cfg.cpus[1].enabled);
}

HTEST(acpi_madt_no_enabled_cpu)
{
	struct tbuf t;

	reset();
	madt_begin(&t, 0xfee00000, 1);
	madt_lapic(&t, 0, 0, 0);
	madt_lapic(&t, 1, 1, 2);
	setup_tables(&t);
	CHECK(!acpi_parse_madt(rsdp, sizeof(rsdp), &cfg));
	CHECK_WARN("acpi: MADT lists no enabled CPU");
	CHECK_EQ(cfg.nr_cpus, 2);
}

/* Random entries under a valid header and checksum: nothing may crash. */
HTEST(acpi_madt_random_entries)
{
	uint32_t seed = 12345;
	struct tbuf t;

	for (int iter = 0; iter < 500; iter++) {
		uint32_t n;

		reset();
		madt_begin(&t, 0xfee00000, 1);
		seed = seed * 1103515245 + 12345;
		n = (seed >> 16) % 200;
		for (uint32_t i = 0; i < n; i++) {
			seed = seed * 1103515245 + 12345;
			/* Bias towards small types and lengths that matter. */
			if (i % 2 == 0)
				t8(&t, (uint8_t)((seed >> 16) % 12));
			else
				t8(&t, (uint8_t)((seed >> 16) % 20));
		}
		setup_tables(&t);
		acpi_parse_madt(rsdp, sizeof(rsdp), &cfg);
		CHECK(cfg.nr_cpus <= SMP_CONFIG_MAX_CPUS);
		CHECK(cfg.nr_ioapics <= SMP_CONFIG_MAX_IOAPICS);
	}
}

/* --- ACPI: RSDP search --- */

HTEST(acpi_legacy_rsdp_in_bios_area)
{
	const uint8_t *p;
	uint8_t r[20];
	struct tbuf t;

	reset();
	small_madt(&t, 11);
	setup_tables(&t);
	make_rsdp(r, 0, RSDT_PA, 0);
	/* A decoy with a bad checksum comes first and is skipped. */
	memcpy(mem + 0xe0000, r, 20);
	mem[0xe0000 + 8] ^= 1;
	memcpy(mem + 0xe0010, r, 20);
	p = acpi_find_rsdp_legacy();
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK(memcmp(p, "RSD PTR ", 8) == 0);
	CHECK_EQ(acpi_rsdp_length(p), 20);
	CHECK(acpi_parse_madt(p, acpi_rsdp_length(p), &cfg));
	CHECK_EQ(cfg.cpus[0].apic_id, 11);
	CHECK_NO_WARN();
}

HTEST(acpi_legacy_rsdp_in_ebda)
{
	const uint8_t *p;
	struct tbuf t;

	reset();
	small_madt(&t, 12);
	setup_tables(&t);
	w16(0x40e, 0x9f00);			/* EBDA at 0x9f000 */
	memcpy(mem + 0x9f020, rsdp, 36);	/* revision 2 */
	/* Also one in the BIOS area: the EBDA is searched first. */
	make_rsdp(mem + 0xe0010, 0, 0x1234, 0);
	p = acpi_find_rsdp_legacy();
	CHECK(p != NULL);
	if (!p)
		return;
	CHECK_EQ(acpi_rsdp_length(p), 36);
	CHECK_EQ(p[15], 2);
	CHECK(acpi_parse_madt(p, acpi_rsdp_length(p), &cfg));
	CHECK_EQ(cfg.cpus[0].apic_id, 12);
	CHECK_NO_WARN();
}

HTEST(acpi_legacy_rsdp_bad_ones)
{
	reset();
	CHECK(acpi_find_rsdp_legacy() == NULL);

	/* Only bad checksums. */
	reset();
	make_rsdp(mem + 0xe0010, 0, RSDT_PA, 0);
	mem[0xe0010 + 16] ^= 1;
	CHECK(acpi_find_rsdp_legacy() == NULL);

	/* Revision 2 whose extended part is broken, then a good v2 one. */
	reset();
	make_rsdp(mem + 0xe0010, 2, RSDT_PA, XSDT_PA);
	mem[0xe0010 + 33] ^= 1;
	make_rsdp(mem + 0xf0000, 2, RSDT_PA, XSDT_PA);
	CHECK(acpi_find_rsdp_legacy() != NULL);
	CHECK_WARN("acpi: RSDP at 0xe0010 has a bad extended part, skipping it");

	/* A claimed length that reaches past the end of memory. */
	reset();
	make_rsdp(mem + 0xfffd0, 2, RSDT_PA, XSDT_PA);
	w32(0xfffd0 + 20, 100);
	fix_checksum(mem + 0xfffd0, 20, 8);
	CHECK(acpi_find_rsdp_legacy() == NULL);
	CHECK_WARN("acpi: RSDP at 0xfffd0 has a bad extended part, skipping it");

	/* A bogus EBDA segment is not searched (nor mapped). */
	reset();
	w16(0x40e, 0xffff);
	CHECK(acpi_find_rsdp_legacy() == NULL);
	CHECK_NO_WARN();
}

/* --- MP tables --- */

#define MPF_PA	0xf0100
#define MPC_PA	0xf1000

static void mpf_put(uint64_t pa, uint32_t mpc, uint8_t feature1)
{
	memcpy(mem + pa, "_MP_", 4);
	w32(pa + 4, mpc);
	w8(pa + 8, 1);
	w8(pa + 9, 4);
	w8(pa + 11, feature1);
	fix_checksum(mem + pa, 16, 10);
}

static void mpc_cpu(struct tbuf *t, uint8_t id, uint8_t flags)
{
	t8(t, 0); t8(t, id); t8(t, 0x14); t8(t, flags);
	t32(t, 0x600); t32(t, 0x201); t32(t, 0); t32(t, 0);
}

static void mpc_bus(struct tbuf *t, uint8_t id, const char *type)
{
	t8(t, 1); t8(t, id); tstr(t, type, 6);
}

static void mpc_ioapic(struct tbuf *t, uint8_t id, uint8_t flags,
		       uint32_t addr)
{
	t8(t, 2); t8(t, id); t8(t, 0x11); t8(t, flags); t32(t, addr);
}

static void mpc_int(struct tbuf *t, uint8_t entry, uint8_t type,
		    uint16_t flags, uint8_t bus, uint8_t irq, uint8_t dest,
		    uint8_t pin)
{
	t8(t, entry); t8(t, type); t16(t, flags);
	t8(t, bus); t8(t, irq); t8(t, dest); t8(t, pin);
}

/* A configuration table at pa: header, then the entries in body. */
static void mpc_put(uint64_t pa, const struct tbuf *body, uint16_t count)
{
	uint16_t len = (uint16_t)(44 + body->len);

	memcpy(mem + pa, "PCMP", 4);
	w16(pa + 4, len);
	w8(pa + 6, 4);
	memcpy(mem + pa + 8, "HTEST   ", 8);
	memcpy(mem + pa + 16, "0123456789AB", 12);
	w16(pa + 34, count);
	w32(pa + 36, 0xfee00000);
	memcpy(mem + pa + 44, body->b, body->len);
	fix_checksum(mem + pa, len, 7);
}

/* Like SeaBIOS: two CPUs, PCI and ISA buses, one I/O APIC. */
static uint16_t mpc_standard(struct tbuf *t)
{
	t->len = 0;
	mpc_cpu(t, 0, 3);			/* enabled, BSP */
	mpc_cpu(t, 1, 1);
	mpc_bus(t, 0, "PCI   ");
	mpc_bus(t, 1, "ISA   ");
	mpc_ioapic(t, 2, 1, 0xfec00000);
	mpc_int(t, 3, 0, 0, 1, 0, 2, 2);	/* ISA IRQ0 -> pin 2 */
	mpc_int(t, 3, 0, 0, 1, 1, 2, 1);	/* identity: no override */
	mpc_int(t, 3, 0, 0xd, 1, 9, 2, 9);	/* identity, but level */
	mpc_int(t, 3, 0, 0xf, 0, 0x0c, 2, 11);	/* PCI: not an override */
	mpc_int(t, 3, 3, 0, 1, 0, 2, 0);	/* ExtINT: ignored */
	mpc_int(t, 4, 3, 0, 1, 0, 0xff, 0);	/* ExtINT on LINT0 */
	mpc_int(t, 4, 1, 0, 1, 0, 0xff, 1);	/* NMI on LINT1, all CPUs */
	return 12;
}

HTEST(mptable_valid)
{
	struct tbuf t;
	uint16_t n;

	reset();
	n = mpc_standard(&t);
	mpc_put(MPC_PA, &t, n);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_NO_WARN();
	CHECK_STR(cfg.source, "MP table");
	CHECK_EQ(cfg.lapic_phys, 0xfee00000);
	CHECK(cfg.pcat_compat);

	CHECK_EQ(cfg.nr_cpus, 2);
	for (int i = 0; i < 2; i++) {
		CHECK_EQ(cfg.cpus[i].apic_id, i);
		CHECK_EQ(cfg.cpus[i].acpi_uid, i);
		CHECK(cfg.cpus[i].enabled);
		CHECK(!cfg.cpus[i].online_capable);
	}

	CHECK_EQ(cfg.nr_ioapics, 1);
	CHECK_EQ(cfg.ioapics[0].id, 2);
	CHECK_EQ(cfg.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(cfg.ioapics[0].gsi_base, 0);

	CHECK_EQ(cfg.nr_overrides, 2);
	CHECK_EQ(cfg.overrides[0].bus, 0);
	CHECK_EQ(cfg.overrides[0].source, 0);
	CHECK_EQ(cfg.overrides[0].gsi, 2);
	CHECK_EQ(cfg.overrides[0].flags, 0);
	CHECK_EQ(cfg.overrides[1].source, 9);
	CHECK_EQ(cfg.overrides[1].gsi, 9);
	CHECK_EQ(cfg.overrides[1].flags, 0xd);

	CHECK_EQ(cfg.nr_nmis, 1);
	CHECK_EQ(cfg.nmis[0].acpi_uid, SMP_NMI_ALL_CPUS_8);
	CHECK_EQ(cfg.nmis[0].lint, 1);
}

/* Interrupt entries before the buses and I/O APICs they name. */
HTEST(mptable_out_of_order_entries)
{
	struct tbuf t = { .len = 0 };

	reset();
	mpc_int(&t, 4, 1, 0, 1, 0, 5, 1);	/* NMI on CPU 5's LINT1 */
	mpc_int(&t, 3, 0, 0, 1, 0, 3, 2);
	mpc_int(&t, 3, 0, 0, 1, 5, 4, 0);	/* second I/O APIC */
	mpc_ioapic(&t, 3, 1, 0xfec00000);
	mpc_ioapic(&t, 9, 0, 0xfec01000);	/* unusable */
	mpc_ioapic(&t, 4, 1, 0xfec02000);
	mpc_bus(&t, 1, "ISA   ");
	mpc_cpu(&t, 4, 3);
	mpc_cpu(&t, 5, 0);			/* disabled */
	mpc_put(MPC_PA, &t, 9);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_WARN("mptable: I/O APIC 9 is marked unusable, ignoring it");
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK(!cfg.cpus[1].enabled);
	CHECK_EQ(cfg.nr_ioapics, 2);
	CHECK_EQ(cfg.ioapics[1].id, 4);
	CHECK_EQ(cfg.ioapics[1].gsi_base, 24);
	CHECK_EQ(cfg.nr_overrides, 2);
	CHECK_EQ(cfg.overrides[0].gsi, 2);
	CHECK_EQ(cfg.overrides[1].source, 5);
	CHECK_EQ(cfg.overrides[1].gsi, 24);
	CHECK_EQ(cfg.nr_nmis, 1);
	CHECK_EQ(cfg.nmis[0].acpi_uid, 1);
}

HTEST(mptable_in_ebda_and_base_memory)
{
	struct tbuf t;
	uint16_t n;

	reset();
	n = mpc_standard(&t);
	mpc_put(0x9f100, &t, n);
	w16(0x40e, 0x9f00);
	mpf_put(0x9f010, 0x9f100, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK_NO_WARN();

	/* No EBDA: the last KiB below 640 KiB. */
	reset();
	mpc_put(0x9fd00, &t, n);
	mpf_put(0x9fc40, 0x9fd00, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK_NO_WARN();
}

HTEST(mptable_bad_floating_pointer)
{
	struct tbuf t;
	uint16_t n;

	reset();
	n = mpc_standard(&t);
	mpc_put(MPC_PA, &t, n);
	mpf_put(MPF_PA, MPC_PA, 0);
	mem[MPF_PA + 12] ^= 1;
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: floating pointer at 0xf0100 has a bad length or checksum, skipping it");
	CHECK_WARN("mptable: no MP floating pointer found");

	/* Length 0. */
	reset();
	mpc_put(MPC_PA, &t, n);
	mpf_put(MPF_PA, MPC_PA, 0);
	w8(MPF_PA + 8, 0);
	fix_checksum(mem + MPF_PA, 16, 10);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: floating pointer at 0xf0100 has a bad length or checksum");

	/* A default configuration: no table to read. */
	reset();
	mpf_put(MPF_PA, 0, 5);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: default configuration 5 is not supported");

	/* Nothing at all. */
	reset();
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: no MP floating pointer found");
}

HTEST(mptable_bad_config_table)
{
	struct tbuf t;
	uint16_t n;

	reset();
	n = mpc_standard(&t);
	mpc_put(MPC_PA, &t, n);
	mpf_put(MPF_PA, MPC_PA, 0);
	mem[MPC_PA + 50] ^= 1;
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: configuration table at 0xf1000 has a bad checksum");

	reset();
	mpc_put(MPC_PA, &t, n);
	mem[MPC_PA] = 'X';
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: configuration table at 0xf1000 has a bad signature");

	reset();
	mpc_put(MPC_PA, &t, n);
	w16(MPC_PA + 4, 10);
	fix_checksum(mem + MPC_PA, 10, 7);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: configuration table at 0xf1000 has a bad length 10");

	reset();
	mpf_put(MPF_PA, 0xfffff000, 0);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: configuration table at 0xfffff000 is not accessible");

	/* Header in memory, the claimed length reaches past its end. */
	reset();
	mpc_put(0xfff00, &(struct tbuf){ .len = 0 }, 0);
	w16(0xfff00 + 4, 0x1000);
	fix_checksum(mem + 0xfff00, 44, 7);
	mpf_put(MPF_PA, 0xfff00, 0);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: configuration table at 0xfff00 (4096 bytes) is not accessible");
}

HTEST(mptable_unknown_entry_type)
{
	struct tbuf t = { .len = 0 };

	reset();
	mpc_cpu(&t, 0, 3);
	mpc_cpu(&t, 1, 1);
	t8(&t, 7); t8(&t, 0); t16(&t, 0); t32(&t, 0);
	mpc_ioapic(&t, 2, 1, 0xfec00000);
	mpc_put(MPC_PA, &t, 4);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_WARN("mptable: entry 2 at offset 84 has unknown type 7, stopping");
	CHECK_EQ(cfg.nr_cpus, 2);
	CHECK_EQ(cfg.nr_ioapics, 0);
}

HTEST(mptable_entry_count_and_length_disagree)
{
	struct tbuf t;
	uint16_t n;

	reset();
	n = mpc_standard(&t);
	mpc_put(MPC_PA, &t, n + 5);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_WARN("mptable: table ends after 12 of its 17 entries");
	CHECK_EQ(cfg.nr_nmis, 1);

	/* The last entry is cut short by the table length. */
	reset();
	mpc_standard(&t);
	t.len -= 4;
	mpc_put(MPC_PA, &t, n);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_WARN("mptable: entry 11 at offset 156 (type 4) runs past the end of the table (160 bytes), stopping");
	CHECK_EQ(cfg.nr_nmis, 0);

	/* A processor entry cut short. */
	reset();
	t.len = 0;
	mpc_cpu(&t, 0, 3);
	t.len -= 8;
	mpc_put(MPC_PA, &t, 1);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(!mptable_parse(&cfg));
	CHECK_WARN("mptable: entry 0 at offset 44 (type 0) runs past the end");
	CHECK_WARN("mptable: no enabled CPU listed");
}

HTEST(mptable_bad_references)
{
	struct tbuf t = { .len = 0 };

	reset();
	mpc_cpu(&t, 0, 3);
	mpc_cpu(&t, 0, 1);			/* duplicate */
	mpc_bus(&t, 1, "ISA   ");
	mpc_ioapic(&t, 2, 1, 0xfec00000);
	mpc_int(&t, 3, 0, 0, 1, 0, 7, 2);	/* no I/O APIC 7 */
	mpc_int(&t, 4, 1, 0, 1, 0, 9, 1);	/* no CPU 9 */
	mpc_put(MPC_PA, &t, 6);
	mpf_put(MPF_PA, MPC_PA, 0);
	CHECK(mptable_parse(&cfg));
	CHECK_WARN("mptable: APIC id 0 listed twice, ignoring the second");
	CHECK_WARN("mptable: ISA IRQ 0 is routed to unknown I/O APIC 7, ignoring it");
	CHECK_WARN("mptable: NMI routed to unknown APIC id 9, ignoring it");
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.nr_overrides, 0);
	CHECK_EQ(cfg.nr_nmis, 0);
}

HTEST(mptable_default_config)
{
	memset(&cfg, 0xaa, sizeof(cfg));
	smp_config_default(&cfg, 3);
	CHECK_STR(cfg.source, "default (single CPU)");
	CHECK_EQ(cfg.lapic_phys, 0xfee00000);
	CHECK_EQ(cfg.nr_cpus, 1);
	CHECK_EQ(cfg.cpus[0].apic_id, 3);
	CHECK(cfg.cpus[0].enabled);
	CHECK(!cfg.cpus[0].online_capable);
	CHECK_EQ(cfg.nr_ioapics, 1);
	CHECK_EQ(cfg.ioapics[0].id, 0);
	CHECK_EQ(cfg.ioapics[0].phys, 0xfec00000);
	CHECK_EQ(cfg.ioapics[0].gsi_base, 0);
	CHECK_EQ(cfg.nr_overrides, 0);
	CHECK_EQ(cfg.nr_nmis, 0);
	CHECK(cfg.pcat_compat);
}

int main(void)
{
	int ret = htest_run_all();

	reset();	/* free the last test's mappings */
	return ret;
}
