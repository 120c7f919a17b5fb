/*
 * bench_atomic.c - what the building blocks cost: `bench=atomic.*`.
 *
 * atomic.uncontended: one thread, 10^6 of each operation on a variable
 *   nobody else touches: a plain increment, the lock-prefixed atomics,
 *   the barriers, a per-CPU increment, and the pairs that make a section
 *   atomic (preemption off/on, interrupts off/on, get_cpu/put_cpu).
 * atomic.contended: two threads bound to two CPUs doing the same
 *   operation on one shared cache line, started together; ns per
 *   operation = wall time / (2 N). A plain increment loses updates here
 *   (the line says how many); the atomic ones lose none (checked).
 */
#include "tests/kbench.h"
#include "kernel/cpumask.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/percpu.h"
#include "arch/x86/irqflags.h"

#define OPS 1000000
#define CONTENDED_OPS 200000

static atomic_t shared_atomic __cacheline_aligned;
static long shared_plain __cacheline_aligned;
static DEFINE_PER_CPU(long, bench_percpu);

/* Time `body` OPS times (a statement; i__ is the loop counter). */
#define TIME_OPS(name, body)                                              \
	do {                                                              \
		uint64_t t0__ = ktime_get_ns();                           \
		for (int i__ = 0; i__ < OPS; i__++) {                     \
			body;                                             \
		}                                                         \
		kbench_report("atomic." name, ktime_get_ns() - t0__, OPS, ""); \
	} while (0)

KBENCH(atomic, uncontended)
{
	unsigned long flags;
	long x;

	shared_plain = 0;
	TIME_OPS("plain_inc", { shared_plain++; barrier(); });
	atomic_set(&shared_atomic, 0);
	TIME_OPS("atomic_inc", atomic_inc(&shared_atomic));
	TIME_OPS("atomic_cmpxchg", {
		int old = atomic_read(&shared_atomic);
		atomic_cmpxchg(&shared_atomic, old, old + 1);
	});
	TIME_OPS("xchg", x = xchg(&shared_plain, (long)i__));
	(void)x;
	TIME_OPS("smp_mb", smp_mb());
	TIME_OPS("mb_mfence", mb());
	TIME_OPS("this_cpu_inc", this_cpu_inc(bench_percpu));
	TIME_OPS("preempt_disable_enable", { preempt_disable(); preempt_enable(); });
	TIME_OPS("local_irq_save_restore", { local_irq_save(flags); local_irq_restore(flags); });
	TIME_OPS("get_cpu_put_cpu", { (void)get_cpu(); put_cpu(); });
}

enum op { OP_PLAIN, OP_ATOMIC_INC, OP_CMPXCHG_LOOP, OP_XCHG, NR_OPS };
static const char *const op_names[NR_OPS] = {
	"plain_inc", "atomic_inc", "cmpxchg_loop_inc", "xchg",
};

static void racer_fn(int id, void *arg)
{
	(void)id;
	switch ((enum op)(uintptr_t)arg) {
	case OP_PLAIN:
		for (int i = 0; i < CONTENDED_OPS; i++) {
			shared_plain++;
			barrier();
		}
		break;
	case OP_ATOMIC_INC:
		for (int i = 0; i < CONTENDED_OPS; i++)
			atomic_inc(&shared_atomic);
		break;
	case OP_CMPXCHG_LOOP:
		for (int i = 0; i < CONTENDED_OPS; i++) {
			int old = atomic_read(&shared_atomic);
			while (!atomic_try_cmpxchg(&shared_atomic, &old, old + 1))
				;
		}
		break;
	case OP_XCHG:
		for (int i = 0; i < CONTENDED_OPS; i++)
			xchg(&shared_plain, (long)i);
		break;
	default:
		break;
	}
}

static void race(enum op op)
{
	char name[64], extra[64] = "";

	shared_plain = 0;
	atomic_set(&shared_atomic, 0);
	uint64_t ns = kbench_on_two_cpus(racer_fn, (void *)(uintptr_t)op);
	if (!ns)
		return;
	long total = (op == OP_PLAIN) ? shared_plain : atomic_read(&shared_atomic);
	if (op == OP_PLAIN)
		snprintf(extra, sizeof(extra), "lost=%ld", 2L * CONTENDED_OPS - total);
	else if (op != OP_XCHG && total != 2L * CONTENDED_OPS)
		snprintf(extra, sizeof(extra), "WRONG-total=%ld", total);
	snprintf(name, sizeof(name), "atomic.contended2.%s", op_names[op]);
	kbench_report(name, ns, 2 * CONTENDED_OPS, extra);
}

KBENCH(atomic, contended)
{
	if (num_online_cpus() < 2) {
		printk(KERN_INFO "bench: atomic.contended needs 2 CPUs: skipped\n");
		return;
	}
	for (int op = 0; op < NR_OPS; op++)
		race((enum op)op);
}
