/*
 * <linux/hrtimer.h> - high-resolution timers (kernel/hrtimer.h states
 * the contract). Callbacks run in hard irq, as on Linux without
 * PREEMPT_RT. What cannot keep its Linux meaning fails to build:
 *  - CLOCK_REALTIME, CLOCK_TAI: there is no wall clock (nothing sets the
 *    time of day); CLOCK_MONOTONIC and CLOCK_BOOTTIME count from boot.
 *  - HRTIMER_MODE_*SOFT: callbacks in the HRTIMER_SOFTIRQ are not
 *    implemented; use a _HARD (or plain) mode, or a timer_list, or have
 *    the hard callback raise a tasklet.
 */
#pragma once
#include <linux/ktime.h>
#include "kernel/hrtimer.h"

#define CLOCK_REALTIME _Pragma("GCC error \"CLOCK_REALTIME: smpkern has no wall clock; use CLOCK_MONOTONIC (time since boot)\"") 0
#define CLOCK_TAI _Pragma("GCC error \"CLOCK_TAI: smpkern has no wall clock; use CLOCK_MONOTONIC (time since boot)\"") 11
#define __HRTIMER_NO_SOFT(m) _Pragma("GCC error \"HRTIMER_MODE_*_SOFT: smpkern runs hrtimer callbacks in hard irq only (no HRTIMER_SOFTIRQ); use the mode without _SOFT\"") 0
#define HRTIMER_MODE_SOFT __HRTIMER_NO_SOFT()
#define HRTIMER_MODE_ABS_SOFT __HRTIMER_NO_SOFT()
#define HRTIMER_MODE_REL_SOFT __HRTIMER_NO_SOFT()
#define HRTIMER_MODE_ABS_PINNED_SOFT __HRTIMER_NO_SOFT()
#define HRTIMER_MODE_REL_PINNED_SOFT __HRTIMER_NO_SOFT()
