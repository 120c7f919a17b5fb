/*
 * <linux/sched.h> - tasks, current, sleeping and waking.
 */
#pragma once
#include <linux/types.h>
#include <linux/preempt.h>
#include <linux/jiffies.h>
#include "sched/sched.h"
#include "sched/wait.h"
#include "arch/x86/cpu.h"	/* cpu_relax */
#include "kernel/cpumask.h"

#define get_current() (current)
#define TASK_KILLABLE TASK_UNINTERRUPTIBLE
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)
#define TASK_IDLE TASK_UNINTERRUPTIBLE
#define task_pid_nr(t) ((t)->pid)
#define task_cpu(t) ((t)->cpu)
#define sched_setscheduler(...) _Pragma("GCC error \"sched_setscheduler: smpkern has one scheduling class (round robin)\"")
#define sched_set_fifo(...) _Pragma("GCC error \"sched_set_fifo: smpkern has one scheduling class (round robin)\"")
#define set_user_nice(t, n) do { (void)(t); (void)(n); } while (0)
