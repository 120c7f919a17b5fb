/*
 * printk.h - the kernel's printf, with Linux's log levels.
 *
 *   printk(KERN_ERR "disk %d failed\n", n);   or   pr_err("...", ...)
 *
 * Each line reaches the console whole, prefixed with the time since boot
 * and the CPU that printed it:
 *
 *   [    0.123456][C1] disk 3 failed
 *
 * Lines from different CPUs never mix: a message is formatted into a
 * buffer first and written under a lock. Messages less important than
 * the loglevel= option (default 7: everything but debug) are dropped.
 * printk may be called from any context, interrupts included; it spins
 * briefly on the console lock and never sleeps.
 */
#pragma once
#include <stdarg.h>
#include "kernel/compiler.h"

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

#define pr_emerg(...)   printk(KERN_EMERG __VA_ARGS__)
#define pr_crit(...)    printk(KERN_CRIT __VA_ARGS__)
#define pr_err(...)     printk(KERN_ERR __VA_ARGS__)
#define pr_warn(...)    printk(KERN_WARNING __VA_ARGS__)
#define pr_notice(...)  printk(KERN_NOTICE __VA_ARGS__)
#define pr_info(...)    printk(KERN_INFO __VA_ARGS__)
#define pr_debug(...)   printk(KERN_DEBUG __VA_ARGS__)

/* Write raw text, no prefix: used for the panic path and the test protocol. */
void console_write(const char *s, unsigned long len);
/* The same, to the console only (not the log): bulk output for tools. */
void console_write_unlogged(const char *s, unsigned long len);
/* Everything task t prints reaches the console, whatever its level (the
 * shell's output, under a quiet loglevel). */
struct task_struct;
void console_show_task(struct task_struct *t);

/* The log buffer: the last LOG_BUF_SIZE bytes of console output. */
#define LOG_BUF_SIZE (64 * 1024)
/* Position after the newest byte (bytes ever written). */
unsigned long log_buf_end(void);
/* Copy from position `from` (or the oldest kept) on, NUL-terminated. */
unsigned long log_buf_copy(char *dst, unsigned long size, unsigned long from);

/* Set by panic(): from then on printk ignores the console lock. */
extern volatile int oops_in_progress;

