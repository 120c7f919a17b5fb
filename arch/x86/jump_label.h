/*
 * jump_label.h - the x86 half of static keys (kernel/jump_label.h): a
 * branch that costs a 5-byte no-op until it is turned on, and a jump
 * after that - no load, no compare.
 *
 * Each use of arch_static_branch() leaves, at its site, a 5-byte NOP
 * (0f 1f 44 00 00) and a record in the __jump_table section: the NOP's
 * address, the address of the "true" code, and the key. Enabling the
 * key rewrites every NOP of that key into `jmp rel32` (e9 + offset);
 * disabling writes the NOP back. This is Linux's asm goto jump label.
 */
#pragma once
#include "kernel/compiler.h"

#define JUMP_LABEL_NOP_SIZE 5

struct static_key;

struct jump_entry {
	uint64_t code;			/* the 5-byte site */
	uint64_t target;		/* where the jmp goes */
	struct static_key *key;
};

/*
 * A macro, not an inline function: an inline function would be a frame
 * of its own in the debug information, and the site's NOP, often the
 * first instruction of an inlined lock function, would belong to it -
 * so that gdb, stopping there for `break do_raw_spin_unlock if lock ==
 * &x`, could not see `lock`.
 */
#define arch_static_branch(key) ({                                          \
	__label__ l_yes, l_done;                                           \
	bool on__ = false;                                                 \
	asm goto("1: .byte 0x0f, 0x1f, 0x44, 0x00, 0x00\n\t"               \
		 ".pushsection __jump_table, \"a\"\n\t"                     \
		 ".balign 8\n\t"                                            \
		 ".quad 1b, %l[l_yes], %c0\n\t"                             \
		 ".popsection\n\t"                                          \
		 : : "i"(key) : : l_yes);                                  \
	goto l_done;                                                       \
l_yes:                                                                     \
	on__ = true;                                                       \
l_done:                                                                    \
	on__;                                                              \
})

/* Rewrite these sites (all of one key) to jumps (enable) or NOPs, under
 * stop_machine() (jump_label.c): process context; may sleep. */
void arch_jump_label_transform(struct jump_entry *const *sites, int n, bool enable);
