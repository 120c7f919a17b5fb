/*
 * random.c - see random.h. One xorshift64* state per CPU, so CPUs never
 * share a cache line for it; interrupts are held off around the update
 * (an interrupt handler on this CPU may draw numbers too).
 */
#include "kernel/random.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "arch/x86/irqflags.h"
#include "sync/percpu.h"

static DEFINE_PER_CPU(uint64_t, random_state);

uint64_t get_random_u64(void)
{
	unsigned long flags;

	local_irq_save(flags);
	uint64_t x = this_cpu_read(random_state);
	if (!x)		/* first use on this CPU: from the clock and the CPU */
		x = (ktime_get_ns() ^ 0x9e3779b97f4a7c15ULL) *
		    (uint64_t)(raw_smp_processor_id() * 2 + 1) | 1;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	this_cpu_write(random_state, x);
	local_irq_restore(flags);
	return x * 0x2545f4914f6cdd1dULL;
}

void get_random_bytes(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		uint64_t r = get_random_u64();
		size_t n = len < sizeof(r) ? len : sizeof(r);
		memcpy(p, &r, n);
		p += n;
		len -= n;
	}
}
