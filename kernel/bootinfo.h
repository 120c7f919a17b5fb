/*
 * bootinfo.h - what the boot loader told us, copied out of the multiboot2
 * information structure (kernel/multiboot.c) so that the rest of the kernel
 * does not depend on where GRUB left it, nor on BIOS vs. UEFI.
 */
#pragma once
#include "kernel/compiler.h"

#define BOOT_MMAP_MAX    128
#define BOOT_MODULES_MAX 16
/* More than the command-line parser keeps (CMDLINE_MAX): it then sees
 * the whole line and says exactly what it had to drop. */
#define BOOT_CMDLINE_MAX 4096

enum { MEM_USABLE = 1, MEM_RESERVED = 2, MEM_ACPI_RECLAIM = 3,
       MEM_ACPI_NVS = 4, MEM_BAD = 5 };

struct mem_region {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader[64];
	struct mem_region mmap[BOOT_MMAP_MAX];
	int mmap_count;
	struct { phys_addr_t start, end; } modules[BOOT_MODULES_MAX];
	int module_count;
	phys_addr_t mbi_start, mbi_end;	/* the multiboot structure itself */
	uint8_t rsdp[36];		/* ACPI RSDP, copied (v1: 20 bytes) */
	int rsdp_len;
	bool efi;			/* started by UEFI firmware (EFI64 tag) */
	bool has_fb;
	uint64_t fb_addr;
	uint32_t fb_pitch, fb_width, fb_height;
	uint8_t fb_bpp;
};

extern struct boot_info boot_info;

/* Parse the multiboot2 structure; returns false (with a message) if bad. */
bool multiboot_parse(uint32_t magic, phys_addr_t mbi);
void boot_info_print(void);
