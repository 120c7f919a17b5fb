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
 */
#include "kernel/module.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "sync/mutex.h"

#define MAX_MODULES 64
#define MAX_OWNED_STRINGS 64
#define MAX_PARAMS 128

extern const struct module_entry __start_module_entries[], __stop_module_entries[];
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
};

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

static void params_to_defaults(const char *module)
{
	int i = 0;

	for (const struct kernel_param *p = __start_module_params;
	     p < __stop_module_params && i < MAX_PARAMS; p++, i++)
		if (strcmp(p->module, module) == 0 && param_default[i][0])
			p->ops->set(param_default[i], p);
}

static int start(struct module_rec *m, const char *args)
{
	if (m->state != MODULE_STATE_UNLOADED || m->ran_before)
		params_to_defaults(m->name);
	m->ran_before = true;
	if (params_from_cmdline(m->name))
		return -EINVAL;
	copy_charp = true;
	int err = params_from_args(m->name, args);
	copy_charp = false;
	if (err)
		return err;
	int ret = m->init ? m->init() : 0;
	m->state = ret ? MODULE_STATE_FAILED : MODULE_STATE_LIVE;
	if (ret)
		printk(KERN_WARNING "%s: init failed: %d\n", m->name, ret);
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
	else if (m->state != MODULE_STATE_LIVE)
		ret = -EINVAL;
	else if (!m->exit)
		ret = -EBUSY;		/* as Linux: no exit, no unloading */
	else {
		m->exit();
		m->state = MODULE_STATE_UNLOADED;
	}
	mutex_unlock(&module_mutex);
	return ret;
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

	for (const struct kernel_param *p = __start_module_params;
	     p < __stop_module_params; p++) {
		if (strcmp(p->module, name) != 0)
			continue;
		const char *text = "";
		for (const struct kernel_param_desc *d = __start_module_param_descs;
		     d < __stop_module_param_descs; d++)
			if (strcmp(d->module, name) == 0 && strcmp(d->name, p->name) == 0)
				text = d->text;
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
