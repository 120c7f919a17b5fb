/*
 * <linux/net.h> - not here: smpkern has no networking.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/net.h>: smpkern has no networking"
