/*
 * rwsem.c - reader-writer semaphores (contract in rwsem.h).
 *
 * The state (readers inside, writer inside, queue of sleepers) sits under
 * one spinlock, wait_lock: every operation is "lock, look, decide, unlock",
 * simple to check, at the price of one spinlock round trip even when
 * uncontended (Linux packs the state in one atomic word to avoid it).
 *
 * A reader may enter when no writer is inside AND nobody waits; a writer
 * when nobody at all is inside and nobody waits. "Nobody waits" is what
 * keeps writers from starving: a queued writer makes every later reader
 * queue behind it, and the readers inside drain.
 *
 * When the lock becomes free (last reader leaves, or the writer leaves),
 * grant() serves the queue from its head, like the mutex's hand-off: it
 * dequeues the waiter, counts it in (readers++ or writer = true), sets
 * its `granted` flag and wakes it, all under wait_lock. A writer at the
 * head is let in alone; a reader at the head is let in together with the
 * readers right behind it, up to the next writer. The sleeper checks
 * `granted` under wait_lock (no lost wake-up, stack waiter safe: the same
 * argument as in mutex.c).
 */
#include "sync/rwsem.h"
#include "kernel/errno.h"
#include "sched/sched.h"
#include "kernel/jitter.h"
#include "kernel/panic.h"

struct rwsem_waiter {
	struct list_head list;
	struct task_struct *task;
	bool write;
	bool granted;
};

void __init_rwsem(struct rw_semaphore *sem, const char *name, const void *key)
{
	spin_lock_init(&sem->wait_lock);
	sem->readers = 0;
	sem->writer = false;
	INIT_LIST_HEAD(&sem->wait_list);
	lockdep_init_map(&sem->dep_map, name, key);
}

/* wait_lock held: let in whoever the head of the queue allows. */
static void grant(struct rw_semaphore *sem)
{
	while (!list_empty(&sem->wait_list) && !sem->writer) {
		struct rwsem_waiter *w = list_first_entry(&sem->wait_list,
							  struct rwsem_waiter, list);
		if (w->write && sem->readers)
			break;
		list_del(&w->list);
		if (w->write)
			sem->writer = true;
		else
			sem->readers++;
		WRITE_ONCE(w->granted, true);
		wake_up_process(w->task);
	}
}

/*
 * wait_lock held: queue and sleep until grant() lets us in (0), or, in an
 * interruptible `state`, until a signal (kthread_stop()) comes first
 * (-EINTR). A waiter that leaves may have been what held the others back
 * (a writer at the head keeps the readers behind it out): grant() again.
 */
static int rwsem_wait(struct rw_semaphore *sem, bool write, long state)
{
	struct rwsem_waiter w = { .task = current, .write = write, .granted = false };

	list_add_tail(&w.list, &sem->wait_list);
	while (!w.granted) {
		if (signal_pending_state(state, current)) {
			list_del(&w.list);
			grant(sem);
			return -EINTR;
		}
		set_current_state(state);
		spin_unlock(&sem->wait_lock);
		jitter_point();
		schedule();
		spin_lock(&sem->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static bool can_read(struct rw_semaphore *sem)
{
	return !sem->writer && list_empty(&sem->wait_list);
}

static bool can_write(struct rw_semaphore *sem)
{
	return !sem->writer && !sem->readers && list_empty(&sem->wait_list);
}

static int __down_read(struct rw_semaphore *sem, long state, unsigned long ip __maybe_unused)
{
	int ret = 0;

	might_sleep();
	rwsem_acquire(&sem->dep_map, 0, false, ip);
	spin_lock(&sem->wait_lock);
	if (can_read(sem))
		sem->readers++;
	else
		ret = rwsem_wait(sem, false, state);
	spin_unlock(&sem->wait_lock);
	if (ret)
		rwsem_release(&sem->dep_map, ip);	/* not taken after all */
	return ret;
}

void down_read(struct rw_semaphore *sem)
{
	__down_read(sem, TASK_UNINTERRUPTIBLE, _RET_IP_);
}

int down_read_interruptible(struct rw_semaphore *sem)
{
	return __down_read(sem, TASK_INTERRUPTIBLE, _RET_IP_);
}

void down_write(struct rw_semaphore *sem)
{
	might_sleep();
	rwsem_acquire(&sem->dep_map, 0, false, _RET_IP_);
	spin_lock(&sem->wait_lock);
	if (can_write(sem))
		sem->writer = true;
	else
		rwsem_wait(sem, true, TASK_UNINTERRUPTIBLE);
	spin_unlock(&sem->wait_lock);
}

int down_read_trylock(struct rw_semaphore *sem)
{
	bool ok;

	spin_lock(&sem->wait_lock);
	ok = can_read(sem);
	if (ok)
		sem->readers++;
	spin_unlock(&sem->wait_lock);
	if (ok)
		rwsem_acquire(&sem->dep_map, 0, true, _RET_IP_);
	return ok;
}

int down_write_trylock(struct rw_semaphore *sem)
{
	bool ok;

	spin_lock(&sem->wait_lock);
	ok = can_write(sem);
	if (ok)
		sem->writer = true;
	spin_unlock(&sem->wait_lock);
	if (ok)
		rwsem_acquire(&sem->dep_map, 0, true, _RET_IP_);
	return ok;
}

/* The writer becomes a reader, without a moment unlocked: readers
 * queued right behind it come in with it, a writer waits on. */
void downgrade_write(struct rw_semaphore *sem)
{
	spin_lock(&sem->wait_lock);
	WARN_ON(!sem->writer);
	sem->writer = false;
	sem->readers = 1;
	grant(sem);
	spin_unlock(&sem->wait_lock);
}

void up_read(struct rw_semaphore *sem)
{
	rwsem_release(&sem->dep_map, _RET_IP_);
	spin_lock(&sem->wait_lock);
	if (WARN_ON(sem->readers <= 0 || sem->writer)) {	/* unbalanced up_read */
		spin_unlock(&sem->wait_lock);
		return;
	}
	if (--sem->readers == 0)
		grant(sem);
	spin_unlock(&sem->wait_lock);
}

void up_write(struct rw_semaphore *sem)
{
	rwsem_release(&sem->dep_map, _RET_IP_);
	spin_lock(&sem->wait_lock);
	if (WARN_ON(!sem->writer)) {				/* unbalanced up_write */
		spin_unlock(&sem->wait_lock);
		return;
	}
	sem->writer = false;
	grant(sem);
	spin_unlock(&sem->wait_lock);
}
