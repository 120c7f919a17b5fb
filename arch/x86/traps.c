/*
 * traps.c - CPU exceptions: name them, show the machine state, stop.
 *
 * In this kernel every exception is a bug (there is no user space to
 * blame), so each one prints what a student needs to find it - the name,
 * vector, error code, RIP as function+offset, CR2 and the access type for
 * page faults, all registers and a backtrace - then panics, which stops
 * the other CPUs. Page faults on a stack guard page and double faults
 * caused by them are reported as stack overflows, the real cause.
 */
#include "arch/x86/irq.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/backtrace.h"
#include "kernel/panic.h"
#include "kernel/mm.h"
#include "kernel/module.h"
#include "kernel/timer.h"
#include "sync/percpu.h"

static const char *const exception_names[32] = {
	"divide error", "debug", "non-maskable interrupt", "breakpoint",
	"overflow", "bound range exceeded", "invalid opcode",
	"device not available", "double fault", "coprocessor segment overrun",
	"invalid TSS", "segment not present", "stack-segment fault",
	"general protection fault", "page fault", "reserved",
	"x87 floating-point error", "alignment check", "machine check",
	"SIMD floating-point error", "virtualization exception",
	"control protection exception", "reserved", "reserved", "reserved",
	"reserved", "reserved", "reserved", "hypervisor injection",
	"VMM communication", "security exception", "reserved",
};

void show_regs(const struct pt_regs *r)
{
	printk(KERN_EMERG "RIP: %04lx:%016lx %pS\n", (unsigned long)r->cs,
	       (unsigned long)r->rip, (void *)r->rip);
	printk(KERN_EMERG "RSP: %016lx EFLAGS: %08lx\n"
	       "RAX: %016lx RBX: %016lx RCX: %016lx\n"
	       "RDX: %016lx RSI: %016lx RDI: %016lx\n"
	       "RBP: %016lx R08: %016lx R09: %016lx\n"
	       "R10: %016lx R11: %016lx R12: %016lx\n"
	       "R13: %016lx R14: %016lx R15: %016lx\n"
	       "CR2: %016lx CR3: %016lx\n",
	       r->rsp, r->rflags, r->rax, r->rbx, r->rcx, r->rdx, r->rsi,
	       r->rdi, r->rbp, r->r8, r->r9, r->r10, r->r11, r->r12, r->r13,
	       r->r14, r->r15, read_cr2(), read_cr3());
}

void dump_irq_regs(void)
{
	struct pt_regs *regs = get_irq_regs();

	if (!regs) {
		dump_stack();
		return;
	}
	show_regs(regs);
	backtrace_print(regs->rbp, regs->rip);
}

/* A fault in the vmalloc area: say which area, and what became of it. */
static void report_vmalloc_fault(uintptr_t addr)
{
	struct vmalloc_fault_info vi;

	switch (vmalloc_fault_info(addr, &vi)) {
	case VMALLOC_GUARD:
		printk(KERN_EMERG "#PF: the address is in the guard page after vmalloc area "
		       "%#lx-%#lx (%lu bytes, allocated by %pS): an access ran off its end\n",
		       vi.start, vi.start + vi.size, vi.size, vi.caller);
		break;
	case VMALLOC_FREEING:
		printk(KERN_EMERG "#PF: the address is in vmalloc area %#lx-%#lx (allocated by "
		       "%pS), which %pS is freeing with vfree(): a use after vfree\n",
		       vi.start, vi.start + vi.size, vi.caller, vi.freed_by);
		break;
	case VMALLOC_FREED:
		printk(KERN_EMERG "#PF: the address is in a freed vmalloc area %#lx-%#lx "
		       "(allocated by %pS, freed by %pS): a use after vfree\n",
		       vi.start, vi.start + vi.size, vi.caller, vi.freed_by);
		break;
	case VMALLOC_UNUSED:
		printk(KERN_EMERG "#PF: the address is in the vmalloc area, in no area "
		       "vmalloc() handed out lately (never allocated, or freed long ago)\n");
		break;
	default:
		break;
	}
}

static void report_page_fault(const struct pt_regs *r, uintptr_t addr)
{
	uint64_t e = r->error_code;
	uintptr_t stack;

	if (kstack_guard_hit(addr, &stack))
		printk(KERN_EMERG "BUG: kernel stack overflow: guard page hit at "
		       "%#lx (stack %#lx-%#lx)\n", addr, stack, stack + KSTACK_SIZE);
	else if (addr < PAGE_SIZE)
		printk(KERN_EMERG "BUG: kernel NULL pointer dereference, "
		       "address: %016lx\n", addr);
	printk(KERN_EMERG "BUG: unable to handle page fault for address: %016lx\n",
	       addr);
	printk(KERN_EMERG "#PF: supervisor %s access in kernel mode\n",
	       (e & 16) ? "instruction fetch" : (e & 2) ? "write" : "read");
	printk(KERN_EMERG "#PF: error_code(%#06lx) - %s\n", (unsigned long)e,
	       (e & 1) ? "permissions violation" : "not-present page");
	bool loaded;
	const char *mod = module_address_owner(addr, &loaded);
	if (mod && !loaded)
		printk(KERN_EMERG "#PF: the address is in module %s, which is not loaded: "
		       "something it left behind (a timer, a work item, a thread, an RCU "
		       "callback) ran after rmmod, or before insmod\n", mod);
	report_vmalloc_fault(addr);
}

/* kfree() fills freed memory with 0x6b bytes: a pointer made of them (give
 * or take a field offset) was read from freed memory. Say so, since the
 * fault itself only shows a strange address. */
static bool is_free_poison(uint64_t v)
{
	return ((v + 0x8000) >> 16) == 0x6b6b6b6b6b6bUL;
}

static void report_poison(const struct pt_regs *r, int vec)
{
	static const char *const names[] = { "R15", "R14", "R13", "R12", "R11",
		"R10", "R09", "R08", "RBP", "RDI", "RSI", "RDX", "RCX", "RBX", "RAX" };
	const uint64_t *gpr = &r->r15;	/* the general registers, in that order */

	if (vec == 14 && is_free_poison(read_cr2())) {
		printk(KERN_EMERG "hint: the address is kfree poison (0x6b...): a pointer "
		       "read from freed memory (use after free)\n");
		return;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(names); i++)
		if (is_free_poison(gpr[i])) {
			printk(KERN_EMERG "hint: %s = %016lx is kfree poison (0x6b...): a "
			       "pointer read from freed memory (use after free)\n",
			       names[i], (unsigned long)gpr[i]);
			return;
		}
}

/* A double fault with CR2 in a guard page: the stack ran out. */
static void report_double_fault(void)
{
	uintptr_t addr = read_cr2(), stack;

	if (kstack_guard_hit(addr, &stack))
		printk(KERN_EMERG "BUG: kernel stack overflow (double fault): "
		       "guard page hit at %#lx (stack %#lx-%#lx)\n",
		       addr, stack, stack + KSTACK_SIZE);
}

void do_exception(struct pt_regs *r)
{
	int vec = (int)r->vector;

	/* NMI while another CPU panics: that CPU asked us to stop. */
	if (vec == 2 && READ_ONCE(panic_cpu) >= 0) {
		for (;;)
			halt();
	}

	if (vec == 14)
		report_page_fault(r, read_cr2());
	if (vec == 8)
		report_double_fault();
	printk(KERN_EMERG "Oops: %s (vector %d), error code %#lx, on CPU#%d\n",
	       exception_names[vec], vec, (unsigned long)r->error_code,
	       raw_smp_processor_id());
	print_modules();
	show_regs(r);
	if (vec == 13 || vec == 14)
		report_poison(r, vec);
	backtrace_print(r->rbp, r->rip);
	panic("Fatal exception: %s", exception_names[vec]);
}
