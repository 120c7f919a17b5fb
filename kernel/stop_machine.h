/*
 * stop_machine.h - run a function while every CPU is stopped, as Linux's
 * stop_machine().
 *
 *   int stop_machine(int (*fn)(void *), void *data, const struct cpumask *cpus);
 *
 * Contract (Linux's):
 *  - Every online CPU stops what it runs and spins, interrupts off, in its
 *    stopper thread ("stopper/N"); fn(data) runs, interrupts off, on each
 *    CPU of `cpus` (NULL: on one CPU, the first online). When all are
 *    done, every CPU goes back to what it ran. Returns fn's value (the
 *    first non-zero one, if several CPUs ran it).
 *  - A CPU stops only where it schedules - never inside a spinlock
 *    section or with preemption off - so a CPU holding a lock that
 *    another CPU spins for (interrupts off) releases it first, and the
 *    spinner then gets it, releases it and stops too. Interrupts are
 *    turned off only once every CPU has reached its stopper: until then
 *    the stopped CPUs still answer cross-CPU calls that others wait for.
 *  - Process context, may sleep (it waits for every CPU); one at a time.
 *  - fn must not sleep, and must not wait for another CPU but through the
 *    data it shares with fn on that CPU: they all run at once.
 * Used to rewrite kernel text (static keys, arch/x86/jump_label.c): no
 * CPU runs kernel code meanwhile but fn.
 */
#pragma once
#include "kernel/cpumask.h"

int stop_machine(int (*fn)(void *), void *data, const struct cpumask *cpus);
