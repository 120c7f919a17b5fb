/*
 * test_string.c - host tests for kernel/string.c.
 *
 * Build (from the repo root):
 *   gcc -std=gnu11 -Wall -Wextra -Werror -fsanitize=address,undefined \
 *       -fno-builtin -DHOST_TEST -I. -o build/host/test_string \
 *       tests/host/test_string.c kernel/string.c
 *
 * kstrtoll and kstrtoull come from the linked kernel/string.c. Under
 * HOST_TEST that object leaves out the mem and str functions, whose
 * names belong to libc on the host, so to test them anyway this file
 * compiles a second, private copy of kernel/string.c in which every
 * function is renamed with a k_ prefix. Those are checked against libc.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include "tests/host/htest.h"
#include "kernel/errno.h"
#include "kernel/string.h"

/*
 * Declared here because kernel/string.h has already been read in its
 * HOST_TEST form; the copy below may call one function before it
 * defines it.
 */
void *k_memcpy(void *dst, const void *src, size_t n);
void *k_memmove(void *dst, const void *src, size_t n);
void *k_memset(void *dst, int c, size_t n);
int k_memcmp(const void *a, const void *b, size_t n);
size_t k_strlen(const char *s);
size_t k_strnlen(const char *s, size_t maxlen);
int k_strcmp(const char *a, const char *b);
int k_strncmp(const char *a, const char *b, size_t n);
char *k_strchr(const char *s, int c);
char *k_strrchr(const char *s, int c);
size_t k_strlcpy(char *dst, const char *src, size_t size);
int k_kstrtoull(const char *s, int base, unsigned long long *res);
int k_kstrtoll(const char *s, int base, long long *res);
int k_kstrtobool(const char *s, bool *res);
char *k_strstr(const char *hay, const char *needle);
char *k_strncpy(char *dst, const char *src, size_t n);
char *k_strcpy(char *dst, const char *src);
char *k_strcat(char *dst, const char *src);
char *k_strsep(char **sp, const char *delim);

#define memcpy		k_memcpy
#define memmove		k_memmove
#define memset		k_memset
#define memcmp		k_memcmp
#define strlen		k_strlen
#define strnlen		k_strnlen
#define strcmp		k_strcmp
#define strncmp		k_strncmp
#define strchr		k_strchr
#define strrchr		k_strrchr
#define strlcpy		k_strlcpy
#define kstrtoull	k_kstrtoull	/* unused copies; the linked ones */
#define kstrtoll	k_kstrtoll	/* are tested */
#define kstrtobool	k_kstrtobool
#define strstr	k_strstr
#define strncpy	k_strncpy
#define strcpy	k_strcpy
#define strcat	k_strcat
#define strsep	k_strsep
#define strscpy	k_strscpy
#define kstrtoint	k_kstrtoint
#define kstrtol	k_kstrtol
#define kstrtos16	k_kstrtos16
#define kstrtos8	k_kstrtos8
#define kstrtouint	k_kstrtouint
#define kstrtoul	k_kstrtoul
#define kstrtou16	k_kstrtou16
#define kstrtou8	k_kstrtou8
#define __memset	k___memset
#undef HOST_TEST
#include "kernel/string.c"
#define HOST_TEST 1
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strnlen
#undef strcmp
#undef strncmp
#undef strchr
#undef strrchr
#undef strlcpy
#undef kstrtoull
#undef kstrtoll
#undef kstrtobool
#undef strstr
#undef strncpy
#undef strcpy
#undef strcat
#undef strsep
#undef strscpy
#undef kstrtoint
#undef kstrtol
#undef kstrtos16
#undef kstrtos8
#undef kstrtouint
#undef kstrtoul
#undef kstrtou16
#undef kstrtou8

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Fill buf with a pattern that differs at every offset. */
static void fill(unsigned char *buf, size_t n, unsigned char seed)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(seed + i * 7);
}

HTEST(string_memcpy)
{
	unsigned char src[64], dst[80], ref[80];

	fill(src, sizeof(src), 1);
	for (size_t n = 0; n <= sizeof(src); n++) {
		memset(dst, 0xee, sizeof(dst));
		memset(ref, 0xee, sizeof(ref));
		CHECK(k_memcpy(dst + 3, src, n) == dst + 3);
		memcpy(ref + 3, src, n);
		CHECK(memcmp(dst, ref, sizeof(dst)) == 0);
	}
}

HTEST(string_memset)
{
	unsigned char buf[70], ref[70];

	for (size_t n = 0; n <= 64; n++) {
		memset(buf, 0x11, sizeof(buf));
		memset(ref, 0x11, sizeof(ref));
		CHECK(k_memset(buf + 2, 0x1ab, n) == buf + 2);	/* byte 0xab */
		memset(ref + 2, 0xab, n);
		CHECK(memcmp(buf, ref, sizeof(buf)) == 0);
	}
}

/* Every overlap, both directions, against libc's memmove. */
HTEST(string_memmove_overlap)
{
	unsigned char buf[48], ref[48];

	for (size_t dst = 0; dst < 16; dst++) {
		for (size_t src = 0; src < 16; src++) {
			for (size_t n = 0; n <= 32; n++) {
				fill(buf, sizeof(buf), 5);
				fill(ref, sizeof(ref), 5);
				CHECK(k_memmove(buf + dst, buf + src, n) ==
				      buf + dst);
				memmove(ref + dst, ref + src, n);
				CHECK(memcmp(buf, ref, sizeof(buf)) == 0);
			}
		}
	}
}

HTEST(string_memcmp)
{
	unsigned char a[] = { 1, 2, 3, 0x80 };
	unsigned char b[] = { 1, 2, 3, 0x01 };

	CHECK_EQ(k_memcmp(a, b, 3), 0);
	CHECK(k_memcmp(a, b, 4) > 0);	/* bytes compare unsigned */
	CHECK(k_memcmp(b, a, 4) < 0);
	CHECK_EQ(k_memcmp(a, b, 0), 0);
	CHECK_EQ(k_memcmp("abc", "abd", 2), 0);
	CHECK(k_memcmp("abc", "abd", 3) < 0);
}

HTEST(string_strlen)
{
	CHECK_EQ(k_strlen(""), 0);
	CHECK_EQ(k_strlen("a"), 1);
	CHECK_EQ(k_strlen("hello world"), 11);
	CHECK_EQ(k_strnlen("hello", 3), 3);
	CHECK_EQ(k_strnlen("hello", 5), 5);
	CHECK_EQ(k_strnlen("hello", 100), 5);
	CHECK_EQ(k_strnlen("hello", 0), 0);
}

HTEST(string_strnlen_unterminated)
{
	char raw[4] = { 'a', 'b', 'c', 'd' };	/* no NUL: must not read on */

	CHECK_EQ(k_strnlen(raw, sizeof(raw)), 4);
}

HTEST(string_strcmp)
{
	static const char *const s[] = { "", "a", "ab", "abc", "abd", "b",
					 "\x80", "\x01", "ABC" };

	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(s); j++) {
			CHECK_EQ(sign(k_strcmp(s[i], s[j])),
				 sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 5; n++)
				CHECK_EQ(sign(k_strncmp(s[i], s[j], n)),
					 sign(strncmp(s[i], s[j], n)));
		}
	}
}

HTEST(string_strncmp)
{
	CHECK_EQ(k_strncmp("abc", "abd", 2), 0);
	CHECK(k_strncmp("abc", "abd", 3) < 0);
	CHECK_EQ(k_strncmp("abc", "xyz", 0), 0);
	CHECK_EQ(k_strncmp("abc", "abc", 100), 0);	/* stops at NUL */
	CHECK(k_strncmp("ab", "abc", 100) < 0);
	CHECK(k_strncmp("\x80", "\x01", 1) > 0);	/* unsigned chars */
}

HTEST(string_strchr)
{
	const char *s = "hello";

	CHECK(k_strchr(s, 'h') == s);
	CHECK(k_strchr(s, 'l') == s + 2);
	CHECK(k_strchr(s, 'o') == s + 4);
	CHECK(k_strchr(s, 'z') == NULL);
	CHECK(k_strchr(s, '\0') == s + 5);	/* the NUL can be found */
	CHECK(k_strchr("", 'a') == NULL);
	CHECK(k_strchr("a\x80", 0x80) != NULL);	/* int c of a high byte */
}

HTEST(string_strrchr)
{
	const char *s = "hello";

	CHECK(k_strrchr(s, 'l') == s + 3);
	CHECK(k_strrchr(s, 'h') == s);
	CHECK(k_strrchr(s, 'z') == NULL);
	CHECK(k_strrchr(s, '\0') == s + 5);
	CHECK(k_strrchr("", 'a') == NULL);
	CHECK(k_strrchr("", '\0') != NULL);
}

HTEST(string_strlcpy)
{
	char buf[8];

	CHECK_EQ(k_strlcpy(buf, "abc", sizeof(buf)), 3);
	CHECK_STR(buf, "abc");
	CHECK_EQ(k_strlcpy(buf, "abcdefg", sizeof(buf)), 7);	/* exact fit */
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(k_strlcpy(buf, "abcdefghijkl", sizeof(buf)), 12);
	CHECK_STR(buf, "abcdefg");				/* truncated */
	CHECK_EQ(k_strlcpy(buf, "", sizeof(buf)), 0);
	CHECK_STR(buf, "");
	CHECK_EQ(k_strlcpy(buf, "xy", 1), 2);
	CHECK_STR(buf, "");
}

HTEST(string_strlcpy_size_zero)
{
	char buf[4] = "zzz";

	CHECK_EQ(k_strlcpy(buf, "hello", 0), 5);
	CHECK_STR(buf, "zzz");		/* nothing written */
	CHECK_EQ(k_strlcpy(NULL, "hi", 0), 2);
}

/* Result of a kstrtoll call, with *res poisoned beforehand. */
static long long ll_val;
static int ll(const char *s, int base)
{
	ll_val = 0x5a5a5a5a;
	return kstrtoll(s, base, &ll_val);
}

static unsigned long long ull_val;
static int ull(const char *s, int base)
{
	ull_val = 0x5a5a5a5a;
	return kstrtoull(s, base, &ull_val);
}

HTEST(kstrtoll_valid)
{
	CHECK_EQ(ll("0", 10), 0);
	CHECK_EQ(ll_val, 0);
	CHECK_EQ(ll("42", 10), 0);
	CHECK_EQ(ll_val, 42);
	CHECK_EQ(ll("-42", 10), 0);
	CHECK_EQ(ll_val, -42);
	CHECK_EQ(ll("+42", 10), 0);
	CHECK_EQ(ll_val, 42);
	CHECK_EQ(ll("-0", 10), 0);
	CHECK_EQ(ll_val, 0);
	CHECK_EQ(ll("007", 10), 0);
	CHECK_EQ(ll_val, 7);
	CHECK_EQ(ll("-ff", 16), 0);
	CHECK_EQ(ll_val, -255);
}

HTEST(kstrtoll_limits)
{
	CHECK_EQ(ll("9223372036854775807", 10), 0);
	CHECK_EQ(ll_val, LLONG_MAX);
	CHECK_EQ(ll("-9223372036854775808", 10), 0);
	CHECK(ll_val == LLONG_MIN);
	CHECK_EQ(ll("-9223372036854775807", 10), 0);
	CHECK_EQ(ll_val, -LLONG_MAX);
	CHECK_EQ(ll("0x7fffffffffffffff", 0), 0);
	CHECK_EQ(ll_val, LLONG_MAX);
	CHECK_EQ(ll("-0x8000000000000000", 0), 0);
	CHECK(ll_val == LLONG_MIN);
}

HTEST(kstrtoll_overflow)
{
	CHECK_EQ(ll("9223372036854775808", 10), -ERANGE);
	CHECK_EQ(ll_val, 0x5a5a5a5a);		/* untouched on error */
	CHECK_EQ(ll("-9223372036854775809", 10), -ERANGE);
	CHECK_EQ(ll("18446744073709551615", 10), -ERANGE);
	CHECK_EQ(ll("-18446744073709551615", 10), -ERANGE);
	CHECK_EQ(ll("18446744073709551616", 10), -ERANGE);
	CHECK_EQ(ll("0x8000000000000000", 0), -ERANGE);
	CHECK_EQ(ll("-0x8000000000000001", 0), -ERANGE);
}

HTEST(kstrtoll_malformed)
{
	static const char *const bad[] = {
		"", "-", "+", "--1", "+-1", "-+1", "12a", " 12", "12 ", "\t1",
		"1\n\n", "\n", "0x", "-0x", "1.5", "1e3", "0x1g", "a", "1 000",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (ll(bad[i], 10) != -EINVAL || ll(bad[i], 0) != -EINVAL)
			HTEST_FAIL("kstrtoll(\"%s\") accepted", bad[i]);
		CHECK_EQ(ll_val, 0x5a5a5a5a);
	}
}

HTEST(kstrtoull_valid)
{
	CHECK_EQ(ull("0", 10), 0);
	CHECK_EQ(ull_val, 0);
	CHECK_EQ(ull("12345", 10), 0);
	CHECK_EQ(ull_val, 12345);
	CHECK_EQ(ull("+7", 10), 0);
	CHECK_EQ(ull_val, 7);
	CHECK_EQ(ull("18446744073709551615", 10), 0);
	CHECK(ull_val == ULLONG_MAX);
	CHECK_EQ(ull("ffffffffffffffff", 16), 0);
	CHECK(ull_val == ULLONG_MAX);
	CHECK_EQ(ull("101", 2), 0);
	CHECK_EQ(ull_val, 5);
	CHECK_EQ(ull("777", 8), 0);
	CHECK_EQ(ull_val, 511);
}

HTEST(kstrtoull_bases)
{
	CHECK_EQ(ull("0x1F", 0), 0);		/* base 0: hex by prefix */
	CHECK_EQ(ull_val, 31);
	CHECK_EQ(ull("0X1f", 0), 0);
	CHECK_EQ(ull_val, 31);
	CHECK_EQ(ull("017", 0), 0);		/* base 0: octal by prefix */
	CHECK_EQ(ull_val, 15);
	CHECK_EQ(ull("0", 0), 0);
	CHECK_EQ(ull_val, 0);
	CHECK_EQ(ull("17", 0), 0);		/* base 0: else decimal */
	CHECK_EQ(ull_val, 17);
	CHECK_EQ(ull("0x1f", 16), 0);		/* base 16 takes a prefix */
	CHECK_EQ(ull_val, 31);
	CHECK_EQ(ull("1f", 16), 0);
	CHECK_EQ(ull_val, 31);
	CHECK_EQ(ull("017", 10), 0);		/* base 10: leading 0 is fine */
	CHECK_EQ(ull_val, 17);
	CHECK_EQ(ull("08", 0), -EINVAL);	/* 8 is no octal digit */
	CHECK_EQ(ull("0x10", 10), -EINVAL);
	CHECK_EQ(ull("1f", 10), -EINVAL);
	CHECK_EQ(ull("2", 2), -EINVAL);
	CHECK_EQ(ull("1", 1), -EINVAL);		/* bad bases */
	CHECK_EQ(ull("1", 17), -EINVAL);
	CHECK_EQ(ull("1", -1), -EINVAL);
}

HTEST(kstrtoull_malformed)
{
	static const char *const bad[] = {
		"", "+", "-", "-1", "-0", "++1", "12a", " 12", "12 ", "12\n\n", "12\n3",
		"0x", "0xg", "0x 1", "x1", "1_000",
	};

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (ull(bad[i], 10) != -EINVAL || ull(bad[i], 0) != -EINVAL)
			HTEST_FAIL("kstrtoull(\"%s\") accepted", bad[i]);
		CHECK_EQ(ull_val, 0x5a5a5a5a);
	}
	CHECK_EQ(ull("0x", 16), -EINVAL);
}

HTEST(kstrtoull_overflow)
{
	CHECK_EQ(ull("18446744073709551616", 10), -ERANGE);
	CHECK_EQ(ull("18446744073709551620", 10), -ERANGE);
	CHECK_EQ(ull("99999999999999999999", 10), -ERANGE);
	CHECK_EQ(ull("0x10000000000000000", 0), -ERANGE);
	CHECK_EQ(ull("10000000000000000", 16), -ERANGE);
	CHECK_EQ(ull("2000000000000000000000", 8), -ERANGE);
	CHECK_EQ(ull("1777777777777777777777", 8), 0);
	CHECK(ull_val == ULLONG_MAX);
	CHECK_EQ(ull("-18446744073709551615", 10), -EINVAL);
}

/* A 1000-digit number must be rejected as too big, not wrap or crash. */
HTEST(kstrtoll_long_digit_strings)
{
	char s[1003];

	memset(s, '9', 1000);
	s[1000] = '\0';
	CHECK_EQ(ll(s, 10), -ERANGE);
	CHECK_EQ(ull(s, 10), -ERANGE);
	CHECK_EQ(ull(s, 16), -ERANGE);

	s[0] = '-';
	CHECK_EQ(ll(s, 10), -ERANGE);

	/* Junk after the overflow is still junk. */
	memset(s, '9', 1000);
	strcpy(s + 1000, "x");
	CHECK_EQ(ll(s, 10), -EINVAL);
	CHECK_EQ(ull(s, 10), -EINVAL);

	/* Leading zeros do not count towards overflow. */
	memset(s, '0', 1000);
	strcpy(s + 999, "42");
	CHECK_EQ(ll(s, 10), 0);
	CHECK_EQ(ll_val, 42);
	CHECK_EQ(ull(s, 0), 0);		/* octal 042 */
	CHECK_EQ(ull_val, 34);
}

HTEST(strstr_strsep_strncpy_match_libc)
{
	static const char *const hay[] = { "", "a", "abc", "abcabc", "aab" };
	static const char *const needles[] = { "", "a", "b", "bc", "abc", "x", "aab" };

	for (size_t h = 0; h < ARRAY_SIZE(hay); h++)
		for (size_t n = 0; n < ARRAY_SIZE(needles); n++)
			CHECK(k_strstr(hay[h], needles[n]) == strstr(hay[h], needles[n]));
	char a[32] = "a,b,,c", b[32] = "a,b,,c";
	char *pa = a, *pb = b;
	for (int i = 0; i < 6; i++) {
		char *ta = k_strsep(&pa, ","), *tb = strsep(&pb, ",");
		CHECK((ta == NULL) == (tb == NULL));
		if (ta && tb)
			CHECK_STR(ta, tb);
	}
	char x[8], y[8];
	memset(x, 'z', sizeof(x));
	memset(y, 'z', sizeof(y));
	k_strncpy(x, "ab", sizeof(x));
	strncpy(y, "ab", sizeof(y));
	CHECK(memcmp(x, y, sizeof(x)) == 0);		/* padded with NULs */
	char c[16] = "ab";
	k_strcat(c, "cd");
	CHECK_STR(c, "abcd");
}

HTEST(strscpy_as_linux)
{
	char buf[4];

	CHECK_EQ(strscpy(buf, "ab", sizeof(buf)), 2);
	CHECK_STR(buf, "ab");
	CHECK_EQ(strscpy(buf, "abcd", sizeof(buf)), -E2BIG);	/* cut: */
	CHECK_STR(buf, "abc");					/* still ended */
	CHECK_EQ(strscpy(buf, "abc", sizeof(buf)), 3);
	CHECK_EQ(strscpy(buf, "x", 0), -E2BIG);
}

HTEST(kstrto_sized_forms_range_check)
{
	int i;
	unsigned char u8v;
	short s16;

	CHECK_EQ(kstrtoint("2147483647", 10, &i), 0);
	CHECK_EQ(i, 2147483647);
	CHECK_EQ(kstrtoint("2147483648", 10, &i), -ERANGE);
	CHECK_EQ(kstrtoint("-2147483648", 10, &i), 0);
	CHECK_EQ(kstrtou8("255", 0, &u8v), 0);
	CHECK_EQ(u8v, 255);
	CHECK_EQ(kstrtou8("256", 0, &u8v), -ERANGE);
	CHECK_EQ(kstrtos16("-0x8000", 0, &s16), 0);
	CHECK_EQ(s16, -32768);
	CHECK_EQ(kstrtoint("12x", 10, &i), -EINVAL);
}

HTEST(kstrto_one_trailing_newline_as_linux)
{
	CHECK_EQ(ll("12\n", 10), 0);
	CHECK_EQ(ll_val, 12);
	CHECK_EQ(ull("0x1f\n", 0), 0);
	CHECK_EQ(ull_val, 31);
	CHECK_EQ(ll("-7\n", 0), 0);
	CHECK_EQ(ll_val, -7);
}

HTEST(kstrtobool_as_linux)
{
	static const char *const yes[] = { "1", "y", "Y", "yes", "t", "true", "on", "ON" };
	static const char *const no[] = { "0", "n", "N", "no", "f", "false", "off", "OFF" };
	static const char *const bad[] = { "", "2", "maybe", "o", "ox", " 1", "-1" };
	bool v;

	for (size_t i = 0; i < ARRAY_SIZE(yes); i++) {
		v = false;
		CHECK_EQ(kstrtobool(yes[i], &v), 0);
		CHECK(v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(no); i++) {
		v = true;
		CHECK_EQ(kstrtobool(no[i], &v), 0);
		CHECK(!v);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		v = true;
		CHECK_EQ(kstrtobool(bad[i], &v), -EINVAL);
		CHECK(v);			/* untouched */
	}
}

int main(void)
{
	return htest_run_all();
}
