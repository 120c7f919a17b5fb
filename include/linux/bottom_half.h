/*
 * <linux/bottom_half.h> - local_bh_disable(), local_bh_enable().
 */
#pragma once
#include "kernel/softirq.h"
