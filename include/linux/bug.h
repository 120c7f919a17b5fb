/*
 * <linux/bug.h> - BUG_ON, WARN_ON, WARN_ONCE and friends (kernel/panic.h).
 */
#pragma once
#include "kernel/panic.h"
