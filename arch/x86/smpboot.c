/*
 * smpboot.c - find the CPUs and start the application processors (APs).
 *
 * 1. Read the CPU list from the ACPI MADT, else the MP tables, else assume
 *    one CPU; smp.max=N caps it. The boot CPU (BSP) is CPU 0, the others
 *    are numbered in table order.
 * 2. For each AP, one at a time: give it a per-CPU area and a stack, fill
 *    in the trampoline's data block, and send INIT, wait 10 ms, STARTUP,
 *    wait 200 us, STARTUP (the sequence the Intel SDM prescribes; the
 *    second STARTUP is ignored by an AP that already woke up). Then wait,
 *    with a time-out, for the AP to mark itself online. A CPU that does not
 *    answer is reported and skipped; the others still start.
 * 3. The I/O APICs the tables list are set up, all pins masked.
 * 4. Each AP, in ap_entry(), loads its own GS base, GDT/TSS and IDT,
 *    enables its local APIC and timer, marks itself online and idles.
 */
#include "kernel/boot.h"
#include "arch/x86/acpi.h"
#include "arch/x86/mptable.h"
#include "arch/x86/apic.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/irqflags.h"
#include "kernel/kcsan.h"
#include "arch/x86/paging.h"
#include "arch/x86/ioapic.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/mm.h"
#include "kernel/panic.h"
#include "kernel/smp.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "kernel/timer.h"
#include "kernel/vsprintf.h"
#include "sched/sched.h"
#include "sync/barrier.h"

#define TRAMPOLINE_PHYS 0x8000
#define AP_START_TIMEOUT_MS 2000

struct trampoline_data {
	uint32_t cr3;
	uint32_t pad;
	uint64_t stack;
	uint64_t entry;
	uint64_t cpu;
	uint32_t alive;
} __packed;

extern const char trampoline_start[], trampoline_end[];

struct cpumask __cpu_possible_mask, __cpu_online_mask;
int nr_cpu_ids = 1;
struct smp_config smp_config;

CMDLINE_OPTION("smp.max", "start at most this many CPUs (1 = uniprocessor)");
CMDLINE_OPTION("smp.fail", "pretend CPU N does not answer (tests the time-out path)");
CMDLINE_OPTION("acpi", "acpi=off: ignore ACPI, use the MP tables");

void acpi_warn(const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("%s\n", msg);
}

static const void *map_phys(uint64_t phys, size_t len)
{
	/* The direct map covers at least the first 4 GiB: firmware tables. */
	if (phys + len < phys || phys + len > MAX(pmm_max_phys(), 4UL << 30))
		return NULL;
	return phys_to_virt(phys);
}

static void read_firmware_tables(void)
{
	const uint8_t *rsdp = boot_info.rsdp_len ? boot_info.rsdp : NULL;
	size_t len = boot_info.rsdp_len;

	acpi_set_mapper(map_phys);
	if (!rsdp) {
		rsdp = acpi_find_rsdp_legacy();
		len = rsdp ? acpi_rsdp_length(rsdp) : 0;
	}
	if (strcmp(cmdline_get_str("acpi", "on"), "off") == 0)
		rsdp = NULL;
	if (rsdp && acpi_parse_madt(rsdp, len, &smp_config))
		return;
	pr_warn("smp: no usable ACPI MADT, trying the MP tables\n");
	if (mptable_parse(&smp_config))
		return;
	pr_warn("smp: no usable MP table either: booting on one CPU\n");
	smp_config_default(&smp_config, lapic_id());
}

/* Number the CPUs: the BSP first, then the enabled ones in table order. */
static void enumerate_cpus(void)
{
	long max = cmdline_get_int("smp.max", NR_CPUS, 1, NR_CPUS);
	uint32_t bsp = lapic_id();
	int n = 1;

	cpu_apic_id[0] = bsp;
	set_cpu_possible(0, true);
	for (int i = 0; i < smp_config.nr_cpus; i++) {
		uint32_t id = smp_config.cpus[i].apic_id;
		if (!smp_config.cpus[i].enabled || id == bsp)
			continue;
		if (id > 254 && !lapic_x2apic_mode()) {
			pr_warn("smp: CPU with APIC id %u needs x2APIC mode; skipped\n", id);
			continue;
		}
		if (n >= max) {
			pr_info("smp: smp.max=%ld: not starting APIC id %u and later\n",
				max, id);
			break;
		}
		cpu_apic_id[n] = id;
		set_cpu_possible(n, true);
		n++;
	}
	nr_cpu_ids = n;
	pr_info("smp: %s lists %d CPUs, %d I/O APICs; using %d\n",
		smp_config.source, smp_config.nr_cpus, smp_config.nr_ioapics, n);
}

void ap_entry(uint64_t cpu);

static void flush_tlb_local(void *unused)
{
	(void)unused;
	write_cr3(read_cr3());
}

static bool wait_online(int cpu)
{
	uint64_t start = ktime_get_ns();

	while (!cpu_online(cpu)) {
		if (ktime_get_ns() - start > AP_START_TIMEOUT_MS * NSEC_PER_MSEC)
			return false;
		cpu_relax();
	}
	return true;
}

static bool start_ap(int cpu, bool simulate_failure)
{
	struct trampoline_data *td = phys_to_virt(TRAMPOLINE_PHYS + 8);
	void *stack = kstack_alloc();

	if (!stack)
		return false;
	setup_percpu_area(cpu);
	td->cr3 = (uint32_t)kernel_cr3();
	td->stack = (uint64_t)stack + KSTACK_SIZE;
	td->entry = (uint64_t)ap_entry;
	td->cpu = (uint64_t)cpu;
	td->alive = 0;
	smp_mb();

	uint32_t apic = cpu_apic_id[cpu];
	lapic_send_init(apic);
	mdelay(10);
	if (!simulate_failure) {
		for (int i = 0; i < 2 && !READ_ONCE(td->alive); i++) {
			lapic_send_startup(apic, TRAMPOLINE_PHYS >> 12);
			udelay(200);
		}
	}
	if (wait_online(cpu))
		return true;
	/* Put it back to sleep: if it woke up late it would find the next
	 * CPU's data in the trampoline and run on that CPU's stack. */
	lapic_send_init(apic);
	return false;
}

void smp_init(void)
{
	uint64_t t0 = ktime_get_ns();
	long fail = cmdline_get_int("smp.fail", -1, -1, NR_CPUS);

	read_firmware_tables();
	enumerate_cpus();
	call_function_init();
	set_cpu_online(0, true);
	pr_info("smp: CPU0 online (APIC id %u, boot CPU)\n", cpu_apic_id[0]);
	if (nr_cpu_ids > 1) {
		BUG_ON(kernel_cr3() >= (1UL << 32));	/* the trampoline loads 32 bits */
		memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start,
		       trampoline_end - trampoline_start);
		map_identity_page(TRAMPOLINE_PHYS);
	}
	for (int cpu = 1; cpu < nr_cpu_ids; cpu++) {
		if (!start_ap(cpu, cpu == fail)) {
			pr_err("smp: CPU%d (APIC id %u) did not start within %d ms; "
			       "continuing without it\n", cpu, cpu_apic_id[cpu],
			       AP_START_TIMEOUT_MS);
			set_cpu_possible(cpu, false);
		}
	}
	if (nr_cpu_ids > 1) {
		unmap_identity_page(TRAMPOLINE_PHYS);
		on_each_cpu(flush_tlb_local, NULL, true);	/* everywhere */
	}
	ioapic_init(&smp_config);
	pr_info("smp: %d CPUs online (%llu ms after boot, %llu ms to start APs)\n",
		num_online_cpus(), (unsigned long long)(ktime_get_ns() / NSEC_PER_MSEC),
		(unsigned long long)((ktime_get_ns() - t0) / NSEC_PER_MSEC));
}

/* The first C code an AP runs, on the stack the BSP gave it. */
void ap_entry(uint64_t cpu)
{
	load_percpu_base((int)cpu);
	gdt_init_cpu((int)cpu);
	idt_load();
	lapic_init_cpu();
	timer_start_cpu();
	sched_init_ap((int)cpu);
	kcsan_cpu_online();
	pr_info("smp: CPU%d online (APIC id %u)\n", (int)cpu, lapic_id());
	set_cpu_online((int)cpu, true);
	local_irq_enable();
	cpu_idle();
}
