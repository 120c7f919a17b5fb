/*
 * <linux/kthread.h> - kernel threads.
 */
#pragma once
#include <linux/err.h>
#include <linux/sched.h>
