/*
 * cmdline.h - the kernel command line.
 *
 * The boot loader hands us one string such as
 *
 *     smp.max=4 counter.workers=4 test=sched.* poweroff
 *
 * cmdline_parse() splits it once at boot; modules then read their own
 * options through the typed getters below. Every module declares the
 * options it reads with CMDLINE_OPTION() so that cmdline_check_unknown()
 * can point out typos and cmdline_print_help() can list them.
 */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX 1024	/* bytes kept, including the final NUL */
#define CMDLINE_MAX_OPTS 64	/* distinct options kept */
#define CMDLINE_KEY_MAX 63	/* longest accepted key */

/* A declared option; lives in the "cmdline_options" linker section. */
struct cmdline_option {
	const char *key;
	const char *help;
};

#define CMDLINE_CONCAT_(a, b) a##b
#define CMDLINE_CONCAT(a, b) CMDLINE_CONCAT_(a, b)

/*
 * Declare an option read by this module, at file scope:
 *
 *     CMDLINE_OPTION("smp.max", "max number of CPUs to start");
 *
 * A key "name.*" declares every key that starts with "name." (a module
 * that checks its own keys, with cmdline_for_each()).
 *
 * The linker gathers all of them into one array bounded by
 * __start_cmdline_options / __stop_cmdline_options. aligned(8) keeps
 * the entries packed back to back, without padding between them.
 */
#define CMDLINE_OPTION(key_, help_)                                        \
	static const struct cmdline_option                                 \
		CMDLINE_CONCAT(cmdline_option_, __COUNTER__)               \
		__attribute__((used, section("cmdline_options"), aligned(8))) \
		= { (key_), (help_) }

/*
 * Parse a new command line (NULL counts as empty). Forgets everything
 * from a previous call. Problems are reported through cmdline_warn().
 */
void cmdline_parse(const char *s);

/*
 * Typed getters. Each marks the option as used. A missing option gives
 * back def silently; a present but unusable one gives back def with a
 * warning. Strings returned point into a static buffer that stays valid
 * until the next cmdline_parse().
 */
long long cmdline_get_int(const char *key, long long def, long long min,
			  long long max);
bool cmdline_get_bool(const char *key, bool def);
const char *cmdline_get_str(const char *key, const char *def);
bool cmdline_has(const char *key);

/* Has a getter (or cmdline_has) asked for this key? Does not mark it. */
bool cmdline_is_used(const char *key);

/*
 * Call fn(key, value, arg) for every option whose key starts with prefix,
 * in command-line order, marking each as used. value is NULL for a bare
 * flag ("pin"), "" for "pin=".
 */
void cmdline_for_each(const char *prefix,
		      void (*fn)(const char *key, const char *value, void *arg), void *arg);

/* Number of distinct options kept. */
int cmdline_count(void);

/* The command line as copied (possibly truncated), for printing at boot. */
const char *cmdline_raw(void);

/* Warn once about each given option that no module declared. */
void cmdline_check_unknown(void);

/* List every declared option with its help text via cmdline_print(). */
void cmdline_print_help(void);

/*
 * Output hooks, NOT defined by cmdline.c: the kernel implements them on
 * top of printk, host tests record the text. Each format already ends
 * with "\n" and only uses %s, %lld, %d and %u, so the kernel can forward
 * it to its printk as is.
 */
__attribute__((format(printf, 1, 2))) void cmdline_warn(const char *fmt, ...);
__attribute__((format(printf, 1, 2))) void cmdline_print(const char *fmt, ...);
