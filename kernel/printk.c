/*
 * printk.c - formatted, line-atomic console output.
 *
 * A message is formatted into a buffer on the caller's stack (so the
 * slow part runs without any lock), the prefix "[seconds][Ccpu] " is added
 * to every line, and the result is written to the serial port while
 * holding console_lock. The lock is a bare xchg spinlock that records its
 * owner CPU: if the owner itself prints again (an exception inside printk,
 * or an NMI), it writes anyway instead of deadlocking against itself; and
 * once a panic has started (oops_in_progress) the lock is ignored
 * entirely, because the CPU holding it may have been stopped for good.
 */
#include "kernel/boot.h"
#include "kernel/printk.h"
#include "kernel/vsprintf.h"
#include "kernel/cmdline.h"
#include "kernel/time.h"
#include "arch/x86/serial.h"
#include "arch/x86/irqflags.h"
#include "sync/atomic.h"
#include "sync/percpu.h"
#include "sched/sched.h"

#define LOG_LINE_MAX 1024
#define DEFAULT_LOGLEVEL 7

volatile int oops_in_progress;
static int console_loglevel = DEFAULT_LOGLEVEL;
static bool printk_time_ready;

static int console_owner = -1;	/* CPU holding console_lock, -1 if free */

CMDLINE_OPTION("loglevel", "console shows messages below this level (0-8, default 7)");

static struct task_struct *console_task;	/* its messages always show */

void printk_init(void)
{
	console_loglevel = (int)cmdline_get_int("loglevel", DEFAULT_LOGLEVEL, 0, 8);
	printk_time_ready = true;
	if (console_loglevel < DEFAULT_LOGLEVEL)
		printk(KERN_NOTICE "console: messages of level %d and above are not shown "
		       "(loglevel=%d); the log keeps them: `dmesg` in the shell\n",
		       console_loglevel, console_loglevel);
}

void console_show_task(struct task_struct *t)
{
	WRITE_ONCE(console_task, t);
}

/* Returns true if we took the lock (and so must release it). */
static bool console_lock(void)
{
	int me = raw_smp_processor_id();

	if (READ_ONCE(console_owner) == me || oops_in_progress)
		return false;
	while (cmpxchg(&console_owner, -1, me) != -1) {
		while (READ_ONCE(console_owner) != -1) {
			if (oops_in_progress)
				return false;
			cpu_relax();
		}
	}
	return true;
}

static void console_unlock(bool taken)
{
	if (taken)
		xchg(&console_owner, -1);
}

/*
 * The log buffer keeps the last LOG_BUF_SIZE bytes written to the console,
 * like Linux's dmesg. Tests read it to check what was printed (e.g. that
 * lines from several CPUs never mix).
 */
static char log_buf[LOG_BUF_SIZE];
static unsigned long log_end;		/* total bytes ever written */

static void log_store(const char *s, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++)
		log_buf[(log_end + i) % LOG_BUF_SIZE] = s[i];
	log_end += len;
}

unsigned long log_buf_copy(char *dst, unsigned long size, unsigned long from)
{
	unsigned long flags, n = 0;

	local_irq_save(flags);
	bool taken = console_lock();
	if (log_end - from > LOG_BUF_SIZE)
		from = log_end - LOG_BUF_SIZE;	/* older bytes are gone */
	for (; from < log_end && n + 1 < size; from++)
		dst[n++] = log_buf[from % LOG_BUF_SIZE];
	dst[n] = 0;
	console_unlock(taken);
	local_irq_restore(flags);
	return n;
}

unsigned long log_buf_end(void)
{
	return READ_ONCE(log_end);
}

/* To the log, and to the serial console if `show`. */
static void console_write_shown(const char *s, unsigned long len, bool show)
{
	unsigned long flags;

	local_irq_save(flags);
	bool taken = console_lock();
	if (show)
		serial_write(s, len);
	log_store(s, len);
	console_unlock(taken);
	local_irq_restore(flags);
}

void console_write(const char *s, unsigned long len)
{
	console_write_shown(s, len, true);
}

/* Bulk output for tools (a trace dump): to the console only, whole. */
void console_write_unlogged(const char *s, unsigned long len)
{
	unsigned long flags;

	local_irq_save(flags);
	bool taken = console_lock();
	serial_write(s, len);
	console_unlock(taken);
	local_irq_restore(flags);
}

/* Split off a leading KERN_<LEVEL> marker; default is KERN_WARNING (4). */
static const char *parse_level(const char *fmt, int *level)
{
	*level = 4;
	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		*level = fmt[1] - '0';
		return fmt + 2;
	}
	return fmt;
}

static int format_prefix(char *buf, int size)
{
	uint64_t ns = printk_time_ready ? ktime_get_ns() : 0;

	return snprintf(buf, size, "[%5llu.%06llu][C%d] ",
			(unsigned long long)(ns / 1000000000ULL),
			(unsigned long long)(ns / 1000 % 1000000),
			raw_smp_processor_id());
}

/* Copy msg into out, prefixing every line; always ends with a newline. */
static int build_lines(char *out, int size, const char *msg)
{
	char prefix[48];
	int plen = format_prefix(prefix, sizeof(prefix));
	int n = 0;
	bool line_start = true;

	for (const char *p = msg; *p && n < size - plen - 2; p++) {
		if (line_start) {
			for (int i = 0; i < plen; i++)
				out[n++] = prefix[i];
			line_start = false;
		}
		out[n++] = *p;
		if (*p == '\n')
			line_start = true;
	}
	if (n == 0 || out[n - 1] != '\n')
		out[n++] = '\n';
	return n;
}

int vprintk(const char *fmt, va_list ap)
{
	char msg[LOG_LINE_MAX];
	char out[LOG_LINE_MAX + 256];
	int level;

	fmt = parse_level(fmt, &level);
	/* Every message goes to the log (dmesg); the console shows those
	 * below loglevel, and all of the shell's. */
	bool show = level < console_loglevel || oops_in_progress ||
		    (console_task && current == READ_ONCE(console_task));
	int len = vsnprintf(msg, sizeof(msg), fmt, ap);
	int n = build_lines(out, sizeof(out), msg);
	console_write_shown(out, n, show);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	int n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

/* cmdline.c reports bad options through these two hooks. */
void cmdline_warn(const char *fmt, ...)
{
	char msg[LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("%s", msg);	/* the message ends with its own newline */
}

void cmdline_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}
