/*
 * regs.h - the registers of interrupted code, as entry.asm saves them.
 * The field order is the reverse of the push order in entry.asm.
 */
#pragma once
#include <stdint.h>

struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

void show_regs(const struct pt_regs *regs);
