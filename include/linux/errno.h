/*
 * <linux/errno.h> - error numbers (Linux's values).
 */
#pragma once
#include "kernel/errno.h"
