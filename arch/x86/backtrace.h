/*
 * backtrace.h - walk the frame-pointer chain and name each return address.
 * The kernel is built with -fno-omit-frame-pointer, so every function's
 * frame starts with the caller's saved rbp followed by the return address.
 */
#pragma once
#include <stdint.h>

/* Print one line per frame, starting at frame pointer rbp; if rip != 0
 * it is printed first (the faulting instruction of an exception). */
void backtrace_print(uintptr_t rbp, uintptr_t rip);
/* Fill pcs[] with up to max return addresses; returns how many. */
int backtrace_save(uintptr_t rbp, uintptr_t *pcs, int max);
