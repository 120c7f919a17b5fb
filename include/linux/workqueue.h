/*
 * <linux/workqueue.h> - work items and workqueues.
 */
#pragma once
#include "kernel/workqueue.h"
