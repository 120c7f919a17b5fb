/*
 * module.h - modules, with Linux's semantics for built-in code.
 *
 * A module is one source file; its name is the file's (counter_lab.c:
 * counter_lab), as Linux names built-in modules. It declares
 *
 *   module_init(fn)                 int fn(void): 0 or -errno
 *   module_exit(fn)                 void fn(void)
 *   module_param(var, type, perm)   int, uint, long, ulong, short, ushort,
 *                                   byte, bool, invbool, charp
 *   MODULE_PARM_DESC(var, "...")    and MODULE_LICENSE/AUTHOR/...
 *
 * Two kinds, chosen by the build (Makefile):
 *  - built in (files in modules/): the init runs at boot, at the device
 *    initcall level, as Linux runs a built-in module's; its parameters
 *    come from the kernel command line as name.param=value. As in Linux
 *    it cannot be removed.
 *  - loadable (compiled with -DMODULE: modules/loadable/, the lab's
 *    tools/linux-lab/counter_lab.c, the examples of tests/linux/ and the
 *    test modules of tests/modules/): linked in, but not there until
 *    loaded - `insmod name p=v ...` in the shell, load_module() in a
 *    test, or `modules-load=name,...` on the command line (as systemd
 *    reads it) - with name.param=value from the command line first (as
 *    modprobe does), then the insmod arguments.
 * As in Linux, a loadable module's code and data are a fresh copy at
 * each load: its text and its data (with .bss) sit on pages of their own
 * (linker.ld), mapped at load from the image as linked, and unmapped at
 * rmmod - so that a callback it left behind (a timer, a work item, a
 * thread) faults loudly, naming the module, instead of running stale
 * code. rmmod refuses a module in use: try_module_get(THIS_MODULE) and
 * module_put() count its users. `lsmod` lists every module.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/cmdline.h"
#include "kernel/init.h"
#include "sync/atomic.h"

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "kernel"		/* the Makefile names every file */
#endif

/* One module_init() or module_exit(); entries of one name form a module. */
struct module_entry {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
	bool loadable;			/* -DMODULE: not started at boot */
	const char *file;
};

#ifdef MODULE
#define __MODULE_LOADABLE true
#else
#define __MODULE_LOADABLE false
#endif

#define __MODULE_ENTRY(tag, ...)                                          \
	static const struct module_entry __concat(__module_##tag##_, __COUNTER__) \
		__used __section("module_entries") __aligned(8) =         \
		{ .name = KBUILD_MODNAME, .loadable = __MODULE_LOADABLE,   \
		  .file = __FILE__, __VA_ARGS__ }

#define module_init(fn)                                                   \
	static int (*const __module_init_check)(void) __maybe_unused = (fn); \
	__MODULE_ENTRY(init, .init = (fn))
#define module_exit(fn)                                                   \
	static void (*const __module_exit_check)(void) __maybe_unused = (fn); \
	__MODULE_ENTRY(exit, .exit = (fn))

/* ---- parameters ---- */

struct kernel_param;
struct kernel_param_ops {
	int (*set)(const char *val, const struct kernel_param *kp);
	int (*get)(char *buffer, size_t size, const struct kernel_param *kp);
};

struct kernel_param {
	const char *module, *name;	/* counter_lab, workers */
	const struct kernel_param_ops *ops;
	void *arg;			/* the variable */
	unsigned short perm;
};

struct kernel_param_desc {
	const char *module, *name, *text;
};

#define __PARAM_OPS(type)                                                 \
	extern const struct kernel_param_ops param_ops_##type;            \
	int param_set_##type(const char *val, const struct kernel_param *kp); \
	int param_get_##type(char *buf, size_t size, const struct kernel_param *kp)
__PARAM_OPS(int);
__PARAM_OPS(uint);
__PARAM_OPS(long);
__PARAM_OPS(ulong);
__PARAM_OPS(short);
__PARAM_OPS(ushort);
__PARAM_OPS(byte);
__PARAM_OPS(bool);
__PARAM_OPS(invbool);
__PARAM_OPS(charp);
#undef __PARAM_OPS

/* The C type each parameter type stands for, checked at compile time. */
#define __param_type_int	int
#define __param_type_uint	unsigned int
#define __param_type_long	long
#define __param_type_ulong	unsigned long
#define __param_type_short	short
#define __param_type_ushort	unsigned short
#define __param_type_byte	unsigned char
#define __param_type_bool	bool
#define __param_type_invbool	bool
#define __param_type_charp	char *
/* `bool` is a macro here (<stdbool.h>), a type in Linux: by the time
 * module_param(x, bool, ...) reaches the token pasting it reads _Bool. */
#define __param_type__Bool	bool
#define param_ops__Bool		param_ops_bool

#define module_param_cb(pname, ops_, arg_, perm_)                         \
	static const struct kernel_param __param_##pname                  \
		__used __section("module_params") __aligned(8) =          \
		{ KBUILD_MODNAME, #pname, (ops_), (arg_), (perm_) };      \
	CMDLINE_OPTION(KBUILD_MODNAME "." #pname, "a parameter of module " KBUILD_MODNAME)

#define module_param_named(pname, value, type, perm)                      \
	static __param_type_##type *__param_check_##pname __maybe_unused = &(value); \
	module_param_cb(pname, &param_ops_##type, &(value), perm)
#define module_param(name, type, perm) module_param_named(name, name, type, perm)

/* What a parameter means, for modinfo (before or after module_param). */
#define MODULE_PARM_DESC(pname, text)                                     \
	static const struct kernel_param_desc __param_text_##pname        \
		__used __section("module_param_descs") __aligned(8) =     \
		{ KBUILD_MODNAME, #pname, (text) }

/* Module information: kept for modinfo, no effect. */
#define __MODULE_INFO(tag, text) \
	static const char __concat(__modinfo_##tag##_, __COUNTER__)[] __used \
		__section("modinfo") = KBUILD_MODNAME "." #tag "=" text
#define MODULE_LICENSE(s)	__MODULE_INFO(license, s)
#define MODULE_AUTHOR(s)	__MODULE_INFO(author, s)
#define MODULE_DESCRIPTION(s)	__MODULE_INFO(description, s)
#define MODULE_VERSION(s)	__MODULE_INFO(version, s)
#define MODULE_ALIAS(s)		__MODULE_INFO(alias, s)
#define MODULE_SOFTDEP(s)	__MODULE_INFO(softdep, s)

/* ---- the registry (kernel/module.c) ---- */

enum module_state { MODULE_STATE_UNLOADED, MODULE_STATE_LIVE, MODULE_STATE_FAILED,
		    MODULE_STATE_COMING, MODULE_STATE_GOING };

/*
 * A loadable module's record (Linux's struct module), one per module,
 * kept outside the module's own memory. THIS_MODULE (<linux/module.h>)
 * is its address in the module's code, NULL in built-in code.
 */
struct module {
	const char *name;
	char *text_start, *text_end;	/* its pages, from linker.ld */
	char *data_start, *data_end;	/* .data then .bss */
	char *percpu_start, *percpu_end;	/* its part of the per-CPU template */
	void *data_image;		/* the data as linked: each load's copy */
	atomic_t refcnt;		/* live: 1 + its users; 0 otherwise */
	int state;			/* enum module_state */
};

/* The generated table (tools/genmodules.sh) defines each record. */
#define DEFINE_MODULE_MEMORY(sym)                                            \
	extern char __modtext_##sym##_start[], __modtext_##sym##_end[],      \
		__moddata_##sym##_start[], __moddata_##sym##_end[],          \
		__modpercpu_##sym##_start[], __modpercpu_##sym##_end[];      \
	struct module __module_##sym __used __section("module_structs") __aligned(8) = { \
		.name = #sym,                                                \
		.text_start = __modtext_##sym##_start, .text_end = __modtext_##sym##_end, \
		.data_start = __moddata_##sym##_start, .data_end = __moddata_##sym##_end, \
		.percpu_start = __modpercpu_##sym##_start,                   \
		.percpu_end = __modpercpu_##sym##_end,                       \
	}

/*
 * Users of a module, as in Linux: try_module_get() takes a reference if
 * the module is live (true; always true for NULL, built-in code) and
 * fails once it is going away; module_put() drops one; while any is
 * held, rmmod refuses (-EWOULDBLOCK: "in use"). Any context.
 */
bool try_module_get(struct module *m);
void __module_get(struct module *m);
void module_put(struct module *m);
int module_refcount(struct module *m);
/* A loadable module's record by name (NULL: none, or built in). */
struct module *find_module(const char *name);
/* module_put(m), then kthread_exit(code): how a module thread that held
 * a reference on its module ends (Linux's; the macro in
 * <linux/module.h> passes THIS_MODULE). */
__noreturn void __module_put_and_kthread_exit(struct module *m, long code);
/* "Modules linked in: a b [last unloaded: c]", as Linux's oopses say. */
void print_modules(void);
/* Whose memory is addr in? The loadable module's name (NULL if none);
 * *loaded says whether it is loaded now. For fault reports. */
const char *module_address_owner(uintptr_t addr, bool *loaded);

/* Load: set command-line parameters, then `args` ("p=v p2=v2"), then
 * run the init. 0, -ENOENT (no such module), -EEXIST (loaded), -EINVAL
 * (a bad parameter: nothing run), or what the init returned. */
int load_module(const char *name, const char *args);
/* Run the exit and take the module's memory away. 0, -ENOENT, -EINVAL
 * (not loaded), -EPERM (built in: as in Linux, it cannot be removed),
 * -EWOULDBLOCK (in use: module_refcount() > 0), -EBUSY (no exit). */
int unload_module(const char *name);
enum module_state module_state(const char *name);
/* A loaded loadable module's users (module_refcount()), -1 otherwise. */
int module_users(const char *name);
/* Every module, for lsmod: fn(name, state, loadable, arg) */
void for_each_module(void (*fn)(const char *name, enum module_state st,
				bool loadable, void *arg), void *arg);
/* Its parameters and their values, for modinfo. */
void module_print_params(const char *name);
