/*
 * <linux/completion.h> - completions.
 */
#pragma once
#include "sched/completion.h"
