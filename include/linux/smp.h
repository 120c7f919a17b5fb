/*
 * <linux/smp.h> - CPU numbers and cross-CPU calls.
 */
#pragma once
#include "sync/percpu.h"
#include "kernel/cpumask.h"
#include "kernel/smp.h"
