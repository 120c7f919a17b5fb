/*
 * kthread.c - kernel threads.
 *
 * kthread_create() builds a struct task_struct with its own guarded stack,
 * prepared so that the first switch to it "returns" into
 * ret_from_kthread (arch/x86/switch.h), then kthread_start() below, which
 * calls the thread function. The thread starts stopped (TASK_NEW) until
 * wake_up_process(); kthread_run() does both.
 *
 * Lifetime, as in Linux: a new task holds one reference, the thread's
 * own, dropped by its last switch (when its stack is freed too). A
 * thread that returns is therefore freed without anyone reaping it;
 * kthread_stop() takes a reference of its own while it waits, and a
 * caller that stops a thread which may already have returned must have
 * taken one before (get_task_struct()). The last put frees the task
 * after an RCU grace period (put_task_struct()).
 */
#include "sched/sched.h"
#include "sched/wait.h"
#include "sched/completion.h"
#include "kernel/delay_hook.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "arch/x86/switch.h"
#include "sync/barrier.h"
#include "sync/rcu.h"
#include "sync/bkl.h"

int alloc_pid(void);
int sched_slice_ticks(void);
void finish_task_switch(struct task_struct *prev);

struct task_struct *kthread_create(int (*fn)(void *), void *data, const char *fmt, ...)
{
	struct task_struct *t = kzalloc(sizeof(*t), GFP_KERNEL);
	wait_queue_head_t *wq = kzalloc(sizeof(*wq), GFP_KERNEL);
	va_list ap;

	if (!t || !wq || !(t->stack = kstack_alloc())) {
		kfree(t);
		kfree(wq);
		return ERR_PTR(-ENOMEM);
	}
	va_start(ap, fmt);
	vsnprintf(t->comm, sizeof(t->comm), fmt, ap);
	va_end(ap);
	init_waitqueue_head(wq);
	t->exit_wait = wq;
	spin_lock_init(&t->pi_lock);
	INIT_LIST_HEAD(&t->run_list);
	t->state = TASK_NEW;
	t->pid = alloc_pid();
	t->cpu = raw_smp_processor_id();	/* a hint: where to start it */
	t->bound_cpu = -1;
	t->lock_depth = -1;
	t->threadfn = fn;
	t->data = data;
	t->saved_preempt_count = PREEMPT_OFFSET;	/* as if inside schedule() */
	t->saved_rsp = arch_init_thread_stack((char *)t->stack + KSTACK_SIZE);
	refcount_set(&t->usage, 1);		/* the thread's own */
	spin_lock(&tasklist_lock);
	list_add_tail(&t->tasks, &all_tasks);
	spin_unlock(&tasklist_lock);
	return t;
}

/* Only before the first wake-up, as in Linux. A CPU that is not online
 * has no run queue: refuse it loudly and leave the thread unbound. */
void kthread_bind(struct task_struct *t, int cpu)
{
	BUG_ON(t->state != TASK_NEW);
	if (WARN(!cpu_online(cpu), "kthread_bind: %s/%d to CPU%d, which is not online\n",
		 t->comm, t->pid, cpu))
		return;
	t->bound_cpu = cpu;
	t->cpu = cpu;
}

struct task_struct *get_task_struct(struct task_struct *t)
{
	refcount_inc(&t->usage);
	return t;
}

static void free_task_rcu(struct rcu_head *head)
{
	struct task_struct *t = container_of(head, struct task_struct, rcu);

	kfree(t->exit_wait);
	kfree(t);
}

/*
 * The last put takes the task off the task list (ps no longer shows it)
 * and frees it after a grace period: whoever read the pointer without a
 * reference, inside an RCU reader (preemption off), may still look at it.
 * Any context but a run-queue lock held (call_rcu may wake rcu_gp).
 */
void put_task_struct(struct task_struct *t)
{
	if (!refcount_dec_and_test(&t->usage))
		return;
	/* A task is freed only once it is off every CPU and queue. */
	WARN_ON_ONCE(t->stack || READ_ONCE(t->on_rq) || READ_ONCE(t->on_cpu));
	spin_lock(&tasklist_lock);
	list_del(&t->tasks);
	spin_unlock(&tasklist_lock);
	call_rcu(&t->rcu, free_task_rcu);
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

struct task_struct *kthread_create_on_cpu(int (*fn)(void *), void *data,
					  unsigned int cpu, const char *namefmt)
{
	struct task_struct *t = kthread_create(fn, data, namefmt, cpu);

	if (IS_ERR(t))
		return t;
	kthread_bind(t, (int)cpu);	/* kept across parks: no CPU hotplug here */
	return t;
}

void *kthread_data(struct task_struct *t) { return t->data; }
void *kthread_func(struct task_struct *t) { return (void *)t->threadfn; }

/* ---- parking ---- */

bool kthread_should_park(void)
{
	return READ_ONCE(current->should_park);
}

bool kthread_should_stop_or_park(void)
{
	return kthread_should_stop() || kthread_should_park();
}

/*
 * Sleep in TASK_PARKED until kthread_unpark(). The state is set first and
 * the flag checked after, under the same rule as every sleep (no lost
 * wake-up); set_special_state(), because a stray wake_up_process() must
 * not end a park. parked + the wake-up tell kthread_park() we are here,
 * with preemption off until schedule() so that its waiter does not have
 * to wait a whole slice for a preempted parker to get off the CPU.
 */
void kthread_parkme(void)
{
	struct task_struct *me = current;

	for (;;) {
		set_special_state(TASK_PARKED);
		if (!READ_ONCE(me->should_park))
			break;
		preempt_disable();
		smp_store_release(&me->parked, true);
		wake_up_all(me->exit_wait);	/* kthread_park() waits there */
		preempt_enable_no_resched();
		schedule();
	}
	WRITE_ONCE(me->parked, false);
	__set_current_state(TASK_RUNNING);
}

int kthread_park(struct task_struct *t)
{
	if (WARN_ON(READ_ONCE(t->exited)))
		return -ENOSYS;
	if (WARN_ON_ONCE(READ_ONCE(t->should_park)))
		return -EBUSY;
	WRITE_ONCE(t->should_park, true);
	if (t == current)
		return 0;		/* parks at its next kthread_parkme() */
	wake_up_process(t);		/* from a normal sleep, or new */
	wait_event(*t->exit_wait, smp_load_acquire(&t->parked));
	/* Off its CPU too (Linux's wait_task_inactive()), so that a caller
	 * may rebind it; a parker preempted before schedule() gets there. */
	while (READ_ONCE(t->on_rq) || smp_load_acquire(&t->on_cpu))
		schedule_timeout_uninterruptible(1);
	return 0;
}

void kthread_unpark(struct task_struct *t)
{
	if (!READ_ONCE(t->should_park))
		return;
	WRITE_ONCE(t->should_park, false);
	wake_up_state(t, TASK_PARKED);
}

/* A thread must leave as it came: preemptible, interrupts on. */
static void check_exit_state(struct task_struct *me)
{
	if (preempt_count() != 0 || irqs_disabled())
		count_warning();
	if (preempt_count() != 0) {
		printk(KERN_ERR "BUG: kthread %s/%d exited with preempt_count 0x%x\n",
		       me->comm, me->pid, preempt_count());
		this_cpu_write(__preempt_count, 0);
	}
	if (irqs_disabled()) {
		printk(KERN_ERR "BUG: kthread %s/%d exited with interrupts disabled\n",
		       me->comm, me->pid);
		local_irq_enable();
	}
}

static atomic_t nr_exiting;		/* returned, last switch still to come */

int nr_threads_exiting(void)
{
	return atomic_read(&nr_exiting);
}

void kthread_buried(void)
{
	atomic_dec(&nr_exiting);
}

__noreturn void kthread_exit(int code)
{
	struct task_struct *me = current;

	exit_kernel_lock(me);
	check_exit_state(me);
	me->exit_code = code;
	/* No preemption from here to schedule(): the wake-up below would
	 * otherwise switch to the reaper at once (a woken thread preempts),
	 * and a preempted thread stays queued - a queued dead thread would be
	 * freed while still queued. */
	preempt_disable();
	atomic_inc(&nr_exiting);
	smp_store_release(&me->exited, true);
	wake_up_all(me->exit_wait);
	set_special_state(TASK_DEAD);
	schedule();		/* never comes back; the next thread frees our stack */
	BUG();
}

__noreturn void kthread_complete_and_exit(struct completion *comp, long code)
{
	if (comp)
		complete(comp);
	kthread_exit((int)code);
}

/* First C code of every thread (from ret_from_kthread). */
void kthread_start(struct task_struct *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
	preempt_count_sub(PREEMPT_OFFSET);
	struct task_struct *me = current;
	/* Stopped before it ever ran: do not start the work (as Linux). */
	if (kthread_should_stop())
		kthread_exit(-EINTR);
	/* Parked before it ever ran: park now. Stopped while parked, its
	 * function still runs (and sees kthread_should_stop()), as Linux's. */
	if (kthread_should_park())
		kthread_parkme();
	kthread_exit(me->threadfn(me->data));
}

DEFINE_DELAY_HOOK(kthread_stop_flag);

int kthread_stop(struct task_struct *t)
{
	/* A thread that already returned and was freed (nobody held a
	 * reference) cannot be stopped: say so while we still can tell. */
	if (WARN(refcount_read(&t->usage) == 0, "kthread_stop: %s/%d already exited and "
		 "is being freed: hold get_task_struct() on a thread that may return "
		 "on its own\n", t->comm, t->pid))
		return -ESRCH;
	get_task_struct(t);
	delay_hook(kthread_stop_flag, t);
	WRITE_ONCE(t->should_stop, true);
	kthread_unpark(t);			/* a parked thread must see it */
	WRITE_ONCE(t->notify_signal, true);	/* its interruptible sleeps end */
	wake_up_process(t);
	wait_event(*t->exit_wait, smp_load_acquire(&t->exited));
	int code = t->exit_code;
	put_task_struct(t);
	return code;
}

int kthread_stop_put(struct task_struct *t)
{
	int code = kthread_stop(t);

	put_task_struct(t);
	return code;
}
