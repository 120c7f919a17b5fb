#pragma once
/*
 * vsprintf.h - formatted output into a buffer.
 */
#include <stdarg.h>
#include <stddef.h>

#ifdef HOST_TEST
/*
 * Host tests link against libc, which has functions of the same names.
 * Rename the kernel's so a test can compare the two on the same input.
 */
#define vsnprintf kvsnprintf
#define snprintf ksnprintf
#define vscnprintf kvscnprintf
#define scnprintf kscnprintf
#endif

/*
 * C semantics: writes at most size bytes including the terminating NUL
 * (always written when size > 0) and returns the length the complete
 * output would have had, so the result was truncated iff ret >= size.
 *
 * Supports flags "-0+ #", width and precision (also '*'), length
 * modifiers hh h l ll z t, and conversions d i u x X o c s p %.
 * Unlike C: %p always prints "0x" and 16 hex digits, %pS prints a code
 * address as "function+0xoff/0xsize" (as in Linux), a NULL %s prints
 * "(null)", and an unknown conversion (including %n) is printed as
 * written.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The length written (at most size - 1), not the length wanted. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
