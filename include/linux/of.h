/*
 * <linux/of.h> - not here: smpkern has no device tree.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/of.h>: smpkern has no device tree"
