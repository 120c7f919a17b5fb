/*
 * ioapic.c - program I/O APIC redirection entries.
 *
 * Each input pin has a 64-bit redirection entry: vector, delivery mode,
 * polarity, trigger mode, mask, destination APIC id. The registers are
 * reached indirectly: write the register number to IOREGSEL, then read
 * or write IOWIN. All pins start masked; we unmask only what a driver
 * asks for (the serial port, for console input).
 */
#include "arch/x86/ioapic.h"
#include "arch/x86/acpi.h"
#include "arch/x86/paging.h"
#include "kernel/errno.h"
#include "kernel/printk.h"
#include "sync/spinlock.h"

#define IOREGSEL 0x00
#define IOWIN    0x10
#define IOAPICVER 0x01
#define REDTBL(n) (0x10 + 2 * (n))
#define RTE_MASKED      (1U << 16)
#define RTE_LEVEL       (1U << 15)
#define RTE_ACTIVE_LOW  (1U << 13)

struct ioapic {
	volatile uint32_t *regs;
	uint32_t gsi_base;
	int pins;
};

static struct ioapic ioapics[SMP_CONFIG_MAX_IOAPICS];
static int nr_ioapics;
static const struct smp_config *config;
static DEFINE_SPINLOCK(ioapic_lock);

static uint32_t io_read(struct ioapic *io, uint32_t reg)
{
	io->regs[IOREGSEL / 4] = reg;
	return io->regs[IOWIN / 4];
}

static void io_write(struct ioapic *io, uint32_t reg, uint32_t v)
{
	io->regs[IOREGSEL / 4] = reg;
	io->regs[IOWIN / 4] = v;
}

void ioapic_init(const struct smp_config *cfg)
{
	config = cfg;
	for (int i = 0; i < cfg->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics++];
		io->regs = ioremap(cfg->ioapics[i].phys, 0x20);
		io->gsi_base = cfg->ioapics[i].gsi_base;
		io->pins = ((io_read(io, IOAPICVER) >> 16) & 0xff) + 1;
		for (int pin = 0; pin < io->pins; pin++)
			io_write(io, REDTBL(pin), RTE_MASKED);
		pr_info("ioapic: id %u at %#x, GSI %u-%u\n", cfg->ioapics[i].id,
			cfg->ioapics[i].phys, io->gsi_base,
			io->gsi_base + io->pins - 1);
	}
}

/* ISA IRQs are edge-triggered, active high, unless an override says. */
static uint32_t isa_irq_to_gsi(int irq, uint32_t *flags)
{
	*flags = 0;
	for (int i = 0; config && i < config->nr_overrides; i++) {
		if (config->overrides[i].bus != 0 || config->overrides[i].source != irq)
			continue;
		uint16_t f = config->overrides[i].flags;
		if ((f & SMP_IRQ_POLARITY_MASK) == SMP_IRQ_ACTIVE_LOW)
			*flags |= RTE_ACTIVE_LOW;
		if ((f & SMP_IRQ_TRIGGER_MASK) == SMP_IRQ_LEVEL)
			*flags |= RTE_LEVEL;
		return config->overrides[i].gsi;
	}
	return (uint32_t)irq;
}

int ioapic_route_isa_irq(int irq, int vector, uint32_t dest)
{
	uint32_t flags, gsi = isa_irq_to_gsi(irq, &flags);

	for (int i = 0; i < nr_ioapics; i++) {
		struct ioapic *io = &ioapics[i];
		if (gsi < io->gsi_base || gsi >= io->gsi_base + (uint32_t)io->pins)
			continue;
		int pin = (int)(gsi - io->gsi_base);
		spin_lock(&ioapic_lock);
		io_write(io, REDTBL(pin) + 1, dest << 24);
		io_write(io, REDTBL(pin), flags | (uint32_t)vector);
		spin_unlock(&ioapic_lock);
		pr_info("ioapic: IRQ %d -> GSI %u -> vector %#x on APIC id %u\n",
			irq, gsi, vector, dest);
		return 0;
	}
	pr_warn("ioapic: no I/O APIC serves IRQ %d (GSI %u)\n", irq, gsi);
	return -ENOENT;
}
