/*
 * counter_opts.c - the counter experiment's options, at boot and in the
 * shell: one key table.
 *
 *   boot:  counter.workers=8 counter.modes=mutex,spinlock
 *   shell: counter workers=8 modes=mutex,spinlock
 *
 * Both go through counter_opt_set(), which finds the key in the table,
 * checks the value and stores it into struct counter_opts, with the same
 * messages either way. A bad value at boot is reported and ignored (the
 * boot goes on with the default); in the shell the command is refused.
 */
#include "lab/counter.h"
#include "lab/shell.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/init.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"

enum key_type { KEY_NUM, KEY_BOOL, KEY_MODES };

struct counter_key {
	const char *name;
	enum key_type type;
	size_t offset;			/* of the field in struct counter_opts */
	long min, max;			/* KEY_NUM */
	const char *help;
};

#define OPT(field) offsetof(struct counter_opts, field)

static const struct counter_key counter_keys[] = {
	{ "modes", KEY_MODES, OPT(modes), 0, 0,
	  "a list, or all (default: " COUNTER_DEFAULT_MODES ")" },
	{ "workers", KEY_NUM, OPT(workers), 1, COUNTER_MAX_WORKERS,
	  "worker threads W (default: online CPUs, at least 2)" },
	{ "iters", KEY_NUM, OPT(iters), 1, 1L << 32,
	  "iterations per worker I (default: total / W)" },
	{ "total", KEY_NUM, OPT(total), 1, 1L << 34,
	  "W*I, when iters is not given (default 2^24, the grid's too)" },
	{ "pin", KEY_BOOL, OPT(pin), 0, 0, "1: bind worker i to the i-th online CPU" },
	{ "repeat", KEY_NUM, OPT(repeat), 1, COUNTER_MAX_REPEAT,
	  "report the median of K runs per mode" },
	{ "grid", KEY_BOOL, OPT(grid), 0, 0, "1: the lab's grid, W = 16, 8, 4, 2 with W*I = total" },
	{ "bh", KEY_BOOL, OPT(bh), 0, 0,
	  "1: a timer on each CPU also adds to the counter, in softirq context" },
	{ "decrement", KEY_BOOL, OPT(decrement), 0, 0,
	  "1: odd-numbered workers subtract 1 (the seed lab's way): lost increments and "
	  "decrements then cancel, so the lost count is only a lower bound" },
	{ "trace", KEY_NUM, OPT(trace), 0, 2,
	  "1: trace each mode (switches, wake-ups, lock waits) and dump it: `make trace` "
	  "draws it; 2: every lock operation too (the ring fills in milliseconds)" },
};

CMDLINE_OPTION("counter", "counter=0 skips the counter experiment at boot");
CMDLINE_OPTION("counter.*", "the experiment's options: modes= workers= iters= total= "
	       "pin= repeat= grid= bh= decrement= trace= (the shell's `counter help` explains them)");

void counter_opts_init(struct counter_opts *o)
{
	memset(o, 0, sizeof(*o));
	strlcpy(o->modes, COUNTER_DEFAULT_MODES, sizeof(o->modes));
	o->workers = MAX(num_online_cpus(), 2);
	o->repeat = 1;
}

static const struct counter_key *find_key(const char *name)
{
	for (unsigned i = 0; i < ARRAY_SIZE(counter_keys); i++)
		if (strcmp(counter_keys[i].name, name) == 0)
			return &counter_keys[i];
	return NULL;
}

static int set_num(struct counter_opts *o, const struct counter_key *k, const char *value)
{
	long long v;
	int err = value ? kstrtoll(value, 0, &v) : -EINVAL;

	if (err == -EINVAL) {
		printk(KERN_WARNING "counter: option 'counter.%s=%s' is not a number: ignored\n",
		       k->name, value ? value : "");
		return -EINVAL;
	}
	if (err || v < k->min || v > k->max) {
		printk(KERN_WARNING "counter: option 'counter.%s=%s' is out of range [%ld, %ld]: "
		       "ignored\n", k->name, value, k->min, k->max);
		return -EINVAL;
	}
	*(long *)((char *)o + k->offset) = (long)v;
	return 0;
}

static int set_bool(struct counter_opts *o, const struct counter_key *k, const char *value)
{
	bool v = true;				/* a bare `pin` switches it on */

	if (value && kstrtobool(value, &v)) {
		printk(KERN_WARNING "counter: option 'counter.%s=%s' is not a boolean "
		       "(1/0, y/n, on/off): ignored\n", k->name, value);
		return -EINVAL;
	}
	*(bool *)((char *)o + k->offset) = v;
	return 0;
}

static int set_modes(struct counter_opts *o, const char *value)
{
	if (!value || !*value || strlen(value) >= sizeof(o->modes)) {
		printk(KERN_WARNING "counter: option 'counter.modes' needs a list of at most "
		       "%zu characters: ignored\n", sizeof(o->modes) - 1);
		return -EINVAL;
	}
	strlcpy(o->modes, value, sizeof(o->modes));
	return 0;
}

int counter_opt_set(struct counter_opts *o, const char *key, const char *value)
{
	const char *name = strncmp(key, "counter.", 8) == 0 ? key + 8 : key;
	const struct counter_key *k = find_key(name);

	if (!k) {
		char names[160];
		size_t len = 0;
		for (unsigned i = 0; i < ARRAY_SIZE(counter_keys); i++)
			len += scnprintf(names + len, sizeof(names) - len, "%s%s=",
					 i ? " " : "", counter_keys[i].name);
		printk(KERN_WARNING "counter: unknown option '%s%s%s' (options: %s)\n", key,
		       value ? "=" : "", value ? value : "", names);
		return -EINVAL;
	}
	switch (k->type) {
	case KEY_NUM:
		return set_num(o, k, value);
	case KEY_BOOL:
		return set_bool(o, k, value);
	default:
		return set_modes(o, value);
	}
}

/* ---- at boot ---- */

static void set_from_cmdline(const char *key, const char *value, void *o)
{
	counter_opt_set(o, key, value);		/* reported; the boot goes on */
}

void counter_opts_from_cmdline(struct counter_opts *o)
{
	counter_opts_init(o);
	cmdline_for_each("counter.", set_from_cmdline, o);
}

/* Booted without counter=0: the experiment, before the shell starts. */
static int counter_boot(void)
{
	struct counter_opts o;

	if (!cmdline_get_bool("counter", true))
		return 0;
	counter_opts_from_cmdline(&o);
	return counter_experiment(&o) ? -EIO : 0;
}
late_initcall_sync(counter_boot);

/* ---- in the shell ---- */

static void counter_help(void)
{
	const struct counter_mode *m;

	printk(KERN_INFO "usage: counter [KEY=VALUE]...  (or counter.KEY=VALUE at boot)\n");
	for (unsigned i = 0; i < ARRAY_SIZE(counter_keys); i++)
		printk(KERN_INFO "  %-8s %s\n", counter_keys[i].name, counter_keys[i].help);
	printk(KERN_INFO "modes:\n");
	for (int i = 0; (m = counter_mode_at(i)); i++)
		printk(KERN_INFO "  %-14s %s%s\n", m->name, m->what,
		       m->unprotected ? " [unprotected]" : "");
}

/* "counter workers=8 modes=mutex": set each, run only if all were good. */
static void cmd_counter(int argc, char **argv)
{
	struct counter_opts o;
	int bad = 0;

	if (argc == 2 && strcmp(argv[1], "help") == 0) {
		counter_help();
		return;
	}
	counter_opts_init(&o);
	for (int i = 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		if (eq)
			*eq = 0;
		bad |= counter_opt_set(&o, argv[i], eq ? eq + 1 : NULL);
		if (eq)
			*eq = '=';
	}
	if (bad) {
		printk(KERN_WARNING "counter: not run (`counter help` lists the options)\n");
		return;
	}
	counter_experiment(&o);
}
SHELL_COMMAND(counter, "[help | workers=W iters=I modes=a,b pin=1 ...]",
	      "rerun the counter experiment", cmd_counter);
