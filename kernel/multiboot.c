/*
 * multiboot.c - read the multiboot2 information GRUB hands us.
 *
 * The structure is a list of tags, each {type, size, payload}, padded to
 * 8 bytes, ending with a tag of type 0. We copy what we need into
 * boot_info and never look at the original again (it sits in memory the
 * frame allocator may hand out once boot is over).
 */
#include "kernel/bootinfo.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/mm.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289

enum {
	TAG_END = 0, TAG_CMDLINE = 1, TAG_LOADER = 2, TAG_MODULE = 3,
	TAG_MMAP = 6, TAG_FRAMEBUFFER = 8, TAG_EFI64 = 12, TAG_ACPI_OLD = 14, TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t len;
	uint32_t type;
	uint32_t reserved;
};

struct boot_info boot_info;

/* Copies the tag's string; returns its whole length, even if cut. */
static size_t copy_string(char *dst, size_t cap, const struct mb2_tag *t)
{
	size_t n = t->size > 8 ? t->size - 8 : 0;
	const char *src = (const char *)(t + 1);

	n = strnlen(src, n);
	size_t whole = n;
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
	return whole;
}

static void parse_mmap(const struct mb2_tag *t)
{
	const uint32_t *hdr = (const uint32_t *)(t + 1);
	uint32_t entry_size = hdr[0];
	const uint8_t *p = (const uint8_t *)(hdr + 2);
	const uint8_t *end = (const uint8_t *)t + t->size;

	if (entry_size < sizeof(struct mb2_mmap_entry))
		return;
	for (; p + entry_size <= end; p += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		if (boot_info.mmap_count == BOOT_MMAP_MAX) {
			pr_warn("multiboot: more than %d memory regions, rest ignored\n",
				BOOT_MMAP_MAX);
			return;
		}
		boot_info.mmap[boot_info.mmap_count++] =
			(struct mem_region){ e->base, e->len, e->type };
	}
}

static void parse_module(const struct mb2_tag *t)
{
	const uint32_t *m = (const uint32_t *)(t + 1);

	if (boot_info.module_count < BOOT_MODULES_MAX) {
		boot_info.modules[boot_info.module_count].start = m[0];
		boot_info.modules[boot_info.module_count].end = m[1];
		boot_info.module_count++;
	}
}

static void parse_acpi(const struct mb2_tag *t)
{
	size_t n = t->size - 8;

	/* Prefer the ACPI 2.0 RSDP (it has the XSDT) over the 1.0 one. */
	if (boot_info.rsdp_len >= 36 && t->type == TAG_ACPI_OLD)
		return;
	if (n > sizeof(boot_info.rsdp))
		n = sizeof(boot_info.rsdp);
	memcpy(boot_info.rsdp, t + 1, n);
	boot_info.rsdp_len = (int)n;
}

static void parse_framebuffer(const struct mb2_tag *t)
{
	const uint8_t *p = (const uint8_t *)(t + 1);

	boot_info.has_fb = true;
	memcpy(&boot_info.fb_addr, p, 8);
	memcpy(&boot_info.fb_pitch, p + 8, 4);
	memcpy(&boot_info.fb_width, p + 12, 4);
	memcpy(&boot_info.fb_height, p + 16, 4);
	boot_info.fb_bpp = p[20];
}

static void parse_tag(const struct mb2_tag *t)
{
	switch (t->type) {
	case TAG_CMDLINE: {
		size_t n = copy_string(boot_info.cmdline, sizeof(boot_info.cmdline), t);
		if (n >= sizeof(boot_info.cmdline))
			printk(KERN_WARNING "multiboot: command line of %zu bytes truncated "
			       "at %zu bytes\n", n, sizeof(boot_info.cmdline) - 1);
		break;
	}
	case TAG_LOADER:
		copy_string(boot_info.loader, sizeof(boot_info.loader), t);
		break;
	case TAG_MODULE:      parse_module(t); break;
	case TAG_MMAP:        parse_mmap(t); break;
	case TAG_FRAMEBUFFER: parse_framebuffer(t); break;
	case TAG_EFI64:       boot_info.efi = true; break;
	case TAG_ACPI_OLD:
	case TAG_ACPI_NEW:    parse_acpi(t); break;
	}
}

bool multiboot_parse(uint32_t magic, phys_addr_t mbi)
{
	if (magic != MB2_BOOTLOADER_MAGIC) {
		pr_emerg("boot: not started by a multiboot2 loader (magic %#x)\n",
			 magic);
		return false;
	}
	/* The boot page tables map the first GiB; GRUB puts the info there. */
	const uint8_t *base = phys_to_virt(mbi);
	uint32_t total = *(const uint32_t *)base;
	boot_info.mbi_start = mbi;
	boot_info.mbi_end = mbi + total;

	const uint8_t *p = base + 8;
	while (p + sizeof(struct mb2_tag) <= base + total) {
		const struct mb2_tag *t = (const void *)p;
		if (t->type == TAG_END || t->size < 8)
			break;
		parse_tag(t);
		p += ALIGN_UP(t->size, 8);
	}
	return true;
}

static const char *mem_type_name(uint32_t type)
{
	static const char *const names[] = {
		"?", "usable", "reserved", "ACPI reclaimable", "ACPI NVS", "bad",
	};
	return type < ARRAY_SIZE(names) ? names[type] : "reserved";
}

void boot_info_print(void)
{
	uint64_t usable = 0;

	pr_info("boot: loader '%s' (%s), command line '%s'\n", boot_info.loader,
		boot_info.efi ? "UEFI" : "BIOS", boot_info.cmdline);
	for (int i = 0; i < boot_info.mmap_count; i++) {
		const struct mem_region *r = &boot_info.mmap[i];
		pr_info("mem: [0x%012llx-0x%012llx] %s\n",
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->len - 1),
			mem_type_name(r->type));
		if (r->type == MEM_USABLE)
			usable += r->len;
	}
	pr_info("mem: %llu MiB usable in %d regions; ACPI RSDP %s; framebuffer %s\n",
		(unsigned long long)(usable >> 20), boot_info.mmap_count,
		boot_info.rsdp_len ? (boot_info.rsdp_len > 20 ? "v2" : "v1") : "absent",
		boot_info.has_fb ? "present" : "none");
}
