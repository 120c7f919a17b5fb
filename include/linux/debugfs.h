/*
 * <linux/debugfs.h> - not here: smpkern has no debugfs.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/debugfs.h>: smpkern has no debugfs (no user space): print with printk, or add a shell command"
