/*
 * <linux/ioctl.h> - not here: smpkern has no ioctl.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/ioctl.h>: smpkern has no ioctl (no user space)"
