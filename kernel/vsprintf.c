/*
 * vsprintf.c - formatted output into a buffer: vsnprintf and snprintf.
 *
 * Ordinary characters of the format are copied out; a '%' starts a
 * conversion spec, %[flags][width][.precision][length]conversion. The
 * spec is parsed into a struct fmt_spec, then the argument is fetched
 * at the type the length modifier names and printed.
 *
 * All output goes through a cursor, struct outbuf, which stores a
 * character only while there is room for it and the final NUL but
 * counts every one. That count is the return value C asks for: the
 * length the whole output would have had, so callers can detect
 * truncation, and size 0 just measures.
 *
 * Integers are printed as an unsigned magnitude plus a separate sign
 * prefix. The magnitude of a negative value is computed in unsigned
 * arithmetic, which is how LLONG_MIN prints without overflowing.
 */
#include <stdbool.h>
#include <stdint.h>
#include "kernel/string.h"
#include "kernel/vsprintf.h"

#define FL_LEFT		0x01	/* '-': pad on the right, not the left */
#define FL_ZERO		0x02	/* '0': pad numbers with zeros, not spaces */
#define FL_PLUS		0x04	/* '+': print a sign even when positive */
#define FL_SPACE	0x08	/* ' ': a space where '+' would have gone */
#define FL_ALT		0x10	/* '#': "0x" for hex, a leading 0 for octal */

enum length { LEN_NONE, LEN_HH, LEN_H, LEN_L, LEN_LL, LEN_Z, LEN_T };

struct fmt_spec {
	unsigned int flags;	/* FL_* */
	int width;		/* minimum field width; 0 if none */
	int precision;		/* -1 if none */
	enum length length;
	char conv;		/* the conversion character, e.g. 'd' */
};

struct outbuf {
	char *buf;
	size_t size;
	size_t pos;		/* characters produced so far, stored or not */
};

static void emit_char(struct outbuf *out, char c)
{
	/* The last byte of the buffer is kept for the NUL. */
	if (out->pos + 1 < out->size)
		out->buf[out->pos] = c;
	out->pos++;
}

static void emit_repeat(struct outbuf *out, char c, long long n)
{
	for (; n > 0; n--)
		emit_char(out, c);
}

static void emit_str(struct outbuf *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		emit_char(out, s[i]);
}

/* Emit len characters of s, padded with spaces to the field width. */
static void emit_padded(struct outbuf *out, const struct fmt_spec *spec,
			const char *s, size_t len)
{
	int pad = (size_t)spec->width > len ? spec->width - (int)len : 0;

	if (!(spec->flags & FL_LEFT))
		emit_repeat(out, ' ', pad);
	emit_str(out, s, len);
	if (spec->flags & FL_LEFT)
		emit_repeat(out, ' ', pad);
}

/*
 * Emit val in the given base after a prefix (a sign and/or "0x"),
 * laid out as
 *
 *	[spaces] prefix [zeros] digits [spaces]
 *
 * where the zeros make up the precision, or fill the width for '0'.
 */
static void emit_number(struct outbuf *out, const struct fmt_spec *spec,
			const char *prefix, unsigned long long val,
			unsigned int base)
{
	const char *digit_chars = spec->conv == 'X' ? "0123456789ABCDEF"
						    : "0123456789abcdef";
	char digits[22];	/* enough for 64 bits in octal */
	int ndigits = 0, zeros = 0;
	int plen = (int)strlen(prefix);
	long long pad;		/* wide: width and precision may be INT_MAX */
	bool is_zero = val == 0;

	/* C: a precision of 0 prints no digits at all for the value 0. */
	for (; val != 0 || (ndigits == 0 && spec->precision != 0); val /= base)
		digits[ndigits++] = digit_chars[val % base];
	if (spec->precision > ndigits)
		zeros = spec->precision - ndigits;
	/* '#' on %o: the first digit printed must be a 0. */
	if ((spec->flags & FL_ALT) && spec->conv == 'o' && zeros == 0 &&
	    !(is_zero && ndigits > 0))
		zeros = 1;
	pad = (long long)spec->width - plen - zeros - ndigits;
	/* '0' turns the padding into zeros, unless '-' or a precision. */
	if ((spec->flags & (FL_ZERO | FL_LEFT)) == FL_ZERO &&
	    spec->precision < 0 && pad > 0) {
		zeros += (int)pad;
		pad = 0;
	}
	if (!(spec->flags & FL_LEFT))
		emit_repeat(out, ' ', pad);
	emit_str(out, prefix, plen);
	emit_repeat(out, '0', zeros);
	while (ndigits > 0)
		emit_char(out, digits[--ndigits]);
	if (spec->flags & FL_LEFT)
		emit_repeat(out, ' ', pad);
}

/*
 * Fetch an integer argument at the type named by the length modifier.
 * Types narrower than int arrive promoted to int, so they are fetched
 * as int and cut back down.
 */
static long long fetch_signed(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:	return (signed char)va_arg(*ap, int);
	case LEN_H:	return (short)va_arg(*ap, int);
	case LEN_L:	return va_arg(*ap, long);
	case LEN_LL:	return va_arg(*ap, long long);
	case LEN_Z:	/* the signed size_t: same size as ptrdiff_t */
	case LEN_T:	return va_arg(*ap, ptrdiff_t);
	default:	return va_arg(*ap, int);
	}
}

static unsigned long long fetch_unsigned(enum length len, va_list *ap)
{
	switch (len) {
	case LEN_HH:	return (unsigned char)va_arg(*ap, unsigned int);
	case LEN_H:	return (unsigned short)va_arg(*ap, unsigned int);
	case LEN_L:	return va_arg(*ap, unsigned long);
	case LEN_LL:	return va_arg(*ap, unsigned long long);
	case LEN_Z:	/* the unsigned ptrdiff_t: same size as size_t */
	case LEN_T:	return va_arg(*ap, size_t);
	default:	return va_arg(*ap, unsigned int);
	}
}

static void format_signed(struct outbuf *out, const struct fmt_spec *spec,
			  va_list *ap)
{
	long long v = fetch_signed(spec->length, ap);
	/* Negate in unsigned arithmetic: -LLONG_MIN does not fit. */
	unsigned long long mag = v < 0 ? 0ULL - (unsigned long long)v
				       : (unsigned long long)v;
	const char *sign = "";

	if (v < 0)
		sign = "-";
	else if (spec->flags & FL_PLUS)
		sign = "+";
	else if (spec->flags & FL_SPACE)
		sign = " ";
	emit_number(out, spec, sign, mag, 10);
}

static void format_unsigned(struct outbuf *out, const struct fmt_spec *spec,
			    va_list *ap)
{
	unsigned long long v = fetch_unsigned(spec->length, ap);
	const char *prefix = "";
	unsigned int base = 10;

	if (spec->conv == 'o') {
		base = 8;
	} else if (spec->conv == 'x' || spec->conv == 'X') {
		base = 16;
		/* As in C, 0 gets no "0x". */
		if ((spec->flags & FL_ALT) && v != 0)
			prefix = spec->conv == 'X' ? "0X" : "0x";
	}
	emit_number(out, spec, prefix, v, base);
}

static void format_pointer(struct outbuf *out, const struct fmt_spec *spec,
			   va_list *ap)
{
	struct fmt_spec hex = *spec;

	/* Always all 16 digits, so addresses line up in logs. */
	hex.precision = 2 * sizeof(void *);
	hex.conv = 'x';
	emit_number(out, &hex, "0x", (uintptr_t)va_arg(*ap, void *), 16);
}

#ifndef HOST_TEST
#include "kernel/ksyms.h"
#else
static void ksym_format(char *buf, size_t len, uintptr_t addr)
{
	snprintf(buf, len, "%#lx", (unsigned long)addr);
}
#endif

/* %pS: a code address as "function+0xoffset/0xsize" (kernel/ksyms.c). */
static void format_symbol(struct outbuf *out, const struct fmt_spec *spec,
			  va_list *ap)
{
	char sym[128];

	ksym_format(sym, sizeof(sym), (uintptr_t)va_arg(*ap, void *));
	emit_padded(out, spec, sym, strlen(sym));
}

static void format_char(struct outbuf *out, const struct fmt_spec *spec,
			va_list *ap)
{
	char c = (char)va_arg(*ap, int);

	emit_padded(out, spec, &c, 1);
}

static void format_string(struct outbuf *out, const struct fmt_spec *spec,
			  va_list *ap)
{
	const char *s = va_arg(*ap, const char *);
	size_t len;

	if (!s)
		s = "(null)";
	/* With a precision, s need not be NUL-terminated: use strnlen. */
	if (spec->precision >= 0)
		len = strnlen(s, spec->precision);
	else
		len = strlen(s);
	emit_padded(out, spec, s, len);
}

static const char *parse_flags(const char *p, unsigned int *flags)
{
	for (;; p++) {
		switch (*p) {
		case '-':	*flags |= FL_LEFT; break;
		case '0':	*flags |= FL_ZERO; break;
		case '+':	*flags |= FL_PLUS; break;
		case ' ':	*flags |= FL_SPACE; break;
		case '#':	*flags |= FL_ALT; break;
		default:	return p;
		}
	}
}

/*
 * Parse a width or precision: '*' takes it from the arguments, else
 * decimal digits (none means 0). Absurd values saturate at INT_MAX
 * rather than overflow.
 */
static const char *parse_count(const char *p, int *n, va_list *ap)
{
	if (*p == '*') {
		*n = va_arg(*ap, int);
		return p + 1;
	}
	for (*n = 0; *p >= '0' && *p <= '9'; p++) {
		if (*n <= (__INT_MAX__ - 9) / 10)
			*n = *n * 10 + (*p - '0');
		else
			*n = __INT_MAX__;
	}
	return p;
}

static const char *parse_length(const char *p, enum length *len)
{
	*len = LEN_NONE;
	switch (*p) {
	case 'h':
		*len = p[1] == 'h' ? LEN_HH : LEN_H;
		return *len == LEN_HH ? p + 2 : p + 1;
	case 'l':
		*len = p[1] == 'l' ? LEN_LL : LEN_L;
		return *len == LEN_LL ? p + 2 : p + 1;
	case 'z':
		*len = LEN_Z;
		return p + 1;
	case 't':
		*len = LEN_T;
		return p + 1;
	default:
		return p;
	}
}

/*
 * Parse the spec that follows a '%' into *spec. Returns a pointer to
 * the conversion character, which is the NUL if the format ends early.
 */
static const char *parse_spec(const char *p, struct fmt_spec *spec,
			      va_list *ap)
{
	spec->flags = 0;
	p = parse_flags(p, &spec->flags);
	p = parse_count(p, &spec->width, ap);
	if (spec->width < 0) {
		/* C: a negative '*' width means '-' and its absolute value. */
		spec->flags |= FL_LEFT;
		spec->width = spec->width < -__INT_MAX__ ? __INT_MAX__
							 : -spec->width;
	}
	spec->precision = -1;
	if (*p == '.') {
		p = parse_count(p + 1, &spec->precision, ap);
		/* C: a negative '*' precision counts as none. */
		if (spec->precision < 0)
			spec->precision = -1;
	}
	p = parse_length(p, &spec->length);
	spec->conv = *p;
	return p;
}

/*
 * Format the conversion starting at the '%' at start, and return
 * where the rest of the format continues.
 */
static const char *format_one(struct outbuf *out, const char *start,
			      va_list *ap)
{
	struct fmt_spec spec;
	const char *p = parse_spec(start + 1, &spec, ap);

	switch (spec.conv) {
	case 'd': case 'i':
		format_signed(out, &spec, ap);
		break;
	case 'u': case 'x': case 'X': case 'o':
		format_unsigned(out, &spec, ap);
		break;
	case 'p':
		if (p[1] == 'S') {	/* %pS: symbol+offset, as in Linux */
			format_symbol(out, &spec, ap);
			p++;
		} else
			format_pointer(out, &spec, ap);
		break;
	case 'c':	format_char(out, &spec, ap); break;
	case 's':	format_string(out, &spec, ap); break;
	case '%':	emit_char(out, '%'); break;
	case '\0':
		/* The format ended inside the spec: print what there was. */
		emit_str(out, start, p - start);
		return p;
	default:
		/* Unknown: print the spec as written, making the bug visible. */
		emit_str(out, start, p - start + 1);
		break;
	}
	return p + 1;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct outbuf out = { .buf = buf, .size = size, .pos = 0 };
	va_list args;

	/* A local copy of ap can be handed to the helpers by pointer. */
	va_copy(args, ap);
	while (*fmt) {
		if (*fmt == '%')
			fmt = format_one(&out, fmt, &args);
		else
			emit_char(&out, *fmt++);
	}
	va_end(args);
	if (size > 0)
		buf[out.pos < size ? out.pos : size - 1] = '\0';
	/* C: an output too long to count in an int is an error. */
	return out.pos > __INT_MAX__ ? -1 : (int)out.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}

/* Linux's: the length actually written (without the NUL), never more
 * than size - 1, so `len += scnprintf(buf + len, size - len, ...)` is
 * safe in a loop. */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	int ret = vsnprintf(buf, size, fmt, ap);

	if (!size)
		return 0;
	return ret < (int)size ? ret : (int)size - 1;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vscnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
