/*
 * <linux/proc_fs.h> - not here: smpkern has no /proc.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/proc_fs.h>: smpkern has no /proc (no user space): print with printk, or add a shell command"
