/*
 * init.h - initcalls: how the layers above the kernel start their work
 * without the kernel knowing them.
 *
 * As in Linux, a file registers a function with one of the macros below;
 * the first kernel thread, `init` (kernel/main.c), calls them level by
 * level once every CPU runs and sleeping is allowed, then runs the init
 * program. Within one level the order is the link order: do not depend
 * on it, pick a level.
 *
 *   core_initcall(fn)        the kernel's own services
 *   subsys_initcall(fn)      subsystems built on them
 *   device_initcall(fn)      drivers; Linux's module_init() of built-in code
 *   late_initcall(fn)        after everything: the tests and benchmarks
 *                            (which end the run when asked for)
 *   late_initcall_sync(fn)   after every late_initcall: the lab's
 *                            counter experiment
 *
 * Contract: fn is `int fn(void)`, runs in process context (it may
 * sleep), returns 0 or a negative errno. A failure is reported
 * ("initcall fn returned -5") and makes `poweroff` exit with the failure
 * status; the boot goes on. An initcall that leaves preemption disabled or
 * interrupts off is reported and repaired, as Linux does.
 *
 * The init program is what the init thread becomes afterwards, as Linux's
 * kernel_init() finally executes /sbin/init: one function of the layer
 * above, named with init_program(fn) (the lab's shell). It never returns.
 * Without one, or with `poweroff`, the init thread stops there.
 */
#pragma once
#include "kernel/compiler.h"

typedef int (*initcall_t)(void);

/* A level's section name sorts in run order (see linker.ld). */
#define __define_initcall(fn, level)                                      \
	static const initcall_t __initcall_##fn##level                    \
		__used __section(".initcall" #level) __aligned(8) = fn

#define core_initcall(fn)       __define_initcall(fn, 1)
#define subsys_initcall(fn)     __define_initcall(fn, 4)
#define device_initcall(fn)     __define_initcall(fn, 6)
#define late_initcall(fn)       __define_initcall(fn, 7)
#define late_initcall_sync(fn)  __define_initcall(fn, 7s)

/* Run every initcall in order; returns how many failed. */
int do_initcalls(void);

typedef int (*init_program_t)(void *);
#define init_program(fn)                                                  \
	static const init_program_t __init_program_##fn                   \
		__used __section(".init_program") __aligned(8) = fn

/* The init program that was linked in, or NULL. */
init_program_t find_init_program(void);
