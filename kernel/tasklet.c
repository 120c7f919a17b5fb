/*
 * tasklet.c - tasklets over two softirqs (contract in tasklet.h).
 *
 * Scheduling sets the tasklet's SCHED bit - only the one who sets it
 * queues it, so it is on at most one list - and appends it to this CPU's
 * list, then raises the softirq. The softirq takes the whole list and,
 * for each tasklet, takes its RUN bit: if another CPU runs it right now
 * (it was scheduled again there meanwhile), or it is disabled, it goes
 * back on the list for the next round. SCHED is cleared just before the
 * callback runs, so the callback may schedule its own tasklet again.
 */
#include "kernel/tasklet.h"
#include "kernel/init.h"
#include "kernel/panic.h"
#include "kernel/softirq.h"
#include "arch/x86/irqflags.h"
#include "sched/sched.h"
#include "sync/percpu.h"

struct tasklet_head {
	struct tasklet_struct *head;
	struct tasklet_struct **tail;
};

static DEFINE_PER_CPU(struct tasklet_head, tasklet_vec);
static DEFINE_PER_CPU(struct tasklet_head, tasklet_hi_vec);

void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *))
{
	t->next = NULL;
	t->state = 0;
	atomic_set(&t->count, 0);
	t->callback = callback;
	t->use_callback = true;
	t->data = 0;
}

void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data)
{
	tasklet_setup(t, NULL);
	t->use_callback = false;
	t->func = func;
	t->data = data;
}

/* Interrupts off: this CPU's list is ours. */
static void enqueue(struct tasklet_head *h, struct tasklet_struct *t)
{
	if (!h->tail)
		h->tail = &h->head;	/* first use on this CPU */
	t->next = NULL;
	*h->tail = t;
	h->tail = &t->next;
}

static void schedule_common(struct tasklet_head *list, struct tasklet_struct *t,
			    unsigned int nr)
{
	unsigned long flags;

	local_irq_save(flags);
	enqueue(this_cpu_ptr(list), t);
	raise_softirq_irqoff(nr);
	local_irq_restore(flags);
}

void __tasklet_schedule(struct tasklet_struct *t)
{
	schedule_common(&tasklet_vec, t, TASKLET_SOFTIRQ);
}

void __tasklet_hi_schedule(struct tasklet_struct *t)
{
	schedule_common(&tasklet_hi_vec, t, HI_SOFTIRQ);
}

static void tasklet_action_common(struct tasklet_head *h, unsigned int nr)
{
	struct tasklet_struct *list;

	local_irq_disable();
	list = h->head;
	h->head = NULL;
	h->tail = &h->head;
	local_irq_enable();
	while (list) {
		struct tasklet_struct *t = list;
		list = list->next;
		if (tasklet_trylock(t)) {
			if (!atomic_read(&t->count)) {
				if (!test_and_clear_bit(TASKLET_STATE_SCHED, &t->state))
					BUG();	/* on a list, so it was scheduled */
				if (t->use_callback)
					t->callback(t);
				else
					t->func(t->data);
				tasklet_unlock(t);
				continue;
			}
			tasklet_unlock(t);
		}
		/* Running elsewhere, or disabled: try again next round. */
		local_irq_disable();
		enqueue(h, t);
		__raise_softirq_irqoff(nr);
		local_irq_enable();
	}
}

static void tasklet_action(struct softirq_action *a)
{
	(void)a;
	tasklet_action_common(this_cpu_ptr(&tasklet_vec), TASKLET_SOFTIRQ);
}

static void tasklet_hi_action(struct softirq_action *a)
{
	(void)a;
	tasklet_action_common(this_cpu_ptr(&tasklet_hi_vec), HI_SOFTIRQ);
}

void tasklet_kill(struct tasklet_struct *t)
{
	might_sleep();
	WARN_ON_ONCE(in_interrupt());
	while (test_and_set_bit(TASKLET_STATE_SCHED, &t->state))
		while (test_bit(TASKLET_STATE_SCHED, &t->state))
			yield();	/* let the softirq (ksoftirqd) run it */
	tasklet_unlock_wait(t);
	clear_bit(TASKLET_STATE_SCHED, &t->state);
}

static int tasklets_init(void)
{
	open_softirq(TASKLET_SOFTIRQ, tasklet_action);
	open_softirq(HI_SOFTIRQ, tasklet_hi_action);
	return 0;
}
core_initcall(tasklets_init);
