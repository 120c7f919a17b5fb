/*
 * <linux/timer.h> - timers.
 */
#pragma once
#include "kernel/timer.h"
