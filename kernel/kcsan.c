/*
 * kcsan.c - the data-race detector's runtime (kernel/kcsan.h), built
 * without -fsanitize=thread itself.
 *
 * The algorithm is Linux's soft watchpoints. The compiler calls
 * __tsan_readN/__tsan_writeN before each plain access and
 * __tsan_volatile_* before each volatile one (READ_ONCE, WRITE_ONCE,
 * smp_load_acquire: marked accesses). Each call
 *
 *  1. looks for a watchpoint of another CPU covering the same bytes, one
 *     of the two a write; found, it records who it is (CPU, task, stack)
 *     and marks the watchpoint consumed: that is the race;
 *  2. otherwise, one plain access in skip_watch (randomized) becomes a
 *     watcher: it publishes {address, size, write?} in a slot of
 *     watchpoints[], reads the value, stalls udelay_task microseconds with
 *     interrupts off, reads the value again and takes the watchpoint
 *     back. Consumed: report both accesses. Not consumed but the value
 *     changed: somebody wrote it without being instrumented (asm, DMA, a
 *     file built without KCSAN): "race at unknown origin".
 *
 * Why this and not happens-before tracking: no shadow memory, no vector
 * clocks, and it finds races that really overlap in time on this
 * machine; the price is that a race is found only when it happens during
 * a watch, so the tests repeat the racy code.
 *
 * A watchpoint is one word, so taking and consuming it are single
 * atomics: bits 0-47 the address (kernel addresses share the top 16
 * bits), 48-55 the size, 56 write, 62 valid; CONSUMED is 1.
 */
#include "kernel/kcsan.h"
#include "kernel/cmdline.h"
#include "kernel/jiffies.h"
#include "kernel/ksyms.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/vsprintf.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/irqflags.h"
#include "sched/sched.h"
#include "sync/percpu.h"

#ifdef CONFIG_KCSAN

#define NR_WATCHPOINTS 64
#define WP_ADDR_MASK   ((1UL << 48) - 1)
#define WP_SIZE_SHIFT  48
#define WP_WRITE       (1UL << 56)
#define WP_VALID       (1UL << 62)
#define WP_CONSUMED    1UL
#define NR_FRAMES      16

static long watchpoints[NR_WATCHPOINTS];

/* What the CPU that consumed a watchpoint saw: the watcher prints it. */
struct access_info {
	const volatile void *ptr;
	size_t size;
	int type, cpu, pid;	/* pid -1: in an interrupt */
	uintptr_t ip;
	int nr_frames;
	uintptr_t frames[NR_FRAMES];
};
static struct other_info {
	int locked;		/* the consumer fills it, the watcher reads it */
	bool valid;
	struct access_info ai;
} other_infos[NR_WATCHPOINTS];

static DEFINE_PER_CPU(int, kcsan_ready);	/* 0 in the template */
static DEFINE_PER_CPU(int, kcsan_busy);	/* in the runtime's slow path */
static DEFINE_PER_CPU(long, kcsan_skip);
static DEFINE_PER_CPU(uint64_t, kcsan_rand);

static long skip_watch = 1000;
static unsigned int udelay_task = 40, udelay_interrupt = 10;
static unsigned long nr_reports;

CMDLINE_OPTION("kcsan.skip_watch", "KCSAN: one plain access in about N is watched (default 1000)");
CMDLINE_OPTION("kcsan.udelay_task", "KCSAN: microseconds a watch stalls a task (default 40)");
CMDLINE_OPTION("kcsan.udelay_interrupt", "KCSAN: microseconds a watch stalls an interrupt (default 10)");

/* ---- who is accessing ---- */

static DEFINE_PER_CPU(struct kcsan_ctx, kcsan_irq_ctx);

/* The task's context, or this CPU's in an interrupt (Linux's get_ctx()). */
static struct kcsan_ctx *get_ctx(void)
{
	struct task_struct *t = in_task() ? current : NULL;

	return t ? &t->kcsan_ctx : this_cpu_ptr(&kcsan_irq_ctx);
}

void kcsan_disable_current(void)
{
	if (this_cpu_read(kcsan_ready))
		get_ctx()->disable_count++;
}

void kcsan_enable_current(void)
{
	if (this_cpu_read(kcsan_ready))
		get_ctx()->disable_count--;
}

/*
 * A seqcount section begun inside another must not end the outer one:
 * the scheduler reads the clock (a seqcount) in the context of the task
 * it preempts, which may be in the middle of its own read section (KCSAN
 * then reported that task's torn-and-retried copy of the clock).
 */
void kcsan_atomic_next(int n)
{
	if (!this_cpu_read(kcsan_ready))
		return;
	struct kcsan_ctx *c = get_ctx();

	if (n > 0 && c->atomic_next > 0)
		c->seq_depth++;
	else if (n == 0 && c->seq_depth > 0)
		c->seq_depth--;
	else
		c->atomic_next = n;
}

void kcsan_nestable_atomic_begin(void)
{
	if (this_cpu_read(kcsan_ready))
		get_ctx()->atomic_nest++;
}

void kcsan_nestable_atomic_end(void)
{
	if (this_cpu_read(kcsan_ready))
		get_ctx()->atomic_nest--;
}

/* Not while this CPU is in the runtime (udelay and printk are
 * instrumented), in an NMI, or inside data_race(). */
static bool may_check(void)
{
	return !this_cpu_read(kcsan_busy) && !(preempt_count() & NMI_MASK) &&
	       get_ctx()->disable_count == 0;
}

/* A plain access inside a seqlock section counts as marked. */
static bool ctx_atomic(void)
{
	struct kcsan_ctx *c = get_ctx();

	if (c->atomic_nest)
		return true;
	if (c->atomic_next > 0) {
		c->atomic_next--;
		return true;
	}
	return false;
}

static void reset_skip(void)
{
	uint64_t x = this_cpu_read(kcsan_rand);

	x ^= x << 13; x ^= x >> 7; x ^= x << 17;	/* xorshift64 */
	this_cpu_write(kcsan_rand, x);
	/* Linux's randomization: skip_watch minus up to half of it. */
	this_cpu_write(kcsan_skip, skip_watch - (long)(x % (uint64_t)(skip_watch / 2 + 1)));
}

/* ---- watchpoints ---- */

static inline int slot_of(uintptr_t addr)
{
	return (int)((addr >> 12) % NR_WATCHPOINTS);
}

static inline long encode(uintptr_t addr, size_t size, bool write)
{
	return (long)((addr & WP_ADDR_MASK) | ((uint64_t)size << WP_SIZE_SHIFT) |
		      (write ? WP_WRITE : 0) | WP_VALID);
}

/* Two accesses race if their bytes overlap and one of them writes. */
static inline bool matches(long wp, uintptr_t addr, size_t size, bool write)
{
	if (!(wp & WP_VALID) || (!write && !(wp & WP_WRITE)))
		return false;
	uintptr_t wa = (uintptr_t)wp & WP_ADDR_MASK, a = addr & WP_ADDR_MASK;
	size_t ws = ((uintptr_t)wp >> WP_SIZE_SHIFT) & 0xff;

	return a < wa + ws && wa < a + size;
}

/* A watch goes in its page's slot or the next: look in both. */
static inline long *find_watchpoint(uintptr_t addr, size_t size, bool write, long *enc)
{
	int s = slot_of(addr);

	for (int i = 0; i < 2; i++) {
		long *wp = &watchpoints[(s + i) % NR_WATCHPOINTS];
		long v = __atomic_load_n(wp, __ATOMIC_RELAXED);

		if (unlikely(matches(v, addr, size, write))) {
			*enc = v;
			return wp;
		}
	}
	return NULL;
}

static long *insert_watchpoint(uintptr_t addr, size_t size, bool write)
{
	int s = slot_of(addr);
	long enc = encode(addr, size, write);

	for (int i = 0; i < 2; i++) {
		long *wp = &watchpoints[(s + i) % NR_WATCHPOINTS], zero = 0;

		if (__atomic_compare_exchange_n(wp, &zero, enc, false,
						__ATOMIC_SEQ_CST, __ATOMIC_RELAXED))
			return wp;
	}
	return NULL;	/* both taken: skip this one */
}

/* ---- the accesses' descriptions ---- */

static void describe(struct access_info *ai, const volatile void *ptr, size_t size,
		     int type, uintptr_t ip)
{
	uintptr_t pcs[NR_FRAMES + 4];
	int n = backtrace_save(read_rbp(), pcs, NR_FRAMES + 4), i = 0;

	/* Drop the runtime's own frames: the trace starts at the access. */
	while (i < n && pcs[i] != ip)
		i++;
	if (i == n)
		i = 0;
	ai->nr_frames = 0;
	for (; i < n && ai->nr_frames < NR_FRAMES; i++)
		ai->frames[ai->nr_frames++] = pcs[i];
	ai->ptr = ptr;
	ai->size = size;
	ai->type = type;
	ai->ip = ip;
	ai->cpu = raw_smp_processor_id();
	ai->pid = in_task() && current ? current->pid : -1;
}

static const char *access_type(int type)
{
	if (type & KCSAN_ACCESS_ASSERT)
		return type & KCSAN_ACCESS_WRITE ? "assert no accesses" : "assert no writes";
	switch (type & (KCSAN_ACCESS_WRITE | KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_COMPOUND)) {
	case 0: return "read";
	case KCSAN_ACCESS_ATOMIC: return "read (marked)";
	case KCSAN_ACCESS_WRITE: return "write";
	case KCSAN_ACCESS_WRITE | KCSAN_ACCESS_ATOMIC: return "write (marked)";
	case KCSAN_ACCESS_WRITE | KCSAN_ACCESS_COMPOUND: return "read-write";
	default: return "read-write (marked)";
	}
}

static void print_access(const struct access_info *ai, const char *prefix)
{
	char sym[128];

	if (ai->pid >= 0)
		pr_err("%s%s to 0x%016lx of %zu bytes by task %d on cpu %d:\n", prefix,
		       access_type(ai->type), (unsigned long)ai->ptr, ai->size, ai->pid, ai->cpu);
	else
		pr_err("%s%s to 0x%016lx of %zu bytes by interrupt on cpu %d:\n", prefix,
		       access_type(ai->type), (unsigned long)ai->ptr, ai->size, ai->cpu);
	for (int i = 0; i < ai->nr_frames; i++) {
		ksym_format(sym, sizeof(sym), ai->frames[i]);
		pr_err(" %s\n", sym);
	}
}

/* The function an address is in, without offset (Linux's %ps). */
static void func_name(char *buf, size_t len, uintptr_t ip)
{
	uintptr_t off, size;
	const char *name = ksym_lookup(ip, &off, &size);

	if (name)
		snprintf(buf, len, "%s", name);
	else
		snprintf(buf, len, "0x%lx", (unsigned long)ip);
}

/*
 * A pair of functions is reported once in full; again, one line at most
 * once a second, with how many times it was seen meanwhile (a racy loop
 * would otherwise print hundreds). Each report counts as a WARNING
 * either way.
 */
#define NR_SEEN 32
static struct seen {
	uintptr_t a, b;
	unsigned long last_jiffies, suppressed;
} seen[NR_SEEN];
static int nr_seen;
static int report_lock;

/* NULL: first time (now remembered); else the pair's record. */
static struct seen *seen_before(uintptr_t a, uintptr_t b)
{
	for (int i = 0; i < nr_seen; i++)
		if (seen[i].a == a && seen[i].b == b)
			return &seen[i];
	if (nr_seen < NR_SEEN) {
		seen[nr_seen].a = a;
		seen[nr_seen].b = b;
		seen[nr_seen].last_jiffies = jiffies;
		nr_seen++;
	}
	return NULL;
}

static uintptr_t func_start(uintptr_t ip)
{
	uintptr_t off = 0, size;

	return ksym_lookup(ip, &off, &size) ? ip - off : ip;
}

static void report(const struct access_info *ai, const struct access_info *other,
		   uint64_t old, uint64_t new)
{
	char f1[64], f2[64];
	const char *bug = (ai->type | (other ? other->type : 0)) & KCSAN_ACCESS_ASSERT ?
			  "assert: race" : "data-race";

	count_warning();
	__atomic_fetch_add(&nr_reports, 1, __ATOMIC_RELAXED);
	while (__atomic_exchange_n(&report_lock, 1, __ATOMIC_ACQUIRE))
		cpu_relax();

	uintptr_t a = func_start(ai->ip), b = other ? func_start(other->ip) : 0;
	func_name(f1, sizeof(f1), ai->ip);
	if (other)
		func_name(f2, sizeof(f2), other->ip);
	/* Stable titles: the two names in alphabetical order, as Linux. */
	bool swap = other && strcmp(f1, f2) > 0;
	struct seen *sn = seen_before(swap ? b : a, swap ? a : b);
	if (sn) {
		if (jiffies - sn->last_jiffies < HZ) {
			sn->suppressed++;
			goto out;
		}
		sn->last_jiffies = jiffies;
		if (other)
			pr_err("BUG: KCSAN: %s in %s / %s (again, %lu more since the last line: "
			       "the first report is above)\n", bug, swap ? f2 : f1, swap ? f1 : f2,
			       sn->suppressed);
		else
			pr_err("BUG: KCSAN: %s in %s (again, %lu more since the last line: "
			       "the first report is above)\n", bug, f1, sn->suppressed);
		sn->suppressed = 0;
		goto out;
	}

	pr_err("==================================================================\n");
	if (other) {
		pr_err("BUG: KCSAN: %s in %s / %s\n", bug, swap ? f2 : f1, swap ? f1 : f2);
		pr_err("\n");
		print_access(other, "");
		pr_err("\n");
		print_access(ai, "");
	} else {
		char where[128];

		ksym_format(where, sizeof(where), ai->ip);
		pr_err("BUG: KCSAN: %s in %s\n", bug, where);
		pr_err("\n");
		print_access(ai, "race at unknown origin, with ");
	}
	if (old != new && ai->size <= 8) {
		int w = (int)ai->size * 2;

		pr_err("\n");
		pr_err("value changed: 0x%0*llx -> 0x%0*llx\n", w, (unsigned long long)old,
		       w, (unsigned long long)new);
	}
	pr_err("\n");
	pr_err("Reported by Kernel Concurrency Sanitizer on:\n");
	pr_err("CPU: %d PID: %d Comm: %s\n", raw_smp_processor_id(),
	       current ? current->pid : 0, current ? current->comm : "swapper");
	pr_err("==================================================================\n");
out:
	__atomic_store_n(&report_lock, 0, __ATOMIC_RELEASE);
}

unsigned long kcsan_report_count(void)
{
	return __atomic_load_n(&nr_reports, __ATOMIC_RELAXED);
}

/* ---- the two slow paths ---- */

static uint64_t read_value(const volatile void *ptr, size_t size)
{
	switch (size) {
	case 1: return *(const volatile uint8_t *)ptr;
	case 2: return *(const volatile uint16_t *)ptr;
	case 4: return *(const volatile uint32_t *)ptr;
	case 8: return *(const volatile uint64_t *)ptr;
	default: return 0;	/* larger: the value is not compared */
	}
}

/* This CPU's access hit another CPU's watch: tell the watcher who. */
static __noinline void found_watchpoint(const volatile void *ptr, size_t size, int type,
					uintptr_t ip, long *wp, long enc)
{
	struct other_info *oi = &other_infos[wp - watchpoints];
	unsigned long flags;

	if (!may_check())
		return;
	local_irq_save(flags);
	this_cpu_write(kcsan_busy, 1);
	if (!__atomic_exchange_n(&oi->locked, 1, __ATOMIC_ACQUIRE)) {
		describe(&oi->ai, ptr, size, type, ip);
		oi->valid = __atomic_compare_exchange_n(wp, &enc, (long)WP_CONSUMED, false,
							 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
		__atomic_store_n(&oi->locked, 0, __ATOMIC_RELEASE);
	}
	this_cpu_write(kcsan_busy, 0);
	local_irq_restore(flags);
}

/* This CPU's plain access was picked: watch it for a while. */
static __noinline void watch(const volatile void *ptr, size_t size, int type, uintptr_t ip)
{
	bool write = type & KCSAN_ACCESS_WRITE;
	unsigned long flags;

	reset_skip();
	if (!may_check() || ctx_atomic())
		return;
	local_irq_save(flags);
	this_cpu_write(kcsan_busy, 1);
	long *wp = insert_watchpoint((uintptr_t)ptr, size, write);
	if (!wp)
		goto out;
	bool in_irq = !in_task();
	uint64_t old = read_value(ptr, size);
	delay_tsc_us(in_irq ? udelay_interrupt : udelay_task);
	uint64_t new = read_value(ptr, size);
	long last = __atomic_exchange_n(wp, 0L, __ATOMIC_SEQ_CST);

	if (last == (long)WP_CONSUMED || old != new) {
		struct access_info me;
		struct other_info *oi = &other_infos[wp - watchpoints];
		bool known = false;
		struct access_info other;

		describe(&me, ptr, size, type, ip);
		if (last == (long)WP_CONSUMED) {
			while (__atomic_exchange_n(&oi->locked, 1, __ATOMIC_ACQUIRE))
				cpu_relax();
			if (oi->valid) {
				other = oi->ai;
				known = true;
				oi->valid = false;
			}
			__atomic_store_n(&oi->locked, 0, __ATOMIC_RELEASE);
		}
		report(&me, known ? &other : NULL, old, new);
	}
out:
	this_cpu_write(kcsan_busy, 0);
	local_irq_restore(flags);
}

static __always_inline void check_access(const volatile void *ptr, size_t size, int type,
					 uintptr_t ip)
{
	long enc, *wp;

	if (!this_cpu_read(kcsan_ready))
		return;
	wp = find_watchpoint((uintptr_t)ptr, size, type & KCSAN_ACCESS_WRITE, &enc);
	if (unlikely(wp)) {
		found_watchpoint(ptr, size, type, ip, wp, enc);
		return;
	}
	/* Marked accesses are never watched: two marked accesses do not race. */
	if ((type & (KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_ASSERT)) == KCSAN_ACCESS_ATOMIC)
		return;
	if (likely(this_cpu_read(kcsan_skip) > 0)) {
		this_cpu_dec(kcsan_skip);
		return;
	}
	watch(ptr, size, type, ip);
}

void __kcsan_check_access(const volatile void *ptr, size_t size, int type)
{
	check_access(ptr, size, type, (uintptr_t)__builtin_return_address(0));
}

/* ---- the compiler's calls (-fsanitize=thread) ---- */

#define RET_IP ((uintptr_t)__builtin_return_address(0))
/* Volatile accesses that fit a word are marked: READ_ONCE and friends. */
#define VOLATILE_TYPE(p, n) \
	((n) <= 8 && !((uintptr_t)(p) & ((n) - 1)) ? KCSAN_ACCESS_ATOMIC : 0)

#define DEFINE_TSAN(n)                                                              \
	void __tsan_read##n(void *p);                                               \
	void __tsan_read##n(void *p) { check_access(p, n, 0, RET_IP); }             \
	void __tsan_write##n(void *p);                                              \
	void __tsan_write##n(void *p) { check_access(p, n, KCSAN_ACCESS_WRITE, RET_IP); } \
	void __tsan_unaligned_read##n(void *p);                                     \
	void __tsan_unaligned_read##n(void *p) { check_access(p, n, 0, RET_IP); }   \
	void __tsan_unaligned_write##n(void *p);                                    \
	void __tsan_unaligned_write##n(void *p)                                     \
	{ check_access(p, n, KCSAN_ACCESS_WRITE, RET_IP); }                         \
	void __tsan_volatile_read##n(void *p);                                      \
	void __tsan_volatile_read##n(void *p)                                       \
	{ check_access(p, n, VOLATILE_TYPE(p, n), RET_IP); }                        \
	void __tsan_volatile_write##n(void *p);                                     \
	void __tsan_volatile_write##n(void *p)                                      \
	{ check_access(p, n, KCSAN_ACCESS_WRITE | VOLATILE_TYPE(p, n), RET_IP); }   \
	void __tsan_unaligned_volatile_read##n(void *p);                            \
	void __tsan_unaligned_volatile_read##n(void *p)                             \
	{ check_access(p, n, VOLATILE_TYPE(p, n), RET_IP); }                        \
	void __tsan_unaligned_volatile_write##n(void *p);                           \
	void __tsan_unaligned_volatile_write##n(void *p)                            \
	{ check_access(p, n, KCSAN_ACCESS_WRITE | VOLATILE_TYPE(p, n), RET_IP); }

DEFINE_TSAN(1)
DEFINE_TSAN(2)
DEFINE_TSAN(4)
DEFINE_TSAN(8)
DEFINE_TSAN(16)

void __tsan_read_range(void *p, unsigned long n);
void __tsan_read_range(void *p, unsigned long n) { check_access(p, n, 0, RET_IP); }
void __tsan_write_range(void *p, unsigned long n);
void __tsan_write_range(void *p, unsigned long n)
{
	check_access(p, n, KCSAN_ACCESS_WRITE, RET_IP);
}
/* The compiler's constructor calls this; the kernel runs no constructors. */
void __tsan_init(void);
void __tsan_init(void) { }
void __tsan_func_entry(void *call_pc);
void __tsan_func_entry(void *call_pc) { (void)call_pc; }
void __tsan_func_exit(void);
void __tsan_func_exit(void) { }

/* ---- start ---- */

void kcsan_cpu_online(void)
{
	this_cpu_write(kcsan_rand, 0x9e3779b97f4a7c15ULL * (uint64_t)(raw_smp_processor_id() + 1) ^
				   rdtsc());
	reset_skip();
	this_cpu_write(kcsan_ready, 1);
}

void kcsan_init(void)
{
	skip_watch = cmdline_get_int("kcsan.skip_watch", 1000, 1, 1000000000);
	udelay_task = (unsigned int)cmdline_get_int("kcsan.udelay_task", 40, 1, 100000);
	udelay_interrupt = (unsigned int)cmdline_get_int("kcsan.udelay_interrupt", 10, 1, 100000);
	pr_info("kcsan: data-race detector on: one plain access in ~%ld watched for %u us "
		"(kcsan.skip_watch=, kcsan.udelay_task=)\n", skip_watch, udelay_task);
	kcsan_cpu_online();
}

#endif /* CONFIG_KCSAN */
