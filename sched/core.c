/*
 * core.c - run queues, schedule(), wake-ups, preemption.
 *
 * Each CPU has a run queue: a FIFO of runnable threads (the running one,
 * rq->curr, is not on the list) under rq->lock. schedule() puts the
 * current thread back at the tail if it is still runnable, takes the
 * head, and switches stacks (arch/x86/switch.asm). A woken thread goes
 * to the head instead, and preempts the running one (wake_up_process()).
 * The rq lock is held across the switch and released by the thread that
 * runs next (in finish_task_switch), so no other CPU can see a
 * half-switched queue.
 *
 * Locks and fields:
 *   t->pi_lock   serializes wake-ups of t against t going to sleep:
 *                schedule() decides "stays runnable / leaves the queue"
 *                under it, and wake_up_process() decides "already
 *                runnable / must be queued" under it. That pairing is why
 *                no wake-up is lost. Order: pi_lock, then rq->lock.
 *   rq->lock     the queue, rq->curr, t->on_rq, t->cpu of queued threads.
 *   t->on_cpu    set while t's registers are live on a CPU; a waker that
 *                queues t elsewhere waits for 0, so t never runs on two
 *                CPUs at once.
 *
 * preempt_count is per CPU (so this_cpu ops keep it cheap) and saved and
 * restored per thread at the switch, so a thread that wrongly slept while
 * atomic cannot leave its count to the next thread.
 *
 * The rules above are checked where they are used (debug builds):
 * lockdep_assert_held() on every run-queue change, and WARN_ON_ONCE on the
 * state __schedule() and finish_task_switch() run in - interrupts off, the
 * scheduler's own preemption count taken, no interrupt context - so a
 * broken rule is named where it breaks, not found later as a corrupted
 * queue or stack.
 */
#include "kernel/boot.h"
#include "sched/sched.h"
#include "kernel/cmdline.h"
#include "kernel/jitter.h"
#include "kernel/ratelimit.h"
#include "kernel/cpumask.h"
#include "kernel/mm.h"
#include "kernel/delay_hook.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/vsprintf.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/trace.h"
#include "arch/x86/irq.h"
#include "arch/x86/switch.h"
#include "arch/x86/backtrace.h"
#include "sync/barrier.h"
#include "sync/rcu.h"
#include "sync/bkl.h"

struct rq {
	spinlock_t lock;
	struct list_head queue;
	int nr_running;			/* queued + running, idle excluded */
	struct task_struct *curr, *idle;
	uint64_t nr_switches;
	int balance_countdown;
};

static DEFINE_PER_CPU(struct rq, runqueues);
DEFINE_DELAY_HOOK(wake_running_task);
DEFINE_PER_CPU(struct task_struct *, current_task);
DEFINE_PER_CPU(int, __preempt_count);
DEFINE_PER_CPU(int, __need_resched);
DEFINE_PER_CPU(uint64_t, last_schedule_ns);	/* for the watchdog */

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(all_tasks);
static int slice_ticks = 10;
static bool sched_running;

CMDLINE_OPTION("sched.slice_ms", "round-robin time slice in ms (1-1000, default 10)");

static struct rq *cpu_rq(int cpu)
{
	return per_cpu_ptr(&runqueues, cpu);
}

static struct rq *this_rq(void)
{
	return this_cpu_ptr(&runqueues);
}

/* Ask `cpu` to reschedule soon: its flag, and an IPI if it is not us. */
static void resched_cpu(int cpu)
{
	per_cpu(__need_resched, cpu) = 1;
	if (cpu != smp_processor_id())
		smp_send_reschedule(cpu);
}

static void enqueue(struct rq *rq, struct task_struct *t)
{
	lockdep_assert_held(&rq->lock);
	list_add_tail(&t->run_list, &rq->queue);
}

/* ---- picking a CPU ---- */

static bool allowed(struct task_struct *t, int cpu)
{
	if (READ_ONCE(t->migration_disabled))
		return cpu == t->cpu;
	return t->bound_cpu < 0 || t->bound_cpu == cpu;
}

/* Only the thread itself changes its count, with preemption off so that
 * the balancer (which reads it under the run-queue lock while the thread
 * is queued, not running) sees it before the thread can be queued. */
void migrate_disable(void)
{
	struct task_struct *me = current;

	preempt_disable();
	me->migration_disabled++;
	preempt_enable();
}

void migrate_enable(void)
{
	struct task_struct *me = current;

	if (WARN_ON_ONCE(me->migration_disabled <= 0))
		return;
	preempt_disable();
	me->migration_disabled--;
	preempt_enable();
}

/* The least loaded allowed CPU; the previous one wins ties (its caches
 * may still hold the thread's data). */
static int select_task_rq(struct task_struct *t)
{
	int best = -1, best_load = 1 << 30, cpu;

	if (t->migration_disabled)
		return t->cpu;		/* asleep inside migrate_disable() */
	if (t->bound_cpu >= 0)
		return t->bound_cpu;
	if (cpu_online(t->cpu) && READ_ONCE(cpu_rq(t->cpu)->nr_running) == 0)
		return t->cpu;
	for_each_online_cpu(cpu) {
		int load = READ_ONCE(cpu_rq(cpu)->nr_running);
		if (load < best_load || (load == best_load && cpu == t->cpu)) {
			best = cpu;
			best_load = load;
		}
	}
	return best;
}

/* ---- waking up ---- */

/* t, asleep and off every CPU, becomes runnable at the head of rq. */
static void activate_task(struct rq *rq, struct task_struct *t, int cpu)
{
	lockdep_assert_held(&t->pi_lock);
	lockdep_assert_held(&rq->lock);
	WARN_ON_ONCE(t->on_rq || READ_ONCE(t->on_cpu));
	WRITE_ONCE(t->state, TASK_RUNNING);
	t->cpu = cpu;
	t->on_rq = 1;
	t->slice_left = slice_ticks;
	list_add(&t->run_list, &rq->queue);	/* at the head: see below */
	rq->nr_running++;
}

/*
 * Wake-up preemption. A thread that was waiting for something (a lock
 * released, a completion, a timer) should get it at once: it goes to the
 * head of its CPU's queue and preempts the running thread there (at that
 * thread's next preemption point). Waiting a whole slice at the tail
 * instead is costly: a thread woken to take a mutex leaves the mutex's
 * WAITERS flag set until it runs, and meanwhile every unlock takes the
 * slow path. The preempted thread goes to the tail, so a thread that is
 * woken often cannot starve a busy one: it runs, sleeps again, and the
 * busy one resumes. (Linux's CFS gets the same effect from its virtual
 * run times: a woken thread has run less, so it runs first.)
 *
 * wake_up_process() makes t runnable. Returns 1 if it was asleep (or
 * new), 0 if it was already runnable. Safe from any context, interrupts
 * included.
 */
int wake_up_state(struct task_struct *t, unsigned int state)
{
	unsigned long flags;

	spin_lock_irqsave(&t->pi_lock, flags);
	if (!(t->state & state)) {	/* running, dead, or not a state asked */
		spin_unlock_irqrestore(&t->pi_lock, flags);
		return 0;
	}
	if (t->on_rq) {
		/* Still on its CPU, before schedule() took it off the queue:
		 * schedule() will now see TASK_RUNNING and keep it. (From
		 * the state read above to this write we hold pi_lock: a task
		 * dying meanwhile waits for it to write TASK_DEAD.) */
		delay_hook(wake_running_task, t);
		WRITE_ONCE(t->state, TASK_RUNNING);
		trace_task_event(TRACE_WAKEUP, t, (unsigned int)t->cpu);
		spin_unlock_irqrestore(&t->pi_lock, flags);
		return 1;
	}
	/* It may still be switching out on its old CPU: wait for that. */
	while (smp_load_acquire(&t->on_cpu))
		cpu_relax();
	int cpu = select_task_rq(t);
	struct rq *rq = cpu_rq(cpu);
	do_raw_spin_lock(&rq->lock);
	activate_task(rq, t, cpu);
	trace_task_event(TRACE_WAKEUP, t, (unsigned int)cpu);
	resched_cpu(cpu);
	do_raw_spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&t->pi_lock, flags);
	return 1;
}

int wake_up_process(struct task_struct *t)
{
	return wake_up_state(t, TASK_NORMAL | TASK_NEW);
}

void set_current_state_fn(long state)
{
	/* The barrier orders this store before the caller's next load of
	 * its wake-up condition: the heart of "no lost wake-up". */
	WRITE_ONCE(current->state, state);
	smp_mb();
}

/* ---- switching ---- */

static void report_atomic_schedule(struct task_struct *prev)
{
	count_warning();
	printk(KERN_ERR "BUG: scheduling while atomic: %s/%d/0x%08x\n",
	       prev->comm, prev->pid, preempt_count());
	rcu_sleep_check();		/* the RCU-specific line, if in a reader */
	dump_stack();
}

/*
 * Runs on the next thread, right after the switch: finish what
 * __schedule() started on the previous one.
 *
 * prev's state is read before prev->on_cpu is cleared: that store is
 * what lets a waker on another CPU queue prev there, and from then on
 * prev may run there, exit, and be buried by that CPU (its stack freed,
 * its reference dropped) while this CPU is still on its way out of here -
 * a vCPU the host pauses for a moment is enough. A state read after the
 * store could see the TASK_DEAD of that other life and bury prev a second
 * time. Read before it, the state is the one prev switched out with: a
 * task that switched out dead stays dead, and nobody else buries it.
 * (Linux fixed the same race in 2015: "sched/core: Fix TASK_DEAD race in
 * finish_task_switch()".)
 */
void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();
	long prev_state = READ_ONCE(prev->state);

	/* prev's __schedule() took the lock on this CPU, interrupts off, and
	 * the count restored for us is one saved inside __schedule(). A dead
	 * task left its queue there. */
	lockdep_assert_held(&rq->lock);
	WARN_ON_ONCE(!irqs_disabled());
	WARN_ON_ONCE(!(preempt_count() & PREEMPT_MASK) || in_interrupt());
	WARN_ON_ONCE(prev_state == TASK_DEAD && prev->on_rq);
	smp_store_release(&prev->on_cpu, 0);
	do_raw_spin_unlock(&rq->lock);
	jitter_window(200);		/* jitter=: widen the window above */
	if (prev_state == TASK_DEAD) {
		/* Only this CPU buries prev, and its creator's reference
		 * (kthread_stop waits for ours first) keeps it alive until
		 * our put. */
		kstack_free(prev->stack);
		prev->stack = NULL;
		kthread_buried();
		put_task_struct(prev);		/* the thread's own reference */
	}
}

static struct task_struct *pick_next(struct rq *rq)
{
	lockdep_assert_held(&rq->lock);
	if (list_empty(&rq->queue))
		return rq->idle;
	struct task_struct *t = list_first_entry(&rq->queue, struct task_struct, run_list);
	list_del_init(&t->run_list);
	return t;
}

/* Account the previous thread's run time. */
static void account(struct task_struct *prev, struct task_struct *next, uint64_t now)
{
	prev->sum_exec_ns += now - prev->exec_start_ns;
	next->exec_start_ns = now;
	next->nr_switches++;
}

/*
 * The scheduler proper. Interrupts off on entry and exit, preemption
 * counted once by the caller. `preempt` says the thread did not ask to
 * stop: it must stay queued whatever its state, because a thread is often
 * preempted between setting TASK_UNINTERRUPTIBLE and calling schedule()
 * (before it has queued itself anywhere it could be woken from).
 */
static void __schedule(bool preempt)
{
	struct task_struct *prev = current, *next;
	struct rq *rq = this_rq();
	uint64_t now = ktime_get_ns();

	/* Entered with interrupts off and the caller's one preemption count,
	 * never from an interrupt handler (irq_exit_preempt() runs after it). */
	WARN_ON_ONCE(!irqs_disabled());
	WARN_ON_ONCE(!(preempt_count() & PREEMPT_MASK) || in_interrupt());

	this_cpu_write(last_schedule_ns, now);
	rcu_note_context_switch();	/* a quiescent state, even if prev goes on */
	do_raw_spin_lock(&prev->pi_lock);
	do_raw_spin_lock(&rq->lock);
	this_cpu_write(__need_resched, 0);
	if (prev != rq->idle) {
		/* A signal (kthread_stop()) keeps an interruptible sleeper
		 * awake, as in Linux: it returns to see why. */
		if (!preempt && signal_pending_state(prev->state, prev))
			WRITE_ONCE(prev->state, TASK_RUNNING);
		if (prev->state == TASK_RUNNING || preempt) {
			enqueue(rq, prev);		/* preempted or yielded */
		} else {
			prev->on_rq = 0;		/* going to sleep or dying */
			rq->nr_running--;
		}
	}
	do_raw_spin_unlock(&prev->pi_lock);

	next = pick_next(rq);
	if (next == prev) {
		do_raw_spin_unlock(&rq->lock);
		return;
	}
	bool slept = !preempt && prev->state != TASK_RUNNING;
	if (slept)
		prev->nvcsw++;			/* it went to sleep */
	else
		prev->nivcsw++;			/* preempted, or yielded */
	next->slice_left = slice_ticks;
	next->on_cpu = 1;
	next->cpu = smp_processor_id();
	rq->curr = next;
	rq->nr_switches++;
	account(prev, next, now);
	trace_task_event(TRACE_SWITCH, next, prev->state == TASK_DEAD ? 2 : slept);
	prev->saved_preempt_count = preempt_count();
	this_cpu_write(current_task, next);
	this_cpu_write(__preempt_count, next->saved_preempt_count);
	prev = __switch_to(&prev->saved_rsp, next->saved_rsp, prev);
	/* We run again, maybe on another CPU, switched back in by another
	 * thread's __schedule(); `prev` is now that thread: finish its switch. */
	finish_task_switch(prev);
}

/*
 * A wake-up that lands while __schedule() runs sets need_resched but
 * cannot preempt (the count is raised): look again once it is dropped,
 * as Linux's schedule() does, instead of leaving the woken thread to the
 * next tick.
 */
void schedule(void)
{
	struct task_struct *prev = current;
	unsigned long flags;

	/* The big kernel lock is not held across a sleep (sync/bkl.h). */
	if (unlikely(prev->lock_depth >= 0))
		release_kernel_lock(prev);
	if (unlikely(preempt_count() != 0 || irqs_disabled()) &&
	    prev->state != TASK_DEAD)
		report_atomic_schedule(prev);
	do {
		preempt_count_add(PREEMPT_OFFSET);
		local_irq_save(flags);
		__schedule(false);
		local_irq_restore(flags);
		preempt_count_sub(PREEMPT_OFFSET);
	} while (need_resched() && preempt_count() == 0 && !irqs_disabled());
	if (unlikely(prev->lock_depth >= 0))
		reacquire_kernel_lock(prev);
}

void yield(void)
{
	schedule();
}

int cond_resched(void)
{
	might_sleep();
	if (!need_resched() || preempt_count_outside_bkl() != 0)
		return 0;
	schedule();
	return 1;
}

/* preempt_enable() found the count at 0 with need_resched set. */
void preempt_schedule(void)
{
	unsigned long flags;

	if (!sched_running || irqs_disabled())
		return;
	do {
		preempt_count_add(PREEMPT_OFFSET);
		local_irq_save(flags);
		__schedule(true);
		local_irq_restore(flags);
		preempt_count_sub(PREEMPT_OFFSET);
	} while (need_resched());
}

/* The way out of every interrupt: preempt the interrupted thread if it
 * may be preempted (count 0, interrupts were on) and should be. */
void irq_exit_preempt(struct pt_regs *regs)
{
	if (!sched_running || regs_irqs_disabled(regs) || preempt_count() != 0)
		return;
	while (need_resched()) {
		preempt_count_add(PREEMPT_OFFSET);
		__schedule(true);		/* interrupts are still off */
		preempt_count_sub(PREEMPT_OFFSET);
	}
}

/* ---- the tick ---- */

int nr_running_on(int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_running);
}

/*
 * Balance: an idle or lightly loaded CPU pulls one queued thread from the
 * busiest CPU when that one has at least two more. Both run queues are
 * locked, lower address first, so two CPUs balancing towards each other
 * cannot deadlock. Only queued (not running) threads move.
 */
static void load_balance(int this_cpu)
{
	struct rq *me = cpu_rq(this_cpu), *busiest = NULL;
	int cpu, max = READ_ONCE(me->nr_running) + 1;

	for_each_online_cpu(cpu) {
		int n = READ_ONCE(cpu_rq(cpu)->nr_running);
		if (cpu != this_cpu && n > max) {
			max = n;
			busiest = cpu_rq(cpu);
		}
	}
	if (!busiest)
		return;
	struct rq *first = me < busiest ? me : busiest;
	struct rq *second = me < busiest ? busiest : me;
	do_raw_spin_lock(&first->lock);
	do_raw_spin_lock(&second->lock);
	lockdep_assert_held(&busiest->lock);
	lockdep_assert_held(&me->lock);
	if (busiest->nr_running > me->nr_running + 1) {
		struct task_struct *t;
		list_for_each_entry(t, &busiest->queue, run_list) {
			if (!allowed(t, this_cpu))
				continue;
			list_del_init(&t->run_list);
			busiest->nr_running--;
			t->cpu = this_cpu;
			enqueue(me, t);
			me->nr_running++;
			if (me->curr == me->idle)
				this_cpu_write(__need_resched, 1);
			break;
		}
	}
	do_raw_spin_unlock(&second->lock);
	do_raw_spin_unlock(&first->lock);
}

#define BALANCE_INTERVAL_TICKS 4

/* Called from the timer interrupt on every CPU. */
void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *curr = current;

	if (!sched_running)
		return;
	/* A used-up slice asks for a reschedule even with nobody waiting:
	 * the thread is then picked again, and the CPU has "scheduled" (what
	 * the soft-lockup watchdog checks). */
	if (curr != rq->idle && --curr->slice_left <= 0)
		this_cpu_write(__need_resched, 1);
	if (--rq->balance_countdown <= 0) {
		rq->balance_countdown = BALANCE_INTERVAL_TICKS;
		load_balance(smp_processor_id());
	}
}

/* ---- idle ---- */

__noreturn void cpu_idle(void)
{
	for (;;) {
		this_cpu_write(last_schedule_ns, ktime_get_ns());
		rcu_report_qs();	/* idle: in no reader; at least once per tick */
		local_irq_disable();
		if (need_resched() || !list_empty(&this_rq()->queue)) {
			local_irq_enable();
			schedule();
			continue;
		}
		safe_halt();	/* sti; hlt: a wake-up IPI cannot slip in between */
	}
}

/* ---- setup ---- */

static atomic_t next_pid = ATOMIC_INIT(0);

/* The context running this becomes `cpu`'s idle thread. */
static void init_idle(int cpu, void *stack_base)
{
	struct rq *rq = cpu_rq(cpu);
	struct task_struct *idle = kzalloc(sizeof(*idle), GFP_ATOMIC);	/* interrupts off */

	if (!idle)
		panic("sched: no memory for CPU%d's idle thread", cpu);
	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->queue);
	spin_lock_init(&idle->pi_lock);
	INIT_LIST_HEAD(&idle->run_list);
	snprintf(idle->comm, sizeof(idle->comm), "idle/%d", cpu);
	idle->pid = atomic_fetch_add(1, &next_pid);
	idle->state = TASK_RUNNING;
	idle->cpu = cpu;
	idle->bound_cpu = cpu;
	idle->lock_depth = -1;
	idle->on_cpu = 1;
	idle->stack = stack_base;
	refcount_set(&idle->usage, 1);		/* never put: idle never exits */
	idle->exec_start_ns = ktime_get_ns();
	rq->idle = rq->curr = idle;
	spin_lock(&tasklist_lock);
	list_add_tail(&idle->tasks, &all_tasks);
	spin_unlock(&tasklist_lock);
	this_cpu_write(current_task, idle);
}

int alloc_pid(void)
{
	return atomic_fetch_add(1, &next_pid);
}

int sched_slice_ticks(void)
{
	return slice_ticks;
}

void sched_init(void)
{
	slice_ticks = (int)cmdline_get_int("sched.slice_ms", 10, 1, 1000) * HZ / 1000;
	if (slice_ticks < 1)
		slice_ticks = 1;
	init_idle(0, NULL);	/* the boot stack is never freed */
	register_tick_hook(scheduler_tick);
	WRITE_ONCE(sched_running, true);
}

void sched_init_ap(int cpu)
{
	init_idle(cpu, NULL);
}

/* ---- sleeping checks and timeouts ---- */

#ifdef CONFIG_DEBUG_PREEMPT
/*
 * smp_processor_id() in code that may migrate: the number may be wrong
 * by the time it is used. Fine with preemption or interrupts off, in a
 * thread bound to one CPU, and before the scheduler runs.
 */
unsigned int debug_smp_processor_id(void)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	unsigned int cpu = raw_smp_processor_id();

	if (likely(preempt_count() != 0 || irqs_disabled()) || !sched_running)
		return cpu;
	struct task_struct *me = current;
	if (!me || me->bound_cpu >= 0 || me->migration_disabled)
		return cpu;		/* cannot move: the number stays true */
	preempt_disable();		/* our own report must not recurse */
	count_warning();
	if (__ratelimit(&rs)) {
		printk(KERN_ERR "BUG: using smp_processor_id() in preemptible [%08x] "
		       "code: %s/%d\n", preempt_count() - PREEMPT_OFFSET, me->comm, me->pid);
		printk(KERN_ERR "caller is %pS\n", __builtin_return_address(0));
		dump_stack();
	}
	preempt_enable_no_resched();
	return cpu;
}
#endif

void __might_sleep(const char *file, int line)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);

	if (likely(preempt_count_outside_bkl() == 0 && !irqs_disabled()) ||
	    !sched_running || !current)
		return;
	count_warning();	/* every time: a test during which it happens fails */
	if (!__ratelimit(&rs))
		return;		/* do not flood the console */
	printk(KERN_ERR "BUG: sleeping function called from invalid context at %s:%d\n"
	       "in_atomic(): %d, irqs_disabled(): %d, name: %s, pid: %d\n",
	       file, line, in_atomic() != 0, irqs_disabled(), current->comm,
	       current->pid);
	rcu_sleep_check();
	dump_stack();
}

static const char *state_name(long state)
{
	switch (state) {
	case TASK_RUNNING: return "R";
	case TASK_INTERRUPTIBLE: return "S";
	case TASK_UNINTERRUPTIBLE: return "D";
	case TASK_NEW: return "N";
	case TASK_DEAD: return "X";
	case TASK_PARKED: return "P";
	}
	return "?";
}

/* Where a thread that is not running stopped: its saved frame. */
void sched_show_task(struct task_struct *t)
{
	uintptr_t bp, ip;

	if (READ_ONCE(t->on_cpu) || !t->saved_rsp || t->state == TASK_DEAD)
		return;
	arch_stopped_thread_frame(t->saved_rsp, &bp, &ip);
	printk(KERN_INFO "%s/%d stopped in:\n", t->comm, t->pid);
	backtrace_print(bp, ip);
}

/* One line per thread, like ps: for the shell and for hung-test reports.
 * Reads without the run-queue locks: a snapshot that may be slightly off. */
void sched_print_tasks(void)
{
	struct task_struct *t;
	int cpu;

	printk(KERN_INFO "  PID CPU S ON_RQ ON_CPU  SWITCHES   RUN_MS NAME\n");
	spin_lock(&tasklist_lock);
	list_for_each_entry(t, &all_tasks, tasks)
		printk(KERN_INFO "%5d %3d %s %5d %6d %9llu %8llu %s\n", t->pid, t->cpu,
		       state_name(t->state), t->on_rq, t->on_cpu,
		       (unsigned long long)t->nr_switches,
		       (unsigned long long)(t->sum_exec_ns / NSEC_PER_MSEC), t->comm);
	list_for_each_entry(t, &all_tasks, tasks)
		if (t->state == TASK_UNINTERRUPTIBLE || t->state == TASK_INTERRUPTIBLE)
			sched_show_task(t);
	spin_unlock(&tasklist_lock);
	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);
		printk(KERN_INFO "cpu%d: curr %s, %d running, need_resched %d, "
		       "preempt_count %#x, ticks %llu\n", cpu, READ_ONCE(rq->curr)->comm,
		       READ_ONCE(rq->nr_running), per_cpu(__need_resched, cpu),
		       per_cpu(__preempt_count, cpu),
		       (unsigned long long)per_cpu(tick_count, cpu));
	}
}
