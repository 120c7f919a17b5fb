/*
 * string.c - memory and string functions, and strict number parsing.
 *
 * The mem and str functions have their usual C meaning and are written
 * for clarity: mostly plain byte loops. memcpy, memset and forward
 * memmove use "rep movsb"/"rep stosb" on x86_64; besides being quick on
 * modern CPUs, an asm statement cannot be "optimised" by GCC back into
 * a call to memcpy or memset, which it does to loops that look like
 * them -- inside memcpy itself that would recurse forever.
 *
 * kstrtoull/kstrtoll parse a whole string as one number, Linux style.
 * Overflow is caught exactly, before it happens: val * base + digit
 * fits in an unsigned long long iff val <= (max - digit) / base. Digits
 * after an overflow are still checked, so junk anywhere in the string
 * gives -EINVAL, and only a well-formed number that is too big gives
 * -ERANGE.
 */
#include <stdbool.h>
#include <stdint.h>
#include "kernel/errno.h"
#include "kernel/string.h"

#ifndef HOST_TEST
/* KASAN=1 (kernel/kasan.h, not included: the host tests compile this
 * file, and the kernel's compiler.h clashes with the C library's). */
#ifdef CONFIG_KASAN
void kasan_check_read(const volatile void *p, size_t size);
void kasan_check_write(const volatile void *p, size_t size);
#else
#define kasan_check_read(p, n) ((void)(p), (void)(n))
#define kasan_check_write(p, n) ((void)(p), (void)(n))
#endif

void *memcpy(void *dst, const void *src, size_t n)
{
	kasan_check_read(src, n);	/* KASAN=1: rep movsb is not instrumented */
	kasan_check_write(dst, n);
#ifdef __x86_64__
	void *d = dst;

	asm volatile("rep movsb"
		     : "+D"(d), "+S"(src), "+c"(n)
		     :
		     : "memory");
#else
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
#endif
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	/*
	 * Copying upwards is safe unless dst starts inside src: then the
	 * tail of src would be overwritten before it is read, so copy
	 * downwards from the end instead.
	 */
	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *__memset(void *dst, int c, size_t n);	/* below; string.h too */

void *memset(void *dst, int c, size_t n)
{
	kasan_check_write(dst, n);
	return __memset(dst, c, n);
}

/* memset without KASAN's check: for the allocator, which fills blocks
 * KASAN has poisoned (Linux's __memset). */
void *__memset(void *dst, int c, size_t n)
{
#ifdef __x86_64__
	void *d = dst;

	asm volatile("rep stosb"
		     : "+D"(d), "+c"(n)
		     : "a"(c)
		     : "memory");
#else
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
#endif
	return dst;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++)
		if (p[i] == (unsigned char)c)
			return (void *)(p + i);
	return NULL;
}

/* Bytes compare as unsigned char, as in C, so 0x80 > 0x01. */
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
	}
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

/* Characters compare as unsigned char, like memcmp. */
int strncmp(const char *a, const char *b, size_t n)
{
	const unsigned char *p = (const unsigned char *)a;
	const unsigned char *q = (const unsigned char *)b;

	for (; n > 0; n--, p++, q++) {
		if (*p != *q)
			return *p - *q;
		if (*p == '\0')
			break;
	}
	return 0;
}

/* As in C, the terminating NUL counts as part of the string: c may be 0. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (*s == '\0')
			return (char *)last;
	}
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (strncmp(hay, needle, n) == 0)
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

char *strncpy(char *dst, const char *src, size_t n)
{
	size_t i = 0;

	for (; i < n && src[i]; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';		/* C's strncpy pads with NULs */
	return dst;
}

char *strcat(char *dst, const char *src)
{
	strcpy(dst + strlen(dst), src);
	return dst;
}

char *strcpy(char *dst, const char *src)
{
	char *d = dst;

	while ((*d++ = *src++))
		;
	return dst;
}

/* Cut *sp at the first of `delim`: return the token, move *sp past it
 * (NULL after the last token). */
char *strsep(char **sp, const char *delim)
{
	char *tok = *sp, *p;

	if (!tok)
		return NULL;
	for (p = tok; *p && !strchr(delim, *p); p++)
		;
	*sp = *p ? p + 1 : NULL;
	*p = '\0';
	return tok;
}
#endif /* !HOST_TEST */

/*
 * strscpy, Linux's safe copy: like strlcpy, dst is always terminated
 * (size > 0), but the result is the length copied, or -E2BIG when src
 * did not fit - the test Linux code writes is `if (strscpy(...) < 0)`.
 */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t i;

	if (!size)
		return -E2BIG;
	for (i = 0; i < size - 1 && src[i]; i++)
		dst[i] = src[i];
	dst[i] = '\0';
	return src[i] ? -E2BIG : (ssize_t)i;
}

#define ULL_MAX (~0ULL)
#define LL_MAX ((long long)(ULL_MAX >> 1))

/* The value of digit c in bases up to 36, or 36 if c is not a digit. */
static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;
}

/*
 * Settle the base and skip the prefix that goes with it. Base 0 takes
 * "0x" as hex only when a hex digit follows, so "0x" alone is read as
 * octal 0 followed by junk; either way it is rejected.
 */
static const char *fixup_base(const char *s, int *base)
{
	bool hex_prefix = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');

	if (*base == 0) {
		if (hex_prefix && digit_value(s[2]) < 16) {
			*base = 16;
			return s + 2;
		}
		*base = s[0] == '0' ? 8 : 10;
		return s;
	}
	if (*base == 16 && hex_prefix)
		return s + 2;
	return s;
}

/* Parse an unsigned number with no sign; see the top of the file. */
static int parse_unsigned(const char *s, int base, unsigned long long *res)
{
	unsigned long long val = 0;
	bool overflow = false;

	if (base != 0 && (base < 2 || base > 16))
		return -EINVAL;
	s = fixup_base(s, &base);
	if (*s == '\0' || *s == '\n')
		return -EINVAL;
	for (; *s; s++) {
		unsigned int d = digit_value(*s);

		if (*s == '\n' && s[1] == '\0')
			break;		/* one newline at the end, as Linux allows */
		if (d >= (unsigned int)base)
			return -EINVAL;
		if (val > (ULL_MAX - d) / base)
			overflow = true;
		else
			val = val * base + d;
	}
	if (overflow)
		return -ERANGE;
	*res = val;
	return 0;
}

int kstrtoull(const char *s, int base, unsigned long long *res)
{
	if (s[0] == '+')
		s++;
	return parse_unsigned(s, base, res);
}

int kstrtoll(const char *s, int base, long long *res)
{
	bool neg = s[0] == '-';
	unsigned long long mag;
	int err;

	if (s[0] == '-' || s[0] == '+')
		s++;
	err = parse_unsigned(s, base, &mag);
	if (err)
		return err;
	if (neg) {
		/* One more negative value than positive: LLONG_MIN. */
		if (mag > (unsigned long long)LL_MAX + 1)
			return -ERANGE;
		/* -(mag - 1) - 1 reaches LLONG_MIN without overflowing. */
		*res = mag ? -(long long)(mag - 1) - 1 : 0;
	} else {
		if (mag > (unsigned long long)LL_MAX)
			return -ERANGE;
		*res = (long long)mag;
	}
	return 0;
}

/*
 * kstrtobool, as Linux's: only the first character counts (the second
 * after an 'o'), so "yes", "Y", "1", "true", "on" are true and "no",
 * "0", "false", "off" false.
 */
int kstrtobool(const char *s, bool *res)
{
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*res = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*res = false;
		return 0;
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N') {
			*res = true;
			return 0;
		}
		if (s[1] == 'f' || s[1] == 'F') {
			*res = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/* The sized forms: kstrtoint and friends, each refusing what its type
 * cannot hold with -ERANGE, as Linux's. */
#define KSTRTO_SIGNED(name, type, min, max)                               \
int name(const char *s, unsigned int base, type *res)                    \
{                                                                         \
	long long v;                                                      \
	int err = kstrtoll(s, (int)base, &v);                             \
	if (err)                                                          \
		return err;                                               \
	if (v < (min) || v > (max))                                       \
		return -ERANGE;                                           \
	*res = (type)v;                                                   \
	return 0;                                                         \
}
#define KSTRTO_UNSIGNED(name, type, max)                                  \
int name(const char *s, unsigned int base, type *res)                    \
{                                                                         \
	unsigned long long v;                                             \
	int err = kstrtoull(s, (int)base, &v);                            \
	if (err)                                                          \
		return err;                                               \
	if (v > (max))                                                    \
		return -ERANGE;                                           \
	*res = (type)v;                                                   \
	return 0;                                                         \
}
KSTRTO_SIGNED(kstrtoint, int, -2147483647LL - 1, 2147483647LL)
KSTRTO_SIGNED(kstrtol, long, -9223372036854775807LL - 1, 9223372036854775807LL)
KSTRTO_SIGNED(kstrtos16, short, -32768, 32767)
KSTRTO_SIGNED(kstrtos8, signed char, -128, 127)
KSTRTO_UNSIGNED(kstrtouint, unsigned int, 4294967295ULL)
KSTRTO_UNSIGNED(kstrtoul, unsigned long, ~0ULL)
KSTRTO_UNSIGNED(kstrtou16, unsigned short, 65535)
KSTRTO_UNSIGNED(kstrtou8, unsigned char, 255)
