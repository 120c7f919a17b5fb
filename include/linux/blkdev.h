/*
 * <linux/blkdev.h> - not here: smpkern has no block devices.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/blkdev.h>: smpkern has no block devices"
