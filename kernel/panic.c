/*
 * panic.c - the last words of the kernel.
 *
 * Only one CPU may panic: the first one to claim panic_cpu prints the
 * message, stops the others (so their output does not run on past the
 * panic), dumps its stack and halts or exits QEMU. A second CPU that
 * panics meanwhile just stops. A panic inside the panic (e.g. a fault
 * while printing the backtrace) falls straight through to the exit.
 */
#include "kernel/panic.h"
#include "kernel/bootinfo.h"
#include "kernel/cpumask.h"
#include "kernel/vsprintf.h"
#include "sync/atomic.h"
#include "sync/percpu.h"
#include "arch/x86/irqflags.h"
#include "arch/x86/io.h"
#include "arch/x86/backtrace.h"

volatile int panic_cpu = -1;
bool exit_on_panic;

#define QEMU_EXIT_PORT 0xf4

__noreturn void machine_exit(int code)
{
	/* QEMU exits with status (code << 1) | 1; no-op on real hardware. */
	outl(QEMU_EXIT_PORT, (uint32_t)code);
	for (;;) {
		local_irq_disable();
		halt();
	}
}

__attribute__((weak)) void smp_stop_other_cpus(void)
{
}

void dump_stack(void)
{
	backtrace_print(read_rbp(), 0);
}

/* The same machine and command line boot the same way; a race needs the
 * same jitter=SEED too (it is in the command line when it was used).
 * RELEASE is always said: make run builds RELEASE=1 unless told. */
static void print_reproduce(void)
{
	printk(KERN_EMERG "To reproduce: make run SMP=%d%s RELEASE=%d%s%s ARGS='%s'\n",
	       num_possible_cpus(), boot_info.efi ? " UEFI=1" : "",
	       IS_ENABLED(CONFIG_RELEASE), IS_ENABLED(CONFIG_KCSAN) ? " KCSAN=1" : "",
	       IS_ENABLED(CONFIG_KASAN) ? " KASAN=1" : "", boot_info.cmdline);
}

__noreturn void panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int me = raw_smp_processor_id();

	local_irq_disable();
	if (cmpxchg(&panic_cpu, -1, me) != -1) {
		if (panic_cpu != me)
			for (;;)
				halt();	/* another CPU is panicking */
		machine_exit(EXIT_PANIC_CODE);	/* nested panic */
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	smp_stop_other_cpus();
	oops_in_progress = 1;
	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", msg);
	dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", msg);
	print_reproduce();
	if (exit_on_panic)
		machine_exit(EXIT_PANIC_CODE);
	for (;;)
		halt();
}

__noreturn void __bug(const char *file, int line, const char *cond)
{
	printk(KERN_EMERG "kernel BUG at %s:%d!%s%s\n", file, line,
	       cond ? " " : "", cond ? cond : "");
	panic("BUG at %s:%d", file, line);
}

static atomic_t nr_warnings;

unsigned int warn_count(void)
{
	return (unsigned int)atomic_read(&nr_warnings);
}

void count_warning(void)
{
	atomic_inc(&nr_warnings);
}

void __warn(const char *file, int line, const char *func, const char *cond)
{
	count_warning();
	printk(KERN_WARNING "WARNING: CPU: %d at %s:%d %s: %s\n",
	       raw_smp_processor_id(), file, line, func, cond);
	dump_stack();
}
