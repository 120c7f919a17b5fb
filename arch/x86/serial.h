/*
 * serial.h - the 16550 UART on COM1: the kernel's console.
 * Output is polled (write a byte when the transmitter is empty), so it
 * works in any context, including panics with interrupts off.
 */
#pragma once
#include <stdbool.h>

void serial_init(void);
void serial_putc(char c);
void serial_write(const char *s, unsigned long len);
/* Returns -1 when no byte is waiting. */
int serial_getc(void);
/* Interrupt-driven input (after the I/O APIC is set up). */
void serial_enable_rx_irq(void);
/* Next received byte, or -1 if none is buffered. */
int serial_read(void);
unsigned long serial_rx_interrupts(void);
/* Called (in interrupt context) after received bytes were buffered. */
void serial_set_rx_hook(void (*fn)(void));
