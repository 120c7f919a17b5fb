/*
 * test_vsprintf.c - host tests for kernel/vsprintf.c.
 *
 * Most cases run the same format and arguments through the kernel's
 * vsnprintf and the host libc's, and require the same text and return
 * value. Where the kernel deliberately differs from C (%p, unknown
 * conversions) or C leaves things undefined, the expected text is
 * written out instead.
 *
 * Build (from the repo root):
 *   gcc -std=gnu11 -Wall -Wextra -Werror -fsanitize=address,undefined \
 *       -fno-builtin -DHOST_TEST -I. -o build/host/test_vsprintf \
 *       tests/host/test_vsprintf.c kernel/vsprintf.c kernel/string.c
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "tests/host/htest.h"

/* Take libc's vsnprintf before kernel/vsprintf.h renames the name. */
static int (*const libc_vsnprintf)(char *, size_t, const char *, va_list) =
	vsnprintf;

__attribute__((format(printf, 3, 4)))
static int libc_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = libc_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

/* From here on, snprintf and vsnprintf are the kernel's. */
#include "kernel/vsprintf.h"

struct result {
	char text[512];
	int ret;
};

__attribute__((format(printf, 3, 4)))
static void format_both(struct result *k, struct result *l,
			const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	k->ret = vsnprintf(k->text, sizeof(k->text), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	l->ret = libc_vsnprintf(l->text, sizeof(l->text), fmt, ap);
	va_end(ap);
}

/* CHECK_LIBC(fmt, args...): the kernel must print exactly what libc does. */
#define CHECK_LIBC(fmt, ...)                                            \
	do {                                                            \
		struct result k_, l_;                                   \
		format_both(&k_, &l_, fmt, ##__VA_ARGS__);              \
		if (strcmp(k_.text, l_.text) != 0 || k_.ret != l_.ret)  \
			HTEST_FAIL("\"%s\" (%s): kernel \"%s\" (%d), "  \
				   "libc \"%s\" (%d)", fmt, #__VA_ARGS__, \
				   k_.text, k_.ret, l_.text, l_.ret);   \
	} while (0)

/*
 * CHECK_LIBC for formats that compilers warn about but that must still
 * work: flags C defines as ignored (e.g. "%-05d"), an empty format, or
 * an argument that a length modifier truncates.
 */
#define CHECK_LIBC_QUIET(...)                                           \
	do {                                                            \
		_Pragma("GCC diagnostic push")                          \
		_Pragma("GCC diagnostic ignored \"-Wformat\"")          \
		_Pragma("GCC diagnostic ignored \"-Wformat-zero-length\"") \
		CHECK_LIBC(__VA_ARGS__);                                \
		_Pragma("GCC diagnostic pop")                           \
	} while (0)

/* The kernel's output, for checking against a fixed string. */
static char kbuf[512];
static int kret;

__attribute__((format(printf, 1, 2)))
static const char *kfmt(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	kret = vsnprintf(kbuf, sizeof(kbuf), fmt, ap);
	va_end(ap);
	return kbuf;
}

HTEST(vsprintf_plain_text)
{
	CHECK_LIBC("hello, world");
	CHECK_LIBC("%s", "");
	CHECK_LIBC_QUIET("");
	CHECK_STR(kfmt("abc"), "abc");
	CHECK_EQ(kret, 3);
}

HTEST(vsprintf_percent)
{
	CHECK_LIBC("%%");
	CHECK_LIBC("100%% sure %d%%", 5);
	CHECK_STR(kfmt("%%"), "%");
	CHECK_EQ(kret, 1);
}

HTEST(vsprintf_signed)
{
	CHECK_LIBC("%d", 0);
	CHECK_LIBC("%d", 42);
	CHECK_LIBC("%d", -42);
	CHECK_LIBC("%i", 12345);
	CHECK_LIBC("%i", -7);
	CHECK_LIBC("%d", INT_MAX);
	CHECK_LIBC("%d", INT_MIN);
	CHECK_STR(kfmt("%d", INT_MIN), "-2147483648");
}

HTEST(vsprintf_unsigned)
{
	CHECK_LIBC("%u", 0u);
	CHECK_LIBC("%u", 3000000000u);
	CHECK_LIBC("%u", UINT_MAX);
	CHECK_LIBC("%x", 0xdeadbeefu);
	CHECK_LIBC("%X", 0xdeadbeefu);
	CHECK_LIBC("%x", 0u);
	CHECK_LIBC("%o", 8u);
	CHECK_LIBC("%o", 0u);
	CHECK_LIBC("%o", UINT_MAX);
}

HTEST(vsprintf_long_long_limits)
{
	CHECK_LIBC("%lld", LLONG_MIN);
	CHECK_LIBC("%lld", LLONG_MAX);
	CHECK_LIBC("%ld", LONG_MIN);
	CHECK_LIBC("%llu", ULLONG_MAX);
	CHECK_LIBC("%lx", 0xffffffffffffffffUL);
	CHECK_LIBC("%llX", 0xffffffffffffffffULL);
	CHECK_LIBC("%llo", ULLONG_MAX);
	CHECK_LIBC("%#llo", ULLONG_MAX);
	CHECK_LIBC("%+lld", LLONG_MIN);
	CHECK_LIBC("%30lld|%-30lld|", LLONG_MIN, LLONG_MIN);
	CHECK_STR(kfmt("%lld", LLONG_MIN), "-9223372036854775808");
	CHECK_STR(kfmt("%llu", ULLONG_MAX), "18446744073709551615");
	CHECK_STR(kfmt("%lx", 0xffffffffffffffffUL), "ffffffffffffffff");
}

HTEST(vsprintf_length_modifiers)
{
	/* hh and h cut an int argument down; clang warns on purpose here. */
	CHECK_LIBC_QUIET("%hhd", 300);
	CHECK_LIBC_QUIET("%hhd", 200);
	CHECK_LIBC_QUIET("%hhu", 300);
	CHECK_LIBC_QUIET("%hhx", -1);
	CHECK_LIBC_QUIET("%hd", 70000);
	CHECK_LIBC_QUIET("%hu", 70000);
	CHECK_LIBC_QUIET("%hx", 0x12345);
	CHECK_LIBC("%hhd", (signed char)-128);
	CHECK_LIBC("%hd", (short)-32768);
	CHECK_LIBC("%ld", 1234567890123L);
	CHECK_LIBC("%lu", ULONG_MAX);
	CHECK_LIBC("%zu", SIZE_MAX);
	CHECK_LIBC("%zx", (size_t)0xabcdef);
	CHECK_LIBC("%zd", (ssize_t)-5);
	CHECK_LIBC("%td", (ptrdiff_t)-7);
	CHECK_LIBC("%td", (ptrdiff_t)PTRDIFF_MIN);
	CHECK_LIBC("%tx", (ptrdiff_t)255);
	CHECK_LIBC("%lld %d %hhd %ld", -1LL, 2, (signed char)3, 4L);
}

HTEST(vsprintf_width)
{
	CHECK_LIBC("%5d|", 42);
	CHECK_LIBC("%5d|", -42);
	CHECK_LIBC("%1d|", 12345);
	CHECK_LIBC("%-5d|", 42);
	CHECK_LIBC("%-5d|", -42);
	CHECK_LIBC("%8x|", 0xbeefu);
	CHECK_LIBC("%-8X|", 0xbeefu);
	CHECK_LIBC("%10s|", "abc");
	CHECK_LIBC("%-10s|", "abc");
	CHECK_LIBC("%2s|", "abcdef");
	CHECK_STR(kfmt("%5d|", 42), "   42|");
	CHECK_STR(kfmt("%-5d|", 42), "42   |");
}

HTEST(vsprintf_zero_pad)
{
	CHECK_LIBC("%05d", 42);
	CHECK_LIBC("%05d", -42);
	CHECK_LIBC("%+05d", 42);
	CHECK_LIBC("% 05d", 42);
	CHECK_LIBC("%08x", 0xbeefu);
	CHECK_LIBC("%#08x", 0xbeefu);
	CHECK_LIBC("%#08X", 0xbeefu);
	CHECK_LIBC_QUIET("%-05d|", 42);	/* '-' wins over '0' */
	CHECK_LIBC_QUIET("%08.3d", 42);	/* a precision turns '0' off */
	CHECK_LIBC("%020lld", LLONG_MIN);
	CHECK_LIBC("%025lld", LLONG_MIN);
	CHECK_STR(kfmt("%05d", -42), "-0042");
	CHECK_STR(kfmt("%#010x", 0xbeefu), "0x0000beef");
}

HTEST(vsprintf_sign_flags)
{
	CHECK_LIBC("%+d", 5);
	CHECK_LIBC("%+d", -5);
	CHECK_LIBC("%+d", 0);
	CHECK_LIBC("% d", 5);
	CHECK_LIBC("% d", -5);
	CHECK_LIBC_QUIET("%+ d", 5);	/* '+' wins over ' ' */
	CHECK_LIBC_QUIET("% +d", 5);
	CHECK_LIBC_QUIET("%+u", 5u);	/* sign flags only affect signed conversions */
	CHECK_LIBC_QUIET("% x", 5u);
}

HTEST(vsprintf_alt_form)
{
	CHECK_LIBC("%#x", 255u);
	CHECK_LIBC("%#X", 255u);
	CHECK_LIBC("%#x", 0u);		/* no 0x for zero */
	CHECK_LIBC("%#o", 8u);
	CHECK_LIBC("%#o", 0u);
	CHECK_LIBC("%#.0o", 0u);
	CHECK_LIBC("%#.3o", 8u);
	CHECK_LIBC("%#.5x", 255u);
	CHECK_LIBC("%#lx", 0xffffffff80100000UL);
	CHECK_STR(kfmt("%#x", 255u), "0xff");
}

HTEST(vsprintf_precision)
{
	CHECK_LIBC("%.3d", 7);
	CHECK_LIBC("%.3d", -7);
	CHECK_LIBC("%.0d", 0);		/* no digits at all */
	CHECK_LIBC("%.0x|%5.0d|", 0u, 0);
	CHECK_LIBC("%.d", 0);
	CHECK_LIBC("%8.3d|", -7);
	CHECK_LIBC("%-8.3d|", 7);
	CHECK_LIBC("%.10llu", 12ULL);
	CHECK_LIBC("%.3s|", "abcdef");
	CHECK_LIBC("%.0s|", "abcdef");
	CHECK_LIBC("%.10s|", "abc");
	CHECK_LIBC("%6.2s|", "abcdef");
	CHECK_LIBC("%-6.2s|", "abcdef");
	CHECK_STR(kfmt("%.3s", "abcdef"), "abc");
}

HTEST(vsprintf_precision_unterminated_string)
{
	/* With a precision, %s must not read past that many characters. */
	char raw[3] = { 'x', 'y', 'z' };

	CHECK_STR(kfmt("%.3s|", raw), "xyz|");
	CHECK_STR(kfmt("%.2s|", raw), "xy|");
}

HTEST(vsprintf_star)
{
	CHECK_LIBC("%*d|", 6, 42);
	CHECK_LIBC("%*d|", -6, 42);	/* negative width means '-' */
	CHECK_LIBC("%-*d|", 6, 42);
	CHECK_LIBC("%.*d|", 4, 42);
	CHECK_LIBC("%.*d|", -4, 42);	/* negative precision means none */
	CHECK_LIBC("%*.*d|", 8, 4, -42);
	CHECK_LIBC("%*.*s|", -8, 2, "abcdef");
	CHECK_LIBC("%0*d|", 6, -42);
	CHECK_LIBC("%.*s|", 3, "abcdef");
	CHECK_STR(kfmt("%*d|%s", 4, 1, "after"), "   1|after");
}

HTEST(vsprintf_char)
{
	CHECK_LIBC("%c", 'A');
	CHECK_LIBC("%c%c%c", 'a', 'b', 'c');
	CHECK_LIBC("%3c|", 'x');
	CHECK_LIBC("%-3c|", 'x');
	CHECK_LIBC("%c", 0x141);	/* converted to unsigned char */
	CHECK_STR(kfmt("[%c]", 'Z'), "[Z]");
}

HTEST(vsprintf_string)
{
	CHECK_LIBC("%s", "hello");
	CHECK_LIBC("%s and %s", "this", "that");
	CHECK_LIBC("<%s>", "");
	CHECK_LIBC("%5s|", "");
}

HTEST(vsprintf_string_null)
{
	const char *volatile null = NULL;

	CHECK_STR(kfmt("%s", null), "(null)");
	CHECK_EQ(kret, 6);
	CHECK_STR(kfmt("%8s|", null), "  (null)|");
	CHECK_STR(kfmt("%-8s|", null), "(null)  |");
}

HTEST(vsprintf_pointer)
{
	CHECK_STR(kfmt("%p", (void *)0xffffffff80100000UL),
		  "0xffffffff80100000");
	CHECK_EQ(kret, 18);
	CHECK_STR(kfmt("%p", (void *)0x1234), "0x0000000000001234");
	CHECK_STR(kfmt("%p", NULL), "0x0000000000000000");
	CHECK_STR(kfmt("%20p|", (void *)0xabc), "  0x0000000000000abc|");
	CHECK_STR(kfmt("%-20p|", (void *)0xabc), "0x0000000000000abc  |");
	CHECK_STR(kfmt("[%p] %d", (void *)1, 7), "[0x0000000000000001] 7");
}

HTEST(vsprintf_unknown_conversion)
{
	/* These formats are wrong on purpose; keep GCC from saying so. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
	CHECK_STR(kfmt("%q"), "%q");
	CHECK_EQ(kret, 2);
	CHECK_STR(kfmt("a%qb"), "a%qb");
	CHECK_STR(kfmt("%5q|%d", 3), "%5q|3");
	CHECK_STR(kfmt("%n"), "%n");		/* %n is not supported */
	CHECK_STR(kfmt("%lq"), "%lq");
	/* A format that ends inside a spec prints what there was. */
	CHECK_STR(kfmt("abc%"), "abc%");
	CHECK_EQ(kret, 4);
	CHECK_STR(kfmt("abc%-5"), "abc%-5");
	CHECK_STR(kfmt("abc%ll"), "abc%ll");
#pragma GCC diagnostic pop
}

HTEST(vsprintf_truncation)
{
	char buf[8];
	int ret;

	memset(buf, 'X', sizeof(buf));
	ret = snprintf(buf, 5, "hello world");
	CHECK_EQ(ret, 11);
	CHECK_STR(buf, "hell");
	CHECK_EQ(buf[5], 'X');		/* nothing written past size */

	ret = snprintf(buf, sizeof(buf), "%d", -1234567890);
	CHECK_EQ(ret, 11);
	CHECK_STR(buf, "-123456");

	ret = snprintf(buf, sizeof(buf), "%10s", "ab");
	CHECK_EQ(ret, 10);
	CHECK_STR(buf, "       ");

	ret = snprintf(buf, 1, "abc");
	CHECK_EQ(ret, 3);
	CHECK_EQ(buf[0], '\0');
}

HTEST(vsprintf_exact_fit)
{
	char buf[6];

	CHECK_EQ(snprintf(buf, sizeof(buf), "%s", "abcde"), 5);
	CHECK_STR(buf, "abcde");
	CHECK_EQ(snprintf(buf, sizeof(buf), "%s", "abcdef"), 6);
	CHECK_STR(buf, "abcde");
}

HTEST(vsprintf_size_zero)
{
	char buf[4] = "zzz";

	CHECK_EQ(snprintf(buf, 0, "%d", 12345), 5);
	CHECK_STR(buf, "zzz");		/* untouched */
	CHECK_EQ(snprintf(NULL, 0, "%s-%d", "abc", 42), 6);
	CHECK_EQ(snprintf(NULL, 0, "%s", ""), 0);
}

HTEST(vsprintf_truncation_matches_libc)
{
	static const char *const words[] = { "", "a", "hello", "0123456789" };
	char kb[20], lb[20];

	/* Every buffer size, including 0; the bytes past size must survive. */
	for (size_t size = 0; size <= 16; size++) {
		for (size_t w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			int kr, lr;

			memset(kb, 'K', sizeof(kb));
			memset(lb, 'K', sizeof(lb));
			kr = snprintf(kb, size, "[%s|%5d]", words[w], -3);
			lr = libc_snprintf(lb, size, "[%s|%5d]", words[w], -3);
			CHECK_EQ(kr, lr);
			CHECK(memcmp(kb, lb, sizeof(kb)) == 0);
		}
	}
}

/*
 * Every combination of flags, width and precision for each integer
 * conversion, over awkward values, compared with libc.
 */
static const char *const sweep_flags[] = {
	"", "-", "0", "+", " ", "#", "-0", "-+", "- ", "-#", "0+", "0 ",
	"0#", "+ ", "-0+", "-0#", "0+ ", "-+ #", "-0+ #",
};
static const char *const sweep_widths[] = { "", "1", "5", "12", "25" };
static const char *const sweep_precs[] = { "", ".", ".0", ".1", ".3",
					   ".10", ".22" };

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Call check(fmt) for every spec "%<flags><width><prec><len><conv>".
 * '#' is skipped for d/i and '+'/' ' for unsigned conversions, where C
 * leaves them undefined or meaningless.
 */
static void sweep(const char *len, char conv, void (*check)(const char *))
{
	bool is_signed = conv == 'd' || conv == 'i';
	char fmt[64];

	for (size_t f = 0; f < ARRAY_SIZE(sweep_flags); f++) {
		const char *fl = sweep_flags[f];

		if (is_signed ? strchr(fl, '#') != NULL : strpbrk(fl, "+ ") != NULL)
			continue;
		for (size_t w = 0; w < ARRAY_SIZE(sweep_widths); w++) {
			for (size_t p = 0; p < ARRAY_SIZE(sweep_precs); p++) {
				libc_snprintf(fmt, sizeof(fmt), "[%%%s%s%s%s%c]",
					      fl, sweep_widths[w],
					      sweep_precs[p], len, conv);
				check(fmt);
			}
		}
	}
}

static const int sweep_ints[] = { 0, 1, -1, 7, -42, 255, 1000, INT_MAX,
				  INT_MIN };
static const long long sweep_lls[] = { 0, -1, 123456789012LL, LLONG_MAX,
				       LLONG_MIN };
static const unsigned int sweep_uints[] = { 0, 1, 8, 255, 0xdeadbeef,
					    UINT_MAX };
static const unsigned long long sweep_ulls[] = { 0, 01234567,
						 0x8000000000000000ULL,
						 ULLONG_MAX };

static void check_ints(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(sweep_ints); i++)
		CHECK_LIBC(fmt, sweep_ints[i]);
}

static void check_lls(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(sweep_lls); i++)
		CHECK_LIBC(fmt, sweep_lls[i]);
}

static void check_uints(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(sweep_uints); i++)
		CHECK_LIBC(fmt, sweep_uints[i]);
}

static void check_ulls(const char *fmt)
{
	for (size_t i = 0; i < ARRAY_SIZE(sweep_ulls); i++)
		CHECK_LIBC(fmt, sweep_ulls[i]);
}

HTEST(vsprintf_sweep_int)
{
	sweep("", 'd', check_ints);
	sweep("", 'i', check_ints);
	sweep("ll", 'd', check_lls);
}

HTEST(vsprintf_sweep_unsigned)
{
	static const char convs[] = "uxXo";

	for (const char *c = convs; *c; c++) {
		sweep("", *c, check_uints);
		sweep("ll", *c, check_ulls);
	}
}

HTEST(scnprintf_returns_what_it_wrote)
{
	char buf[8];
	int len = 0;

	CHECK_EQ(scnprintf(buf, sizeof(buf), "%s", "abc"), 3);
	CHECK_EQ(scnprintf(buf, sizeof(buf), "%s", "abcdefghij"), 7);	/* not 10 */
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(scnprintf(buf, 0, "x"), 0);
	/* The loop it exists for never runs past the end. */
	for (int i = 0; i < 10; i++)
		len += scnprintf(buf + len, sizeof(buf) - (size_t)len, "%d", i);
	CHECK_EQ(len, 7);
	CHECK_STR(buf, "0123456");
}

int main(void)
{
	return htest_run_all();
}
