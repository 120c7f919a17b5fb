/*
 * <linux/seq_file.h> - not here: smpkern has no seq_file.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/seq_file.h>: smpkern has no seq_file (no /proc, no user space): print with printk"
