/*
 * <linux/param.h> - HZ.
 */
#pragma once
#include "kernel/jiffies.h"
