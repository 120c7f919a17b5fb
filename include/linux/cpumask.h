/*
 * <linux/cpumask.h> - sets of CPUs.
 */
#pragma once
#include "kernel/cpumask.h"
