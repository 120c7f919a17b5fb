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
#endif

/*
 * Parse the whole of s as one number in the given base (0 = detect from
 * a "0x" or "0" prefix; 2..16 otherwise, and base 16 also accepts "0x").
 * A leading '+' is allowed, and '-' for kstrtoll. Nothing else may
 * follow the digits, not even a newline. On success stores the value
 * in *res and returns 0; otherwise leaves *res alone and returns
 * -EINVAL (not a number) or -ERANGE (does not fit).
 */
int kstrtoull(const char *s, int base, unsigned long long *res);
int kstrtoll(const char *s, int base, long long *res);

/* y/Y/t/T/1/on are true, n/N/f/F/0/off false (the first character, or
 * two for on/off, as Linux's kstrtobool); 0 or -EINVAL. */
int kstrtobool(const char *s, bool *res);
