/*
 * spinlock.c - test-and-test-and-set spinlock on xchg.
 *
 * Taking the lock is one atomic exchange: write 1, get the old value; if
 * the old value was 0 we own the lock. While it is held we do not keep
 * exchanging (every xchg pulls the cache line over to our CPU and slows
 * the owner down); we only *read* it, which lets all waiters share the
 * line, and we `pause` so the spinning CPU yields resources to its
 * hyperthread. When the read sees 0, we try the exchange again.
 *
 * Unlocking is a plain store of 0: on x86 a store is a release, so every
 * write made inside the critical section is visible before the lock looks
 * free. The compiler barrier keeps the compiler from sinking writes past it.
 *
 * Debug builds tell lockdep before spinning (so a deadlock is reported
 * before it happens) and after unlocking.
 */
#include "sync/spinlock.h"
#include "sync/atomic.h"
#include "kernel/panic.h"
#include "kernel/time.h"

#define LOCKUP_NS (1000ULL * NSEC_PER_MSEC)

void __spin_lock_init(spinlock_t *lock, const char *name, const void *key)
{
	lock->locked = 0;
#ifdef CONFIG_DEBUG_SPINLOCK
	lock->owner_cpu = -1;
	lock->name = name;
	lock->owner_pc = NULL;
#else
	(void)name;
#endif
#ifdef CONFIG_LOCKDEP
	lockdep_init_map(&lock->dep_map, key);
#else
	(void)key;
#endif
}

#ifdef CONFIG_LOCKDEP
#define spin_acquire(l, sub, try, ip) \
	lock_acquire(&(l)->dep_map, (l)->name, (sub), (try), LOCKDEP_SPIN, (ip))
#define spin_release(l) lock_release(&(l)->dep_map, LOCKDEP_SPIN)
#else
#define spin_acquire(l, sub, try, ip) ((void)(l), (void)(sub), (void)(try), (void)(ip))
#define spin_release(l) ((void)(l))
#endif

#ifdef CONFIG_DEBUG_SPINLOCK
static const char *lock_name(spinlock_t *lock)
{
	return lock->name ? lock->name : "(unnamed)";
}

static void spin_bug(spinlock_t *lock, const char *what)
{
	panic("BUG: spinlock %s on CPU#%d, lock %s (%p), owner CPU#%d, taken at %pS",
	      what, raw_smp_processor_id(), lock_name(lock), (void *)lock,
	      READ_ONCE(lock->owner_cpu), lock->owner_pc);
}

static void debug_spin_lock_before(spinlock_t *lock)
{
	if (READ_ONCE(lock->locked) &&
	    READ_ONCE(lock->owner_cpu) == raw_smp_processor_id())
		spin_bug(lock, "recursion");
}

static void debug_spin_lock_after(spinlock_t *lock, void *pc)
{
	lock->owner_cpu = raw_smp_processor_id();
	lock->owner_pc = pc;
}

static void debug_spin_unlock(spinlock_t *lock)
{
	if (!READ_ONCE(lock->locked))
		spin_bug(lock, "already unlocked");
	if (lock->owner_cpu != raw_smp_processor_id())
		spin_bug(lock, "wrong CPU");
	lock->owner_cpu = -1;
	lock->owner_pc = NULL;
}

/* Called after spinning a long time: one report, then keep waiting. */
static void report_lockup(spinlock_t *lock)
{
	printk(KERN_ERR "BUG: spinlock lockup suspected on CPU#%d, lock %s (%p), "
	       "held by CPU#%d since %pS\n", raw_smp_processor_id(),
	       lock_name(lock), (void *)lock, READ_ONCE(lock->owner_cpu),
	       READ_ONCE(lock->owner_pc));
	dump_stack();
}
#else
static inline void debug_spin_lock_before(spinlock_t *lock) { (void)lock; }
static inline void debug_spin_lock_after(spinlock_t *lock, void *pc)
{ (void)lock; (void)pc; }
static inline void debug_spin_unlock(spinlock_t *lock) { (void)lock; }
static inline void report_lockup(spinlock_t *lock) { (void)lock; }
#endif

static void spin_wait(spinlock_t *lock)
{
	uint64_t start = 0;
	bool reported = false;

	for (unsigned long spins = 1; READ_ONCE(lock->locked); spins++) {
		cpu_relax();
		/* Read the clock only now and then: spinning must stay cheap. */
		if ((spins & 0xffff) || reported)
			continue;
		uint64_t now = ktime_get_ns();
		if (!start)
			start = now;
		else if (now - start > LOCKUP_NS) {
			report_lockup(lock);
			reported = true;
		}
	}
}

static __always_inline void __raw_spin_lock(spinlock_t *lock, int subclass, void *pc)
{
	spin_acquire(lock, subclass, false, (unsigned long)pc);
	debug_spin_lock_before(lock);
	while (xchg(&lock->locked, 1) != 0)
		spin_wait(lock);
	debug_spin_lock_after(lock, pc);
}

void do_raw_spin_lock(spinlock_t *lock)
{
	__raw_spin_lock(lock, 0, __builtin_return_address(0));
}

void do_raw_spin_lock_nested(spinlock_t *lock, int subclass)
{
	__raw_spin_lock(lock, subclass, __builtin_return_address(0));
}

int do_raw_spin_trylock(spinlock_t *lock)
{
	if (READ_ONCE(lock->locked) || xchg(&lock->locked, 1) != 0)
		return 0;
	debug_spin_lock_after(lock, __builtin_return_address(0));
	spin_acquire(lock, 0, true, _RET_IP_);
	return 1;
}

#ifndef CONFIG_INLINE_SPIN_UNLOCK	/* else inline, in spinlock.h */
void do_raw_spin_unlock(spinlock_t *lock)
{
	debug_spin_unlock(lock);
	spin_release(lock);
	barrier();
	WRITE_ONCE(lock->locked, 0);
}
#endif
