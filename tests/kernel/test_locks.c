/*
 * test_locks.c - lock torture for every lock type, in the manner of Linux's
 * locktorture, plus each lock's API conventions and debug reports.
 *
 * Torture: 2 x CPUs writer threads (at most 16) take the lock, check that
 * no other writer and no reader is inside, hold it for a short random time
 * (0-2 us mostly, now and then 20-50 us, and for sleeping locks now and
 * then a 1 ms sleep), and count their acquisitions. For reader-writer
 * locks, reader threads check that no writer is inside. A plain counter
 * updated by read-delay-write inside the section also catches lost
 * updates. Failure: exclusion broken, or a thread that never got the lock
 * (starved). A "busted" lock that does nothing must make the same checker
 * fail, which proves it can. Duration: torture.ms= (default 300) per type.
 */
#include "tests/ktest.h"
#include "sched/sched.h"
#include "sched/completion.h"
#include "sched/wait.h"
#include "kernel/cmdline.h"
#include "kernel/cpumask.h"
#include "kernel/errno.h"
#include "kernel/time.h"
#include "sync/atomic.h"
#include "sync/barrier.h"
#include "sync/spinlock.h"
#include "sync/ticket_lock.h"
#include "sync/rwlock.h"
#include "sync/mutex.h"
#include "sync/semaphore.h"
#include "sync/rwsem.h"
#include "kernel/hrtimer.h"

CMDLINE_OPTION("torture.ms", "lock torture: milliseconds per lock type (default 300)");

#define MAX_WRITERS 16
#define MAX_READERS 8

/* ---- the locks under test, behind one interface ---- */

struct torture_ops {
	const char *name;
	void (*write_lock)(void);
	void (*write_unlock)(void);
	void (*read_lock)(void);	/* NULL: an exclusive lock */
	void (*read_unlock)(void);
	bool may_sleep;			/* holders may sleep */
};

static DEFINE_SPINLOCK(t_spin);
static DEFINE_TICKET_SPINLOCK(t_ticket);
static DEFINE_RWLOCK(t_rwlock);
static DEFINE_MUTEX(t_mutex);
static DEFINE_SEMAPHORE(t_sem, 1);
static DECLARE_RWSEM(t_rwsem);

static void spin_w(void) { spin_lock(&t_spin); }
static void spin_wu(void) { spin_unlock(&t_spin); }
static void ticket_w(void) { ticket_spin_lock(&t_ticket); }
static void ticket_wu(void) { ticket_spin_unlock(&t_ticket); }
static void rwlock_w(void) { write_lock(&t_rwlock); }
static void rwlock_wu(void) { write_unlock(&t_rwlock); }
static void rwlock_r(void) { read_lock(&t_rwlock); }
static void rwlock_ru(void) { read_unlock(&t_rwlock); }
static void mutex_w(void) { mutex_lock(&t_mutex); }
static void mutex_wu(void) { mutex_unlock(&t_mutex); }
static void sem_w(void) { down(&t_sem); }
static void sem_wu(void) { up(&t_sem); }
static void rwsem_w(void) { down_write(&t_rwsem); }
static void rwsem_wu(void) { up_write(&t_rwsem); }
static void rwsem_r(void) { down_read(&t_rwsem); }
static void rwsem_ru(void) { up_read(&t_rwsem); }
static void busted(void) { }	/* a "lock" that excludes nobody */

static const struct torture_ops spin_ops = { "spinlock", spin_w, spin_wu, NULL, NULL, false };
static const struct torture_ops ticket_ops = { "ticket", ticket_w, ticket_wu, NULL, NULL, false };
static const struct torture_ops rwlock_ops = { "rwlock", rwlock_w, rwlock_wu, rwlock_r, rwlock_ru, false };
static const struct torture_ops mutex_ops = { "mutex", mutex_w, mutex_wu, NULL, NULL, true };
static const struct torture_ops sem_ops = { "semaphore", sem_w, sem_wu, NULL, NULL, true };
static const struct torture_ops rwsem_ops = { "rwsem", rwsem_w, rwsem_wu, rwsem_r, rwsem_ru, true };
static const struct torture_ops busted_ops = { "busted", busted, busted, NULL, NULL, true };

/* ---- the checker ---- */

struct torture {
	const struct torture_ops *ops;
	volatile bool stop;
	struct completion start;
	atomic_t writers_in, readers_in, violations, max_readers;
	long plain;			/* read-delay-write under the lock */
	long writes[MAX_WRITERS], reads[MAX_READERS];
	int nwriters, nreaders;
};

struct torture_thread {
	struct torture *t;
	int id;
};

/* Mostly 0-2 us; 1 in 128: 20-50 us; 1 in 1024 (sleeping locks): 1 ms. */
static void torture_hold(const struct torture *t, uint64_t *seed)
{
	uint64_t r = ktest_rand(seed);

	if (t->ops->may_sleep && r % 1024 == 0)
		msleep(1);
	else if (r % 128 == 1)
		udelay(20 + (r >> 16) % 31);
	else
		udelay((r >> 16) % 3);
}

static int torture_writer(void *arg)
{
	struct torture_thread *th = arg;
	struct torture *t = th->t;
	uint64_t seed = 0x9e3779b97f4a7c15ULL * (uint64_t)(th->id + 1);

	wait_for_completion(&t->start);
	while (!READ_ONCE(t->stop)) {
		t->ops->write_lock();
		if (atomic_inc_return(&t->writers_in) != 1 || atomic_read(&t->readers_in))
			atomic_inc(&t->violations);
		long v = READ_ONCE(t->plain);
		torture_hold(t, &seed);
		WRITE_ONCE(t->plain, v + 1);
		atomic_dec(&t->writers_in);
		t->ops->write_unlock();
		WRITE_ONCE(t->writes[th->id], t->writes[th->id] + 1);	/* torture_run polls it */
		if (ktest_rand(&seed) % 8 == 0)
			udelay(1);		/* outside: let others in */
	}
	return 0;
}

static int torture_reader(void *arg)
{
	struct torture_thread *th = arg;
	struct torture *t = th->t;
	uint64_t seed = 0x2545f4914f6cdd1dULL * (uint64_t)(th->id + 101);

	wait_for_completion(&t->start);
	while (!READ_ONCE(t->stop)) {
		t->ops->read_lock();
		int n = atomic_inc_return(&t->readers_in);
		if (atomic_read(&t->writers_in))
			atomic_inc(&t->violations);
		if (n > atomic_read(&t->max_readers))
			atomic_set(&t->max_readers, n);	/* racy max: a statistic */
		torture_hold(t, &seed);
		atomic_dec(&t->readers_in);
		t->ops->read_unlock();
		WRITE_ONCE(t->reads[th->id], t->reads[th->id] + 1);	/* torture_run polls it */
		if (ktest_rand(&seed) % 8 == 0)
			udelay(1);
	}
	return 0;
}

static long sum(const long *a, int n)
{
	long s = 0;

	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}

static long min_of(const long *a, int n)
{
	long m = n ? a[0] : 0;

	for (int i = 1; i < n; i++)
		m = MIN(m, a[i]);
	return m;
}

static long max_of(const long *a, int n)
{
	long m = 0;

	for (int i = 0; i < n; i++)
		m = MAX(m, a[i]);
	return m;
}

static int torture_ms(void)
{
	return (int)cmdline_get_int("torture.ms", 300, 10, 3600 * 1000);
}

/* Some thread has not had the lock yet. */
static bool torture_someone_waits(const struct torture *t)
{
	for (int i = 0; i < t->nwriters; i++)
		if (!READ_ONCE(t->writes[i]))
			return true;
	for (int i = 0; i < t->nreaders; i++)
		if (!READ_ONCE(t->reads[i]))
			return true;
	return false;
}

/*
 * Run the threads for ms milliseconds, and then, while some thread has
 * not had the lock even once, up to STARVE_MS more: an emulated CPU can be
 * descheduled by the host for milliseconds, and a fair lock then passes
 * slowly. A thread with no acquisition after all that is starved.
 * Returns false if a thread could not be created.
 */
#define STARVE_MS 5000
static bool torture_run(struct torture *t, const struct torture_ops *ops, int ms)
{
	static struct torture_thread th[MAX_WRITERS + MAX_READERS];
	struct task_struct *tasks[MAX_WRITERS + MAX_READERS];
	int ncpus = num_online_cpus(), n = 0;
	bool ok = true;

	*t = (struct torture){ .ops = ops };
	init_completion(&t->start);
	t->nwriters = MIN(2 * ncpus, MAX_WRITERS);
	t->nreaders = ops->read_lock ? MIN(ncpus, MAX_READERS) : 0;
	for (int i = 0; i < t->nwriters + t->nreaders; i++) {
		bool writer = i < t->nwriters;
		th[i] = (struct torture_thread){ t, writer ? i : i - t->nwriters };
		tasks[n] = ktest_kthread_run(writer ? torture_writer : torture_reader, &th[i],
				       "%s-%c%d", ops->name, writer ? 'w' : 'r', th[i].id);
		if (!tasks[n]) {
			ok = false;
			break;
		}
		n++;
	}
	complete_all(&t->start);
	msleep(ok ? ms : 0);
	uint64_t t0 = ktime_get_ns();
	while (ok && torture_someone_waits(t) &&
	       ktime_get_ns() - t0 < STARVE_MS * NSEC_PER_MSEC)
		msleep(10);
	if (ok && ktime_get_ns() - t0 > 10 * NSEC_PER_MSEC)
		ktest_info("torture %s: ran %llu ms more until every thread had the lock\n",
			   ops->name, (unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
	WRITE_ONCE(t->stop, true);
	for (int i = 0; i < n; i++)
		ktest_join(tasks[i]);
	return ok;
}

static void torture_print(const struct torture *t)
{
	ktest_info("torture %s: %d writers, %ld acquisitions (min %ld, max %ld per thread); "
		   "%d readers, %ld (min %ld, max %ld, up to %d inside at once); "
		   "%d violations, plain counter %ld\n",
		   t->ops->name, t->nwriters, sum(t->writes, t->nwriters),
		   min_of(t->writes, t->nwriters), max_of(t->writes, t->nwriters),
		   t->nreaders, sum(t->reads, t->nreaders), min_of(t->reads, t->nreaders),
		   max_of(t->reads, t->nreaders), atomic_read(&t->max_readers),
		   atomic_read(&t->violations), t->plain);
}

/* Exclusion held and nobody starved. */
static void torture_lock_type(const struct torture_ops *ops)
{
	static struct torture t;

	KASSERT(torture_run(&t, ops, torture_ms()));
	torture_print(&t);
	KASSERT_EQ(atomic_read(&t.violations), 0);
	KASSERT_EQ(t.plain, sum(t.writes, t.nwriters));	/* no lost update */
	KASSERT_MSG(min_of(t.writes, t.nwriters) > 0, "%s: a writer starved", ops->name);
	KASSERT_MSG(t.nreaders == 0 || min_of(t.reads, t.nreaders) > 0,
		    "%s: a reader starved", ops->name);
}

KTEST(locks, torture_spinlock) { torture_lock_type(&spin_ops); }
KTEST(locks, torture_ticket) { torture_lock_type(&ticket_ops); }
KTEST(locks, torture_rwlock) { torture_lock_type(&rwlock_ops); }
KTEST(locks, torture_mutex) { torture_lock_type(&mutex_ops); }
KTEST(locks, torture_semaphore) { torture_lock_type(&sem_ops); }
KTEST(locks, torture_rwsem) { torture_lock_type(&rwsem_ops); }

/* The checker must catch a lock that does not lock. */
KTEST(locks, torture_catches_busted_lock)
{
	static struct torture t;

	KASSERT(torture_run(&t, &busted_ops, torture_ms()));
	torture_print(&t);
	KASSERT_MSG(atomic_read(&t.violations) > 0 || t.plain != sum(t.writes, t.nwriters),
		    "the checker did not notice a lock that excludes nobody");
}

/* ---- fairness: ticket (FIFO) against test-and-test-and-set ---- */

struct fair {
	void (*lock)(void);
	void (*unlock)(void);
	volatile bool stop;
	struct completion start;
	long count[MAX_WRITERS];
};

struct fair_thread {
	struct fair *f;
	int id;
};

static int fair_fn(void *arg)
{
	struct fair_thread *th = arg;
	struct fair *f = th->f;

	wait_for_completion(&f->start);
	while (!READ_ONCE(f->stop)) {
		f->lock();
		udelay(1);
		f->unlock();
		f->count[th->id]++;
	}
	return 0;
}

/* One thread per CPU (at least two), each bound, hammering one lock. */
static int fairness_run(struct fair *f, int ms)
{
	static struct fair_thread th[MAX_WRITERS];
	struct task_struct *tasks[MAX_WRITERS];
	int n = MIN(MAX(num_online_cpus(), 2), MAX_WRITERS), made = 0;

	init_completion(&f->start);
	for (int i = 0; i < n; i++) {
		th[i] = (struct fair_thread){ f, i };
		tasks[i] = ktest_kthread_create(fair_fn, &th[i], "fair%d", i);
		if (!tasks[i])
			break;
		kthread_bind(tasks[i], nth_online_cpu(i));
		wake_up_process(tasks[i]);
		made++;
	}
	complete_all(&f->start);
	msleep(ms);
	uint64_t t0 = ktime_get_ns();	/* see torture_run() */
	while (min_of(f->count, made) == 0 && ktime_get_ns() - t0 < STARVE_MS * NSEC_PER_MSEC)
		msleep(10);
	WRITE_ONCE(f->stop, true);
	for (int i = 0; i < made; i++)
		ktest_join(tasks[i]);
	return made == n ? n : -1;
}

KTEST(locks, fairness_ticket_vs_ttas)
{
	static struct fair ttas = { .lock = spin_w, .unlock = spin_wu };
	static struct fair ticket = { .lock = ticket_w, .unlock = ticket_wu };
	int ms = MIN(torture_ms(), 1000);
	int n = fairness_run(&ttas, ms);

	KASSERT_GT(n, 0);
	KASSERT_EQ(fairness_run(&ticket, ms), n);
	long tmin = min_of(ttas.count, n), tmax = max_of(ttas.count, n);
	long kmin = min_of(ticket.count, n), kmax = max_of(ticket.count, n);
	ktest_info("fairness, %d threads on %d CPUs, %d ms: TTAS spinlock min %ld max %ld "
		   "(total %ld); ticket lock min %ld max %ld (total %ld)\n", n,
		   num_online_cpus(), ms, tmin, tmax, sum(ttas.count, n), kmin, kmax,
		   sum(ticket.count, n));
	if (tmax / 2 > tmin)
		ktest_info("TTAS: unfair (max/2 > min), as allowed\n");
	KASSERT_MSG(kmin > 0, "ticket lock: a thread starved");
}

/* ---- API conventions ---- */

KTEST(mutex, trylock_returns_1_on_success)
{
	static DEFINE_MUTEX(m);

	KASSERT(!mutex_is_locked(&m));
	KASSERT_EQ(mutex_trylock(&m), 1);
	KASSERT(mutex_is_locked(&m));
	KASSERT(mutex_owner(&m) == current);
	KASSERT_EQ(mutex_trylock(&m), 0);	/* held: fails, never sleeps */
	mutex_unlock(&m);
	KASSERT(!mutex_is_locked(&m));
	mutex_lock(&m);
	KASSERT(mutex_owner(&m) == current);
	mutex_unlock(&m);
}

KTEST(sem, down_trylock_returns_0_on_success)
{
	static DEFINE_SEMAPHORE(s, 2);

	KASSERT_EQ(down_trylock(&s), 0);	/* 0 = got it, unlike mutex_trylock */
	KASSERT_EQ(down_trylock(&s), 0);
	KASSERT_EQ(down_trylock(&s), 1);	/* would have to wait */
	KASSERT_EQ(sema_count(&s), 0);
	up(&s);
	up(&s);
	KASSERT_EQ(sema_count(&s), 2);
}

static int up_after_5ms(void *arg)
{
	msleep(5);
	up(arg);
	return 0;
}

KTEST(sem, down_timeout_times_out)
{
	static DEFINE_SEMAPHORE(s, 0);
	uint64_t t0 = ktime_get_ns();

	KASSERT_EQ(down_timeout(&s, msecs_to_jiffies(20)), -ETIME);
	uint64_t waited = ktime_get_ns() - t0;
	KASSERT_GE(waited, 19 * TICK_NSEC);	/* the 20th tick from now */
	KASSERT_LT(waited, 2 * NSEC_PER_SEC);
	KASSERT(list_empty(&s.wait_list));	/* the timed-out waiter left */
	KASSERT_EQ(sema_count(&s), 0);
	/* An up() within the time: 0. */
	struct task_struct *t = ktest_kthread_run(up_after_5ms, &s, "upper");
	KASSERT(t);
	KASSERT_EQ(down_timeout(&s, 5 * HZ), 0);
	ktest_join(t);
	/* Available at once, even with no time to wait. */
	up(&s);
	KASSERT_EQ(down_timeout(&s, 0), 0);
	KASSERT_EQ(down_timeout(&s, 0), -ETIME);
}

struct sem_order {
	struct semaphore *s;
	atomic_t next;
	int order[4];
};

struct sem_order_thread {
	struct sem_order *o;
	int id;
};

static int sem_order_fn(void *arg)
{
	struct sem_order_thread *th = arg;

	down(th->o->s);
	th->o->order[atomic_fetch_add(1, &th->o->next)] = th->id;
	return 0;
}

static int list_len(struct list_head *h)
{
	int n = 0;

	for (struct list_head *p = READ_ONCE(h->next); p != h; p = READ_ONCE(p->next))
		n++;
	return n;
}

/* up() hands the semaphore to the waiters in the order they came. */
KTEST(sem, up_serves_waiters_in_fifo_order)
{
	static DEFINE_SEMAPHORE(s, 0);
	static struct sem_order o;
	static struct sem_order_thread th[4];
	struct task_struct *t[4];

	o = (struct sem_order){ .s = &s };
	for (int i = 0; i < 4; i++) {
		th[i] = (struct sem_order_thread){ &o, i };
		t[i] = ktest_kthread_run(sem_order_fn, &th[i], "semq%d", i);
		KASSERT(t[i]);
		uint64_t t0 = ktime_get_ns();	/* wait until it has queued */
		while (list_len(&s.wait_list) != i + 1 && ktime_get_ns() - t0 < NSEC_PER_SEC)
			msleep(1);
		KASSERT_EQ(list_len(&s.wait_list), i + 1);
	}
	/* One up() at a time: each goes to the longest waiter, which then
	 * records itself (the woken threads would otherwise race to record). */
	for (int i = 0; i < 4; i++) {
		up(&s);
		uint64_t t0 = ktime_get_ns();
		while (atomic_read(&o.next) != i + 1 && ktime_get_ns() - t0 < NSEC_PER_SEC)
			msleep(1);
		KASSERT_EQ(atomic_read(&o.next), i + 1);
		KASSERT_EQ(o.order[i], i);
	}
	for (int i = 0; i < 4; i++)
		ktest_join(t[i]);
	KASSERT_EQ(sema_count(&s), 0);
}

struct sem_count {
	struct semaphore *s;
	atomic_t inside, max_inside;
};

static int sem_count_fn(void *arg)
{
	struct sem_count *c = arg;

	for (int i = 0; i < 5; i++) {
		down(c->s);
		int n = atomic_inc_return(&c->inside);
		int m = atomic_read(&c->max_inside);
		while (n > m && !atomic_try_cmpxchg(&c->max_inside, &m, n))
			;
		msleep(2);
		atomic_dec(&c->inside);
		up(c->s);
	}
	return 0;
}

/* A semaphore of 3 lets exactly 3 holders in at once. */
KTEST(sem, counts_up_to_n_holders)
{
	static DEFINE_SEMAPHORE(s, 3);
	static struct sem_count c;
	struct task_struct *t[6];

	c = (struct sem_count){ .s = &s };
	for (int i = 0; i < 6; i++) {
		t[i] = ktest_kthread_run(sem_count_fn, &c, "semc%d", i);
		KASSERT(t[i]);
	}
	for (int i = 0; i < 6; i++)
		ktest_join(t[i]);
	KASSERT_EQ(atomic_read(&c.max_inside), 3);	/* holders sleep: they overlap */
	KASSERT_EQ(sema_count(&s), 3);
}

KTEST(rwsem, trylock_conventions)
{
	static DECLARE_RWSEM(s);

	KASSERT_EQ(down_read_trylock(&s), 1);
	KASSERT_EQ(down_write_trylock(&s), 0);	/* a reader is inside */
	up_read(&s);
	KASSERT_EQ(down_write_trylock(&s), 1);
	KASSERT(rwsem_is_write_locked(&s));
	KASSERT_EQ(down_read_trylock(&s), 0);
	KASSERT_EQ(down_write_trylock(&s), 0);
	up_write(&s);
	down_read(&s);
	KASSERT_EQ(rwsem_readers(&s), 1);
	up_read(&s);
	KASSERT_EQ(rwsem_readers(&s), 0);
}

struct reader_stream {
	struct rw_semaphore *s;
	volatile bool stop;
	atomic_t reads;
};

static int stream_reader(void *arg)
{
	struct reader_stream *rs = arg;

	while (!READ_ONCE(rs->stop)) {
		down_read(rs->s);
		atomic_inc(&rs->reads);		/* inside: never while a writer is */
		msleep(2);
		up_read(rs->s);
	}
	return 0;
}

/*
 * Four readers holding for 2 ms each, re-entering at once: some reader is
 * (nearly) always inside, so a lock that let new readers join the ones
 * inside would keep a writer out forever. Ours makes them queue behind it.
 */
KTEST(rwsem, writer_not_starved_by_readers)
{
	static DECLARE_RWSEM(s);
	static struct reader_stream rs;
	struct task_struct *t[4];

	rs = (struct reader_stream){ .s = &s };
	for (int i = 0; i < 4; i++) {
		t[i] = ktest_kthread_run(stream_reader, &rs, "rstream%d", i);
		KASSERT(t[i]);
	}
	uint64_t t0 = ktime_get_ns();
	while (atomic_read(&rs.reads) < 20 && ktime_get_ns() - t0 < 2 * NSEC_PER_SEC)
		msleep(1);
	int inside = rwsem_readers(&s);
	t0 = ktime_get_ns();
	down_write(&s);
	uint64_t waited = ktime_get_ns() - t0;
	int readers_while_writing = rwsem_readers(&s);
	int reads = atomic_read(&rs.reads);
	msleep(5);
	int reads_blocked = atomic_read(&rs.reads) - reads;
	up_write(&s);
	msleep(20);
	int reads_after = atomic_read(&rs.reads);
	rs.stop = true;
	for (int i = 0; i < 4; i++)
		ktest_join(t[i]);
	ktest_info("rwsem: %d readers inside when the writer came; it waited %llu us\n",
		   inside, (unsigned long long)(waited / NSEC_PER_USEC));
	KASSERT_EQ(readers_while_writing, 0);
	KASSERT_EQ(reads_blocked, 0);		/* readers waited for the writer */
	KASSERT_LT(waited, 2 * NSEC_PER_SEC);	/* a few hold times, not forever */
	KASSERT_GT(reads_after, reads);		/* and readers went on afterwards */
}

KTEST(rwlock, readers_share_writers_exclude)
{
	static DEFINE_RWLOCK(l);
	unsigned long flags;

	read_lock(&l);
	KASSERT_EQ(read_trylock(&l), 1);	/* readers share */
	KASSERT_EQ(rwlock_readers(&l), 2);
	KASSERT_EQ(write_trylock(&l), 0);
	read_unlock(&l);
	read_unlock(&l);
	KASSERT_EQ(write_trylock(&l), 1);
	KASSERT(rwlock_is_write_locked(&l));
	KASSERT_EQ(read_trylock(&l), 0);
	KASSERT_EQ(write_trylock(&l), 0);
	write_unlock(&l);
	write_lock_irqsave(&l, flags);
	KASSERT(irqs_disabled());
	write_unlock_irqrestore(&l, flags);
	KASSERT(!irqs_disabled());
	read_lock_irq(&l);
	KASSERT(irqs_disabled());
	read_unlock_irq(&l);
	KASSERT_EQ(atomic_read(&l.cnts), 0);
}

struct rw_stream {
	rwlock_t *l;
	volatile bool stop;
	atomic_t reads, inside;
};

static int rwlock_stream_reader(void *arg)
{
	struct rw_stream *rs = arg;

	while (!READ_ONCE(rs->stop)) {
		read_lock(rs->l);
		atomic_inc(&rs->inside);
		udelay(50);
		atomic_dec(&rs->inside);
		read_unlock(rs->l);
		atomic_inc(&rs->reads);
	}
	return 0;
}

/* Readers on every other CPU overlapping all the time: the writer still
 * gets in, because a waiting writer turns new readers away. */
KTEST(rwlock, writer_not_starved_by_readers)
{
	static DEFINE_RWLOCK(l);
	static struct rw_stream rs;
	struct task_struct *t[MAX_READERS];
	int n = MIN(2 * (num_online_cpus() - 1), MAX_READERS);

	if (n < 2) {
		ktest_info("rwlock: needs 2 CPUs for overlapping spinning readers: "
			   "skipped (passes trivially)\n");
		return;
	}
	rs = (struct rw_stream){ .l = &l };
	for (int i = 0; i < n; i++) {
		t[i] = ktest_kthread_create(rwlock_stream_reader, &rs, "rwstream%d", i);
		KASSERT(t[i]);
		kthread_bind(t[i], nth_online_cpu(1 + i % (num_online_cpus() - 1)));
		wake_up_process(t[i]);
	}
	uint64_t t0 = ktime_get_ns();
	while (atomic_read(&rs.reads) < 200 && ktime_get_ns() - t0 < 2 * NSEC_PER_SEC)
		msleep(1);
	uint64_t worst = 0;
	for (int i = 0; i < 20; i++) {
		t0 = ktime_get_ns();
		write_lock(&l);
		uint64_t waited = ktime_get_ns() - t0;
		int readers = atomic_read(&rs.inside);	/* (the lock word may
			 * count a reader that is backing off: not inside) */
		write_unlock(&l);
		worst = MAX(worst, waited);
		KASSERT_EQ(readers, 0);
		udelay(100);
	}
	rs.stop = true;
	for (int i = 0; i < n; i++)
		ktest_join(t[i]);
	ktest_info("rwlock: writer waited at most %llu us among %d readers\n",
		   (unsigned long long)(worst / NSEC_PER_USEC), n);
	KASSERT_LT(worst, 2 * NSEC_PER_SEC);	/* bounded, not forever */
}

KTEST(ticket, trylock_and_irqsave)
{
	static DEFINE_TICKET_SPINLOCK(l);
	unsigned long flags;

	KASSERT(!ticket_spin_is_locked(&l));
	KASSERT_EQ(ticket_spin_trylock(&l), 1);
	KASSERT(ticket_spin_is_locked(&l));
	KASSERT_EQ(ticket_spin_trylock(&l), 0);
	ticket_spin_unlock(&l);
	KASSERT(!ticket_spin_is_locked(&l));
	ticket_spin_lock_irqsave(&l, flags);
	KASSERT(irqs_disabled());
	KASSERT(in_atomic());
	ticket_spin_unlock_irqrestore(&l, flags);
	KASSERT(!irqs_disabled());
	ticket_spin_lock(&l);
	ticket_spin_unlock(&l);
	/* Two tickets served: both halves moved on together. */
	KASSERT_EQ(l.t.head, 3);
	KASSERT_EQ(l.t.tail, 3);
}

/* ---- optimistic spinning ---- */

struct spin_pair {
	struct mutex *m;
	struct completion start;
	volatile bool stop;
	volatile long inside_work;
	long rounds[2];
};

struct spin_pair_thread {
	struct spin_pair *p;
	int id;
};

static int mutex_spinner(void *arg)
{
	struct spin_pair_thread *th = arg;
	struct spin_pair *p = th->p;

	wait_for_completion(&p->start);
	while (!READ_ONCE(p->stop)) {
		mutex_lock(p->m);
		for (int k = 0; k < 20; k++)	/* a short critical section */
			p->inside_work++;
		mutex_unlock(p->m);
		p->rounds[th->id]++;
		for (int k = 0; k < 20; k++)
			barrier();
	}
	return 0;
}

static unsigned long contended_since(const struct mutex_stats *before)
{
	struct mutex_stats now;

	mutex_get_stats(&now);
	return now.spin_acquired - before->spin_acquired + now.slept - before->slept;
}

/*
 * Two threads on two CPUs, short sections: when one finds the mutex taken,
 * the owner is running on the other CPU and will unlock in a moment, so
 * most contended acquisitions should end by spinning, not sleeping. The
 * threads run until 2000 acquisitions were contended (the host may not
 * run both virtual CPUs at once all the time), at most 5 s.
 */
KTEST(mutex, optimistic_spinning)
{
	static DEFINE_MUTEX(m);
	static struct spin_pair p;
	static struct spin_pair_thread th[2];
	struct mutex_stats before, after;
	struct task_struct *t[2];

	if (num_online_cpus() < 2) {
		ktest_info("mutex spinning needs 2 CPUs: skipped (passes trivially)\n");
		return;
	}
	p = (struct spin_pair){ .m = &m };
	init_completion(&p.start);
	mutex_get_stats(&before);
	for (int i = 0; i < 2; i++) {
		th[i] = (struct spin_pair_thread){ &p, i };
		t[i] = ktest_kthread_create(mutex_spinner, &th[i], "mspin%d", i);
		KASSERT(t[i]);
		kthread_bind(t[i], nth_online_cpu(i));
		wake_up_process(t[i]);
	}
	complete_all(&p.start);
	uint64_t t0 = ktime_get_ns();
	while (contended_since(&before) < 2000 && ktime_get_ns() - t0 < 5 * NSEC_PER_SEC)
		msleep(5);
	p.stop = true;
	for (int i = 0; i < 2; i++)
		ktest_join(t[i]);
	mutex_get_stats(&after);
	unsigned long spun = after.spin_acquired - before.spin_acquired;
	unsigned long slept = after.slept - before.slept;
	long rounds = p.rounds[0] + p.rounds[1];
	ktest_info("mutex: %ld acquisitions; contended: %lu by spinning, %lu by sleeping\n",
		   rounds, spun, slept);
	KASSERT_EQ(p.inside_work, rounds * 20);
	KASSERT_MSG(spun + slept >= 100, "the two threads hardly ever overlapped");
	KASSERT_GT(spun, slept);
}

/*
 * The spin is bounded: an owner that keeps the mutex for long while
 * running (here 200 ms of busy work, 20 times the 10 ms spin limit) must
 * not keep a contender spinning all that time; the contender goes to
 * sleep and is woken by the unlock. Fails if the limit is lost (the
 * contender then gets the mutex by spinning, and nobody sleeps).
 */
#define LONG_HOLD_MS 200
struct long_hold {
	struct mutex *m;
	struct completion held;
	uint64_t released_ns, acquired_ns;
};

static int long_holder(void *arg)
{
	struct long_hold *h = arg;

	mutex_lock(h->m);
	complete(&h->held);
	mdelay(LONG_HOLD_MS);		/* busy: stays on its CPU */
	h->released_ns = ktime_get_ns();
	mutex_unlock(h->m);
	return 0;
}

static int long_waiter(void *arg)
{
	struct long_hold *h = arg;

	wait_for_completion(&h->held);
	mutex_lock(h->m);
	h->acquired_ns = ktime_get_ns();
	mutex_unlock(h->m);
	return 0;
}

KTEST(mutex, spinning_is_bounded_then_sleeps)
{
	static DEFINE_MUTEX(m);
	static struct long_hold h;
	struct mutex_stats before, after;
	struct task_struct *t[2];

	if (num_online_cpus() < 2) {
		ktest_info("mutex spin limit needs 2 CPUs: skipped (passes trivially)\n");
		return;
	}
	h = (struct long_hold){ .m = &m };
	init_completion(&h.held);
	mutex_get_stats(&before);
	t[0] = ktest_kthread_create(long_holder, &h, "mhold");
	t[1] = ktest_kthread_create(long_waiter, &h, "mwait");
	KASSERT(t[0] && t[1]);
	for (int i = 0; i < 2; i++) {
		kthread_bind(t[i], nth_online_cpu(i));
		wake_up_process(t[i]);
	}
	for (int i = 0; i < 2; i++)
		ktest_join(t[i]);
	mutex_get_stats(&after);
	ktest_info("mutex: held %d ms; the contender spun %lu times, slept %lu times\n",
		   LONG_HOLD_MS, after.spin_acquired - before.spin_acquired,
		   after.slept - before.slept);
	KASSERT(h.acquired_ns >= h.released_ns);
	KASSERT_MSG(after.slept - before.slept >= 1,
		    "the contender spun through a %d ms hold instead of sleeping", LONG_HOLD_MS);
}

/* ---- debug reports ---- */

static int unlock_it(void *arg)
{
	mutex_unlock(arg);
	return 0;
}

KTEST(mutex, unlock_by_non_owner_reported)
{
	static DEFINE_MUTEX(m);
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	if (!IS_ENABLED(CONFIG_DEBUG_MUTEXES)) {
		ktest_info("RELEASE build: no mutex owner checks; nothing to test\n");
		return;
	}
	mutex_lock(&m);
	struct task_struct *t = ktest_kthread_run(unlock_it, &m, "not-owner");
	KASSERT(t);
	ktest_join(t);
	KASSERT(ktest_log_contains(mark, "BUG: mutex unlock by non-owner: not-owner/"));
	KASSERT(!mutex_is_locked(&m));		/* released anyway */
	KASSERT_EQ(mutex_trylock(&m), 1);	/* and still usable */
	mutex_unlock(&m);
}

/* might_sleep() checks the preemption count in every build: the report
 * comes even uncontended. */
KTEST(mutex, lock_in_atomic_context_reported)
{
	static DEFINE_MUTEX(m);
	unsigned long mark = ktest_log_mark();

	ktest_expect_warnings();		/* planted */
	preempt_disable();
	mutex_lock(&m);			/* free: takes it without sleeping */
	mutex_unlock(&m);
	preempt_enable();
	KASSERT(ktest_log_contains(mark, "BUG: sleeping function called from invalid context"));
}

/* Interrupts off is atomic too; debug builds check it before sleeping
 * (RELEASE builds only when schedule() really runs). */
KTEST(mutex, lock_with_irqs_off_reported)
{
	static DEFINE_MUTEX(m);
	unsigned long mark = ktest_log_mark(), flags;

	ktest_expect_warnings();		/* planted */
	if (!IS_ENABLED(CONFIG_DEBUG_ATOMIC_SLEEP)) {
		ktest_info("RELEASE build: might_sleep() checks only the preemption count\n");
		return;
	}
	local_irq_save(flags);
	mutex_lock(&m);
	mutex_unlock(&m);
	local_irq_restore(flags);
	KASSERT(ktest_log_contains(mark, "irqs_disabled(): 1"));
}

#ifdef CONFIG_DEBUG_MUTEXES
/* A real deadlock: lockdep reports it, then the mutex code panics. */
KTEST_EXPECT_PANIC(mutex, recursion_panics, "BUG: mutex recursion")
{
	static DEFINE_MUTEX(m);

	mutex_lock(&m);
	mutex_lock(&m);
}
#endif

/*
 * A waiter spinning for over a second names the holder and where it took
 * the lock, once, and goes on waiting (sync/spinlock_debug.h). Both kinds
 * of spinlock at once when there are 3 CPUs: they share that code.
 */
#define LOCKUP_HOLD_MS 1300

static DEFINE_SPINLOCK(lockup_spin);
static DEFINE_TICKET_SPINLOCK(lockup_ticket);
static struct completion lockup_held;

static __noinline int lockup_holder(void *arg)
{
	(void)arg;
	spin_lock(&lockup_spin);
	ticket_spin_lock(&lockup_ticket);
	complete_all(&lockup_held);
	mdelay(LOCKUP_HOLD_MS);			/* spins: preemption is off */
	ticket_spin_unlock(&lockup_ticket);
	spin_unlock(&lockup_spin);
	return 0;
}

static int lockup_spin_waiter(void *arg)
{
	(void)arg;
	wait_for_completion(&lockup_held);
	spin_lock(&lockup_spin);
	spin_unlock(&lockup_spin);
	return 0;
}

static int lockup_ticket_waiter(void *arg)
{
	(void)arg;
	wait_for_completion(&lockup_held);
	ticket_spin_lock(&lockup_ticket);
	ticket_spin_unlock(&lockup_ticket);
	return 0;
}

KTEST(spinlock, lockup_reported_with_holder)
{
	int (*const fns[])(void *) = { lockup_holder, lockup_spin_waiter,
				       lockup_ticket_waiter };
	int n = MIN(num_online_cpus(), 3);
	struct task_struct *t[3];
	unsigned long mark = ktest_log_mark();

	if (!IS_ENABLED(CONFIG_DEBUG_SPINLOCK) || n < 2) {
		ktest_info("needs lock debugging and 2 CPUs; nothing to test\n");
		return;
	}
	init_completion(&lockup_held);
	for (int i = 0; i < n; i++) {
		t[i] = ktest_kthread_create(fns[i], NULL, "lockup%d", i);
		KASSERT(t[i]);
		kthread_bind(t[i], nth_online_cpu(i));
		wake_up_process(t[i]);
	}
	for (int i = 0; i < n; i++)
		ktest_join(t[i]);
	KASSERT(ktest_log_contains(mark, "BUG: spinlock lockup suspected on CPU#"));
	KASSERT(ktest_log_contains(mark, "lock lockup_spin ("));
	KASSERT(ktest_log_contains(mark, "since lockup_holder+0x"));
	if (n == 3) {
		KASSERT(ktest_log_contains(mark, "lock lockup_ticket ("));
		KASSERT(ktest_log_contains(mark, "ticket lock: serving "));
	}
	KASSERT(!spin_is_locked(&lockup_spin));		/* and they went on */
	KASSERT(!ticket_spin_is_locked(&lockup_ticket));
}

#ifdef CONFIG_DEBUG_SPINLOCK
KTEST_EXPECT_PANIC(rwlock, write_recursion_panics, "BUG: rwlock recursion")
{
	static DEFINE_RWLOCK(l);

	write_lock(&l);
	write_lock(&l);
}

KTEST_EXPECT_PANIC(rwlock, read_unlock_unheld_panics, "BUG: rwlock read_unlock without readers")
{
	static DEFINE_RWLOCK(l);

	read_unlock(&l);
}

KTEST_EXPECT_PANIC(spinlock, recursion_panics, "BUG: spinlock recursion")
{
	static DEFINE_SPINLOCK(l);

	spin_lock(&l);
	spin_lock(&l);
}

/*
 * A lock shared with an interrupt handler but taken with plain spin_lock()
 * in a thread: the handler that interrupts the holder on its CPU spins on
 * its own lock. The check must name it whenever the interrupt lands,
 * including between the lock word and the owner record (taking it) or
 * between forgetting the owner and the release (lockdep's bookkeeping sits
 * there): before those two steps were made one with interrupts off, such
 * a landing spun forever with "lockup suspected ... held by CPU#-1".
 */
static DEFINE_SPINLOCK(irq_shared_lock);

static enum hrtimer_restart take_shared_lock(struct hrtimer *t)
{
	spin_lock(&irq_shared_lock);
	spin_unlock(&irq_shared_lock);
	hrtimer_forward_now(t, 20 * NSEC_PER_USEC);
	return HRTIMER_RESTART;
}

KTEST_EXPECT_PANIC(spinlock, irq_recursion_panics, "BUG: spinlock recursion")
{
	static struct hrtimer t;

	migrate_disable();		/* the timer's CPU is ours */
	hrtimer_init(&t, CLOCK_MONOTONIC, HRTIMER_MODE_REL_PINNED);
	t.function = take_shared_lock;
	hrtimer_start(&t, 20 * NSEC_PER_USEC, HRTIMER_MODE_REL_PINNED);
	for (;;) {			/* until the handler lands while we hold it */
		spin_lock(&irq_shared_lock);
		spin_unlock(&irq_shared_lock);
	}
}

KTEST_EXPECT_PANIC(spinlock, unlock_unheld_panics, "already unlocked")
{
	static DEFINE_SPINLOCK(l);

	spin_unlock(&l);
}

KTEST_EXPECT_PANIC(ticket, recursion_panics, "BUG: spinlock recursion")
{
	static DEFINE_TICKET_SPINLOCK(l);

	ticket_spin_lock(&l);
	ticket_spin_lock(&l);
}
#endif
