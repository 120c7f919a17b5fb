/*
 * <linux/module.h> - modules: module_init, module_param, MODULE_*.
 */
#pragma once
#include <linux/init.h>
#include <linux/export.h>
#include <linux/kernel.h>
#include "kernel/module.h"

struct module;
#define THIS_MODULE ((struct module *)0)
#define try_module_get(m) (1)
#define module_put(m) do { (void)(m); } while (0)
#define __module_get(m) do { (void)(m); } while (0)
#define module_param_array(...) _Pragma("GCC error \"module_param_array: not supported by smpkern; use a charp parameter and parse it\"")
