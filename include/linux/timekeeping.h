/*
 * <linux/timekeeping.h> - see <linux/ktime.h>.
 */
#pragma once
#include <linux/ktime.h>
