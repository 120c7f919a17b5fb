/*
 * <linux/interrupt.h> - softirqs and tasklets (no request_irq(): devices
 * are the kernel's own here).
 */
#pragma once
#include "kernel/softirq.h"
#include "kernel/tasklet.h"
#include <linux/hardirq.h>
#include <linux/bottom_half.h>
#define request_irq(...) _Pragma("GCC error \"request_irq: smpkern has no device interrupts for modules\"") 0
