/*
 * shell.c - read a line from the serial console, run a command.
 *
 * Input is interrupt-driven: the UART's IRQ puts bytes in a buffer
 * (arch/x86/serial.c) and wakes this thread, which otherwise sleeps on a
 * wait queue - so an idle shell costs no CPU. Line editing: backspace,
 * Ctrl-U (erase line), Ctrl-C (abandon line). Each command is a function
 * taking argc/argv; unknown commands and bad arguments get one line.
 */
#include "kernel/shell.h"
#include "kernel/cmdline.h"
#include "kernel/counter.h"
#include "kernel/cpumask.h"
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
#include "tests/ktest.h"
#include "tests/litmus.h"

#define LINE_MAX 256
#define MAX_ARGS 16
#define PROMPT "smpkern> "

static DECLARE_WAIT_QUEUE_HEAD(input_wq);

static void input_ready(void)
{
	wake_up(&input_wq);
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

static void cmd_help(int argc, char **argv);

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

static void cmd_ps(int argc, char **argv)
{
	(void)argc; (void)argv;
	sched_print_tasks();
}

static void cmd_mem(int argc, char **argv)
{
	struct kmalloc_stats st;

	(void)argc; (void)argv;
	kmalloc_get_stats(&st);
	printk(KERN_INFO "mem: %lu of %lu pages free; heap: %lu objects, %lu bytes, "
	       "%lu pages; %lu kernel stacks\n", pmm_free_pages(), pmm_total_pages(),
	       st.allocations, st.bytes_in_use, st.pages, kstack_in_use());
}

static const char *const counter_keys[] = {
	"modes", "workers", "iters", "total", "pin", "repeat", "grid",
};

/* "counter workers=8 modes=mutex": parse with the command-line getters
 * (same checks, same messages), then put the boot command line back. */
static void cmd_counter(int argc, char **argv)
{
	static char saved[8192], line[CMDLINE_MAX];
	struct counter_opts o;
	size_t len = 0;

	line[0] = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strncmp(a, "counter.", 8) == 0)
			a += 8;
		bool known = false;
		for (unsigned k = 0; k < ARRAY_SIZE(counter_keys); k++) {
			size_t kl = strlen(counter_keys[k]);
			known |= strncmp(a, counter_keys[k], kl) == 0 && a[kl] == '=';
		}
		if (!known) {
			printk(KERN_WARNING "counter: unknown option '%s' (options: modes= "
			       "workers= iters= total= pin= repeat= grid=)\n", argv[i]);
			return;
		}
		len += snprintf(line + len, sizeof(line) - len, "counter.%s ", a);
	}
	BUG_ON(cmdline_state_size() > sizeof(saved));
	cmdline_save(saved);
	cmdline_parse(line);
	counter_opts_from_cmdline(&o);
	cmdline_restore(saved);
	counter_experiment(&o);
}

static void cmd_test(int argc, char **argv)
{
	int failed;

	ktest_run_tests(argc > 1 ? argv[1] : "", &failed);
}

static void cmd_torture(int argc, char **argv)
{
	int failed;

	(void)argc; (void)argv;
	ktest_run_tests("*torture*", &failed);
}

static void cmd_litmus(int argc, char **argv)
{
	long long n = 200000;

	if (argc > 1 && (kstrtoll(argv[1], 0, &n) || n < 1 || n > 100000000)) {
		printk(KERN_WARNING "litmus: iterations must be a number from 1 to 100000000\n");
		return;
	}
	litmus_run((int)n);
}

static void cmd_poweroff(int argc, char **argv)
{
	(void)argc; (void)argv;
	printk(KERN_INFO "poweroff: bye\n");
	machine_exit(EXIT_SUCCESS_CODE);
}

struct command {
	const char *name, *args, *help;
	void (*fn)(int argc, char **argv);
};

static const struct command commands[] = {
	{ "help", "", "this list", cmd_help },
	{ "cpus", "", "online CPUs, their ticks and run queues", cmd_cpus },
	{ "ps", "", "threads: CPU, state, switches, run time", cmd_ps },
	{ "mem", "", "free pages, heap and stacks", cmd_mem },
	{ "counter", "[workers=W iters=I total=T modes=a,b pin=1 repeat=K grid=1]",
	  "rerun the counter experiment", cmd_counter },
	{ "test", "[pattern]", "run in-kernel tests (not those that must panic)", cmd_test },
	{ "torture", "", "run the lock, RCU and seqlock torture tests", cmd_torture },
	{ "litmus", "[iterations]", "store-buffering and message-passing litmus tests", cmd_litmus },
	{ "poweroff", "", "leave QEMU", cmd_poweroff },
};

static void cmd_help(int argc, char **argv)
{
	(void)argc; (void)argv;
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		printk(KERN_INFO "  %-8s %-44s %s\n", commands[i].name, commands[i].args,
		       commands[i].help);
}

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
	for (unsigned i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(argv[0], commands[i].name) == 0) {
			commands[i].fn(argc, argv);
			return;
		}
	printk(KERN_WARNING "unknown command '%s'; try 'help'\n", argv[0]);
}

int shell_thread(void *unused)
{
	char line[LINE_MAX];

	(void)unused;
	serial_set_rx_hook(input_ready);
	printk(KERN_INFO "shell: type 'help' for commands, Ctrl-A X leaves QEMU\n");
	for (;;) {
		read_line(line, sizeof(line));
		shell_execute(line);
	}
	return 0;
}
