/*
 * <linux/sysfs.h> - not here: smpkern has no sysfs.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/sysfs.h>: smpkern has no sysfs (no user space): use module parameters (modinfo, insmod p=v)"
