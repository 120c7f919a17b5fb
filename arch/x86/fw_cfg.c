/*
 * fw_cfg.c - QEMU's firmware configuration device, read through its two
 * I/O ports: write a 16-bit key to the selector (0x510), then read the
 * item's bytes one at a time from the data port (0x511); each read moves
 * on by one byte. Key 0 holds the signature "QEMU"; key 0x19 the file
 * directory: a big-endian count, then per file a big-endian size and key
 * and a 56-byte name. Without the device the data port reads 0xff, so
 * the signature check fails and nothing else is tried.
 */
#include "arch/x86/fw_cfg.h"
#include "arch/x86/io.h"
#include "kernel/errno.h"
#include "kernel/string.h"
#include "sync/spinlock.h"

#define FW_CFG_PORT_SEL		0x510
#define FW_CFG_PORT_DATA	0x511
#define FW_CFG_SIGNATURE	0x00
#define FW_CFG_FILE_DIR		0x19
#define FW_CFG_MAX_FILE_PATH	56

/* Select and read are two steps: one reader at a time. */
static DEFINE_SPINLOCK(fw_cfg_lock);

static void fw_cfg_read(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len--)
		*p++ = inb(FW_CFG_PORT_DATA);
}

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Under fw_cfg_lock: the key of file `name` (its size in *size), or 0. */
static uint16_t find_file(const char *name, uint32_t *size)
{
	uint8_t count[4], entry[8 + FW_CFG_MAX_FILE_PATH];

	outw(FW_CFG_PORT_SEL, FW_CFG_FILE_DIR);
	fw_cfg_read(count, sizeof(count));
	for (uint32_t n = be32(count), i = 0; i < n && i < 4096; i++) {
		fw_cfg_read(entry, sizeof(entry));
		entry[sizeof(entry) - 1] = 0;		/* the name, cut if it must be */
		if (strcmp((const char *)entry + 8, name) == 0) {
			*size = be32(entry);
			return (uint16_t)(entry[4] << 8 | entry[5]);
		}
	}
	return 0;
}

long fw_cfg_read_file(const char *name, void *buf, size_t size)
{
	char sig[4];
	uint32_t fsize = 0;
	uint16_t key;

	spin_lock(&fw_cfg_lock);
	outw(FW_CFG_PORT_SEL, FW_CFG_SIGNATURE);
	fw_cfg_read(sig, sizeof(sig));
	if (memcmp(sig, "QEMU", 4) != 0) {
		spin_unlock(&fw_cfg_lock);
		return -ENODEV;
	}
	key = find_file(name, &fsize);
	if (key) {
		outw(FW_CFG_PORT_SEL, key);
		fw_cfg_read(buf, MIN(size, (size_t)fsize));
	}
	spin_unlock(&fw_cfg_lock);
	return key ? (long)fsize : -ENOENT;
}
