/*
 * panic.h - stopping the kernel when something is wrong, loudly.
 *
 *   panic(fmt, ...)  print "Kernel panic - not syncing: <msg>", a backtrace,
 *                    stop every other CPU, then halt (or, when the command
 *                    line says `poweroff` or `test`, end QEMU with the panic
 *                    status so scripts see it).
 *   BUG_ON(cond)     "kernel BUG at file:line!" then panic.
 *   WARN_ON(cond)    "WARNING: CPU: n at file:line func" and a backtrace,
 *                    then carry on; evaluates to cond, so it can guard:
 *                    if (WARN_ON(p == NULL)) return;
 *   WARN_ON_ONCE     the same, only the first time.
 *   WARN(cond, fmt, ...)  WARN_ON that first prints a message of its own.
 */
#pragma once
#include "kernel/compiler.h"
#include "kernel/printk.h"

__noreturn void panic(const char *fmt, ...) __printf(1, 2);
void dump_stack(void);
/* In an interrupt handler: the interrupted code's registers and trace. */
void dump_irq_regs(void);
__noreturn void __bug(const char *file, int line, const char *cond);
void __warn(const char *file, int line, const char *func, const char *cond);
/* WARNINGs printed since boot (the test runner fails a test during which
 * one appears unless the test planted it). */
unsigned int warn_count(void);
/* For reports of kernel bugs that are not WARN_ON()s ("BUG: scheduling
 * while atomic", "BUG: using smp_processor_id() in preemptible code"...):
 * count them like a WARNING. */
void count_warning(void);

#define BUG() __bug(__FILE__, __LINE__, NULL)
#define BUG_ON(cond)                                        \
	do {                                                \
		if (unlikely(cond))                         \
			__bug(__FILE__, __LINE__, #cond);   \
	} while (0)

#define WARN_ON(cond)                                                \
	({                                                           \
		bool w__ = !!(cond);                                 \
		if (unlikely(w__))                                   \
			__warn(__FILE__, __LINE__, __func__, #cond); \
		w__;                                                 \
	})

#define WARN(cond, ...)                                              \
	({                                                           \
		bool w__ = !!(cond);                                 \
		if (unlikely(w__)) {                                 \
			printk(KERN_WARNING __VA_ARGS__);            \
			__warn(__FILE__, __LINE__, __func__, #cond); \
		}                                                    \
		w__;                                                 \
	})

#define WARN_ON_ONCE(cond)                                           \
	({                                                           \
		static bool warned__;                                \
		bool w__ = !!(cond);                                 \
		if (unlikely(w__) && !warned__) {                    \
			warned__ = true;                             \
			__warn(__FILE__, __LINE__, __func__, #cond); \
		}                                                    \
		w__;                                                 \
	})

#define WARN_ONCE(cond, ...)                                         \
	({                                                           \
		static bool warned__;                                \
		bool w__ = !!(cond);                                 \
		if (unlikely(w__) && !warned__) {                    \
			warned__ = true;                             \
			printk(KERN_WARNING __VA_ARGS__);            \
			__warn(__FILE__, __LINE__, __func__, #cond); \
		}                                                    \
		w__;                                                 \
	})

/* End QEMU (isa-debug-exit); falls back to halting on real hardware. */
enum { EXIT_SUCCESS_CODE = 0, EXIT_FAILURE_CODE = 1, EXIT_PANIC_CODE = 2 };
__noreturn void machine_exit(int code);
/* Set when `poweroff` or `test` is on the command line. */
extern bool exit_on_panic;
/* Other CPUs are told to stop (defined by the SMP code, may be a no-op). */
void smp_stop_other_cpus(void);
extern volatile int panic_cpu;
