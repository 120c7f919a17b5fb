/*
 * <linux/cpu.h> - see <linux/cpumask.h>.
 */
#pragma once
#include "kernel/cpumask.h"
