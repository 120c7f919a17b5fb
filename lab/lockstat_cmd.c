/*
 * lockstat_cmd.c - the shell's `lockstat` (Linux's /proc/lock_stat) and
 * `trace` (a small ftrace): the switches and the reports of
 * sync/lockstat.h and kernel/trace.h.
 */
#include "lab/shell.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/trace.h"
#include "sync/lockstat.h"

static void cmd_lockstat(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "on") == 0) {
		lockstat_reset();
		lockstat_enable(true);
		printk(KERN_INFO "lockstat: on (every lock reads the clock now; `lockstat off`)\n");
	} else if (argc > 1 && strcmp(argv[1], "off") == 0) {
		lockstat_enable(false);
		printk(KERN_INFO "lockstat: off (the numbers stay: `lockstat`)\n");
	} else if (argc > 1 && strcmp(argv[1], "reset") == 0) {
		lockstat_reset();
		printk(KERN_INFO "lockstat: numbers reset\n");
	} else if (argc > 1) {
		printk(KERN_INFO "lockstat: unknown '%s': lockstat [on | off | reset]\n", argv[1]);
	} else {
		if (!lockstat_enabled())
			printk(KERN_INFO "lockstat: off (`lockstat on`, or lockstat=1 at boot)\n");
		lockstat_print("", 40);
	}
}
SHELL_COMMAND(lockstat, "[on | off | reset]",
	      "lock statistics per class: contentions, wait and hold times", cmd_lockstat);

static void trace_status(void)
{
	int cpu;

	printk(KERN_INFO "trace: %s, %d events per CPU\n",
	       READ_ONCE(trace_on) ? "running" : "stopped", trace_size());
	for_each_online_cpu(cpu)
		printk(KERN_INFO "trace: CPU %d: %lu events, %lu dropped\n", cpu,
		       trace_len(cpu), trace_dropped(cpu));
}

/* `trace start [CLASS | all | waits | none]`: which lock events. */
static void trace_start_cmd(const char *which)
{
	int cls = TRACE_ALL_LOCKS;

	if (which && strcmp(which, "none") == 0)
		cls = TRACE_NO_LOCKS;
	else if (which && strcmp(which, "waits") == 0)
		cls = TRACE_LOCK_WAITS;
	else if (which && strcmp(which, "all") != 0) {
		cls = lockstat_class_by_name(which);
		if (!cls) {
			printk(KERN_INFO "trace: no lock class '%s' (not taken yet? `lockstat` "
			       "lists the classes, e.g. &counter_mutex)\n", which);
			return;
		}
	}
	int err = trace_start(cls);
	if (err == -EBUSY)
		printk(KERN_INFO "trace: already running (`trace stop`)\n");
	else if (!err)
		printk(KERN_INFO "trace: started (lock events: %s)\n", which ? which : "all");
}

static void cmd_trace(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : "";

	if (strcmp(sub, "start") == 0)
		trace_start_cmd(argc > 2 ? argv[2] : NULL);
	else if (strcmp(sub, "stop") == 0)
		trace_stop();
	else if (strcmp(sub, "dump") == 0)
		trace_dump(argc > 2 ? argv[2] : "shell");
	else if (!*sub)
		trace_status();
	else
		printk(KERN_INFO "trace: unknown '%s': trace [start [CLASS|all|waits|none] | stop | dump]\n",
		       sub);
}
SHELL_COMMAND(trace, "[start [CLASS|all|waits|none] | stop | dump [TITLE]]",
	      "per-CPU trace of switches, wake-ups, locks: `make trace` draws a dump", cmd_trace);
