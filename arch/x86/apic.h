/*
 * apic.h - the local APIC: each CPU's interrupt controller and timer.
 *
 * Two access modes: xAPIC (registers are memory at 0xfee00000) and x2APIC
 * (registers are MSRs 0x800 + reg/16, 32-bit APIC ids, one-write ICR).
 * We use x2APIC when CPUID offers it, unless `apic=xapic` is given;
 * `apic=x2apic` insists on it.
 */
#pragma once
#include "kernel/compiler.h"

void pic_disable(void);
void lapic_init_bsp(void);		/* choose the mode, map registers */
void lapic_init_cpu(void);		/* enable this CPU's APIC */
void lapic_eoi(void);
uint32_t lapic_id(void);
bool lapic_x2apic_mode(void);

/* Inter-processor interrupts. dest is an APIC id. */
void lapic_send_ipi(uint32_t dest, int vector);
void lapic_send_ipi_all_but_self(int vector);
void lapic_send_nmi_all_but_self(void);
void lapic_send_init(uint32_t dest);
void lapic_send_startup(uint32_t dest, uint8_t page);
bool lapic_ipi_idle(void);

/* This CPU's timer, in one-shot mode (calibrated once, on the BSP):
 * lapic_next_event(ns) asks for one LOCAL_TIMER_VECTOR interrupt no
 * sooner than ns from now (up to 1 s; later ones are capped), replacing
 * the one asked for before. Interrupts off. kernel/hrtimer.c drives it. */
void lapic_timer_calibrate(void);
void lapic_timer_start(void);
void lapic_next_event(uint64_t delta_ns);
