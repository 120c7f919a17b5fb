/*
 * <linux/err.h> - an errno inside a pointer.
 */
#pragma once
#include "kernel/err.h"
