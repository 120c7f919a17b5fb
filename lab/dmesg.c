/*
 * dmesg.c - the shell's `dmesg`: the log buffer, every message whatever
 * the console's loglevel showed (Linux's dmesg).
 */
#include "lab/shell.h"
#include "kernel/printk.h"

static void cmd_dmesg(int argc, char **argv)
{
	static char chunk[1024];
	unsigned long end = log_buf_end(), n;
	unsigned long from = end > LOG_BUF_SIZE ? end - LOG_BUF_SIZE : 0;	/* the oldest kept */

	(void)argc;
	(void)argv;
	/* Copy and write piecewise: what we write is logged too, so stop at
	 * the end as it was when we started. */
	while (from < end && (n = log_buf_copy(chunk, MIN(sizeof(chunk), end - from + 1),
						 from)) > 0) {
		console_write(chunk, n);
		from += n;
	}
}
SHELL_COMMAND(dmesg, "", "the kernel log: every message, shown on the console or not", cmd_dmesg);
