/*
 * <linux/netdevice.h> - not here: smpkern has no networking.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/netdevice.h>: smpkern has no networking"
