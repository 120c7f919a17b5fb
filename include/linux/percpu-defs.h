/*
 * <linux/percpu-defs.h> - see <linux/percpu.h>.
 */
#pragma once
#include <linux/percpu.h>
