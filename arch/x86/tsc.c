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
 */
#include "kernel/time.h"
#include "kernel/printk.h"
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"

#define PIT_HZ        1193182ULL
#define PIT_CH2       0x42
#define PIT_CMD       0x43
#define PIT_GATE      0x61
#define CALIB_MS      10

static uint64_t tsc_hz;
static uint64_t tsc_mult;		/* ns per cycle, 32.32 fixed point */
static uint64_t tsc_boot;

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

void tsc_init(void)
{
	const char *how = "CPUID";

	tsc_boot = rdtsc();
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

uint64_t ktime_get_ns(void)
{
	if (!tsc_mult)
		return 0;
	return tsc_to_ns(rdtsc() - tsc_boot);
}

void udelay(uint64_t us)
{
	uint64_t end = ktime_get_ns() + us * NSEC_PER_USEC;

	while (ktime_get_ns() < end)
		cpu_relax();
}

void mdelay(uint64_t ms)
{
	udelay(ms * 1000);
}
