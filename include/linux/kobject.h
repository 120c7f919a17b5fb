/*
 * <linux/kobject.h> - not here: smpkern has no kobjects or sysfs.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/kobject.h>: smpkern has no kobjects or sysfs (no user space)"
