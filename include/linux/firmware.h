/*
 * <linux/firmware.h> - not here: smpkern has no firmware loading.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/firmware.h>: smpkern has no firmware loading (no file system)"
