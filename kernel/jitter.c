/*
 * jitter.c - the jitter=SEED option (see jitter.h).
 * Each CPU has its own xorshift state seeded from SEED and its CPU number,
 * so a CPU's sequence of choices does not depend on the others' timing.
 * About one point in 8 delays (0-7 us), one in 64 yields when the caller
 * may sleep.
 */
#include "kernel/boot.h"
#include "kernel/jitter.h"
#include "kernel/cmdline.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "sched/sched.h"
#include "kernel/cpumask.h"

bool jitter_enabled;
static uint64_t seed;
static DEFINE_PER_CPU(uint64_t, jitter_state);

CMDLINE_OPTION("jitter", "jitter=SEED: seeded random delays in lock slow paths, readers and the counter loop");

static uint64_t xorshift(uint64_t x)
{
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

/* A thread's stream starts from SEED and its name: the same thread
 * (counter/1, mcs-fifo/2...) makes the same choices in every boot with
 * that seed, whichever CPU it runs on. */
static uint64_t thread_start(const struct task_struct *t)
{
	uint64_t h = seed * 0x9e3779b97f4a7c15ULL;

	for (const char *c = t->comm; *c; c++)
		h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
	return h ? h : 1;
}

/* Interrupts off. Threads draw from their own stream; interrupts and the
 * time before the scheduler from the CPU's. */
static uint64_t next_rand(void)
{
	struct task_struct *t = current;

	if (t && !in_interrupt()) {
		if (t->jitter_seed != seed) {
			t->jitter_seed = seed;
			t->jitter_state = thread_start(t);
		}
		return t->jitter_state = xorshift(t->jitter_state);
	}
	uint64_t x = xorshift(this_cpu_read(jitter_state));
	this_cpu_write(jitter_state, x);
	return x;
}

void __jitter_point(void)
{
	unsigned long flags;

	local_irq_save(flags);		/* one CPU's state, updated whole */
	uint64_t r = next_rand();
	local_irq_restore(flags);
	if ((r & 7) == 0)
		udelay((r >> 3) & 7);
	else if ((r & 63) == 1 && !in_atomic() && !irqs_disabled())
		yield();
}

void __jitter_window(unsigned int max_us)
{
	unsigned long flags;

	local_irq_save(flags);
	uint64_t r = next_rand();
	local_irq_restore(flags);
	if ((r & 3) == 0 && max_us)
		udelay((r >> 2) % max_us);
}

uint64_t jitter_seed(void)
{
	return seed;
}

void jitter_set(uint64_t new_seed)
{
	int cpu;

	WRITE_ONCE(jitter_enabled, false);
	seed = new_seed;
	if (!seed)
		return;
	for_each_possible_cpu(cpu)
		per_cpu(jitter_state, cpu) = seed * 0x9e3779b97f4a7c15ULL + cpu + 1;
	WRITE_ONCE(jitter_enabled, true);
}

void jitter_init(void)
{
	jitter_set((uint64_t)cmdline_get_int("jitter", 0, 0, INT64_MAX));
	if (seed)
		pr_info("jitter: seed %llu: random delays and yields are on\n",
			(unsigned long long)seed);
}
