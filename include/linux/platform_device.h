/*
 * <linux/platform_device.h> - not here: smpkern has no device model.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/platform_device.h>: smpkern has no device model (no platform bus)"
