/*
 * <linux/fs.h> - not here: smpkern has no file systems or user space.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/fs.h>: smpkern has no file systems or user space (no open/read/write, no /dev): a module here talks through printk, module parameters and the shell"
