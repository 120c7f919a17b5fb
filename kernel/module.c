/*
 * module.c - the module registry (contract in module.h).
 *
 * The linker gathers three tables from the module files: module_init()
 * and module_exit() entries (one module = one name, from its file),
 * parameters, and their descriptions. At boot the entries are folded
 * into one record per module; built-in modules are then initialized at
 * the device initcall level, loadable ones when asked. Loading sets the
 * parameters from the command line (name.param=value), then from the
 * caller's arguments, then runs the init; one module at a time
 * (module_mutex), as Linux's module loader.
 *
 * A loadable module's memory (struct module: its text pages and its data
 * pages, linker.ld) is what Linux would allocate at insmod and free at
 * rmmod. At boot its data is saved as linked, and both are unmapped: the
 * module is not there. Loading maps them and copies the saved data back
 * (a fresh copy: static variables as compiled, .bss zero); unloading runs
 * the exit and unmaps them, every CPU's TLB included, so that anything it
 * left behind faults at its next touch, and the fault names the module.
 * Its users are counted as in Linux: refcnt is 1 + users while it is
 * live, and rmmod takes it from 1 to 0 in one step or refuses.
 */
#include "kernel/debugobjects.h"
#include "kernel/module.h"
#include "kernel/errno.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "arch/x86/paging.h"
#include "sync/mutex.h"
#include "sync/percpu.h"
#include "sched/sched.h"

#define MAX_MODULES 64
#define MAX_OWNED_STRINGS 64
#define MAX_PARAMS 128

extern const struct module_entry __start_module_entries[], __stop_module_entries[];
extern struct module __start_module_structs[], __stop_module_structs[];
extern const struct kernel_param __start_module_params[], __stop_module_params[];
extern const struct kernel_param_desc __start_module_param_descs[],
	__stop_module_param_descs[];

struct module_rec {
	const char *name;
	int (*init)(void);
	void (*exit)(void);
	bool loadable;
	enum module_state state;
	bool ran_before;
	struct module *mod;		/* a loadable module's memory, or NULL */
};

static const char *last_unloaded;

static struct module_rec modules[MAX_MODULES];
static int nr_modules;
/* Each parameter's value as compiled in: a module loaded again starts
 * from these, as a fresh copy would in Linux (its other static data does
 * not: it keeps what the last run left). */
static char param_default[MAX_PARAMS][64];
static DEFINE_MUTEX(module_mutex);

CMDLINE_OPTION("modules-load", "modules-load=a,b: load these loadable modules at boot");
CMDLINE_OPTION("modules_load", "the same as modules-load=");

/* ---- parameter types ---- */

#define STDINT_PARAM(type, ctype, parse, ptype, fmt)                      \
int param_set_##type(const char *val, const struct kernel_param *kp)     \
{                                                                         \
	ptype v;                                                          \
	if (!val || parse(val, 0, &v) || (ptype)(ctype)v != v)            \
		return -EINVAL;                                           \
	*(ctype *)kp->arg = (ctype)v;                                     \
	return 0;                                                         \
}                                                                         \
int param_get_##type(char *buf, size_t size, const struct kernel_param *kp) \
{                                                                         \
	return scnprintf(buf, size, fmt, *(ctype *)kp->arg);              \
}                                                                         \
const struct kernel_param_ops param_ops_##type = {                        \
	.set = param_set_##type, .get = param_get_##type,                 \
}

STDINT_PARAM(int, int, kstrtoll, long long, "%d");
STDINT_PARAM(short, short, kstrtoll, long long, "%d");
STDINT_PARAM(long, long, kstrtoll, long long, "%ld");
STDINT_PARAM(uint, unsigned int, kstrtoull, unsigned long long, "%u");
STDINT_PARAM(ushort, unsigned short, kstrtoull, unsigned long long, "%u");
STDINT_PARAM(byte, unsigned char, kstrtoull, unsigned long long, "%u");
STDINT_PARAM(ulong, unsigned long, kstrtoull, unsigned long long, "%lu");

/* A bare `name.flag` means true, as for any boolean option. */
int param_set_bool(const char *val, const struct kernel_param *kp)
{
	bool v = true;

	if (val && kstrtobool(val, &v))
		return -EINVAL;
	*(bool *)kp->arg = v;
	return 0;
}

int param_get_bool(char *buf, size_t size, const struct kernel_param *kp)
{
	return scnprintf(buf, size, "%c", *(bool *)kp->arg ? 'Y' : 'N');
}

const struct kernel_param_ops param_ops_bool = {
	.set = param_set_bool, .get = param_get_bool,
};

int param_set_invbool(const char *val, const struct kernel_param *kp)
{
	bool v = true;

	if (val && kstrtobool(val, &v))
		return -EINVAL;
	*(bool *)kp->arg = !v;
	return 0;
}

int param_get_invbool(char *buf, size_t size, const struct kernel_param *kp)
{
	return scnprintf(buf, size, "%c", *(bool *)kp->arg ? 'N' : 'Y');
}

const struct kernel_param_ops param_ops_invbool = {
	.set = param_set_invbool, .get = param_get_invbool,
};

/*
 * charp: the variable points at the value. Values from the command line
 * stay where they are; those from insmod are copied, and the copy made
 * for a parameter is freed when the next one replaces it.
 */
static struct { const struct kernel_param *kp; char *copy; } owned[MAX_OWNED_STRINGS];
static bool copy_charp;		/* set while load_module() applies its args */

int param_set_charp(const char *val, const struct kernel_param *kp)
{
	char *v = (char *)(val ? val : "");
	int mine = -1, free_slot = -1;

	for (int i = 0; i < MAX_OWNED_STRINGS; i++) {
		if (owned[i].kp == kp)
			mine = i;
		else if (!owned[i].kp && free_slot < 0)
			free_slot = i;
	}
	if (copy_charp) {
		int slot = mine >= 0 ? mine : free_slot;
		if (slot < 0 || !(v = kstrdup(v, GFP_KERNEL)))
			return -ENOMEM;
		if (mine >= 0)
			kfree(owned[mine].copy);
		owned[slot].kp = kp;
		owned[slot].copy = v;
	} else if (mine >= 0) {
		kfree(owned[mine].copy);
		owned[mine].kp = NULL;
		owned[mine].copy = NULL;
	}
	*(char **)kp->arg = v;
	return 0;
}

int param_get_charp(char *buf, size_t size, const struct kernel_param *kp)
{
	const char *v = *(char **)kp->arg;

	return scnprintf(buf, size, "%s", v ? v : "(null)");
}

const struct kernel_param_ops param_ops_charp = {
	.set = param_set_charp, .get = param_get_charp,
};

/* ---- a loadable module's memory ---- */

static void map_module(struct module *m)
{
	for (char *p = m->text_start; p < m->text_end; p += PAGE_SIZE)
		map_page((uintptr_t)p, virt_to_phys(p), PAGE_KERNEL_RX);
	for (char *p = m->data_start; p < m->data_end; p += PAGE_SIZE)
		map_page((uintptr_t)p, virt_to_phys(p), PAGE_KERNEL_RW);
	/* A fresh copy: the data as linked, the .bss zero, and each CPU's
	 * copy of its per-CPU variables as in the template. */
	memcpy(m->data_start, m->data_image, (size_t)(m->data_end - m->data_start));
	size_t pcpu = (size_t)(m->percpu_end - m->percpu_start);
	int cpu;
	for_each_online_cpu(cpu)
		if (pcpu)
			memcpy(m->percpu_start + __per_cpu_offset[cpu], m->percpu_start, pcpu);
}

static void unmap_module(struct module *m)
{
	/* A timer or work item of the module's, still armed: it would run
	 * code that is gone (Linux checks this as the memory is freed). */
	debug_check_no_obj_freed(m->data_start, m->data_end - m->data_start);
	for (char *p = m->text_start; p < m->text_end; p += PAGE_SIZE)
		unmap_page((uintptr_t)p);
	for (char *p = m->data_start; p < m->data_end; p += PAGE_SIZE)
		unmap_page((uintptr_t)p);
	flush_tlb_kernel_range((uintptr_t)m->text_start, (uintptr_t)m->text_end);
	flush_tlb_kernel_range((uintptr_t)m->data_start, (uintptr_t)m->data_end);
}

bool try_module_get(struct module *m)
{
	return !m || atomic_inc_not_zero(&m->refcnt);
}

void __module_get(struct module *m)
{
	if (m)
		atomic_inc(&m->refcnt);
}

void module_put(struct module *m)
{
	if (m)
		WARN(atomic_dec_return(&m->refcnt) < 0, "module_put: %s: more puts than gets\n",
		     m->name);
}

__noreturn void __module_put_and_kthread_exit(struct module *m, long code)
{
	module_put(m);
	kthread_exit((int)code);
}

int module_refcount(struct module *m)
{
	return m ? MAX(atomic_read(&m->refcnt) - 1, 0) : 0;
}

const char *module_address_owner(uintptr_t addr, bool *loaded)
{
	for (struct module *m = __start_module_structs; m < __stop_module_structs; m++)
		if ((addr >= (uintptr_t)m->text_start && addr < (uintptr_t)m->text_end) ||
		    (addr >= (uintptr_t)m->data_start && addr < (uintptr_t)m->data_end)) {
			*loaded = READ_ONCE(m->state) == MODULE_STATE_LIVE ||
				  READ_ONCE(m->state) == MODULE_STATE_COMING ||
				  READ_ONCE(m->state) == MODULE_STATE_GOING;
			return m->name;
		}
	return NULL;
}

void print_modules(void)
{
	char line[256];
	size_t len = scnprintf(line, sizeof(line), "Modules linked in:");

	for (struct module *m = __start_module_structs; m < __stop_module_structs; m++)
		if (READ_ONCE(m->state) == MODULE_STATE_LIVE)
			len += scnprintf(line + len, sizeof(line) - len, " %s", m->name);
	if (READ_ONCE(last_unloaded))
		len += scnprintf(line + len, sizeof(line) - len, " [last unloaded: %s]",
				 last_unloaded);
	printk(KERN_EMERG "%s\n", line);
}

/* ---- the registry ---- */

static struct module_rec *find(const char *name)
{
	for (int i = 0; i < nr_modules; i++)
		if (strcmp(modules[i].name, name) == 0)
			return &modules[i];
	return NULL;
}

static const struct kernel_param *find_param(const char *module, const char *name)
{
	for (const struct kernel_param *p = __start_module_params;
	     p < __stop_module_params; p++)
		if (strcmp(p->module, module) == 0 && strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

static int set_param(const char *module, const char *name, const char *val)
{
	const struct kernel_param *kp = find_param(module, name);

	if (!kp) {
		printk(KERN_WARNING "%s: unknown parameter '%s' ignored\n", module, name);
		return -ENOENT;
	}
	int err = kp->ops->set(val, kp);
	if (err)
		printk(KERN_WARNING "%s: bad value '%s' for parameter '%s' (%d)\n",
		       module, val ? val : "", name, err);
	return err;
}

struct cmdline_walk {
	const char *module;
	size_t len;
	int errors;
};

static void set_from_cmdline(const char *key, const char *value, void *arg)
{
	struct cmdline_walk *w = arg;

	if (set_param(w->module, key + w->len + 1, value))
		w->errors++;
}

/* name.param=value from the boot command line, as Linux does for built-in
 * modules (and modprobe for loadable ones). */
static int params_from_cmdline(const char *module)
{
	char prefix[72];
	struct cmdline_walk w = { .module = module };

	w.len = (size_t)snprintf(prefix, sizeof(prefix), "%s.", module) - 1;
	cmdline_for_each(prefix, set_from_cmdline, &w);
	return w.errors;
}

/* "p=v p2=v2": each set, or stop at the first bad one. */
static int params_from_args(const char *module, const char *args)
{
	char buf[256], *p = buf;

	if (strlcpy(buf, args ? args : "", sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		char *tok = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = 0;
		char *eq = strchr(tok, '=');
		if (eq)
			*eq = 0;
		if (set_param(module, tok, eq ? eq + 1 : NULL))
			return -EINVAL;
	}
	return 0;
}

/* The copies insmod made for a module's charp parameters, freed: the
 * module is gone (its variables with it). */
static void params_release(const char *module)
{
	for (int i = 0; i < MAX_OWNED_STRINGS; i++)
		if (owned[i].kp && strcmp(owned[i].kp->module, module) == 0) {
			kfree(owned[i].copy);
			owned[i].kp = NULL;
			owned[i].copy = NULL;
		}
}

static void params_to_defaults(const char *module)
{
	int i = 0;

	for (const struct kernel_param *p = __start_module_params;
	     p < __stop_module_params && i < MAX_PARAMS; p++, i++)
		if (strcmp(p->module, module) == 0 && param_default[i][0])
			p->ops->set(param_default[i], p);
}

/* A loadable module's memory, gone: it is not loaded. */
static void module_gone(struct module_rec *m)
{
	params_release(m->name);
	if (m->mod) {
		/* Not loaded from now on: a fault in its memory (even one
		 * the unmapping itself meets) says so. */
		WRITE_ONCE(m->mod->state, MODULE_STATE_UNLOADED);
		unmap_module(m->mod);
	}
}

static int start(struct module_rec *m, const char *args)
{
	if (m->mod) {
		map_module(m->mod);		/* fresh: its parameters too */
	} else if (m->state != MODULE_STATE_UNLOADED || m->ran_before) {
		params_to_defaults(m->name);
	}
	m->ran_before = true;
	int err = params_from_cmdline(m->name) ? -EINVAL : 0;
	if (!err) {
		copy_charp = true;
		err = params_from_args(m->name, args);
		copy_charp = false;
	}
	if (err) {
		if (m->mod)
			module_gone(m);
		return err;
	}
	if (m->mod) {
		atomic_set(&m->mod->refcnt, 1);		/* live: try_module_get() works */
		WRITE_ONCE(m->mod->state, MODULE_STATE_COMING);
	}
	int ret = m->init ? m->init() : 0;
	m->state = ret ? MODULE_STATE_FAILED : MODULE_STATE_LIVE;
	if (ret) {
		printk(KERN_WARNING "%s: init failed: %d\n", m->name, ret);
		if (m->mod) {
			atomic_set(&m->mod->refcnt, 0);
			module_gone(m);		/* as Linux frees it */
		}
	} else if (m->mod) {
		WRITE_ONCE(m->mod->state, MODULE_STATE_LIVE);
	}
	return ret;
}

int load_module(const char *name, const char *args)
{
	int ret;

	mutex_lock(&module_mutex);
	struct module_rec *m = find(name);
	if (!m)
		ret = -ENOENT;
	else if (m->state == MODULE_STATE_LIVE)
		ret = -EEXIST;
	else
		ret = start(m, args);
	mutex_unlock(&module_mutex);
	return ret;
}

int unload_module(const char *name)
{
	int ret = 0;

	mutex_lock(&module_mutex);
	struct module_rec *m = find(name);
	if (!m)
		ret = -ENOENT;
	else if (!m->loadable)
		ret = -EPERM;		/* as Linux: built-in code stays */
	else if (m->state != MODULE_STATE_LIVE)
		ret = -EINVAL;
	else if (!m->exit)
		ret = -EBUSY;		/* as Linux: no exit, no unloading */
	else if (m->mod && atomic_cmpxchg(&m->mod->refcnt, 1, 0) != 1)
		ret = -EWOULDBLOCK;	/* in use: try_module_get() holders */
	else {
		if (m->mod)
			WRITE_ONCE(m->mod->state, MODULE_STATE_GOING);
		m->exit();
		m->state = MODULE_STATE_UNLOADED;
		WRITE_ONCE(last_unloaded, m->name);
		module_gone(m);
	}
	mutex_unlock(&module_mutex);
	return ret;
}

struct module *find_module(const char *name)
{
	struct module_rec *m = find(name);

	return m ? m->mod : NULL;
}

int module_users(const char *name)
{
	struct module_rec *m = find(name);

	return m && m->mod && m->state == MODULE_STATE_LIVE ? module_refcount(m->mod) : -1;
}

enum module_state module_state(const char *name)
{
	struct module_rec *m = find(name);

	return m ? m->state : MODULE_STATE_UNLOADED;
}

void for_each_module(void (*fn)(const char *, enum module_state, bool, void *), void *arg)
{
	for (int i = 0; i < nr_modules; i++)
		fn(modules[i].name, modules[i].state, modules[i].loadable, arg);
}

void module_print_params(const char *name)
{
	char val[64];
	struct module_rec *m = find(name);
	/* A loadable module not loaded has no variables to read: its
	 * parameters are what it was compiled with. */
	bool absent = m && m->mod && m->state != MODULE_STATE_LIVE;
	int i = 0;

	for (const struct kernel_param *p = __start_module_params;
	     p < __stop_module_params; p++, i++) {
		if (strcmp(p->module, name) != 0)
			continue;
		const char *text = "";
		for (const struct kernel_param_desc *d = __start_module_param_descs;
		     d < __stop_module_param_descs; d++)
			if (strcmp(d->module, name) == 0 && strcmp(d->name, p->name) == 0)
				text = d->text;
		if (absent)
			strlcpy(val, i < MAX_PARAMS ? param_default[i] : "?", sizeof(val));
		else
			p->ops->get(val, sizeof(val), p);
		printk(KERN_INFO "  %s.%s=%s  %s\n", name, p->name, val, text);
	}
}

/* ---- at boot ---- */

/* Fold the init and exit entries into one record per module; note each
 * parameter's compiled-in value. */
static int module_setup(void)
{
	int i = 0;

	for (const struct kernel_param *p = __start_module_params;
	     p < __stop_module_params && i < MAX_PARAMS; p++, i++) {
		/* "(null)" would become the string "(null)": keep NULL. */
		if (p->ops != &param_ops_charp || *(char **)p->arg)
			p->ops->get(param_default[i], sizeof(param_default[i]), p);
	}
	for (const struct module_entry *e = __start_module_entries;
	     e < __stop_module_entries; e++) {
		struct module_rec *m = find(e->name);
		if (!m) {
			if (nr_modules == MAX_MODULES) {
				printk(KERN_ERR "module: more than %d modules: %s ignored\n",
				       MAX_MODULES, e->name);
				continue;
			}
			m = &modules[nr_modules++];
			m->name = e->name;
		}
		m->init = e->init ? e->init : m->init;
		m->exit = e->exit ? e->exit : m->exit;
		m->loadable |= e->loadable;
	}
	/* Each loadable module's memory: keep its data as linked, then take
	 * it all away until it is loaded. */
	for (struct module *mod = __start_module_structs; mod < __stop_module_structs; mod++) {
		struct module_rec *m = find(mod->name);
		size_t size = (size_t)(mod->data_end - mod->data_start);
		if (!m || !m->loadable) {
			printk(KERN_ERR "module: %s has memory but no loadable module_init()\n",
			       mod->name);
			continue;
		}
		mod->data_image = kmalloc(size ? size : 1, GFP_KERNEL);
		if (!mod->data_image)
			panic("module: no memory to keep %s's data", mod->name);
		memcpy(mod->data_image, mod->data_start, size);
		m->mod = mod;
		unmap_module(mod);
	}
	return 0;
}
core_initcall(module_setup);

/* Built-in modules start with the drivers, as in Linux. */
static int init_builtin_modules(void)
{
	int failed = 0;

	for (int i = 0; i < nr_modules; i++)
		if (!modules[i].loadable)
			failed += load_module(modules[i].name, NULL) != 0;
	return failed ? -EIO : 0;
}
device_initcall(init_builtin_modules);

static void load_list(const char *key)
{
	char names[256], *p = names;

	if (!cmdline_has(key))
		return;
	strlcpy(names, cmdline_get_str(key, ""), sizeof(names));
	while (p && *p) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = 0;
		int err = load_module(p, NULL);
		if (err)
			printk(KERN_WARNING "modules-load: %s: %s (%d)\n", p,
			       err == -ENOENT ? "no such module" : "failed", err);
		p = comma ? comma + 1 : NULL;
	}
}

/* modules-load=a,b (systemd's spelling, read from the command line). */
static int load_requested_modules(void)
{
	load_list("modules-load");
	load_list("modules_load");
	return 0;
}
late_initcall(load_requested_modules);
