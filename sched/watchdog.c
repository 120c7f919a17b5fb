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
 *
 * A virtual CPU that the host does not run for a while is not stuck: its
 * clock goes on, its ticks do not. So a check that comes far later than
 * the tick before it (over WATCHDOG_PAUSE_NS) takes it as a pause and
 * touches the stamp instead of reporting - Linux does the same when the
 * hypervisor says the guest was paused (kvm_check_and_clear_guest_paused)
 * or its watchdog timer ran far too late. The price: a CPU that spins
 * with interrupts off is not reported here either (its ticks stop as in
 * a pause); the spinlock debugging names that case ("spinlock lockup").
 */
#include "kernel/boot.h"
#include "sched/sched.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/panic.h"

DECLARE_PER_CPU(uint64_t, last_schedule_ns);
static DEFINE_PER_CPU(uint64_t, reported_stamp);
static DEFINE_PER_CPU(uint64_t, last_check_ns);	/* the previous tick's check */
static DEFINE_PER_CPU(uint64_t, pauses);		/* seen, for the tests */
static uint64_t threshold_ns;

/* 50 ticks missed: the CPU did not run (or ran with interrupts off). */
#define WATCHDOG_PAUSE_NS (50 * NSEC_PER_MSEC)

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

uint64_t watchdog_pauses(void)
{
	uint64_t n = 0;
	int cpu;

	for_each_online_cpu(cpu)
		n += READ_ONCE(per_cpu(pauses, cpu));
	return n;
}

static void watchdog_tick(void)
{
	uint64_t thresh = READ_ONCE(threshold_ns);
	uint64_t now = ktime_get_ns(), last = this_cpu_read(last_check_ns);

	this_cpu_write(last_check_ns, now);
	if (last && now - last > WATCHDOG_PAUSE_NS) {
		this_cpu_inc(pauses);
		touch_softlockup_watchdog();	/* paused, not stuck */
		return;
	}
	uint64_t stamp = this_cpu_read(last_schedule_ns);
	if (!thresh || !stamp || this_cpu_read(reported_stamp) == stamp)
		return;
	uint64_t stuck = now - stamp;
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

void lockup_detector_init(void)
{
	long s = cmdline_get_int("watchdog.thresh", 20, 0, 3600);

	watchdog_set_threshold_ms((uint64_t)s * 1000);
	softlockup_panic = cmdline_get_bool("softlockup_panic", false);
	register_tick_hook(watchdog_tick);
}
