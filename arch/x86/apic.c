/*
 * apic.c - local APIC (xAPIC and x2APIC), legacy PIC, APIC timer.
 *
 * The 8259 PICs are remapped to vectors 0x20-0x2f and fully masked: a
 * spurious IRQ from them can then never be mistaken for an exception.
 *
 * The APIC timer counts down from an initial count at a rate (the bus
 * clock / divider) we do not know, so we measure it once against the
 * calibrated TSC. It runs in one-shot mode: each interrupt is asked for
 * by lapic_next_event(), for the nearest deadline of the CPU's
 * high-resolution timers (kernel/hrtimer.c; the tick is one of them).
 * Why not TSC-deadline mode, which takes an absolute TSC value: QEMU's
 * TCG does not offer it (CPUID.1:ECX[24] is clear; the boot log says),
 * and one-shot works on every local APIC.
 */
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/irqflags.h"
#include "arch/x86/irq.h"
#include "arch/x86/paging.h"
#include "kernel/cmdline.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/mm.h"

enum {
	APIC_ID = 0x20, APIC_VERSION = 0x30, APIC_TPR = 0x80, APIC_EOI = 0xb0,
	APIC_LDR = 0xd0, APIC_DFR = 0xe0, APIC_SVR = 0xf0, APIC_ESR = 0x280,
	APIC_ICR_LO = 0x300, APIC_ICR_HI = 0x310, APIC_LVT_TIMER = 0x320,
	APIC_LVT_LINT0 = 0x350, APIC_LVT_LINT1 = 0x360, APIC_LVT_ERROR = 0x370,
	APIC_TIMER_INIT = 0x380, APIC_TIMER_CUR = 0x390, APIC_TIMER_DIV = 0x3e0,
};
#define APIC_BASE_ENABLE   (1UL << 11)
#define APIC_BASE_X2APIC   (1UL << 10)
#define APIC_SVR_ENABLE    (1U << 8)
#define APIC_LVT_MASKED    (1U << 16)
#define APIC_TIMER_PERIODIC (1U << 17)	/* (we use one-shot: 0) */
#define ICR_DELIVERY_PENDING (1U << 12)
#define ICR_INIT           0x500
#define ICR_STARTUP        0x600
#define ICR_NMI            0x400
#define ICR_LEVEL_ASSERT   0x4000
#define ICR_ALL_BUT_SELF   (3U << 18)

static volatile uint32_t *xapic_regs;
static bool x2apic;
static uint64_t timer_khz;		/* APIC timer counts per ms (divider 16) */

CMDLINE_OPTION("apic", "local APIC mode: x2apic (default when available) or xapic");

static uint32_t apic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(0x800 + (reg >> 4));
	return xapic_regs[reg / 4];
}

static void apic_write(uint32_t reg, uint32_t v)
{
	if (x2apic)
		wrmsr(0x800 + (reg >> 4), v);
	else
		xapic_regs[reg / 4] = v;
}

void pic_disable(void)
{
	/* ICW1-4: init, vector offsets 0x20/0x28, cascade on IRQ2, 8086. */
	outb(0x20, 0x11); io_wait(); outb(0xa0, 0x11); io_wait();
	outb(0x21, 0x20); io_wait(); outb(0xa1, 0x28); io_wait();
	outb(0x21, 0x04); io_wait(); outb(0xa1, 0x02); io_wait();
	outb(0x21, 0x01); io_wait(); outb(0xa1, 0x01); io_wait();
	outb(0x21, 0xff); outb(0xa1, 0xff);	/* mask everything */
}

static bool cpu_has_x2apic(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1U << 21);
}

void lapic_init_bsp(void)
{
	const char *mode = cmdline_get_str("apic", "");
	bool has = cpu_has_x2apic();

	if (strcmp(mode, "x2apic") == 0 && !has)
		pr_warn("apic: apic=x2apic requested but the CPU has no x2APIC; using xAPIC\n");
	else if (*mode && strcmp(mode, "xapic") && strcmp(mode, "x2apic"))
		pr_warn("apic: unknown mode apic=%s (expected xapic or x2apic); using the default\n",
			mode);
	x2apic = has && strcmp(mode, "xapic") != 0;
	if (!x2apic) {
		phys_addr_t base = rdmsr(MSR_APIC_BASE) & 0xffffff000UL;
		xapic_regs = ioremap(base, PAGE_SIZE);
	}
	pr_info("apic: local APIC in %s mode\n", x2apic ? "x2APIC" : "xAPIC");
}

void lapic_init_cpu(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE;

	if (x2apic)
		base |= APIC_BASE_X2APIC;
	wrmsr(MSR_APIC_BASE, base);
	apic_write(APIC_TPR, 0);			/* accept all priorities */
	apic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	apic_write(APIC_LVT_LINT1, APIC_LVT_MASKED);
	apic_write(APIC_LVT_ERROR, APIC_LVT_MASKED);
	apic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_APIC_VECTOR);
	apic_write(APIC_ESR, 0);
	apic_write(APIC_EOI, 0);
}

void lapic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

uint32_t lapic_id(void)
{
	uint32_t id = apic_read(APIC_ID);

	return x2apic ? id : id >> 24;
}

bool lapic_x2apic_mode(void)
{
	return x2apic;
}

bool lapic_ipi_idle(void)
{
	return x2apic || !(apic_read(APIC_ICR_LO) & ICR_DELIVERY_PENDING);
}

/*
 * In xAPIC mode an IPI is two register writes (destination, then command).
 * An interrupt handler that sends its own IPI between the two would
 * redirect ours, so interrupts stay off across the pair.
 */
static void send_icr(uint32_t dest, uint32_t low)
{
	unsigned long flags;

	if (x2apic) {
		wrmsr(0x830, ((uint64_t)dest << 32) | low);
		return;
	}
	local_irq_save(flags);
	for (int i = 0; i < 1000000 && !lapic_ipi_idle(); i++)
		cpu_relax();
	apic_write(APIC_ICR_HI, dest << 24);
	apic_write(APIC_ICR_LO, low);
	local_irq_restore(flags);
}

void lapic_send_ipi(uint32_t dest, int vector)
{
	send_icr(dest, (uint32_t)vector);
}

void lapic_send_ipi_all_but_self(int vector)
{
	send_icr(0, ICR_ALL_BUT_SELF | (uint32_t)vector);
}

void lapic_send_nmi_all_but_self(void)
{
	send_icr(0, ICR_ALL_BUT_SELF | ICR_NMI);
}

void lapic_send_init(uint32_t dest)
{
	send_icr(dest, ICR_INIT | ICR_LEVEL_ASSERT);
}

void lapic_send_startup(uint32_t dest, uint8_t page)
{
	send_icr(dest, ICR_STARTUP | page);
}

static bool cpu_has_tsc_deadline(void)
{
	uint32_t a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return c & (1U << 24);
}

/*
 * Read the current count and the clock around it, again if the two clock
 * reads are far apart (the host stopped us between them). Returns the
 * count; *ns the middle of the two reads.
 */
static uint32_t timer_sample(uint64_t *ns)
{
	for (int tries = 0;; tries++) {
		uint64_t a = ktime_get_ns();
		uint32_t count = apic_read(APIC_TIMER_CUR);
		uint64_t b = ktime_get_ns();
		if (b - a < 20 * NSEC_PER_USEC || tries == 100) {
			*ns = a + (b - a) / 2;
			return count;
		}
	}
}

/* APIC timer counts per ms, over 5 ms of clock time. */
static uint64_t timer_measure_khz(void)
{
	uint64_t t0, t1;

	apic_write(APIC_TIMER_INIT, 0xffffffff);
	uint32_t c0 = timer_sample(&t0);
	while (ktime_get_ns() - t0 < 5 * NSEC_PER_MSEC)
		cpu_relax();
	uint32_t c1 = timer_sample(&t1);
	apic_write(APIC_TIMER_INIT, 0);
	return (uint64_t)(c0 - c1) * NSEC_PER_MSEC / (t1 - t0);
}

/*
 * Measure the APIC timer's rate against the clock (ktime_get_ns()), in
 * which every deadline is given: what matters is that the two agree, not
 * the true rate. A busy host that stops us between reading one and the
 * other skews a measurement (by a third, once seen), so each reading is
 * bracketed by clock reads, and the median of three measurements is kept.
 */
void lapic_timer_calibrate(void)
{
	uint64_t m[3];

	apic_write(APIC_TIMER_DIV, 0x3);		/* divide by 16 */
	apic_write(APIC_LVT_TIMER, APIC_LVT_MASKED);
	for (int i = 0; i < 3; i++)
		m[i] = timer_measure_khz();
	uint64_t lo = m[0] < m[1] ? m[0] : m[1];
	uint64_t hi = m[0] < m[1] ? m[1] : m[0];
	timer_khz = m[2] < lo ? lo : (m[2] > hi ? hi : m[2]);
	if (timer_khz == 0)
		timer_khz = 1;
	pr_info("apic: timer %llu kHz, one-shot (TSC-deadline mode %s)\n",
		(unsigned long long)timer_khz,
		cpu_has_tsc_deadline() ? "offered, not used" : "not offered");
}

/* One-shot mode, nothing armed yet: a count of 0 stops the timer. */
void lapic_timer_start(void)
{
	apic_write(APIC_TIMER_DIV, 0x3);
	apic_write(APIC_LVT_TIMER, LOCAL_TIMER_VECTOR);
	apic_write(APIC_TIMER_INIT, 0);
}

/*
 * Interrupt this CPU once, delta_ns from now: never sooner (the count is
 * rounded up), possibly a little later. Writing the initial count
 * restarts the countdown, so the last call wins. Interrupts off.
 */
void lapic_next_event(uint64_t delta_ns)
{
	if (delta_ns > NSEC_PER_SEC)
		delta_ns = NSEC_PER_SEC;	/* the caller re-arms on waking */
	uint64_t count = (delta_ns * timer_khz + NSEC_PER_MSEC - 1) / NSEC_PER_MSEC;
	if (count == 0)
		count = 1;			/* 0 would stop it */
	apic_write(APIC_TIMER_INIT, (uint32_t)count);
}
