/*
 * compiler.h - small compiler helpers used everywhere.
 *
 * READ_ONCE/WRITE_ONCE force exactly one load or store of a shared variable
 * (the compiler may otherwise merge, repeat or tear it); barrier() stops the
 * compiler from moving memory accesses across it. None of these emits a CPU
 * fence: see sync/barrier.h for those.
 */
#pragma once
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

/* Attribute names in their __x__ spelling, which no macro can capture
 * (Linux code defines `noinline`, `unused`... as macros of its own). */
#define __used          __attribute__((__used__))
#define __maybe_unused  __attribute__((__unused__))
#define __section(s)    __attribute__((__section__(s)))
#define __aligned(n)    __attribute__((__aligned__(n)))
#define __packed        __attribute__((__packed__))
#define __noreturn      __attribute__((__noreturn__))
#define __printf(a, b)  __attribute__((__format__(printf, a, b)))
#define __always_inline inline __attribute__((__always_inline__))
#define __noinline      __attribute__((__noinline__))
#define __cacheline_aligned __aligned(64)

#define likely(x)       __builtin_expect(!!(x), 1)
#define unlikely(x)     __builtin_expect(!!(x), 0)

#define barrier()       __asm__ __volatile__("" ::: "memory")

#define READ_ONCE(x)     (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define MIN(a, b)       ((a) < (b) ? (a) : (b))
#define MAX(a, b)       ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define __stringify_1(x) #x
#define __stringify(x)   __stringify_1(x)
#define __concat_1(a, b) a##b
#define __concat(a, b)   __concat_1(a, b)
#define __unique(prefix) __concat(prefix, __COUNTER__)

typedef uint64_t phys_addr_t;

/*
 * data_race(expr): the value of expr, whose accesses are racy on purpose
 * (a statistic, a hint re-checked under a lock); KCSAN (kernel/kcsan.h)
 * does not report them. Say why at the use. It is no READ_ONCE: the
 * compiler may still tear, merge or repeat the access.
 */
#ifdef CONFIG_KCSAN
void kcsan_disable_current(void);
void kcsan_enable_current(void);
#else
static inline void kcsan_disable_current(void) { }
static inline void kcsan_enable_current(void) { }
#endif
#define data_race(expr)                                    \
	({                                                 \
		kcsan_disable_current();                   \
		__auto_type data_race_v__ = (expr);        \
		kcsan_enable_current();                    \
		data_race_v__;                             \
	})
