/*
 * <linux/sched/task.h> - task references.
 */
#pragma once
#include "sched/sched.h"
