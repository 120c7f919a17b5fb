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
