/*
 * kcsan.h - the Kernel Concurrency Sanitizer, Linux's data-race detector
 * (CONFIG_KCSAN: `make KCSAN=1`, build/kcsan; docs/debugging.md).
 *
 * A data race is two accesses to the same bytes from two CPUs at the
 * same time, at least one a write and at least one plain (not
 * READ_ONCE/WRITE_ONCE, an atomic, smp_load_acquire/smp_store_release or
 * data_race()). The compiler (-fsanitize=thread) calls the runtime
 * (kernel/kcsan.c) before every plain and volatile access; now and then a
 * plain access is *watched*: its address is published and the CPU stalls
 * a few microseconds. Another CPU that touches the same bytes meanwhile
 * (a write, or a read of a watched write) is the race, reported as Linux
 * reports it:
 *
 *   BUG: KCSAN: data-race in reader_fn / writer_fn
 *
 *   write to 0xffff800000812340 of 4 bytes by task 23 on cpu 1:
 *    writer_fn+0x1d/0x40
 *    ...
 *
 * Strict, as Linux's CONFIG_KCSAN_STRICT: a plain write racing with a
 * marked read is a race; a watched value that changed with nobody seen
 * is reported as "race at unknown origin". A report counts as a WARNING:
 * the test during which it is printed fails.
 *
 * Contract: the hooks run in any context, never sleep, and are a no-op
 * until this CPU's per-CPU area is loaded and after kcsan_disable_current().
 */
#pragma once
#include "kernel/compiler.h"

/* Access types, Linux's bits. */
#define KCSAN_ACCESS_WRITE    (1 << 0)
#define KCSAN_ACCESS_COMPOUND (1 << 1)
#define KCSAN_ACCESS_ATOMIC   (1 << 2)
#define KCSAN_ACCESS_ASSERT   (1 << 3)

/* Per task (and per CPU, for interrupts): what KCSAN ignores now. */
struct kcsan_ctx {
	int disable_count;	/* data_race() depth */
	int atomic_next;	/* this many more accesses count as marked */
	int seq_depth;		/* seqcount sections begun inside one */
	int atomic_nest;	/* kcsan_nestable_atomic_begin() depth */
};

/* Seqlock read sections: at most this many accesses count as marked. */
#define KCSAN_SEQLOCK_REGION_MAX 1000

#ifdef CONFIG_KCSAN
/*
 * Accesses that race by design, as in Linux: the next n plain accesses
 * of this context count as marked (a seqcount reader's copy, thrown away
 * if torn; 0 ends it), and so does everything between
 * kcsan_nestable_atomic_begin() and _end() (a seqcount writer's stores).
 */
void kcsan_atomic_next(int n);
void kcsan_nestable_atomic_begin(void);
void kcsan_nestable_atomic_end(void);
/* Check an access the compiler cannot see (an atomic in inline asm). */
void __kcsan_check_access(const volatile void *ptr, size_t size, int type);
/* Read the kcsan.* options and start watching on the boot CPU; then
 * each CPU once its per-CPU area is loaded. */
void kcsan_init(void);
void kcsan_cpu_online(void);
/* Reports printed since boot. */
unsigned long kcsan_report_count(void);
#else
static inline void __kcsan_check_access(const volatile void *p, size_t s, int t)
{ (void)p; (void)s; (void)t; }
static inline void kcsan_atomic_next(int n) { (void)n; }
static inline void kcsan_nestable_atomic_begin(void) { }
static inline void kcsan_nestable_atomic_end(void) { }
static inline void kcsan_init(void) { }
static inline void kcsan_cpu_online(void) { }
static inline unsigned long kcsan_report_count(void) { return 0; }
#endif

#define kcsan_check_read(p, n)        __kcsan_check_access(p, n, 0)
#define kcsan_check_write(p, n)       __kcsan_check_access(p, n, KCSAN_ACCESS_WRITE)
#define kcsan_check_atomic_read(p, n) __kcsan_check_access(p, n, KCSAN_ACCESS_ATOMIC)
#define kcsan_check_atomic_write(p, n) \
	__kcsan_check_access(p, n, KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_WRITE)
#define kcsan_check_atomic_read_write(p, n) \
	__kcsan_check_access(p, n, KCSAN_ACCESS_ATOMIC | KCSAN_ACCESS_WRITE | KCSAN_ACCESS_COMPOUND)

/*
 * ASSERT_EXCLUSIVE_WRITER(var): nobody else writes var now, not even
 * with WRITE_ONCE or an atomic (the design says this code is the only
 * writer; readers are fine). ASSERT_EXCLUSIVE_ACCESS(var): nobody else
 * reads or writes it either (e.g. an object about to be freed). Checked
 * by KCSAN, nothing otherwise; Linux's <linux/kcsan-checks.h>.
 */
#define ASSERT_EXCLUSIVE_WRITER(var) \
	__kcsan_check_access(&(var), sizeof(var), KCSAN_ACCESS_ASSERT)
#define ASSERT_EXCLUSIVE_ACCESS(var) \
	__kcsan_check_access(&(var), sizeof(var), KCSAN_ACCESS_ASSERT | KCSAN_ACCESS_WRITE)
