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
#include "tests/ktest.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "kernel/cpumask.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/percpu.h"

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

struct race {
	enum op op;
	struct completion ready;
	int go;
	uint64_t start[2], end[2];
};

struct racer_arg {
	struct race *r;
	int id;
};

static int racer_fn(void *arg)
{
	struct racer_arg *a = arg;
	struct race *r = a->r;

	complete(&r->ready);
	while (!READ_ONCE(r->go))
		cpu_relax();
	r->start[a->id] = ktime_get_ns();
	switch (r->op) {
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
	r->end[a->id] = ktime_get_ns();
	return 0;
}

static void race(enum op op)
{
	static struct race r;
	static struct racer_arg args[2];
	struct task *t[2];
	char name[64], extra[64] = "";

	r = (struct race){ .op = op };
	init_completion(&r.ready);
	shared_plain = 0;
	atomic_set(&shared_atomic, 0);
	for (int i = 0; i < 2; i++) {
		args[i] = (struct racer_arg){ &r, i };
		t[i] = kthread_create(racer_fn, &args[i], "racer%d", i);
		if (!t[i]) {
			printk(KERN_ERR "bench: cannot create a thread\n");
			return;
		}
		kthread_bind(t[i], nth_online_cpu(i));
		wake_up_process(t[i]);
	}
	wait_for_completion(&r.ready);
	wait_for_completion(&r.ready);
	WRITE_ONCE(r.go, 1);
	ktest_join(t[0]);
	ktest_join(t[1]);
	uint64_t ns = MAX(r.end[0], r.end[1]) - MIN(r.start[0], r.start[1]);
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
