/*
 * <linux/random.h> - pseudo-random numbers (not for secrets).
 */
#pragma once
#include "kernel/random.h"
