// SPDX-License-Identifier: GPL-2.0
/*
 * hello.c - a built-in module, written as for Linux: every .c file in
 * modules/ is built into the kernel (obj-y), and its init runs at boot.
 * As in Linux, built-in code cannot be removed (`rmmod hello` says so);
 * a module to load, unload and load again goes in modules/loadable/
 * (see ticker.c there).
 *
 *   make run ARGS="hello.who=students hello.times=2"
 *
 * Its parameters are set on the kernel command line as hello.PARAM=VALUE,
 * exactly as Linux sets a built-in module's (and modprobe a loadable
 * one's); `modinfo hello` lists them.
 */
#include <linux/module.h>
#include <linux/kernel.h>

static char *who = "world";
static int times = 1;
module_param(who, charp, 0444);
MODULE_PARM_DESC(who, "whom to greet");
module_param(times, int, 0444);
MODULE_PARM_DESC(times, "how many times (1-10)");

static int __init hello_init(void)
{
	if (times < 1 || times > 10) {
		pr_err("hello: times=%d is not in 1-10\n", times);
		return -EINVAL;
	}
	for (int i = 0; i < times; i++)
		pr_info("hello: hello, %s\n", who);
	return 0;
}

static void __exit hello_exit(void)
{
	pr_info("hello: goodbye, %s\n", who);
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The smallest module, built in");
