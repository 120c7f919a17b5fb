/*
 * modules.c - the shell's module commands, over kernel/module.h:
 *
 *   lsmod                     every module: loaded or not, built in or loadable
 *   insmod NAME [p=v ...]     set parameters, run its init
 *   rmmod NAME                run its exit
 *   modinfo NAME              its parameters, their values and meaning
 */
#include "lab/shell.h"
#include "kernel/errno.h"
#include "kernel/module.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

static const char *state_name(enum module_state st)
{
	switch (st) {
	case MODULE_STATE_LIVE: return "live";
	case MODULE_STATE_FAILED: return "init failed";
	case MODULE_STATE_COMING: return "loading";
	case MODULE_STATE_GOING: return "unloading";
	default: return "not loaded";
	}
}

static void print_module(const char *name, enum module_state st, bool loadable, void *arg)
{
	char users[16] = "";

	(void)arg;
	if (module_users(name) >= 0)
		snprintf(users, sizeof(users), "%d", module_users(name));
	printk(KERN_INFO "  %-20s %-9s %-12s %s\n", name, loadable ? "loadable" : "built-in",
	       state_name(st), users);
}

static void cmd_lsmod(int argc, char **argv)
{
	(void)argc; (void)argv;
	printk(KERN_INFO "  %-20s %-9s %-12s %s\n", "Module", "Kind", "State", "Used by");
	for_each_module(print_module, NULL);
}
SHELL_COMMAND(lsmod, "", "modules: built in or loadable, loaded or not", cmd_lsmod);

static const char *why(int err)
{
	switch (err) {
	case -ENOENT: return "no such module (lsmod lists them)";
	case -EEXIST: return "already loaded (rmmod it first)";
	case -EINVAL: return "a bad parameter, its init refused, or not loaded";
	case -EBUSY: return "it has no exit function";
	case -EPERM: return "it is built in (Linux cannot remove those either)";
	case -EWOULDBLOCK: return "it is in use (lsmod: Used by)";
	default: return "its init or exit said so";
	}
}

static void cmd_insmod(int argc, char **argv)
{
	char args[256];
	size_t len = 0;

	if (argc < 2) {
		printk(KERN_WARNING "usage: insmod NAME [param=value ...]\n");
		return;
	}
	args[0] = 0;
	for (int i = 2; i < argc && len < sizeof(args); i++)
		len += (size_t)snprintf(args + len, sizeof(args) - len, "%s ", argv[i]);
	int err = load_module(argv[1], args);
	if (err)
		printk(KERN_WARNING "insmod: %s: error %d: %s\n", argv[1], err, why(err));
	else
		printk(KERN_INFO "insmod: %s loaded\n", argv[1]);
}
SHELL_COMMAND(insmod, "NAME [p=v ...]", "load a module: set its parameters, run its init",
	      cmd_insmod);

static void cmd_rmmod(int argc, char **argv)
{
	if (argc != 2) {
		printk(KERN_WARNING "usage: rmmod NAME\n");
		return;
	}
	int err = unload_module(argv[1]);
	if (err)
		printk(KERN_WARNING "rmmod: %s: error %d: %s\n", argv[1], err, why(err));
	else
		printk(KERN_INFO "rmmod: %s unloaded\n", argv[1]);
}
SHELL_COMMAND(rmmod, "NAME", "unload a module: run its exit", cmd_rmmod);

static void cmd_modinfo(int argc, char **argv)
{
	if (argc != 2) {
		printk(KERN_WARNING "usage: modinfo NAME\n");
		return;
	}
	printk(KERN_INFO "%s: %s\n", argv[1], state_name(module_state(argv[1])));
	module_print_params(argv[1]);
}
SHELL_COMMAND(modinfo, "NAME", "a module's parameters and their values", cmd_modinfo);
