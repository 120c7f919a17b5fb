/*
 * <linux/wait.h> - wait queues.
 */
#pragma once
#include "sched/wait.h"
