/*
 * <linux/cdev.h> - not here: smpkern has no character devices.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/cdev.h>: smpkern has no character devices (no user space to open them)"
