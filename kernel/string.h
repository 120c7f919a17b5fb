#pragma once
/*
 * string.h - memory and string functions, and strict number parsing.
 */
#include <stdbool.h>
#include <stddef.h>

#ifdef HOST_TEST
/*
 * Host tests link against libc, which already has the mem and str
 * functions under the same names and with the same meaning, so
 * kernel/string.c leaves them out and libc's are used instead.
 */
#include <string.h>
#else
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
void *__memset(void *dst, int c, size_t n);	/* no KASAN check */
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);

/*
 * Copy src into dst (size bytes), truncating if needed; dst is always
 * NUL-terminated when size > 0. Returns strlen(src), so truncation
 * happened iff the result is >= size.
 */
size_t strlcpy(char *dst, const char *src, size_t size);
char *strstr(const char *hay, const char *needle);
char *strncpy(char *dst, const char *src, size_t n);
char *strcpy(char *dst, const char *src);
char *strcat(char *dst, const char *src);
char *strsep(char **sp, const char *delim);
#endif

typedef long ssize_t;
/* dst always terminated; the length copied, or -E2BIG if src was cut. */
ssize_t strscpy(char *dst, const char *src, size_t size);

/*
 * Parse the whole of s as one number in the given base (0 = detect from
 * a "0x" or "0" prefix; 2..16 otherwise, and base 16 also accepts "0x").
 * A leading '+' is allowed, and '-' for kstrtoll. Nothing else may
 * follow the digits but one newline (as in Linux: a value written to a
 * file with echo parses). On success stores the value
 * in *res and returns 0; otherwise leaves *res alone and returns
 * -EINVAL (not a number) or -ERANGE (does not fit).
 */
int kstrtoull(const char *s, int base, unsigned long long *res);
int kstrtoll(const char *s, int base, long long *res);

/* y/Y/t/T/1/on are true, n/N/f/F/0/off false (the first character, or
 * two for on/off, as Linux's kstrtobool); 0 or -EINVAL. */
int kstrtobool(const char *s, bool *res);

/* Sized forms (Linux's): -EINVAL, or -ERANGE beyond the type. */
int kstrtoint(const char *s, unsigned int base, int *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtol(const char *s, unsigned int base, long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtos16(const char *s, unsigned int base, short *res);
int kstrtou16(const char *s, unsigned int base, unsigned short *res);
int kstrtos8(const char *s, unsigned int base, signed char *res);
int kstrtou8(const char *s, unsigned int base, unsigned char *res);
#define kstrtos32 kstrtoint
#define kstrtou32 kstrtouint
#define kstrtos64 kstrtoll
#define kstrtou64 kstrtoull
