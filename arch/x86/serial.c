/*
 * serial.c - COM1 at 115200 baud, 8 data bits, no parity, 1 stop bit.
 * QEMU connects it to -serial (stdio or a file): it is how we read what
 * the kernel says, and how the test runner learns the results.
 */
#include "arch/x86/serial.h"
#include "arch/x86/io.h"
#include "arch/x86/cpu.h"

#define COM1 0x3f8
enum {
	UART_DATA = 0, UART_IER = 1, UART_FCR = 2, UART_LCR = 3,
	UART_MCR = 4, UART_LSR = 5,
};
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY  0x20

void serial_init(void)
{
	outb(COM1 + UART_IER, 0x00);		/* no interrupts yet */
	outb(COM1 + UART_LCR, 0x80);		/* DLAB: set the divisor */
	outb(COM1 + UART_DATA, 0x01);		/* 115200 / 1 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + UART_LCR, 0x03);		/* 8N1 */
	outb(COM1 + UART_FCR, 0xc7);		/* FIFOs on, cleared */
	outb(COM1 + UART_MCR, 0x0b);		/* DTR, RTS, OUT2 */
}

void serial_putc(char c)
{
	/* Bounded wait: a missing UART must not hang the kernel. */
	for (int i = 0; i < 100000; i++) {
		if (inb(COM1 + UART_LSR) & LSR_THR_EMPTY)
			break;
		cpu_relax();
	}
	outb(COM1 + UART_DATA, (uint8_t)c);
}

void serial_write(const char *s, unsigned long len)
{
	for (unsigned long i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

int serial_getc(void)
{
	if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + UART_DATA);
}

/*
 * Interrupt-driven input: the UART raises IRQ 4 when a byte arrives; the
 * handler moves it into a ring buffer that readers drain with
 * serial_read(). One writer (the handler, on one CPU) and readers that
 * take the lock: a full buffer drops the newest bytes.
 */
#include "arch/x86/irq.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/apic.h"
#include "sync/spinlock.h"

#define RX_SIZE 256
static char rx_buf[RX_SIZE];
static unsigned int rx_head, rx_tail;	/* head: next write, tail: next read */
static DEFINE_SPINLOCK(rx_lock);
static unsigned long rx_irqs;
static void (*rx_hook)(void);

void serial_set_rx_hook(void (*fn)(void))
{
	WRITE_ONCE(rx_hook, fn);
}

static void serial_interrupt(struct pt_regs *regs)
{
	int c;

	(void)regs;
	rx_irqs++;
	spin_lock(&rx_lock);
	while ((c = serial_getc()) >= 0) {
		if (rx_head - rx_tail < RX_SIZE)
			rx_buf[rx_head++ % RX_SIZE] = (char)c;
	}
	spin_unlock(&rx_lock);
	void (*hook)(void) = READ_ONCE(rx_hook);
	if (hook)
		hook();		/* e.g. wake the shell */
}

int serial_read(void)
{
	unsigned long flags;
	int c = -1;

	spin_lock_irqsave(&rx_lock, flags);
	if (rx_tail != rx_head)
		c = (unsigned char)rx_buf[rx_tail++ % RX_SIZE];
	spin_unlock_irqrestore(&rx_lock, flags);
	return c;
}

unsigned long serial_rx_interrupts(void)
{
	return READ_ONCE(rx_irqs);
}

void serial_enable_rx_irq(void)
{
	set_vector_handler(IRQ_BASE_VECTOR + 4, serial_interrupt);
	if (ioapic_route_isa_irq(4, IRQ_BASE_VECTOR + 4, lapic_id()) == 0)
		outb(COM1 + UART_IER, 0x01);	/* interrupt on received data */
}
