/*
 * <linux/percpu.h> - per-CPU variables.
 */
#pragma once
#include "sync/percpu.h"
#include "kernel/cpumask.h"
