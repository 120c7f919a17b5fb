/*
 * <linux/module.h> - modules: module_init, module_param, MODULE_*,
 * THIS_MODULE and its reference count (kernel/module.h).
 */
#pragma once
#include <linux/init.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/moduleparam.h>
#include <linux/stat.h>
#include <linux/jump_label.h>
/* Linux's <linux/module.h> reaches these too (through <linux/percpu.h>):
 * on_each_cpu(), smp_processor_id(), for_each_online_cpu(), DEFINE_PER_CPU. */
#include <linux/percpu.h>
#include <linux/smp.h>
#include <linux/cpumask.h>
#include "kernel/module.h"

/* A loadable module's own record (kernel/module.h); NULL in built-in
 * code, as in Linux. */
#ifdef MODULE
extern struct module __concat(__module_, KBUILD_MODNAME_SYM);
#define THIS_MODULE (&__concat(__module_, KBUILD_MODNAME_SYM))
#else
#define THIS_MODULE ((struct module *)0)
#endif
#define module_put_and_kthread_exit(code) __module_put_and_kthread_exit(THIS_MODULE, (code))
#define module_param_array(...) _Pragma("GCC error \"module_param_array: not supported by smpkern; use a charp parameter and parse it\"")
