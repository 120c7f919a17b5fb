/*
 * cmdline.c - parse the kernel command line.
 *
 * Design: cmdline_parse() copies the boot loader's string twice into
 * static buffers: `raw` stays untouched for printing, `work` is cut up
 * in place (separators and the first '=' of each token become NULs) so
 * every option is just a pair of pointers into it. No allocation, no
 * limits other than the fixed sizes in cmdline.h, and a second call
 * simply starts over, which is what host tests rely on.
 *
 * The input is treated as hostile: anything odd (no key, a key that is
 * too long, control bytes, too many options, a line too long) produces
 * one warning through cmdline_warn() and is dropped, never a crash. The
 * getters are equally careful: a bad value gives the caller's default.
 *
 * The module stands alone on purpose: it carries its own tiny string
 * and number helpers instead of depending on the rest of the kernel.
 */
#include "kernel/cmdline.h"

#define LL_MAX 0x7fffffffffffffffULL	/* magnitude of LLONG_MAX */
#define ULL_MAX 0xffffffffffffffffULL

struct opt {
	const char *key;
	const char *value;	/* NULL for a bare flag */
	bool used;		/* a getter asked for it */
	bool reported;		/* already warned as unknown */
};

static char raw[CMDLINE_MAX];
static char work[CMDLINE_MAX];
static struct opt opts[CMDLINE_MAX_OPTS];
static int nopts;

/*
 * Bounds of the declared options, provided by the linker. Weak so that
 * a program declaring no option at all still links (both become NULL).
 */
extern const struct cmdline_option __start_cmdline_options[]
	__attribute__((weak));
extern const struct cmdline_option __stop_cmdline_options[]
	__attribute__((weak));

/* ---- small string helpers ---- */

static size_t str_len(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Does key start with prefix? */
static bool str_starts(const char *key, const char *prefix)
{
	while (*prefix && *key == *prefix) {
		key++;
		prefix++;
	}
	return !*prefix;
}

static char to_lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static bool str_eq_nocase(const char *a, const char *b)
{
	while (*a && to_lower(*a) == to_lower(*b)) {
		a++;
		b++;
	}
	return to_lower(*a) == to_lower(*b);
}

/* Newlines count as separators too: some loaders leave one at the end. */
static bool is_sep(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Printable ASCII only; anything else could garble the console. */
static bool is_printable(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 0x20 && u < 0x7f;
}

/* ---- parsing ---- */

/* Say what a cut dropped: its size, and how it begins (the options a
 * user would miss, `poweroff` say, are often the last ones). */
static void warn_truncated(const char *s, size_t keep, size_t n)
{
	char from[40];
	size_t i = 0, j = keep;
	int tokens = 0;

	for (size_t k = keep; k < n; k++)
		tokens += !is_sep(s[k]) && (k == keep || is_sep(s[k - 1]));
	while (j < n && is_sep(s[j]))
		j++;
	for (; j < n && i < sizeof(from) - 4; j++)
		from[i++] = is_printable(s[j]) ? s[j] : '?';
	if (j < n)
		for (int d = 0; d < 3; d++)
			from[i++] = '.';
	from[i] = '\0';
	cmdline_warn("cmdline: command line truncated at %lld bytes: dropped "
		     "the last %lld bytes, %d option(s), from '%s'\n", (long long)keep,
		     (long long)(n - keep), tokens, from);
}

/*
 * Copy s into raw[]. A line that does not fit is cut before the token
 * that straddles the limit: half an option could mean something else
 * (smp.max=12 becoming smp.max=1).
 */
static void copy_line(const char *s)
{
	size_t n = str_len(s);
	size_t keep = n;

	if (n > CMDLINE_MAX - 1) {
		keep = CMDLINE_MAX - 1;
		if (!is_sep(s[keep]))
			while (keep > 0 && !is_sep(s[keep - 1]))
				keep--;
		warn_truncated(s, keep, n);
	}
	for (size_t i = 0; i < keep; i++)
		raw[i] = s[i];
	raw[keep] = '\0';
}

static struct opt *find_opt(const char *key)
{
	if (!key)
		return NULL;
	for (int i = 0; i < nopts; i++)
		if (str_eq(opts[i].key, key))
			return &opts[i];
	return NULL;
}

/*
 * Record one NUL-terminated token from work[]. Returns false only when
 * the table is full, so the caller can count what it had to drop; every
 * other problem is reported here.
 */
static bool add_token(char *tok)
{
	char *eq = NULL;
	size_t klen;
	struct opt *o;

	for (char *p = tok; *p; p++) {
		if (!is_printable(*p)) {
			/* Don't echo the token: it is what we can't print. */
			cmdline_warn("cmdline: option with non-printable "
				     "byte %u ignored\n",
				     (unsigned)(unsigned char)*p);
			return true;
		}
		if (*p == '=' && !eq)
			eq = p;
	}

	klen = eq ? (size_t)(eq - tok) : str_len(tok);
	if (klen == 0) {
		cmdline_warn("cmdline: option '%s' has no key, ignored\n", tok);
		return true;
	}
	if (klen > CMDLINE_KEY_MAX) {
		cmdline_warn("cmdline: option key of %u characters is too "
			     "long (max %d), ignored\n",
			     (unsigned)klen, CMDLINE_KEY_MAX);
		return true;
	}

	if (eq)
		*eq = '\0';	/* split: key before, value after */

	o = find_opt(tok);
	if (o) {
		cmdline_warn("cmdline: option '%s' given twice, "
			     "using the last value\n", tok);
		o->value = eq ? eq + 1 : NULL;
		return true;
	}
	if (nopts == CMDLINE_MAX_OPTS)
		return false;
	opts[nopts++] = (struct opt){ .key = tok, .value = eq ? eq + 1 : NULL };
	return true;
}

void cmdline_parse(const char *s)
{
	char *p = work;
	int dropped = 0;

	for (int i = 0; i < CMDLINE_MAX_OPTS; i++)
		opts[i] = (struct opt){ 0 };
	nopts = 0;

	copy_line(s ? s : "");
	for (size_t i = 0; i < sizeof(raw); i++)
		work[i] = raw[i];

	for (;;) {
		char *tok;

		while (is_sep(*p))
			p++;
		if (!*p)
			break;
		tok = p;
		while (*p && !is_sep(*p))
			p++;
		if (*p)
			*p++ = '\0';
		if (!add_token(tok))
			dropped++;
	}
	if (dropped)
		cmdline_warn("cmdline: too many options (max %d), "
			     "ignored %d\n", CMDLINE_MAX_OPTS, dropped);
}

/* ---- getters ---- */

/* Find key and remember that someone cares about it. */
static struct opt *lookup(const char *key)
{
	struct opt *o = find_opt(key);

	if (o)
		o->used = true;
	return o;
}

enum num_result { NUM_OK, NUM_MALFORMED, NUM_OVERFLOW };

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = to_lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Parse a whole string as [+-]decimal or [+-]0xhex. The magnitude is
 * accumulated unsigned with an exact overflow test before each step;
 * after an overflow we keep scanning so that "999...9x" is still called
 * malformed rather than out of range.
 */
static enum num_result parse_number(const char *s, long long *out)
{
	unsigned long long mag = 0, limit;
	unsigned base = 10;
	bool neg = false, overflow = false;

	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!*s)
		return NUM_MALFORMED;	/* "", "-", "0x" */

	for (; *s; s++) {
		int d = digit_value(*s);

		if (d < 0 || (unsigned)d >= base)
			return NUM_MALFORMED;
		if (mag > (ULL_MAX - (unsigned)d) / base)
			overflow = true;
		else
			mag = mag * base + (unsigned)d;
	}

	/* Two's complement: one more negative value than positive. */
	limit = neg ? LL_MAX + 1 : LL_MAX;
	if (overflow || mag > limit)
		return NUM_OVERFLOW;
	if (!neg)
		*out = (long long)mag;
	else if (mag == LL_MAX + 1)
		*out = -(long long)LL_MAX - 1;
	else
		*out = -(long long)mag;
	return NUM_OK;
}

/* For warnings: a bare flag prints as 'key', otherwise as 'key=value'. */
#define OPT_FMT "'%s%s%s'"
#define OPT_ARGS(o) (o)->key, (o)->value ? "=" : "", \
		    (o)->value ? (o)->value : ""

long long cmdline_get_int(const char *key, long long def, long long min,
			  long long max)
{
	struct opt *o = lookup(key);
	enum num_result r;
	long long v = 0;

	if (!o)
		return def;
	r = o->value ? parse_number(o->value, &v) : NUM_MALFORMED;
	if (r == NUM_MALFORMED) {
		cmdline_warn("cmdline: option " OPT_FMT " is not a number, "
			     "using default %lld\n", OPT_ARGS(o), def);
		return def;
	}
	if (r == NUM_OVERFLOW || v < min || v > max) {
		cmdline_warn("cmdline: option " OPT_FMT " is out of range "
			     "[%lld, %lld], using default %lld\n",
			     OPT_ARGS(o), min, max, def);
		return def;
	}
	return v;
}

static const char *const true_words[] = { "1", "y", "yes", "on", "true" };
static const char *const false_words[] = { "0", "n", "no", "off", "false" };

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq_nocase(s, list[i]))
			return true;
	return false;
}

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

bool cmdline_get_bool(const char *key, bool def)
{
	struct opt *o = lookup(key);

	if (!o)
		return def;
	if (!o->value)
		return true;	/* a bare flag switches the thing on */
	if (in_list(o->value, true_words, ARRAY_LEN(true_words)))
		return true;
	if (in_list(o->value, false_words, ARRAY_LEN(false_words)))
		return false;
	cmdline_warn("cmdline: option " OPT_FMT " is not a boolean, "
		     "using default %s\n", OPT_ARGS(o), def ? "true" : "false");
	return def;
}

const char *cmdline_get_str(const char *key, const char *def)
{
	struct opt *o = lookup(key);

	if (!o)
		return def;
	return o->value ? o->value : "";
}

bool cmdline_has(const char *key)
{
	return lookup(key) != NULL;
}

bool cmdline_is_used(const char *key)
{
	struct opt *o = find_opt(key);

	return o && o->used;
}

void cmdline_for_each(const char *prefix,
		      void (*fn)(const char *key, const char *value, void *arg), void *arg)
{
	for (int i = 0; i < nopts; i++) {
		if (!str_starts(opts[i].key, prefix))
			continue;
		opts[i].used = true;
		fn(opts[i].key, opts[i].value, arg);
	}
}

int cmdline_count(void)
{
	return nopts;
}

const char *cmdline_raw(void)
{
	return raw;
}

/* ---- declared options ---- */

/* A declared "name.*" stands for every key "name.something". */
static bool declaration_matches(const char *decl, const char *key)
{
	size_t n = str_len(decl);

	if (n >= 2 && decl[n - 1] == '*' && decl[n - 2] == '.') {
		for (size_t i = 0; i < n - 1; i++)
			if (key[i] != decl[i])
				return false;
		return key[n - 1] != '\0';
	}
	return str_eq(decl, key);
}

static bool is_declared(const char *key)
{
	const struct cmdline_option *d;

	for (d = __start_cmdline_options; d < __stop_cmdline_options; d++)
		if (d->key && declaration_matches(d->key, key))
			return true;
	return false;
}

void cmdline_check_unknown(void)
{
	for (int i = 0; i < nopts; i++) {
		if (opts[i].reported || is_declared(opts[i].key))
			continue;
		opts[i].reported = true;
		cmdline_warn("cmdline: unknown option '%s' ignored\n",
			     opts[i].key);
	}
}

/* Several modules may read the same key; list it only the first time. */
static bool declared_before(const struct cmdline_option *d)
{
	for (const struct cmdline_option *e = __start_cmdline_options; e < d;
	     e++)
		if (e->key && str_eq(e->key, d->key))
			return true;
	return false;
}

void cmdline_print_help(void)
{
	const struct cmdline_option *d;
	int n = 0;

	cmdline_print("cmdline: known options:\n");
	for (d = __start_cmdline_options; d < __stop_cmdline_options; d++) {
		if (!d->key || declared_before(d))
			continue;
		cmdline_print("  %s: %s\n", d->key, d->help ? d->help : "");
		n++;
	}
	if (n == 0)
		cmdline_print("  (none)\n");
}
