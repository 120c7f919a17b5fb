/*
 * <linux/gpio.h> - not here: smpkern has no GPIO.
 * Including it is a build error that says so, instead of "no such file"
 * (docs/linux.md, "What differs").
 */
#pragma once
#error "<linux/gpio.h>: smpkern has no GPIO"
