/*
 * init.c - run the initcalls (contract in init.h).
 *
 * The linker gathers each level's function pointers into one table,
 * ordered by level (linker.ld sorts the section names), between
 * __initcall_start and __initcall_end; running them is walking it.
 */
#include "kernel/init.h"
#include "kernel/printk.h"
#include "arch/x86/irqflags.h"
#include "sched/preempt.h"

extern const initcall_t __initcall_start[], __initcall_end[];
extern const init_program_t __init_program_start[], __init_program_end[];

/* One initcall, and the state it must leave as it found it. */
static int do_one_initcall(initcall_t fn)
{
	int count = preempt_count();
	int ret = fn();

	if (preempt_count() != count) {
		printk(KERN_ERR "WARNING: initcall %pS returned with preemption "
		       "imbalance (count %#x, was %#x)\n", (void *)fn, preempt_count(), count);
		this_cpu_write(__preempt_count, count);
	}
	if (irqs_disabled()) {
		printk(KERN_ERR "WARNING: initcall %pS returned with disabled interrupts\n",
		       (void *)fn);
		local_irq_enable();
	}
	if (ret < 0)
		printk(KERN_WARNING "initcall %pS returned %d\n", (void *)fn, ret);
	return ret;
}

int do_initcalls(void)
{
	int failed = 0;

	for (const initcall_t *fn = __initcall_start; fn < __initcall_end; fn++)
		failed += do_one_initcall(*fn) < 0;
	return failed;
}

init_program_t find_init_program(void)
{
	int n = (int)(__init_program_end - __init_program_start);

	if (n > 1)
		printk(KERN_WARNING "init: %d init programs linked in; running %pS\n",
		       n, (void *)__init_program_start[0]);
	return n ? __init_program_start[0] : NULL;
}
