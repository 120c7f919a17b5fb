/*
 * fw_cfg.h - read what QEMU hands the guest through its firmware
 * configuration device (QEMU's docs/specs/fw_cfg.rst).
 *
 * QEMU exposes named blobs ("files") to the guest; `-fw_cfg
 * name=opt/NAME,string=TEXT` adds one. tools/qemu.sh uses it to tell the
 * kernel facts about the host that the guest cannot see, such as the
 * host's number of cores (opt/smpkern/host_cpus), without touching the
 * kernel command line a student types and copies.
 *
 * Contract: may be called from any thread (not from interrupts: the
 * device is a select-then-read protocol, serialized by a spinlock, and
 * reading a file of a few bytes costs about a hundred port accesses).
 * On a machine without the device (real hardware, another hypervisor)
 * every call fails cleanly with -ENODEV.
 */
#pragma once
#include <stddef.h>

/*
 * Copy the file NAME into buf (at most size bytes). Returns the file's
 * size (which may exceed size: the copy is then cut), -ENOENT if QEMU
 * has no such file, -ENODEV if there is no fw_cfg device.
 */
long fw_cfg_read_file(const char *name, void *buf, size_t size);
