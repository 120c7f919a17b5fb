/*
 * <linux/miscdevice.h> - not here: smpkern has no misc devices.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/miscdevice.h>: smpkern has no misc devices (no user space to open them)"
