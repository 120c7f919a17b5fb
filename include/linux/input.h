/*
 * <linux/input.h> - not here: smpkern has no input subsystem.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/input.h>: smpkern has no input subsystem"
