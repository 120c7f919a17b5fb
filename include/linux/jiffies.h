/*
 * <linux/jiffies.h> - jiffies and HZ.
 */
#pragma once
#include "kernel/jiffies.h"
