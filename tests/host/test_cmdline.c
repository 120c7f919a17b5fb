/*
 * test_cmdline.c - host tests for kernel/cmdline.c.
 *
 * cmdline.c reports problems through cmdline_warn()/cmdline_print(),
 * which the kernel backs with printk; here they record the text so the
 * tests can check exactly what a user would see on the console.
 */
#include "tests/host/htest.h"
#include "kernel/cmdline.h"
#include <stdarg.h>
#include <stdint.h>

CMDLINE_OPTION("smp.max", "max number of CPUs to start");
CMDLINE_OPTION("counter.workers", "worker threads for the counter test");
CMDLINE_OPTION("counter.modes", "comma-separated counter modes");
CMDLINE_OPTION("test", "glob of tests to run");
CMDLINE_OPTION("poweroff", "power off after the tests");
CMDLINE_OPTION("help", "list the known options");
CMDLINE_OPTION("lab.*", "every lab.KEY: the module checks its keys itself");
/* A second module reading the same key: help must list it once. */
CMDLINE_OPTION("smp.max", "max number of CPUs to start");

static char last_warning[512];
static char all_warnings[16384];
static int nwarnings;
static char printed[4096];

static void append(char *dst, size_t size, const char *fmt, va_list ap)
{
	size_t len = strlen(dst);

	if (len < size)
		vsnprintf(dst + len, size - len, fmt, ap);
}

void cmdline_warn(const char *fmt, ...)
{
	va_list ap;

	/* Never true; keeps gcc -O2 -fsanitize=undefined from a false alarm. */
	if (!fmt)
		return;
	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof(last_warning), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	append(all_warnings, sizeof(all_warnings), fmt, ap);
	va_end(ap);
	nwarnings++;
}

void cmdline_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	append(printed, sizeof(printed), fmt, ap);
	va_end(ap);
}

static void clear_output(void)
{
	last_warning[0] = '\0';
	all_warnings[0] = '\0';
	printed[0] = '\0';
	nwarnings = 0;
}

/* Parse with a clean warning log, so each test sees only its own. */
static void parse(const char *s)
{
	clear_output();
	cmdline_parse(s);
}

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

HTEST(cmdline_normal_parse)
{
	const char *line = "smp.max=4 counter.workers=4 test=sched.* poweroff "
			   "counter.modes=none,atomic";

	parse(line);
	CHECK_EQ(nwarnings, 0);
	CHECK_EQ(cmdline_count(), 5);
	CHECK_STR(cmdline_raw(), line);
	CHECK_EQ(cmdline_get_int("smp.max", 1, 1, 64), 4);
	CHECK_EQ(cmdline_get_int("counter.workers", 1, 1, 64), 4);
	CHECK_STR(cmdline_get_str("test", "all"), "sched.*");
	CHECK(cmdline_has("poweroff"));
	CHECK(cmdline_get_bool("poweroff", false));
	CHECK_STR(cmdline_get_str("counter.modes", ""), "none,atomic");
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_raw_keeps_spacing)
{
	parse("  a=1 \t b  ");
	CHECK_STR(cmdline_raw(), "  a=1 \t b  ");
	CHECK_EQ(cmdline_count(), 2);
}

HTEST(cmdline_tabs_and_newlines_separate)
{
	parse("\ta=1\t\tb=2  \n c\r\n");
	CHECK_EQ(nwarnings, 0);
	CHECK_EQ(cmdline_count(), 3);
	CHECK_EQ(cmdline_get_int("a", 0, 0, 9), 1);
	CHECK_EQ(cmdline_get_int("b", 0, 0, 9), 2);
	CHECK(cmdline_has("c"));
}

HTEST(cmdline_empty_null_and_blank)
{
	parse("");
	CHECK_EQ(cmdline_count(), 0);
	CHECK_STR(cmdline_raw(), "");
	parse(NULL);
	CHECK_EQ(cmdline_count(), 0);
	CHECK_STR(cmdline_raw(), "");
	parse("   \t  \t ");
	CHECK_EQ(cmdline_count(), 0);
	CHECK_EQ(nwarnings, 0);
	CHECK(!cmdline_has("x"));
	CHECK_EQ(cmdline_get_int("x", 3, 0, 9), 3);
	cmdline_check_unknown();
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_get_int_absent_gives_default_silently)
{
	parse("other=1");
	CHECK_EQ(cmdline_get_int("smp.max", 8, 1, 64), 8);
	CHECK_EQ(cmdline_get_int("smp.max", -1, -5, 5), -1);
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_get_int_range)
{
	parse("smp.max=100 lo=1 hi=64 neg=-3");
	CHECK_EQ(cmdline_get_int("smp.max", 4, 1, 64), 4);
	CHECK_EQ(nwarnings, 1);
	CHECK_STR(last_warning, "cmdline: option 'smp.max=100' is out of "
				"range [1, 64], using default 4\n");
	CHECK_EQ(cmdline_get_int("lo", 4, 1, 64), 1);
	CHECK_EQ(cmdline_get_int("hi", 4, 1, 64), 64);
	CHECK_EQ(cmdline_get_int("neg", 0, 0, 10), 0);
	CHECK(strstr(last_warning, "'neg=-3' is out of range [0, 10]"));
	CHECK_EQ(cmdline_get_int("neg", 0, -3, -3), -3);
	CHECK_EQ(nwarnings, 2);
}

HTEST(cmdline_get_int_malformed)
{
	static const char *const bad[] = {
		"n=abc", "n=5x", "n=0x", "n=0X", "n=--5", "n=-", "n=+",
		"n=", "n=0xg", "n=1.5", "n=1e3", "n=x10", "n=-+1", "n=0x-1",
		"n==5", "n=5=",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		parse(bad[i]);
		CHECK_EQ(cmdline_get_int("n", 7, -100, 100), 7);
		CHECK_EQ(nwarnings, 1);
		CHECK(strstr(last_warning, "is not a number, using default 7"));
		CHECK(strstr(last_warning, bad[i]));
	}
	parse("n=--5");
	cmdline_get_int("n", 7, -100, 100);
	CHECK_STR(last_warning, "cmdline: option 'n=--5' is not a number, "
				"using default 7\n");
}

HTEST(cmdline_get_int_bare_flag_is_not_a_number)
{
	parse("smp.max");
	CHECK_EQ(cmdline_get_int("smp.max", 2, 1, 64), 2);
	CHECK_STR(last_warning, "cmdline: option 'smp.max' is not a number, "
				"using default 2\n");
}

HTEST(cmdline_get_int_empty_value)
{
	parse("smp.max=");
	CHECK_EQ(cmdline_count(), 1);
	CHECK_EQ(cmdline_get_int("smp.max", 2, 1, 64), 2);
	CHECK_STR(last_warning, "cmdline: option 'smp.max=' is not a number, "
				"using default 2\n");
	CHECK_STR(cmdline_get_str("smp.max", "d"), "");
}

HTEST(cmdline_get_int_decimal_forms)
{
	parse("a=0 b=007 c=+7 d=-0 e=123456789");
	CHECK_EQ(cmdline_get_int("a", 1, -9, 9), 0);
	CHECK_EQ(cmdline_get_int("b", 1, -9, 9), 7);
	CHECK_EQ(cmdline_get_int("c", 1, -9, 9), 7);
	CHECK_EQ(cmdline_get_int("d", 1, -9, 9), 0);
	CHECK_EQ(cmdline_get_int("e", 1, 0, 1000000000), 123456789);
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_get_int_negative)
{
	parse("a=-5 min=-9223372036854775808 under=-9223372036854775809");
	CHECK_EQ(cmdline_get_int("a", 0, -10, 10), -5);
	CHECK(cmdline_get_int("min", 0, INT64_MIN, INT64_MAX) == INT64_MIN);
	CHECK_EQ(nwarnings, 0);
	CHECK_EQ(cmdline_get_int("under", 1, INT64_MIN, INT64_MAX), 1);
	CHECK(strstr(last_warning, "'under=-9223372036854775809' is out of "
				   "range"));
}

HTEST(cmdline_get_int_hex)
{
	parse("a=0x10 b=0XfF c=-0x10 d=0x7fffffffffffffff "
	      "e=0x8000000000000000 f=0x00000000000000000000001");
	CHECK_EQ(cmdline_get_int("a", 0, INT64_MIN, INT64_MAX), 16);
	CHECK_EQ(cmdline_get_int("b", 0, INT64_MIN, INT64_MAX), 255);
	CHECK_EQ(cmdline_get_int("c", 0, INT64_MIN, INT64_MAX), -16);
	CHECK(cmdline_get_int("d", 0, INT64_MIN, INT64_MAX) == INT64_MAX);
	CHECK_EQ(cmdline_get_int("f", 0, INT64_MIN, INT64_MAX), 1);
	CHECK_EQ(nwarnings, 0);
	CHECK_EQ(cmdline_get_int("e", 3, INT64_MIN, INT64_MAX), 3);
	CHECK(strstr(last_warning, "out of range"));
}

HTEST(cmdline_get_int_overflow)
{
	static const char *const big[] = {
		"n=99999999999999999999999",
		"n=9223372036854775808",
		"n=18446744073709551615",
		"n=18446744073709551616",
		"n=0x10000000000000000",
		"n=-99999999999999999999999",
	};

	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		parse(big[i]);
		CHECK_EQ(cmdline_get_int("n", 5, INT64_MIN, INT64_MAX), 5);
		CHECK_EQ(nwarnings, 1);
		CHECK(strstr(last_warning, "is out of range"));
		CHECK(strstr(last_warning, big[i]));
	}
	parse("n=99999999999999999999999");
	cmdline_get_int("n", 5, 0, 10);
	CHECK_STR(last_warning, "cmdline: option 'n=99999999999999999999999' "
				"is out of range [0, 10], using default 5\n");

	/* Syntax errors win over overflow. */
	parse("n=99999999999999999999999x");
	CHECK_EQ(cmdline_get_int("n", 5, INT64_MIN, INT64_MAX), 5);
	CHECK(strstr(last_warning, "is not a number"));

	parse("n=9223372036854775807");
	CHECK(cmdline_get_int("n", 5, INT64_MIN, INT64_MAX) == INT64_MAX);
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_get_bool)
{
	static const char *const yes[] = { "1", "y", "yes", "on", "true",
					   "Y", "YES", "On", "TRUE" };
	static const char *const no[] = { "0", "n", "no", "off", "false",
					  "N", "No", "OFF", "False" };
	char buf[32];

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		snprintf(buf, sizeof(buf), "b=%s", yes[i]);
		parse(buf);
		CHECK(cmdline_get_bool("b", false));
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		snprintf(buf, sizeof(buf), "b=%s", no[i]);
		parse(buf);
		CHECK(!cmdline_get_bool("b", true));
	}
	CHECK_EQ(nwarnings, 0);

	parse("b");
	CHECK(cmdline_get_bool("b", false));
	CHECK(!cmdline_get_bool("absent", false));
	CHECK(cmdline_get_bool("absent", true));
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_get_bool_invalid)
{
	parse("b=maybe e= t=truex two=2");
	CHECK(cmdline_get_bool("b", true));
	CHECK_STR(last_warning, "cmdline: option 'b=maybe' is not a boolean, "
				"using default true\n");
	CHECK(!cmdline_get_bool("e", false));
	CHECK_STR(last_warning, "cmdline: option 'e=' is not a boolean, "
				"using default false\n");
	CHECK(!cmdline_get_bool("t", false));
	CHECK(!cmdline_get_bool("two", false));
	CHECK_EQ(nwarnings, 4);
}

HTEST(cmdline_get_str)
{
	parse("name=hello flag empty= a=b=c");
	CHECK_STR(cmdline_get_str("name", "x"), "hello");
	CHECK_STR(cmdline_get_str("flag", "x"), "");
	CHECK_STR(cmdline_get_str("empty", "x"), "");
	CHECK_STR(cmdline_get_str("a", "x"), "b=c");
	CHECK_STR(cmdline_get_str("absent", "dflt"), "dflt");
	CHECK(cmdline_get_str("absent", NULL) == NULL);
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_a_eq_b_eq_c)
{
	parse("a=b=c");
	CHECK_EQ(cmdline_count(), 1);
	CHECK(cmdline_has("a"));
	CHECK(!cmdline_has("a=b"));
	CHECK_STR(cmdline_get_str("a", NULL), "b=c");
	CHECK_STR(cmdline_raw(), "a=b=c");
}

HTEST(cmdline_has_and_used)
{
	parse("flag val=1 empty= other=2 bool=on");
	CHECK(!cmdline_is_used("flag"));
	CHECK(cmdline_has("flag"));
	CHECK(cmdline_has("val"));
	CHECK(cmdline_has("empty"));
	CHECK(!cmdline_has("nope"));
	CHECK(!cmdline_has(""));
	CHECK(cmdline_is_used("flag"));
	CHECK(cmdline_is_used("val"));
	CHECK(!cmdline_is_used("other"));
	cmdline_get_int("other", 0, 0, 9);
	CHECK(cmdline_is_used("other"));
	CHECK(!cmdline_is_used("bool"));
	cmdline_get_bool("bool", false);
	CHECK(cmdline_is_used("bool"));
	CHECK(!cmdline_is_used("nope"));
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_str_marks_used_even_when_malformed)
{
	parse("x=zzz");
	cmdline_get_int("x", 0, 0, 1);
	CHECK(cmdline_is_used("x"));
	parse("x=zzz");
	cmdline_get_str("x", NULL);
	CHECK(cmdline_is_used("x"));
}

HTEST(cmdline_null_key_getters)
{
	parse("a=1");
	CHECK_EQ(cmdline_get_int(NULL, 9, 0, 10), 9);
	CHECK(cmdline_get_bool(NULL, true));
	CHECK_STR(cmdline_get_str(NULL, "d"), "d");
	CHECK(!cmdline_has(NULL));
	CHECK(!cmdline_is_used(NULL));
	CHECK_EQ(nwarnings, 0);
}

HTEST(cmdline_duplicate_last_wins)
{
	parse("smp.max=2 test=a smp.max=8");
	CHECK_EQ(cmdline_count(), 2);
	CHECK_EQ(nwarnings, 1);
	CHECK_STR(last_warning, "cmdline: option 'smp.max' given twice, "
				"using the last value\n");
	CHECK_EQ(cmdline_get_int("smp.max", 1, 1, 64), 8);
}

HTEST(cmdline_duplicate_changes_form)
{
	parse("quiet quiet=off q=1 q");
	CHECK_EQ(cmdline_count(), 2);
	CHECK_EQ(nwarnings, 2);
	CHECK(!cmdline_get_bool("quiet", true));
	CHECK_STR(cmdline_get_str("q", "d"), "");

	parse("x=1 x=2 x=3");
	CHECK_EQ(cmdline_count(), 1);
	CHECK_EQ(nwarnings, 2);
	CHECK_EQ(cmdline_get_int("x", 0, 0, 9), 3);
}

HTEST(cmdline_unknown_options_reported)
{
	parse("smp.max=2 bogus poweroff typo.opt=1 help test=x");
	CHECK_EQ(nwarnings, 0);
	cmdline_check_unknown();
	CHECK_EQ(nwarnings, 2);
	CHECK(strstr(all_warnings, "cmdline: unknown option 'bogus' ignored\n"));
	CHECK(strstr(all_warnings,
		     "cmdline: unknown option 'typo.opt' ignored\n"));
	CHECK(!strstr(all_warnings, "'smp.max'"));
	CHECK(!strstr(all_warnings, "'poweroff'"));
	CHECK(!strstr(all_warnings, "'help'"));
	CHECK(!strstr(all_warnings, "'test'"));

	/* Once per option, even if asked again. */
	cmdline_check_unknown();
	CHECK_EQ(nwarnings, 2);
}

HTEST(cmdline_unknown_is_exact_match)
{
	parse("smp smp.max.x SMP.MAX smp.ma");
	cmdline_check_unknown();
	CHECK_EQ(nwarnings, 4);
}

HTEST(cmdline_print_help)
{
	parse("");
	cmdline_print_help();
	CHECK(strstr(printed, "smp.max: max number of CPUs to start\n"));
	CHECK(strstr(printed, "counter.workers: "));
	CHECK(strstr(printed, "counter.modes: "));
	CHECK(strstr(printed, "test: glob of tests to run\n"));
	CHECK(strstr(printed, "poweroff: "));
	CHECK(strstr(printed, "help: "));
	CHECK_EQ(count_substr(printed, "smp.max"), 1);
	CHECK_EQ(nwarnings, 0);
}

/* Build a line of 27-byte "kNNNN=vvv...v " tokens, `len` bytes long. */
#define VAL20 "vvvvvvvvvvvvvvvvvvvv"

static void make_long_line(char *buf, size_t len)
{
	size_t n = 0;

	for (int i = 0; n < len; i++) {
		char tok[32];
		int t = snprintf(tok, sizeof(tok), "k%04d=%s ", i, VAL20);

		for (int j = 0; j < t && n < len; j++)
			buf[n++] = tok[j];
	}
	buf[len] = '\0';
}

HTEST(cmdline_truncate_long_line)
{
	static char line[5001];
	char expect[256];
	size_t kept;

	make_long_line(line, 5000);
	parse(line);
	kept = strlen(cmdline_raw());
	CHECK(kept > 0 && kept <= CMDLINE_MAX - 1);
	CHECK(strncmp(cmdline_raw(), line, kept) == 0);
	/* Cut at a token boundary: the next input byte is a separator. */
	CHECK(line[kept] == ' ' || line[kept - 1] == ' ');
	CHECK_EQ(nwarnings, 1);
	snprintf(expect, sizeof(expect), "cmdline: command line truncated at %zu "
		 "bytes: dropped the last %zu bytes, %d option(s), from '%.36s...'\n", kept,
		 5000 - kept, (int)((5000 - kept) / 27 + ((5000 - kept) % 27 != 0)),
		 line + kept + (line[kept] == ' '));
	CHECK_STR(last_warning, expect);
	/* Every kept token is whole. */
	CHECK_EQ(cmdline_count(), (int)((kept + 1) / 27));
	for (int i = 0; i < cmdline_count(); i++) {
		char key[16];

		snprintf(key, sizeof(key), "k%04d", i);
		CHECK_STR(cmdline_get_str(key, NULL), VAL20);
	}
}

HTEST(cmdline_truncate_exact_fit)
{
	static char line[2048];

	/* 1023 bytes fit exactly: no warning. */
	memset(line, 'a', 1023);
	line[1] = '=';
	line[1023] = '\0';
	parse(line);
	CHECK_EQ(nwarnings, 0);
	CHECK_EQ(strlen(cmdline_raw()), 1023);

	/* 1024 bytes of one token: nothing survives, all dropped. */
	memset(line, 'a', 1024);
	line[1024] = '\0';
	parse(line);
	CHECK_STR(cmdline_raw(), "");
	CHECK_EQ(cmdline_count(), 0);
	CHECK_STR(last_warning, "cmdline: command line truncated at 0 bytes: "
				"dropped the last 1024 bytes, 1 option(s), from "
				"'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'\n");

	/* The limit falls right on a space: the first token stays whole. */
	memset(line, 'b', 1023);
	line[1] = '=';
	line[1023] = ' ';
	memset(line + 1024, 'c', 100);
	line[1124] = '\0';
	parse(line);
	CHECK_EQ(strlen(cmdline_raw()), 1023);
	CHECK_STR(last_warning, "cmdline: command line truncated at 1023 bytes: "
				"dropped the last 101 bytes, 1 option(s), from "
				"'cccccccccccccccccccccccccccccccccccc...'\n");

	/* What the user would miss: the options at the end, named. */
	memset(line, 'd', 1030);
	line[1] = '=';
	memcpy(line + 1030, " poweroff", 10);
	parse(line);
	CHECK(!cmdline_has("poweroff"));
	CHECK_STR(last_warning, "cmdline: command line truncated at 0 bytes: "
				"dropped the last 1039 bytes, 2 option(s), from "
				"'d=dddddddddddddddddddddddddddddddddd...'\n");
	memset(line, 'e', 1010);
	line[1] = '=';
	memcpy(line + 1010, " smp.max=2 poweroff", 20);
	parse(line);
	CHECK(cmdline_has("smp.max"));
	CHECK(!cmdline_has("poweroff"));
	CHECK_STR(last_warning, "cmdline: command line truncated at 1021 bytes: "
				"dropped the last 8 bytes, 1 option(s), from 'poweroff'\n");
}

HTEST(cmdline_too_many_options)
{
	char line[2048];
	size_t n = 0;

	for (int i = 0; i < 200; i++)
		n += snprintf(line + n, sizeof(line) - n, "o%d ", i);
	parse(line);
	CHECK_EQ(cmdline_count(), CMDLINE_MAX_OPTS);
	CHECK_EQ(nwarnings, 1);
	CHECK_STR(last_warning, "cmdline: too many options (max 64), "
				"ignored 136\n");
	CHECK(cmdline_has("o0"));
	CHECK(cmdline_has("o63"));
	CHECK(!cmdline_has("o64"));
	CHECK(!cmdline_has("o199"));
}

HTEST(cmdline_duplicate_when_full_still_replaces)
{
	char line[1024];
	size_t n = 0;

	for (int i = 0; i < 64; i++)
		n += snprintf(line + n, sizeof(line) - n, "o%d=1 ", i);
	snprintf(line + n, sizeof(line) - n, "o5=2 extra");
	parse(line);
	CHECK_EQ(cmdline_count(), 64);
	CHECK_EQ(cmdline_get_int("o5", 0, 0, 9), 2);
	CHECK(strstr(all_warnings, "'o5' given twice"));
	CHECK(strstr(all_warnings, "too many options (max 64), ignored 1\n"));
	CHECK_EQ(nwarnings, 2);
}

HTEST(cmdline_long_key)
{
	char line[512];

	memset(line, 'k', 300);
	strcpy(line + 300, "=1 ok=2");
	parse(line);
	CHECK_EQ(cmdline_count(), 1);
	CHECK_EQ(nwarnings, 1);
	CHECK_STR(last_warning, "cmdline: option key of 300 characters is too "
				"long (max 63), ignored\n");
	CHECK_EQ(cmdline_get_int("ok", 0, 0, 9), 2);

	/* 63 characters is the limit; bare flags count too. */
	memset(line, 'k', 63);
	strcpy(line + 63, "=1");
	parse(line);
	CHECK_EQ(cmdline_count(), 1);
	CHECK_EQ(nwarnings, 0);
	memset(line, 'k', 64);
	line[64] = '\0';
	parse(line);
	CHECK_EQ(cmdline_count(), 0);
	CHECK(strstr(last_warning, "key of 64 characters"));
}

HTEST(cmdline_long_value_is_fine)
{
	static char line[1100];

	strcpy(line, "v=");
	memset(line + 2, 'x', 1000);
	line[1002] = '\0';
	parse(line);
	CHECK_EQ(nwarnings, 0);
	CHECK_EQ(strlen(cmdline_get_str("v", "")), 1000);
}

HTEST(cmdline_no_key)
{
	parse("=");
	CHECK_EQ(cmdline_count(), 0);
	CHECK_STR(last_warning, "cmdline: option '=' has no key, ignored\n");

	parse("== =value a=1 =");
	CHECK_EQ(cmdline_count(), 1);
	CHECK_EQ(nwarnings, 3);
	CHECK(strstr(all_warnings, "option '==' has no key"));
	CHECK(strstr(all_warnings, "option '=value' has no key"));
	CHECK_EQ(cmdline_get_int("a", 0, 0, 9), 1);
	CHECK_STR(cmdline_raw(), "== =value a=1 =");
}

HTEST(cmdline_non_printable)
{
	parse("a=1 b\x01" "c=2 d=\x7f e=\xc3\xa9 \x1b[2J f=3 g\v");
	CHECK_EQ(cmdline_count(), 2);
	CHECK_EQ(nwarnings, 5);
	CHECK_EQ(count_substr(all_warnings, "non-printable"), 5);
	CHECK(strstr(all_warnings, "cmdline: option with non-printable byte "
				   "1 ignored\n"));
	CHECK(strstr(all_warnings, "byte 127 ignored"));
	CHECK(strstr(all_warnings, "byte 195 ignored"));
	CHECK(strstr(all_warnings, "byte 27 ignored"));
	CHECK(strstr(all_warnings, "byte 11 ignored"));
	CHECK_EQ(cmdline_get_int("a", 0, 0, 9), 1);
	CHECK_EQ(cmdline_get_int("f", 0, 0, 9), 3);
	CHECK(!cmdline_has("d"));
}

HTEST(cmdline_trailing_space_number)
{
	parse("n=5 ");
	CHECK_EQ(cmdline_get_int("n", 0, 0, 9), 5);
	parse("n=\t5");
	CHECK_EQ(cmdline_count(), 2);
	CHECK_EQ(cmdline_get_int("n", 0, 0, 9), 0);
	CHECK(strstr(last_warning, "'n=' is not a number"));
}

HTEST(cmdline_reparse_resets)
{
	parse("a=1 b c=3");
	CHECK_EQ(cmdline_get_int("a", 0, 0, 9), 1);
	cmdline_check_unknown();
	CHECK_EQ(nwarnings, 3);

	parse("c=4");
	CHECK_EQ(cmdline_count(), 1);
	CHECK_STR(cmdline_raw(), "c=4");
	CHECK(!cmdline_is_used("c"));
	CHECK(!cmdline_has("a"));
	CHECK(!cmdline_has("b"));
	CHECK_EQ(cmdline_get_int("c", 0, 0, 9), 4);
	/* The unknown-option report starts over too. */
	cmdline_check_unknown();
	CHECK_EQ(nwarnings, 1);
	CHECK_STR(last_warning, "cmdline: unknown option 'c' ignored\n");

	parse(NULL);
	CHECK_EQ(cmdline_count(), 0);
	CHECK(!cmdline_has("c"));
}

HTEST(cmdline_many_reparses)
{
	char line[64];

	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof(line), "i=%d x", i);
		parse(line);
		CHECK_EQ(cmdline_count(), 2);
		CHECK_EQ(cmdline_get_int("i", -1, 0, 100000), i);
	}
}

HTEST(cmdline_prefix_declaration)
{
	parse("lab.a=1 lab.b lab. lab labx.c=2 lab.a.b=3");
	cmdline_check_unknown();
	/* "lab.*" covers lab.a, lab.b and lab.a.b, not "lab.", "lab", "labx.c" */
	CHECK_EQ(nwarnings, 3);
	CHECK(strstr(all_warnings, "unknown option 'lab.' ignored"));
	CHECK(strstr(all_warnings, "unknown option 'lab' ignored"));
	CHECK(strstr(all_warnings, "unknown option 'labx.c' ignored"));
}

static char seen[256];

static void record(const char *key, const char *value, void *arg)
{
	size_t len = strlen(seen);

	snprintf(seen + len, sizeof(seen) - len, "%s%s=%s;", (const char *)arg, key,
		 value ? value : "(null)");
}

HTEST(cmdline_for_each_prefix)
{
	parse("x=1 lab.b lab.a=2 labx=3 lab.c= lab.b=4");
	seen[0] = 0;
	cmdline_for_each("lab.", record, "+");
	/* Command-line order; a repeated key keeps its first place and its
	 * last value; a bare flag has no value, "key=" an empty one. */
	CHECK_STR(seen, "+lab.b=4;+lab.a=2;+lab.c=;");
	CHECK(cmdline_is_used("lab.a"));
	CHECK(!cmdline_is_used("labx"));
	CHECK(!cmdline_is_used("x"));
	seen[0] = 0;
	cmdline_for_each("nothing.", record, "");
	CHECK_STR(seen, "");
}

int main(void)
{
	return htest_run_all();
}
