/*
 * watchdog.c - the soft-lockup detector.
 *
 * A CPU that runs kernel code for a long time without ever scheduling is
 * stuck: typically a loop with preemption disabled, such as spinning on a
 * lock whose holder never lets go. (With interrupts off the tick stops
 * too; catching that needs an NMI watchdog, not done here.) The scheduler
 * stamps last_schedule_ns on every schedule() and in the idle loop, and
 * the tick asks for a reschedule every time slice even when nothing else
 * is runnable, so a preemptible CPU-bound thread keeps the stamp fresh.
 * The tick checks the stamp; past the threshold it reports, once per
 * episode, like Linux: "BUG: soft lockup - CPU#n stuck for Ns!" with the
 * interrupted code's registers and backtrace.
 */
#include "sched/sched.h"
#include "kernel/cmdline.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/panic.h"

DECLARE_PER_CPU(uint64_t, last_schedule_ns);
static DEFINE_PER_CPU(uint64_t, reported_stamp);
static uint64_t threshold_ns;

CMDLINE_OPTION("watchdog.thresh", "soft-lockup threshold in seconds (0 = off, default 20)");
CMDLINE_OPTION("softlockup_panic", "softlockup_panic=1: panic at a soft lockup (Linux's; make grade uses it)");
static bool softlockup_panic;

void watchdog_set_threshold_ms(uint64_t ms)
{
	WRITE_ONCE(threshold_ns, ms * NSEC_PER_MSEC);
}

void touch_softlockup_watchdog(void)
{
	this_cpu_write(last_schedule_ns, ktime_get_ns());
}

static void watchdog_tick(void)
{
	uint64_t thresh = READ_ONCE(threshold_ns);
	uint64_t stamp = this_cpu_read(last_schedule_ns);

	if (!thresh || !stamp || this_cpu_read(reported_stamp) == stamp)
		return;
	uint64_t stuck = ktime_get_ns() - stamp;
	if (stuck < thresh)
		return;
	this_cpu_write(reported_stamp, stamp);	/* once per episode */
	struct task_struct *t = current;
	printk(KERN_EMERG "BUG: soft lockup - CPU#%d stuck for %llus! [%s:%d]\n",
	       smp_processor_id(), (unsigned long long)(stuck / NSEC_PER_SEC),
	       t->comm, t->pid);
	printk(KERN_EMERG "preempt_count: 0x%x\n", preempt_count() - HARDIRQ_OFFSET);
	dump_irq_regs();
	if (softlockup_panic)
		panic("softlockup: hung tasks");
}

void watchdog_init(void)
{
	long s = cmdline_get_int("watchdog.thresh", 20, 0, 3600);

	watchdog_set_threshold_ms((uint64_t)s * 1000);
	softlockup_panic = cmdline_get_bool("softlockup_panic", false);
	register_tick_hook(watchdog_tick);
}
