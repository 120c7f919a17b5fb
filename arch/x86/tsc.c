/*
 * tsc.c - calibrate the time-stamp counter and turn cycles into ns.
 *
 * The TSC counts at a fixed rate we must learn. CPUID leaf 0x15 states it
 * on recent CPUs (crystal frequency x ratio) and leaf 0x16 gives the base
 * frequency; emulators usually leave both empty. Otherwise we measure:
 * run the PIT (1.193182 MHz, a fixed crystal since 1981) for a known
 * number of ticks and count TSC cycles meanwhile; the median of a few
 * tries removes a measurement disturbed by the host.
 *
 * Conversion: ns = cycles * mult >> 32, with mult = 10^9 * 2^32 / hz,
 * using a 128-bit product so nothing overflows in 200 years of uptime.
 *
 * Timekeeping: the clock is a line through one point,
 *
 *     ktime = (base_ns_shifted + (tsc - tsc_base) * mult) >> 32
 *
 * and those three values (four words) change together: every second CPU
 * 0's tick moves the point to "now" (timekeeping_rebase()), and
 * timekeeping_adjust() changes the slope. Readers on every CPU, in every
 * context, must never see half of an update, and must never wait for a
 * writer: the values sit under a seqlock (sync/seqlock.h). The point keeps
 * the sub-ns fraction (it is shifted left by 32), so a rebase that keeps
 * the slope changes no reading at all, not even by 1 ns.
 *
 * Why the TSC is read *inside* the read section, fenced: a reader must not
 * combine the old line with a TSC value taken after the writer switched
 * lines, or a slope change could make time step back. The writer reads the
 * TSC only after its counter update is visible everywhere (a full
 * barrier), and the reader reads it before re-checking the counter
 * (lfence: rdtsc is otherwise not ordered with loads), so a reader that
 * used the old line also read a TSC value from before the switch.
 */
#include "kernel/boot.h"
#include "kernel/time.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "kernel/timer.h"
#include "sync/seqlock.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"

#define PIT_HZ        1193182ULL
#define PIT_CH2       0x42
#define PIT_CMD       0x43
#define PIT_GATE      0x61
#define CALIB_MS      10

static uint64_t tsc_hz;
static uint64_t tsc_mult;		/* ns per cycle, 32.32 fixed point */

/* The clock's line; see the top of the file. */
static struct timekeeper {
	seqlock_t lock;
	uint64_t tsc_base;		/* TSC at the point */
	unsigned __int128 base_ns_shifted; /* ktime at the point, << 32 */
	uint64_t mult;			/* slope: ns per cycle, 32.32 */
	long adjust_ppb;		/* mult = tsc_mult * (1 + ppb / 10^9) */
	uint64_t rebases;		/* how many times the point moved */
} tk = { .lock = __SEQLOCK_UNLOCKED(tk.lock) };

/* rdtsc that stays between the loads around it (Intel SDM: "LFENCE;
 * RDTSC; LFENCE" orders it both ways). */
static inline uint64_t rdtsc_ordered(void)
{
	rmb();
	uint64_t t = rdtsc();
	rmb();
	return t;
}

static uint64_t tsc_hz_from_cpuid(void)
{
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a >= 0x15) {
		uint32_t den, num, crystal;
		cpuid(0x15, 0, &den, &num, &crystal, &d);
		if (den && num && crystal)
			return (uint64_t)crystal * num / den;
	}
	return 0;
}

/* One PIT measurement: TSC cycles elapsed during CALIB_MS milliseconds. */
static uint64_t pit_measure_once(void)
{
	uint16_t count = (uint16_t)(PIT_HZ * CALIB_MS / 1000);

	/* Channel 2 gate on, speaker off; mode 0 (count down once). */
	outb(PIT_GATE, (inb(PIT_GATE) & ~0x02) | 0x01);
	outb(PIT_CMD, 0xb0);
	outb(PIT_CH2, count & 0xff);
	outb(PIT_CH2, count >> 8);
	/* Restart the count by toggling the gate. */
	uint8_t g = inb(PIT_GATE);
	outb(PIT_GATE, g & ~0x01);
	outb(PIT_GATE, g | 0x01);

	uint64_t start = rdtsc();
	for (uint64_t spins = 0; !(inb(PIT_GATE) & 0x20); spins++)
		if (spins > 100000000ULL)
			return 0;	/* no PIT: give up */
	return rdtsc() - start;
}

static uint64_t tsc_hz_from_pit(void)
{
	uint64_t m[3];

	for (int i = 0; i < 3; i++)
		m[i] = pit_measure_once();
	/* median of three */
	uint64_t lo = m[0] < m[1] ? m[0] : m[1];
	uint64_t hi = m[0] < m[1] ? m[1] : m[0];
	uint64_t med = m[2] < lo ? lo : (m[2] > hi ? hi : m[2]);
	return med * 1000 / CALIB_MS;
}

static void timekeeping_tick(void);

void tsc_init(void)
{
	const char *how = "CPUID";
	uint64_t boot = rdtsc();

	tsc_hz = tsc_hz_from_cpuid();
	if (!tsc_hz) {
		tsc_hz = tsc_hz_from_pit();
		how = "PIT";
	}
	if (!tsc_hz) {
		tsc_hz = 1000000000ULL;
		how = "a guess (no PIT answered)";
	}
	tsc_mult = (NSEC_PER_SEC << 32) / tsc_hz;	/* 2^62 fits in 64 bits */
	/* Time 0 is the TSC value at the start of this function. One CPU,
	 * interrupts off: no reader yet, no need for the write side. */
	tk.tsc_base = boot;
	tk.base_ns_shifted = 0;
	WRITE_ONCE(tk.mult, tsc_mult);
	register_tick_hook(timekeeping_tick);
	pr_info("tsc: %llu.%03llu MHz, calibrated by %s\n",
		(unsigned long long)(tsc_hz / 1000000),
		(unsigned long long)(tsc_hz / 1000 % 1000), how);
}

uint64_t tsc_khz(void)
{
	return tsc_hz / 1000;
}

uint64_t tsc_to_ns(uint64_t cycles)
{
	return (uint64_t)(((unsigned __int128)cycles * tsc_mult) >> 32);
}

/* The reader: copy the line and read the TSC under the seqcount. */
uint64_t ktime_get_ns(void)
{
	uint64_t base, mult, now;
	unsigned __int128 ns;
	unsigned seq;

	do {
		seq = raw_read_seqcount_begin(&tk.lock.seqcount);
		base = tk.tsc_base;
		ns = tk.base_ns_shifted;
		mult = tk.mult;
		now = rdtsc_ordered();
	} while (read_seqcount_retry(&tk.lock.seqcount, seq));
	if (!mult)
		return 0;			/* before tsc_init() */
	/* Another CPU's TSC may lag the rebasing CPU's by a few cycles. */
	if ((int64_t)(now - base) > 0)
		ns += (unsigned __int128)(now - base) * mult;
	return (uint64_t)(ns >> 32);
}

/*
 * The writer: move the point to now and, if asked, set a new slope from
 * here on. Interrupts off: a reader in an interrupt handler on this CPU
 * would spin forever on the odd counter. The spinlock serializes writers
 * (CPU 0's tick and timekeeping_adjust() callers). Nothing in here may
 * printk: printk reads the clock.
 */
static void timekeeping_update(bool new_slope, long ppb)
{
	unsigned long flags;

	write_seqlock_irqsave(&tk.lock, flags);
	smp_mb();		/* the odd counter is visible before we read the TSC */
	uint64_t now = rdtsc_ordered();
	if ((int64_t)(now - tk.tsc_base) > 0) {
		tk.base_ns_shifted += (unsigned __int128)(now - tk.tsc_base) * tk.mult;
		tk.tsc_base = now;
	}
	if (new_slope) {
		/* |ppb| <= 10^6 < 2^20, mult < 2^42 (TSC over 1 MHz): fits. */
		tk.mult = tsc_mult + (uint64_t)((int64_t)tsc_mult * ppb / 1000000000LL);
		tk.adjust_ppb = ppb;
	}
	tk.rebases++;
	write_sequnlock_irqrestore(&tk.lock, flags);
}

void timekeeping_rebase(void)
{
	if (READ_ONCE(tk.mult))
		timekeeping_update(false, 0);
}

int timekeeping_adjust(long ppb)
{
	if (ppb < -TIMEKEEPING_MAX_PPB || ppb > TIMEKEEPING_MAX_PPB)
		return -EINVAL;
	timekeeping_update(true, ppb);
	return 0;
}

long timekeeping_get_adjust(void)
{
	return READ_ONCE(tk.adjust_ppb);
}

uint64_t timekeeping_rebase_count(void)
{
	return READ_ONCE(tk.rebases);
}

/* CPU 0 moves the point once a second: the writer side is always live.
 * (By the clock, not by counting ticks: an emulator may lose ticks.) */
static void timekeeping_tick(void)
{
	static uint64_t next_ns;
	uint64_t now;

	if (smp_processor_id() != 0 || (now = ktime_get_ns()) < next_ns)
		return;
	next_ns = now + NSEC_PER_SEC;
	timekeeping_rebase();
}

void udelay(uint64_t us)
{
	uint64_t end = ktime_get_ns() + us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/* Linux's x86 delay_tsc(): the TSC alone, no seqcount - for KCSAN's
 * watcher, which may stall inside timekeeping's write section, where
 * ktime_get_ns() would wait for itself. */
void delay_tsc_us(uint64_t us)
{
	uint64_t start = rdtsc(), cycles = us * (tsc_hz / 1000000);

	while (rdtsc() - start < cycles)
		cpu_relax();
}

void mdelay(uint64_t ms)
{
	udelay(ms * 1000);
}
