/*
 * <linux/kthread.h> - kernel threads.
 */
#pragma once
#include <linux/err.h>
#include <linux/sched.h>
#define kthread_create_on_cpu(...) _Pragma("GCC error \"kthread_create_on_cpu: use kthread_create() then kthread_bind()\"")
