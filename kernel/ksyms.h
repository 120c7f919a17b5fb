/*
 * ksyms.h - the kernel's own symbol table, for readable backtraces.
 * tools/gensyms.sh extracts the function symbols from a first link and
 * the second link embeds them (section .ksyms); see the Makefile.
 */
#pragma once
#include <stddef.h>
#include <stdint.h>

/* Name of the function containing addr and the offset into it. */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size);
/* "name+0xoff/0xsize", or the hex address when unknown. */
void ksym_format(char *buf, size_t len, uintptr_t addr);
/* Address of a function by name, or 0. */
uintptr_t ksym_address(const char *name);
