/*
 * cpumask.h - sets of CPUs, and which CPUs exist and run.
 *
 *   cpu_possible_mask  CPUs found in the firmware tables (and allowed by
 *                      smp.max): per-CPU areas exist for exactly these
 *   cpu_online_mask    CPUs that came up and run kernel code
 *   for_each_possible_cpu(cpu) / for_each_online_cpu(cpu)
 *   num_online_cpus(), num_possible_cpus(), nr_cpu_ids
 *   cpumask_nth(n, mask), nth_online_cpu(n)
 *
 * CPU numbers may have holes: a CPU that failed to start is possible but
 * not online. So "the i-th worker on the i-th CPU" is nth_online_cpu(i),
 * never CPU i.
 */
#pragma once
#include "sync/bitops.h"
#include "sync/percpu.h"
#include "kernel/gfp.h"

struct cpumask {
	unsigned long bits[BITS_TO_LONGS(NR_CPUS)];
};

/* As in Linux, cpu_online_mask and cpu_possible_mask are pointers to
 * read-only sets; set_cpu_online()/set_cpu_possible() change them. */
extern struct cpumask __cpu_possible_mask, __cpu_online_mask;
#define cpu_possible_mask ((const struct cpumask *)&__cpu_possible_mask)
#define cpu_online_mask   ((const struct cpumask *)&__cpu_online_mask)
extern int nr_cpu_ids;		/* highest possible CPU + 1 */

static inline void cpumask_set_cpu(int cpu, struct cpumask *m)
{
	set_bit(cpu, m->bits);
}

static inline void cpumask_clear_cpu(int cpu, struct cpumask *m)
{
	clear_bit(cpu, m->bits);
}

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m)
{
	return test_bit(cpu, m->bits);
}

static inline void set_cpu_online(int cpu, bool online)
{
	if (online)
		set_bit(cpu, __cpu_online_mask.bits);
	else
		clear_bit(cpu, __cpu_online_mask.bits);
}

static inline void set_cpu_possible(int cpu, bool possible)
{
	if (possible)
		set_bit(cpu, __cpu_possible_mask.bits);
	else
		clear_bit(cpu, __cpu_possible_mask.bits);
}

static inline int cpumask_weight(const struct cpumask *m)
{
	int n = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(m->bits); i++)
		n += hweight_long(READ_ONCE(m->bits[i]));
	return n;
}

#define for_each_cpu(cpu, mask)                                  \
	for ((cpu) = 0; (unsigned int)(cpu) < (unsigned int)nr_cpu_ids; (cpu)++)             \
		if (!cpumask_test_cpu((cpu), (mask))) {} else
#define for_each_possible_cpu(cpu) for_each_cpu(cpu, cpu_possible_mask)
#define for_each_online_cpu(cpu)   for_each_cpu(cpu, cpu_online_mask)

static inline int num_online_cpus(void)
{
	return cpumask_weight(cpu_online_mask);
}

static inline int num_possible_cpus(void)
{
	return cpumask_weight(cpu_possible_mask);
}

static inline bool cpu_online(int cpu)
{
	return cpu >= 0 && cpu < nr_cpu_ids && cpumask_test_cpu(cpu, cpu_online_mask);
}

/* The n-th CPU set in the mask, counting from 0; nr_cpu_ids if there are
 * not that many (as Linux's cpumask_nth). */
static inline int cpumask_nth(int n, const struct cpumask *m)
{
	int cpu;

	for_each_cpu(cpu, m)
		if (n-- == 0)
			return cpu;
	return nr_cpu_ids;
}

/* The n-th online CPU, wrapping around: n = 0, 1, 2... spreads work over
 * every online CPU whatever holes the numbering has. */
static inline int nth_online_cpu(int n)
{
	return cpumask_nth(n % num_online_cpus(), cpu_online_mask);
}

/* ---- walking and combining masks (Linux's cpumask API) ---- */

/* The first CPU set in the mask, or >= nr_cpu_ids if it is empty. */
static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return find_first_bit(m->bits, nr_cpu_ids);
}

/* The next CPU set after n (n = -1 starts the walk), or >= nr_cpu_ids. */
static inline unsigned int cpumask_next(int n, const struct cpumask *m)
{
	return find_next_bit(m->bits, nr_cpu_ids, n + 1);
}

static inline unsigned int cpumask_last(const struct cpumask *m)
{
	unsigned int last = nr_cpu_ids, cpu;

	for (cpu = cpumask_first(m); cpu < (unsigned)nr_cpu_ids; cpu = cpumask_next(cpu, m))
		last = cpu;
	return last;
}

#define cpumask_any(m) cpumask_first(m)
#define cpumask_bits(m) ((m)->bits)
#define nr_cpumask_bits ((unsigned int)nr_cpu_ids)

static inline bool cpumask_empty(const struct cpumask *m)
{
	return cpumask_first(m) >= (unsigned)nr_cpu_ids;
}

static inline void cpumask_clear(struct cpumask *m)
{
	for (unsigned i = 0; i < ARRAY_SIZE(m->bits); i++)
		m->bits[i] = 0;
}

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	*dst = *src;
}

static inline bool cpumask_test_and_set_cpu(int cpu, struct cpumask *m)
{
	return test_and_set_bit(cpu, m->bits);
}

static inline bool cpumask_test_and_clear_cpu(int cpu, struct cpumask *m)
{
	return test_and_clear_bit(cpu, m->bits);
}

/* dst = a & b; true if the result is not empty (Linux's return). */
static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	unsigned long any = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(dst->bits); i++)
		any |= dst->bits[i] = a->bits[i] & b->bits[i];
	return any != 0;
}

static inline bool cpumask_andnot(struct cpumask *dst, const struct cpumask *a,
				  const struct cpumask *b)
{
	unsigned long any = 0;

	for (unsigned i = 0; i < ARRAY_SIZE(dst->bits); i++)
		any |= dst->bits[i] = a->bits[i] & ~b->bits[i];
	return any != 0;
}

static inline void cpumask_or(struct cpumask *dst, const struct cpumask *a,
			      const struct cpumask *b)
{
	for (unsigned i = 0; i < ARRAY_SIZE(dst->bits); i++)
		dst->bits[i] = a->bits[i] | b->bits[i];
}

static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	for (unsigned i = 0; i < ARRAY_SIZE(a->bits); i++)
		if (a->bits[i] != b->bits[i])
			return false;
	return true;
}

/* A mask of one CPU, read-only (Linux's cpumask_of()). */
const struct cpumask *cpumask_of(int cpu);

/* Linux's masks that may live off the stack: here always on it (as
 * Linux without CONFIG_CPUMASK_OFFSTACK), so allocating cannot fail. */
typedef struct cpumask cpumask_var_t[1];
static inline bool alloc_cpumask_var(cpumask_var_t *m, gfp_t gfp)
{
	(void)m, (void)gfp;
	return true;
}
static inline bool zalloc_cpumask_var(cpumask_var_t *m, gfp_t gfp)
{
	(void)gfp;
	cpumask_clear(*m);
	return true;
}
static inline void free_cpumask_var(cpumask_var_t m)
{
	(void)m;
}
