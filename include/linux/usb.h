/*
 * <linux/usb.h> - not here: smpkern has no USB.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/usb.h>: smpkern has no USB"
