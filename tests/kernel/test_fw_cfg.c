/*
 * test_fw_cfg.c - QEMU's fw_cfg device is read right: tools/qemu.sh
 * (through which every test boot goes) hands the kernel the host's cores
 * as opt/smpkern/host_cpus; a file QEMU does not have is -ENOENT; a short
 * buffer gets the start of the file and the whole size back.
 */
#include "tests/ktest.h"
#include "arch/x86/fw_cfg.h"
#include "lab/counter.h"
#include "kernel/errno.h"
#include "kernel/string.h"

KTEST(fw_cfg, host_cpus_from_qemu_sh)
{
	char text[16] = "";
	long long v = 0;
	long n = fw_cfg_read_file("opt/smpkern/host_cpus", text, sizeof(text) - 1);

	KASSERT_MSG(n > 0 && n < (long)sizeof(text), "opt/smpkern/host_cpus: %ld", n);
	text[n] = 0;
	KASSERT_MSG(kstrtoll(text, 10, &v) == 0 && v >= 1, "host_cpus is '%s'", text);
	KASSERT_EQ(counter_host_cpus(), v);
	ktest_info("the host has %lld cores\n", v);
}

KTEST(fw_cfg, missing_file_and_short_buffer)
{
	char one = 0;

	KASSERT_EQ(fw_cfg_read_file("opt/smpkern/no-such-file", &one, 1), -ENOENT);
	/* "etc/..." names are QEMU's own; the signature item is not a file. */
	KASSERT_EQ(fw_cfg_read_file("", &one, 1), -ENOENT);
	long n = fw_cfg_read_file("opt/smpkern/host_cpus", &one, 1);
	KASSERT_GE(n, 1);
	KASSERT(one >= '1' && one <= '9');
}
