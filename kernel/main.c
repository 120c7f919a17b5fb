/*
 * main.c - kmain(): from the first C instruction to a running kernel.
 *
 * boot/boot.asm calls kmain() in 64-bit mode on the boot stack, with only
 * the boot page tables. The order below matters: each step uses only
 * what the steps before it set up (comments say which).
 */
#include "kernel/boot.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/init.h"
#include "kernel/stop_machine.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/printk.h"
#include "kernel/smp.h"
#include "sched/sched.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "arch/x86/apic.h"
#include "arch/x86/desc.h"
#include "arch/x86/irqflags.h"
#include "kernel/kasan.h"
#include "kernel/kcsan.h"
#include "arch/x86/irq.h"
#include "arch/x86/paging.h"
#include "arch/x86/serial.h"
#include "arch/x86/stack.h"
#include "sync/percpu.h"
#include "kernel/jitter.h"
#include "sync/rcu.h"

CMDLINE_OPTION("poweroff", "end QEMU once the boot work is done (and on panic)");

static void banner(void)
{
	printk(KERN_INFO "smpkern: a teaching SMP kernel for x86-64 "
	       "(built " __DATE__ " " __TIME__ ")\n");
}

/*
 * The first kernel thread, as Linux's kernel_init(): the initcalls start
 * what the layers above registered (kernel/init.h: the tests or the
 * benchmarks when asked for, the lab's counter experiment), then this
 * thread becomes the init program (the lab's shell).
 */
static int kernel_init(void *unused)
{
	(void)unused;
	int failed = do_initcalls();

	printk(KERN_INFO "boot: done; %lu MiB free%s\n",
	       pmm_free_pages() * PAGE_SIZE >> 20,
	       failed ? "; an initcall failed" : "");
	if (cmdline_get_bool("poweroff", false)) {
		printk(KERN_INFO "poweroff: bye\n");
		machine_exit(failed ? EXIT_FAILURE_CODE : EXIT_SUCCESS_CODE);
	}
	init_program_t program = find_init_program();
	if (!program) {
		printk(KERN_INFO "init: no init program linked in; the CPUs idle\n");
		return 0;
	}
	return program(NULL);
}

/* Runs on a guarded kernel stack; becomes CPU 0's idle thread. */
static __noreturn void kmain_late(void)
{
	sched_init();				/* this context is now a thread */
	kcsan_init();				/* KCSAN=1: watching starts */
	lockup_detector_init();
	local_irq_enable();
	smp_init();				/* every CPU runs; I/O APIC */
	rcu_init();				/* call_rcu() callbacks run */
	cpu_stop_init();			/* stop_machine() works */
	jitter_init();
	serial_enable_rx_irq();			/* console input */
	cmdline_check_unknown();
	if (IS_ERR(kthread_run(kernel_init, NULL, "init")))
		panic("cannot start the init thread");
	cpu_idle();
}

void kmain(uint32_t magic, uint32_t mbi)
{
	serial_init();				/* printk works from here */
	idt_init();				/* exceptions are reported */
	banner();
	if (!multiboot_parse(magic, mbi))
		panic("no multiboot2 information: boot this kernel with GRUB");
	cmdline_parse(boot_info.cmdline);
	exit_on_panic = cmdline_has("poweroff") || cmdline_has("test") ||
			cmdline_has("bench");

	pmm_init(&boot_info);			/* alloc_page() */
	paging_init();				/* W^X, direct map, no NULL page */
	setup_percpu_area(0);			/* this_cpu_*() */
	load_percpu_base(0);
	gdt_init_cpu(0);			/* TSS and IST stacks */
	idt_enable_ist();

	tsc_init();				/* ktime_get_ns() */
	printk_init();				/* time stamps, loglevel */
	kasan_init();				/* KASAN=1: shadow, globals */
	boot_info_print();

	pic_disable();
	lapic_init_bsp();
	lapic_init_cpu();
	init_timers();
	timer_start_cpu();

	void *stack = kstack_alloc();
	if (!stack)
		panic("no memory for the boot CPU's kernel stack");
	call_on_stack(kmain_late, (uintptr_t)stack + KSTACK_SIZE);
}
