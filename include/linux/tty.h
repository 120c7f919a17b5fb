/*
 * <linux/tty.h> - not here: smpkern has no tty layer.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/tty.h>: smpkern has no tty layer (the serial console is the kernel's own)"
