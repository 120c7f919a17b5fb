/*
 * shell.c - read a line from the serial console, run a command.
 *
 * Input is interrupt-driven: the UART's IRQ puts bytes in a buffer
 * (arch/x86/serial.c) and wakes this thread, which otherwise sleeps on a
 * wait queue - so an idle shell costs no CPU. Line editing: backspace,
 * Ctrl-U (erase line), Ctrl-C (abandon line). Commands are declared with
 * SHELL_COMMAND() anywhere (shell.h); the few that belong to no other
 * part of the lab are here. Unknown commands get one line.
 */
#include "lab/shell.h"
#include "kernel/cpumask.h"
#include "kernel/init.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "arch/x86/serial.h"
#include "sched/sched.h"
#include "sched/wait.h"

#define SHELL_LINE_MAX 256
#define MAX_ARGS 16
#define PROMPT "smpkern> "

static DECLARE_WAIT_QUEUE_HEAD(input_wq);
static bool command_running;	/* the shell thread is in a command */
static bool interrupted;	/* Ctrl-C came during it */

/* The serial interrupt: wake the shell, or - while a command runs - look
 * for a Ctrl-C in what was typed. */
static void input_ready(void)
{
	int c;

	if (!READ_ONCE(command_running)) {
		wake_up(&input_wq);
		return;
	}
	while ((c = serial_read()) >= 0)
		if (c == 0x03)
			WRITE_ONCE(interrupted, true);
}

bool shell_interrupted(void)
{
	return READ_ONCE(interrupted);
}

static int read_char(void)
{
	int c;

	wait_event(input_wq, (c = serial_read()) >= 0);
	return c;
}

static void echo(const char *s)
{
	console_write(s, strlen(s));
}

/* Read one line with basic editing; returns its length. */
static int read_line(char *buf, int size)
{
	int n = 0;

	echo(PROMPT);
	for (;;) {
		int c = read_char();
		if (c == '\r' || c == '\n') {
			echo("\n");
			buf[n] = 0;
			return n;
		} else if ((c == 0x7f || c == 0x08) && n > 0) {
			n--;
			echo("\b \b");
		} else if (c == 0x15) {			/* Ctrl-U */
			while (n > 0 && n--)
				echo("\b \b");
		} else if (c == 0x03) {			/* Ctrl-C */
			echo("^C\n" PROMPT);
			n = 0;
		} else if (c >= 0x20 && c < 0x7f && n < size - 1) {
			char s[2] = { (char)c, 0 };
			buf[n++] = (char)c;
			echo(s);
		}
	}
}

/* ---- commands ---- */

extern const struct shell_command __start_shell_commands[], __stop_shell_commands[];

#define for_each_command(c) \
	for (const struct shell_command *c = __start_shell_commands; \
	     c < __stop_shell_commands; c++)

static void cmd_cpus(int argc, char **argv)
{
	int cpu;

	(void)argc; (void)argv;
	for_each_online_cpu(cpu)
		printk(KERN_INFO "cpu%d: APIC id %u, %llu ticks, %d runnable\n", cpu,
		       cpu_apic_id[cpu], (unsigned long long)per_cpu(tick_count, cpu),
		       nr_running_on(cpu));
	printk(KERN_INFO "%d CPUs online\n", num_online_cpus());
}
SHELL_COMMAND(cpus, "", "online CPUs, their ticks and run queues", cmd_cpus);

static void cmd_ps(int argc, char **argv)
{
	(void)argc; (void)argv;
	sched_print_tasks();
}
SHELL_COMMAND(ps, "", "threads: CPU, state, switches, run time", cmd_ps);

static void cmd_mem(int argc, char **argv)
{
	struct kmalloc_stats st;

	(void)argc; (void)argv;
	kmalloc_get_stats(&st);
	printk(KERN_INFO "mem: %lu of %lu pages free; heap: %lu objects, %lu bytes, "
	       "%lu pages; %lu kernel stacks\n", pmm_free_pages(), pmm_total_pages(),
	       st.allocations, st.bytes_in_use, st.pages, kstack_in_use());
}
SHELL_COMMAND(mem, "", "free pages, heap and stacks", cmd_mem);

static void cmd_poweroff(int argc, char **argv)
{
	(void)argc; (void)argv;
	printk(KERN_INFO "poweroff: bye\n");
	machine_exit(EXIT_SUCCESS_CODE);
}
SHELL_COMMAND(poweroff, "", "leave QEMU", cmd_poweroff);

/* In alphabetical order: the linker's order is the files' link order. */
static void cmd_help(int argc, char **argv)
{
	const char *last = "";

	(void)argc; (void)argv;
	for (;;) {
		const struct shell_command *next = NULL;
		for_each_command(c)
			if (strcmp(c->name, last) > 0 &&
			    (!next || strcmp(c->name, next->name) < 0))
				next = c;
		if (!next)
			return;
		printk(KERN_INFO "  %-8s %-44s %s\n", next->name, next->args, next->help);
		last = next->name;
	}
}
SHELL_COMMAND(help, "", "this list", cmd_help);

static int split(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p && argc < MAX_ARGS;) {
		while (*p == ' ')
			*p++ = 0;
		if (!*p)
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	return argc;
}

void shell_execute(char *line)
{
	char *argv[MAX_ARGS];
	int argc = split(line, argv);

	if (!argc)
		return;
	for_each_command(c)
		if (strcmp(argv[0], c->name) == 0) {
			WRITE_ONCE(interrupted, false);
			WRITE_ONCE(command_running, true);
			c->fn(argc, argv);
			WRITE_ONCE(command_running, false);
			if (READ_ONCE(interrupted))
				printk(KERN_NOTICE "^C: %s stopped\n", argv[0]);
			return;
		}
	printk(KERN_WARNING "unknown command '%s'; try 'help'\n", argv[0]);
}

static int shell_thread(void *unused)
{
	char line[SHELL_LINE_MAX];

	(void)unused;
	serial_set_rx_hook(input_ready);
	console_show_task(current);	/* our output shows at any loglevel */
	printk(KERN_INFO "shell: type 'help' for commands, Ctrl-A X leaves QEMU\n");
	for (;;) {
		read_line(line, sizeof(line));
		shell_execute(line);
	}
	return 0;
}
init_program(shell_thread);
