/*
 * smp.c - cross-CPU function calls.
 *
 * Each CPU has a queue of call requests ("csd", as Linux calls them). A
 * caller appends its request to the target's queue under that queue's
 * lock and sends a CALL_FUNCTION IPI; the target's handler takes the whole
 * queue and runs each request. A waiting caller keeps its request on its
 * own stack and spins until the target marks it done; the target must not
 * touch the request after that store, since the stack frame may be gone.
 * A non-waiting caller's request is allocated and freed by the target.
 */
#include "kernel/boot.h"
#include "kernel/smp.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "arch/x86/apic.h"
#include "arch/x86/irq.h"
#include "sync/barrier.h"
#include "sync/spinlock.h"

struct call_single_data {
	struct call_single_data *next;
	smp_call_func_t fn;
	void *arg;
	int done;
	bool allocated;
};

struct call_queue {
	spinlock_t lock;
	struct call_single_data *head, *tail;
};

static DEFINE_PER_CPU(struct call_queue, call_queue);
uint32_t cpu_apic_id[NR_CPUS];

static void run_call(struct call_single_data *csd)
{
	csd->fn(csd->arg);
	if (csd->allocated)
		kfree(csd);
	else
		smp_store_release(&csd->done, 1);	/* last touch */
}

static void call_function_interrupt(struct pt_regs *regs)
{
	struct call_queue *q = this_cpu_ptr(&call_queue);
	struct call_single_data *csd, *next;

	(void)regs;
	spin_lock(&q->lock);
	csd = q->head;
	q->head = q->tail = NULL;
	spin_unlock(&q->lock);
	for (; csd; csd = next) {
		next = csd->next;	/* read before the request may vanish */
		run_call(csd);
	}
}

static void reschedule_interrupt(struct pt_regs *regs)
{
	/* Nothing to do here: the waker set need_resched, and the way out
	 * of the interrupt (irq_exit_preempt) acts on it. */
	(void)regs;
}

void call_function_init(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (__per_cpu_offset[cpu] || cpu == 0)
			spin_lock_init(&per_cpu(call_queue, cpu).lock);
	set_vector_handler(CALL_FUNCTION_VECTOR, call_function_interrupt);
	set_vector_handler(RESCHEDULE_VECTOR, reschedule_interrupt);
}

static void queue_call(int cpu, struct call_single_data *csd)
{
	struct call_queue *q = per_cpu_ptr(&call_queue, cpu);
	unsigned long flags;

	csd->next = NULL;
	spin_lock_irqsave(&q->lock, flags);
	if (q->tail)
		q->tail->next = csd;
	else
		q->head = csd;
	q->tail = csd;
	spin_unlock_irqrestore(&q->lock, flags);
	lapic_send_ipi(cpu_apic_id[cpu], CALL_FUNCTION_VECTOR);
}

int smp_call_function_single(int cpu, smp_call_func_t fn, void *arg, bool wait)
{
	unsigned long flags;
	int me = get_cpu();

	if (!cpu_online(cpu)) {
		put_cpu();
		return -ENXIO;
	}
	if (cpu == me) {
		local_irq_save(flags);
		fn(arg);
		local_irq_restore(flags);
		put_cpu();
		return 0;
	}
	WARN_ON_ONCE(wait && irqs_disabled());
	if (wait) {
		struct call_single_data csd = { .fn = fn, .arg = arg };
		queue_call(cpu, &csd);
		while (!smp_load_acquire(&csd.done))
			cpu_relax();
	} else {
		struct call_single_data *csd = kzalloc(sizeof(*csd), GFP_ATOMIC);
		if (!csd) {
			put_cpu();
			return -ENOMEM;
		}
		*csd = (struct call_single_data){ .fn = fn, .arg = arg, .allocated = true };
		queue_call(cpu, csd);
	}
	put_cpu();
	return 0;
}

/* Queue on all others first, then wait for all: the calls overlap. */
void smp_call_function(smp_call_func_t fn, void *arg, bool wait)
{
	static struct call_single_data csds[NR_CPUS];	/* guarded by call_lock */
	static DEFINE_SPINLOCK(call_lock);
	int cpu, me;

	if (!wait) {
		/* Each request is allocated (GFP_ATOMIC): a CPU that could
		 * not be asked is said, not silently skipped. */
		for_each_online_cpu(cpu)
			if (cpu != raw_smp_processor_id() &&
			    smp_call_function_single(cpu, fn, arg, false) == -ENOMEM)
				WARN_ONCE(1, "smp_call_function: out of memory: %pS not "
					  "called on CPU%d\n", (void *)fn, cpu);
		return;
	}
	WARN_ON_ONCE(irqs_disabled());
	spin_lock(&call_lock);
	me = smp_processor_id();
	for_each_online_cpu(cpu) {
		if (cpu == me)
			continue;
		csds[cpu] = (struct call_single_data){ .fn = fn, .arg = arg };
		queue_call(cpu, &csds[cpu]);
	}
	for_each_online_cpu(cpu)
		if (cpu != me)
			while (!smp_load_acquire(&csds[cpu].done))
				cpu_relax();
	spin_unlock(&call_lock);
}

void on_each_cpu(smp_call_func_t fn, void *arg, bool wait)
{
	unsigned long flags;

	preempt_disable();
	smp_call_function(fn, arg, wait);
	local_irq_save(flags);
	fn(arg);
	local_irq_restore(flags);
	preempt_enable();
}

void smp_send_reschedule(int cpu)
{
	lapic_send_ipi(cpu_apic_id[cpu], RESCHEDULE_VECTOR);
}

/* panic(): stop everyone else with an NMI, which even a CPU spinning with
 * interrupts off takes; the NMI handler halts when panic_cpu is set. */
void smp_stop_other_cpus(void)
{
	if (num_online_cpus() > 1)
		lapic_send_nmi_all_but_self();
}
