/*
 * <linux/init.h> - __init, __exit and initcalls.
 */
#pragma once
#include "kernel/init.h"
/* Nothing is freed after boot here: markers only. */
#define __init
#define __exit
#define __initdata
#define __initconst
#define __exitdata
#define __ref
#define pure_initcall(fn) core_initcall(fn)
#define postcore_initcall(fn) core_initcall(fn)
#define arch_initcall(fn) core_initcall(fn)
#define fs_initcall(fn) subsys_initcall(fn)
#define rootfs_initcall(fn) subsys_initcall(fn)
